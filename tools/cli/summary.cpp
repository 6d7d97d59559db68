// SPDX-License-Identifier: Apache-2.0
#include "summary.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

namespace commons::cli {
namespace {

std::string format_number(double value) {
  if (std::isnan(value)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string pad_right(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

const sim::ScalarData* find(const std::vector<sim::ScalarData>& values, const std::string& name) {
  const auto it = std::find_if(values.begin(), values.end(), [&](const sim::ScalarData& v) { return v.info.name == name; });
  return it == values.end() ? nullptr : &*it;
}

}  // namespace

void SummarySink::begin(const sim::PlanInfo& plan) {
  runs_.assign(plan.tasks.size(), sim::RunResult{});
  next_.begin(plan);
}

void SummarySink::consume(sim::RunResult&& result) {
  sim::RunResult& kept = runs_.at(static_cast<std::size_t>(result.task.index));
  kept.task = result.task;
  kept.steps = result.steps;
  kept.summary = result.summary;
  kept.references = result.references;
  next_.consume(std::move(result));
}

void print_summary(std::ostream& out, const sim::ScenarioSpec& spec, const std::vector<sim::RunResult>& all_runs,
                   const std::filesystem::path& results_file) {
  std::vector<const sim::RunResult*> runs;
  for (const sim::RunResult& run : all_runs)
    if (!run.summary.empty()) runs.push_back(&run);

  out << "Scenario    " << spec.name << "  (" << spec.source << ")\n";
  out << "Resource    " << spec.resource.model << ", regime " << spec.governance.regime << "\n";
  out << "Agents      " << spec.agent_count() << " in " << spec.groups.size()
      << (spec.groups.size() == 1 ? " group:" : " groups:");
  for (const sim::GroupSpec& group : spec.groups) {
    out << " " << group.name << " (" << group.count << " x ";
    for (std::size_t b = 0; b < group.behaviours.size(); ++b) {
      if (b > 0) out << " + ";
      if (group.behaviours.size() > 1) out << format_number(100.0 * group.behaviours[b].share) << "% ";
      out << group.behaviours[b].behaviour.model;
    }
    out << ")";
  }
  out << "\n";
  out << "Runs        " << spec.replicates << (spec.replicates == 1 ? " replicate" : " replicates") << " x "
      << spec.steps << " steps, seed " << spec.seed << "\n";
  out << "Economics   price " << format_number(spec.economics.price) << ", cost per effort "
      << format_number(spec.economics.cost_per_effort) << ", discount rate "
      << format_number(spec.economics.discount_rate) << "\n";
  if (runs.empty()) {
    out << "\nNo run completed.\n";
    return;
  }

  // Steady-state reference points are named <point>_<stock|effort|harvest|rent> and shown as
  // a table, points in file order; other closed-form values (a game's equilibria) as a list.
  const sim::RunResult& first = *runs.front();
  static constexpr std::array<std::string_view, 4> table_variables{"stock", "effort", "harvest", "rent"};
  std::vector<std::string> points;
  std::vector<std::string> variables;
  std::vector<const sim::ScalarData*> listed;
  for (const sim::ScalarData& reference : first.references) {
    const std::string& name = reference.info.name;
    const auto split = name.rfind('_');
    const std::string variable = split == std::string::npos ? "" : name.substr(split + 1);
    if (std::find(table_variables.begin(), table_variables.end(), variable) == table_variables.end()) {
      listed.push_back(&reference);
      continue;
    }
    const std::string point = name.substr(0, split);
    if (std::find(points.begin(), points.end(), point) == points.end()) points.push_back(point);
    if (std::find(variables.begin(), variables.end(), variable) == variables.end()) variables.push_back(variable);
  }
  if (!points.empty() || !listed.empty())
    out << "\nReference points (closed form" << (runs.size() > 1 ? ", run 0" : "") << ")\n";
  if (!points.empty()) {
    out << "  " << pad_right("", 14);
    for (const std::string& variable : variables) out << pad_left(variable, 13);
    out << "\n";
    for (const std::string& point : points) {
      out << "  " << pad_right(point, 14);
      for (const std::string& variable : variables) {
        const sim::ScalarData* value = find(first.references, point + "_" + variable);
        out << pad_left(value ? format_number(value->value) : "", 13);
      }
      out << "\n";
    }
  }
  for (const sim::ScalarData* reference : listed)
    out << "  " << pad_right(reference->info.name, 30) << pad_left(format_number(reference->value), 13) << "   "
        << reference->info.units << "\n";

  out << "\nOutcome" << (runs.size() > 1 ? " over " + std::to_string(runs.size()) + " runs" : "") << "\n";
  out << "  " << pad_right("", 17) << pad_left(runs.size() > 1 ? "mean" : "value", 13);
  if (runs.size() > 1) out << pad_left("min", 13) << pad_left("max", 13);
  out << "   units\n";
  std::vector<std::string> principles;
  for (const sim::ScalarData& measure : first.summary) {
    // Design principles are flags; they get one line of their own below.
    if (measure.info.name.starts_with("design_principle_")) {
      if (measure.value == 1.0) principles.push_back(measure.info.name.substr(std::string_view("design_principle_").size()));
      continue;
    }
    double sum = 0.0, low = INFINITY, high = -INFINITY;
    std::size_t counted = 0;
    for (const sim::RunResult* run : runs) {
      const sim::ScalarData* value = find(run->summary, measure.info.name);
      if (value == nullptr || std::isnan(value->value)) continue;
      sum += value->value;
      low = std::min(low, value->value);
      high = std::max(high, value->value);
      ++counted;
    }
    const double mean = counted > 0 ? sum / static_cast<double>(counted) : NAN;
    std::string shown = format_number(mean);
    if (measure.info.name == "collapse_step" && counted < runs.size())
      shown = counted == 0 ? "never" : shown + " (" + std::to_string(counted) + " collapsed)";
    out << "  " << pad_right(measure.info.name, 17) << pad_left(shown, 13);
    if (runs.size() > 1) out << pad_left(format_number(counted ? low : NAN), 13) << pad_left(format_number(counted ? high : NAN), 13);
    out << "   " << measure.info.units << "\n";
  }

  if (!principles.empty()) {
    out << "\nDesign principles in force (Ostrom 1990" << (runs.size() > 1 ? ", run 0" : "") << "):";
    for (const std::string& principle : principles) out << " " << principle;
    out << "\n";
  }

  // How close the fishery ended to each reference stock: the question the teaching scenarios ask.
  const sim::ScalarData* final_stock = find(first.summary, "final_stock");
  if (final_stock != nullptr && !points.empty()) {
    double mean = 0.0;
    for (const sim::RunResult* run : runs) mean += find(run->summary, "final_stock")->value;
    mean /= static_cast<double>(runs.size());
    out << "\nFinal stock relative to reference stocks:";
    for (const std::string& point : points)
      if (const sim::ScalarData* reference = find(first.references, point + "_stock"); reference && reference->value > 0.0)
        out << "  " << point << " " << format_number(mean / reference->value);
    out << "\n";
  }
  out << "\nResults     " << results_file.string() << "\n";
}

}  // namespace commons::cli
