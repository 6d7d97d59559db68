// SPDX-License-Identifier: Apache-2.0
// Cournot best response in the Walker-Gardner-Ostrom CPR game (a = 23, b = 0.25, w = 5, price 1,
// 8 players, endowment 10): x*(Y) = (a - w - b Y) / (2b) = 36 - Y/2, Nash group investment 64.

#include <commons/models/behaviour/best_response.hpp>
#include <commons/models/register_models.hpp>
#include <commons/models/resources/cpr_quadratic.hpp>
#include <commons/sim/run.hpp>

#include <behaviour_bench.hpp>
#include <cpr_spec.hpp>
#include <fishery_spec.hpp>
#include <plain_resource.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <string>
#include <vector>

namespace commons::models {
namespace {

using testing::CprParameters;

CprQuadratic lab_cpr() {
  return CprQuadratic(CprQuadratic::Parameters::from(testing::cpr(CprParameters{}).parameters));
}

const std::vector<double> tokens{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

sim::ComponentSpec best_response(std::map<std::string, sim::ParameterValue, std::less<>> values = {}) {
  return {"best_response", sim::Parameters(std::move(values)), "/groups/0/behaviour"};
}

double total_effort(const sim::Run& run) {
  const auto& effort = run.agents().effort;
  return std::accumulate(effort.begin(), effort.end(), 0.0);
}

TEST(BestResponse, AgainstOthers56_DiscreteChoiceIsExactly8) {
  const CprQuadratic cpr = lab_cpr();
  const sim::Economics money = testing::cpr_economics(CprParameters{});
  // Payoff x (4 - x/4): 15.75 at 7 and 9, 16 at 8.
  EXPECT_EQ(BestResponse::best_effort(cpr, money, SocialPreference{}, 56.0, 8, 5.0, 10.0, tokens), 8.0);
}

TEST(BestResponse, AgainstOthers56_ContinuousWithin1e9Of8) {
  const CprQuadratic cpr = lab_cpr();
  const sim::Economics money = testing::cpr_economics(CprParameters{});
  EXPECT_NEAR(BestResponse::best_effort(cpr, money, SocialPreference{}, 56.0, 8, 5.0, 10.0, {}), 8.0, 1e-9);
  // Across beliefs, the closed form clamped to [0, 10] (the resource's own formula).
  for (double others : {0.0, 20.0, 31.5, 44.4, 51.0, 60.0, 70.0, 71.9, 72.0, 80.0})
    EXPECT_NEAR(BestResponse::best_effort(cpr, money, SocialPreference{}, others, 8, 5.0, 10.0, {}),
                cpr.best_response(others, money), 1e-9)
        << "others " << others;
}

TEST(BestResponse, Ties_GoToSmallestEffort) {
  const CprQuadratic cpr = lab_cpr();
  const sim::Economics money = testing::cpr_economics(CprParameters{});
  // Against Y = 57 the payoff x (3.75 - x/4) peaks at 7.5: 7 and 8 both pay 14.0.
  EXPECT_EQ(BestResponse::best_effort(cpr, money, SocialPreference{}, 57.0, 8, 5.0, 10.0, tokens), 7.0);
  // Against Y = 72 investing pays nothing at the margin; x (-x/4) is best at 0.
  EXPECT_EQ(BestResponse::best_effort(cpr, money, SocialPreference{}, 72.0, 8, 5.0, 10.0, tokens), 0.0);
}

TEST(BestResponse, CornerSolutions_EndpointsFound) {
  const CprQuadratic cpr = lab_cpr();
  const sim::Economics money = testing::cpr_economics(CprParameters{});
  EXPECT_EQ(BestResponse::best_effort(cpr, money, SocialPreference{}, 0.0, 8, 5.0, 10.0, {}), 10.0);
  EXPECT_EQ(BestResponse::best_effort(cpr, money, SocialPreference{}, 90.0, 8, 5.0, 10.0, {}), 0.0);
  EXPECT_EQ(BestResponse::best_effort(cpr, money, SocialPreference{}, 20.0, 8, 5.0, 0.0, {}), 0.0);
}

TEST(BestResponse, FirstStep_PlaysEqualShareOfOptimum) {
  auto spec = testing::cpr_scenario(CprParameters{}, best_response(), 8, 3);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  for (double effort : run.agents().effort) EXPECT_EQ(effort, 4.5);
}

TEST(BestResponse, BeliefWeight03_ConvergesToNash64) {
  // belief B <- 0.7 B + 0.3 * 7 x(B), x(B) = 36 - B/2: B' = 75.6 - 0.35 B, a contraction with
  // fixed point 56 (the others' Nash total), so every agent ends at 8 and the group at 64.
  auto spec = testing::cpr_scenario(CprParameters{}, best_response({{"belief_weight", 0.3}}), 8, 60);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  EXPECT_NEAR(total_effort(run), 64.0, 1e-6);
  for (double effort : run.agents().effort) EXPECT_NEAR(effort, 8.0, 1e-7);
}

TEST(BestResponse, BeliefWeight03WithChoices_ConvergesToNash64Exactly) {
  auto spec = testing::cpr_scenario(
      CprParameters{}, best_response({{"belief_weight", 0.3}, {"choices", tokens}}), 8, 60);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  EXPECT_EQ(total_effort(run), 64.0);
}

TEST(BestResponse, MyopicSimultaneousCournot_OscillatesAndNeverConverges) {
  // With belief weight 1 and no inertia everyone reacts to last step's total at once. The
  // symmetric map x' = 36 - 3.5 x has slope -3.5: the Nash point is unstable (the known
  // instability of simultaneous Cournot adjustment with more than three firms, Theocharis
  // 1960). From 4.5 each: 36 - 15.75 = 20.25 -> 10 (the endowment), then 36 - 35 = 1, then
  // 36 - 3.5 = 32.5 -> 10, ... a 2-cycle between group investments 80 and 8.
  auto spec = testing::cpr_scenario(CprParameters{}, best_response(), 8, 40);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  std::vector<double> totals;
  while (!run.done()) {
    run.step();
    totals.push_back(total_effort(run));
  }
  EXPECT_EQ(totals[0], 36.0);
  for (std::size_t t = 1; t < totals.size(); ++t) {
    EXPECT_NEAR(totals[t], t % 2 == 1 ? 80.0 : 8.0, 1e-8) << "step " << t;
    EXPECT_GT(std::abs(totals[t] - 64.0), 15.0);
  }
}

TEST(BestResponse, HighInertia_SettlesAtNash64) {
  // Inertia 0.9: in most steps only a few agents revise, which damps the overshooting of the
  // simultaneous map; with this seed the group settles at the Nash investment.
  auto spec = testing::cpr_scenario(CprParameters{}, best_response({{"inertia", 0.9}, {"choices", tokens}}), 8, 400);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  EXPECT_EQ(total_effort(run), 64.0);
}

// Issue 14: best-responder populations reach the Nash investment in both laboratory designs
// (Ostrom, Gardner & Walker 1994, ch. 5): with 10 and with 25 tokens a player, Nash is 64 for the
// group, interior in both. Fifty groups each (replicates: their own random streams), whole
// tokens, inertia 0.9; in the 25-token design the first responses can overshoot further, as the
// endowment no longer caps them at 10.
TEST(BestResponse, InertPopulations_ReachNash64InBothLabDesigns) {
  for (const double endowment : {10.0, 25.0}) {
    SCOPED_TRACE(endowment);
    CprParameters design;
    design.endowment = endowment;
    std::vector<double> choices;
    for (double x = 0.0; x <= endowment; x += 1.0) choices.push_back(x);
    const auto spec = testing::cpr_scenario(design, best_response({{"inertia", 0.9}, {"choices", choices}}), 8, 400);
    int at_nash = 0;
    double late_total = 0.0;
    for (std::int64_t group = 0; group < 50; ++group) {
      sim::Run run(spec, default_registry(), sim::RunTask{group, group, spec.seed, {}});
      double late = 0.0;
      while (!run.done()) {
        run.step();
        if (run.steps_done() > 351) late += total_effort(run);
      }
      at_nash += total_effort(run) == 64.0 ? 1 : 0;
      late_total += late / 49.0;
    }
    EXPECT_GE(at_nash, 45);  // all 50 do, in both designs, with these streams
    EXPECT_NEAR(late_total / 50.0, 64.0, 1.0);
  }
}

TEST(BestResponse, Inertia_KeepsLastEffortWithItsProbability) {
  // Inertia 1: nobody ever revises, so the opening 4.5 holds forever.
  auto spec = testing::cpr_scenario(CprParameters{}, best_response({{"inertia", 1.0}}), 8, 10);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  for (double effort : run.agents().effort) EXPECT_EQ(effort, 4.5);
}

TEST(BestResponse, Belief_IsExponentialAverageOfOthersTotals) {
  CprParameters p;
  p.endowment = 25.0;  // the lab's high-endowment design, so the cap does not bind below
  auto spec = testing::cpr_scenario(p, best_response({{"belief_weight", 0.25}, {"initial_effort", 2.0}}), 4, 3);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();  // everyone 2: the first observation, others' total 6, is the belief
  EXPECT_EQ(total_effort(run), 8.0);
  run.step();  // best response to 6: 36 - 3 = 33 -> 25 (the endowment); others' total 75
  for (double effort : run.agents().effort) EXPECT_EQ(effort, 25.0);
  run.step();  // belief 0.75 * 6 + 0.25 * 75 = 23.25: 36 - 11.625 = 24.375
  for (double effort : run.agents().effort) EXPECT_NEAR(effort, 24.375, 1e-9);
}

TEST(BestResponse, UnboundedEffortWithoutChoices_Rejected) {
  auto spec = testing::fishery_scenario(testing::FisheryParameters{}, best_response(), 4, 3);
  EXPECT_THROW(sim::Run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}), sim::SpecError);
  // With a cap the fishery's kernel is searched like any other.
  auto capped = testing::fishery_scenario(testing::FisheryParameters{}, best_response({{"max_effort", 5.0}}), 4, 3);
  sim::Run run(capped, default_registry(), sim::RunTask{0, 0, capped.seed, {}});
  while (!run.done()) run.step();
  for (double effort : run.agents().effort) {
    EXPECT_GE(effort, 0.0);
    EXPECT_LE(effort, 5.0);
  }
}

void expect_same_tables(const sim::AgentTable& a, const sim::AgentTable& b) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(std::memcmp(a.effort.data(), b.effort.data(), a.size() * sizeof(double)), 0);
  EXPECT_EQ(std::memcmp(a.income.data(), b.income.data(), a.size() * sizeof(double)), 0);
}

TEST(BestResponse, HeterogeneousPopulation_SerialAndParallelGiveSameBits) {
  // 10000 agents: three blocks of 4096, so decide and learn run on several threads.
  sim::Distribution weight{sim::Distribution::Kind::uniform, 0.1, 1.0, {}, {}};
  sim::Distribution inertia{sim::Distribution::Kind::uniform, 0.0, 0.5, {}, {}};
  sim::Distribution guilt{sim::Distribution::Kind::uniform, 0.0, 0.5, {}, {}};
  sim::Parameters values({{"belief_weight", weight}, {"inertia", inertia}});
  values.set_block("social_preference",
                   sim::Parameters({{"model", std::string("fehr_schmidt")}, {"envy", 0.3}, {"guilt", guilt}}));
  CprParameters p;
  p.production_quadratic = 0.25 / 1250.0;  // the lab's game scaled to 10000 players
  auto spec = testing::cpr_scenario(p, {"best_response", values, "/groups/0/behaviour"}, 10000, 12);
  sim::Run serial(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, sim::ExecutionPolicy{false});
  sim::Run parallel(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, sim::ExecutionPolicy{true});
  while (!serial.done()) {
    serial.step();
    parallel.step();
    expect_same_tables(serial.agents(), parallel.agents());
  }
  // Heterogeneous beliefs and inertia really do spread the efforts out.
  const auto& effort = serial.agents().effort;
  EXPECT_NE(*std::min_element(effort.begin(), effort.end()), *std::max_element(effort.begin(), effort.end()));
}

// Whole steps of a heterogeneous population choosing among tokens: the batch argmax (one
// payoff evaluation per choice for a block of agents, through CprQuadratic::harvest_if_each)
// against the same behaviour on a resource that offers no batch, where every candidate of
// every agent is a harvest_if call. They must agree bit for bit.
void expect_batch_choices_match_one_at_a_time(const sim::Parameters& values) {
  CprParameters p;
  p.production_quadratic = 0.25 / 125.0;  // the lab's game scaled to 1000 players
  using Plain = testing::PlainResource<CprQuadratic>;
  testing::BehaviourBench<BestResponse> batch(p, 1000, values);
  testing::BehaviourBench<BestResponse, Plain> plain(p, 1000, values);
  for (int step = 0; step < 12; ++step) {
    batch.step();
    plain.step();
    for (std::size_t i = 0; i < 1000; ++i) {
      ASSERT_EQ(batch.table().effort[i], plain.table().effort[i]) << "step " << step << " agent " << i;
      ASSERT_EQ(batch.behaviour().belief(i), plain.behaviour().belief(i));
    }
  }
  const auto& effort = batch.table().effort;
  EXPECT_NE(*std::min_element(effort.begin(), effort.end()), *std::max_element(effort.begin(), effort.end()));
}

TEST(BestResponse, ChoicesInBatches_SameBitsAsOneCallPerCandidate) {
  sim::Distribution weight{sim::Distribution::Kind::uniform, 0.1, 1.0, {}, {}};
  sim::Distribution inertia{sim::Distribution::Kind::uniform, 0.0, 0.5, {}, {}};
  sim::Distribution cap{sim::Distribution::Kind::uniform, 4.0, 12.0, {}, {}};
  // Choices beyond some agents' caps, so that clamped candidates repeat.
  std::vector<double> choices{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  expect_batch_choices_match_one_at_a_time(
      sim::Parameters({{"belief_weight", weight}, {"inertia", inertia}, {"max_effort", cap}, {"choices", choices}}));
  // With a social preference the representative others' payoffs are a second batch.
  sim::Distribution guilt{sim::Distribution::Kind::uniform, 0.0, 0.5, {}, {}};
  sim::Parameters social({{"belief_weight", weight}, {"inertia", inertia}, {"max_effort", cap}, {"choices", choices}});
  social.set_block("social_preference",
                   sim::Parameters({{"model", std::string("fehr_schmidt")}, {"envy", 0.3}, {"guilt", guilt}}));
  expect_batch_choices_match_one_at_a_time(social);
}

TEST(BestResponse, ContinuousWithClosedForm_WithinTheSearchOfTheResourceWithout) {
  // The closed form is the exact vertex; the search finds it to about 1e-9 of the cap, so the
  // two runs agree to that precision step after step (and do not drift apart: the dynamics
  // contract with belief weight 0.3).
  CprParameters p;
  p.production_quadratic = 0.25 / 125.0;
  sim::Distribution weight{sim::Distribution::Kind::uniform, 0.1, 1.0, {}, {}};
  const sim::Parameters values({{"belief_weight", weight}});
  testing::BehaviourBench<BestResponse> closed(p, 1000, values);
  testing::BehaviourBench<BestResponse, testing::PlainResource<CprQuadratic>> searched(p, 1000, values);
  for (int step = 0; step < 12; ++step) {
    closed.step();
    searched.step();
    for (std::size_t i = 0; i < 1000; ++i)
      ASSERT_NEAR(closed.table().effort[i], searched.table().effort[i], 1e-8) << "step " << step << " agent " << i;
  }
}

}  // namespace
}  // namespace commons::models
