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

TEST(SiteLayout, Adjacent_OnGridsAndGraphs) {
  const SiteLayout grid = SiteLayout::grid(3, 4);
  EXPECT_TRUE(grid.adjacent(5, 1));
  EXPECT_TRUE(grid.adjacent(5, 6));
  EXPECT_FALSE(grid.adjacent(3, 4));  // the end of one row is not next to the start of the next
  EXPECT_FALSE(grid.adjacent(5, 10));  // diagonal
  EXPECT_FALSE(grid.adjacent(5, 5));
  EXPECT_FALSE(grid.adjacent(5, 12));
  const SiteLayout graph = toy::ring(5);
  EXPECT_TRUE(graph.adjacent(0, 4));
  EXPECT_FALSE(graph.adjacent(0, 2));
}

TEST(ResolveMoves, FullSitesFarJumpsAndSitesOffTheMapAreRefused) {
  const SiteLayout grid = SiteLayout::grid(2, 3);  // sites 0 1 2 / 3 4 5
  const SiteAccess walk{.capacity = 1, .neighbours_only = true, .moving_takes_step = true};
  const std::vector<std::uint32_t> before{0, 1, 5, 3};
  // Agent 0 asks for 1 (held by agent 1, who leaves for 2 only later in line), agent 1 for 2,
  // agent 2 jumps from 5 to 0, agent 3 asks for a site beyond the grid.
  std::vector<std::uint32_t> site{1, 2, 0, 9};
  std::vector<double> effort{1.0, 1.0, 1.0, 1.0};
  std::vector<std::uint32_t> occupancy{1, 1, 0, 1, 0, 1};
  EXPECT_EQ(resolve_moves(grid, walk, before, site, effort, occupancy, 0), 1u);
  EXPECT_EQ(site, (std::vector<std::uint32_t>{0, 2, 5, 3}));
  EXPECT_EQ(effort, (std::vector<double>{1.0, 0.0, 1.0, 1.0}));  // the one who moved spent its step
  EXPECT_EQ(occupancy, (std::vector<std::uint32_t>{1, 0, 1, 1, 0, 1}));
  // Starting the line at agent 1: agent 1 leaves first, and agent 0 may follow into site 1.
  site = {1, 2, 0, 9};
  effort = {1.0, 1.0, 1.0, 1.0};
  occupancy = {1, 1, 0, 1, 0, 1};
  EXPECT_EQ(resolve_moves(grid, walk, before, site, effort, occupancy, 1), 2u);
  EXPECT_EQ(site, (std::vector<std::uint32_t>{1, 2, 5, 3}));
  EXPECT_EQ(occupancy, (std::vector<std::uint32_t>{0, 1, 1, 1, 0, 1}));
}

TEST(ResolveMoves, WithoutLimitsEveryMoveStands) {
  const SiteLayout grid = SiteLayout::grid(2, 3);
  const SiteAccess anywhere{.capacity = 2};
  const std::vector<std::uint32_t> before{0, 1, 2};
  std::vector<std::uint32_t> site{5, 5, 5};
  std::vector<double> effort{1.0, 1.0, 1.0};
  std::vector<std::uint32_t> occupancy{1, 1, 1, 0, 0, 0};
  EXPECT_EQ(resolve_moves(grid, anywhere, before, site, effort, occupancy, 0), 2u);
  EXPECT_EQ(site, (std::vector<std::uint32_t>{5, 5, 2}));  // the third finds the site full
  EXPECT_EQ(effort, (std::vector<double>{1.0, 1.0, 1.0}));
}

TEST(Clock, TicksFallEvenlyAndAddUpToTheRate) {
  const ClockSpec every_fifth{.ticks_per_step = 1, .steps_per_tick = 5};
  std::int64_t ticks = 0;
  for (std::int64_t step = 0; step < 23; ++step) {
    const std::int64_t now = every_fifth.ticks_after(step);
    EXPECT_EQ(now, (step + 1) % 5 == 0 ? 1 : 0) << "step " << step;
    ticks += now;
    EXPECT_EQ(ticks, (step + 1) / 5);
  }
  EXPECT_EQ((ClockSpec{.ticks_per_step = 12, .steps_per_tick = 1}).ticks_after(7), 12);
  // Three ticks every two steps: 1, 2, 1, 2, ...
  const ClockSpec three_in_two{.ticks_per_step = 3, .steps_per_tick = 2};
  EXPECT_EQ(three_in_two.ticks_after(0) + three_in_two.ticks_after(1), 3);
  EXPECT_EQ(three_in_two.ticks_after(0), 1);
  EXPECT_TRUE(ClockSpec{}.is_default());
}

TEST(SpatialRun, ClockTicksTheResourceAsOftenAsItSays) {
  // The pools gain `inflow` (3) per tick: with 4 ticks a step and nobody harvesting, each site
  // holds 3 + 12 t after t steps; with a tick every 3 steps, 3 + 3 floor(t / 3).
  const Registry registry = toy::spatial_registry();
  for (const auto& [clock, expected] : {std::pair{ClockSpec{4, 1}, 3.0 + 12.0 * 7}, std::pair{ClockSpec{1, 3}, 3.0 + 3.0 * 2}}) {
    ScenarioSpec spec = toy::spatial_scenario(1, 2, 1, 7);
    spec.groups[0].behaviours[0].behaviour.parameters = Parameters({{"effort", 0.0}});
    spec.clock = clock;
    sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
    while (!run.done()) run.step();
    const auto& patches = dynamic_cast<const toy::Patches&>(run.resource());
    EXPECT_EQ(patches.site_stock(), (std::vector<double>{expected, expected}));
  }
}

TEST(SpatialRun, SiteIntervalSamplesTheEndOfEachInterval) {
  const Registry registry = toy::spatial_registry();
  ScenarioSpec every = toy::spatial_scenario(2, 3, 4, 10);
  ScenarioSpec sparse = every;
  sparse.output.site_interval = 4;
  const auto result_of = [&](const ScenarioSpec& spec) {
    sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
    while (!run.done()) run.step();
    return run.take_result();
  };
  const RunResult full = result_of(every);
  const RunResult sampled = result_of(sparse);
  EXPECT_EQ(describe_run(sparse, registry).site_interval, 4);
  ASSERT_EQ(sampled.sites.size(), full.sites.size());
  for (std::size_t v = 0; v < full.sites.size(); ++v) {
    // Steps 3 and 7 of 10: 2 samples of 6 sites, the same values as those steps of the full record.
    ASSERT_EQ(sampled.sites[v].values.size(), 12u) << full.sites[v].info.name;
    for (std::size_t s = 0; s < 6; ++s) {
      EXPECT_EQ(sampled.sites[v].values[s], full.sites[v].values[3 * 6 + s]);
      EXPECT_EQ(sampled.sites[v].values[6 + s], full.sites[v].values[7 * 6 + s]);
    }
  }
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

const std::vector<double>& series_named(const RunResult& result, std::string_view name) {
  for (const SeriesData& data : result.series)
    if (data.info.name == name) return data.values;
  throw std::logic_error("no series " + std::string(name));
}

TEST(SpatialRun, TripCosts_ChargedToAgentsWhoWorkInIncomeRentAndTheirOwnSeries) {
  Registry registry = toy::spatial_registry();
  ScenarioSpec spec = toy::spatial_scenario(0, 5, 6, 6);
  spec.resource.parameters = Parameters({{"rows", 0.0}, {"columns", 5.0}, {"inflow", 3.0}, {"trip_cost", 0.5}});
  spec.groups.push_back({"idle", 2, {{1.0, {"roaming", Parameters({{"effort", 0.0}}), ""}}}, 0.1});
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  std::vector<double> trips_paid;
  std::vector<double> rent;
  double farthest = 0.0;
  while (!run.done()) {
    run.step();
    const AgentTable& agents = run.agents();
    double paid = 0.0;
    double incomes = 0.0;
    for (std::size_t i = 0; i < agents.size(); ++i) {
      const double origin = static_cast<double>(i % 2);
      const double trip = agents.effort[i] > 0.0 ? 0.5 * std::abs(agents.site[i] - origin) : 0.0;
      EXPECT_DOUBLE_EQ(agents.income[i], spec.economics.price * agents.harvest[i] -
                                             agents.cost_per_effort[i] * agents.effort[i] - trip)
          << "agent " << i;
      paid += trip;
      incomes += agents.income[i];
      farthest = std::max(farthest, trip);
    }
    trips_paid.push_back(paid);
    rent.push_back(incomes);
  }
  EXPECT_GT(farthest, 0.5) << "some agent should have sailed more than one site from home";
  const RunResult result = run.take_result();
  const std::vector<double>& recorded = series_named(result, "trip_costs");
  const std::vector<double>& recorded_rent = series_named(result, "rent");
  ASSERT_EQ(recorded.size(), trips_paid.size());
  for (std::size_t t = 0; t < recorded.size(); ++t) {
    EXPECT_NEAR(recorded[t], trips_paid[t], 1e-12) << "step " << t;
    EXPECT_NEAR(recorded_rent[t], rent[t], 1e-12) << "step " << t;
  }
}

TEST(SpatialRun, NoTripCosts_NoTripCostSeries) {
  const Registry registry = toy::spatial_registry();
  const ScenarioSpec spec = toy::spatial_scenario(2, 3, 4, 2);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  const RunResult result = run.take_result();
  EXPECT_THROW((void)series_named(result, "trip_costs"), std::logic_error);
}

/// Closes site 0 to everyone while in force, and detects nothing itself.
class CloseFirstSite final : public Rule {
 public:
  std::span<const Phase> phases() const override {
    static constexpr Phase hooked[] = {Phase::announce};
    return hooked;
  }
  void apply(Phase, RuleContext& context) override { context.ledger.sites.closed[0] = 1; }
};

TEST(SpatialRun, WorkAtASiteClosedToTheAgent_IsEffortAboveALimitOfZero) {
  Registry registry = toy::spatial_registry();
  registry.add_rule("close_first_site", [](const ComponentSpec&) { return std::make_unique<CloseFirstSite>(); });
  ScenarioSpec spec = toy::spatial_scenario(0, 4, 8, 2);
  spec.governance.rules = {RuleSpec{{"close_first_site", {}, ""}, 0, 1}};
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  run.step();
  const AgentTable& agents = run.agents();
  const GovernanceLedger& book = *run.ledger();
  ASSERT_EQ(book.sites.size(), 4u);
  std::size_t breaking = 0;
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const bool inside = agents.site[i] == 0 && agents.effort[i] > 0.0;
    breaking += inside ? 1 : 0;
    EXPECT_EQ(book.violations[i], inside ? 1.0 : 0.0) << "agent " << i;
    EXPECT_EQ(book.excess_effort[i], inside ? agents.effort[i] : 0.0) << "agent " << i;
  }
  EXPECT_GT(breaking, 0u) << "roaming agents should have gone to site 0";
  run.step();  // the rule is out of force: its closure lapsed
  EXPECT_EQ(book.sites.closed, std::vector<std::uint8_t>(4, 0));
  for (std::size_t i = 0; i < agents.size(); ++i) EXPECT_EQ(book.violations[i], 0.0) << "agent " << i;
}

}  // namespace
}  // namespace commons::sim
