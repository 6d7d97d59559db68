// SPDX-License-Identifier: Apache-2.0
// The spatial fishery: migration conserves the fish and keeps an even stock even, no ground
// gives more than it holds, a ground without migration is fishery_logistic exactly, trip costs
// are the shortest routes (against Floyd-Warshall and a grid by hand), bad grounds and routes
// files are refused with their file and line, and runs give the same bits on any thread count.

#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/models/resources/fishery_spatial.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run.hpp>

#include <resource_spec.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace commons::models {
namespace {

/// r = 0.5, K = 1000 t, q = 0.01 a boat-day on every ground.
FisherySpatial::Parameters grid(std::size_t rows, std::size_t columns, double migration = 0.0) {
  FisherySpatial::Parameters p;
  p.rows = rows;
  p.columns = columns;
  p.growth_rate = 0.5;
  p.carrying_capacity = 1000.0;
  p.catchability = 0.01;
  p.migration = migration;
  return p;
}

/// A table as the loader makes it from a CSV file: data rows on lines 2, 3, ...
sim::Table table(std::string source, std::vector<std::string> columns, std::vector<std::vector<double>> rows) {
  sim::Table made{std::move(source), std::move(columns), std::move(rows), {}};
  for (std::size_t r = 0; r < made.rows.size(); ++r) made.lines.push_back(r + 2);
  return made;
}

/// Five grounds, routes of uneven length (a triangle 0-1-2 with a shortcut, a tail 2-3-4), and
/// ground 4 with its own K and r.
FisherySpatial::Parameters network(double migration = 0.0) {
  FisherySpatial::Parameters p = grid(1, 1, migration);
  p.grounds = table("grounds.csv", {"id", "carrying_capacity", "growth_rate"},
                    {{0, 1000, 0.5}, {1, 1000, 0.5}, {2, 1000, 0.5}, {3, 1000, 0.5}, {4, 400, 0.8}});
  p.routes = table("routes.csv", {"from", "to", "length"},
                   {{0, 1, 4.0}, {1, 2, 1.5}, {0, 2, 7.0}, {3, 2, 2.0}, {3, 4, 0.5}, {1, 3, 5.0}});
  return p;
}

double sum(const std::vector<double>& values) {
  double total = 0.0;
  for (const double v : values) total += v;
  return total;
}

/// Up to 800 t a ground: below where the logistic term would take more than a ground holds.
std::vector<double> random_stocks(std::size_t count, std::uint64_t draw) {
  const sim::RandomStream random(31, draw);
  std::vector<double> stocks(count);
  for (std::size_t g = 0; g < count; ++g) stocks[g] = 800.0 * random.uniform(0, g, sim::Purpose::grow);
  return stocks;
}

std::vector<double> migrated(const FisherySpatial& fishery, const std::vector<double>& stocks) {
  const Eigen::Map<const Eigen::VectorXd> x(stocks.data(), static_cast<Eigen::Index>(stocks.size()));
  const Eigen::VectorXd y = fishery.migration_matrix() * x;
  return {y.begin(), y.end()};
}

TEST(FisherySpatialMigration, MatrixColumnsSumToOne_Symmetric_NonNegative) {
  for (const FisherySpatial::Parameters& p : {grid(4, 6, 0.3), grid(3, 3, 1.0), network(0.7)}) {
    const FisherySpatial fishery(p);
    const Eigen::MatrixXd m(fishery.migration_matrix());
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
      EXPECT_NEAR(m.col(j).sum(), 1.0, 1e-15) << "column " << j;
      for (Eigen::Index i = 0; i < m.rows(); ++i) {
        EXPECT_GE(m(i, j), 0.0);
        EXPECT_EQ(m(i, j), m(j, i));
      }
    }
  }
}

TEST(FisherySpatialMigration, GridInterior_SendsMEvenlyToItsFourNeighbours_CornerHalfOfIt) {
  const FisherySpatial fishery(grid(3, 3, 0.4));
  const Eigen::MatrixXd m(fishery.migration_matrix());
  EXPECT_DOUBLE_EQ(m(4, 4), 0.6);
  for (const int neighbour : {1, 3, 5, 7}) EXPECT_DOUBLE_EQ(m(neighbour, 4), 0.1);
  EXPECT_DOUBLE_EQ(m(0, 0), 0.8);
  EXPECT_EQ(m(8, 4), 0.0);
}

TEST(FisherySpatialMigration, ConservesMass_ManyRandomStates) {
  for (const FisherySpatial::Parameters& p : {grid(8, 5, 0.35), grid(2, 9, 1.0), network(0.6)}) {
    FisherySpatial fishery(p);
    const std::size_t count = fishery.grounds().count();
    for (std::uint64_t draw = 0; draw < 200; ++draw) {
      const std::vector<double> before = random_stocks(count, draw);
      const std::vector<double> after = migrated(fishery, before);
      EXPECT_NEAR(sum(after), sum(before), 1e-12 * sum(before));
      // Through grow(): what the grounds hold after a tick is what they held plus their growth.
      fishery.set_stocks(before);
      fishery.harvest({std::vector<double>{}, std::vector<std::uint32_t>{}, {}}, {}, sim::ExecutionPolicy{});
      fishery.grow();
      std::vector<double> sampled(3);
      fishery.sample(sampled);
      EXPECT_NEAR(fishery.stock(), sum(before) + sampled[1], 1e-12 * sum(before));
      EXPECT_GT(sampled[2], 0.0);
      for (const double x : fishery.stocks()) EXPECT_GE(x, 0.0);
    }
  }
}

TEST(FisherySpatialMigration, NoFishing_AnEvenStockStaysEven) {
  for (const FisherySpatial::Parameters& base : {grid(5, 7, 0.5), network(0.9)}) {
    FisherySpatial::Parameters p = base;
    p.initial_stock = 300.0;
    if (p.grounds) p.grounds = table("grounds.csv", {"id"}, {{0}, {1}, {2}, {3}, {4}});
    FisherySpatial fishery(p);
    for (int tick = 0; tick < 200; ++tick) {
      fishery.grow();
      const auto [low, high] = std::minmax_element(fishery.stocks().begin(), fishery.stocks().end());
      ASSERT_LE(*high - *low, 1e-12 * *high) << "tick " << tick;
    }
    // Every ground grew to K together.
    EXPECT_NEAR(fishery.stocks().front(), 1000.0, 1e-9);
  }
}

TEST(FisherySpatialMigration, ConcentratedStock_SpreadsToTheEvenStationaryDistribution) {
  for (const FisherySpatial::Parameters& p : {grid(4, 4, 0.5), network(0.8)}) {
    const FisherySpatial fishery(p);
    const std::size_t count = fishery.grounds().count();
    std::vector<double> stocks(count, 0.0);
    stocks[count - 1] = 1600.0;
    for (int tick = 0; tick < 3000; ++tick) stocks = migrated(fishery, stocks);
    for (const double x : stocks) EXPECT_NEAR(x, 1600.0 / static_cast<double>(count), 1e-9);
  }
}

TEST(FisherySpatialMigration, WithoutNeighbours_AGroundKeepsEverything) {
  FisherySpatial::Parameters p = grid(1, 1, 1.0);
  const FisherySpatial fishery(p);
  EXPECT_EQ(Eigen::MatrixXd(fishery.migration_matrix())(0, 0), 1.0);
}

TEST(FisherySpatialHarvest, ManyBoatsOnOneGround_NeverMoreThanItHolds) {
  FisherySpatial::Parameters p = grid(2, 2, 0.2);
  p.initial_stock = 137.0;
  FisherySpatial fishery(p);
  const sim::RandomStream random(5, 0);
  const std::size_t n = 400;
  std::vector<double> effort(n);
  std::vector<std::uint32_t> ground(n);
  for (std::size_t i = 0; i < n; ++i) {
    effort[i] = 40.0 * random.uniform(0, i, sim::Purpose::decide);
    ground[i] = i % 5 == 0 ? 3 : 1;  // ground 1 crowded far past its stock, ground 3 less so
  }
  for (int step = 0; step < 40; ++step) {
    const std::vector<double> held = fishery.stocks();
    std::vector<double> caught(n);
    const double total = fishery.harvest({effort, ground, {}}, caught, sim::ExecutionPolicy{});
    std::vector<double> at_ground(4, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_GE(caught[i], 0.0);
      EXPECT_LE(caught[i], p.catchability * held[ground[i]] * effort[i] * (1.0 + 1e-15));
      at_ground[ground[i]] += caught[i];
    }
    for (std::size_t g = 0; g < 4; ++g) {
      EXPECT_LE(at_ground[g], held[g]) << "ground " << g;
      EXPECT_GE(fishery.stocks()[g], 0.0);
    }
    EXPECT_NEAR(total, sum(at_ground), 1e-12 * std::max(1.0, total));
    EXPECT_NEAR(held[1] - at_ground[1], fishery.stocks()[1], 1e-12 * held[1]);
    fishery.grow();
  }
}

TEST(FisherySpatialHarvest, WithoutMigration_EachGroundIsFisheryLogisticExactly) {
  const FisherySpatial::Parameters p = grid(2, 3);
  FisherySpatial spatial(p);
  const std::vector<double> effort{0.0, 5.0, 12.0, 20.0, 30.0, 45.0};
  const std::vector<std::uint32_t> ground{0, 1, 2, 3, 4, 5};
  std::vector<FisheryLogistic> alone;
  FisheryLogistic::Parameters one;
  one.growth_rate = p.growth_rate;
  one.carrying_capacity = p.carrying_capacity;
  one.catchability = p.catchability;
  one.initial_stock = p.carrying_capacity;
  for (std::size_t g = 0; g < 6; ++g) alone.emplace_back(one);
  // The slowest ground (E = 45) nears its equilibrium by a factor 0.95 a step.
  for (int step = 0; step < 1000; ++step) {
    std::vector<double> caught(6);
    spatial.harvest({effort, ground, {}}, caught, sim::ExecutionPolicy{});
    for (std::size_t g = 0; g < 6; ++g) {
      std::vector<double> single(1);
      alone[g].harvest({std::vector<double>{effort[g]}, {}, {}}, single, sim::ExecutionPolicy{});
      alone[g].grow();
      ASSERT_EQ(caught[g], single[0]) << "ground " << g << ", step " << step;
    }
    spatial.grow();
    for (std::size_t g = 0; g < 6; ++g) ASSERT_EQ(spatial.stocks()[g], alone[g].stock()) << "ground " << g;
  }
  // ... and so sits at the constant-effort equilibrium K (1 - qE/r).
  for (std::size_t g = 0; g < 6; ++g)
    EXPECT_NEAR(spatial.stocks()[g], p.carrying_capacity * (1.0 - p.catchability * effort[g] / p.growth_rate),
                1e-9 * p.carrying_capacity)
        << "ground " << g;
}

/// All-pairs shortest routes by Floyd-Warshall over the routes of `p`'s grounds.
std::vector<std::vector<double>> floyd_warshall(const FishingGrounds& grounds) {
  const std::size_t n = grounds.count();
  std::vector<std::vector<double>> d(n, std::vector<double>(n, std::numeric_limits<double>::infinity()));
  for (std::size_t i = 0; i < n; ++i) d[i][i] = 0.0;
  for (const FishingGrounds::Route& route : grounds.routes) {
    d[route.from][route.to] = std::min(d[route.from][route.to], route.length);
    d[route.to][route.from] = d[route.from][route.to];
  }
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) d[i][j] = std::min(d[i][j], d[i][k] + d[k][j]);
  return d;
}

TEST(FisherySpatialTrips, ShortestRoutes_AreFloydWarshall_AndATripCostsTwiceThem) {
  FisherySpatial::Parameters p = network();
  p.ports = {0, 4, 2};
  p.cost_per_distance = 3.0;
  const FisherySpatial fishery(p);
  const std::vector<std::vector<double>> expected = floyd_warshall(fishery.grounds());
  // 0 -> 2 goes round by 1 (4 + 1.5) rather than straight (7); 0 -> 3 by 1 and 2 (7.5), not 1 and 3 (9).
  EXPECT_EQ(expected[0][2], 5.5);
  EXPECT_EQ(expected[0][3], 7.5);
  const std::optional<sim::TripCosts> trips = fishery.trip_costs(7);
  ASSERT_TRUE(trips);
  trips->check(7, 5);
  for (std::size_t port = 0; port < p.ports.size(); ++port) {
    for (std::uint32_t g = 0; g < 5; ++g) {
      EXPECT_DOUBLE_EQ(fishery.distances_from_port(port)[g], expected[p.ports[port]][g]);
      // Boats k, k + 3, k + 6 share port k.
      EXPECT_DOUBLE_EQ(trips->of(port, g), 2.0 * expected[p.ports[port]][g] * 3.0);
      EXPECT_EQ(trips->of(port + 3, g), trips->of(port, g));
    }
  }
  EXPECT_EQ(fishery.starting_sites(7), (std::vector<std::uint32_t>{0, 4, 2, 0, 4, 2, 0}));
}

TEST(FisherySpatialTrips, Grid3x3_ByHand) {
  FisherySpatial::Parameters p = grid(3, 3);
  p.edge_length = 2.0;
  p.cost_per_distance = 0.5;
  p.ports = {0, 4};
  const FisherySpatial fishery(p);
  // From the corner: Manhattan distance x 2; from the centre: 2 to a side, 4 to a corner.
  EXPECT_EQ(std::vector<double>(fishery.distances_from_port(0).begin(), fishery.distances_from_port(0).end()),
            (std::vector<double>{0, 2, 4, 2, 4, 6, 4, 6, 8}));
  EXPECT_EQ(std::vector<double>(fishery.distances_from_port(1).begin(), fishery.distances_from_port(1).end()),
            (std::vector<double>{4, 2, 4, 2, 0, 2, 4, 2, 4}));
  const sim::TripCosts trips = *fishery.trip_costs(2);
  EXPECT_EQ(trips.of(0, 8), 8.0);  // 2 x 8 x 0.5
  EXPECT_EQ(trips.of(1, 8), 4.0);
  EXPECT_EQ(trips.of(1, 4), 0.0);
  EXPECT_EQ(fishery.sites(), sim::SiteLayout::grid(3, 3));
}

using Refusal = std::pair<std::string, std::string>;

/// The message the registry's factory gives for `p`'s tables, and the key it names.
Refusal refusal(const FisherySpatial::Parameters& p) {
  std::map<std::string, sim::ParameterValue, std::less<>> values{
      {"growth_rate", p.growth_rate}, {"carrying_capacity", p.carrying_capacity}, {"catchability", p.catchability}};
  if (p.grounds) values.emplace("grounds", *p.grounds);
  if (p.routes) values.emplace("routes", *p.routes);
  std::vector<double> ports(p.ports.begin(), p.ports.end());
  values.emplace("ports", ports);
  try {
    static_cast<void>(default_registry().make_resource({"fishery_spatial", sim::Parameters(values), "/resource"}));
  } catch (const sim::ComponentError& error) {
    return {error.pointer(), error.what()};
  }
  return {"", "accepted"};
}

TEST(FisherySpatialFiles, BadGroundsOrRoutes_RefusedWithFileLineAndColumn) {
  FisherySpatial::Parameters p = network();
  p.grounds->columns[0] = "ground";
  EXPECT_EQ(refusal(p), (Refusal{"/resource/grounds", "grounds.csv: header: unknown column 'ground'"}));
  p = network();
  p.routes = table("routes.csv", {"from", "to"}, {{0, 1}});
  EXPECT_EQ(refusal(p).second, "routes.csv: header: the column 'length' is missing");
  p = network();
  p.routes->rows[3][1] = 9;
  EXPECT_EQ(refusal(p),
            (Refusal{"/resource/routes", "routes.csv:5: column 'to': no ground 9 in grounds.csv (its ids run 0..4)"}));
  p = network();
  p.routes->rows[2][2] = -1.0;
  EXPECT_EQ(refusal(p).second, "routes.csv:4: column 'length': must be > 0 (got -1)");
  p = network();
  p.routes->rows[5] = {4, 3, 1.0};
  EXPECT_EQ(refusal(p).second,
            "routes.csv:7: column 'to': a second route between grounds 3 and 4 (the first at line 6)");
  p = network();
  p.grounds->rows[3][0] = 1;
  EXPECT_EQ(refusal(p).second, "grounds.csv:5: column 'id': ground 1 appears twice (first at line 3)");
  p = network();
  p.grounds->rows[4][2] = 2.5;
  EXPECT_EQ(refusal(p).second, "grounds.csv:6: column 'growth_rate': must be > 0 and <= 2 (got 2.5)");
  p = network();
  p.routes->rows.erase(p.routes->rows.begin() + 4);  // 3-4, ground 4's only route
  p.routes->lines.pop_back();
  p.ports = {1};
  EXPECT_EQ(refusal(p),
            (Refusal{"/resource/routes", "no route in routes.csv leads from the port at ground 1 to ground 4"}));
  p = network();
  p.ports = {5};
  EXPECT_EQ(refusal(p), (Refusal{"/resource/ports", "port 5 is beyond the 5 grounds (ids run 0..4)"}));
}

TEST(FisherySpatialFiles, GroundsColumns_OverrideTheScalars) {
  FisherySpatial::Parameters p = network();
  p.initial_stock = 250.0;
  p.grounds = table("grounds.csv", {"id", "x", "y", "initial_stock", "carrying_capacity"},
                    {{1, 0.0, 3.0, 10.0, 500},
                     {0, 1.0, 1.0, 20.0, 600},
                     {2, 2.0, 2.0, 30.0, 700},
                     {4, 0.0, 0.0, 40.0, 800},
                     {3, 5.0, 5.0, 50.0, 900}});
  const FisherySpatial fishery(p);
  EXPECT_EQ(fishery.stocks(), (std::vector<double>{20, 10, 30, 50, 40}));
  EXPECT_EQ(fishery.grounds().carrying_capacity, (std::vector<double>{600, 500, 700, 900, 800}));
  EXPECT_EQ(fishery.collapse_threshold(), 0.1 * 3500);
  // Without an initial_stock column, the scalar; without the scalar, each ground's K.
  p.grounds = table("grounds.csv", {"id", "carrying_capacity"}, {{0, 600}, {1, 500}, {2, 700}, {3, 900}, {4, 800}});
  EXPECT_EQ(FisherySpatial(p).stocks(), std::vector<double>(5, 250.0));
  p.initial_stock.reset();
  EXPECT_EQ(FisherySpatial(p).stocks(), (std::vector<double>{600, 500, 700, 900, 800}));
  EXPECT_EQ(FisherySpatial(p).sites().kind, sim::SiteLayout::Kind::graph);
  EXPECT_EQ(FisherySpatial(p).sites().neighbours_of(3), (std::vector<std::uint32_t>{1, 2, 4}));
}

sim::ComponentSpec spatial_spec(std::int64_t rows, std::int64_t columns, double migration) {
  return {"fishery_spatial",
          sim::Parameters({{"rows", rows},
                           {"columns", columns},
                           {"growth_rate", 0.5},
                           {"carrying_capacity", 1000.0},
                           {"catchability", 0.01},
                           {"migration", migration},
                           {"ports", std::vector<double>{0.0, 7.0, 30.0}},
                           {"cost_per_distance", 2.0}}),
          "/resource"};
}

TEST(FisherySpatialRun, SameBitsSerialAndParallel_AndAcrossRuns) {
  // More boats than one block; a fleet that enters where fishing pays, at its three ports.
  sim::ScenarioSpec spec = testing::resource_scenario(spatial_spec(6, 8, 0.3), sim::Economics{20.0, 25.0, 0.0},
                                                      testing::fleet(2.0, 0.05), 5000, 30);
  spec.output.agents = true;
  testing::expect_same_bits_serial_and_parallel(spec);
  const testing::Outcome first = testing::run_all(spec);
  const testing::Outcome second = testing::run_all(spec);
  ASSERT_EQ(first.result.series.size(), second.result.series.size());
  for (std::size_t k = 0; k < first.result.series.size(); ++k)
    EXPECT_EQ(testing::with_nan_as(first.result.series[k].values, -1.0),
              testing::with_nan_as(second.result.series[k].values, -1.0));
  // The boats stayed at their ports, which cost nothing to reach.
  EXPECT_EQ(testing::series(first.result, "trip_costs"), std::vector<double>(30, 0.0));
}

}  // namespace
}  // namespace commons::models
