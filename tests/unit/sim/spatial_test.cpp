// SPDX-License-Identifier: Apache-2.0
// The spatial seam: sites in the resource, the agent table, the observation, the recorder and
// the run's layout, and nothing of it in a world without sites.
#include "spatial_world.hpp"
#include "toy_world.hpp"

#include <commons/sim/run.hpp>
#include <commons/sim/sink.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace commons::sim {
namespace {

using Neighbours = std::vector<std::uint32_t>;

TEST(SiteLayout, Grid_NeighboursShareAnEdgeInAscendingOrder) {
  const SiteLayout grid = SiteLayout::grid(3, 4);
  EXPECT_EQ(grid.count, 12u);
  EXPECT_EQ(grid.neighbours_of(0), (Neighbours{1, 4}));
  EXPECT_EQ(grid.neighbours_of(5), (Neighbours{1, 4, 6, 9}));
  EXPECT_EQ(grid.neighbours_of(11), (Neighbours{7, 10}));
  EXPECT_THROW((void)grid.neighbours_of(12), std::out_of_range);
  EXPECT_THROW((void)SiteLayout::grid(0, 4), std::invalid_argument);
}

TEST(SiteLayout, Graph_KeepsEachNeighbourOnceAscendingAndRejectsBadEdges) {
  const SiteLayout graph = SiteLayout::graph(4, {{2, 0}, {0, 1}, {1, 0}, {3, 0}});
  EXPECT_EQ(graph.neighbours_of(0), (Neighbours{1, 2, 3}));
  EXPECT_EQ(graph.neighbours_of(1), (Neighbours{0}));
  EXPECT_EQ(graph.neighbours_of(3), (Neighbours{0}));
  EXPECT_THROW((void)SiteLayout::graph(3, {{0, 3}}), std::invalid_argument);
  EXPECT_THROW((void)SiteLayout::graph(3, {{1, 1}}), std::invalid_argument);
}

TEST(SpatialRun, AgentsStartRoundRobinOverTheSites) {
  const Registry registry = toy::spatial_registry();
  const ScenarioSpec spec = toy::spatial_scenario(2, 3, 8, 1);
  const sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  EXPECT_EQ(run.agents().site, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 0, 1}));
  EXPECT_TRUE(run.agents().choice.empty());
}

TEST(SpatialRun, EachSiteIsHarvestedWithinItsStockAndConservesIt) {
  const Registry registry = toy::spatial_registry();
  const ScenarioSpec spec = toy::spatial_scenario(2, 3, 8, 12);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  const auto& patches = dynamic_cast<const toy::Patches&>(run.resource());
  const std::vector<std::uint32_t> start_sites = run.agents().site;
  while (!run.done()) {
    run.step();
    const AgentTable& agents = run.agents();
    std::vector<double> taken(6, 0.0);
    for (std::size_t i = 0; i < agents.size(); ++i) taken[agents.site[i]] += agents.harvest[i];
    for (std::size_t s = 0; s < 6; ++s) {
      EXPECT_LE(taken[s], patches.stock_at_harvest()[s] * (1 + 1e-15)) << "site " << s;
      // What the site held, less what its agents took, plus the inflow.
      EXPECT_NEAR(patches.site_stock()[s], patches.stock_at_harvest()[s] - taken[s] + 3.0, 1e-12) << "site " << s;
    }
  }
  EXPECT_NE(run.agents().site, start_sites) << "roaming agents should have moved";
}

TEST(SpatialRun, RecordsSiteSeriesWhoseSumsAreTheTotals) {
  const Registry registry = toy::spatial_registry();
  const ScenarioSpec spec = toy::spatial_scenario(2, 3, 8, 7);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  const RunResult result = run.take_result();
  ASSERT_EQ(result.sites.size(), 3u);
  EXPECT_EQ(result.sites[0].info.name, "stock");
  EXPECT_EQ(result.sites[1].info.name, "effort");
  EXPECT_EQ(result.sites[2].info.name, "harvest");
  const auto series = [&](std::string_view name) {
    for (const SeriesData& data : result.series)
      if (data.info.name == name) return data.values;
    throw std::logic_error("no series " + std::string(name));
  };
  for (std::size_t v = 0; v < 3; ++v) ASSERT_EQ(result.sites[v].values.size(), 7u * 6u);
  for (std::size_t step = 0; step < 7; ++step) {
    double stock = 0.0;
    double effort = 0.0;
    double harvest = 0.0;
    for (std::size_t s = 0; s < 6; ++s) {
      stock += result.sites[0].values[step * 6 + s];
      effort += result.sites[1].values[step * 6 + s];
      harvest += result.sites[2].values[step * 6 + s];
    }
    EXPECT_NEAR(stock, series("stock")[step], 1e-12);
    EXPECT_NEAR(effort, series("effort")[step], 1e-12);
    EXPECT_NEAR(harvest, series("harvest")[step], 1e-12);
  }
}

TEST(SpatialRun, LayoutNamesTheSitesAndTheirVariables) {
  const Registry registry = toy::spatial_registry();
  const RunLayout grid = describe_run(toy::spatial_scenario(2, 3, 4, 2), registry);
  EXPECT_EQ(grid.sites, SiteLayout::grid(2, 3));
  ASSERT_EQ(grid.site_variables.size(), 3u);
  EXPECT_EQ(grid.site_variables[1].name, "effort");
  const RunLayout ring = describe_run(toy::spatial_scenario(0, 5, 4, 2), registry);
  EXPECT_EQ(ring.sites, toy::ring(5));
}

TEST(SpatialRun, OutputSitesFalse_RecordsNoSiteSeries) {
  const Registry registry = toy::spatial_registry();
  ScenarioSpec spec = toy::spatial_scenario(2, 3, 4, 3);
  spec.output.sites = false;
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  EXPECT_TRUE(run.take_result().sites.empty());
  EXPECT_TRUE(describe_run(spec, registry).site_variables.empty());
}

TEST(SpatialRun, SameBitsWithAndWithoutParallelAgents) {
  const Registry registry = toy::spatial_registry();
  // Enough agents for several blocks, on a ring.
  const ScenarioSpec spec = toy::spatial_scenario(0, 50, 20'000, 5);
  std::vector<RunResult> results;
  for (const bool parallel : {false, true}) {
    sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}}, ExecutionPolicy{parallel});
    while (!run.done()) run.step();
    results.push_back(run.take_result());
  }
  ASSERT_EQ(results[0].sites.size(), results[1].sites.size());
  for (std::size_t v = 0; v < results[0].sites.size(); ++v) {
    const std::vector<double>& a = results[0].sites[v].values;
    const std::vector<double>& b = results[1].sites[v].values;
    ASSERT_EQ(a.size(), b.size());
    EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)), 0) << results[0].sites[v].info.name;
  }
}

TEST(SpatialRun, AWorldWithoutSitesHasNoSiteColumnNoSiteSeriesAndNoSiteLayout) {
  const Registry registry = toy::registry();
  const ScenarioSpec spec = toy::scenario(4, 2, 1);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  EXPECT_TRUE(run.agents().site.empty());
  EXPECT_TRUE(run.agents().choice.empty());
  EXPECT_TRUE(run.take_result().sites.empty());
  const RunLayout layout = describe_run(spec, registry);
  EXPECT_TRUE(layout.site_variables.empty());
  EXPECT_FALSE(layout.sites.spatial());
}

}  // namespace
}  // namespace commons::sim
