// SPDX-License-Identifier: Apache-2.0
// Fixed effort: schedules, and the closed-form stock a constant effort holds.

#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>

#include <gtest/gtest.h>

namespace commons::models {
namespace {

using testing::FisheryParameters;

double final_stock(const sim::ScenarioSpec& spec) {
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  return run.resource().stock();
}

TEST(FixedEffort, ConstantEffort_StockConvergesToClosedForm) {
  // X* = K (1 - qE/r) for total effort E below r/q.
  const FisheryParameters sets[] = {
      {0.5, 1000.0, 0.01, 1000.0},
      {0.8, 200.0, 0.05, 50.0},
      {0.3, 5e4, 1e-4, 1e4},
  };
  for (const FisheryParameters& p : sets) {
    for (double fraction : {0.2, 0.5, 0.8}) {
      const double total_effort = fraction * p.growth_rate / p.catchability;
      const auto spec = testing::fishery_scenario(p, testing::fixed_effort(total_effort / 10.0), 10, 4000);
      const double expected = p.carrying_capacity * (1.0 - p.catchability * total_effort / p.growth_rate);
      EXPECT_NEAR(final_stock(spec), expected, 1e-6 * expected) << "r=" << p.growth_rate << " E=" << total_effort;
    }
  }
}

TEST(FixedEffort, MsyEffort_HoldsStockAtHalfCapacityAndYieldsMsy) {
  const FisheryParameters p;
  const double msy_effort = p.growth_rate / (2.0 * p.catchability);
  auto spec = testing::fishery_scenario(p, testing::fixed_effort(msy_effort / 20.0), 20, 3000);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  const sim::RunResult result = run.take_result();
  const auto& harvest = result.series[2];
  ASSERT_EQ(harvest.info.name, "harvest");
  EXPECT_NEAR(run.resource().stock(), p.carrying_capacity / 2.0, 1e-6 * p.carrying_capacity);
  EXPECT_NEAR(harvest.values.back(), p.growth_rate * p.carrying_capacity / 4.0, 1e-6 * p.carrying_capacity);
}

TEST(FixedEffort, Schedule_IsFollowedThenLastValueHeld) {
  FisheryParameters p;
  sim::ComponentSpec schedule{"fixed", sim::Parameters({{"schedule", std::vector<double>{1.0, 2.0, 3.0}}}), ""};
  auto spec = testing::fishery_scenario(p, schedule, 4, 6);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  const double expected[] = {1.0, 2.0, 3.0, 3.0, 3.0, 3.0};
  for (double effort : expected) {
    run.step();
    for (double e : run.agents().effort) EXPECT_EQ(e, effort);
  }
}

}  // namespace
}  // namespace commons::models
