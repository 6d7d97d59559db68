// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Loads a scenario file: strict YAML -> JSON document -> JSON Schema check -> sim::ScenarioSpec.
/// This is the only code in Commons that reads YAML. The format is described in
/// docs/scenario-format.md and defined by scenarios/schema/scenario.schema.json.

#include <commons/scenario/scenario_error.hpp>
#include <commons/sim/registry.hpp>
#include <commons/sim/spec.hpp>

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace commons::scenario {

/// One `--set` override: a dotted path ("resource.growth_rate", "agents.0.count") and the
/// YAML text of the value ("0.7", "[1, 2, 3]").
struct Override {
  std::string path;
  std::string value;
};

/// Largest scenario accepted [bytes]: far above any real scenario, small enough that a
/// mistaken argument (a results file, a log) fails fast instead of exhausting memory.
inline constexpr std::size_t max_scenario_bytes = 4U * 1024U * 1024U;

/// Parses "path=value" as given on the command line. Throws ScenarioError (file "--set",
/// line 1, column of the offending character) when the argument is malformed.
[[nodiscard]] Override parse_override(std::string_view argument);

/// Reads, checks and validates a scenario file, applying `overrides` in order before
/// validation, and reads the CSV files it names (paths relative to the scenario file's
/// directory; a path given by an override is relative to the current directory). With a
/// `registry`, also makes every check a run makes before its first step (sim::preflight), so
/// that a scenario that loads is one that runs.
/// Throws ScenarioError for any problem with the file, its content, an override or a CSV file.
[[nodiscard]] sim::ScenarioSpec load_scenario_file(const std::filesystem::path& file,
                                                   std::span<const Override> overrides = {},
                                                   const sim::Registry* registry = nullptr);

/// As load_scenario_file for text already in memory; `source_name` stands for the file name
/// in messages and in ScenarioSpec::source. CSV paths are relative to the current directory.
[[nodiscard]] sim::ScenarioSpec load_scenario_text(std::string_view text, std::string_view source_name,
                                                   std::span<const Override> overrides = {},
                                                   const sim::Registry* registry = nullptr);

/// The one of `candidates` a user most likely meant by `word`, when it is close enough to be a
/// typo: the loader's "did you mean", for other commands that take names.
[[nodiscard]] std::optional<std::string> likely_meant(std::string_view word, const std::vector<std::string>& candidates);

/// The JSON Schema (draft-07) of the scenario format, embedded at build time.
[[nodiscard]] std::string_view scenario_schema_text() noexcept;

}  // namespace commons::scenario
