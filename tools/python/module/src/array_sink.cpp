// SPDX-License-Identifier: Apache-2.0
#include "array_sink.hpp"

#include <commons/output/layout.hpp>
#include <memory_budget.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

namespace commons::python {
namespace {

namespace layout = output::layout;

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

std::string text(std::string_view view) { return std::string(view); }

/// `units` (left out when empty, as the file leaves it out) and `long_name`.
Attributes describe(std::string_view units, std::string_view long_name) {
  Attributes attributes;
  if (!units.empty()) attributes.emplace_back("units", text(units));
  attributes.emplace_back("long_name", text(long_name));
  return attributes;
}

std::vector<std::int64_t> iota(std::size_t count) {
  std::vector<std::int64_t> values(count);
  for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<std::int64_t>(i);
  return values;
}

/// The names the results file reserves in `runs/` for its own columns.
const std::vector<std::string>& reserved_run_names() {
  static const std::vector<std::string> names{"run",     "replicate",    "seed",         "seed_text", "completed",
                                              "error",   "variant",      "variant_name", "design_point",
                                              "policy"};
  return names;
}

void require_free(const std::string& name, const std::vector<std::string>& reserved, std::string_view group) {
  if (name.empty() || name == "." || name == "..")
    throw std::invalid_argument("invalid variable name '" + name + "' in " + text(group) + "/");
  if (std::find(reserved.begin(), reserved.end(), name) != reserved.end())
    throw std::invalid_argument("variable name '" + name + "' in " + text(group) +
                                "/ is reserved for a coordinate or run attribute");
}

/// The union of the layouts' variables in order of first appearance (layout 0 first), as
/// Hdf5Sink lays them out, so that the arrays and the file list the same variables.
Group plan_group(std::string_view name, const std::vector<std::string>& dimensions,
                 const std::vector<sim::RunLayout>& layouts, std::vector<sim::VariableInfo> sim::RunLayout::*variables,
                 std::size_t values) {
  Group group{text(name), {}, {}, {}};
  std::vector<std::string> raw_names;  // the recorder's name of each variable
  for (const sim::RunLayout& run_layout : layouts) {
    std::vector<std::size_t> indices;
    std::vector<std::string> seen;
    for (const sim::VariableInfo& info : run_layout.*variables) {
      const std::string variable_name = dataset_name(info.name);
      require_free(variable_name, dimensions, name);
      if (std::find(seen.begin(), seen.end(), variable_name) != seen.end())
        throw std::invalid_argument("variable '" + variable_name + "' appears twice in " + text(name) + "/");
      seen.push_back(variable_name);
      const auto found = std::find_if(group.variables.begin(), group.variables.end(),
                                      [&](const Variable& variable) { return variable.name == variable_name; });
      const auto position = static_cast<std::size_t>(found - group.variables.begin());
      if (found == group.variables.end()) {
        group.variables.push_back({variable_name, dimensions, std::vector<double>(values, not_a_number),
                                   describe(info.units, info.description)});
        raw_names.push_back(info.name);
      } else if (raw_names[position] != info.name) {
        throw std::invalid_argument("variable '" + info.name + "' would share dataset " + text(name) + "/" +
                                    variable_name + " with '" + raw_names[position] + "'");
      }
      indices.push_back(position);
    }
    group.of_layout.push_back(std::move(indices));
  }
  return group;
}

std::uint64_t agent_count(const sim::PlanInfo& plan) {
  for (const sim::RunLayout& run_layout : plan.layouts)
    if (!run_layout.agent_variables.empty()) return run_layout.agent_ids.size();
  return 0;
}

std::size_t degree_width_of(const sim::PlanInfo& plan) {
  std::size_t width = 0;
  for (const sim::RunLayout& run_layout : plan.layouts)
    if (run_layout.max_degree) width = std::max(width, *run_layout.max_degree + 1);
  return width;
}

std::size_t distinct(const sim::PlanInfo& plan, std::vector<sim::VariableInfo> sim::RunLayout::*variables) {
  std::vector<std::string> names;
  for (const sim::RunLayout& run_layout : plan.layouts)
    for (const sim::VariableInfo& info : run_layout.*variables)
      if (std::find(names.begin(), names.end(), info.name) == names.end()) names.push_back(info.name);
  return names.size();
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
  for (const sim::RunLayout& run_layout : plan.layouts) {
    if (run_layout.agent_variables.empty()) continue;
    values += runs * (steps / static_cast<std::uint64_t>(run_layout.agent_interval)) * agent_count(plan) *
              distinct(plan, &sim::RunLayout::agent_variables);
    break;  // every layout of a plan records the same agents at the same interval (checked when laid out)
  }
  values += runs * degree_width_of(plan);
  for (const sim::RunLayout& run_layout : plan.layouts) {
    if (run_layout.site_variables.empty()) continue;
    values += runs * (steps / static_cast<std::uint64_t>(run_layout.site_interval)) * run_layout.sites.count *
              distinct(plan, &sim::RunLayout::site_variables);
    break;  // every layout of a plan records the same sites (the writer checks it)
  }
  if (plan.sweep) values += runs * plan.sweep->factors.size() + plan.sweep->unit.size();
  // runs/: a few int64 columns, a flag and short strings per run.
  return 8 * values + runs * 128;
}

void ArraySink::begin(const sim::PlanInfo& plan) {
  if (plan.tasks.empty()) throw std::invalid_argument("the plan has no runs");
  if (plan.steps < 1) throw std::invalid_argument("the plan has no steps");
  if (plan.layouts.empty()) throw std::invalid_argument("the plan describes no layout");
  if (const std::uint64_t need = bytes_for(plan); need > memory_budget_)
    throw MemoryRefused(what_ + ": the results need about " + cli::format_size(need) +
                        " of memory in Python, more than the " + cli::format_size(memory_budget_) +
                        " left beside the runs themselves; fewer runs, steps or agents, or output.agents: false "
                        "would need less, or `commons run -o FILE` writes them to a file that "
                        "xarray.open_dataset reads lazily");
  plan_ = plan;
  runs_ = static_cast<std::int64_t>(plan.tasks.size());
  coordinates_.clear();
  groups_.clear();
  coordinates_.push_back(
      {text(layout::run_dimension), iota(static_cast<std::size_t>(runs_)), describe("1", "run index")});
  coordinates_.push_back(
      {text(layout::step_dimension), iota(static_cast<std::size_t>(plan.steps)), describe("1", "step")});
  lay_out_runs(plan);
  lay_out_results(plan);
  if (plan.sweep) lay_out_design(plan);
}

void ArraySink::lay_out_runs(const sim::PlanInfo& plan) {
  const auto runs = static_cast<std::size_t>(runs_);
  const std::vector<std::string> dimensions{text(layout::run_dimension)};
  std::vector<std::int64_t> replicate(runs, 0);
  std::vector<std::int64_t> seed(runs, 0);
  std::vector<std::string> seed_text(runs);
  std::vector<std::int64_t> variant(runs, 0);
  layout_of_.assign(runs, 0);
  std::vector<bool> seen(runs, false);
  for (const sim::RunTask& task : plan.tasks) {
    if (task.index < 0 || task.index >= runs_ || seen[static_cast<std::size_t>(task.index)])
      throw std::invalid_argument("plan run indices must be 0.." + std::to_string(runs_ - 1) + ", each once; found " +
                                  std::to_string(task.index));
    if (task.layout < 0 || task.layout >= static_cast<std::int64_t>(plan.layouts.size()))
      throw std::invalid_argument("run " + std::to_string(task.index) + " has layout " + std::to_string(task.layout) +
                                  ", which the plan does not describe");
    if (task.variant < 0 || task.variant >= std::max<std::int64_t>(1, static_cast<std::int64_t>(plan.variants.size())))
      throw std::invalid_argument("run " + std::to_string(task.index) + " has variant " + std::to_string(task.variant) +
                                  ", which the plan does not have");
    const auto run = static_cast<std::size_t>(task.index);
    seen[run] = true;
    replicate[run] = task.replicate;
    seed[run] = static_cast<std::int64_t>(task.seed);
    seed_text[run] = std::to_string(task.seed);
    variant[run] = task.variant;
    layout_of_[run] = task.layout;
  }

  Group group{text(layout::runs_group), {}, {}, {}};
  const auto add = [&](std::string name, Values values, Attributes attributes) {
    group.variables.push_back({std::move(name), dimensions, std::move(values), std::move(attributes)});
  };
  add("replicate", std::move(replicate), describe("1", "replicate"));
  add("seed", std::move(seed), describe("1", "random seed"));
  add("seed_text", std::move(seed_text), describe("", "random seed, exact decimal text"));
  Attributes completed = describe("", "run written completely (0 while missing or failed)");
  completed.emplace_back("flag_values", std::vector<std::int8_t>{0, 1});
  completed.emplace_back("flag_meanings", std::string("no yes"));
  add("completed", std::vector<std::int8_t>(runs, 0), std::move(completed));
  add("error", std::vector<std::string>(runs), describe("", "why the run failed; empty for a run that did not fail"));
  if (!plan.variants.empty()) {
    // int64 with CF flags, and the names again as text, as the file has them.
    Attributes attributes = describe("", "variant of the comparison");
    std::string meanings;
    for (const std::string& name : plan.variants) meanings += (meanings.empty() ? "" : " ") + name;
    attributes.emplace_back("flag_values", iota(plan.variants.size()));
    attributes.emplace_back("flag_meanings", std::move(meanings));
    std::vector<std::string> names;
    for (const std::int64_t index : variant) names.push_back(plan.variants[static_cast<std::size_t>(index)]);
    add("variant", std::move(variant), std::move(attributes));
    add("variant_name", std::move(names), describe("", "name of the variant of the comparison"));
  }
  if (plan.sweep) lay_out_sweep(plan, group);
  groups_.push_back(std::move(group));
}

// A sweep's runs/design_point, runs/policy and factors, as Hdf5Sink writes them
// (docs/results-format.md#sweeps).
void ArraySink::lay_out_sweep(const sim::PlanInfo& plan, Group& runs_group) {
  const sim::SweepInfo& sweep = *plan.sweep;
  const auto runs = static_cast<std::size_t>(runs_);
  const std::vector<std::string> dimensions{text(layout::run_dimension)};
  std::vector<std::int64_t> points(runs, 0);
  std::vector<std::int64_t> policies(runs, 0);
  for (const sim::RunTask& task : plan.tasks) {
    if (task.factors.size() != sweep.factors.size())
      throw std::invalid_argument("run " + std::to_string(task.index) + " has " + std::to_string(task.factors.size()) +
                                  " factor values for the sweep's " + std::to_string(sweep.factors.size()) + " factors");
    points[static_cast<std::size_t>(task.index)] = task.design_point;
    policies[static_cast<std::size_t>(task.index)] = task.policy;
  }
  const auto describe_factor = [](Attributes& attributes, const sim::FactorInfo& factor) {
    attributes.emplace_back("role", factor.role);
    attributes.emplace_back("description", factor.description);
    attributes.emplace_back("parameter_path", factor.path);
    if (!factor.labels.empty()) attributes.emplace_back("levels", factor.labels);
  };
  bool levers = false;
  for (const sim::FactorInfo& factor : sweep.factors) levers = levers || factor.role == "lever";
  runs_group.variables.push_back(
      {"design_point", dimensions, std::move(points), describe("", "design point of the sweep (design/design_point)")});
  if (sweep.policies > 1 || levers)
    runs_group.variables.push_back({"policy", dimensions, std::move(policies),
                                    describe("", "policy of the sweep: a combination of its levers' levels")});
  std::vector<std::string> names;
  for (std::size_t f = 0; f < sweep.factors.size(); ++f) {
    const sim::FactorInfo& factor = sweep.factors[f];
    if (factor.path == "variant") {
      // A sweep over the variants records them in variant_name rather than in a second copy.
      for (Variable& variable : runs_group.variables)
        if (variable.name == "variant_name") describe_factor(variable.attributes, factor);
      continue;
    }
    const std::string name = dataset_name(factor.path);
    require_free(name, reserved_run_names(), layout::runs_group);
    if (std::find(names.begin(), names.end(), name) != names.end())
      throw std::invalid_argument("factor '" + factor.path + "' shares dataset runs/" + name + " with another");
    names.push_back(name);
    Attributes attributes = describe("", (factor.role == "lever" ? "policy lever " : "swept parameter ") + factor.path);
    describe_factor(attributes, factor);
    // A categorical factor as its levels' labels, so that groupby over it yields them.
    if (!factor.labels.empty()) {
      std::vector<std::string> labels(runs);
      for (const sim::RunTask& task : plan.tasks) {
        const double level = task.factors[f];
        if (!(level >= 0 && level < static_cast<double>(factor.labels.size()) && level == std::floor(level)))
          throw std::invalid_argument("run " + std::to_string(task.index) + " has no level " + std::to_string(level) +
                                      " of factor " + factor.path);
        labels[static_cast<std::size_t>(task.index)] = factor.labels[static_cast<std::size_t>(level)];
      }
      runs_group.variables.push_back({name, dimensions, std::move(labels), std::move(attributes)});
    } else {
      std::vector<double> values(runs, not_a_number);
      for (const sim::RunTask& task : plan.tasks) values[static_cast<std::size_t>(task.index)] = task.factors[f];
      runs_group.variables.push_back({name, dimensions, std::move(values), std::move(attributes)});
    }
  }
}

// design/: the design, after the other groups as the file lists it.
void ArraySink::lay_out_design(const sim::PlanInfo& plan) {
  const sim::SweepInfo& sweep = *plan.sweep;
  Group design{text(layout::design_group), {}, {}, {}};
  design.attributes.emplace_back("design", sweep.design);
  design.attributes.emplace_back("points", sweep.points);
  design.attributes.emplace_back("policies", sweep.policies);
  design.attributes.emplace_back("replicates", sweep.replicates);
  design.attributes.emplace_back("samples", sweep.samples);
  design.attributes.emplace_back("grid_levels", sweep.grid_levels);
  design.attributes.emplace_back("group_size", sweep.group_size);
  std::vector<std::string> parameters;
  std::vector<std::string> lever_paths;
  for (const sim::FactorInfo& factor : sweep.factors)
    (factor.role == "parameter" ? parameters : lever_paths).push_back(factor.path);
  if (!lever_paths.empty()) design.attributes.emplace_back("levers", std::move(lever_paths));
  coordinates_.push_back({text(layout::design_point_dimension), iota(static_cast<std::size_t>(sweep.points)),
                          describe("1", "design point")});
  if (!parameters.empty()) {
    if (sweep.unit.size() != static_cast<std::size_t>(sweep.points) * parameters.size())
      throw std::invalid_argument("the sweep's unit coordinates do not have one value per point and parameter");
    coordinates_.push_back(
        {text(layout::parameter_dimension), parameters, describe("", "path of the parameter in the scenario")});
    design.variables.push_back(
        {"unit",
         {text(layout::design_point_dimension), text(layout::parameter_dimension)},
         sweep.unit,
         describe("1", "coordinates of the design points in the unit hypercube (NaN for a list of points)")});
  }
  groups_.push_back(std::move(design));
}

void ArraySink::lay_out_results(const sim::PlanInfo& plan) {
  const auto runs = static_cast<std::size_t>(runs_);
  const auto steps = static_cast<std::size_t>(plan.steps);
  const std::string run_dimension = text(layout::run_dimension);
  const std::string step_dimension = text(layout::step_dimension);
  groups_.push_back(plan_group(layout::series_group, {run_dimension, step_dimension}, plan.layouts,
                               &sim::RunLayout::series, runs * steps));
  groups_.push_back(
      plan_group(layout::summary_group, {run_dimension}, plan.layouts, &sim::RunLayout::summary, runs));
  groups_.push_back(
      plan_group(layout::references_group, {run_dimension}, plan.layouts, &sim::RunLayout::references, runs));

  lay_out_sites(plan);
  std::vector<std::uint64_t> agent_ids;
  std::int64_t agent_interval = 1;
  for (const sim::RunLayout& run_layout : plan.layouts) {
    if (run_layout.agent_variables.empty()) continue;
    if (agent_ids.empty()) {
      agent_ids = run_layout.agent_ids;
      agent_interval = run_layout.agent_interval;
    }
    if (run_layout.agent_ids != agent_ids || run_layout.agent_interval != agent_interval)
      throw std::invalid_argument("layouts record different agents; a results file has one agent coordinate");
  }
  agents_ = agent_ids.size();
  agent_steps_ = steps / static_cast<std::size_t>(agent_interval);
  // As the sites': the Dataset is flat, so agents sampled less often than every step have a
  // step coordinate of their own, `agent_step`.
  std::string agent_step_dimension = step_dimension;
  if (agent_interval > 1 && agents_ > 0) {
    agent_step_dimension = "agent_step";
    std::vector<std::int64_t> sampled(agent_steps_);
    for (std::size_t k = 0; k < agent_steps_; ++k)
      sampled[k] = static_cast<std::int64_t>((k + 1) * static_cast<std::size_t>(agent_interval) - 1);
    coordinates_.push_back(
        {agent_step_dimension, std::move(sampled), describe("1", "step at whose end agents were recorded")});
  }
  Group agents = plan_group(layout::agents_group, {run_dimension, agent_step_dimension, text(layout::agent_dimension)},
                            plan.layouts, &sim::RunLayout::agent_variables, runs * agent_steps_ * agents_);
  if (!agents.variables.empty()) {
    coordinates_.push_back({text(layout::agent_dimension), std::move(agent_ids), describe("1", "agent id")});
    groups_.push_back(std::move(agents));
  }

  degree_width_ = degree_width_of(plan);
  if (degree_width_ > 0) {
    coordinates_.push_back({text(layout::degree_dimension), iota(degree_width_), describe("1", "number of neighbours")});
    Group network{text(layout::network_group), {}, {}, {}};
    network.variables.push_back(
        {text(layout::degree_count_dataset),
         {run_dimension, text(layout::degree_dimension)},
         std::vector<double>(runs * degree_width_, not_a_number),
         describe("1", "number of agents with each number of neighbours in the run's social network")});
    groups_.push_back(std::move(network));
  }
}

// As the results file lays out sites/: [run, step, y, x] on a grid, [run, step, site] on a graph
// with its edges. The file's sites/ group has a step coordinate of its own; the Dataset is
// flat, so when sites are sampled less often than every step theirs is called `site_step`.
void ArraySink::lay_out_sites(const sim::PlanInfo& plan) {
  const sim::RunLayout* spatial = nullptr;
  for (const sim::RunLayout& run_layout : plan.layouts) {
    if (run_layout.site_variables.empty()) continue;
    if (spatial != nullptr &&
        (run_layout.sites != spatial->sites || run_layout.site_interval != spatial->site_interval))
      throw std::invalid_argument("layouts record different sites; a results file has one site coordinate");
    spatial = &run_layout;
  }
  if (spatial == nullptr) return;
  site_layout_ = spatial->sites;
  const auto interval = static_cast<std::size_t>(spatial->site_interval);
  site_steps_ = static_cast<std::size_t>(plan.steps) / interval;
  std::string step_dimension = text(layout::step_dimension);
  if (interval > 1) {
    step_dimension = "site_step";
    std::vector<std::int64_t> sampled(site_steps_);
    for (std::size_t k = 0; k < site_steps_; ++k) sampled[k] = static_cast<std::int64_t>((k + 1) * interval - 1);
    coordinates_.push_back({step_dimension, std::move(sampled), describe("1", "step at whose end the sites were sampled")});
  }
  std::vector<std::string> dimensions{text(layout::run_dimension), step_dimension};
  if (site_layout_.kind == sim::SiteLayout::Kind::grid) {
    coordinates_.push_back({text(layout::y_dimension), iota(site_layout_.rows),
                            describe("1", "grid row of the site (site = y x columns + x)")});
    coordinates_.push_back({text(layout::x_dimension), iota(site_layout_.columns), describe("1", "grid column of the site")});
    dimensions.insert(dimensions.end(), {text(layout::y_dimension), text(layout::x_dimension)});
  } else {
    coordinates_.push_back({text(layout::site_dimension), iota(site_layout_.count), describe("1", "site index")});
    dimensions.push_back(text(layout::site_dimension));
  }
  Group sites = plan_group(layout::sites_group, dimensions, plan.layouts, &sim::RunLayout::site_variables,
                           static_cast<std::size_t>(runs_) * site_steps_ * site_layout_.count);
  sites.attributes.emplace_back("site_layout",
                                std::string(site_layout_.kind == sim::SiteLayout::Kind::grid ? "grid" : "graph"));
  if (site_layout_.kind == sim::SiteLayout::Kind::graph) {
    std::vector<std::int64_t> from, to;
    for (std::size_t site = 0; site < site_layout_.count; ++site)
      for (std::size_t k = site_layout_.offsets[site]; k < site_layout_.offsets[site + 1]; ++k)
        if (site_layout_.neighbours[k] > site) {
          from.push_back(static_cast<std::int64_t>(site));
          to.push_back(site_layout_.neighbours[k]);
        }
    coordinates_.push_back({text(layout::edge_dimension), iota(from.size()), describe("1", "edge index")});
    sites.variables.push_back({"edge_from", {text(layout::edge_dimension)}, std::move(from),
                               describe("1", "site at one end of the edge (edge_from)")});
    sites.variables.push_back({"edge_to", {text(layout::edge_dimension)}, std::move(to),
                               describe("1", "site at one end of the edge (edge_to)")});
  }
  groups_.push_back(std::move(sites));
}

Group& ArraySink::group(std::string_view name) {
  for (Group& candidate : groups_)
    if (candidate.name == name) return candidate;
  throw std::logic_error("the arrays have no group " + text(name));
}

void ArraySink::record(const sim::RunResult& result) {
  const std::int64_t index = result.task.index;
  if (index < 0 || index >= runs_) throw std::out_of_range("run " + std::to_string(index) + " is not in the plan");
  const auto run = static_cast<std::size_t>(index);
  const auto steps = static_cast<std::size_t>(plan_.steps);
  const auto run_layout = static_cast<std::size_t>(layout_of_[run]);
  const auto values_of = [&](std::string_view group_name, std::size_t i, std::size_t count) -> std::vector<double>& {
    Group& target = group(group_name);
    const std::vector<std::size_t>& variables = target.of_layout[run_layout];
    if (count != variables.size())
      throw std::logic_error("run " + std::to_string(index) + " records other " + target.name +
                             " variables than its layout");
    return std::get<std::vector<double>>(target.variables[variables[i]].values);
  };

  for (std::size_t i = 0; i < result.series.size(); ++i) {
    const std::vector<double>& values = result.series[i].values;
    if (values.size() > steps) throw std::logic_error("series " + result.series[i].info.name + " has too many steps");
    std::vector<double>& target = values_of(layout::series_group, i, result.series.size());
    std::copy(values.begin(), values.end(), target.begin() + static_cast<std::ptrdiff_t>(run * steps));
  }
  for (std::size_t i = 0; i < result.summary.size(); ++i)
    values_of(layout::summary_group, i, result.summary.size())[run] = result.summary[i].value;
  for (std::size_t i = 0; i < result.references.size(); ++i)
    values_of(layout::references_group, i, result.references.size())[run] = result.references[i].value;
  if (!result.agents.empty()) {
    if (result.agent_ids.size() != agents_)
      throw std::logic_error("run " + std::to_string(index) + " has other agents than its layout");
    const std::size_t per_run = agent_steps_ * agents_;
    for (std::size_t i = 0; i < result.agents.size(); ++i) {
      const std::vector<double>& values = result.agents[i].values;
      if (values.size() > per_run)
        throw std::logic_error("agent variable " + result.agents[i].info.name + " has too many values");
      std::vector<double>& target = values_of(layout::agents_group, i, result.agents.size());
      std::copy(values.begin(), values.end(), target.begin() + static_cast<std::ptrdiff_t>(run * per_run));
    }
  }
  if (!result.sites.empty()) {
    const std::size_t per_run = site_steps_ * site_layout_.count;
    for (std::size_t i = 0; i < result.sites.size(); ++i) {
      const std::vector<double>& values = result.sites[i].values;
      if (values.size() > per_run)
        throw std::logic_error("site variable " + result.sites[i].info.name + " has too many values");
      std::vector<double>& target = values_of(layout::sites_group, i, result.sites.size());
      std::copy(values.begin(), values.end(), target.begin() + static_cast<std::ptrdiff_t>(run * per_run));
    }
  }
  if (!result.degree_counts.empty()) {
    if (result.degree_counts.size() > degree_width_) throw std::logic_error("a degree distribution beyond the layout");
    // Degrees past the run's largest read 0, as in the file.
    std::vector<double>& counts = std::get<std::vector<double>>(group(layout::network_group).variables[0].values);
    std::fill_n(counts.begin() + static_cast<std::ptrdiff_t>(run * degree_width_), degree_width_, 0.0);
    for (std::size_t k = 0; k < result.degree_counts.size(); ++k)
      counts[run * degree_width_ + k] = static_cast<double>(result.degree_counts[k]);
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

std::vector<std::int8_t>& ArraySink::completed() {
  for (Variable& variable : group(layout::runs_group).variables)
    if (variable.name == "completed") return std::get<std::vector<std::int8_t>>(variable.values);
  throw std::logic_error("runs/ has no completed");
}

std::vector<std::string>& ArraySink::errors() {
  for (Variable& variable : group(layout::runs_group).variables)
    if (variable.name == "error") return std::get<std::vector<std::string>>(variable.values);
  throw std::logic_error("runs/ has no error");
}

}  // namespace commons::python
