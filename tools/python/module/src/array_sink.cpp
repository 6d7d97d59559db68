// SPDX-License-Identifier: Apache-2.0
#include "array_sink.hpp"

#include <commons/output/layout.hpp>
#include <memory_budget.hpp>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

namespace commons::python {
namespace {

namespace layout = output::layout;

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

std::string text(std::string_view view) { return std::string(view); }

/// The swept parameters of a run by scenario path: the one place that reads how a RunTask
/// carries them. Sweeps are being designed while this is written, and RunTask may lose
/// `parameters` for another form; until this follows it, such a plan's factors are left out
/// of `runs/` instead of the module failing to build.
template <class Task>
std::vector<std::pair<std::string, double>> swept_parameters(const Task& task) {
  if constexpr (requires { task.parameters; }) {
    return task.parameters;
  } else {
    return {};
  }
}

/// `units` (left out when empty, as the file leaves it out) and `long_name`.
Attributes describe(std::string_view units, std::string_view long_name) {
  Attributes attributes;
  if (!units.empty()) attributes.emplace_back("units", text(units));
  attributes.emplace_back("long_name", text(long_name));
  return attributes;
}

/// The names the results file reserves in `runs/` for its own columns.
const std::vector<std::string>& reserved_run_names() {
  static const std::vector<std::string> names{"run",       "replicate", "seed",    "seed_text",
                                              "completed", "error",     "variant", "variant_name"};
  return names;
}

void require_free(const std::string& name, const std::vector<std::string>& reserved, std::string_view group) {
  if (name.empty() || name == "." || name == "..")
    throw std::invalid_argument("invalid variable name '" + name + "' in " + text(group) + "/");
  if (std::find(reserved.begin(), reserved.end(), name) != reserved.end())
    throw std::invalid_argument("variable name '" + name + "' in " + text(group) +
                                "/ is reserved for a coordinate or run attribute");
}

/// The union of the variants' variables in order of first appearance (variant 0 first), as
/// Hdf5Sink lays them out, so that the arrays and the file list the same variables.
Group plan_group(std::string_view name, std::vector<std::string> dimensions, const std::vector<sim::RunLayout>& layouts,
                 std::vector<sim::VariableInfo> sim::RunLayout::*variables, std::size_t values_per_run,
                 std::size_t runs) {
  Group group{text(name), std::move(dimensions), {}, {}};
  std::vector<std::string> raw_names;  // the recorder's name of each column
  for (const sim::RunLayout& run_layout : layouts) {
    std::vector<std::size_t> indices;
    std::vector<std::string> seen;
    for (const sim::VariableInfo& info : run_layout.*variables) {
      const std::string column_name = dataset_name(info.name);
      require_free(column_name, group.dimensions, name);
      if (std::find(seen.begin(), seen.end(), column_name) != seen.end())
        throw std::invalid_argument("variable '" + column_name + "' appears twice in " + text(name) + "/");
      seen.push_back(column_name);
      const auto found = std::find_if(group.columns.begin(), group.columns.end(),
                                      [&](const Column& column) { return column.name == column_name; });
      const auto position = static_cast<std::size_t>(found - group.columns.begin());
      if (found == group.columns.end()) {
        group.columns.push_back({column_name, std::vector<double>(runs * values_per_run, not_a_number),
                                 describe(info.units, info.description)});
        raw_names.push_back(info.name);
      } else if (raw_names[position] != info.name) {
        throw std::invalid_argument("variable '" + info.name + "' would share dataset " + text(name) + "/" +
                                    column_name + " with '" + raw_names[position] + "'");
      }
      indices.push_back(position);
    }
    group.of_variant.push_back(std::move(indices));
  }
  return group;
}

std::uint64_t agent_count(const sim::PlanInfo& plan) {
  for (const sim::RunLayout& run_layout : plan.layouts)
    if (!run_layout.agent_variables.empty()) return run_layout.agent_ids.size();
  return 0;
}

std::int64_t degree_width_of(const sim::PlanInfo& plan) {
  std::int64_t width = 0;
  for (const sim::RunLayout& run_layout : plan.layouts)
    if (run_layout.max_degree) width = std::max(width, static_cast<std::int64_t>(*run_layout.max_degree) + 1);
  return width;
}

std::size_t distinct(const sim::PlanInfo& plan, std::vector<sim::VariableInfo> sim::RunLayout::*variables) {
  std::vector<std::string> names;
  for (const sim::RunLayout& run_layout : plan.layouts)
    for (const sim::VariableInfo& info : run_layout.*variables)
      if (std::find(names.begin(), names.end(), info.name) == names.end()) names.push_back(info.name);
  return names.size();
}

template <class T>
std::vector<T>& column_values(std::vector<RunColumn>& columns, std::string_view name) {
  for (RunColumn& column : columns)
    if (column.name == name) return std::get<std::vector<T>>(column.values);
  throw std::logic_error("runs/ has no column " + text(name));
}

}  // namespace

std::string dataset_name(std::string_view raw) {
  while (!raw.empty() && raw.front() == '/') raw.remove_prefix(1);
  std::string name(raw);
  std::replace(name.begin(), name.end(), '/', '.');
  return name;
}

ArraySink::ArraySink(std::uint64_t memory_budget, std::string what)
    : memory_budget_(memory_budget), what_(std::move(what)) {}

std::uint64_t ArraySink::bytes_for(const sim::PlanInfo& plan) {
  const std::uint64_t runs = plan.tasks.size();
  const auto steps = static_cast<std::uint64_t>(std::max<std::int64_t>(plan.steps, 0));
  std::uint64_t values = runs * steps * distinct(plan, &sim::RunLayout::series);
  values += runs * (distinct(plan, &sim::RunLayout::summary) + distinct(plan, &sim::RunLayout::references));
  values += runs * steps * agent_count(plan) * distinct(plan, &sim::RunLayout::agent_variables);
  values += runs * static_cast<std::uint64_t>(degree_width_of(plan));
  // runs/: a few int64 columns, a flag and short strings per run.
  return 8 * values + runs * 128;
}

void ArraySink::begin(const sim::PlanInfo& plan) {
  if (plan.tasks.empty()) throw std::invalid_argument("the plan has no runs");
  if (plan.steps < 1) throw std::invalid_argument("the plan has no steps");
  if (plan.layouts.size() != std::max<std::size_t>(1, plan.variants.size()))
    throw std::invalid_argument("the plan describes " + std::to_string(plan.layouts.size()) + " layouts for " +
                                std::to_string(std::max<std::size_t>(1, plan.variants.size())) + " variant(s)");
  if (const std::uint64_t need = bytes_for(plan); need > memory_budget_)
    throw MemoryRefused(what_ + ": the results need about " + cli::format_size(need) +
                        " of memory in Python, more than the " + cli::format_size(memory_budget_) +
                        " left beside the runs themselves; fewer runs, steps or agents, or output.agents: false "
                        "would need less, or `commons run -o FILE` writes them to a file that "
                        "xarray.open_dataset reads lazily");
  plan_ = plan;
  runs_ = static_cast<std::int64_t>(plan.tasks.size());
  lay_out_runs(plan);
  lay_out_groups(plan);
}

void ArraySink::lay_out_runs(const sim::PlanInfo& plan) {
  const auto runs = static_cast<std::size_t>(runs_);
  std::vector<std::int64_t> replicate(runs, 0);
  std::vector<std::int64_t> seed(runs, 0);
  std::vector<std::string> seed_text(runs);
  variant_of_.assign(runs, 0);
  // Swept parameters in order of first appearance, as the results file lists them.
  std::vector<std::string> parameter_paths;
  std::vector<std::vector<double>> parameter_values;
  std::vector<bool> seen(runs, false);
  for (const sim::RunTask& task : plan.tasks) {
    if (task.index < 0 || task.index >= runs_ || seen[static_cast<std::size_t>(task.index)])
      throw std::invalid_argument("plan run indices must be 0.." + std::to_string(runs_ - 1) + ", each once; found " +
                                  std::to_string(task.index));
    if (task.variant < 0 || task.variant >= static_cast<std::int64_t>(plan.layouts.size()))
      throw std::invalid_argument("run " + std::to_string(task.index) + " has variant " + std::to_string(task.variant) +
                                  ", which the plan does not have");
    const auto run = static_cast<std::size_t>(task.index);
    seen[run] = true;
    replicate[run] = task.replicate;
    seed[run] = static_cast<std::int64_t>(task.seed);
    seed_text[run] = std::to_string(task.seed);
    variant_of_[run] = task.variant;
    for (const auto& [path, value] : swept_parameters(task)) {
      const auto found = std::find(parameter_paths.begin(), parameter_paths.end(), path);
      if (found == parameter_paths.end()) {
        parameter_paths.push_back(path);
        parameter_values.emplace_back(runs, not_a_number);
      }
      parameter_values[static_cast<std::size_t>(found - parameter_paths.begin())][run] = value;
    }
  }

  run_columns_.clear();
  run_columns_.push_back({"replicate", std::move(replicate), describe("1", "replicate")});
  run_columns_.push_back({"seed", std::move(seed), describe("1", "random seed")});
  run_columns_.push_back({"seed_text", std::move(seed_text), describe("", "random seed, exact decimal text")});
  Attributes completed = describe("", "run written completely (0 while missing or failed)");
  completed.emplace_back("flag_values", std::vector<std::int8_t>{0, 1});
  completed.emplace_back("flag_meanings", std::string("no yes"));
  run_columns_.push_back({"completed", std::vector<std::int8_t>(runs, 0), std::move(completed)});
  run_columns_.push_back({"error", std::vector<std::string>(runs),
                          describe("", "why the run failed; empty for a run that did not fail")});
  if (!plan.variants.empty()) {
    // int64 with CF flags, and the names again as text, as the file has them.
    Attributes variant = describe("", "variant of the comparison");
    std::vector<std::int64_t> flag_values;
    std::string meanings;
    for (std::size_t v = 0; v < plan.variants.size(); ++v) {
      flag_values.push_back(static_cast<std::int64_t>(v));
      meanings += (meanings.empty() ? "" : " ") + plan.variants[v];
    }
    variant.emplace_back("flag_values", std::move(flag_values));
    variant.emplace_back("flag_meanings", std::move(meanings));
    std::vector<std::string> names;
    for (const std::int64_t index : variant_of_) names.push_back(plan.variants[static_cast<std::size_t>(index)]);
    run_columns_.push_back({"variant", variant_of_, std::move(variant)});
    run_columns_.push_back({"variant_name", std::move(names), describe("", "name of the variant of the comparison")});
  }
  std::vector<std::string> parameter_names;
  for (std::size_t p = 0; p < parameter_paths.size(); ++p) {
    const std::string name = dataset_name(parameter_paths[p]);
    require_free(name, reserved_run_names(), layout::runs_group);
    if (std::find(parameter_names.begin(), parameter_names.end(), name) != parameter_names.end())
      throw std::invalid_argument("swept parameter '" + parameter_paths[p] + "' shares dataset runs/" + name +
                                  " with another");
    parameter_names.push_back(name);
    Attributes attributes = describe("", "swept parameter " + parameter_paths[p]);
    attributes.emplace_back("parameter_path", parameter_paths[p]);
    run_columns_.push_back({name, std::move(parameter_values[p]), std::move(attributes)});
  }
}

void ArraySink::lay_out_groups(const sim::PlanInfo& plan) {
  const auto runs = static_cast<std::size_t>(runs_);
  const auto steps = static_cast<std::size_t>(plan.steps);
  const std::string run_dimension = text(layout::run_dimension);
  const std::string step_dimension = text(layout::step_dimension);
  groups_.clear();
  groups_.push_back(plan_group(layout::series_group, {run_dimension, step_dimension}, plan.layouts,
                               &sim::RunLayout::series, steps, runs));
  groups_.push_back(
      plan_group(layout::summary_group, {run_dimension}, plan.layouts, &sim::RunLayout::summary, 1, runs));
  groups_.push_back(
      plan_group(layout::references_group, {run_dimension}, plan.layouts, &sim::RunLayout::references, 1, runs));

  agent_ids_.clear();
  for (const sim::RunLayout& run_layout : plan.layouts) {
    if (run_layout.agent_variables.empty()) continue;
    if (agent_ids_.empty()) agent_ids_ = run_layout.agent_ids;
    if (run_layout.agent_ids != agent_ids_)
      throw std::invalid_argument("variants record different agents; a results file has one agent coordinate");
  }
  Group agents = plan_group(layout::agents_group, {run_dimension, step_dimension, text(layout::agent_dimension)},
                            plan.layouts, &sim::RunLayout::agent_variables, steps * agent_ids_.size(), runs);
  if (!agents.columns.empty()) groups_.push_back(std::move(agents));

  degree_width_ = degree_width_of(plan);
  if (degree_width_ > 0) {
    Group network{text(layout::network_group), {run_dimension, text(layout::degree_dimension)}, {}, {}};
    network.columns.push_back(
        {text(layout::degree_count_dataset), std::vector<double>(runs * static_cast<std::size_t>(degree_width_), not_a_number),
         describe("1", "number of agents with each number of neighbours in the run's social network")});
    groups_.push_back(std::move(network));
  }
}

void ArraySink::record(const sim::RunResult& result) {
  const std::int64_t index = result.task.index;
  if (index < 0 || index >= runs_) throw std::out_of_range("run " + std::to_string(index) + " is not in the plan");
  const auto run = static_cast<std::size_t>(index);
  const auto steps = static_cast<std::size_t>(plan_.steps);
  const auto variant = static_cast<std::size_t>(variant_of_[run]);
  const auto column_of = [&](Group& group, std::size_t i, std::size_t count) -> Column& {
    const std::vector<std::size_t>& columns = group.of_variant[variant];
    if (count != columns.size())
      throw std::logic_error("run " + std::to_string(index) + " records other " + group.name +
                             " variables than its variant's layout");
    return group.columns[columns[i]];
  };

  for (std::size_t i = 0; i < result.series.size(); ++i) {
    const std::vector<double>& values = result.series[i].values;
    if (values.size() > steps) throw std::logic_error("series " + result.series[i].info.name + " has too many steps");
    Column& column = column_of(groups_[0], i, result.series.size());
    std::copy(values.begin(), values.end(), column.values.begin() + static_cast<std::ptrdiff_t>(run * steps));
  }
  for (std::size_t i = 0; i < result.summary.size(); ++i)
    column_of(groups_[1], i, result.summary.size()).values[run] = result.summary[i].value;
  for (std::size_t i = 0; i < result.references.size(); ++i)
    column_of(groups_[2], i, result.references.size()).values[run] = result.references[i].value;
  if (!result.agents.empty()) {
    if (result.agent_ids != agent_ids_) throw std::logic_error("run " + std::to_string(index) + " has other agents");
    Group& agents = groups_[3];
    const std::size_t per_run = steps * agent_ids_.size();
    for (std::size_t i = 0; i < result.agents.size(); ++i) {
      const std::vector<double>& values = result.agents[i].values;
      if (values.size() > per_run)
        throw std::logic_error("agent variable " + result.agents[i].info.name + " has too many values");
      Column& column = column_of(agents, i, result.agents.size());
      std::copy(values.begin(), values.end(), column.values.begin() + static_cast<std::ptrdiff_t>(run * per_run));
    }
  }
  if (!result.degree_counts.empty()) {
    const auto width = static_cast<std::size_t>(degree_width_);
    if (result.degree_counts.size() > width) throw std::logic_error("a degree distribution beyond the layout");
    // Degrees past the run's largest read 0, as in the file.
    std::vector<double>& counts = groups_.back().columns.front().values;
    std::fill_n(counts.begin() + static_cast<std::ptrdiff_t>(run * width), width, 0.0);
    for (std::size_t k = 0; k < result.degree_counts.size(); ++k)
      counts[run * width + k] = static_cast<double>(result.degree_counts[k]);
  }
  completed()[run] = 1;
}

void ArraySink::fail(const sim::RunTask& task, const std::string& message) {
  if (task.index < 0 || task.index >= runs_) return;
  errors()[static_cast<std::size_t>(task.index)] = message;
}

void ArraySink::finish() {
  std::vector<std::int8_t>& flags = completed();
  std::vector<std::string>& messages = errors();
  for (std::size_t run = 0; run < flags.size(); ++run)
    if (flags[run] == 0 && messages[run].empty()) messages[run] = "the run was never started";
}

std::vector<std::int8_t>& ArraySink::completed() { return column_values<std::int8_t>(run_columns_, "completed"); }
std::vector<std::string>& ArraySink::errors() { return column_values<std::string>(run_columns_, "error"); }

}  // namespace commons::python
