// SPDX-License-Identifier: Apache-2.0
// The report behind `commons inspect FILE`.
#include <commons/output/layout.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace commons::output {
namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

/// Min, mean and max over the non-NaN values, or "-" if there are none (runs not written yet).
std::vector<std::string> statistics(const std::vector<double>& values) {
  double low = INFINITY;
  double high = -INFINITY;
  double sum = 0.0;
  std::size_t count = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    low = std::min(low, v);
    high = std::max(high, v);
    sum += v;
    ++count;
  }
  if (count == 0) return {"-", "-", "-"};
  return {number(low), number(sum / static_cast<double>(count)), number(high)};
}

std::string join_dimensions(const StoredVariable& variable) {
  std::string text = "(";
  for (std::size_t i = 0; i < variable.dimensions.size(); ++i) {
    if (i > 0) text += ", ";
    text += variable.dimensions[i].empty() ? "?" : variable.dimensions[i];
  }
  return text + ")";
}

/// Left-aligned columns two spaces apart; the last column is not padded.
void print_table(std::ostringstream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  for (const auto& row : rows) {
    std::string line = "  ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - row[c].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  }
}

}  // namespace

std::string describe(const std::filesystem::path& path) {
  const ResultsFile file = ResultsFile::open(path);
  std::ostringstream out;
  const auto attribute = [&](const char* name) {
    try {
      return file.attribute(name);
    } catch (const OutputError&) {
      return std::string("(missing)");
    }
  };
  const std::vector<bool> completed = file.completed();
  const auto done = std::count(completed.begin(), completed.end(), true);

  const std::string status = file.status();
  out << "Commons results file " << path.string() << '\n';
  out << "  format           " << attribute("format") << ", layout version " << file.format_version() << '\n';
  out << "  status           " << status;
  if (status == "partial") out << " (interrupted, or still being written)";
  if (status == "failed") out << " (every run was attempted; some failed, listed below)";
  out << '\n';
  out << "  scenario         " << attribute("scenario_name") << '\n';
  out << "  program version  " << attribute("program_version") << '\n';
  out << "  git commit       " << attribute("git_commit") << " (source tree " << attribute("source_tree") << ")\n";
  out << "  command line     " << attribute("command_line") << '\n';
  out << "  created          " << attribute("creation_time") << " on " << attribute("host") << '\n';
  out << "  libraries        " << attribute("libraries") << '\n';
  if (const std::string fingerprint = file.plan_fingerprint(); !fingerprint.empty())
    out << "  plan sha256      " << fingerprint << '\n';
  if (const std::int64_t sessions = file.sessions(); sessions > 1)
    out << "  sessions         " << sessions << " (resumed "
        << (sessions == 2 ? "once" : std::to_string(sessions - 1) + " times") << ")\n";
  out << "  runs completed   " << done << " of " << file.run_count() << '\n';
  const std::vector<std::string> errors = file.errors();
  std::vector<std::vector<std::string>> failed;
  for (std::size_t run = 0; run < errors.size(); ++run)
    if (!errors[run].empty()) failed.push_back({"run " + std::to_string(run), errors[run]});
  if (!failed.empty()) {
    out << "  runs failed      " << failed.size() << '\n';
    std::ostringstream table;
    print_table(table, failed);
    std::istringstream lines(table.str());
    for (std::string line; std::getline(lines, line);) out << "  " << line << '\n';
  }
  out << "  dimensions       run = " << file.run_count() << ", step = " << file.step_count();
  if (file.agent_count() > 0) out << ", agent = " << file.agent_count();
  if (file.site_count() > 0) out << ", site = " << file.site_count();
  out << '\n';
  const std::vector<std::string> variants = file.variant_names();
  if (!variants.empty()) {
    const std::vector<std::int64_t> run_variants = file.run_variants();
    std::vector<std::int64_t> planned(variants.size(), 0);
    std::vector<std::int64_t> finished(variants.size(), 0);
    for (std::size_t run = 0; run < run_variants.size(); ++run) {
      const std::int64_t variant = run_variants[run];
      if (variant < 0 || static_cast<std::size_t>(variant) >= variants.size()) continue;
      ++planned[static_cast<std::size_t>(variant)];
      if (run < completed.size() && completed[run]) ++finished[static_cast<std::size_t>(variant)];
    }
    out << "  variants         " << variants.size() << '\n';
    std::vector<std::vector<std::string>> rows;
    for (std::size_t v = 0; v < variants.size(); ++v)
      rows.push_back({std::to_string(v), variants[v],
                      std::to_string(planned[v]) + (planned[v] == 1 ? " run, " : " runs, ") +
                          std::to_string(finished[v]) + " completed"});
    std::ostringstream table;
    print_table(table, rows);
    // Indented under the header line, like the dimensions above.
    std::istringstream lines(table.str());
    for (std::string line; std::getline(lines, line);) out << "  " << line << '\n';
  }

  if (const std::optional<StoredSweep> sweep = file.sweep()) {
    const sim::SweepInfo& plan = sweep->plan;
    const std::int64_t planned = plan.points * plan.policies * plan.replicates;
    out << "  sweep            " << plan.design << " design: " << plan.points
        << (plan.points == 1 ? " point x " : " points x ") << plan.policies
        << (plan.policies == 1 ? " policy x " : " policies x ") << plan.replicates
        << (plan.replicates == 1 ? " replicate = " : " replicates = ") << planned
        << (planned == 1 ? " run, " : " runs, ") << done << " complete\n";
    if (!plan.factors.empty()) {
      std::vector<std::vector<std::string>> rows{{"factor", "role", "values"}};
      for (const sim::FactorInfo& factor : plan.factors) rows.push_back({factor.path, factor.role, factor.description});
      std::ostringstream table;
      print_table(table, rows);
      std::istringstream lines(table.str());
      for (std::string line; std::getline(lines, line);) out << "  " << line << '\n';
    }
  }

  // Bookkeeping and outcomes first, inputs last, whatever order the file lists its groups in.
  std::vector<std::string> groups = file.groups();
  const std::vector<std::string_view> canonical{
      layout::runs_group,   layout::design_group,  layout::series_group,  layout::summary_group,
      layout::references_group, layout::agents_group, layout::sites_group, layout::network_group,
      layout::inputs_group};
  const auto rank = [&](const std::string& group) {
    return static_cast<std::size_t>(std::find(canonical.begin(), canonical.end(), group) - canonical.begin());
  };
  std::stable_sort(groups.begin(), groups.end(),
                   [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  for (const std::string& group : groups) {
    const std::vector<StoredVariable> variables = file.variables(group);
    out << '\n' << group << "/\n";
    if (group == layout::inputs_group) {
      if (variables.empty()) {
        out << "  (the scenario names no file)\n";
        continue;
      }
      std::vector<std::vector<std::string>> rows{{"file named by", "path", "bytes", "sha256"}};
      for (const StoredVariable& variable : variables) {
        const std::vector<std::string> text = file.read_strings(group, variable.name);
        rows.push_back({file.attribute_of(group, variable.name, "scenario_pointer"),
                        file.attribute_of(group, variable.name, "path"),
                        std::to_string(text.empty() ? 0 : text.front().size()),
                        file.attribute_of(group, variable.name, "sha256")});
      }
      print_table(out, rows);
      continue;
    }
    if (variables.empty()) {
      out << "  (no variables)\n";
      continue;
    }
    // Statistics where values are outcomes; runs/ holds bookkeeping, agents/ may be large.
    const bool with_statistics =
        group == layout::series_group || group == layout::summary_group || group == layout::references_group;
    std::vector<std::vector<std::string>> rows;
    if (with_statistics)
      rows.push_back({"variable", "dims", "units", "min", "mean", "max", "description"});
    else
      rows.push_back({"variable", "dims", "units", "description"});
    for (const StoredVariable& variable : variables) {
      std::vector<std::string> row{variable.name, join_dimensions(variable),
                                   variable.units.empty() ? "-" : variable.units};
      if (with_statistics) {
        const std::vector<std::string> stats =
            variable.numeric ? statistics(file.read(group, variable.name)) : std::vector<std::string>{"-", "-", "-"};
        row.insert(row.end(), stats.begin(), stats.end());
      }
      row.push_back(variable.long_name);
      rows.push_back(std::move(row));
    }
    print_table(out, rows);
  }
  return out.str();
}

}  // namespace commons::output
