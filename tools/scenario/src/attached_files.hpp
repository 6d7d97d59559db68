// SPDX-License-Identifier: Apache-2.0
#pragma once
// CSV files a scenario names (a scripted behaviour's decisions, an edge-list network, a table a
// model's parameter declares with `x-table`): read by
// the loader so that the engine never opens files, checked here so that a broken file is
// reported with both the scenario location and the file's own line.

#include "document.hpp"

#include <commons/sim/spec.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace commons::scenario::detail {

/// What the loader read from the files a validated scenario names, keyed by the JSON pointer of
/// the key that names each file (`/agents/0/behaviour/decisions`, `/network/file`).
struct AttachedFiles {
  /// Parsed `decisions` tables.
  std::map<std::string, sim::Table, std::less<>> tables;
  /// Raw text of edge lists, already checked against the agent count.
  std::map<std::string, std::string, std::less<>> texts;
  /// Every file read, with its bytes, in the order of the document; results embed them.
  std::vector<sim::Attachment> attachments;
};

/// Reads and checks every file the document names. A path written in the scenario is relative
/// to `scenario_directory`; one given by a --set override is relative to the current directory.
/// `agents` is the total agent count an edge list is checked against. Throws ScenarioError at
/// the key naming the file.
[[nodiscard]] AttachedFiles read_attached_files(const Document& document, const std::filesystem::path& scenario_directory,
                                                std::int64_t agents);

/// Parses the text of a decisions CSV (header naming step, agent, effort and optionally pledge;
/// numbers only; `#` comment lines and blank lines skipped; CRLF accepted). `name` is the file as
/// the scenario names it. Throws std::runtime_error "NAME:LINE: message".
[[nodiscard]] sim::Table parse_decisions(std::string_view text, const std::string& name);

/// Parses the text of a CSV table of numbers whose header names columns among `columns`, each
/// once, including every one of `required` (a model declares them with `x-table` in its
/// parameter's schema); comments, blank lines and CRLF as in parse_decisions. Throws
/// std::runtime_error "NAME:LINE: message", naming the column of a bad cell.
[[nodiscard]] sim::Table parse_table(std::string_view text, const std::string& name,
                                     const std::vector<std::string>& columns, const std::vector<std::string>& required);

}  // namespace commons::scenario::detail
