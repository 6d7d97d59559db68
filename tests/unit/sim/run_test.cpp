// SPDX-License-Identifier: Apache-2.0
#include "toy_world.hpp"

#include <commons/sim/run.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace commons::sim {
namespace {

TEST(Run, Step_VisitsRulePhasesInDesignOrder) {
  std::vector<std::string> log;
  const Registry registry = toy::registry(&log);
  ScenarioSpec spec = toy::scenario(4, 1, 1);
  spec.governance.regime = "logged";
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  run.step();
  EXPECT_EQ(log, (std::vector<std::string>{"announce", "communicate", "decide", "comply", "harvest", "monitor",
                                           "sanction", "trade", "settle", "learn", "choose", "grow", "record"}));
}

TEST(Run, AgentIds_AreStableAndContiguousAcrossGroups) {
  const Registry registry = toy::registry();
  const ScenarioSpec spec = toy::scenario(5, 1, 1);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  EXPECT_EQ(run.agents().id, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(run.agents().group, (std::vector<std::uint32_t>{0, 0, 1, 1, 1}));
}

TEST(Run, Settle_IncomeIsPriceTimesHarvestMinusCostTimesEffort) {
  const Registry registry = toy::registry();
  const ScenarioSpec spec = toy::scenario(6, 3, 1);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) {
    run.step();
    const AgentTable& agents = run.agents();
    for (std::size_t i = 0; i < agents.size(); ++i)
      EXPECT_DOUBLE_EQ(agents.income[i], 2.0 * agents.harvest[i] - agents.cost_per_effort[i] * agents.effort[i]);
  }
  const RunResult result = run.take_result();
  ASSERT_EQ(result.series.size(), 6u);
  EXPECT_EQ(result.series[0].info.name, "stock");
  const auto& rent = result.series[3];
  EXPECT_EQ(rent.info.name, "rent");
  EXPECT_EQ(rent.values.size(), 3u);
  // Agent data are [step, agent]: the last step's incomes sum to the last rent.
  const auto& income = result.agents[2].values;
  EXPECT_NEAR(std::accumulate(income.end() - 6, income.end(), 0.0), rent.values.back(), 1e-12);
}

TEST(Run, OutputSelection_KeepsOnlyNamedSeriesInCanonicalOrder) {
  const Registry registry = toy::registry();
  ScenarioSpec spec = toy::scenario(4, 2, 1);
  spec.output.series = {"rent", "stock"};
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  const RunResult result = run.take_result();
  ASSERT_EQ(result.series.size(), 2u);
  EXPECT_EQ(result.series[0].info.name, "stock");
  EXPECT_EQ(result.series[1].info.name, "rent");
}

TEST(Run, UnknownSeries_IsRejectedWhenBuilt) {
  const Registry registry = toy::registry();
  ScenarioSpec spec = toy::scenario(4, 2, 1);
  spec.output.series = {"growth"};
  EXPECT_THROW(sim::Run(spec, registry, RunTask{0, 0, spec.seed, {}}), SpecError);
}

TEST(Run, Summary_HasEfficiencyAgainstOptimumAndCollapseStep) {
  const Registry registry = toy::registry();
  const ScenarioSpec spec = toy::scenario(10, 5, 1);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  const RunResult result = run.take_result();
  auto value = [&](const std::string& name) {
    for (const ScalarData& s : result.summary)
      if (s.info.name == name) return s.value;
    ADD_FAILURE() << name;
    return std::nan("");
  };
  EXPECT_GT(value("efficiency"), 0.0);
  EXPECT_TRUE(std::isnan(value("collapse_step")));  // the pool refills above its threshold
  EXPECT_EQ(result.references.size(), 1u);
}

}  // namespace
}  // namespace commons::sim
