// SPDX-License-Identifier: Apache-2.0
// The Walker-Gardner-Ostrom CPR game: the laboratory design's equilibria (Ostrom, Gardner &
// Walker 1994, ch. 5; Anderies & Janssen, Sustaining the Commons, p. 94), the share rule and
// its payoff kernel, and a run at the Nash investment.

#include <commons/models/behaviour/best_response.hpp>
#include <commons/models/behaviour/social_preference.hpp>
#include <commons/models/register_models.hpp>
#include <commons/models/resources/cpr_quadratic.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run.hpp>

#include <cpr_spec.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace commons::models {
namespace {

using testing::CprParameters;

CprQuadratic make(const CprParameters& p) {
  return CprQuadratic(CprQuadratic::Parameters::from(testing::cpr(p).parameters));
}

CprParameters design(double endowment) {
  CprParameters p;
  p.endowment = endowment;
  return p;
}

double reference(const std::vector<sim::ScalarData>& values, const std::string& name) {
  for (const sim::ScalarData& value : values)
    if (value.info.name == name) return value.value;
  ADD_FAILURE() << "no reference point " << name;
  return std::numeric_limits<double>::quiet_NaN();
}

const sim::SeriesData& series(const sim::RunResult& result, const std::string& name) {
  for (const sim::SeriesData& data : result.series)
    if (data.info.name == name) return data;
  throw std::runtime_error("no series " + name);
}

double summary(const sim::RunResult& result, const std::string& name) { return reference(result.summary, name); }

// a = 23, b = 0.25, w = 5 cents, price 1 cent, n = 8: the numbers of experiments.md 1.4.
TEST(CprQuadraticReferences, LabDesigns_NashIs64AndOptimumIs36) {
  for (double endowment : {10.0, 25.0}) {
    const CprParameters p = design(endowment);
    const CprQuadratic cpr = make(p);
    const sim::Economics money = testing::cpr_economics(p);
    EXPECT_EQ(cpr.nash_group_investment(8, money), 64.0) << "e=" << endowment;
    EXPECT_EQ(cpr.optimum_group_investment(money), 36.0);
    EXPECT_EQ(cpr.open_access_group_investment(money), 72.0);
    EXPECT_EQ(cpr.optimal_total_effort(money), 36.0);
    EXPECT_EQ(cpr.effort_limit(), endowment);
    // Net yield per round [cents].
    EXPECT_EQ(cpr.net_yield(36.0, money), 324.0);
    EXPECT_EQ(cpr.net_yield(64.0, money), 128.0);
    EXPECT_EQ(cpr.net_yield(72.0, money), 0.0);
    EXPECT_EQ(cpr.optimal_rent(money), 324.0);
    EXPECT_NEAR(cpr.net_yield(64.0, money) / 324.0, 0.39506, 5e-6);
    // Group earnings add the endowment's outside value n w e: $7.24 at the optimum with 10
    // tokens (Sustaining the Commons p. 94), 528 cents at Nash.
    const double outside = 8.0 * p.cost_per_effort * endowment;
    EXPECT_EQ(cpr.net_yield(36.0, money) + outside, endowment == 10.0 ? 724.0 : 1324.0);
    EXPECT_EQ(cpr.net_yield(64.0, money) + outside, endowment == 10.0 ? 528.0 : 1128.0);
  }
}

TEST(CprQuadraticReferences, NashInvestment_IsMutualBestResponseForAnyGroupSize) {
  const CprParameters p = design(10.0);
  const CprQuadratic cpr = make(p);
  const sim::Economics money = testing::cpr_economics(p);
  for (std::size_t n : {2u, 3u, 5u, 8u, 12u, 40u}) {
    const double total = cpr.nash_group_investment(n, money);
    const double share = total / static_cast<double>(n);
    EXPECT_NEAR(cpr.best_response(total - share, money), share, 1e-12) << "n=" << n;
    if (share < p.endowment) {
      EXPECT_NEAR(total, 18.0 / (0.25 * (1.0 + 1.0 / static_cast<double>(n))), 1e-12) << "n=" << n;
    }
  }
  // Two players would each want 24 tokens: the corner, everything invested, is the Nash.
  EXPECT_EQ(cpr.nash_group_investment(2, money), 20.0);
}

TEST(CprQuadraticReferences, ReferencePoints_NeedThePlayersSeenInHarvest) {
  const CprParameters p = design(25.0);
  CprQuadratic cpr = make(p);
  const sim::Economics money = testing::cpr_economics(p);
  EXPECT_TRUE(std::isnan(reference(cpr.reference_points(money), "nash_group_investment")));
  const std::vector<double> effort(8, 3.0);
  std::vector<double> harvest(8);
  cpr.harvest({effort}, harvest, sim::ExecutionPolicy{false});
  const auto points = cpr.reference_points(money);
  EXPECT_EQ(reference(points, "nash_group_investment"), 64.0);
  EXPECT_EQ(reference(points, "nash_net_yield"), 128.0);
  EXPECT_EQ(reference(points, "optimum_group_investment"), 36.0);
  EXPECT_EQ(reference(points, "optimum_net_yield"), 324.0);
  EXPECT_EQ(reference(points, "open_access_group_investment"), 72.0);
  EXPECT_DOUBLE_EQ(reference(points, "nash_efficiency"), 128.0 / 324.0);
}

TEST(CprQuadraticBestResponse, OthersInvest56_ClosedFormAndBruteForceGive8) {
  for (double endowment : {10.0, 25.0}) {
    const CprParameters p = design(endowment);
    const CprQuadratic cpr = make(p);
    const sim::Economics money = testing::cpr_economics(p);
    const double w = p.cost_per_effort;
    EXPECT_EQ(cpr.best_response(56.0, money), 8.0);
    // The subject's payoff w (e - x) + (x/X) F(X) over whole tokens.
    std::vector<double> payoff;
    for (int tokens = 0; tokens <= static_cast<int>(endowment); ++tokens) {
      const double x = tokens;
      const double harvest = cpr.harvest_if(x, 56.0);
      payoff.push_back(w * (endowment - x) + p.price * harvest);
      // The engine's income, price x harvest - w x, differs only by the constant w e.
      EXPECT_EQ(p.price * harvest - w * x + w * endowment, payoff.back());
    }
    const auto best = std::max_element(payoff.begin(), payoff.end());
    EXPECT_EQ(best - payoff.begin(), 8);
    EXPECT_EQ(payoff[8], endowment == 10.0 ? 66.0 : 141.0);
    EXPECT_EQ(payoff[7], payoff[8] - 0.25);
    EXPECT_EQ(payoff[9], payoff[8] - 0.25);
  }
}

TEST(CprQuadraticBestResponse, ClosedForm_MaximisesPayoffAndRespectsEndowment) {
  const CprParameters p = design(10.0);
  const CprQuadratic cpr = make(p);
  const sim::Economics money = testing::cpr_economics(p);
  EXPECT_EQ(cpr.best_response(0.0, money), 10.0);   // interior 36 > e
  EXPECT_EQ(cpr.best_response(72.0, money), 0.0);   // average product already at w
  EXPECT_EQ(cpr.best_response(500.0, money), 0.0);  // negative interior
  const auto income = [&](double x, double others) {
    return p.price * cpr.harvest_if(x, others) - p.cost_per_effort * x;
  };
  for (double others : {20.0, 37.5, 50.0, 56.0, 61.25, 70.0}) {
    const double best = cpr.best_response(others, money);
    for (int k = 0; k <= 1000; ++k) {
      const double x = p.endowment * k / 1000.0;
      EXPECT_LE(income(x, others), income(best, others) + 1e-12) << "others=" << others << " x=" << x;
    }
  }
}

TEST(CprQuadraticBestResponse, BestResponseEffort_IsTheVertexTheSearchFinds) {
  // Against BestResponse::searched_effort, the golden-section search it replaces for selfish
  // agents: the same effort to the search's precision, and never a lower payoff.
  const CprQuadratic cpr = make(design(10.0));
  const sim::RandomStream draws(5, 0);
  for (std::uint64_t k = 0; k < 2000; ++k) {
    const double others = 90.0 * draws.uniform(0, k, sim::Purpose::decide, 0);
    const double price = 0.2 + 2.0 * draws.uniform(0, k, sim::Purpose::decide, 1);
    const double cost = 10.0 * draws.uniform(0, k, sim::Purpose::decide, 2);
    const double cap = 20.0 * draws.uniform(0, k, sim::Purpose::decide, 3);
    const sim::Economics money{price, cost, 0.0};
    const std::optional<double> closed = cpr.best_response_effort(others, price, cost, cap);
    ASSERT_TRUE(closed.has_value());
    const double searched = BestResponse::searched_effort(cpr, money, SocialPreference{}, others, 8, cost, cap, {});
    EXPECT_NEAR(*closed, searched, 1e-9 * cap) << "others " << others << " price " << price << " cost " << cost;
    const auto payoff = [&](double x) { return SocialPreference::payoff(cpr, money, x, others, cost); };
    EXPECT_GE(payoff(*closed), payoff(searched) - 1e-12 * std::max(1.0, std::abs(payoff(searched))));
  }
  // No positive price or cap: nothing closed, the search decides.
  EXPECT_FALSE(cpr.best_response_effort(10.0, 0.0, 5.0, 10.0).has_value());
  EXPECT_FALSE(cpr.best_response_effort(10.0, 1.0, 5.0, 0.0).has_value());
  // The same vertex the resource's own best_response gives at the run's economics.
  const sim::Economics lab = testing::cpr_economics(design(10.0));
  for (double others : {0.0, 20.0, 56.0, 71.9, 80.0})
    EXPECT_EQ(*cpr.best_response_effort(others, lab.price, lab.cost_per_effort, 10.0), cpr.best_response(others, lab));
}

TEST(CprQuadraticHarvest, HarvestIfEach_EqualsHarvestIfBitForBit) {
  const CprQuadratic cpr = make(design(10.0));
  std::vector<double> own, others;
  for (double x : {0.0, -0.0, 1e-300, 0.5, 3.0, 10.0, 50.0})
    for (double y : {0.0, 7.0, 56.0, 91.9, 1e3}) {
      own.push_back(x);
      others.push_back(y);
    }
  std::vector<double> batch(own.size(), -1.0);
  cpr.harvest_if_each(own, others, batch);
  for (std::size_t i = 0; i < own.size(); ++i) {
    const double one = cpr.harvest_if(own[i], others[i]);
    EXPECT_EQ(std::signbit(batch[i]), std::signbit(one)) << i;
    EXPECT_EQ(batch[i], one) << "own " << own[i] << " others " << others[i];
  }
}

TEST(CprQuadraticHarvest, SharesAreProportionalAndSumToGroupOutput) {
  CprQuadratic cpr = make(design(25.0));
  const std::vector<double> effort{0.0, 3.0, 10.0, 25.0, 1.0, 7.0, 4.0, 2.0};  // X = 52
  std::vector<double> harvest(effort.size());
  const double total = cpr.harvest({effort}, harvest, sim::ExecutionPolicy{false});
  EXPECT_EQ(total, cpr.group_output(52.0));
  EXPECT_EQ(total, 23.0 * 52.0 - 0.25 * 52.0 * 52.0);
  EXPECT_EQ(harvest[0], 0.0);
  for (std::size_t i = 0; i < effort.size(); ++i) EXPECT_DOUBLE_EQ(harvest[i], effort[i] / 52.0 * total) << i;
  EXPECT_EQ(cpr.last_group_investment(), 52.0);
  EXPECT_EQ(cpr.players(), 8u);
}

TEST(CprQuadraticHarvest, EveryoneInvestsAll_OutputAndNetYieldMatchDesign) {
  {
    // 10 tokens each: X = 80, F = 240 cents, NY = -160 cents.
    const CprParameters p = design(10.0);
    CprQuadratic cpr = make(p);
    const std::vector<double> effort(8, 10.0);
    std::vector<double> harvest(8);
    EXPECT_EQ(cpr.harvest({effort}, harvest, sim::ExecutionPolicy{false}), 240.0);
    for (double h : harvest) EXPECT_EQ(h, 30.0);
    EXPECT_EQ(cpr.net_yield(80.0, testing::cpr_economics(p)), -160.0);
  }
  {
    // 25 tokens each: X = 200 > a/b = 92, F = -5400 cents shared as losses.
    CprQuadratic cpr = make(design(25.0));
    const std::vector<double> effort{25.0, 25.0, 25.0, 25.0, 25.0, 25.0, 25.0, 25.0, 0.0};
    std::vector<double> harvest(effort.size());
    EXPECT_EQ(cpr.harvest({effort}, harvest, sim::ExecutionPolicy{false}), -5400.0);
    for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(harvest[i], -675.0);
    EXPECT_EQ(harvest[8], 0.0);
    EXPECT_GT(cpr.group_output(92.0 - 1e-9), 0.0);
    EXPECT_EQ(cpr.group_output(92.0), 0.0);
    EXPECT_LT(cpr.group_output(92.0 + 1e-9), 0.0);
  }
  {
    CprQuadratic cpr = make(design(10.0));
    const std::vector<double> effort(8, 0.0);
    std::vector<double> harvest(8, 1.0);
    EXPECT_EQ(cpr.harvest({effort}, harvest, sim::ExecutionPolicy{false}), 0.0);
    for (double h : harvest) EXPECT_EQ(h, 0.0);
  }
}

TEST(CprQuadraticHarvest, HarvestIf_MatchesHarvestOfTheSameEfforts) {
  const sim::RandomStream random(31, 0);
  for (std::uint64_t trial = 0; trial < 50; ++trial) {
    CprQuadratic cpr = make(design(25.0));
    const std::size_t n = 2 + trial % 12;
    std::vector<double> effort(n), harvest(n);
    for (std::size_t i = 0; i < n; ++i) {
      // Whole tokens, as in the laboratory, so every sum is exact.
      effort[i] = std::floor(26.0 * random.uniform(trial, i, sim::Purpose::decide));
    }
    cpr.harvest({effort}, harvest, sim::ExecutionPolicy{false});
    double total = 0.0;
    for (double x : effort) total += x;
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(cpr.harvest_if(effort[i], total - effort[i]), harvest[i]);
  }
}

TEST(CprQuadraticHarvest, ManyPlayers_SameBitsSerialAndParallelAndConserved) {
  const std::size_t n = 3 * sim::agent_block_size + 17;
  CprParameters p = design(10.0);
  p.production_quadratic = 1e-5;
  const sim::RandomStream random(5, 1);
  std::vector<double> effort(n);
  for (std::size_t i = 0; i < n; ++i) effort[i] = 10.0 * random.uniform(0, i, sim::Purpose::decide);
  CprQuadratic serial = make(p), parallel = make(p);
  std::vector<double> serial_harvest(n), parallel_harvest(n);
  const double serial_total = serial.harvest({effort}, serial_harvest, sim::ExecutionPolicy{false});
  const double parallel_total = parallel.harvest({effort}, parallel_harvest, sim::ExecutionPolicy{true});
  EXPECT_EQ(serial_total, parallel_total);
  EXPECT_EQ(serial_harvest, parallel_harvest);
  EXPECT_EQ(serial.last_group_investment(), parallel.last_group_investment());
  const double output = serial.group_output(serial.last_group_investment());
  EXPECT_NEAR(serial_total, output, 1e-12 * std::abs(output));
}

TEST(CprQuadraticState, NoStock_NeverCollapses_ObservesAverageProduct) {
  const CprParameters p = design(10.0);
  CprQuadratic cpr = make(p);
  EXPECT_EQ(cpr.stock(), 0.0);
  EXPECT_FALSE(cpr.stock() < cpr.collapse_threshold());  // the recorder's collapse test
  EXPECT_EQ(cpr.collapse_threshold(), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(cpr.observe().harvest_per_effort, 23.0);
  const std::vector<double> effort(8, 8.0);
  std::vector<double> harvest(8);
  cpr.harvest({effort}, harvest, sim::ExecutionPolicy{false});
  cpr.grow();
  const sim::Observation seen = cpr.observe();
  EXPECT_EQ(seen.stock, 0.0);
  EXPECT_EQ(seen.noise_sd, 0.0);
  EXPECT_EQ(seen.harvest_per_effort, cpr.group_output(64.0) / 64.0);  // 7 cents per token
  EXPECT_EQ(seen.harvest_per_effort, 7.0);
}

TEST(CprQuadraticState, Sample_GivesInvestmentOutputAndNetYield) {
  const CprParameters p = design(10.0);
  CprQuadratic cpr = make(p);
  const auto names = cpr.variables();
  ASSERT_EQ(names.size(), 4u);
  EXPECT_EQ(names[0].name, "group_investment");
  EXPECT_EQ(names[1].name, "group_output");
  EXPECT_EQ(names[2].name, "net_yield");
  EXPECT_EQ(names[3].name, "yield_efficiency");
  const std::vector<double> effort{10.0, 10.0, 4.0, 4.0, 4.0, 4.0, 0.0, 0.0};  // X = 36
  std::vector<double> harvest(effort.size());
  cpr.harvest({effort}, harvest, sim::ExecutionPolicy{false});
  cpr.set_economics(testing::cpr_economics(p));
  std::vector<double> values(4);
  cpr.sample(values);
  EXPECT_EQ(values[0], 36.0);
  EXPECT_EQ(values[1], 504.0);
  EXPECT_EQ(values[2], 324.0);
  EXPECT_EQ(values[3], 1.0);
}

TEST(CprQuadraticRun, EightPlayersAtNash_RentIs128EveryRound) {
  for (double endowment : {10.0, 25.0}) {
    const CprParameters p = design(endowment);
    const sim::ComponentSpec nash{"fixed", sim::Parameters({{"effort", 8.0}}), "/agents/0/behaviour"};
    const sim::ScenarioSpec spec = testing::cpr_scenario(p, nash, 8, 20);
    sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
    while (!run.done()) run.step();
    for (double income : run.agents().income) EXPECT_EQ(income, 16.0);  // 8 x 7 - 5 x 8 cents
    const sim::RunResult result = run.take_result();
    const auto& rent = series(result, "rent");
    ASSERT_EQ(rent.values.size(), 20u);
    for (double value : rent.values) EXPECT_EQ(value, 128.0);
    for (double value : series(result, "group_investment").values) EXPECT_EQ(value, 64.0);
    for (double value : series(result, "group_output").values) EXPECT_EQ(value, 448.0);
    EXPECT_DOUBLE_EQ(summary(result, "efficiency"), 128.0 / 324.0);
    EXPECT_TRUE(std::isnan(summary(result, "collapse_step")));
    EXPECT_EQ(summary(result, "final_stock"), 0.0);
    EXPECT_EQ(reference(result.references, "nash_group_investment"), 64.0);
  }
}

}  // namespace
}  // namespace commons::models
