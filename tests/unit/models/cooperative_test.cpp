// SPDX-License-Identifier: Apache-2.0
// Unconditional cooperators apply their share of the social optimum: in the Walker-Gardner-
// Ostrom CPR game (a = 23, b = 0.25, w = 5, 8 players) X* = (a - w) / (2b) = 36, 4.5 each.

#include <commons/models/behaviour/cooperative.hpp>
#include <commons/models/register_models.hpp>
#include <commons/sim/run.hpp>

#include <cpr_spec.hpp>
#include <fishery_spec.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <numeric>
#include <string>

namespace commons::models {
namespace {

using testing::CprParameters;

sim::ComponentSpec cooperative(std::map<std::string, sim::ParameterValue, std::less<>> values = {}) {
  return {"cooperative", sim::Parameters(std::move(values)), "/groups/0/behaviour"};
}

TEST(Cooperative, LabDesign_EachInvestsExactly4p5AndGroupReachesOptimum36) {
  auto spec = testing::cpr_scenario(CprParameters{}, cooperative(), 8, 5);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) {
    run.step();
    for (double effort : run.agents().effort) EXPECT_EQ(effort, 4.5);
    const auto& effort = run.agents().effort;
    EXPECT_EQ(std::accumulate(effort.begin(), effort.end(), 0.0), 36.0);
  }
  // At the optimum every player earns NY* / 8 = (23 * 36 - 0.25 * 36^2 - 5 * 36) / 8 = 40.5.
  for (double income : run.agents().income) EXPECT_EQ(income, 40.5);
}

TEST(Cooperative, ShareOfOptimum_ScalesAndCapClamps) {
  auto half = testing::cpr_scenario(CprParameters{}, cooperative({{"share_of_optimum", 0.5}}), 8, 1);
  sim::Run run(half, default_registry(), sim::RunTask{0, 0, half.seed, {}});
  run.step();
  for (double effort : run.agents().effort) EXPECT_EQ(effort, 2.25);
  // Three times the optimum share would be 13.5 tokens, more than the endowment of 10.
  auto greedy = testing::cpr_scenario(CprParameters{}, cooperative({{"share_of_optimum", 3.0}}), 8, 1);
  sim::Run capped(greedy, default_registry(), sim::RunTask{0, 0, greedy.seed, {}});
  capped.step();
  for (double effort : capped.agents().effort) EXPECT_EQ(effort, 10.0);
  auto limited = testing::cpr_scenario(CprParameters{}, cooperative({{"max_effort", 3.0}}), 8, 1);
  sim::Run low(limited, default_registry(), sim::RunTask{0, 0, limited.seed, {}});
  low.step();
  for (double effort : low.agents().effort) EXPECT_EQ(effort, 3.0);
}

TEST(Cooperative, FisheryOptimum_EqualShareOfMaximumEconomicYieldEffort) {
  const testing::FisheryParameters p;
  auto spec = testing::fishery_scenario(p, cooperative(), 10, 1);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  const auto optimum = sim::optimal_total_effort(run.resource(), spec.economics);
  ASSERT_TRUE(optimum.has_value());
  run.step();
  for (double effort : run.agents().effort) EXPECT_EQ(effort, *optimum / 10.0);
}

TEST(Cooperative, HeterogeneousShares_SerialAndParallelGiveSameBits) {
  sim::Distribution share{sim::Distribution::Kind::uniform, 0.5, 1.5, {}, {}};
  CprParameters p;
  p.production_quadratic = 0.25 / 1250.0;
  auto spec = testing::cpr_scenario(p, cooperative({{"share_of_optimum", share}}), 10000, 4);
  sim::Run serial(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, sim::ExecutionPolicy{false});
  sim::Run parallel(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, sim::ExecutionPolicy{true});
  while (!serial.done()) {
    serial.step();
    parallel.step();
    const auto& a = serial.agents();
    const auto& b = parallel.agents();
    EXPECT_EQ(std::memcmp(a.effort.data(), b.effort.data(), a.size() * sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(a.income.data(), b.income.data(), a.size() * sizeof(double)), 0);
  }
  const auto& effort = serial.agents().effort;
  EXPECT_LT(*std::min_element(effort.begin(), effort.end()), *std::max_element(effort.begin(), effort.end()));
}

}  // namespace
}  // namespace commons::models
