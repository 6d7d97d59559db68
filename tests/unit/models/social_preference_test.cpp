// SPDX-License-Identifier: Apache-2.0
// Social preferences as utility transforms: Fehr & Schmidt (1999) inequity aversion and the
// SVO ring angle (Liebrand 1984; Murphy, Ackermann & Handgraaf 2011), on hand-worked values of
// the Walker-Gardner-Ostrom CPR game (a = 23, b = 0.25, w = 5, n = 8), and their effect on a
// best response.

#include <commons/models/behaviour/best_response.hpp>
#include <commons/models/behaviour/social_preference.hpp>
#include <commons/models/register_models.hpp>
#include <commons/models/resources/cpr_quadratic.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run.hpp>

#include <cpr_spec.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace commons::models {
namespace {

using testing::CprParameters;

CprQuadratic lab_cpr() {
  return CprQuadratic(CprQuadratic::Parameters::from(testing::cpr(CprParameters{}).parameters));
}

sim::Parameters fehr_schmidt_block(double envy, double guilt) {
  return sim::Parameters({{"model", std::string("fehr_schmidt")}, {"envy", envy}, {"guilt", guilt}});
}

sim::Parameters svo_block(double angle) {
  return sim::Parameters({{"model", std::string("svo")}, {"angle", angle}});
}

TEST(SocialPreference, NoBlock_UtilityIsOwnPayoffBitForBit) {
  const SocialPreference selfish = SocialPreference::from(nullptr);
  EXPECT_EQ(selfish.model(), SocialPreference::Model::selfish);
  EXPECT_TRUE(selfish.selfish());
  for (double own : {-3.7, 0.0, 0.1, 16.0, 1e300})
    for (double others : {-1.0, 0.3, 1e12}) EXPECT_EQ(selfish.utility(own, others), own);
  const CprQuadratic cpr = lab_cpr();
  const sim::Economics money = testing::cpr_economics(CprParameters{});
  for (double x : {0.0, 0.1, 3.3, 8.0, 10.0}) {
    // The engine's income: price * harvest - cost * effort, the same expression.
    const double income = money.price * cpr.harvest_if(x, 56.3) - 5.0 * x;
    EXPECT_EQ(selfish.utility_of_choice(cpr, money, x, 56.3, 8, 5.0), income);
    EXPECT_EQ(SocialPreference::payoff(cpr, money, x, 56.3, 5.0), income);
  }
}

TEST(SocialPreference, FehrSchmidt_HandWorkedValues) {
  const sim::Parameters block = fehr_schmidt_block(0.5, 0.25);
  const SocialPreference fs = SocialPreference::from(&block);
  EXPECT_EQ(fs.model(), SocialPreference::Model::fehr_schmidt);
  EXPECT_EQ(fs.envy(), 0.5);
  EXPECT_EQ(fs.guilt(), 0.25);
  // Behind: 10 - 0.5 (16 - 10) = 7. Ahead: 20 - 0.25 (20 - 12) = 18. Level: no correction.
  EXPECT_EQ(fs.utility(10.0, 16.0), 7.0);
  EXPECT_EQ(fs.utility(20.0, 12.0), 18.0);
  EXPECT_EQ(fs.utility(5.0, 5.0), 5.0);
}

TEST(SocialPreference, FehrSchmidtInCprGame_RepresentativeOtherHandWorked) {
  const CprQuadratic cpr = lab_cpr();
  const sim::Economics money = testing::cpr_economics(CprParameters{});
  const sim::Parameters block = fehr_schmidt_block(0.5, 0.25);
  const SocialPreference fs = SocialPreference::from(&block);
  // Others invest Y = 56 (8 each). x = 8: everyone earns 8 (23 - 16) - 40 = 16; no inequity.
  EXPECT_EQ(fs.utility_of_choice(cpr, money, 8.0, 56.0, 8, 5.0), 16.0);
  // x = 10: X = 66, own 10 * 6.5 - 50 = 15; a representative other 8 * 6.5 - 40 = 12.
  // u = 15 - 0.25 (15 - 12) = 14.25.
  EXPECT_EQ(fs.utility_of_choice(cpr, money, 10.0, 56.0, 8, 5.0), 14.25);
  // x = 0: X = 56, own 0; other 8 * 9 - 40 = 32. u = 0 - 0.5 * 32 = -16.
  EXPECT_EQ(fs.utility_of_choice(cpr, money, 0.0, 56.0, 8, 5.0), -16.0);
  // Alone (n = 1) there is nobody to compare with: the own payoff.
  EXPECT_EQ(fs.utility_of_choice(cpr, money, 10.0, 0.0, 1, 5.0), 10.0 * (23.0 - 2.5) - 50.0);
}

TEST(SocialPreference, SvoAngles_WeightOwnAndOthers) {
  const CprQuadratic cpr = lab_cpr();
  const sim::Economics money = testing::cpr_economics(CprParameters{});
  const sim::Parameters zero = svo_block(0.0);
  const SocialPreference individualist = SocialPreference::from(&zero);
  EXPECT_TRUE(individualist.selfish());
  const SocialPreference selfish;
  for (double x : {0.0, 2.5, 8.0, 10.0})
    for (double y : {0.0, 31.5, 56.0, 70.0})
      EXPECT_EQ(individualist.utility_of_choice(cpr, money, x, y, 8, 5.0),
                selfish.utility_of_choice(cpr, money, x, y, 8, 5.0));
  // 45 degrees: (own + others' mean) / sqrt 2. x = 10 against 56: (15 + 12) / sqrt 2.
  const sim::Parameters prosocial_block = svo_block(45.0);
  const SocialPreference prosocial = SocialPreference::from(&prosocial_block);
  EXPECT_NEAR(prosocial.utility_of_choice(cpr, money, 10.0, 56.0, 8, 5.0), 27.0 / std::numbers::sqrt2, 1e-12);
  // 90 degrees: pure altruist; -90: pure spite (Murphy et al. 2011 ring endpoints).
  const sim::Parameters altruist_block = svo_block(90.0);
  EXPECT_NEAR(SocialPreference::from(&altruist_block).utility(15.0, 12.0), 12.0, 1e-12);
  const sim::Parameters spite_block = svo_block(-90.0);
  EXPECT_NEAR(SocialPreference::from(&spite_block).utility(15.0, 12.0), -12.0, 1e-12);
}

TEST(SocialPreference, Svo45InSymmetricGame_BestResponseMovesTowardOptimumShare) {
  const CprQuadratic cpr = lab_cpr();
  const sim::Economics money = testing::cpr_economics(CprParameters{});
  const sim::Parameters block = svo_block(45.0);
  const SocialPreference prosocial = SocialPreference::from(&block);
  // own + m = x (4 - x/4) + 8 (4 - x/4) is maximal at x = 4 against Y = 56, where the selfish
  // best response is the Nash share 8 and the optimum share is 36 / 8 = 4.5.
  const double selfish_x = BestResponse::best_effort(cpr, money, SocialPreference{}, 56.0, 8, 5.0, 10.0, {});
  const double prosocial_x = BestResponse::best_effort(cpr, money, prosocial, 56.0, 8, 5.0, 10.0, {});
  EXPECT_NEAR(selfish_x, 8.0, 1e-9);
  EXPECT_NEAR(prosocial_x, 4.0, 1e-9);
  EXPECT_LT(std::abs(prosocial_x - 4.5), std::abs(selfish_x - 4.5));
}

TEST(SocialPreference, GuiltyBestResponder_InvestsLessThanSelfish) {
  const CprQuadratic cpr = lab_cpr();
  const sim::Economics money = testing::cpr_economics(CprParameters{});
  // Others invest 35 (5 each). Selfish: 36 - 35/2 = 18.5, capped at the endowment 10. With
  // guilt 0.9, earning more than the others costs more than it brings: u'(x) = -0.2 - 0.05 x
  // above x = 5, so the agent stops where it would overtake them, at x = 5.
  const sim::Parameters block = fehr_schmidt_block(0.0, 0.9);
  const SocialPreference guilty = SocialPreference::from(&block);
  const double selfish_x = BestResponse::best_effort(cpr, money, SocialPreference{}, 35.0, 8, 5.0, 10.0, {});
  const double guilty_x = BestResponse::best_effort(cpr, money, guilty, 35.0, 8, 5.0, 10.0, {});
  EXPECT_EQ(selfish_x, 10.0);
  EXPECT_NEAR(guilty_x, 5.0, 1e-9);
  // On the integer choice set too.
  const std::vector<double> tokens{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(BestResponse::best_effort(cpr, money, guilty, 35.0, 8, 5.0, 10.0, tokens), 5.0);
  EXPECT_EQ(BestResponse::best_effort(cpr, money, SocialPreference{}, 35.0, 8, 5.0, 10.0, tokens), 10.0);
}

sim::ComponentSpec best_response_with(sim::Parameters preference, double belief_weight) {
  sim::Parameters values({{"belief_weight", belief_weight}});
  values.set_block("social_preference", std::move(preference));
  return {"best_response", std::move(values), "/groups/0/behaviour"};
}

double group_investment(const sim::Run& run) {
  double total = 0.0;
  for (double effort : run.agents().effort) total += effort;
  return total;
}

TEST(SocialPreference, GuiltyPopulation_StaysAtOptimumShareWhereSelfishOneCycles) {
  // Symmetric efforts x are an equilibrium of Fehr-Schmidt best responders when
  // x >= (1 - beta)(a - w) / (b (n + 1 - beta n)) = 4 for beta = 0.9, n = 8: the opening
  // 4.5 (the optimum share) is one, so the group holds the optimum 36 with myopic beliefs.
  auto spec = testing::cpr_scenario(CprParameters{}, best_response_with(fehr_schmidt_block(0.0, 0.9), 1.0), 8, 30);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) {
    run.step();
    EXPECT_NEAR(group_investment(run), 36.0, 1e-8);
  }
}

TEST(SocialPreference, Svo45Population_ConvergesToClosedFormEquilibrium) {
  // x = (a - w) / (b (n + 1 + tan theta)) = 18 / (0.25 * 10) = 7.2 each, 57.6 in the group:
  // between the optimum 36 and the Nash investment 64.
  auto spec = testing::cpr_scenario(CprParameters{}, best_response_with(svo_block(45.0), 0.3), 8, 80);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  EXPECT_NEAR(group_investment(run), 57.6, 1e-6);
}

TEST(SocialPreference, ForAgents_DrawsPerAgentWithinRange) {
  sim::Distribution guilt;
  guilt.kind = sim::Distribution::Kind::uniform;
  guilt.first = 0.2;
  guilt.second = 0.6;
  const sim::Parameters block({{"model", std::string("fehr_schmidt")}, {"envy", 1.5}, {"guilt", guilt}});
  const std::vector<std::uint64_t> ids{0, 1, 2, 3, 4, 5, 6, 7};
  const sim::RandomStream random(42, 0);
  const auto preferences = SocialPreference::for_agents(&block, ids, random);
  ASSERT_EQ(preferences.size(), ids.size());
  bool differ = false;
  for (const SocialPreference& p : preferences) {
    EXPECT_EQ(p.envy(), 1.5);
    EXPECT_GE(p.guilt(), 0.2);
    EXPECT_LE(p.guilt(), 0.6);
    differ = differ || p.guilt() != preferences[0].guilt();
  }
  EXPECT_TRUE(differ);
  // Same seed and ids, same draws: an agent's preference depends on (seed, run, id) only.
  const auto again = SocialPreference::for_agents(&block, ids, random);
  for (std::size_t k = 0; k < ids.size(); ++k) EXPECT_EQ(again[k].guilt(), preferences[k].guilt());
  // A plain number in `from`, a distribution only in `for_agents`.
  EXPECT_THROW((void)SocialPreference::from(&block), sim::SpecError);
}

TEST(SocialPreference, OutOfRangeParameters_Rejected) {
  EXPECT_THROW((void)SocialPreference::fehr_schmidt(-0.1, 0.0), sim::SpecError);
  EXPECT_THROW((void)SocialPreference::fehr_schmidt(0.0, 1.0), sim::SpecError);
  EXPECT_THROW((void)SocialPreference::svo(91.0), sim::SpecError);
  const sim::Parameters unknown({{"model", std::string("warm_glow")}});
  EXPECT_THROW((void)SocialPreference::from(&unknown), sim::SpecError);
}

TEST(SocialPreference, UtilitiesOfChoice_EqualUtilityOfChoiceBitForBit) {
  // More agents than one block of the batch (256), with selfish, inequity-averse and SVO
  // preferences mixed within blocks, and the groups of one (no others to compare with).
  const CprQuadratic cpr = lab_cpr();
  const sim::Economics money = testing::cpr_economics(CprParameters{});
  const std::vector<SocialPreference> kinds{SocialPreference{}, SocialPreference::fehr_schmidt(0.6, 0.3),
                                            SocialPreference::svo(45.0), SocialPreference::svo(0.0)};
  constexpr std::size_t agents = 700;
  std::vector<SocialPreference> preferences;
  std::vector<double> x, others, cost;
  for (std::size_t i = 0; i < agents; ++i) {
    preferences.push_back(kinds[(i / 3) % kinds.size()]);
    x.push_back(static_cast<double>(i % 11));
    others.push_back(0.13 * static_cast<double>(i));
    cost.push_back(4.0 + 0.01 * static_cast<double>(i % 7));
  }
  for (const std::size_t n : {std::size_t{1}, std::size_t{8}}) {
    std::vector<double> batch(agents);
    SocialPreference::utilities_of_choice(cpr, money, preferences, x, others, n, cost, batch);
    for (std::size_t i = 0; i < agents; ++i)
      ASSERT_EQ(batch[i], preferences[i].utility_of_choice(cpr, money, x[i], others[i], n, cost[i]))
          << "agent " << i << " n " << n;
    // No preferences given: every agent selfish.
    SocialPreference::utilities_of_choice(cpr, money, {}, x, others, n, cost, batch);
    for (std::size_t i = 0; i < agents; ++i)
      ASSERT_EQ(batch[i], SocialPreference{}.utility_of_choice(cpr, money, x[i], others[i], n, cost[i]));
  }
}

}  // namespace
}  // namespace commons::models
