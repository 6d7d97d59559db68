// SPDX-License-Identifier: Apache-2.0
// Closed forms of the Gordon-Schaefer fishery and the invariants of its harvest step.

#include <commons/models/behaviour/best_response.hpp>
#include <commons/models/behaviour/social_preference.hpp>
#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <optional>
#include <vector>

namespace commons::models {
namespace {

using testing::FisheryParameters;

FisheryLogistic make(const FisheryParameters& p) {
  return FisheryLogistic(FisheryLogistic::Parameters::from(testing::fishery(p).parameters));
}

sim::Economics economics(const FisheryParameters& p) { return {p.price, p.cost_per_effort, p.discount_rate}; }

void expect_relative(double actual, double expected, double tolerance) {
  EXPECT_NEAR(actual, expected, tolerance * std::max(1.0, std::abs(expected))) << "expected " << expected;
}

// Several parameter sets, including the Hicks notebook's r = 0.5, K = 3500.
const std::vector<FisheryParameters> parameter_sets{
    {0.5, 1000.0, 0.01, 1000.0, 0.0, 10.0, 25.0, 0.0},
    {0.5, 3500.0, 0.0005, 3500.0, 0.0, 200.0, 150.0, 0.05},
    {1.2, 50.0, 0.3, 20.0, 0.0, 3.0, 4.0, 0.1},
    {0.05, 1.0e6, 1.0e-5, 5.0e5, 0.0, 1.5, 2.0, 0.02},
};

TEST(FisheryLogisticReferences, MsyMeyOpenAccess_MatchGordonSchaeferFormulas) {
  for (const FisheryParameters& p : parameter_sets) {
    const FisheryLogistic fishery = make(p);
    const sim::Economics money = economics(p);
    const double r = p.growth_rate, k = p.carrying_capacity, q = p.catchability;
    const double price = p.price, cost = p.cost_per_effort;

    const auto msy = fishery.maximum_sustainable_yield(money);
    expect_relative(msy.stock, k / 2.0, 1e-12);
    expect_relative(msy.effort, r / (2.0 * q), 1e-12);
    expect_relative(msy.harvest, r * k / 4.0, 1e-12);

    const auto open = fishery.open_access(money);
    expect_relative(open.stock, cost / (price * q), 1e-12);
    expect_relative(open.effort, r / q * (1.0 - cost / (price * q * k)), 1e-12);
    EXPECT_NEAR(open.rent, 0.0, 1e-9 * price * open.harvest);

    const auto mey = fishery.maximum_economic_yield(money);
    expect_relative(mey.stock, (k + cost / (price * q)) / 2.0, 1e-12);
    expect_relative(mey.effort, r / (2.0 * q) * (1.0 - cost / (price * q * k)), 1e-12);
    expect_relative(open.effort, 2.0 * mey.effort, 1e-12);
    EXPECT_LT(mey.effort, msy.effort);
    // Sustained yield at any effort: Y(E) = q E K (1 - qE/r).
    expect_relative(mey.harvest, q * mey.effort * k * (1.0 - q * mey.effort / r), 1e-12);
    // MEY maximises sustained rent: neighbouring stocks earn less.
    for (double shift : {-1e-3, 1e-3}) {
      const auto near = fishery.steady_state_at_stock(mey.stock * (1.0 + shift), money);
      EXPECT_LT(near.rent, mey.rent);
    }
  }
}

TEST(FisheryLogisticReferences, GoldenRule_SolvesClarkConditionAndSpansMeyToOpenAccess) {
  for (FisheryParameters p : parameter_sets) {
    const FisheryLogistic fishery = make(p);
    p.discount_rate = 0.0;
    expect_relative(fishery.golden_rule(economics(p)).stock, fishery.maximum_economic_yield(economics(p)).stock, 1e-12);
    p.discount_rate = 1e9;
    expect_relative(fishery.golden_rule(economics(p)).stock, fishery.open_access(economics(p)).stock, 1e-6);
    p.discount_rate = 0.07;
    const double x = fishery.golden_rule(economics(p)).stock;
    // F'(X) - c'(X) F(X) / (p - c(X)) = delta, with unit cost c(X) = c / (qX).
    const double r = p.growth_rate, k = p.carrying_capacity, q = p.catchability;
    const double unit_cost = p.cost_per_effort / (q * x);
    const double unit_cost_slope = -p.cost_per_effort / (q * x * x);
    const double lhs = r * (1.0 - 2.0 * x / k) - unit_cost_slope * fishery.surplus(x) / (p.price - unit_cost);
    EXPECT_NEAR(lhs, 0.07, 1e-9);
  }
}

TEST(FisheryLogisticReferences, UnprofitableFishery_LeavesStockAtCapacity) {
  FisheryParameters p;
  p.cost_per_effort = 1e6;  // c / (pq) far above K
  const FisheryLogistic fishery = make(p);
  EXPECT_DOUBLE_EQ(fishery.open_access(economics(p)).stock, p.carrying_capacity);
  EXPECT_DOUBLE_EQ(fishery.maximum_economic_yield(economics(p)).stock, p.carrying_capacity);
  EXPECT_DOUBLE_EQ(fishery.maximum_economic_yield(economics(p)).effort, 0.0);
}

TEST(FisheryLogisticHarvest, DemandAboveStock_IsRationedProportionally) {
  FisheryParameters p;
  p.initial_stock = 100.0;
  FisheryLogistic fishery = make(p);
  // q E X = 0.01 * 150 * 100 = 150 > 100 for the first agent alone.
  const std::vector<double> effort{150.0, 50.0, 0.0};
  std::vector<double> harvest(3);
  const double total = fishery.harvest({effort}, harvest, sim::ExecutionPolicy{});
  EXPECT_LE(total, 100.0);
  EXPECT_NEAR(total, 100.0, 1e-12);
  EXPECT_NEAR(harvest[0] / harvest[1], 3.0, 1e-12);
  EXPECT_EQ(harvest[2], 0.0);
  EXPECT_GE(fishery.stock(), 0.0);
}

TEST(FisheryLogisticHarvest, GrowthUsesStockAtStepStart) {
  FisheryParameters p;
  p.initial_stock = 400.0;
  FisheryLogistic fishery = make(p);
  const std::vector<double> effort{10.0};
  std::vector<double> harvest(1);
  fishery.harvest({effort}, harvest, sim::ExecutionPolicy{});
  fishery.grow();
  // X' = X + r X (1 - X/K) - q E X with X = 400.
  EXPECT_DOUBLE_EQ(fishery.stock(), 400.0 + 0.5 * 400.0 * 0.6 - 0.01 * 10.0 * 400.0);
}

// Random parameters and efforts, many far beyond what the stock can supply.
TEST(FisheryLogisticInvariants, AnyEffort_StockAndCatchesStayNonNegativeAndWithinStock) {
  const sim::RandomStream random(2024, 0);
  for (std::uint64_t trial = 0; trial < 200; ++trial) {
    FisheryParameters p;
    p.growth_rate = 2.0 * random.uniform(trial, 0, sim::Purpose::initialise);
    p.carrying_capacity = 1.0 + 1e4 * random.uniform(trial, 1, sim::Purpose::initialise);
    p.catchability = 0.5 * random.uniform(trial, 2, sim::Purpose::initialise);
    p.initial_stock = 2.0 * p.carrying_capacity * random.uniform(trial, 3, sim::Purpose::initialise);
    FisheryLogistic fishery = make(p);
    const std::size_t agents = 1 + trial % 9000;  // crosses block boundaries
    std::vector<double> effort(agents), harvest(agents);
    for (int step = 0; step < 30; ++step) {
      for (std::size_t i = 0; i < agents; ++i)
        effort[i] = 20.0 * random.uniform(trial, i, sim::Purpose::decide, static_cast<std::uint64_t>(step));
      const double before = fishery.stock();
      const double total = fishery.harvest({effort}, harvest, sim::ExecutionPolicy{true});
      double summed = 0.0;
      for (double h : harvest) {
        ASSERT_GE(h, 0.0);
        summed += h;
      }
      ASSERT_LE(total, before);
      ASSERT_LE(summed, before * (1.0 + 1e-12));
      ASSERT_GE(fishery.stock(), 0.0);
      fishery.grow();
      ASSERT_GE(fishery.stock(), 0.0);
    }
  }
}

TEST(FisheryLogisticHarvestIf, HarvestIfEach_EqualsHarvestIfBitForBit) {
  // Claims below the stock, at it and rationed beyond it, with and without the others.
  for (const FisheryParameters& p : parameter_sets) {
    const FisheryLogistic fishery = make(p);
    const double whole_stock_effort = 1.0 / p.catchability;
    std::vector<double> own, others;
    for (double x : {0.0, 1e-3, 0.3, 1.0}) {
      for (double y : {0.0, 0.2, 0.7, 1.0, 3.0}) {
        own.push_back(x * whole_stock_effort);
        others.push_back(y * whole_stock_effort);
      }
    }
    std::vector<double> batch(own.size(), -1.0);
    fishery.harvest_if_each(own, others, batch);
    for (std::size_t i = 0; i < own.size(); ++i)
      EXPECT_EQ(batch[i], fishery.harvest_if(own[i], others[i])) << "own " << own[i] << " others " << others[i];
  }
}

TEST(FisheryLogisticHarvestIf, BestResponseEffort_IsWhereTheSearchEnds) {
  // Against BestResponse::searched_effort over beliefs on both sides of the kink where the
  // claims reach the stock, costs above and below the unrationed revenue, and caps that bind
  // or not: the same effort to the search's precision, and never a lower payoff.
  const sim::RandomStream draws(9, 0);
  for (const FisheryParameters& p : parameter_sets) {
    FisheryLogistic fishery = make(p);
    const double whole_stock_effort = 1.0 / p.catchability;
    std::size_t closed_forms = 0;
    for (std::uint64_t k = 0; k < 500; ++k) {
      const double others = 2.0 * whole_stock_effort * draws.uniform(0, k, sim::Purpose::decide, 0);
      const double cost = 2.0 * p.price * p.catchability * p.initial_stock * draws.uniform(0, k, sim::Purpose::decide, 1);
      const double cap = 1.5 * whole_stock_effort * draws.uniform(0, k, sim::Purpose::decide, 2);
      const std::optional<double> closed = fishery.best_response_effort(others, p.price, cost, cap);
      if (!closed) continue;
      ++closed_forms;
      const sim::Economics money{p.price, cost, 0.0};
      const double searched = BestResponse::searched_effort(fishery, money, SocialPreference{}, others, 8, cost, cap, {});
      // The search ends where rounded payoffs stop telling points apart, and its parabolic
      // step is exact only for a quadratic: beyond the kink it stops up to 5e-7 cap short.
      EXPECT_NEAR(*closed, searched, 2e-6 * cap) << "others " << others << " cost " << cost << " cap " << cap;
      const auto payoff = [&](double x) { return SocialPreference::payoff(fishery, money, x, others, cost); };
      EXPECT_GE(payoff(*closed), payoff(searched) - 1e-12 * std::max(1.0, std::abs(payoff(searched))));
    }
    EXPECT_GT(closed_forms, 490U);
  }
  // Where the payoff is flat the search's tie rule decides, not a closed form.
  const FisheryLogistic fishery = make(parameter_sets[0]);
  EXPECT_FALSE(fishery.best_response_effort(50.0, 10.0, 100.0, 10.0).has_value());  // p q X = c
  EXPECT_FALSE(fishery.best_response_effort(50.0, 10.0, 0.0, 10.0).has_value());
}

TEST(FisheryLogisticObservation, Noise_IsMeanOneAndReproducible) {
  FisheryParameters p;
  p.observation_noise = 0.3;
  const FisheryLogistic fishery = make(p);
  sim::Observation seen = fishery.observe();
  const sim::RandomStream random(11, 3);
  seen.random = &random;
  seen.step = 5;
  double sum = 0.0;
  constexpr int draws = 200000;
  for (int id = 0; id < draws; ++id) sum += seen.seen_stock(static_cast<std::uint64_t>(id));
  // Log-normal with sd 0.3 has relative sd ~0.307; the mean of 2e5 draws is within 0.2 %.
  EXPECT_NEAR(sum / draws / p.initial_stock, 1.0, 0.003);
  EXPECT_EQ(seen.seen_stock(42), seen.seen_stock(42));
  EXPECT_NE(seen.seen_stock(42), seen.seen_stock(43));
}

}  // namespace
}  // namespace commons::models
