// SPDX-License-Identifier: Apache-2.0
#include <commons/scenario/scenario_error.hpp>

namespace commons::scenario {
namespace {

std::string compose(const std::string& file, std::int64_t line, std::int64_t column, const std::string& pointer,
                    const std::string& message) {
  std::string text = file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  // A problem with the whole document has no pointer worth printing.
  if (!pointer.empty()) text += pointer + ": ";
  return text + message;
}

}  // namespace

ScenarioError::ScenarioError(std::string file, std::int64_t line, std::int64_t column, std::string pointer,
                             std::string message)
    : std::runtime_error(compose(file, line, column, pointer, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      pointer_(std::move(pointer)),
      message_(std::move(message)) {}

}  // namespace commons::scenario
