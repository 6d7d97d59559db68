// SPDX-License-Identifier: Apache-2.0
#include "analyze.hpp"

#include "commands.hpp"
#include "export.hpp"

#include <commons/cli/build_info.hpp>
#include <commons/cli/source_state.hpp>
#include <commons/output/analysis_file.hpp>
#include <commons/output/layout.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/provenance.hpp>
#include <commons/output/results_file.hpp>
#include <commons/sim/design.hpp>
#include <commons/sim/sensitivity.hpp>

#include <Eigen/Core>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace commons::cli {
namespace {

namespace fs = std::filesystem;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Shown when no --measure is given, those of them the file has: the outcomes docs/analysis.md
/// leads with (stock, rent, its efficiency, equity, compliance).
const std::array<const char*, 5> default_measures{"final_stock", "discounted_rent", "efficiency", "equity",
                                                  "mean_compliance"};

/// A factor's value at each design point (a parameter) or in each policy (a lever).
struct FactorValues {
  std::string path;
  /// The runs/ variable holding it, and the name it gets in analysis/.
  std::string variable;
  bool numeric = true;
  std::vector<double> numbers;
  std::vector<std::string> labels;

  [[nodiscard]] std::string text(std::size_t i) const { return numeric ? shortest(numbers[i]) : labels[i]; }
};

/// A sweep's runs as the estimators need them: where each run belongs, and the design.
struct Sweep {
  output::StoredSweep stored;
  std::int64_t runs = 0;
  std::int64_t points = 0;
  std::int64_t policies = 1;
  std::int64_t replicates = 1;
  /// k, the columns of design/unit.
  std::size_t parameters = 0;
  /// points x k coordinates in the unit hypercube.
  Eigen::MatrixXd unit;
  std::vector<std::int64_t> point;
  std::vector<std::int64_t> policy;
  std::vector<std::int64_t> replicate;
  std::vector<bool> completed;
  std::int64_t complete = 0;
  std::int64_t failed = 0;
  /// Per parameter its value at each design point; per lever its value in each policy.
  std::vector<FactorValues> parameter_values;
  std::vector<FactorValues> lever_values;
  std::vector<std::string> policy_names;
  /// The moves of a Morris design, read back from design/unit.
  std::optional<sim::MorrisDesign> morris;
  /// Per policy, the replicates the estimators use: all of them, or in an unfinished sweep the
  /// ones complete at every point (see estimator_replicates()).
  std::vector<std::vector<Eigen::Index>> estimator_replicates;
};

/// A summary measure: one value per run, NaN for runs not complete.
struct Measure {
  std::string name;
  std::string units;
  std::vector<double> values;
};

/// What is computed for one measure under one policy.
struct Cell {
  sim::ReplicateSummary points;
  /// One row: the distribution of the points' means over the design.
  sim::ReplicateSummary overall;
  /// Complete runs of the policy, and those of them whose value is NaN (undefined, such as
  /// collapse_step of a stock that never collapsed).
  std::int64_t complete_runs = 0;
  std::int64_t undefined_runs = 0;
  std::optional<sim::SobolIndices> sobol;
  std::optional<sim::MorrisEffects> morris;
};

[[noreturn]] void malformed(const fs::path& path, const std::string& message) {
  throw output::OutputError(path, message);
}

std::string fixed(double value, int decimals) {
  if (!std::isfinite(value)) return "-";
  std::array<char, 64> text{};
  std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
  // No "-0.000": a reader takes the sign as information.
  std::string shown = text.data();
  if (shown.find_first_not_of("-0.") == std::string::npos && shown.front() == '-') shown.erase(0, 1);
  return shown;
}

std::string general(double value) {
  if (!std::isfinite(value)) return "-";
  std::array<char, 64> text{};
  std::snprintf(text.data(), text.size(), "%.4g", value);
  return text.data();
}

std::string interval(double low, double high, std::string (*format)(double)) {
  if (!std::isfinite(low) || !std::isfinite(high)) return "-";
  return "[" + format(low) + ", " + format(high) + "]";
}

std::string index_text(double value) { return fixed(value, 3); }

std::string percent(double confidence) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%g %%", 100.0 * confidence);
  return text.data();
}

/// Columns two spaces apart: the first left-aligned (names), the others right-aligned (numbers).
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows, std::string_view indent) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  for (const auto& row : rows) {
    std::string line(indent);
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string padding(widths[c] - row[c].size(), ' ');
      line += c == 0 ? row[c] + padding : "  " + padding + row[c];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

FactorValues read_factor(const output::ResultsFile& file, const std::string& path, const std::string& variable) {
  FactorValues values{path, variable, file.variable(output::layout::runs_group, variable).numeric, {}, {}};
  if (values.numeric) {
    values.numbers = file.read(output::layout::runs_group, variable);
  } else {
    values.labels = file.read_strings(output::layout::runs_group, variable);
  }
  return values;
}

/// Keeps the value of the first run of each `slot` (design point or policy): factors' values
/// are the same in every run of a slot.
FactorValues by_slot(const FactorValues& by_run, const std::vector<std::int64_t>& slot_of_run, std::int64_t slots) {
  FactorValues out{by_run.path, by_run.variable, by_run.numeric, {}, {}};
  std::vector<bool> seen(static_cast<std::size_t>(slots), false);
  out.numbers.assign(by_run.numeric ? seen.size() : 0, nan);
  out.labels.assign(by_run.numeric ? 0 : seen.size(), "");
  for (std::size_t run = 0; run < slot_of_run.size(); ++run) {
    const auto slot = static_cast<std::size_t>(slot_of_run[run]);
    if (seen[slot]) continue;
    seen[slot] = true;
    if (by_run.numeric) {
      out.numbers[slot] = by_run.numbers[run];
    } else {
      out.labels[slot] = by_run.labels[run];
    }
  }
  return out;
}

/// The moves of a Morris design: not stored, but consecutive points of a trajectory differ in
/// exactly one coordinate, by +-delta, and every factor moves once (sim::morris).
sim::MorrisDesign morris_design(const Sweep& sweep, std::int64_t grid_levels, const fs::path& path) {
  sim::MorrisDesign design;
  design.factors = sweep.parameters;
  design.levels = static_cast<std::size_t>(grid_levels);
  const std::size_t k = design.factors;
  if (grid_levels < 2 || k == 0 || sweep.points % static_cast<std::int64_t>(k + 1) != 0)
    malformed(path, "design/ says morris, but its " + std::to_string(sweep.points) + " points, " + std::to_string(k) +
                        " parameters and " + std::to_string(grid_levels) + " grid levels are not a Morris design");
  design.trajectories = static_cast<std::size_t>(sweep.points) / (k + 1);
  design.delta = static_cast<double>(grid_levels) / (2.0 * static_cast<double>(grid_levels - 1));
  design.points = sweep.unit;
  // Grid coordinates are i / (p - 1) and moves +-delta, each one rounding: far above this.
  constexpr double tolerance = 1e-9;
  for (std::size_t t = 0; t < design.trajectories; ++t) {
    std::vector<bool> moved(k, false);
    for (std::size_t s = 0; s < k; ++s) {
      const auto from = static_cast<Eigen::Index>(design.row(t, s));
      std::vector<std::size_t> changed;
      for (std::size_t i = 0; i < k; ++i) {
        const double change = sweep.unit(from + 1, static_cast<Eigen::Index>(i)) - sweep.unit(from, static_cast<Eigen::Index>(i));
        if (!(std::abs(change) <= tolerance)) changed.push_back(i);
      }
      const std::string where = "design/unit: points " + std::to_string(from) + " and " + std::to_string(from + 1) +
                                " (trajectory " + std::to_string(t) + ")";
      if (changed.size() != 1)
        malformed(path, where + " differ in " + std::to_string(changed.size()) +
                            " coordinates; consecutive points of a Morris trajectory differ in one");
      const std::size_t factor = changed.front();
      const double change = sweep.unit(from + 1, static_cast<Eigen::Index>(factor)) -
                            sweep.unit(from, static_cast<Eigen::Index>(factor));
      if (std::abs(std::abs(change) - design.delta) > tolerance || moved[factor])
        malformed(path, where + " move " + sweep.stored.plan.factors[factor].path + " by " + shortest(change) +
                            (moved[factor] ? " a second time" : "") + "; a Morris trajectory moves each factor once by +-" +
                            shortest(design.delta));
      moved[factor] = true;
      design.steps.push_back({factor, change > 0 ? 1 : -1});
    }
  }
  return design;
}

/// Checks that design/unit is laid out as sim::SaltelliLayout: AB_i is A with column i of B.
void check_saltelli(const Sweep& sweep, const fs::path& path) {
  const std::size_t k = sweep.parameters;
  if (k == 0 || sweep.points % static_cast<std::int64_t>(k + 2) != 0)
    malformed(path, "design/ says saltelli, but its " + std::to_string(sweep.points) + " points are not groups of " +
                        std::to_string(k) + " + 2");
  const sim::SaltelliLayout layout{static_cast<std::size_t>(sweep.points) / (k + 2), k};
  for (std::size_t j = 0; j < layout.base_samples; ++j)
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t c = 0; c < k; ++c) {
        const auto source = static_cast<Eigen::Index>(c == i ? layout.row_b(j) : layout.row_a(j));
        const auto row = static_cast<Eigen::Index>(layout.row_ab(j, i));
        if (sweep.unit(row, static_cast<Eigen::Index>(c)) != sweep.unit(source, static_cast<Eigen::Index>(c)))
          malformed(path, "design/unit: point " + std::to_string(row) + " is not A with column " + std::to_string(i) +
                              " of B of base sample " + std::to_string(j) + "; not a Saltelli design");
      }
}

Sweep read_sweep(const output::ResultsFile& file) {
  const fs::path& path = file.path();
  std::optional<output::StoredSweep> stored = file.sweep();
  if (!stored)
    malformed(path, "holds no sweep (no design/ group); commons analyze reads what commons sweep writes, and "
                    "commons inspect describes this file");
  Sweep sweep;
  sweep.stored = std::move(*stored);
  const sim::SweepInfo& plan = sweep.stored.plan;
  sweep.runs = file.run_count();
  sweep.points = plan.points;
  sweep.policies = std::max<std::int64_t>(plan.policies, 1);
  sweep.replicates = plan.replicates;
  const std::string runs(output::layout::runs_group);
  sweep.point = file.read_integers(runs, "design_point");
  sweep.policy = file.contains(runs, "policy") ? file.read_integers(runs, "policy")
                                               : std::vector<std::int64_t>(static_cast<std::size_t>(sweep.runs), 0);
  sweep.replicate = file.read_integers(runs, "replicate");
  sweep.completed = file.completed();
  const std::vector<std::string> errors = file.errors();
  for (std::size_t run = 0; run < static_cast<std::size_t>(sweep.runs); ++run) {
    // Runs are found by these variables, never by their order.
    if (sweep.point[run] < 0 || sweep.point[run] >= sweep.points || sweep.policy[run] < 0 ||
        sweep.policy[run] >= sweep.policies || sweep.replicate[run] < 0 || sweep.replicate[run] >= sweep.replicates)
      malformed(path, "run " + std::to_string(run) + " has design point " + std::to_string(sweep.point[run]) +
                          ", policy " + std::to_string(sweep.policy[run]) + ", replicate " +
                          std::to_string(sweep.replicate[run]) + ", outside the " + std::to_string(sweep.points) +
                          " x " + std::to_string(sweep.policies) + " x " + std::to_string(sweep.replicates) +
                          " that design/ says");
    sweep.complete += sweep.completed[run] ? 1 : 0;
    sweep.failed += !errors[run].empty() ? 1 : 0;
  }

  for (std::size_t f = 0; f < plan.factors.size(); ++f) {
    const FactorValues by_run = read_factor(file, plan.factors[f].path, sweep.stored.variables[f]);
    if (plan.factors[f].role == "lever") {
      sweep.lever_values.push_back(by_slot(by_run, sweep.policy, sweep.policies));
    } else {
      sweep.parameter_values.push_back(by_slot(by_run, sweep.point, sweep.points));
    }
  }
  sweep.parameters = sweep.parameter_values.size();
  const std::vector<double> unit = file.contains(output::layout::design_group, "unit")
                                       ? file.read(output::layout::design_group, "unit")
                                       : std::vector<double>{};
  if (unit.size() != static_cast<std::size_t>(sweep.points) * sweep.parameters)
    malformed(path, "design/unit does not hold " + std::to_string(sweep.points) + " x " +
                        std::to_string(sweep.parameters) + " coordinates");
  sweep.unit.resize(sweep.points, static_cast<Eigen::Index>(sweep.parameters));
  for (Eigen::Index p = 0; p < sweep.unit.rows(); ++p)
    for (Eigen::Index c = 0; c < sweep.unit.cols(); ++c)
      sweep.unit(p, c) = unit[static_cast<std::size_t>(p) * sweep.parameters + static_cast<std::size_t>(c)];

  for (std::int64_t p = 0; p < sweep.policies; ++p) {
    std::string name;
    for (const FactorValues& lever : sweep.lever_values)
      name += (name.empty() ? "" : ", ") + lever.path + "=" + lever.text(static_cast<std::size_t>(p));
    sweep.policy_names.push_back(name);
  }
  if (plan.design == "saltelli") check_saltelli(sweep, path);
  if (plan.design == "morris") sweep.morris = morris_design(sweep, plan.grid_levels, path);
  return sweep;
}

std::vector<Measure> read_measures(const output::ResultsFile& file, const Sweep& sweep) {
  std::vector<Measure> measures;
  for (const output::StoredVariable& variable : file.variables(output::layout::summary_group)) {
    if (!variable.numeric || variable.dimensions != std::vector<std::string>{"run"}) continue;
    Measure measure{variable.name, variable.units, file.read(output::layout::summary_group, variable.name)};
    // Rows of runs not flagged complete may hold what an interrupted session left.
    for (std::size_t run = 0; run < measure.values.size(); ++run)
      if (!sweep.completed[run]) measure.values[run] = nan;
    measures.push_back(std::move(measure));
  }
  return measures;
}

/// The replicates Sobol and Morris estimates use under `policy`. A group with a missing run is
/// dropped whole, and an unfinished sweep runs replicate after replicate, so that its last
/// replicate would drop every group: it uses the replicates complete at every point instead,
/// when there are any. A finished file uses them all (a failed run drops its group only).
std::vector<Eigen::Index> estimator_replicates(const Sweep& sweep, std::int64_t policy, bool unfinished) {
  std::vector<bool> complete(static_cast<std::size_t>(sweep.replicates), true);
  for (std::size_t run = 0; run < sweep.completed.size(); ++run)
    if (sweep.policy[run] == policy && !sweep.completed[run]) complete[static_cast<std::size_t>(sweep.replicate[run])] = false;
  std::vector<Eigen::Index> all;
  std::vector<Eigen::Index> chosen;
  for (std::size_t r = 0; r < complete.size(); ++r) {
    all.push_back(static_cast<Eigen::Index>(r));
    if (complete[r]) chosen.push_back(static_cast<Eigen::Index>(r));
  }
  return unfinished && !chosen.empty() ? chosen : all;
}

Cell analyse(const Sweep& sweep, const Measure& measure, std::int64_t policy, const AnalyzeOptions& options) {
  Cell cell;
  Eigen::MatrixXd outputs = Eigen::MatrixXd::Constant(sweep.points, sweep.replicates, nan);
  for (std::size_t run = 0; run < measure.values.size(); ++run) {
    if (sweep.policy[run] != policy || !sweep.completed[run]) continue;
    ++cell.complete_runs;
    if (std::isnan(measure.values[run])) ++cell.undefined_runs;
    outputs(sweep.point[run], sweep.replicate[run]) = measure.values[run];
  }
  cell.points = sim::summarize_replicates(outputs, options.confidence);
  cell.overall = sim::summarize_replicates(cell.points.mean.transpose(), options.confidence);
  const std::vector<Eigen::Index>& columns = sweep.estimator_replicates[static_cast<std::size_t>(policy)];
  if (static_cast<std::int64_t>(columns.size()) < sweep.replicates) outputs = Eigen::MatrixXd(outputs(Eigen::all, columns));
  if (sweep.stored.plan.design == "saltelli") {
    // Centred: f(B) (f(AB_i) - f(A)) has the same expectation for f - c, but its variance grows
    // with the square of the mean, which swamps a measure such as equity (0.99 +- 0.003).
    double sum = 0.0;
    double finite = 0.0;
    for (const double value : outputs.reshaped())
      if (std::isfinite(value)) {
        sum += value;
        finite += 1.0;
      }
    if (finite > 0.0) outputs.array() -= sum / finite;
    sim::SobolOptions sobol;
    sobol.resamples = options.resamples;
    sobol.replicate_resamples = options.replicate_resamples;
    sobol.confidence = options.confidence;
    sobol.seed = options.seed;
    cell.sobol = sim::sobol_indices(sweep.parameters, outputs, sobol);
  } else if (sweep.morris) {
    sim::MorrisOptions morris;
    morris.replicate_resamples = options.replicate_resamples;
    morris.seed = options.seed;
    cell.morris = sim::morris_effects(*sweep.morris, outputs, morris);
  }
  return cell;
}

// --- The report ----------------------------------------------------------------------------------

struct Report {
  const fs::path& path;
  const Sweep& sweep;
  const std::vector<Measure>& measures;
  /// cells[policy * measures + measure]
  const std::vector<Cell>& cells;
  const std::vector<std::size_t>& shown;
  const AnalyzeOptions& options;

  [[nodiscard]] const Cell& cell(std::int64_t policy, std::size_t measure) const {
    return cells[static_cast<std::size_t>(policy) * measures.size() + measure];
  }
};

std::string measure_title(const Measure& measure) {
  return measure.units.empty() || measure.units == "1" ? measure.name : measure.name + " [" + measure.units + "]";
}

/// The line above a measure's indices: its spread over the design and what was used.
std::string measure_line(const Measure& measure, const Cell& cell, const std::string& used) {
  std::ostringstream line;
  line << "  " << measure_title(measure) << ": ";
  if (cell.overall.count[0] == 0) {
    line << "no design point has a value";
  } else {
    line << "mean " << general(cell.overall.mean(0)) << ", SD " << general(cell.overall.sd(0)) << " over "
         << cell.overall.count[0] << " points";
  }
  if (!used.empty()) line << "; " << used;
  if (cell.undefined_runs > 0)
    line << "; undefined (NaN) in " << cell.undefined_runs << " of " << cell.complete_runs << " complete runs";
  return line.str();
}

/// Replicate noise in the means, and the groups (Saltelli's base samples, Morris's
/// trajectories) used and dropped.
struct Usage {
  std::size_t used = 0;
  std::size_t dropped = 0;
  double noise_share = nan;
};

Usage usage_of(const Cell& cell) {
  return cell.sobol ? Usage{cell.sobol->groups_used, cell.sobol->groups_dropped, cell.sobol->noise_share}
                    : Usage{cell.morris->trajectories_used, cell.morris->trajectories_dropped, cell.morris->noise_share};
}

/// The line above a measure's table, and why there is no table (then false): no group with
/// a value at each of its points, or (`varies` false) no variance to apportion.
bool print_heading(std::ostream& out, const Measure& measure, const Cell& cell, const Usage& usage, bool varies,
                   const char* groups, const char* estimates) {
  std::string used = std::to_string(usage.used) + " of " + std::to_string(usage.used + usage.dropped) + " " + groups;
  if (std::isfinite(usage.noise_share)) used += ", noise share " + fixed(usage.noise_share, 3);
  out << measure_line(measure, cell, used) << "\n";
  if (usage.used == 0) {
    out << "    no " << estimates << ": none of the " << groups << " has a value at each of its points\n";
    return false;
  }
  if (!varies) {
    out << "    no " << estimates << ": the measure does not vary over the " << groups << " used\n";
    return false;
  }
  if (usage.noise_share > 0.5)
    out << "    (the means are mostly replicate noise: the " << estimates
        << " say little; more replicates would help)\n";
  return true;
}

void print_sobol(std::ostream& out, const Report& report, const Measure& measure, const Cell& cell) {
  const sim::SobolIndices& sobol = *cell.sobol;
  if (!print_heading(out, measure, cell, {sobol.groups_used, sobol.groups_dropped, sobol.noise_share},
                     sobol.variance > 0.0, "base samples", "indices"))
    return;
  const std::string level = percent(report.options.confidence);
  std::vector<std::vector<std::string>> rows{
      {"factor", "first S_i", level + " interval", "noise", "total S_Ti", level + " interval", "noise"}};
  for (std::size_t i = 0; i < report.sweep.parameters; ++i) {
    const sim::IndexEstimate& first = sobol.first[i];
    const sim::IndexEstimate& total = sobol.total[i];
    rows.push_back({report.sweep.parameter_values[i].path, index_text(first.value),
                    interval(first.low, first.high, index_text), index_text(first.replicate_sd),
                    index_text(total.value), interval(total.low, total.high, index_text),
                    index_text(total.replicate_sd)});
  }
  print_table(out, rows, "    ");
}

void print_morris(std::ostream& out, const Report& report, const Measure& measure, const Cell& cell) {
  const sim::MorrisEffects& morris = *cell.morris;
  if (!print_heading(out, measure, cell, {morris.trajectories_used, morris.trajectories_dropped, morris.noise_share},
                     true, "trajectories", "effects"))
    return;
  std::vector<std::vector<std::string>> rows{{"factor", "mu*", "noise", "mu", "noise", "sigma", "noise"}};
  for (std::size_t i = 0; i < report.sweep.parameters; ++i) {
    const sim::MorrisEffect& effect = morris.factors[i];
    rows.push_back({report.sweep.parameter_values[i].path, general(effect.mu_star), general(effect.mu_star_replicate_sd),
                    general(effect.mu), general(effect.mu_replicate_sd), general(effect.sigma),
                    general(effect.sigma_replicate_sd)});
  }
  print_table(out, rows, "    ");
}

/// Designs without indices: each measure's spread over the design, and for a small design
/// every point.
void print_points(std::ostream& out, const Report& report, std::int64_t policy) {
  const std::string level = percent(report.options.confidence);
  std::vector<std::vector<std::string>> rows{{"measure", "units", "points", "mean", "SD", level + " interval"}};
  for (const std::size_t m : report.shown) {
    const Cell& cell = report.cell(policy, m);
    rows.push_back({report.measures[m].name, report.measures[m].units, std::to_string(cell.overall.count[0]),
                    general(cell.overall.mean(0)), general(cell.overall.sd(0)),
                    interval(cell.overall.low(0), cell.overall.high(0), general)});
  }
  out << "  over the design points (each point the mean of its replicates):\n";
  print_table(out, rows, "    ");
  constexpr std::int64_t listed_points = 16;
  if (report.sweep.points > listed_points) return;
  for (const std::size_t m : report.shown) {
    const Cell& cell = report.cell(policy, m);
    out << "  " << measure_title(report.measures[m]) << " at each design point:\n";
    std::vector<std::string> header{"point"};
    for (const FactorValues& factor : report.sweep.parameter_values) header.push_back(factor.path);
    for (const char* title : {"n", "mean", "SD"}) header.emplace_back(title);
    header.push_back(level + " interval");
    std::vector<std::vector<std::string>> table{header};
    for (std::int64_t p = 0; p < report.sweep.points; ++p) {
      std::vector<std::string> row{std::to_string(p)};
      for (const FactorValues& factor : report.sweep.parameter_values) row.push_back(factor.text(static_cast<std::size_t>(p)));
      row.push_back(std::to_string(cell.points.count[static_cast<std::size_t>(p)]));
      row.push_back(general(cell.points.mean(p)));
      row.push_back(general(cell.points.sd(p)));
      row.push_back(interval(cell.points.low(p), cell.points.high(p), general));
      table.push_back(std::move(row));
    }
    print_table(out, table, "    ");
  }
}

std::string status_text(const std::string& status, bool read_only, const Sweep& sweep) {
  const std::string counts = std::to_string(sweep.complete) + " of " + std::to_string(sweep.runs) + " runs complete";
  if (status == "complete" && !read_only) return "complete (" + counts + ")";
  if (status == "failed")
    return "failed (" + counts + ", " + std::to_string(sweep.failed) +
           " failed: runs/error says why; groups with a failed run are dropped)";
  return "partial: an unfinished sweep (" + counts + "); groups with a missing run are dropped";
}

void print_report(std::ostream& out, const Report& report, const std::string& status, bool read_only) {
  const Sweep& sweep = report.sweep;
  const sim::SweepInfo& plan = sweep.stored.plan;
  const AnalyzeOptions& options = report.options;
  out << "Results     " << report.path.string() << "\n";
  out << "Status      " << status_text(status, read_only, sweep) << "\n";
  out << "Design      " << plan.design << ": ";
  if (plan.design == "saltelli")
    out << plan.samples << " base samples x (" << sweep.parameters << " parameters + 2) = ";
  if (plan.design == "morris") out << plan.samples << " trajectories x (" << sweep.parameters << " parameters + 1) = ";
  out << sweep.points << " points x " << sweep.policies << (sweep.policies == 1 ? " policy" : " policies") << " x "
      << sweep.replicates << (sweep.replicates == 1 ? " replicate" : " replicates") << " = " << sweep.runs << " runs\n";
  const std::string level = percent(options.confidence);
  if (plan.design == "saltelli") {
    out << "Estimators  first-order S_i (Saltelli et al. 2010) and total S_Ti (Jansen 1999) of the replicate means;\n"
        << "            " << level << " percentile intervals from " << options.resamples
        << " bootstrap resamples of the base samples;\n";
  } else if (plan.design == "morris") {
    out << "Estimators  Morris (1991) elementary effects, delta " << general(sweep.morris->delta)
        << " on the unit scale: mu* the mean absolute effect\n"
        << "            (Campolongo et al. 2007), mu the mean effect, sigma their SD; in the measure's units per "
           "unit\n"
        << "            of the factor's unit coordinate (0 to 1 spans its range);\n";
  } else {
    out << "Statistics  per design point: mean, SD and " << level
        << " interval (Student's t) over its replicates; no sensitivity indices for a " << plan.design
        << " design\n";
  }
  if (plan.design == "saltelli" || sweep.morris)
    out << "            noise: SD over " << options.replicate_resamples
        << " resamples of the replicates, the part of the error that more replicates reduce (seed " << options.seed
        << ")\n";
  std::string shown;
  for (const std::size_t m : report.shown) shown += (shown.empty() ? "" : ", ") + report.measures[m].name;
  out << "Measures    " << (shown.empty() ? "(none)" : shown);
  if (report.shown.size() < report.measures.size())
    out << " (" << report.shown.size() << " of " << report.measures.size()
        << "; --measure NAME for another, --all for every one; all are in analysis/)";
  out << "\n";

  for (std::int64_t p = 0; p < sweep.policies; ++p) {
    out << "\nPolicy " << p;
    const std::string& name = sweep.policy_names[static_cast<std::size_t>(p)];
    out << (name.empty() ? " (the sweep has no levers)" : ": " + name);
    out << "\n";
    const std::vector<Eigen::Index>& used = sweep.estimator_replicates[static_cast<std::size_t>(p)];
    if ((plan.design == "saltelli" || sweep.morris) && static_cast<std::int64_t>(used.size()) < sweep.replicates) {
      std::string list;
      for (const Eigen::Index r : used) list += (list.empty() ? "" : ", ") + std::to_string(r);
      out << "  (the " << (plan.design == "saltelli" ? "indices" : "effects") << " use replicate"
          << (used.size() == 1 ? " " : "s ") << list << " of " << sweep.replicates
          << ", complete at every point of this unfinished sweep)\n";
    }
    if (plan.design == "saltelli" || sweep.morris) {
      for (const std::size_t m : report.shown) {
        const Cell& cell = report.cell(p, m);
        if (cell.sobol) print_sobol(out, report, report.measures[m], cell);
        if (cell.morris) print_morris(out, report, report.measures[m], cell);
      }
    } else {
      print_points(out, report, p);
    }
  }
}

// --- analysis/ ----------------------------------------------------------------------------------

output::DataVariable numbers(std::string name, std::vector<std::string> dimensions, std::vector<double> values,
                             std::string units, std::string long_name) {
  return {std::move(name), std::move(dimensions), std::move(values), std::move(units), std::move(long_name)};
}

output::DataVariable integers(std::string name, std::vector<std::string> dimensions,
                              std::vector<std::int64_t> values, std::string long_name) {
  return {std::move(name), std::move(dimensions), std::move(values), "", std::move(long_name)};
}

output::DataVariable texts(std::string name, std::vector<std::string> dimensions, std::vector<std::string> values,
                           std::string long_name) {
  return {std::move(name), std::move(dimensions), std::move(values), "", std::move(long_name)};
}

output::DataVariable factor_variable(const FactorValues& factor, const std::string& dimension,
                                     const std::string& role) {
  const std::string long_name = role + " " + factor.path;
  if (factor.numeric) return numbers(factor.variable, {dimension}, factor.numbers, "", long_name);
  return texts(factor.variable, {dimension}, factor.labels, long_name);
}

std::vector<std::int64_t> sequence(std::int64_t count) {
  std::vector<std::int64_t> values(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) values[static_cast<std::size_t>(i)] = i;
  return values;
}

/// A [policy, measure] or [policy, measure, factor] array of one field of every cell.
template <typename Field>
std::vector<double> gather(const Report& report, std::size_t per_cell, Field field) {
  std::vector<double> values;
  values.reserve(report.cells.size() * per_cell);
  for (const Cell& cell : report.cells)
    for (std::size_t i = 0; i < per_cell; ++i) values.push_back(field(cell, i));
  return values;
}

template <typename Field>
std::vector<std::int64_t> gather_counts(const Report& report, Field field) {
  std::vector<std::int64_t> values;
  for (const Cell& cell : report.cells) values.push_back(static_cast<std::int64_t>(field(cell)));
  return values;
}

/// usage_of() every cell: [policy, measure].
void add_usage(output::DataGroup& group, const Report& report, const std::string& prefix, const std::string& groups) {
  const std::vector<std::string> cells{"policy", "measure"};
  group.variables.push_back(numbers("noise_share", cells,
                                    gather(report, 1, [](const Cell& c, std::size_t) { return usage_of(c).noise_share; }),
                                    "1", "mean within-point variance / replicates over the variance of the means"));
  group.variables.push_back(integers(prefix + "_used", cells,
                                     gather_counts(report, [](const Cell& c) { return usage_of(c).used; }),
                                     groups + " with a value at each of their points"));
  group.variables.push_back(integers(prefix + "_dropped", cells,
                                     gather_counts(report, [](const Cell& c) { return usage_of(c).dropped; }),
                                     groups + " dropped for a missing, failed or undefined value"));
}

void add_sobol(output::DataGroup& group, const Report& report) {
  const std::vector<std::string> dims{"policy", "measure", "factor"};
  const std::size_t k = report.sweep.parameters;
  for (const bool total : {false, true}) {
    const std::string order = total ? "total_order" : "first_order";
    const std::string what = total ? "total Sobol index S_Ti (Jansen 1999)" : "first-order Sobol index S_i (Saltelli et al. 2010)";
    const auto field = [&](double sim::IndexEstimate::*member) {
      return gather(report, k, [&, member](const Cell& cell, std::size_t i) {
        return (total ? cell.sobol->total[i] : cell.sobol->first[i]).*member;
      });
    };
    group.variables.push_back(numbers(order, dims, field(&sim::IndexEstimate::value), "1", what));
    group.variables.push_back(numbers(order + "_low", dims, field(&sim::IndexEstimate::low), "1",
                                      "lower end of the percentile bootstrap interval of the " + what));
    group.variables.push_back(numbers(order + "_high", dims, field(&sim::IndexEstimate::high), "1",
                                      "upper end of the percentile bootstrap interval of the " + what));
    group.variables.push_back(numbers(order + "_bootstrap_sd", dims, field(&sim::IndexEstimate::bootstrap_sd), "1",
                                      "SD over bootstrap resamples of the base samples of the " + what));
    group.variables.push_back(numbers(order + "_replicate_sd", dims, field(&sim::IndexEstimate::replicate_sd), "1",
                                      "SD over resamples of the replicates (replicate noise) of the " + what));
  }
  group.variables.push_back(numbers("variance", {"policy", "measure"}, gather(report, 1, [](const Cell& c, std::size_t) {
                                      return c.sobol->variance;
                                    }),
                                    "", "variance of the replicate means of the A and B points (measure_units squared)"));
  add_usage(group, report, "groups", "base samples");
}

void add_morris(output::DataGroup& group, const Report& report) {
  const std::vector<std::string> dims{"policy", "measure", "factor"};
  const std::size_t k = report.sweep.parameters;
  const auto field = [&](double sim::MorrisEffect::*member) {
    return gather(report, k, [&, member](const Cell& cell, std::size_t i) { return cell.morris->factors[i].*member; });
  };
  const std::string per_unit = " (measure_units per unit of the factor's unit coordinate)";
  const std::string noise = " over resamples of the replicates (replicate noise)";
  const std::array<std::tuple<const char*, double sim::MorrisEffect::*, std::string>, 6> fields{{
      {"mu", &sim::MorrisEffect::mu, "mean elementary effect, Morris (1991)" + per_unit},
      {"mu_star", &sim::MorrisEffect::mu_star, "mean absolute elementary effect, Campolongo et al. (2007)" + per_unit},
      {"sigma", &sim::MorrisEffect::sigma, "SD of the elementary effects" + per_unit},
      {"mu_replicate_sd", &sim::MorrisEffect::mu_replicate_sd, "SD of mu" + noise},
      {"mu_star_replicate_sd", &sim::MorrisEffect::mu_star_replicate_sd, "SD of mu_star" + noise},
      {"sigma_replicate_sd", &sim::MorrisEffect::sigma_replicate_sd, "SD of sigma" + noise},
  }};
  for (const auto& [name, member, description] : fields)
    group.variables.push_back(numbers(name, dims, field(member), "", description));
  add_usage(group, report, "trajectories", "trajectories");
}

/// analysis/ (statistics over the design and the indices, by policy and measure) and
/// analysis/points (each design point); docs/results-format.md#analysis.
std::vector<output::DataGroup> analysis_groups(const Report& report, const std::string& status) {
  const Sweep& sweep = report.sweep;
  const AnalyzeOptions& options = report.options;
  const sim::SweepInfo& plan = sweep.stored.plan;
  output::DataGroup main;
  main.path = std::string(output::layout::analysis_group);
  main.attributes = {
      {"design", plan.design},
      {"analysed_status", status},
      {"runs", sweep.runs},
      {"runs_complete", sweep.complete},
      {"points", sweep.points},
      {"policies", sweep.policies},
      {"replicates", sweep.replicates},
      {"resamples", static_cast<std::int64_t>(options.resamples)},
      {"replicate_resamples", static_cast<std::int64_t>(options.replicate_resamples)},
      {"confidence", options.confidence},
      {"seed", static_cast<std::int64_t>(options.seed)},
      {"program_version", std::string(program_version)},
      {"git_commit", std::string(git_commit)},
      {"command_line", options.command_line},
      {"creation_time", output::utc_timestamp()},
  };
  if (plan.design == "saltelli") {
    main.attributes.push_back({"first_order_estimator", std::string("Saltelli et al. (2010)")});
    main.attributes.push_back({"total_order_estimator", std::string("Jansen (1999)")});
  }
  if (sweep.morris) {
    main.attributes.push_back({"grid_levels", plan.grid_levels});
    main.attributes.push_back({"delta", sweep.morris->delta});
  }
  std::vector<std::string> names;
  std::vector<std::string> units;
  for (const Measure& measure : report.measures) {
    names.push_back(measure.name);
    units.push_back(measure.units);
  }
  main.coordinates.push_back(integers("policy", {"policy"}, sequence(sweep.policies), "policy of the sweep"));
  main.coordinates.push_back(texts("measure", {"measure"}, names, "summary measure (summary/)"));
  const bool indices = plan.design == "saltelli" || sweep.morris.has_value();
  if (indices) {
    std::vector<std::string> paths;
    for (const FactorValues& factor : sweep.parameter_values) paths.push_back(factor.path);
    main.coordinates.push_back(texts("factor", {"factor"}, paths, "path of the parameter in the scenario"));
  }
  main.variables.push_back(texts("policy_name", {"policy"}, sweep.policy_names, "the levers' levels of the policy"));
  for (const FactorValues& lever : sweep.lever_values) main.variables.push_back(factor_variable(lever, "policy", "lever"));
  main.variables.push_back(texts("measure_units", {"measure"}, units, "units of the measure"));
  const std::vector<std::string> cells{"policy", "measure"};
  const auto overall = [&](Eigen::VectorXd sim::ReplicateSummary::*member) {
    return gather(report, 1, [member](const Cell& cell, std::size_t) { return (cell.overall.*member)(0); });
  };
  const std::array<std::tuple<const char*, Eigen::VectorXd sim::ReplicateSummary::*, const char*>, 4> over_design{{
      {"mean", &sim::ReplicateSummary::mean, "mean over the design points of their replicate means (measure_units)"},
      {"sd", &sim::ReplicateSummary::sd, "SD over the design points of their replicate means (measure_units)"},
      {"low", &sim::ReplicateSummary::low, "lower end of the Student's t interval of mean (measure_units)"},
      {"high", &sim::ReplicateSummary::high, "upper end of the Student's t interval of mean (measure_units)"},
  }};
  for (const auto& [name, member, description] : over_design)
    main.variables.push_back(numbers(name, cells, overall(member), "", description));
  main.variables.push_back(integers("count", cells, gather_counts(report, [](const Cell& c) { return c.overall.count[0]; }),
                                    "design points with a value"));
  main.variables.push_back(integers("undefined_runs", cells,
                                    gather_counts(report, [](const Cell& c) { return c.undefined_runs; }),
                                    "complete runs whose value is NaN (undefined)"));
  if (plan.design == "saltelli") add_sobol(main, report);
  if (sweep.morris) add_morris(main, report);

  output::DataGroup points;
  points.path = main.path + "/points";
  points.coordinates.push_back(integers("policy", {"policy"}, sequence(sweep.policies), "policy of the sweep"));
  points.coordinates.push_back(integers("design_point", {"design_point"}, sequence(sweep.points),
                                        "design point (design/design_point)"));
  for (const FactorValues& parameter : sweep.parameter_values)
    points.variables.push_back(factor_variable(parameter, "design_point", "parameter"));
  const std::vector<std::string> dims{"policy", "design_point"};
  const std::array<std::tuple<const char*, Eigen::VectorXd sim::ReplicateSummary::*, const char*>, 4> statistics{{
      {"_mean", &sim::ReplicateSummary::mean, ": mean over the replicates"},
      {"_sd", &sim::ReplicateSummary::sd, ": SD over the replicates"},
      {"_low", &sim::ReplicateSummary::low, ": lower end of the Student's t interval of the mean"},
      {"_high", &sim::ReplicateSummary::high, ": upper end of the Student's t interval of the mean"},
  }};
  for (std::size_t m = 0; m < report.measures.size(); ++m) {
    const Measure& measure = report.measures[m];
    std::vector<std::int64_t> count;
    for (std::int64_t p = 0; p < sweep.policies; ++p)
      for (const std::size_t n : report.cell(p, m).points.count) count.push_back(static_cast<std::int64_t>(n));
    points.variables.push_back(integers(measure.name + "_count", dims, count, measure.name + ": replicates with a value"));
    for (const auto& [suffix, member, description] : statistics) {
      std::vector<double> values;
      for (std::int64_t p = 0; p < sweep.policies; ++p) {
        const Eigen::VectorXd& column = report.cell(p, m).points.*member;
        values.insert(values.end(), column.begin(), column.end());
      }
      points.variables.push_back(numbers(measure.name + suffix, dims, values, measure.units, measure.name + description));
    }
  }
  for (output::DataGroup* group : {&main, &points}) {
    std::set<std::string> seen;
    for (const auto* list : {&group->coordinates, &group->variables})
      for (const output::DataVariable& variable : *list)
        if (!seen.insert(variable.name).second)
          throw std::logic_error("analysis: two variables named " + variable.name + " in " + group->path);
  }
  return {std::move(main), std::move(points)};
}

/// The measures the report shows, by index; a name the file lacks is a usage error.
std::optional<std::vector<std::size_t>> shown_measures(const AnalyzeOptions& options,
                                                       const std::vector<Measure>& measures) {
  std::vector<std::size_t> shown;
  const auto index_of = [&](const std::string& name) -> std::optional<std::size_t> {
    for (std::size_t m = 0; m < measures.size(); ++m)
      if (measures[m].name == name) return m;
    return std::nullopt;
  };
  if (options.all_measures) {
    for (std::size_t m = 0; m < measures.size(); ++m) shown.push_back(m);
    return shown;
  }
  for (const std::string& name : options.measures) {
    const std::optional<std::size_t> m = index_of(name);
    if (!m) {
      std::string known;
      for (const Measure& measure : measures) known += (known.empty() ? "" : ", ") + measure.name;
      std::cerr << "commons: --measure " << name << ": " << options.results.string()
                << " has no such summary measure; it has " << known << "\n";
      return std::nullopt;
    }
    if (std::find(shown.begin(), shown.end(), *m) == shown.end()) shown.push_back(*m);
  }
  if (!options.measures.empty()) return shown;
  for (const char* name : default_measures)
    if (const std::optional<std::size_t> m = index_of(name)) shown.push_back(*m);
  // A model without the fishery's outcomes: its first measures.
  for (std::size_t m = 0; shown.empty() && m < std::min<std::size_t>(measures.size(), default_measures.size()); ++m)
    shown.push_back(m);
  if (shown.empty() && !measures.empty()) shown.push_back(0);
  return shown;
}

}  // namespace

ExitCode analyze_command(const AnalyzeOptions& options) {
  return guarded_command([&] {
    const output::ResultsFile file = output::ResultsFile::open(options.results);
    Sweep sweep = read_sweep(file);
    const std::string status = file.status();
    // A .partial file is an unfinished sweep's (or one a sweep is writing now): never changed.
    const bool read_only =
        options.results.filename().string().ends_with(output::layout::partial_suffix) || status == "partial";
    for (std::int64_t p = 0; p < sweep.policies; ++p)
      sweep.estimator_replicates.push_back(estimator_replicates(sweep, p, read_only));
    const std::vector<Measure> measures = read_measures(file, sweep);
    const std::optional<std::vector<std::size_t>> shown = shown_measures(options, measures);
    if (!shown) return ExitCode::usage_error;

    // Every measure under every policy, each on its own: the same bits on any number of threads.
    std::vector<Cell> cells(static_cast<std::size_t>(sweep.policies) * measures.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cells.size()), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t c = r.begin(); c != r.end(); ++c)
        cells[c] = analyse(sweep, measures[c % measures.size()], static_cast<std::int64_t>(c / measures.size()), options);
    });
    const Report report{options.results, sweep, measures, cells, *shown, options};
    print_report(std::cout, report, status, read_only);

    std::cout << "\n";
    if (read_only) {
      std::cout << "Not written " << options.results.string()
                << " is an unfinished sweep's file, which analyze never changes; finish the sweep (commons sweep "
                   "SCENARIO -o FILE --resume), then analyse FILE to keep the analysis in it\n";
      return ExitCode::success;
    }
    if (!options.quiet)
      std::cerr << "commons: writing analysis/ into a copy of " << options.results.string()
                << ", which then replaces it\n";
    std::cout.flush();
    output::write_analysis(options.results, file, analysis_groups(report, status));
    std::cout << "Written     analysis/ and analysis/points in " << options.results.string()
              << " (docs/analysis.md): xr.open_dataset(\"" << options.results.string() << "\", group=\"analysis\")\n";
    return ExitCode::success;
  });
}

}  // namespace commons::cli
