// SPDX-License-Identifier: Apache-2.0
#include "attached_files.hpp"

#include "schema_messages.hpp"
#include "yaml_reader.hpp"

#include <commons/scenario/loader.hpp>
#include <commons/sim/network.hpp>
#include <commons/sim/network_generators.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace commons::scenario::detail {
namespace {

namespace fs = std::filesystem;

/// A problem inside a CSV file, reported as "NAME:LINE: message" after the scenario location.
class CsvError : public std::runtime_error {
 public:
  CsvError(const std::string& name, std::size_t line, const std::string& message)
      : std::runtime_error(name + ":" + std::to_string(line) + ": " + message) {}
};

const std::vector<std::string> decision_columns{"step", "agent", "effort", "pledge"};
const std::vector<std::string> required_decision_columns{"step", "agent", "effort"};

// Step and agent numbers are doubles in the table; beyond 2^53 they would no longer be exact.
constexpr double largest_index = 9007199254740991.0;

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

std::string in_quotes(std::string_view text) { return "\"" + printable(text) + "\""; }

// The file's bytes, or a ScenarioError at the key naming it.
std::string read_file(const Document& document, const std::string& pointer, const std::string& named,
                      const fs::path& path, const std::string& what) {
  const auto fail = [&](const std::string& reason) {
    raise(document, document.locate(pointer, false), pointer,
          "cannot read " + what + " '" + printable(named) + "': " + reason);
  };
  std::error_code error;
  const auto status = fs::status(path, error);
  if (error) fail(error.message());
  if (fs::is_directory(status)) fail("it is a directory");
  if (fs::is_regular_file(status)) {
    const auto size = fs::file_size(path, error);
    if (!error && size > max_scenario_bytes) {
      fail("it is too large (" + std::to_string(size) + " bytes; the limit is " + std::to_string(max_scenario_bytes) +
           " bytes)");
    }
  }
  std::ifstream stream(path, std::ios::binary);
  if (!stream) fail(std::generic_category().message(errno));
  std::string text(max_scenario_bytes + 1, '\0');
  stream.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (stream.bad()) fail(std::generic_category().message(errno));
  text.resize(static_cast<std::size_t>(stream.gcount()));
  if (text.size() > max_scenario_bytes) {
    fail("it is too large (more than " + std::to_string(max_scenario_bytes) + " bytes; the limit is " +
         std::to_string(max_scenario_bytes) + " bytes)");
  }
  if (auto problem = text_problem(text)) fail("it is not a text file: " + *problem);
  return text;
}

// Paths written in the scenario are relative to its directory; a --set value, typed at a shell,
// to the current directory.
fs::path resolve_path(const Document& document, const std::string& pointer, const std::string& named,
                      const fs::path& scenario_directory) {
  const auto it = document.nodes.find(pointer);
  const bool from_file = it == document.nodes.end() || !it->second.value || it->second.value->source == 0;
  return from_file ? scenario_directory / fs::path(named) : fs::path(named);
}

double parse_cell(std::string_view field, const std::string& column, const std::string& name, std::size_t line) {
  double value = 0.0;
  const char* first = field.data();
  const char* last = field.data() + field.size();
  // from_chars takes no leading '+', which spreadsheets sometimes write.
  if (field.size() > 1 && field.front() == '+' && field[1] != '-') ++first;
  const auto [end, error] = std::from_chars(first, last, value);
  if (field.empty() || error != std::errc{} || end != last || !std::isfinite(value)) {
    throw CsvError(name, line, "column '" + column + "': " + in_quotes(field) + " is not a number");
  }
  return value;
}

}  // namespace

sim::Table parse_decisions(std::string_view text, const std::string& name) {
  sim::Table table;
  table.source = name;
  // Spreadsheets often save CSV with a UTF-8 byte order mark; it is not part of the header.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t line = 0;
  std::size_t position = 0;
  bool header_seen = false;
  std::size_t effort_column = 0;
  std::size_t pledge_column = 0;
  while (position < text.size()) {
    const auto newline = text.find('\n', position);
    std::string_view content = text.substr(position, newline == std::string_view::npos ? std::string_view::npos
                                                                                        : newline - position);
    position = newline == std::string_view::npos ? text.size() : newline + 1;
    ++line;
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    content = trim(content);
    if (content.empty() || content.front() == '#') continue;
    const auto fields = split_fields(content);
    if (!header_seen) {
      header_seen = true;
      for (const auto field : fields) {
        const std::string column(field);
        if (std::find(decision_columns.begin(), decision_columns.end(), column) == decision_columns.end()) {
          const auto guess = nearest(column, decision_columns);
          throw CsvError(name, line,
                         "unknown column " + in_quotes(column) + " in the header; allowed columns: step, agent, effort, "
                         "pledge" + (guess ? "; did you mean '" + *guess + "'?" : std::string{}));
        }
        if (std::find(table.columns.begin(), table.columns.end(), column) != table.columns.end()) {
          throw CsvError(name, line, "column '" + column + "' appears twice in the header");
        }
        table.columns.push_back(column);
      }
      for (const auto& column : required_decision_columns) {
        if (table.column(column) == table.columns.size()) {
          throw CsvError(name, line, "the header lacks the column '" + column + "' (required: step, agent, effort)");
        }
      }
      effort_column = table.column("effort");
      pledge_column = table.column("pledge");
      continue;
    }
    if (fields.size() != table.columns.size()) {
      throw CsvError(name, line, "expected " + std::to_string(table.columns.size()) + " fields as in the header, got " +
                                     std::to_string(fields.size()));
    }
    std::vector<double> row(fields.size());
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const std::string& column = table.columns[c];
      if (fields[c].empty() && c == pledge_column) {
        // An empty pledge cell: the agent announces nothing in that step.
        row[c] = std::numeric_limits<double>::quiet_NaN();
        continue;
      }
      const double value = parse_cell(fields[c], column, name, line);
      if (c != effort_column && c != pledge_column) {
        if (value < 0.0 || std::trunc(value) != value || value > largest_index) {
          throw CsvError(name, line, "column '" + column + "': must be a whole number >= 0 (got " +
                                         std::string(fields[c]) + ")");
        }
      } else if (value < 0.0) {
        throw CsvError(name, line, "column '" + column + "': must be >= 0 (got " + std::string(fields[c]) + ")");
      }
      row[c] = value;
    }
    table.rows.push_back(std::move(row));
    table.lines.push_back(line);
  }
  if (!header_seen) throw CsvError(name, line + 1, "expected a header row naming step, agent, effort; got end of file");
  if (table.rows.empty()) throw CsvError(name, line + 1, "no decisions after the header");
  return table;
}

AttachedFiles read_attached_files(const Document& document, const fs::path& scenario_directory, std::int64_t agents) {
  AttachedFiles files;
  const Json& root = document.root;
  const auto attach_decisions = [&](const Json& behaviour, const std::string& pointer) {
    if (behaviour.at("model") != "scripted") return;
    const std::string at = pointer + "/decisions";
    const auto& named = behaviour.at("decisions").get_ref<const std::string&>();
    const fs::path location = resolve_path(document, at, named, scenario_directory);
    const std::string text = read_file(document, at, named, location, "decisions file");
    files.attachments.push_back({at, named, location.string(), text});
    try {
      files.tables.emplace(at, parse_decisions(text, named));
    } catch (const CsvError& error) {
      raise(document, document.locate(at, false), at, error.what());
    }
  };
  const Json& groups = root.at("agents");
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const std::string group_pointer = child_pointer("/agents", i);
    if (const auto behaviour = groups[i].find("behaviour"); behaviour != groups[i].end()) {
      attach_decisions(*behaviour, group_pointer + "/behaviour");
    }
    if (const auto mix = groups[i].find("mix"); mix != groups[i].end()) {
      for (std::size_t j = 0; j < mix->size(); ++j) {
        attach_decisions((*mix)[j].at("behaviour"), child_pointer(group_pointer + "/mix", j) + "/behaviour");
      }
    }
  }

  const auto network = root.find("network");
  if (network != root.end() && network->at("model") == "edge_list") {
    const std::string at = "/network/file";
    const auto& named = network->at("file").get_ref<const std::string&>();
    const fs::path location = resolve_path(document, at, named, scenario_directory);
    std::string text = read_file(document, at, named, location, "edge list file");
    files.attachments.push_back({at, named, location.string(), text});
    try {
      std::istringstream stream(text);
      static_cast<void>(sim::from_edge_list_csv(stream, named, static_cast<std::size_t>(agents)));
    } catch (const sim::NetworkError& error) {
      raise(document, document.locate(at, false), at, error.what());
    }
    files.texts.emplace(at, std::move(text));
  }
  return files;
}

}  // namespace commons::scenario::detail
