// SPDX-License-Identifier: Apache-2.0
#include "summary.hpp"

#include <commons/sim/sensitivity.hpp>

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

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

// "1-6", "1,2,4,5": ascending numbers with runs of three or more shortened; "-" when none.
std::string number_list(const std::vector<int>& numbers) {
  std::string text;
  for (std::size_t i = 0; i < numbers.size();) {
    std::size_t last = i;
    while (last + 1 < numbers.size() && numbers[last + 1] == numbers[last] + 1) ++last;
    if (!text.empty()) text += ",";
    if (last >= i + 2) {
      text += std::to_string(numbers[i]) + "-" + std::to_string(numbers[last]);
      i = last + 1;
    } else {
      text += std::to_string(numbers[i]);
      ++i;
    }
  }
  return text.empty() ? "-" : text;
}

// Rows of the comparison table: the summary measures a policy comparison is read by.
// Their units are those the runs recorded.
struct ComparedMeasure {
  std::string_view label;
  std::string_view summary;
  /// Shown as 1 - value: the Gini coefficient from the recorded equity.
  bool complement = false;
};
constexpr std::array<ComparedMeasure, 10> compared_measures{{
    {"final_stock", "final_stock"},
    {"final_effort", "final_effort"},
    {"final_harvest", "final_harvest"},
    {"final_rent", "final_rent"},
    {"discounted_rent", "discounted_rent"},
    {"efficiency", "efficiency"},
    {"income_gini", "equity", true},
    {"mean_compliance", "mean_compliance"},
    {"governance_cost", "total_governance_cost"},
    {"collapse_step", "collapse_step"},
}};

// The variants side by side: the mean over each variant's finished runs, one column each.
void print_comparison(std::ostream& out, const sim::ScenarioSpec& spec, const std::vector<const sim::RunResult*>& runs) {
  const std::size_t variants = spec.variants.size();
  // Which of Ostrom's design principles each variant had in force (in its first finished run).
  std::vector<std::string> principles(variants);
  for (std::size_t v = 0; v < variants; ++v) {
    const auto first = std::find_if(runs.begin(), runs.end(), [&](const sim::RunResult* run) {
      return static_cast<std::size_t>(run->task.variant) == v;
    });
    std::vector<int> numbers;
    if (first != runs.end())
      for (const sim::ScalarData& measure : (*first)->summary)
        if (measure.info.name.starts_with("design_principle_") && measure.value == 1.0)
          numbers.push_back(measure.info.name[std::string_view("design_principle_").size()] - '0');
    principles[v] = number_list(numbers);
  }
  std::size_t width = 13;
  for (std::size_t v = 0; v < variants; ++v)
    width = std::max({width, spec.variants[v].variant.size() + 2, principles[v].size() + 2});
  std::vector<std::size_t> counts(variants, 0);
  for (const sim::RunResult* run : runs) ++counts.at(static_cast<std::size_t>(run->task.variant));

  out << "\nVariants compared (mean over each variant's runs)\n";
  out << "  " << pad_right("", 17);
  for (const sim::ScenarioSpec& variant : spec.variants) out << pad_left(variant.variant, width);
  out << "   units\n";
  out << "  " << pad_right("runs", 17);
  for (std::size_t v = 0; v < variants; ++v) out << pad_left(std::to_string(counts[v]), width);
  out << "   1\n";
  for (const ComparedMeasure& measure : compared_measures) {
    std::vector<std::string> cells;
    bool any = false;
    std::string units;
    for (const sim::RunResult* run : runs)
      if (const sim::ScalarData* value = find(run->summary, std::string(measure.summary)); value != nullptr) {
        units = value->info.units;
        break;
      }
    for (std::size_t v = 0; v < variants; ++v) {
      double sum = 0.0;
      std::size_t counted = 0;
      for (const sim::RunResult* run : runs) {
        if (static_cast<std::size_t>(run->task.variant) != v) continue;
        const sim::ScalarData* value = find(run->summary, std::string(measure.summary));
        if (value == nullptr || std::isnan(value->value)) continue;
        sum += measure.complement ? 1.0 - value->value : value->value;
        ++counted;
      }
      any = any || counted > 0;
      std::string cell = counted > 0 ? format_number(sum / static_cast<double>(counted)) : "-";
      // A collapse in some runs only: the mean is over those runs, so say how many.
      if (measure.summary == "collapse_step")
        cell = counted == 0 ? "never" : counted < counts[v] ? cell + " (" + std::to_string(counted) + ")" : cell;
      cells.push_back(std::move(cell));
    }
    if (!any && measure.summary != "collapse_step") continue;
    out << "  " << pad_right(std::string(measure.label), 17);
    for (const std::string& cell : cells) out << pad_left(cell, width);
    out << "   " << units << "\n";
  }

  out << "  " << pad_right("design_principles", 17);
  for (const std::string& numbers : principles) out << pad_left(numbers, width);
  out << "   Ostrom (1990)\n";
  out << "\nincome_gini is 1 - equity: the Gini coefficient of agents' cumulative income. governance_cost is the\n"
         "total over all steps of inspections, monitoring hours, exclusion and sanctioning fees.\n";
}

// The scenario in a few lines: the resource and regime, who harvests it, how long, at what prices.
void print_scenario(std::ostream& out, const sim::ScenarioSpec& spec) {
  out << "Scenario    " << spec.name << "  (" << spec.source << ")\n";
  if (spec.variants.empty()) {
    out << "Resource    " << spec.resource.model << ", regime " << spec.governance.regime << "\n";
  } else {
    out << "Resource    " << spec.resource.model << "\n";
    out << "Variants    ";
    for (std::size_t v = 0; v < spec.variants.size(); ++v)
      out << (v > 0 ? ", " : "") << spec.variants[v].variant << " (regime " << spec.variants[v].governance.regime << ")";
    out << "\n";
  }
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
  out << "Runs        ";
  if (!spec.variants.empty()) out << spec.variants.size() << " variants x ";
  out << spec.replicates << (spec.replicates == 1 ? " replicate" : " replicates") << " x " << spec.steps
      << " steps, seed " << spec.seed << (spec.variants.empty() ? "" : " (the same random numbers in every variant)")
      << "\n";
  out << "Economics   price " << format_number(spec.economics.price) << ", cost per effort "
      << format_number(spec.economics.cost_per_effort) << ", discount rate "
      << format_number(spec.economics.discount_rate) << "\n";
}

// A run's closed-form reference values, arranged for the report: steady-state reference points
// named <point>_<stock|effort|harvest|rent> go in a table (points in file order), other values
// (a game's equilibria) in a list.
struct ReferenceLayout {
  std::vector<std::string> points;
  std::vector<std::string> variables;
  std::vector<const sim::ScalarData*> listed;
};

ReferenceLayout reference_layout(const sim::RunResult& run) {
  // The quantities of a steady state, as resources name their reference points
  // (FisheryLogistic::reference_points); not the recorded series, of which they are a few.
  static constexpr std::array<std::string_view, 4> table_variables{"stock", "effort", "harvest", "rent"};
  ReferenceLayout layout;
  for (const sim::ScalarData& reference : run.references) {
    const std::string& name = reference.info.name;
    const auto split = name.rfind('_');
    const std::string variable = split == std::string::npos ? "" : name.substr(split + 1);
    if (std::find(table_variables.begin(), table_variables.end(), variable) == table_variables.end()) {
      layout.listed.push_back(&reference);
      continue;
    }
    const std::string point = name.substr(0, split);
    if (std::find(layout.points.begin(), layout.points.end(), point) == layout.points.end())
      layout.points.push_back(point);
    if (std::find(layout.variables.begin(), layout.variables.end(), variable) == layout.variables.end())
      layout.variables.push_back(variable);
  }
  return layout;
}

void print_references(std::ostream& out, const ReferenceLayout& layout, const sim::RunResult& first,
                      std::size_t run_count) {
  if (!layout.points.empty() || !layout.listed.empty())
    out << "\nReference points (closed form" << (run_count > 1 ? ", run 0" : "") << ")\n";
  if (!layout.points.empty()) {
    out << "  " << pad_right("", 14);
    for (const std::string& variable : layout.variables) out << pad_left(variable, 13);
    out << "\n";
    for (const std::string& point : layout.points) {
      out << "  " << pad_right(point, 14);
      for (const std::string& variable : layout.variables) {
        const sim::ScalarData* value = find(first.references, point + "_" + variable);
        out << pad_left(value ? format_number(value->value) : "", 13);
      }
      out << "\n";
    }
  }
  for (const sim::ScalarData* reference : layout.listed)
    out << "  " << pad_right(reference->info.name, 30) << pad_left(format_number(reference->value), 13) << "   "
        << reference->info.units << "\n";
}

// One row of the outcome table: the measure's mean over the runs and, over several runs, its
// spread.
void print_outcome_row(std::ostream& out, const sim::ScalarData& measure, const std::vector<const sim::RunResult*>& runs,
                       std::size_t label_width) {
  double low = INFINITY, high = -INFINITY;
  std::vector<double> values;
  for (const sim::RunResult* run : runs) {
    const sim::ScalarData* value = find(run->summary, measure.info.name);
    if (value == nullptr || std::isnan(value->value)) continue;
    low = std::min(low, value->value);
    high = std::max(high, value->value);
    values.push_back(value->value);
  }
  const std::size_t counted = values.size();
  // Replicates are independent runs: the interval is Student's t over them.
  const sim::ReplicateSummary statistics = sim::summarize_replicates(
      Eigen::Map<const Eigen::MatrixXd>(values.data(), 1, static_cast<Eigen::Index>(values.size())));
  const double mean = counted > 0 ? statistics.mean(0) : NAN;
  std::string shown = format_number(mean);
  if (measure.info.name == "collapse_step" && counted < runs.size())
    shown = counted == 0 ? "never" : shown + " (" + std::to_string(counted) + " collapsed)";
  out << "  " << pad_right(measure.info.name, label_width) << pad_left(shown, 13);
  if (runs.size() > 1) {
    const bool spread = counted > 1;
    out << pad_left(format_number(spread ? statistics.sd(0) : NAN), 13)
        << pad_left(spread ? "[" + format_number(statistics.low(0)) + ", " + format_number(statistics.high(0)) + "]"
                           : std::string("-"),
                    27)
        << pad_left(format_number(counted ? low : NAN), 13) << pad_left(format_number(counted ? high : NAN), 13);
  }
  out << "   " << measure.info.units << "\n";
}

// The outcome of one scenario over its runs: a row per summary measure, then the design
// principles in force (flags, shown on one line of their own).
void print_outcome(std::ostream& out, const std::vector<const sim::RunResult*>& runs) {
  const sim::RunResult& first = *runs.front();
  out << "\nOutcome" << (runs.size() > 1 ? " over " + std::to_string(runs.size()) + " runs" : "") << "\n";
  // An ungoverned run has no compliance to average and spends nothing on governing: those
  // rows would only be noise.
  const bool governed = std::any_of(runs.begin(), runs.end(), [](const sim::RunResult* run) {
    const sim::ScalarData* compliance = find(run->summary, "mean_compliance");
    return compliance != nullptr && !std::isnan(compliance->value);
  });
  const auto shown_row = [&](const std::string& name) {
    return !name.starts_with("design_principle_") &&
           (governed || (name != "mean_compliance" && name != "total_governance_cost"));
  };
  std::size_t label_width = 17;
  for (const sim::ScalarData& measure : first.summary)
    if (shown_row(measure.info.name)) label_width = std::max(label_width, measure.info.name.size() + 2);
  out << "  " << pad_right("", label_width) << pad_left(runs.size() > 1 ? "mean" : "value", 13);
  if (runs.size() > 1)
    out << pad_left("sd", 13) << pad_left("95% interval", 27) << pad_left("min", 13) << pad_left("max", 13);
  out << "   units\n";
  std::vector<std::string> principles;
  for (const sim::ScalarData& measure : first.summary) {
    if (measure.info.name.starts_with("design_principle_") && measure.value == 1.0)
      principles.push_back(measure.info.name.substr(std::string_view("design_principle_").size()));
    if (shown_row(measure.info.name)) print_outcome_row(out, measure, runs, label_width);
  }

  if (!principles.empty()) {
    out << "\nDesign principles in force (Ostrom 1990" << (runs.size() > 1 ? ", run 0" : "") << "):";
    for (const std::string& principle : principles) out << " " << principle;
    out << "\n";
  }
}

// How close the resource ended to each reference stock, in the mean over the runs: the question
// the teaching scenarios ask.
void print_stock_against_references(std::ostream& out, const std::vector<const sim::RunResult*>& runs,
                                    const std::vector<std::string>& points) {
  const sim::RunResult& first = *runs.front();
  const sim::ScalarData* final_stock = find(first.summary, "final_stock");
  if (final_stock == nullptr || points.empty()) return;
  double mean = 0.0;
  for (const sim::RunResult* run : runs) mean += find(run->summary, "final_stock")->value;
  mean /= static_cast<double>(runs.size());
  out << "\nFinal stock relative to reference stocks:";
  for (const std::string& point : points)
    if (const sim::ScalarData* reference = find(first.references, point + "_stock"); reference && reference->value > 0.0)
      out << "  " << point << " " << format_number(mean / reference->value);
  out << "\n";
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

  print_scenario(out, spec);
  if (runs.empty()) {
    out << "\nNo run completed.\n";
    return;
  }
  const ReferenceLayout references = reference_layout(*runs.front());
  print_references(out, references, *runs.front(), runs.size());
  if (spec.variants.empty()) {
    print_outcome(out, runs);
    print_stock_against_references(out, runs, references.points);
  } else {
    print_comparison(out, spec, runs);
  }
  out << "\nResults     " << results_file.string() << "\n";
}

}  // namespace commons::cli
