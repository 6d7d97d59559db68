// SPDX-License-Identifier: Apache-2.0
// Smith-style open-access entry and exit settles at the Gordon point.

#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>

#include <gtest/gtest.h>

#include <numeric>

namespace commons::models {
namespace {

using testing::FisheryParameters;

TEST(Fleet, OpenAccessDynamics_ConvergeToGordonPoint) {
  const FisheryParameters sets[] = {
      {0.5, 1000.0, 0.01, 1000.0, 0.0, 10.0, 25.0},
      {0.5, 3500.0, 0.0005, 3500.0, 0.0, 200.0, 150.0},
      {0.9, 80.0, 0.2, 40.0, 0.0, 2.0, 10.0},
  };
  for (const FisheryParameters& p : sets) {
    // eta scaled so that the effort response is comparable across parameter sets.
    const double eta = 0.05 / (p.price * p.catchability * p.carrying_capacity);
    auto spec = testing::fishery_scenario(p, testing::fleet(0.1, eta), 25, 20000);
    sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
    while (!run.done()) run.step();
    const double gordon_stock = p.cost_per_effort / (p.price * p.catchability);
    EXPECT_NEAR(run.resource().stock(), gordon_stock, 1e-6 * gordon_stock);
    const double total_effort = std::accumulate(run.agents().effort.begin(), run.agents().effort.end(), 0.0);
    const double gordon_effort = p.growth_rate / p.catchability * (1.0 - gordon_stock / p.carrying_capacity);
    EXPECT_NEAR(total_effort, gordon_effort, 1e-6 * gordon_effort);
    const sim::RunResult result = run.take_result();
    // Rent is dissipated: income per step near zero relative to revenue.
    const auto rent = std::find_if(result.series.begin(), result.series.end(), [](const auto& s) { return s.info.name == "rent"; });
    ASSERT_NE(rent, result.series.end());
    EXPECT_NEAR(rent->values.back(), 0.0, 1e-5 * p.price * p.growth_rate * p.carrying_capacity);
  }
}

TEST(Fleet, EffortUpdate_FollowsSmithRuleExactly) {
  FisheryParameters p;  // p q X - c = 10 * 0.01 * 1000 - 25 = 75 at the start
  auto spec = testing::fishery_scenario(p, testing::fleet(2.0, 0.001, 2.1), 3, 2);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  EXPECT_EQ(run.agents().effort[0], 2.0);
  run.step();
  // 2 + 0.001 * 75 * 2 = 2.15, capped at 2.1.
  EXPECT_EQ(run.agents().effort[0], 2.1);
}

TEST(Fleet, LossMakingFishery_EffortNeverNegative) {
  FisheryParameters p;
  p.cost_per_effort = 1e4;
  auto spec = testing::fishery_scenario(p, testing::fleet(5.0, 1.0), 5, 10);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) {
    run.step();
    for (double effort : run.agents().effort) ASSERT_GE(effort, 0.0);
  }
  EXPECT_EQ(run.agents().effort[0], 0.0);
}

}  // namespace
}  // namespace commons::models
