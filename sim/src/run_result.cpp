// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/run_result.hpp>

#include <array>
#include <cctype>
#include <utility>

namespace commons::sim {

std::string UnitSystem::resolve(std::string_view units) const {
  const std::array<std::pair<std::string_view, const std::string*>, 3> symbols{
      {{"resource_unit", &resource}, {"effort_unit", &effort}, {"money", &money}}};
  const auto word_character = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
  std::string out;
  std::size_t i = 0;
  while (i < units.size()) {
    bool replaced = false;
    for (const auto& [symbol, meaning] : symbols) {
      // Whole words only: "money_per_credit" is not "money".
      const bool starts = units.substr(i).starts_with(symbol) && (i == 0 || !word_character(units[i - 1]));
      const std::size_t end = i + symbol.size();
      if (starts && (end == units.size() || !word_character(units[end]))) {
        out += *meaning;
        i = end;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += units[i++];
  }
  return out;
}

}  // namespace commons::sim
