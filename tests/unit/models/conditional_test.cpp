// SPDX-License-Identifier: Apache-2.0
// Conditional cooperation (Fischbacher, Gachter & Fehr 2001) in the Walker-Gardner-Ostrom CPR
// game (a = 23, b = 0.25, w = 5, endowment 10): one conditional agent among seven whose
// efforts are scripted, so every target is known by hand.

#include <commons/models/behaviour/conditional.hpp>
#include <commons/models/register_models.hpp>
#include <commons/sim/run.hpp>

#include <cpr_spec.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace commons::models {
namespace {

using testing::CprParameters;

using Values = std::map<std::string, sim::ParameterValue, std::less<>>;

sim::ComponentSpec conditional(Values values = {}) {
  return {"conditional", sim::Parameters(std::move(values)), "/groups/0/behaviour"};
}

sim::ComponentSpec schedule(std::vector<double> efforts) {
  return {"fixed", sim::Parameters({{"schedule", std::move(efforts)}}), "/groups/1/behaviour"};
}

/// Row 0: the conditional agent. Rows 1-3 follow `first`, rows 4-7 follow `second`.
sim::ScenarioSpec among_others(Values values, std::vector<double> first, std::vector<double> second,
                               std::int64_t steps) {
  auto spec = testing::cpr_scenario(CprParameters{}, conditional(std::move(values)), 1, steps);
  spec.groups.push_back({"three", 3, {{1.0, schedule(std::move(first))}}, 5.0});
  spec.groups.push_back({"four", 4, {{1.0, schedule(std::move(second))}}, 5.0});
  return spec;
}

std::vector<double> path(const sim::ScenarioSpec& spec) {
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  std::vector<double> efforts;
  while (!run.done()) {
    run.step();
    efforts.push_back(run.agents().effort[0]);
  }
  return efforts;
}

TEST(Conditional, Reciprocator_CopiesOthersLastAverageExactly) {
  // Others' averages: (3*2 + 4*9)/7 = 6, (3*5 + 4*2)/7 = 23/7, (3*7 + 4*0)/7 = 3.
  const auto efforts =
      path(among_others({{"rate", 1.0}, {"bias", 0.0}}, {2.0, 5.0, 7.0}, {9.0, 2.0, 0.0}, 4));
  EXPECT_EQ(efforts[0], 4.5);  // the equal share of the optimum 36 / 8 before anything is seen
  EXPECT_EQ(efforts[1], 6.0);
  EXPECT_EQ(efforts[2], 23.0 / 7.0);
  EXPECT_EQ(efforts[3], 3.0);
}

TEST(Conditional, RateAndBias_PartialAdjustmentTowardBiasedTarget) {
  // Default rate 0.5: 4.5 + 0.5 (6 - 4.5) = 5.25.
  EXPECT_EQ(path(among_others({}, {2.0}, {9.0}, 2))[1], 5.25);
  // Bias -1.5 (a "weak" conditional cooperator gives less than the others): 6 - 1.5.
  EXPECT_EQ(path(among_others({{"rate", 1.0}, {"bias", -1.5}}, {2.0}, {9.0}, 2))[1], 4.5);
  // Targets outside [0, endowment] are clamped.
  EXPECT_EQ(path(among_others({{"rate", 1.0}, {"bias", -10.0}}, {2.0}, {9.0}, 2))[1], 0.0);
  EXPECT_EQ(path(among_others({{"rate", 1.0}, {"bias", 10.0}}, {2.0}, {9.0}, 2))[1], 10.0);
}

TEST(Conditional, FreeRider_GoesToTheCap) {
  // Threshold 0: any positive contribution by the others is exploited with the whole endowment.
  const auto efforts = path(among_others({{"threshold", 0.0}}, {2.0}, {1.0}, 80));
  EXPECT_EQ(efforts[1], 7.25);  // 4.5 + 0.5 (10 - 4.5)
  EXPECT_EQ(efforts[2], 8.625);
  EXPECT_EQ(efforts.back(), 10.0);
  // Below the threshold the agent reciprocates instead: others' average 10/7 < 2.
  const auto reciprocating = path(among_others({{"threshold", 2.0}, {"rate", 1.0}}, {2.0}, {1.0}, 2));
  EXPECT_EQ(reciprocating[1], 10.0 / 7.0);
}

sim::ScenarioSpec with_pledges(Values values, double trust) {
  // Seven scripted others invest 9 tokens each round but pledge 2.
  sim::Table decisions{"pledges.csv", {"step", "agent", "effort", "pledge"}, {}, {}};
  for (int agent = 0; agent < 7; ++agent) {
    decisions.rows.push_back({0.0, static_cast<double>(agent), 9.0, 2.0});
    decisions.lines.push_back(static_cast<std::size_t>(agent) + 2);
  }
  auto spec = testing::cpr_scenario(CprParameters{}, conditional(std::move(values)), 1, 4);
  spec.groups.push_back(
      {"talkers", 7, {{1.0, {"scripted", sim::Parameters({{"decisions", decisions}}), "/groups/1/behaviour"}}}, 5.0});
  spec.communication.mode = sim::CommunicationSpec::Mode::repeated;
  spec.communication.start_step = 0;
  spec.communication.initial_trust = trust;
  spec.communication.trust_rate = 0.0;  // trust stays where it starts, whatever is kept
  return spec;
}

TEST(Conditional, FullTrustAndHeardPledge_TargetIsThePledge) {
  const auto efforts = path(with_pledges({{"rate", 1.0}}, 1.0));
  // Without talk the reciprocator would follow the others to 9; trusting them, it does what
  // they promised.
  for (double effort : efforts) EXPECT_EQ(effort, 2.0);
}

TEST(Conditional, HalfTrust_TargetMixesPledgeAndObservation) {
  const auto efforts = path(with_pledges({{"rate", 1.0}}, 0.5));
  EXPECT_EQ(efforts[0], 3.25);  // nothing observed yet: 0.5 * 2 + 0.5 * 4.5 (own opening)
  EXPECT_EQ(efforts[1], 5.5);   // 0.5 * 2 + 0.5 * 9
  EXPECT_EQ(efforts[3], 5.5);
}

TEST(Conditional, ThresholdWithoutCap_Rejected) {
  sim::ScenarioSpec spec = among_others({{"threshold", 1.0}}, {1.0}, {1.0}, 1);
  spec.resource = {"fishery_logistic",
                   sim::Parameters({{"growth_rate", 0.5},
                                    {"carrying_capacity", 1000.0},
                                    {"catchability", 0.01},
                                    {"initial_stock", 1000.0},
                                    {"observation_noise", 0.0}}),
                   "/resource"};
  EXPECT_THROW(sim::Run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}), sim::SpecError);
}

TEST(Conditional, HeterogeneousPopulation_SerialAndParallelGiveSameBits) {
  sim::Distribution rate{sim::Distribution::Kind::uniform, 0.1, 1.0, {}, {}};
  sim::Distribution bias{sim::Distribution::Kind::normal, 0.0, 0.5, {}, {}};
  sim::Distribution start{sim::Distribution::Kind::uniform, 0.0, 10.0, {}, {}};
  sim::Distribution threshold{sim::Distribution::Kind::discrete, 0.0, 0.0, {0.0, 1e9}, {0.2, 0.8}};
  CprParameters p;
  p.production_quadratic = 0.25 / 1250.0;
  auto spec = testing::cpr_scenario(
      p, conditional({{"rate", rate}, {"bias", bias}, {"initial_effort", start}, {"threshold", threshold}}), 10000,
      10);
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
  EXPECT_EQ(*std::max_element(effort.begin(), effort.end()), 10.0);  // some free riders at the cap
  EXPECT_LT(*std::min_element(effort.begin(), effort.end()), 10.0);
}

}  // namespace
}  // namespace commons::models
