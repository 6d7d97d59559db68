// SPDX-License-Identifier: Apache-2.0
// The age-structured fishery against what is known exactly about it: yield and spawning
// biomass per recruit (summed here plainly, the plus group as a long explicit tail), the
// Beverton-Holt steady state, the projection at constant effort converging to both, and the
// invariants of the Baranov catch.

#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_age.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run.hpp>

#include <governance_testing.hpp>
#include <resource_spec.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace commons::models {
namespace {

void expect_relative(double actual, double expected, double tolerance) {
  EXPECT_NEAR(actual, expected, tolerance * std::max(1e-300, std::abs(expected))) << "expected " << expected;
}

// The defaults; a short-lived, steep, early-maturing stock; a long-lived one with knife-edge
// maturity and low steepness, selected after it matures.
std::vector<FisheryAge::Parameters> parameter_sets() {
  FisheryAge::Parameters defaults;
  FisheryAge::Parameters fast = defaults;
  fast.max_age = 6;
  fast.natural_mortality = 0.8;
  fast.steepness = 0.95;
  fast.maturity_age = 1.0;
  fast.selectivity_age = 0.5;
  fast.growth_coefficient = 0.9;
  fast.catchability = 0.01;
  FisheryAge::Parameters slow = defaults;
  slow.max_age = 40;
  slow.natural_mortality = 0.08;
  slow.steepness = 0.4;
  slow.maturity_age = 8.0;
  slow.maturity_slope = 50.0;
  slow.selectivity_age = 10.0;
  slow.selectivity_slope = 1.0;
  slow.growth_coefficient = 0.1;
  slow.weight_exponent = 2.8;
  slow.unfished_recruitment = 20.0;
  return {defaults, fast, slow};
}

struct PlainSchedules {
  std::vector<double> weight, maturity, selectivity;
};

// Schedules written out from their definitions, age by age.
PlainSchedules schedules(const FisheryAge::Parameters& p, int ages) {
  PlainSchedules s;
  for (int a = 0; a < ages; ++a) {
    const double age = std::min<double>(a, static_cast<double>(p.max_age));
    const double share = std::max(0.0, 1.0 - std::exp(-p.growth_coefficient * (age - p.age_at_zero_length)));
    s.weight.push_back(p.asymptotic_weight * std::pow(share, p.weight_exponent));
    s.maturity.push_back(1.0 / (1.0 + std::exp(-p.maturity_slope * (age - p.maturity_age))));
    s.selectivity.push_back(1.0 / (1.0 + std::exp(-p.selectivity_slope * (age - p.selectivity_age))));
  }
  return s;
}

// Per-recruit sums with the plus group unrolled: every age beyond A is A again, followed for
// enough years that what is left is below a double's resolution.
FisheryAge::PerRecruit plain_per_recruit(const FisheryAge::Parameters& p, double fishing) {
  const int ages = static_cast<int>(p.max_age) + 20000;
  const PlainSchedules s = schedules(p, ages);
  FisheryAge::PerRecruit sums;
  double alive = 1.0;
  for (int a = 0; a < ages && alive > 1e-300; ++a) {
    const double f = fishing * s.selectivity[a];
    const double z = p.natural_mortality + f;
    sums.spawning_biomass += alive * s.maturity[a] * s.weight[a];
    sums.yield += alive * s.weight[a] * f / z * (1.0 - std::exp(-z));
    alive *= std::exp(-z);
  }
  return sums;
}

TEST(FisheryAgeSchedules, WeightMaturitySelectivity_FollowTheirDefinitions) {
  for (const FisheryAge::Parameters& p : parameter_sets()) {
    const FisheryAge fishery(p);
    const PlainSchedules s = schedules(p, static_cast<int>(p.max_age) + 1);
    for (std::int64_t a = 0; a <= p.max_age; ++a) {
      expect_relative(fishery.weight_at_age()(a), s.weight[a], 1e-14);
      expect_relative(fishery.maturity_at_age()(a), s.maturity[a], 1e-14);
      expect_relative(fishery.selectivity_at_age()(a), s.selectivity[a], 1e-14);
    }
  }
}

TEST(FisheryAgePerRecruit, PlusGroupGeometricTail_MatchesTheUnrolledSum) {
  for (const FisheryAge::Parameters& p : parameter_sets()) {
    const FisheryAge fishery(p);
    for (double fishing : {0.0, 0.05, 0.2, 0.7, 3.0}) {
      SCOPED_TRACE(fishing);
      const FisheryAge::PerRecruit closed = fishery.per_recruit(fishing);
      const FisheryAge::PerRecruit plain = plain_per_recruit(p, fishing);
      expect_relative(closed.spawning_biomass, plain.spawning_biomass, 1e-12);
      if (fishing > 0.0) expect_relative(closed.yield, plain.yield, 1e-12);
      EXPECT_EQ(fishing == 0.0 ? 0.0 : 1.0, closed.yield > 0.0 ? 1.0 : 0.0);
    }
  }
}

TEST(FisheryAgeRecruitment, EquilibriumRecruitment_IsTheBevertonHoltSteadyState) {
  for (const FisheryAge::Parameters& p : parameter_sets()) {
    const FisheryAge fishery(p);
    const double s0 = fishery.unfished_spawning_biomass();
    // Steepness: R(S0) = R0 and R(0.2 S0) = h R0.
    expect_relative(fishery.recruitment(s0), p.unfished_recruitment, 1e-14);
    expect_relative(fishery.recruitment(0.2 * s0), p.steepness * p.unfished_recruitment, 1e-14);
    expect_relative(fishery.equilibrium_recruitment(0.0), p.unfished_recruitment, 1e-14);
    for (double fishing : {0.02, 0.1, 0.3}) {
      const double recruits = fishery.equilibrium_recruitment(fishing);
      if (recruits == 0.0) continue;
      // Recruits R make spawners R phi(F), which make R recruits again.
      const double spawners = recruits * fishery.per_recruit(fishing).spawning_biomass;
      expect_relative(fishery.recruitment(spawners), recruits, 1e-12);
    }
  }
}

// Runs the resource by itself: `agents` boats share `total_effort` unequally every step.
struct Projection {
  double catch_weight = 0.0;
  double spawning_biomass = 0.0;
  double recruitment = 0.0;
};

Projection project(FisheryAge& fishery, double total_effort, int steps) {
  const std::vector<double> effort{0.5 * total_effort, 0.3 * total_effort, 0.2 * total_effort};
  std::vector<double> harvest(effort.size());
  Projection last;
  std::vector<double> values(fishery.variables().size());
  for (int step = 0; step < steps; ++step) {
    last.spawning_biomass = fishery.stock();
    last.catch_weight = fishery.harvest({effort}, harvest, sim::ExecutionPolicy{});
    fishery.grow();
    fishery.sample(values);
    last.recruitment = values[2];
  }
  return last;
}

TEST(FisheryAgeEquilibrium, ConstantEffort_ConvergesToYieldAndSpawnersPerRecruitTimesRecruitment) {
  for (const FisheryAge::Parameters& p : parameter_sets()) {
    const FisheryAge probe(p);
    const double msy_effort = probe.maximum_sustainable_yield(sim::Economics{}).effort;
    for (double share_of_msy : {0.3, 1.0, 1.8}) {
      const double effort = std::min(share_of_msy * msy_effort, 0.95 * probe.crash_effort());
      SCOPED_TRACE(effort);
      FisheryAge::Parameters start = p;
      start.initial_fraction = 0.6;  // start away from the equilibrium
      FisheryAge fishery(start);
      const Projection reached = project(fishery, effort, 6000);
      const double fishing = p.catchability * effort;
      const double recruits = probe.equilibrium_recruitment(fishing);
      const FisheryAge::PerRecruit per = plain_per_recruit(p, fishing);
      expect_relative(reached.recruitment, recruits, 1e-9);
      expect_relative(reached.catch_weight, recruits * per.yield, 1e-9);
      expect_relative(reached.spawning_biomass, recruits * per.spawning_biomass, 1e-9);
      // The reference points' sustained state agrees with the projection too.
      const auto sustained = probe.steady_state_at_effort(effort, sim::Economics{});
      expect_relative(sustained.harvest, reached.catch_weight, 1e-9);
    }
  }
}

TEST(FisheryAgeEquilibrium, Unfished_StaysAtTheUnfishedEquilibrium) {
  for (const FisheryAge::Parameters& p : parameter_sets()) {
    FisheryAge fishery(p);
    const Eigen::ArrayXd start = fishery.numbers_at_age();
    const Projection reached = project(fishery, 0.0, 300);
    for (Eigen::Index a = 0; a < start.size(); ++a) expect_relative(fishery.numbers_at_age()(a), start(a), 1e-12);
    expect_relative(reached.spawning_biomass, fishery.unfished_spawning_biomass(), 1e-12);
    expect_relative(reached.recruitment, p.unfished_recruitment, 1e-12);
    EXPECT_EQ(reached.catch_weight, 0.0);
  }
}

TEST(FisheryAgeHarvest, SharesInProportionToEffort_AndHarvestIfAgrees) {
  FisheryAge fishery(FisheryAge::Parameters{});
  const std::vector<double> effort{30.0, 10.0, 0.0, 60.0};
  std::vector<double> harvest(effort.size());
  const double expected_total = fishery.catch_weight(100.0);
  std::vector<double> asked;
  for (std::size_t i = 0; i < effort.size(); ++i) asked.push_back(fishery.harvest_if(effort[i], 100.0 - effort[i]));
  const double total = fishery.harvest({effort}, harvest, sim::ExecutionPolicy{});
  expect_relative(total, expected_total, 1e-14);
  for (std::size_t i = 0; i < effort.size(); ++i) {
    expect_relative(harvest[i], expected_total * effort[i] / 100.0, 1e-14);
    // Asked before and after the harvest, harvest_if gives what the harvest gave.
    expect_relative(asked[i], harvest[i], 1e-14);
    expect_relative(fishery.harvest_if(effort[i], 100.0 - effort[i]), harvest[i], 1e-14);
  }
  EXPECT_EQ(harvest[2], 0.0);
}

// Random parameters and efforts, many far beyond what the stock can supply.
TEST(FisheryAgeInvariants, AnyEffort_NumbersStayNonNegativeAndCatchWithinWhatIsThere) {
  const sim::RandomStream random(2026, 0);
  for (std::uint64_t trial = 0; trial < 100; ++trial) {
    const auto uniform = [&](std::uint64_t k) { return random.uniform(trial, k, sim::Purpose::initialise); };
    FisheryAge::Parameters p;
    p.max_age = 1 + static_cast<std::int64_t>(30.0 * uniform(0));
    p.natural_mortality = 0.01 + 1.5 * uniform(1);
    p.steepness = 0.21 + 0.79 * uniform(2);
    p.catchability = 0.1 * uniform(3);
    p.initial_fraction = 0.01 + 2.0 * uniform(4);
    FisheryAge fishery(p);
    const std::size_t agents = 1 + trial % 5000;
    std::vector<double> effort(agents), harvest(agents);
    for (int step = 0; step < 30; ++step) {
      for (std::size_t i = 0; i < agents; ++i)
        effort[i] = 50.0 * random.uniform(trial, i, sim::Purpose::decide, static_cast<std::uint64_t>(step));
      const Eigen::ArrayXd before = fishery.numbers_at_age();
      const double biomass = fishery.biomass();
      const double total = fishery.harvest({effort}, harvest, sim::ExecutionPolicy{true});
      std::vector<double> values(fishery.variables().size());
      for (double h : harvest) ASSERT_GE(h, 0.0);
      ASSERT_LE(total, biomass * (1.0 + 1e-12));
      fishery.grow();
      fishery.sample(values);
      ASSERT_LE(values[4], before.sum() * (1.0 + 1e-12));  // catch in numbers
      // Survivors of each cohort never outnumber it: age a+1 now <= age a before.
      const Eigen::ArrayXd& after = fishery.numbers_at_age();
      ASSERT_TRUE((after >= 0.0).all());
      const Eigen::Index oldest = after.size() - 1;
      for (Eigen::Index a = 1; a < oldest; ++a) ASSERT_LE(after(a), before(a - 1) * (1.0 + 1e-12));
      ASSERT_LE(after(oldest), (before(oldest - 1) + before(oldest)) * (1.0 + 1e-12));
      ASSERT_GE(fishery.stock(), 0.0);
    }
  }
}

TEST(FisheryAgeReferences, MsyMeyOpenAccess_AreTheOptimaOfTheSustainedCurves) {
  for (const FisheryAge::Parameters& p : parameter_sets()) {
    const FisheryAge fishery(p);
    const auto msy = fishery.maximum_sustainable_yield(sim::Economics{});
    // Effort costs a third of the revenue per unit of effort at the MSY.
    const sim::Economics money{2.0, 2.0 * msy.harvest / msy.effort / 3.0, 0.0};
    const auto mey = fishery.maximum_economic_yield(money);
    const auto open = fishery.open_access(money);
    const double crash = std::min(fishery.crash_effort(), 50.0 / p.catchability);
    EXPECT_GT(msy.harvest, 0.0);
    for (int k = 0; k <= 400; ++k) {
      const auto at = fishery.steady_state_at_effort(crash * k / 400.0, money);
      EXPECT_LE(at.harvest, msy.harvest * (1.0 + 1e-12));
      EXPECT_LE(at.rent, mey.rent + 1e-9 * std::abs(mey.rent));
    }
    // With a cost of effort, the economic optimum fishes less than the MSY, open access more.
    EXPECT_LT(mey.effort, msy.effort);
    EXPECT_GT(open.effort, mey.effort);
    EXPECT_NEAR(open.rent, 0.0, 1e-8 * money.price * open.harvest);
    // Where the stock can be fished out, it is at the crash effort; where fish spawn before the
    // gear takes them (the fast stock matures ahead of selection) it cannot.
    if (std::isfinite(fishery.crash_effort())) {
      EXPECT_EQ(fishery.equilibrium_recruitment(p.catchability * crash), 0.0);
      EXPECT_GT(fishery.equilibrium_recruitment(p.catchability * crash * (1.0 - 1e-9)), 0.0);
    } else {
      EXPECT_GT(fishery.equilibrium_recruitment(50.0), 0.0);
    }
    EXPECT_EQ(fishery.optimal_total_effort(money).value(), mey.effort);
  }
}

TEST(FisheryAgeRun, EngineRun_RecordsTheSeriesAndStaysAtTheUnfishedStockWithoutEffort) {
  const sim::ScenarioSpec spec = testing::resource_scenario({"fishery_age", sim::Parameters{}, "/resource"},
                                                            {10.0, 5.0, 0.0}, testing::fixed_effort(0.0), 5, 20);
  const testing::Outcome out = testing::run_all(spec);
  const FisheryAge fishery(FisheryAge::Parameters{});
  for (double stock : testing::series(out.result, "stock"))
    expect_relative(stock, fishery.unfished_spawning_biomass(), 1e-12);
  for (double recruits : testing::series(out.result, "recruitment")) expect_relative(recruits, 1000.0, 1e-12);
  for (double fishing : testing::series(out.result, "fishing_mortality")) EXPECT_EQ(fishing, 0.0);
}

// Sums over agents run in fixed blocks: two threads give the bits one gives (10000 agents,
// three blocks, noisy observation and a moving fleet).
TEST(FisheryAgeRun, SerialAndParallel_GiveTheSameBits) {
  testing::expect_same_bits_serial_and_parallel(
      testing::resource_scenario({"fishery_age", sim::Parameters({{"observation_noise", 0.1}}), "/resource"},
                                 {10.0, 5.0, 0.05}, testing::fleet(0.01, 1e-3), 10'000, 30));
}

}  // namespace
}  // namespace commons::models
