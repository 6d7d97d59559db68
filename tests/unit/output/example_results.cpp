// SPDX-License-Identifier: Apache-2.0
#include "example_results.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace commons::output::testing {
namespace {

// Gordon-Schaefer parameters: carrying capacity [t], growth rate [1/step], catchability
// [1/effort_unit], price [money/t], cost [money/effort_unit].
constexpr double capacity = 1000.0;
constexpr double growth = 0.5;
constexpr double catchability = 0.01;
constexpr double price = 2.0;
constexpr double cost = 6.0;
// How fast effort follows rent (open access): effort units per money unit of rent.
constexpr double entry_rate = 0.05;

double initial_effort(std::int64_t run) { return 10.0 + 5.0 * static_cast<double>(run); }

double share(std::int64_t agent, std::int64_t agents) {
  // Unequal fixed shares (1, 2, 3, ...) normalised, so agent values differ from each other.
  const auto n = static_cast<double>(agents);
  return static_cast<double>(agent + 1) / (n * (n + 1.0) / 2.0);
}

sim::ScalarData reference(const std::string& point, const std::string& variable, double value) {
  static const char* const units[] = {"t", "effort_unit", "t/step", "money/step"};
  const std::string names[] = {"stock", "effort", "harvest", "rent"};
  std::string unit;
  for (int i = 0; i < 4; ++i)
    if (names[i] == variable) unit = units[i];
  return {{point + "_" + variable, unit, variable + " at the " + point + " reference point"}, value};
}

}  // namespace

sim::PlanInfo example_plan(std::int64_t runs, std::int64_t steps, std::int64_t agents) {
  sim::PlanInfo plan;
  plan.scenario_name = "example_fishery";
  plan.scenario_text = R"({"name": "example_fishery", "resource": {"model": "logistic_fishery", "note": "é ü ∑"}})";
  plan.steps = steps;
  plan.agents = agents;
  sim::SweepInfo sweep;
  sweep.design = "factorial";
  sweep.points = std::max<std::int64_t>(runs, 1);
  sweep.factors = {{"fleet/initial_effort", "parameter", {},
                    "uniform on [10, " + std::to_string(static_cast<int>(initial_effort(sweep.points - 1))) + "]"}};
  for (std::int64_t run = 0; run < runs; ++run) {
    sim::RunTask task;
    task.index = run;
    task.replicate = run % 2;
    task.seed = run == 1 ? (std::uint64_t{1} << 53) - 1 : 42 + static_cast<std::uint64_t>(run);
    task.design_point = run;
    task.factors = {initial_effort(run)};
    task.stream = 1000 + static_cast<std::uint64_t>(run);
    plan.tasks.push_back(task);
    sweep.unit.push_back(runs == 1 ? 0.5 : static_cast<double>(run) / static_cast<double>(runs - 1));
  }
  if (runs > 0) sweep.unit.resize(static_cast<std::size_t>(sweep.points), 0.5);
  plan.sweep = sweep;
  if (runs > 0) plan.layouts = {layout_of(example_result(plan, 0))};
  return plan;
}

sim::PlanInfo example_sweep_plan(std::int64_t points, std::int64_t replicates, std::int64_t steps,
                                 std::int64_t agents) {
  sim::PlanInfo plan;
  plan.scenario_name = "example_sweep";
  plan.scenario_text = R"({"name": "example_sweep", "sweep": {"design": "latin_hypercube"}})";
  plan.steps = steps;
  plan.agents = agents;
  sim::SweepInfo sweep;
  sweep.design = "latin_hypercube";
  sweep.points = points;
  sweep.policies = 2;
  sweep.replicates = replicates;
  sweep.samples = points;
  sweep.factors = {{"economics.price", "parameter", {}, "uniform on [1, 3]"},
                   {"resource.model", "parameter", {"logistic", "gompertz", "fox"}, "one of logistic gompertz fox"},
                   {"governance.rule", "lever", {"none", "quota"}, "one of none quota"}};
  for (std::int64_t point = 0; point < points; ++point) {
    sweep.unit.push_back((static_cast<double>(point) + 0.5) / static_cast<double>(points));
    sweep.unit.push_back((static_cast<double>(point % 3) + 0.5) / 3.0);
  }
  for (std::int64_t replicate = 0; replicate < replicates; ++replicate)
    for (std::int64_t point = 0; point < points; ++point)
      for (std::int64_t policy = 0; policy < 2; ++policy) {
        sim::RunTask task;
        task.index = static_cast<std::int64_t>(plan.tasks.size());
        task.replicate = replicate;
        task.seed = 7;
        task.design_point = point;
        task.policy = policy;
        task.stream = 0x9e3779b97f4a7c15ULL ^ static_cast<std::uint64_t>(point);
        task.factors = {1.0 + 2.0 * sweep.unit[static_cast<std::size_t>(2 * point)], static_cast<double>(point % 3),
                        static_cast<double>(policy)};
        plan.tasks.push_back(task);
      }
  plan.sweep = sweep;
  if (!plan.tasks.empty()) plan.layouts = {layout_of(example_result(plan, 0))};
  return plan;
}

sim::PlanInfo example_variant_plan(std::int64_t variants, std::int64_t replicates, std::int64_t steps,
                                   std::int64_t agents) {
  sim::PlanInfo plan;
  plan.scenario_name = "example_regimes";
  plan.scenario_text = R"({"name": "example_regimes", "compare": [{"variant": "open_access"}]})";
  plan.steps = steps;
  plan.agents = agents;
  static const char* const names[] = {"open_access", "state_tac", "itq", "local"};
  for (std::int64_t variant = 0; variant < variants; ++variant)
    plan.variants.push_back(variant < 4 ? names[variant] : "variant_" + std::to_string(variant));
  for (std::int64_t variant = 0; variant < variants; ++variant)
    for (std::int64_t replicate = 0; replicate < replicates; ++replicate) {
      sim::RunTask task;
      task.index = variant * replicates + replicate;
      task.replicate = replicate;
      task.seed = 20261128;
      task.variant = variant;
      task.layout = variant;
      plan.tasks.push_back(task);
    }
  if (replicates > 0)
    for (std::int64_t variant = 0; variant < variants; ++variant)
      plan.layouts.push_back(layout_of(example_result(plan, variant * replicates)));
  return plan;
}

void add_example_sites(sim::PlanInfo& plan, const sim::SiteLayout& sites) {
  for (sim::RunLayout& layout : plan.layouts) {
    layout.sites = sites;
    layout.site_variables = {{"stock", "t", "stock at the site after the step"},
                             {"harvest", "t", "total harvest of the agents at the site in the step"}};
  }
}

void add_example_site_values(sim::RunResult& result, const sim::PlanInfo& plan) {
  const sim::RunLayout& layout = plan.layouts.at(static_cast<std::size_t>(result.task.layout));
  const std::size_t sites = layout.sites.count;
  for (const sim::VariableInfo& info : layout.site_variables) {
    sim::SiteData data{info, {}};
    const double scale = info.name == "harvest" ? 0.1 : 1.0;
    // Sampled at the end of each interval, as the recorder does.
    for (std::int64_t step = layout.site_interval - 1; step < result.steps; step += layout.site_interval)
      for (std::size_t site = 0; site < sites; ++site)
        data.values.push_back(scale * (100.0 * static_cast<double>(result.task.index) + static_cast<double>(step) +
                                       static_cast<double>(site) / 1000.0));
    result.sites.push_back(std::move(data));
  }
}

sim::RunLayout layout_of(const sim::RunResult& result) {
  sim::RunLayout layout;
  for (const sim::SeriesData& data : result.series) layout.series.push_back(data.info);
  for (const sim::ScalarData& data : result.summary) layout.summary.push_back(data.info);
  for (const sim::ScalarData& data : result.references) layout.references.push_back(data.info);
  for (const sim::AgentData& data : result.agents) layout.agent_variables.push_back(data.info);
  if (!result.agents.empty()) layout.agent_ids = result.agent_ids;
  for (const sim::SiteData& data : result.sites) layout.site_variables.push_back(data.info);
  return layout;
}

sim::RunResult example_result(const sim::PlanInfo& plan, std::int64_t run) {
  sim::RunResult result;
  result.task = plan.tasks.at(static_cast<std::size_t>(run));
  const bool comparison = !plan.variants.empty();
  const bool governed = comparison && result.task.variant > 0;
  // Variants of a comparison start alike (common random numbers); plain runs differ by run.
  const std::int64_t start = comparison ? result.task.replicate : run;
  result.steps = plan.steps;
  sim::SeriesData stock{{"stock", "t", "biomass at the end of the step"}, {}};
  sim::SeriesData harvest{{"harvest", "t/step", "total harvest of all agents in the step"}, {}};
  sim::SeriesData effort{{"effort", "effort_unit", "total effort of all agents in the step"}, {}};
  sim::SeriesData rent{{"rent", "money/step", "resource rent: price x harvest - cost x effort"}, {}};
  const std::int64_t agents = plan.agents;
  const auto agent_values = static_cast<std::size_t>(plan.steps * agents);
  sim::AgentData agent_effort{{"effort", "effort_unit", "agent's effort in the step"}, {}};
  sim::AgentData agent_harvest{{"harvest", "t/step", "agent's harvest in the step"}, {}};
  sim::AgentData agent_income{{"income", "money/step", "agent's income in the step"}, {}};
  agent_effort.values.reserve(agent_values);
  agent_harvest.values.reserve(agent_values);
  agent_income.values.reserve(agent_values);

  sim::SeriesData gini{{"gini", "1", "Gini coefficient of agents' income in the step"}, {}};
  sim::SeriesData compliance{{"compliance", "1", "share of agents who broke no rule in the step"}, {}};
  sim::SeriesData governance_cost{{"governance_cost", "money", "cost of governing in the step"}, {}};
  // A governed variant caps effort: tighter for the lower variants, near MEY effort for the first.
  const double effort_cap = governed ? 12.0 + 6.0 * static_cast<double>(result.task.variant - 1)
                                     : std::numeric_limits<double>::infinity();

  double x = capacity * (0.9 - 0.1 * static_cast<double>(start % 3));
  double e = std::min(initial_effort(start), effort_cap);
  double discounted = 0.0;
  double compliance_sum = 0.0;
  double cost_sum = 0.0;
  for (std::int64_t step = 0; step < plan.steps; ++step) {
    const double h = std::min(catchability * e * x, x);
    const double r = price * h - cost * e;
    x = x + growth * x * (1.0 - x / capacity) - h;
    stock.values.push_back(x);
    harvest.values.push_back(h);
    effort.values.push_back(e);
    rent.values.push_back(r);
    discounted += r / std::pow(1.05, static_cast<double>(step));
    for (std::int64_t a = 0; a < agents; ++a) {
      agent_effort.values.push_back(e * share(a, agents));
      agent_harvest.values.push_back(h * share(a, agents));
      agent_income.values.push_back(r * share(a, agents));
    }
    if (comparison) {
      const auto v = static_cast<double>(result.task.variant);
      gini.values.push_back(0.2 + 0.05 * v + 0.01 * static_cast<double>(step % 4));
      if (governed) {
        const double c = 0.95 - 0.05 * v + 0.01 * static_cast<double>(step % 3);
        const double g = 2.0 * v + 0.1 * e;
        compliance.values.push_back(c);
        governance_cost.values.push_back(g);
        compliance_sum += c;
        cost_sum += g;
      }
    }
    e = std::min(std::max(0.0, e + entry_rate * r), effort_cap);
  }
  result.series = {stock, harvest, effort, rent};
  if (comparison) result.series.push_back(gini);
  if (governed) {
    result.series.push_back(compliance);
    result.series.push_back(governance_cost);
  }
  result.summary = {
      {{"final_stock", "t", "stock at the end of the last step"}, x},
      {{"discounted_rent", "money", "present value of the rent at 5 % per step"}, discounted},
      {{"collapse_step", "1", "first step below the collapse threshold; NaN if none"},
       std::numeric_limits<double>::quiet_NaN()},
  };
  if (comparison) {
    result.summary.push_back({{"mean_compliance", "1", "share of agents who broke no rule, averaged over the steps"},
                              governed ? compliance_sum / static_cast<double>(plan.steps)
                                       : std::numeric_limits<double>::quiet_NaN()});
    result.summary.push_back({{"total_governance_cost", "money", "cost of governing summed over all steps"}, cost_sum});
  }

  // Closed forms; docs/models.md#gordon-schaefer.
  const double msy_stock = capacity / 2.0;
  const double oa_stock = cost / (price * catchability);
  const double mey_stock = (capacity + oa_stock) / 2.0;
  const auto effort_at = [](double stock_level) { return growth / catchability * (1.0 - stock_level / capacity); };
  const auto add_point = [&](const std::string& point, double stock_level, bool dissipated) {
    const double point_effort = effort_at(stock_level);
    const double point_harvest = catchability * point_effort * stock_level;
    // Open access dissipates the rent by definition; computing it would leave rounding noise.
    const double point_rent = dissipated ? 0.0 : price * point_harvest - cost * point_effort;
    result.references.push_back(reference(point, "stock", stock_level));
    result.references.push_back(reference(point, "effort", point_effort));
    result.references.push_back(reference(point, "harvest", point_harvest));
    result.references.push_back(reference(point, "rent", point_rent));
  };
  add_point("msy", msy_stock, false);
  add_point("mey", mey_stock, false);
  add_point("open_access", oa_stock, true);

  if (agents > 0) {
    for (std::int64_t a = 0; a < agents; ++a) result.agent_ids.push_back(3 + 4 * static_cast<std::uint64_t>(a));
    result.agents = {agent_effort, agent_harvest, agent_income};
  }
  return result;
}

}  // namespace commons::output::testing
