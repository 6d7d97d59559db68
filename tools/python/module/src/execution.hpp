// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// What `commons.run` and `commons.validate` do, without Python: load a scenario as `commons
/// run` loads it, admit it to memory, execute it into an ArraySink (and an Hdf5Sink when asked
/// for a file). Nothing here touches the interpreter, so all of it runs without the GIL.

#include "array_sink.hpp"

#include <commons/output/provenance.hpp>
#include <commons/scenario/loader.hpp>
#include <commons/sim/executor.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace commons::python {

/// A `commons.run` call, its arguments checked.
struct RunRequest {
  std::filesystem::path scenario;
  /// Applied in order, as `--set` options are; a `--seed` is the last one, {"seed", N}.
  std::vector<scenario::Override> overrides;
  /// Worker threads; 0 uses every core.
  int threads = 0;
  /// Also write the results file here, as `commons run -o` does.
  std::optional<std::filesystem::path> output;
  /// Replace an existing results file (`--force`).
  bool force = false;
  /// How the call was written, stored as the file's `command_line` for rerunning.
  std::string command_line;
  /// Run the scenario's sweep (`commons sweep`) rather than the scenario (`commons run`); each
  /// refuses a scenario meant for the other.
  bool sweep = false;
};

/// A scenario with a sweep block given to run, or one without given to sweep.
class WrongMode : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// An execution that ended: every run attempted, or interrupted.
struct RunOutcome {
  std::unique_ptr<ArraySink> arrays;
  sim::ExecutionReport report;
  /// What a results file written at the same time records as root attributes.
  output::Provenance provenance;
  /// When the runs began, ISO 8601 UTC, as the file's `creation_time`.
  std::string creation_time;
  /// The plan's fingerprint, as the file's `plan_sha256`.
  std::string plan_sha256;
};

/// `name=value` pairs as `--set` takes them, in order; a malformed one throws the CLI's
/// ScenarioError (file "--set").
[[nodiscard]] std::vector<scenario::Override> parse_overrides(
    const std::vector<std::pair<std::string, std::string>>& assignments);

/// Loads `request.scenario` with every check `commons run` makes, refuses a plan whose runs and
/// arrays would not fit in memory (MemoryRefused), and executes it. Returns also when `stop`
/// was set (report.interrupted; a results file then stays FILE.partial, as after Ctrl-C in
/// `commons run`).
/// \throws scenario::ScenarioError, WrongMode, output::OutputError, MemoryRefused, or what the
///         engine throws.
[[nodiscard]] RunOutcome run_scenario(const RunRequest& request, const std::atomic<bool>& stop);

/// Loads and checks a scenario as `commons validate` does, without the memory estimate.
/// \throws scenario::ScenarioError with the CLI's message.
void validate_scenario(const std::filesystem::path& scenario, const std::vector<scenario::Override>& overrides);

}  // namespace commons::python
