// SPDX-License-Identifier: Apache-2.0
// The Gisser-Sanchez aquifer: its water balance step by step, its physical bounds, the water
// table a constant pumping or a constant effort holds, and the competitive and optimal steady
// states (Gisser and Sanchez 1980), the competitive one also reached by myopic pumpers.

#include <commons/models/register_models.hpp>
#include <commons/models/resources/groundwater_bathtub.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run.hpp>

#include <governance_testing.hpp>
#include <resource_spec.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace commons::models {
namespace {

// The defaults: A S = 100 hm^3 per metre, R = 50 hm^3, alpha = 0.25, SL = 100 m, c0 = 100 GJ
// per hm^3, c1 = 14 GJ per hm^3 and metre; energy at 30 a GJ and water at 24000 an hm^3.
const sim::Economics money{24000.0, 30.0, 0.05};

GroundwaterBathtub::Parameters starting_at(double water_table) {
  GroundwaterBathtub::Parameters p;
  p.initial_water_table = water_table;
  return p;
}

// Runs the aquifer by itself for one step with these efforts; returns the water pumped.
double step(GroundwaterBathtub& aquifer, const std::vector<double>& effort) {
  std::vector<double> harvest(effort.size());
  const double pumped = aquifer.harvest({effort}, harvest, sim::ExecutionPolicy{});
  aquifer.grow();
  return pumped;
}

TEST(GroundwaterBathtubBalance, EveryStep_StorageChangeIsRechargePlusReturnFlowMinusPumpingMinusRunoff) {
  const sim::RandomStream random(1980, 0);
  GroundwaterBathtub aquifer(starting_at(60.0));
  const GroundwaterBathtub::Parameters& p = aquifer.parameters();
  std::vector<double> values(aquifer.variables().size());
  for (std::uint64_t t = 0; t < 400; ++t) {
    // Efforts from nothing to several times what would empty the aquifer in a step.
    const double scale = 3e4 * random.uniform(t, 0, sim::Purpose::decide);
    const std::vector<double> effort{scale * random.uniform(t, 1, sim::Purpose::decide),
                                     scale * random.uniform(t, 2, sim::Purpose::decide), 0.0};
    const double before = aquifer.stock();
    const double pumped = step(aquifer, effort);
    aquifer.sample(values);
    EXPECT_EQ(values[0], before);
    const double change = aquifer.stock() - before;
    const double balance = p.recharge + values[3] - pumped - values[4];
    EXPECT_NEAR(change, balance, 1e-12 * p.area * p.storativity * p.surface_level);
    EXPECT_EQ(values[3], p.return_flow * pumped);
    // Physical bounds: never below the bottom, never above the surface, never more pumped
    // than was stored.
    EXPECT_LE(pumped, before);
    EXPECT_GE(aquifer.stock(), 0.0);
    EXPECT_LE(aquifer.water_table(), p.surface_level);
    EXPECT_GE(values[4], 0.0);
  }
}

TEST(GroundwaterBathtubPumping, EffortLiftsWaterAtTheCostOfTheDepth_RationedAtTheBottom) {
  GroundwaterBathtub aquifer(starting_at(70.0));
  // c(70) = 100 + 14 x 30 = 520 GJ per hm^3.
  EXPECT_EQ(aquifer.pumping_cost(70.0), 520.0);
  std::vector<double> harvest(2);
  const std::vector<double> effort{520.0, 1040.0};
  EXPECT_NEAR(aquifer.harvest_if(520.0, 1040.0), 1.0, 1e-15);
  const double pumped = aquifer.harvest({effort}, harvest, sim::ExecutionPolicy{});
  EXPECT_NEAR(harvest[0], 1.0, 1e-15);
  EXPECT_NEAR(harvest[1], 2.0, 1e-15);
  EXPECT_NEAR(pumped, 3.0, 1e-15);
  // Demand for far more than the 7000 hm^3 stored: shares cut in proportion, the aquifer dry.
  GroundwaterBathtub low(starting_at(70.0));
  const std::vector<double> greedy{1e8, 3e8};
  const double all = low.harvest({greedy}, harvest, sim::ExecutionPolicy{});
  EXPECT_LE(all, 7000.0);
  EXPECT_NEAR(all, 7000.0, 1e-9);
  EXPECT_NEAR(harvest[1] / harvest[0], 3.0, 1e-12);
  EXPECT_NEAR(low.harvest_if(1e8, 3e8), harvest[0], 1e-9);
  EXPECT_GE(low.stock(), 0.0);
}

TEST(GroundwaterBathtubSteadyState, ConstantPumping_MovesTheTableLinearlyAndTheSafeYieldHoldsIt) {
  for (double pumping : {0.0, 40.0, 50.0 / 0.75, 90.0}) {
    SCOPED_TRACE(pumping);
    GroundwaterBathtub aquifer(starting_at(50.0));
    const GroundwaterBathtub::Parameters& p = aquifer.parameters();
    const double rate = (p.recharge + (p.return_flow - 1.0) * pumping) / (p.area * p.storativity);
    for (int t = 1; t <= 40; ++t) {
      // The effort that pumps exactly `pumping` at today's depth.
      step(aquifer, {pumping * aquifer.pumping_cost(aquifer.water_table())});
      // A S dH = R + (alpha - 1) W, step after step until a bound is reached.
      const double expected = std::clamp(50.0 + rate * t, 0.0, p.surface_level);
      EXPECT_NEAR(aquifer.water_table(), expected, 1e-10);
    }
  }
  EXPECT_EQ(GroundwaterBathtub(starting_at(50.0)).safe_yield(), 50.0 / 0.75);
}

TEST(GroundwaterBathtubSteadyState, ConstantEffort_ConvergesToTheClosedFormTable) {
  for (double effort : {2e4, 3.5e4, 5e4, 8e4}) {
    SCOPED_TRACE(effort);
    for (double start : {10.0, 60.0, 100.0}) {
      GroundwaterBathtub aquifer(starting_at(start));
      const GroundwaterBathtub::Parameters& p = aquifer.parameters();
      // Ten agents share the effort unequally; only the total matters.
      std::vector<double> efforts(10);
      for (std::size_t i = 0; i < efforts.size(); ++i) efforts[i] = effort * static_cast<double>(i + 1) / 55.0;
      for (int t = 0; t < 20000; ++t) step(aquifer, efforts);
      // (1 - alpha) E / c(H) = R: H = SL - ((1 - alpha) E / R - c0) / c1.
      const double expected =
          std::clamp(p.surface_level - ((1.0 - p.return_flow) * effort / p.recharge - p.pumping_cost_fixed) /
                                           p.pumping_cost_per_depth,
                     0.0, p.surface_level);
      EXPECT_NEAR(aquifer.water_table(), expected, 1e-9 * p.surface_level);
      EXPECT_EQ(aquifer.steady_water_table(effort), expected);
    }
  }
}

TEST(GroundwaterBathtubEconomics, CompetitiveAndOptimalSteadyStates_AreGisserSanchez) {
  const GroundwaterBathtub aquifer(starting_at(100.0));
  const GroundwaterBathtub::Parameters& p = aquifer.parameters();
  const auto competitive = aquifer.competitive(money);
  const auto optimal = aquifer.optimal(money);
  // Competitive: p = w c(H), H = SL - (p/w - c0)/c1 = 100 - (800 - 100)/14 = 50 m.
  EXPECT_NEAR(competitive.water_table, 50.0, 1e-12);
  EXPECT_NEAR(money.price, money.cost_per_effort * aquifer.pumping_cost(competitive.water_table), 1e-9);
  EXPECT_NEAR(competitive.rent, 0.0, 1e-9 * money.price);
  // Optimal: p - w c(H) = w c1 R / (r A S), 10 m higher: R / (r A S) = 50 / (0.05 x 100).
  EXPECT_NEAR(optimal.water_table, 60.0, 1e-12);
  EXPECT_NEAR(
      money.price - money.cost_per_effort * aquifer.pumping_cost(optimal.water_table),
      money.cost_per_effort * p.pumping_cost_per_depth * p.recharge / (money.discount_rate * p.area * p.storativity),
      1e-9);
  // Both pump the safe yield.
  EXPECT_EQ(competitive.pumping, 50.0 / 0.75);
  EXPECT_EQ(optimal.pumping, 50.0 / 0.75);
  EXPECT_GT(optimal.rent, competitive.rent);
  EXPECT_EQ(aquifer.optimal_total_effort(money).value(), optimal.effort);
  // Gisser and Sanchez: the larger the storage per metre, the less the optimum differs.
  double previous_gap = std::numeric_limits<double>::infinity();
  for (double area : {100.0, 1000.0, 1e4, 1e5}) {
    GroundwaterBathtub::Parameters larger = p;
    larger.area = area;
    const GroundwaterBathtub big(larger);
    const double gap = big.optimal(money).water_table - big.competitive(money).water_table;
    if (std::isfinite(previous_gap)) {
      EXPECT_LT(gap, previous_gap);
    }
    if (gap < p.surface_level / 2.0) {
      EXPECT_NEAR(gap, p.recharge / (money.discount_rate * area * p.storativity), 1e-9);
    }
    previous_gap = gap;
  }
  // Without discounting the optimum keeps the table at the surface; when no pumping pays,
  // nothing is pumped.
  EXPECT_EQ(aquifer.optimal({24000.0, 30.0, 0.0}).water_table, p.surface_level);
  const auto idle = aquifer.competitive({2000.0, 30.0, 0.05});
  EXPECT_EQ(idle.pumping, 0.0);
  EXPECT_EQ(idle.water_table, p.surface_level);
}

TEST(GroundwaterBathtubParameters, TableAboveTheSurface_IsRefusedNamingBoth) {
  const sim::Parameters values({{"surface_level", 100.0}, {"initial_water_table", 150.0}});
  try {
    (void)GroundwaterBathtub::Parameters::from(values);
    ADD_FAILURE() << "a water table above the surface was accepted";
  } catch (const sim::SpecError& error) {
    EXPECT_STREQ(error.what(), "groundwater_bathtub: initial_water_table (150 m) is above the surface_level (100 m)");
  }
}

// Myopic pumpers (the fleet behaviour: pump more while a unit of energy's water is worth more
// than the energy) take the aquifer to the competitive table.
TEST(GroundwaterBathtubRun, MyopicPumpers_ReachTheCompetitiveWaterTable) {
  const sim::ScenarioSpec spec = testing::resource_scenario({"groundwater_bathtub", sim::Parameters{}, "/resource"},
                                                            money, testing::fleet(1000.0, 1e-4), 10, 5000);
  const testing::Outcome out = testing::run_all(spec);
  const std::vector<double>& table = testing::series(out.result, "water_table");
  EXPECT_NEAR(table.back(), 50.0, 1e-6);
  for (double h : table) {
    EXPECT_GE(h, 0.0);
    EXPECT_LE(h, 100.0);
  }
}

// Sums over agents run in fixed blocks: two threads give the bits one gives (10000 agents,
// three blocks, noisy observation and a moving fleet).
TEST(GroundwaterBathtubRun, SerialAndParallel_GiveTheSameBits) {
  const sim::Parameters aquifer({{"observation_noise", 0.1}, {"initial_water_table", 80.0}});
  testing::expect_same_bits_serial_and_parallel(testing::resource_scenario(
      {"groundwater_bathtub", aquifer, "/resource"}, {24.0, 0.03, 0.05}, testing::fleet(5.0, 0.1), 10'000, 30));
}

}  // namespace
}  // namespace commons::models
