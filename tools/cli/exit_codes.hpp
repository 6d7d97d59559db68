// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Exit codes of the `commons` executable, the one place they are named (docs/cli.md).

namespace commons::cli {

enum class ExitCode : int {
  success = 0,
  internal_error = 1,
  usage_error = 2,
  invalid_scenario = 3,
  io_error = 4,
  failed_runs = 5,  ///< a sweep finished, but some runs failed; results are kept
  interrupted = 130,  ///< stopped by Ctrl-C (SIGINT, 128 + 2); finished runs are kept in FILE.partial
  terminated = 143,   ///< stopped by SIGTERM (128 + 15); finished runs are kept in FILE.partial
};

[[nodiscard]] constexpr int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace commons::cli
