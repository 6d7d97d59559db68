// SPDX-License-Identifier: Apache-2.0
// The timber stand: an uncut cell follows the Chapman-Richards yield curve, volumes never go
// negative, no logger takes more than a cell holds nor cuts below the minimum size, cleared
// cells are recolonised only next to stocked ones, volume is conserved step by step, the
// maximum sustained yield against its closed form, and the same bits serial and parallel.

#include <commons/models/resources/forest_stand.hpp>
#include <commons/sim/random.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace commons::models {
namespace {

/// A = 400 m3, k = 0.05 a tick, p = 3, q = 10 m3 a logger.
ForestStand::Parameters stand(std::size_t rows = 1, std::size_t columns = 1) {
  ForestStand::Parameters p;
  p.rows = rows;
  p.columns = columns;
  p.asymptotic_volume = 400.0;
  p.growth_rate = 0.05;
  p.shape_exponent = 3.0;
  p.initial_volume = 400.0;
  p.cut_per_effort = 10.0;
  p.recolonisation_rate = 0.3;
  return p;
}

/// Cuts once: each logger's effort at its cell.
std::vector<double> cut(ForestStand& forest, const std::vector<double>& effort, const std::vector<std::uint32_t>& cells,
                        const sim::ExecutionPolicy& policy = sim::ExecutionPolicy{}) {
  std::vector<double> taken(effort.size());
  forest.harvest({effort, cells, {}}, taken, policy);
  return taken;
}

double sum(const std::vector<double>& values) {
  double total = 0.0;
  for (const double v : values) total += v;
  return total;
}

TEST(ForestStandGrowth, UncutCell_FollowsTheChapmanRichardsYieldCurve) {
  // p = 3 takes the cube-root path, 2.5 the general one.
  for (const double shape : {3.0, 2.5}) {
    ForestStand::Parameters p = stand(1, 2);
    p.shape_exponent = shape;
    ForestStand probe(p);
    p.initial_volume = probe.yield_curve(2.0);  // a two-tick-old stand
    ForestStand forest(p);
    for (int tick = 1; tick <= 300; ++tick) {
      forest.grow();
      const double expected = p.asymptotic_volume * std::pow(1.0 - std::exp(-p.growth_rate * (2.0 + tick)), shape);
      EXPECT_NEAR(forest.volume()[0], expected, 1e-9 * expected) << "p " << shape << ", tick " << tick;
      EXPECT_EQ(forest.volume()[1], forest.volume()[0]);
    }
  }
}

TEST(ForestStandGrowth, Logistic_RisesToTheAsymptoteWithTheLogisticIncrement) {
  ForestStand::Parameters p = stand();
  p.growth_model = ForestStand::GrowthModel::logistic;
  p.growth_rate = 0.2;
  p.initial_volume = 10.0;
  p.seedling_volume = 1.0;
  ForestStand forest(p);
  double volume = 10.0;
  for (int tick = 0; tick < 200; ++tick) {
    forest.grow();
    volume += 0.2 * volume * (1.0 - volume / 400.0);
    EXPECT_EQ(forest.volume()[0], volume);
    EXPECT_LE(forest.volume()[0], 400.0);
  }
  EXPECT_NEAR(forest.volume()[0], 400.0, 1e-6);
}

TEST(ForestStandCutting, ClaimsSharedInProportion_ACellCutBareIsCleared) {
  ForestStand::Parameters p = stand(1, 2);
  p.initial_volume = 300.0;
  ForestStand forest(p);
  // Cell 0: 20 + 40 loggers ask for 600 m3 of 300: each gets half. Cell 1: 10 of 300.
  EXPECT_EQ(cut(forest, {20, 1, 40}, {0, 1, 0}), (std::vector<double>{100, 10, 200}));
  EXPECT_EQ(forest.volume(), (std::vector<double>{0, 290}));
  EXPECT_EQ(forest.stocked(), (std::vector<double>{0, 1}));
}

TEST(ForestStandCutting, BelowTheMinimumSize_NothingIsCut) {
  ForestStand::Parameters p = stand(1, 3);
  p.minimum_cut_volume = 250.0;
  ForestStand forest(p);
  forest.set_volume({249.0, 250.0, 400.0});
  EXPECT_EQ(cut(forest, {5, 5, 5}, {0, 1, 2}), (std::vector<double>{0, 50, 50}));
  EXPECT_EQ(forest.volume(), (std::vector<double>{249, 200, 350}));
  // Cell 1 is now below the rule's size and may not be cut again until it has regrown.
  EXPECT_EQ(forest.harvest_if(1.0, 0.0), 10.0);
  EXPECT_EQ(cut(forest, {5, 5, 5}, {0, 1, 2}), (std::vector<double>{0, 0, 50}));
}

TEST(ForestStandCutting, ManyLoggers_NeverMoreThanACellHolds_NoneBelowTheRule_VolumeConserved) {
  ForestStand::Parameters p = stand(6, 7);
  p.initial_volume = 180.0;
  p.minimum_cut_volume = 100.0;
  ForestStand forest(p);
  const sim::RandomStream random(11, 0);
  forest.set_random(random);
  const std::size_t n = 300;
  std::vector<double> effort(n);
  std::vector<std::uint32_t> cells(n);
  for (std::size_t i = 0; i < n; ++i) {
    effort[i] = 6.0 * random.uniform(0, i, sim::Purpose::decide);
    cells[i] = static_cast<std::uint32_t>((i * 5) % 42);
  }
  double cleared_seen = 0.0;
  for (int step = 0; step < 120; ++step) {
    const std::vector<double> before = forest.volume();
    std::vector<double> taken(n);
    const double total = forest.harvest({effort, cells, {}}, taken, sim::ExecutionPolicy{});
    std::vector<double> at_cell(42, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_GE(taken[i], 0.0);
      EXPECT_LE(taken[i], effort[i] * p.cut_per_effort);
      at_cell[cells[i]] += taken[i];
    }
    for (std::size_t cell = 0; cell < 42; ++cell) {
      EXPECT_LE(at_cell[cell], before[cell]);
      if (before[cell] < p.minimum_cut_volume) {
        EXPECT_EQ(at_cell[cell], 0.0) << "cut below the minimum size at cell " << cell;
      }
    }
    EXPECT_EQ(total, sum(taken));
    forest.grow();
    for (const double v : forest.volume()) EXPECT_GE(v, 0.0);
    // Volume after = before - cut + growth, up to the rounding a cleared cell's remnant takes.
    EXPECT_NEAR(sum(forest.volume()), sum(before) - total + forest.growth_since_harvest(), 1e-9 * sum(before));
    std::vector<double> series(6);
    forest.sample(series);
    EXPECT_EQ(series[1], total);
    cleared_seen += series[4];
  }
  EXPECT_GT(cleared_seen, 0.0);  // the loggers did clear cells, so recolonisation was exercised
}

TEST(ForestStandRecolonisation, ClearedCellsRestartOnlyNextToStockedCells) {
  ForestStand::Parameters p = stand(9, 9);
  p.recolonisation_rate = 0.5;
  ForestStand forest(p);
  forest.set_random(sim::RandomStream(3, 1));
  std::vector<double> volume(81, 0.0);
  volume[4 * 9 + 4] = 400.0;  // one stocked cell in the middle
  forest.set_volume(volume);
  std::size_t recolonised = 0;
  for (int tick = 0; tick < 12; ++tick) {
    const std::vector<double> stocked_before = forest.stocked();
    forest.grow();
    for (std::size_t cell = 0; cell < 81; ++cell) {
      if (stocked_before[cell] != 0.0 || forest.stocked()[cell] == 0.0) continue;
      ++recolonised;
      EXPECT_EQ(forest.volume()[cell], p.seedling_volume);
      const std::size_t row = cell / 9;
      const std::size_t column = cell % 9;
      bool next_to_stocked = false;
      for (std::size_t y = row > 0 ? row - 1 : 0; y <= std::min<std::size_t>(row + 1, 8); ++y)
        for (std::size_t x = column > 0 ? column - 1 : 0; x <= std::min<std::size_t>(column + 1, 8); ++x)
          next_to_stocked = next_to_stocked || (y * 9 + x != cell && stocked_before[y * 9 + x] != 0.0);
      EXPECT_TRUE(next_to_stocked) << "cell " << cell << " at tick " << tick;
    }
  }
  EXPECT_GT(recolonised, 0U);
}

TEST(ForestStandRecolonisation, ShareRecolonisedMatchesTheRateTimesStockedNeighbours) {
  // A 1 x 3 row, the middle cell cleared between two stocked cells: 2 of 2 neighbours stocked,
  // so it returns in a tick with probability r_c = 0.3. Over many seeds, 30 % of first ticks.
  ForestStand::Parameters p = stand(1, 3);
  int returned = 0;
  const int seeds = 4000;
  for (int seed = 0; seed < seeds; ++seed) {
    ForestStand forest(p);
    forest.set_random(sim::RandomStream(static_cast<std::uint64_t>(seed), 0));
    forest.set_volume({400.0, 0.0, 400.0});
    forest.grow();
    returned += forest.stocked()[1] != 0.0 ? 1 : 0;
  }
  // 0.3 +- 4 standard deviations of a binomial share over 4000 trials.
  EXPECT_NEAR(returned / static_cast<double>(seeds), 0.3, 4.0 * std::sqrt(0.3 * 0.7 / seeds));
}

TEST(ForestStandYield, ChapmanRichardsMsy_MaximisesTheSustainedCutAndHoldsForever) {
  const ForestStand forest(stand());
  const double residual = forest.msy_residual();
  const double best = forest.grown(residual) - residual;
  // No other residual left standing yields more, step after step.
  for (double r = 1.0; r < 400.0; r += 0.5) EXPECT_LE(forest.grown(r) - r, best + 1e-9) << "residual " << r;
  // The closed form: u* = c (1 - e^{-k}) / (1 - c e^{-k}), c = e^{-k/(p-1)}.
  const double decay = std::exp(-0.05);
  const double c = std::exp(-0.05 / 2.0);
  EXPECT_NEAR(residual, 400.0 * std::pow(c * (1.0 - decay) / (1.0 - c * decay), 3.0), 1e-9);
  // A cell cut by the MSY every step stays where it is.
  const sim::Economics economics{2.0, 5.0, 0.0};
  const SteadyState msy = forest.maximum_sustainable_yield(economics);
  ForestStand::Parameters p = stand();
  p.initial_volume = msy.stock;
  ForestStand cell(p);
  for (int step = 0; step < 50; ++step) {
    EXPECT_NEAR(cut(cell, {msy.effort}, {0})[0], msy.harvest, 1e-9);
    cell.grow();
    EXPECT_NEAR(cell.volume()[0], msy.stock, 1e-9);
  }
}

TEST(ForestStandYield, MinimumSize_RaisesTheResidualSoTheCellRegrowsToIt) {
  ForestStand::Parameters p = stand();
  p.minimum_cut_volume = 300.0;
  const ForestStand forest(p);
  const double residual = forest.msy_residual();
  EXPECT_NEAR(forest.grown(residual), 300.0, 1e-9);
  EXPECT_GT(residual, ForestStand(stand()).msy_residual());
  p.minimum_cut_volume = 400.0;  // only the asymptote may be cut: nothing sustained
  EXPECT_EQ(ForestStand(p).maximum_sustainable_yield(sim::Economics{}).harvest, 0.0);
}

TEST(ForestStandYield, LogisticMsy_IsKAOverFourAtHalfTheAsymptote) {
  ForestStand::Parameters p = stand(2, 3);
  p.growth_model = ForestStand::GrowthModel::logistic;
  p.growth_rate = 0.2;
  p.seedling_volume = 1.0;
  const ForestStand forest(p);
  EXPECT_EQ(forest.msy_residual(), 200.0);
  const sim::Economics economics{2.0, 5.0, 0.0};
  const auto points = forest.reference_points(economics);
  const auto value = [&](const std::string& name) {
    for (const sim::ScalarData& point : points)
      if (point.info.name == name) return point.value;
    ADD_FAILURE() << "no reference point " << name;
    return 0.0;
  };
  EXPECT_EQ(value("msy_harvest"), 6 * 20.0);
  EXPECT_EQ(value("msy_stock"), 6 * 220.0);
  EXPECT_EQ(value("msy_effort"), 6 * 2.0);
  EXPECT_EQ(value("msy_rent"), 6 * (2.0 * 20.0 - 5.0 * 2.0));
  EXPECT_EQ(*forest.optimal_total_effort(economics), 12.0);
  EXPECT_EQ(*forest.optimal_total_effort(sim::Economics{0.4, 5.0, 0.0}), 0.0);  // a logger costs more than it cuts
}

TEST(ForestStandCutting, LargeGrid_SameBitsSerialAndParallel) {
  // More cells than one block, so that recolonisation, growth and the totals run in several.
  ForestStand::Parameters p = stand(70, 150);
  p.initial_volume = 60.0;
  ForestStand serial(p), parallel(p);
  serial.set_random(sim::RandomStream(7, 0));
  parallel.set_random(sim::RandomStream(7, 0));
  const sim::RandomStream random(7, 0);
  const std::size_t n = 20'000;
  std::vector<double> effort(n);
  std::vector<std::uint32_t> cells(n);
  for (std::size_t i = 0; i < n; ++i) {
    effort[i] = 8.0 * random.uniform(0, i, sim::Purpose::decide);
    cells[i] = static_cast<std::uint32_t>((i * 7) % 10'500);
  }
  for (int step = 0; step < 8; ++step) {
    std::vector<double> serial_cut(n), parallel_cut(n);
    EXPECT_EQ(serial.harvest({effort, cells, {}}, serial_cut, sim::ExecutionPolicy{false}),
              parallel.harvest({effort, cells, {}}, parallel_cut, sim::ExecutionPolicy{true}));
    EXPECT_EQ(serial_cut, parallel_cut);
    serial.grow();
    parallel.grow();
    EXPECT_EQ(serial.volume(), parallel.volume());
    EXPECT_EQ(serial.stocked(), parallel.stocked());
    EXPECT_EQ(serial.stock(), parallel.stock());
  }
}

}  // namespace
}  // namespace commons::models
