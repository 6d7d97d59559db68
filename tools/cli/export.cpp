// SPDX-License-Identifier: Apache-2.0
#include "export.hpp"

#include "commands.hpp"

#include <commons/output/atomic_file.hpp>
#include <commons/output/layout.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <string_view>
#include <vector>

namespace commons::cli {
namespace {

namespace fs = std::filesystem;
namespace layout = output::layout;

/// Values a block of rows may hold at once [doubles]: 32 MB, so that a file of any size is
/// exported in bounded memory.
constexpr std::int64_t block_values = std::int64_t{1} << 22;

const std::array<std::string_view, 3> table_names{"series", "summary", "references"};

/// A CSV field: quoted (quotes doubled) when it holds a separator, a quote or a line break
/// (RFC 4180).
std::string field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

/// What identifies a run, as the first columns of every table: run, the variant of a
/// comparison, the design point, policy and factor values of a sweep, the replicate.
struct RunColumns {
  std::string header;
  /// The cells of each run, joined, without a trailing comma.
  std::vector<std::string> cells;
  std::vector<bool> completed;
  std::int64_t complete = 0;
};

RunColumns run_columns(const output::ResultsFile& file) {
  const std::string runs(layout::runs_group);
  const auto count = static_cast<std::size_t>(file.run_count());
  RunColumns columns;
  columns.completed = file.completed();
  columns.complete = std::count(columns.completed.begin(), columns.completed.end(), true);
  std::vector<std::string> names{"run"};
  // Each column's text per run.
  std::vector<std::vector<std::string>> values;
  std::vector<std::string> run_numbers;
  for (std::size_t run = 0; run < count; ++run) run_numbers.push_back(std::to_string(run));
  values.push_back(std::move(run_numbers));
  const auto add_integers = [&](const std::string& name) {
    std::vector<std::string> text;
    for (const std::int64_t value : file.read_integers(runs, name)) text.push_back(std::to_string(value));
    names.push_back(name);
    values.push_back(std::move(text));
  };
  const auto add_variable = [&](const std::string& column, const std::string& variable) {
    std::vector<std::string> text;
    if (file.variable(runs, variable).numeric) {
      for (const double value : file.read(runs, variable)) text.push_back(shortest(value));
    } else {
      for (const std::string& label : file.read_strings(runs, variable)) text.push_back(field(label));
    }
    names.push_back(field(column));
    values.push_back(std::move(text));
  };
  const bool variants = file.contains(runs, "variant_name");
  if (variants) add_variable("variant", "variant_name");
  if (const std::optional<output::StoredSweep> sweep = file.sweep()) {
    add_integers("design_point");
    if (file.contains(runs, "policy")) add_integers("policy");
    for (std::size_t f = 0; f < sweep->plan.factors.size(); ++f) {
      // A sweep over the variants already has them in the column variant.
      if (variants && sweep->variables[f] == "variant_name") continue;
      add_variable(sweep->plan.factors[f].path, sweep->variables[f]);
    }
  }
  add_integers("replicate");
  for (const std::string& name : names) columns.header += (columns.header.empty() ? "" : ",") + name;
  columns.cells.resize(count);
  for (std::size_t run = 0; run < count; ++run)
    for (std::size_t c = 0; c < values.size(); ++c) columns.cells[run] += (c == 0 ? "" : ",") + values[c][run];
  return columns;
}

/// The numeric variables of `group` over exactly `dimensions`.
std::vector<output::StoredVariable> table_variables(const output::ResultsFile& file, std::string_view group,
                                                    const std::vector<std::string>& dimensions) {
  std::vector<output::StoredVariable> out;
  for (output::StoredVariable& variable : file.variables(group))
    if (variable.numeric && variable.dimensions == dimensions) out.push_back(std::move(variable));
  return out;
}

using Emit = std::function<void(std::string_view)>;

/// Writes one table, reading `group` a block of runs at a time; returns the rows written.
std::int64_t write_table(const output::ResultsFile& file, std::string_view table, const RunColumns& runs,
                         const Emit& emit) {
  const bool series = table == "series";
  const std::vector<std::string> dimensions =
      series ? std::vector<std::string>{"run", "step"} : std::vector<std::string>{"run"};
  const std::vector<output::StoredVariable> variables = table_variables(file, table, dimensions);
  std::vector<std::string> steps;
  if (series)
    for (const std::int64_t step : file.read_integers(table, layout::step_dimension)) steps.push_back(std::to_string(step));
  const std::int64_t width = series ? static_cast<std::int64_t>(steps.size()) : 1;
  std::vector<std::string> names;
  std::vector<std::string> units;
  for (const output::StoredVariable& variable : variables) {
    names.push_back(field(variable.name));
    units.push_back(field(variable.units));
  }
  emit(runs.header + (series ? ",step" : "") + ",variable,value,units\n");
  std::int64_t rows = 0;
  const auto run_count = static_cast<std::int64_t>(runs.cells.size());
  const std::int64_t per_block =
      std::max<std::int64_t>(1, block_values / std::max<std::int64_t>(1, width * static_cast<std::int64_t>(variables.size())));
  std::string text;
  for (std::int64_t first = 0; first < run_count && !variables.empty(); first += per_block) {
    const std::int64_t count = std::min(per_block, run_count - first);
    std::vector<std::vector<double>> block;
    for (const output::StoredVariable& variable : variables) block.push_back(file.read_rows(table, variable.name, first, count));
    for (std::int64_t r = 0; r < count; ++r) {
      const auto run = static_cast<std::size_t>(first + r);
      if (!runs.completed[run]) continue;
      for (std::size_t v = 0; v < variables.size(); ++v) {
        for (std::int64_t s = 0; s < width; ++s) {
          text += runs.cells[run];
          if (series) text += "," + steps[static_cast<std::size_t>(s)];
          text += ",";
          text += names[v];
          text += ",";
          text += shortest(block[v][static_cast<std::size_t>(r * width + s)]);
          text += ",";
          text += units[v];
          text += "\n";
          ++rows;
        }
        if (text.size() >= (std::size_t{1} << 20)) {
          emit(text);
          text.clear();
        }
      }
    }
  }
  emit(text);
  return rows;
}

void to_stdout(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }

}  // namespace

std::string shortest(double value) {
  if (std::isnan(value)) return "";
  std::array<char, 64> text{};
  const auto [end, error] = std::to_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} ? std::string(text.data(), end) : std::string();
}

ExitCode export_command(const ExportOptions& options) {
  return guarded_command([&] {
    if (options.format != "csv") {
      std::cerr << "commons: --format " << options.format << ": the formats are csv\n";
      return ExitCode::usage_error;
    }
    if (options.table && std::find(table_names.begin(), table_names.end(), *options.table) == table_names.end()) {
      std::cerr << "commons: --table " << *options.table << ": the tables are series, summary and references\n";
      return ExitCode::usage_error;
    }
    if (!options.table && (!options.output || *options.output == "-")) {
      std::cerr << "commons: export needs -o DIR for its tables (series.csv, summary.csv, references.csv), or "
                   "--table NAME for one table on stdout\n";
      return ExitCode::usage_error;
    }
    const output::ResultsFile file = output::ResultsFile::open(options.results);
    std::vector<std::string> tables;
    const std::vector<std::string> groups = file.groups();
    for (const std::string_view table : table_names)
      if (options.table ? *options.table == table : std::ranges::find(groups, table) != groups.end())
        tables.emplace_back(table);
    const bool to_standard_output = options.table && (!options.output || *options.output == "-");

    // Every target is checked before anything is written: a refusal leaves nothing behind.
    const std::vector<fs::path> inputs{options.results};
    std::vector<std::unique_ptr<output::AtomicFile>> targets;
    if (!to_standard_output) {
      fs::path directory = options.table ? fs::path() : *options.output;
      if (!options.table && !fs::is_directory(directory)) {
        if (fs::exists(fs::symlink_status(directory)))
          throw output::OutputError(directory, "is not a directory; -o names the directory the tables go to");
        fs::create_directory(directory);
      }
      for (const std::string& table : tables)
        targets.push_back(std::make_unique<output::AtomicFile>(
            options.table ? *options.output : directory / (table + ".csv"), options.force, inputs));
    }
    const RunColumns runs = run_columns(file);
    for (std::size_t t = 0; t < tables.size(); ++t) {
      const Emit emit = to_standard_output ? Emit(to_stdout) : Emit([&, t](std::string_view text) { targets[t]->write(text); });
      const std::int64_t rows = write_table(file, tables[t], runs, emit);
      if (to_standard_output) {
        std::fflush(stdout);
      } else {
        targets[t]->commit();
        if (!options.quiet) std::cerr << "commons: wrote " << targets[t]->path().string() << " (" << rows << " rows)\n";
      }
    }
    if (!options.quiet && runs.complete < static_cast<std::int64_t>(runs.cells.size()))
      std::cerr << "commons: only the " << runs.complete << " complete runs of " << runs.cells.size()
                << " are exported; the others (failed, or not finished in a .partial file) are left out\n";
    return ExitCode::success;
  });
}

}  // namespace commons::cli
