// SPDX-License-Identifier: Apache-2.0
#include "attached_files.hpp"

#include "schema.hpp"
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
#include <span>
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
  std::string text = read_at_most(stream, max_scenario_bytes);
  if (stream.bad()) fail(std::generic_category().message(errno));
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

namespace {

/// Calls `record(line, fields)` for each line of a CSV text that is neither blank nor a `#`
/// comment, fields split at commas and trimmed; returns the number of lines read.
template <class Record>
std::size_t for_each_record(std::string_view text, Record&& record) {
  // Spreadsheets often save CSV with a UTF-8 byte order mark; it is not part of the header.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t line = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    const auto newline = text.find('\n', position);
    std::string_view content = text.substr(position, newline == std::string_view::npos ? std::string_view::npos
                                                                                        : newline - position);
    position = newline == std::string_view::npos ? text.size() : newline + 1;
    ++line;
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    content = trim(content);
    if (content.empty() || content.front() == '#') continue;
    record(line, split_fields(content));
  }
  return line;
}

/// Fills `table.columns` from a header: each among `allowed`, once, and every one of `required`.
void read_header(const std::vector<std::string_view>& fields, const std::vector<std::string>& allowed,
                 const std::vector<std::string>& required, const std::string& name, std::size_t line,
                 sim::Table& table) {
  for (const auto field : fields) {
    const std::string column(field);
    if (std::find(allowed.begin(), allowed.end(), column) == allowed.end()) {
      const auto guess = nearest(column, allowed);
      throw CsvError(name, line,
                     "unknown column " + in_quotes(column) + " in the header; allowed columns: " + join(allowed) +
                         (guess ? "; did you mean '" + *guess + "'?" : std::string{}));
    }
    if (std::find(table.columns.begin(), table.columns.end(), column) != table.columns.end()) {
      throw CsvError(name, line, "column '" + column + "' appears twice in the header");
    }
    table.columns.push_back(column);
  }
  for (const auto& column : required) {
    if (table.column(column) == table.columns.size()) {
      throw CsvError(name, line, "the header lacks the column '" + column + "' (required: " + join(required) + ")");
    }
  }
}

void check_field_count(const std::vector<std::string_view>& fields, const sim::Table& table, const std::string& name,
                       std::size_t line) {
  if (fields.size() != table.columns.size()) {
    throw CsvError(name, line,
                   "expected " + std::to_string(table.columns.size()) + " fields as in the header, got " +
                       std::to_string(fields.size()));
  }
}

}  // namespace

sim::Table parse_decisions(std::string_view text, const std::string& name) {
  sim::Table table;
  table.source = name;
  bool header_seen = false;
  std::size_t effort_column = 0;
  std::size_t pledge_column = 0;
  const std::size_t lines = for_each_record(text, [&](std::size_t line, const std::vector<std::string_view>& fields) {
    if (!header_seen) {
      header_seen = true;
      read_header(fields, decision_columns, required_decision_columns, name, line, table);
      effort_column = table.column("effort");
      pledge_column = table.column("pledge");
      return;
    }
    check_field_count(fields, table, name, line);
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
  });
  if (!header_seen)
    throw CsvError(name, lines + 1, "expected a header row naming step, agent, effort; got end of file");
  if (table.rows.empty()) throw CsvError(name, lines + 1, "no decisions after the header");
  return table;
}

sim::Table parse_table(std::string_view text, const std::string& name, const std::vector<std::string>& columns,
                       const std::vector<std::string>& required) {
  sim::Table table;
  table.source = name;
  bool header_seen = false;
  const std::size_t lines = for_each_record(text, [&](std::size_t line, const std::vector<std::string_view>& fields) {
    if (!header_seen) {
      header_seen = true;
      read_header(fields, columns, required, name, line, table);
      return;
    }
    check_field_count(fields, table, name, line);
    std::vector<double> row(fields.size());
    for (std::size_t c = 0; c < fields.size(); ++c) row[c] = parse_cell(fields[c], table.columns[c], name, line);
    table.rows.push_back(std::move(row));
    table.lines.push_back(line);
  });
  if (!header_seen)
    throw CsvError(name, lines + 1, "expected a header row naming " + join(required) + "; got end of file");
  if (table.rows.empty()) throw CsvError(name, lines + 1, "no rows after the header");
  return table;
}

namespace {

/// A text parameter whose schema carries `x-table` (`{"columns": [...], "required": [...]}`,
/// written by the model's descriptor) names a CSV table of numbers: every such value in the
/// document is read as one, whatever the model, so that the loader needs no word of it.
void attach_marked_tables(const Document& document, const fs::path& scenario_directory, AttachedFiles& files) {
  const Schema& schema = Schema::scenario();
  const auto attach = [&](const Json& marker, const std::string& at, const std::string& named) {
    const auto names = [&](const char* key) {
      std::vector<std::string> list;
      if (const auto found = marker.find(key); found != marker.end())
        for (const Json& column : *found) list.push_back(column.get<std::string>());
      return list;
    };
    const fs::path location = resolve_path(document, at, named, scenario_directory);
    const std::string text = read_file(document, at, named, location, "table file");
    files.attachments.push_back({at, named, location.string(), text});
    try {
      files.tables.emplace(at, parse_table(text, named, names("columns"), names("required")));
    } catch (const CsvError& error) {
      raise(document, document.locate(at, false), at, error.what());
    }
  };
  // Recursion depth is bounded by the document's nesting limit.
  const auto walk = [&](auto& self, const Json& value, const std::string& pointer,
                        std::span<const Json* const> reached) -> void {
    const auto schemas = schema.applicable(reached, value);
    if (value.is_string()) {
      for (const Json* sub : schemas) {
        const Json& resolved = schema.resolve(*sub);
        if (const auto marker = resolved.find("x-table"); marker != resolved.end()) {
          attach(*marker, pointer, value.get_ref<const std::string&>());
          return;
        }
      }
    } else if (value.is_object()) {
      for (const auto& [key, member] : value.items())
        self(self, member, child_pointer(pointer, key), schema.property(schemas, key));
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i)
        self(self, value[i], child_pointer(pointer, i), schema.items(schemas, i));
    }
  };
  const Json* const start = &schema.root();
  walk(walk, document.root, "", std::span(&start, 1));
}

}  // namespace

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

  attach_marked_tables(document, scenario_directory, files);

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
