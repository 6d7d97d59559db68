// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The one exception type of the output library; the command line maps it to exit code 4.

#include <filesystem>
#include <stdexcept>
#include <string>

namespace commons::output {

/// A results file could not be written or read. `what()` reads "FILE: message", where the
/// message names the operation and, for HDF5 failures, the innermost HDF5 error.
class OutputError : public std::runtime_error {
 public:
  OutputError(std::filesystem::path file, const std::string& message);

  /// The file the failure concerns.
  [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }

 private:
  std::filesystem::path file_;
};

}  // namespace commons::output
