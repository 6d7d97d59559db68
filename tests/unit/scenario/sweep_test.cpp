// SPDX-License-Identifier: Apache-2.0
// The sweep block: what the loader makes of it (factors, the design's points, policies, each
// point's spec) and what runs of a sweep are (keys that depend on values, not on places).
// Broken sweep blocks are fixtures in bad/ (sweep_*.yaml) with their messages in bad/cases.tsv.

#include "test_support.hpp"

#include <commons/models/register_models.hpp>
#include <commons/scenario/loader.hpp>
#include <commons/sim/executor.hpp>
#include <commons/sim/run.hpp>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>

namespace commons::scenario {
namespace {

using ::testing::ElementsAre;

sim::ScenarioSpec load(const std::string& text) {
  return load_scenario_text(text, "test.yaml", {}, &models::default_registry());
}

std::string with_sweep(std::string_view block) { return std::string(test::minimal_scenario) + std::string(block); }

TEST(Sweep, Factorial_EveryCombinationLastFactorFastest) {
  const sim::ScenarioSpec spec = load(with_sweep(R"(replicates: 3
sweep:
  design: factorial
  replicates: 2
  parameters:
    resource.growth_rate: {range: [0.2, 0.8], levels: 3}
    economics.price: {values: [1, 2]}
)"));
  ASSERT_TRUE(spec.sweep);
  const sim::SweepDesign design = sim::expand(*spec.sweep);
  EXPECT_EQ(design.points, 6);
  EXPECT_EQ(design.policies, 1);
  EXPECT_THAT(design.parameter_values, ElementsAre(0.2, 1, 0.2, 2, 0.5, 1, 0.5, 2, 0.8, 1, 0.8, 2));
  // The sweep's replicates, not the scenario's.
  EXPECT_EQ(sim::plan_size(spec), 12);
}

TEST(Sweep, PlanOrder_ReplicateThenPointThenPolicy) {
  const sim::ScenarioSpec spec = load(with_sweep(R"(sweep:
  design: factorial
  replicates: 2
  parameters:
    resource.growth_rate: {values: [0.3, 0.6]}
  levers:
    economics.cost_per_effort: {values: [0.5, 1, 2]}
)"));
  const std::vector<sim::RunTask> tasks = sim::plan_runs(spec);
  ASSERT_EQ(tasks.size(), 12u);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    EXPECT_EQ(tasks[i].index, static_cast<std::int64_t>(i));
    EXPECT_EQ(tasks[i].replicate, static_cast<std::int64_t>(i / 6));
    EXPECT_EQ(tasks[i].design_point, static_cast<std::int64_t>(i / 3 % 2));
    EXPECT_EQ(tasks[i].policy, static_cast<std::int64_t>(i % 3));
  }
  EXPECT_THAT(tasks[4].factors, ElementsAre(0.6, 1));
}

TEST(Sweep, StreamKey_FollowsValuesNotPlacesAndIgnoresLevers) {
  // Two designs that share the value 0.6: its runs have the same random streams in both, and
  // every policy at a point shares its streams.
  const sim::ScenarioSpec small = load(with_sweep(R"(sweep:
  design: factorial
  replicates: 2
  parameters:
    resource.growth_rate: {values: [0.6]}
)"));
  const sim::ScenarioSpec large = load(with_sweep(R"(sweep:
  design: factorial
  replicates: 3
  parameters:
    resource.growth_rate: {values: [0.3, 0.45, 0.6]}
  levers:
    economics.price: {values: [1, 2]}
)"));
  std::map<std::pair<double, std::int64_t>, std::set<std::uint64_t>> streams;
  for (const sim::ScenarioSpec* spec : {&small, &large})
    for (const sim::RunTask& task : sim::plan_runs(*spec)) {
      EXPECT_NE(task.stream, 0u);
      streams[{task.factors[0], task.replicate}].insert(task.stream);
    }
  for (const auto& [point, keys] : streams) EXPECT_EQ(keys.size(), 1u) << point.first;
  const auto key = [](double value, std::int64_t replicate) { return std::make_pair(value, replicate); };
  EXPECT_NE(*streams[key(0.3, 0)].begin(), *streams[key(0.6, 0)].begin());
  // Replicates differ by the replicate in the key, not by the stream word.
  EXPECT_NE(sim::stream_key(1, 0, 7), sim::stream_key(1, 1, 7));
  // Outside a sweep the key is (seed, replicate), so results of plain scenarios never change.
  EXPECT_EQ(sim::stream_key(5, 3, 0), std::make_pair(std::uint64_t{5}, std::uint64_t{3}));
}

TEST(Sweep, SameValuesSameRun_WhateverTheDesign) {
  const auto first_result = [](const std::string& text, double growth_rate) {
    const sim::ScenarioSpec spec = load(text);
    for (const sim::RunTask& task : sim::plan_runs(spec)) {
      if (task.factors[0] != growth_rate || task.replicate != 1) continue;
      // The run reads its spec as it steps: keep the point's spec alive.
      const std::shared_ptr<const sim::ScenarioSpec> point = spec.sweep->specs->make(task.variant, task.factors);
      sim::Run run(*point, models::default_registry(), task);
      while (!run.done()) run.step();
      return run.take_result().summary;
    }
    ADD_FAILURE() << "no run with growth rate " << growth_rate;
    return std::vector<sim::ScalarData>{};
  };
  const std::vector<sim::ScalarData> a = first_result(with_sweep(R"(sweep:
  design: factorial
  replicates: 2
  parameters:
    resource.growth_rate: {values: [0.6]}
)"),
                                                      0.6);
  const std::vector<sim::ScalarData> b = first_result(with_sweep(R"(sweep:
  design: list
  replicates: 4
  points:
    - {resource.growth_rate: 0.3}
    - {resource.growth_rate: 0.6}
)"),
                                                      0.6);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(a[i].value == b[i].value || (std::isnan(a[i].value) && std::isnan(b[i].value))) << a[i].info.name;
}

TEST(Sweep, PointSpec_IsTheScenarioWithTheValuesSet_DefaultsFollowingThem) {
  const sim::ScenarioSpec spec = load(with_sweep(R"(sweep:
  design: factorial
  parameters:
    resource.carrying_capacity: {values: [500, 2000]}
    economics.cost_per_effort: {values: [3]}
)"));
  const auto point = spec.sweep->specs->make(0, std::vector<double>{2000, 3});
  EXPECT_EQ(point->resource.parameters.number("carrying_capacity"), 2000);
  // The initial stock defaults to the carrying capacity of the point, not of the scenario.
  EXPECT_EQ(point->resource.parameters.number("initial_stock"), 2000);
  EXPECT_EQ(point->economics.cost_per_effort, 3);
  EXPECT_EQ(point->groups.at(0).cost_per_effort, 3);
  // The same as --set would make it.
  const std::vector<Override> set{{"resource.carrying_capacity", "2000"}, {"economics.cost_per_effort", "3"}};
  const sim::ScenarioSpec by_set = load_scenario_text(test::minimal_scenario, "test.yaml", set);
  EXPECT_EQ(point->resource.parameters.number("initial_stock"), by_set.resource.parameters.number("initial_stock"));
  EXPECT_EQ(point->groups.at(0).cost_per_effort, by_set.groups.at(0).cost_per_effort);
}

TEST(Sweep, ContinuousFactorOnAnIntegerKey_IsRounded) {
  const sim::ScenarioSpec spec = load(with_sweep(R"(sweep:
  design: latin_hypercube
  samples: 16
  parameters:
    agents.0.count: {range: [5, 40]}
)"));
  ASSERT_TRUE(spec.sweep->parameters.at(0).integer);
  std::set<double> counts;
  for (const sim::RunTask& task : sim::plan_runs(spec)) {
    EXPECT_EQ(task.factors[0], std::nearbyint(task.factors[0]));
    counts.insert(task.factors[0]);
    EXPECT_EQ(spec.sweep->specs->make(0, task.factors)->agent_count(), static_cast<std::int64_t>(task.factors[0]));
  }
  EXPECT_GT(counts.size(), 10u);
  // Memory estimates see the largest point.
  EXPECT_EQ(spec.sweep->specs->largest()->agent_count(), static_cast<std::int64_t>(*counts.rbegin()));
}

TEST(Sweep, Comparison_VariantsAreTheLeverUnlessNamed) {
  const std::string scenario = std::string(test::minimal_scenario) + R"(compare:
  - variant: open_access
  - variant: state
    governance: {regime: state}
)";
  const sim::ScenarioSpec implicit = load(scenario + R"(sweep:
  design: factorial
  parameters:
    resource.growth_rate: {values: [0.3, 0.6]}
)");
  ASSERT_EQ(implicit.sweep->levers.size(), 1u);
  EXPECT_EQ(implicit.sweep->levers[0].path, "variant");
  const std::vector<sim::RunTask> tasks = sim::plan_runs(implicit);
  ASSERT_EQ(tasks.size(), 4u);
  EXPECT_EQ(tasks[1].variant, 1);
  // The regimes record different rules: two layouts, each run's the right one.
  const sim::PlanInfo plan = sim::plan_info(implicit, models::default_registry());
  ASSERT_EQ(plan.layouts.size(), 2u);
  EXPECT_EQ(plan.tasks[0].layout, 0);
  EXPECT_EQ(plan.tasks[1].layout, 1);
  EXPECT_EQ(implicit.sweep->specs->make(1, tasks[1].factors)->governance.regime, "state");

  const sim::ScenarioSpec named = load(scenario + R"(sweep:
  design: latin_hypercube
  samples: 4
  parameters:
    variant: {values: [state]}
    resource.growth_rate: {range: [0.3, 0.6]}
)");
  EXPECT_TRUE(named.sweep->levers.empty());
  for (const sim::RunTask& task : sim::plan_runs(named)) EXPECT_EQ(task.variant, 1);
}

TEST(Sweep, ListDesign_FactorsFromThePoints) {
  const sim::ScenarioSpec spec = load(with_sweep(R"(sweep:
  design: list
  points:
    - {resource.growth_rate: 0.3, agents.0.behaviour.model: fleet}
    - {resource.growth_rate: 0.6, agents.0.behaviour.model: fleet}
)"));
  ASSERT_EQ(spec.sweep->parameters.size(), 2u);
  EXPECT_EQ(spec.sweep->parameters[1].path, "agents.0.behaviour.model");
  EXPECT_FALSE(spec.sweep->parameters[1].numeric());
  const std::vector<sim::RunTask> tasks = sim::plan_runs(spec);
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_THAT(tasks[1].factors, ElementsAre(0.6, 0));  // a text factor carries its level's index
}

TEST(Sweep, ResolvedScenario_RecordsTheSweepWithItsDefaults) {
  const sim::ScenarioSpec spec = load(with_sweep(R"(replicates: 5
sweep:
  design: morris
  samples: 3
  parameters:
    resource.growth_rate: {range: [0.2, 0.8]}
)"));
  const nlohmann::json resolved = nlohmann::json::parse(spec.resolved_text);
  EXPECT_EQ(resolved.at("sweep").at("design"), "morris");
  EXPECT_EQ(resolved.at("sweep").at("replicates"), 5);
  EXPECT_EQ(resolved.at("sweep").at("levels"), 4);
  EXPECT_EQ(sim::plan_size(spec), 3 * 2 * 5);
}

TEST(Sweep, LayoutsLearntWithoutARegistry_EqualThoseLearntWithOne) {
  const std::string text = with_sweep(R"(sweep:
  design: factorial
  parameters:
    resource.growth_rate: {values: [0.3, 0.6]}
  levers:
    governance.regime: {values: [open_access, state, local]}
)");
  const sim::ScenarioSpec checked = load(text);
  const sim::ScenarioSpec unchecked = load_scenario_text(text, "test.yaml");
  const sim::PlanInfo a = sim::plan_info(checked, models::default_registry());
  const sim::PlanInfo b = sim::plan_info(unchecked, models::default_registry());
  ASSERT_EQ(a.layouts.size(), 3u);
  ASSERT_EQ(a.layouts.size(), b.layouts.size());
  for (std::size_t i = 0; i < a.tasks.size(); ++i) EXPECT_EQ(a.tasks[i].layout, b.tasks[i].layout);
  for (std::size_t i = 0; i < a.layouts.size(); ++i) EXPECT_EQ(a.layouts[i].series.size(), b.layouts[i].series.size());
}

TEST(Sweep, Execution_SameBitsOnOneAndTwoThreads) {
  const sim::ScenarioSpec spec = load(with_sweep(R"(sweep:
  design: sobol
  samples: 6
  replicates: 2
  parameters:
    resource.growth_rate: {range: [0.2, 0.8]}
    economics.cost_per_effort: {distribution: normal, mean: 2, sd: 0.5, range: [0.5, 4]}
  levers:
    governance.regime: {values: [open_access, state]}
)"));
  const auto execute = [&](int threads) {
    sim::MemorySink sink;
    sim::ExecutorOptions options;
    options.threads = threads;
    const sim::ExecutionReport report = sim::execute(spec, models::default_registry(), sink, options);
    EXPECT_EQ(report.completed, 24);
    return sink.results();
  };
  const std::vector<sim::RunResult> one = execute(1);
  const std::vector<sim::RunResult> two = execute(2);
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t run = 0; run < one.size(); ++run)
    for (std::size_t s = 0; s < one[run].series.size(); ++s)
      for (std::size_t t = 0; t < one[run].series[s].values.size(); ++t) {
        const double x = one[run].series[s].values[t];
        const double y = two[run].series[s].values[t];
        ASSERT_TRUE(x == y || (std::isnan(x) && std::isnan(y))) << "run " << run << " " << one[run].series[s].info.name;
      }
}

}  // namespace
}  // namespace commons::scenario
