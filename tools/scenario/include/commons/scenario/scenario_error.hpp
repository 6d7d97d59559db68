// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The one exception the scenario loader throws for input it cannot accept.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace commons::scenario {

/// A scenario that cannot be loaded. what() is "FILE:LINE:COL: /json/pointer: message"; the
/// pointer part is left out when the problem concerns the whole document (pointer "").
class ScenarioError : public std::runtime_error {
 public:
  /// \param file    the scenario's path as given, or "--set" for a command-line override
  /// \param line    1-based line
  /// \param column  1-based column, counted in characters (UTF-8 code points)
  /// \param pointer JSON pointer (RFC 6901) of the offending node; "" for the whole document
  /// \param message what is wrong, without the location
  ScenarioError(std::string file, std::int64_t line, std::int64_t column, std::string pointer,
                std::string message);

  /// The scenario's path as given, or "--set".
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  /// 1-based line of the offending node.
  [[nodiscard]] std::int64_t line() const noexcept { return line_; }
  /// 1-based column of the offending node in characters.
  [[nodiscard]] std::int64_t column() const noexcept { return column_; }
  /// JSON pointer of the offending node; "" for the document as a whole.
  [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
  /// The message without the location prefix.
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  std::string file_;
  std::int64_t line_;
  std::int64_t column_;
  std::string pointer_;
  std::string message_;
};

}  // namespace commons::scenario
