// SPDX-License-Identifier: Apache-2.0
// Hardin's pasture: grass eaten is what the animals got and never more than a cell holds, grass
// never negative, the ungrazed cap, the sustainable herd against its closed form, and
// overgrazing slowing regrowth.

#include <commons/models/register_models.hpp>
#include <commons/models/resources/pasture.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace commons::models {
namespace {

/// K = 1000 kg, r = 0.5, R = 10 kg a head: a cell feeds r K / (4 R) = 12.5 animals forever.
Pasture::Parameters field(std::size_t rows = 1, std::size_t columns = 1) {
  Pasture::Parameters p;
  p.rows = rows;
  p.columns = columns;
  p.growth_rate = 0.5;
  p.carrying_capacity = 1000.0;
  p.initial_biomass = 1000.0;
  p.ration = 10.0;
  return p;
}

/// Grazes once: each agent's herd at its cell.
std::vector<double> graze(Pasture& pasture, const std::vector<double>& herds, const std::vector<std::uint32_t>& cells) {
  std::vector<double> eaten(herds.size());
  pasture.harvest({herds, cells, {}}, eaten, sim::ExecutionPolicy{});
  return eaten;
}

TEST(PastureGrazing, EnoughGrass_EveryAnimalEatsItsRation) {
  Pasture pasture(field(1, 2));
  const std::vector<double> eaten = graze(pasture, {3, 4, 5}, {0, 1, 0});
  EXPECT_EQ(eaten, (std::vector<double>{30, 40, 50}));
  EXPECT_EQ(pasture.biomass(), (std::vector<double>{920, 960}));
}

TEST(PastureGrazing, ShortCell_ClaimsCutInProportionAndTheCellEatenBare) {
  Pasture::Parameters p = field(1, 2);
  p.initial_biomass = 300.0;
  Pasture pasture(p);
  // Cell 0: 20 + 40 animals ask for 600 kg of 300: each gets half its ration. Cell 1: 10 of 300.
  const std::vector<double> eaten = graze(pasture, {20, 1, 40}, {0, 1, 0});
  EXPECT_EQ(eaten, (std::vector<double>{100, 10, 200}));
  EXPECT_EQ(pasture.biomass(), (std::vector<double>{0, 290}));
}

TEST(PastureGrazing, ManyHerders_GrassEatenIsWhatTheAnimalsGotAndNeverMoreThanTheCellHeld) {
  Pasture::Parameters p = field(3, 4);
  p.initial_biomass = 137.0;
  Pasture pasture(p);
  const sim::RandomStream random(11, 0);
  std::vector<double> herds(500);
  std::vector<std::uint32_t> cells(500);
  for (std::size_t i = 0; i < herds.size(); ++i) {
    herds[i] = 3.0 * random.uniform(0, i, sim::Purpose::decide);
    cells[i] = static_cast<std::uint32_t>(i % 12);
  }
  for (int step = 0; step < 30; ++step) {
    std::vector<double> eaten(herds.size());
    const double total = pasture.harvest({herds, cells, {}}, eaten, sim::ExecutionPolicy{});
    std::vector<double> at_cell(12, 0.0);
    double sum = 0.0;
    for (std::size_t i = 0; i < herds.size(); ++i) {
      EXPECT_GE(eaten[i], 0.0);
      EXPECT_LE(eaten[i], herds[i] * p.ration);
      at_cell[cells[i]] += eaten[i];
      sum += eaten[i];
    }
    EXPECT_EQ(total, sum);
    for (std::size_t c = 0; c < 12; ++c) {
      EXPECT_LE(at_cell[c], pasture.biomass_at_harvest()[c]) << "cell " << c;
      EXPECT_GE(pasture.biomass()[c], 0.0);
      EXPECT_NEAR(pasture.biomass()[c], pasture.biomass_at_harvest()[c] - at_cell[c], 1e-9);
    }
    pasture.grow();
    for (const double grass : pasture.biomass()) EXPECT_GE(grass, 0.0);
  }
}

TEST(PastureGrazing, HarvestIf_RationsThePooledGrassLikeHarvest) {
  Pasture::Parameters p = field();
  p.initial_biomass = 300.0;
  const Pasture pasture(p);
  EXPECT_EQ(pasture.harvest_if(20, 40), 100.0);
  EXPECT_EQ(pasture.harvest_if(5, 10), 50.0);
  EXPECT_EQ(pasture.harvest_if(0, 10), 0.0);
}

TEST(PastureGrazing, LargeGrid_SameBitsSerialAndParallel) {
  // More cells than one block, so that regrowth and the grid's total run in several blocks.
  Pasture::Parameters p = field(70, 150);
  p.initial_biomass = 400.0;
  Pasture serial(p), parallel(p);
  const sim::RandomStream random(7, 0);
  const std::size_t n = 20'000;
  std::vector<double> herds(n);
  std::vector<std::uint32_t> cells(n);
  for (std::size_t i = 0; i < n; ++i) {
    herds[i] = 60.0 * random.uniform(0, i, sim::Purpose::decide);
    cells[i] = static_cast<std::uint32_t>((i * 7) % 10'500);
  }
  for (int step = 0; step < 5; ++step) {
    std::vector<double> serial_eaten(n), parallel_eaten(n);
    EXPECT_EQ(serial.harvest({herds, cells, {}}, serial_eaten, sim::ExecutionPolicy{false}),
              parallel.harvest({herds, cells, {}}, parallel_eaten, sim::ExecutionPolicy{true}));
    EXPECT_EQ(serial_eaten, parallel_eaten);
    serial.grow();
    parallel.grow();
    EXPECT_EQ(serial.biomass(), parallel.biomass());
    EXPECT_EQ(serial.stock(), parallel.stock());
  }
}

TEST(PastureGrowth, Ungrazed_GrassRisesToTheCapAndStaysThere) {
  Pasture::Parameters p = field(2, 2);
  p.initial_biomass = 50.0;
  Pasture pasture(p);
  for (int step = 0; step < 200; ++step) {
    graze(pasture, {}, {});
    pasture.grow();
  }
  for (const double grass : pasture.biomass()) EXPECT_NEAR(grass, 1000.0, 1e-9);
  for (const double degradation : pasture.degradation()) EXPECT_EQ(degradation, 0.0);
  p.initial_biomass = 1000.0;
  Pasture full(p);
  full.grow();
  EXPECT_EQ(full.biomass(), std::vector<double>(4, 1000.0));
}

TEST(PastureGrowth, SustainableHerd_ClosedFormRKOver4R_HoldsTheCellForever) {
  Pasture pasture(field());
  EXPECT_EQ(pasture.sustainable_herd_per_cell(), 12.5);
  // At the MSY the cell starts a step with K/2 + r K/4 = 625 kg; 12.5 animals eat 125 of it and
  // the 500 left grow back 125.
  Pasture::Parameters p = field();
  p.initial_biomass = 625.0;
  Pasture held(p);
  for (int step = 0; step < 100; ++step) {
    EXPECT_EQ(graze(held, {12.5}, {0}), std::vector<double>{125.0});
    held.grow();
    ASSERT_EQ(held.biomass()[0], 625.0) << "step " << step;
  }
  EXPECT_EQ(held.degradation()[0], 0.0);
}

TEST(PastureGrowth, SmallerHerd_SettlesOnTheUpperRootOfTheSteadyState) {
  // 6 animals: r G (1 - G/K) = 60, G = 500 (1 + sqrt(0.52)) left standing after grazing.
  Pasture pasture(field());
  const std::optional<double> residual = pasture.steady_residual(6.0);
  ASSERT_TRUE(residual.has_value());
  EXPECT_DOUBLE_EQ(*residual, 500.0 * (1.0 + std::sqrt(0.52)));
  for (int step = 0; step < 400; ++step) {
    graze(pasture, {6.0}, {0});
    pasture.grow();
  }
  EXPECT_NEAR(pasture.biomass()[0], *residual + 60.0, 1e-9);
  EXPECT_FALSE(pasture.steady_residual(12.6).has_value());
}

TEST(PastureGrowth, ThresholdAboveHalf_TheSustainableHerdLeavesThetaK) {
  Pasture::Parameters p = field();
  p.overgrazing_threshold = 0.6;
  const Pasture pasture(p);
  EXPECT_EQ(pasture.msy_residual(), 600.0);
  EXPECT_DOUBLE_EQ(pasture.sustainable_herd_per_cell(), 0.5 * 600.0 * 0.4 / 10.0);
}

TEST(PastureDegradation, Overgrazing_SlowsRegrowthAndRestRestoresIt) {
  // 90 animals eat 900 of 1000 kg: 100 left, below theta K = 250. D = 0.1, so the cell grows
  // back 0.5 x 0.9 x 100 x 0.9 = 40.5 kg instead of the 45 of an undegraded cell.
  Pasture pasture(field());
  graze(pasture, {90}, {0});
  pasture.grow();
  EXPECT_DOUBLE_EQ(pasture.degradation()[0], 0.1);
  EXPECT_DOUBLE_EQ(pasture.biomass()[0], 100.0 + 40.5);
  EXPECT_LT(pasture.regrowth(100.0, pasture.degradation()[0]), pasture.regrowth(100.0, 0.0));
  // Five more overgrazed steps: D = 0.6; then rest lowers it by 0.02 a step.
  for (int step = 0; step < 5; ++step) {
    graze(pasture, {10}, {0});
    pasture.grow();
  }
  EXPECT_NEAR(pasture.degradation()[0], 0.6, 1e-12);
  graze(pasture, {}, {});
  pasture.grow();
  EXPECT_NEAR(pasture.degradation()[0], 0.58, 1e-12);
}

TEST(PastureDegradation, HerdAboveTheSustainable_ThePastureCollapses) {
  Pasture pasture(field());
  for (int step = 0; step < 100; ++step) {
    graze(pasture, {14.0}, {0});
    pasture.grow();
  }
  EXPECT_LT(pasture.biomass()[0], 1.0);
  EXPECT_EQ(pasture.degradation()[0], 1.0);
}

TEST(PastureEconomics, ReferencePoints_TheMsyOfEveryCell) {
  const Pasture pasture(field(2, 3));
  const sim::Economics economics{2.0, 5.0, 0.0};  // a fed animal earns 2 x 10 - 5 = 15
  std::vector<sim::ScalarData> points = pasture.reference_points(economics);
  const auto value = [&](const std::string& name) {
    for (const sim::ScalarData& point : points)
      if (point.info.name == name) return point.value;
    throw std::runtime_error("no " + name);
  };
  EXPECT_EQ(value("msy_effort"), 6 * 12.5);
  EXPECT_EQ(value("msy_harvest"), 6 * 125.0);
  EXPECT_EQ(value("msy_stock"), 6 * 625.0);
  EXPECT_EQ(value("msy_rent"), 6 * (2.0 * 125.0 - 5.0 * 12.5));
  EXPECT_EQ(*pasture.optimal_total_effort(economics), 75.0);
  EXPECT_EQ(*pasture.optimal_total_effort(sim::Economics{0.4, 5.0, 0.0}), 0.0);  // an animal costs more than it eats
}

TEST(PastureRun, IncomeIsPriceTimesGrassEatenLessUpkeep_UnfedAnimalsLoseTheirCost) {
  // Two herders on one cell of 300 kg: 20 and 40 animals ask for 600 kg and get half rations.
  sim::ScenarioSpec spec;
  spec.name = "test_pasture";
  spec.resource = {"pasture",
                   sim::Parameters({{"growth_rate", 0.5},
                                    {"carrying_capacity", 1000.0},
                                    {"initial_biomass", 300.0},
                                    {"ration", 10.0}}),
                   "/resource"};
  spec.economics = {2.0, 5.0, 0.0};
  spec.groups.push_back({"small", 1, {{1.0, {"fixed", sim::Parameters({{"effort", 20.0}}), ""}}}, 5.0});
  spec.groups.push_back({"large", 1, {{1.0, {"fixed", sim::Parameters({{"effort", 40.0}}), ""}}}, 5.0});
  spec.steps = 1;
  spec.replicates = 1;
  spec.seed = 1;
  spec.resolved_text = "{}";
  spec.source = "test";
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  // 100 kg x 2 - 20 x 5 and 200 kg x 2 - 40 x 5: half of each herd is fed (10 x 2 - 5 = 15
  // each), half unfed (-5 each).
  EXPECT_EQ(run.agents().harvest, (std::vector<double>{100, 200}));
  EXPECT_EQ(run.agents().income, (std::vector<double>{100, 200}));
  const sim::RunResult result = run.take_result();
  const auto series = [&](const std::string& name) {
    for (const sim::SeriesData& data : result.series)
      if (data.info.name == name) return data.values;
    throw std::runtime_error("no series " + name);
  };
  EXPECT_EQ(series("biomass"), std::vector<double>{300});
  EXPECT_EQ(series("grass_eaten"), std::vector<double>{300});
  EXPECT_EQ(series("fed_animals"), std::vector<double>{30});
  EXPECT_EQ(series("unfed_animals"), std::vector<double>{30});
}

}  // namespace
}  // namespace commons::models
