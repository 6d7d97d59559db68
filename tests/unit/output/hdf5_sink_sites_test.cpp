// SPDX-License-Identifier: Apache-2.0
// Per-site series of a resource with sites: [run, step, y, x] on a grid, [run, step, site] with
// the graph's edges otherwise, netCDF-style, and checked, resumed and cleared like the rest.
#include <commons/output/hdf5_sink.hpp>
#include <commons/output/layout.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>

#include "example_results.hpp"
#include "sink_testing.hpp"
#include "temporary_directory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace commons::output {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::message_of;
using testing::add_example_site_values;
using testing::add_example_sites;
using testing::example_plan;
using testing::example_result;
using testing::test_provenance;

/// Runs of `plan`, with their site series.
sim::RunResult spatial_result(const sim::PlanInfo& plan, std::int64_t run) {
  sim::RunResult result = example_result(plan, run);
  add_example_site_values(result, plan);
  return result;
}

sim::PlanInfo spatial_plan(const sim::SiteLayout& sites, std::int64_t runs = 3, std::int64_t steps = 4) {
  sim::PlanInfo plan = example_plan(runs, steps, 0);
  add_example_sites(plan, sites);
  return plan;
}

class Hdf5SinkSitesTest : public testing::TemporaryDirectoryTest {
 protected:
  void write(const std::filesystem::path& path, const sim::PlanInfo& plan) {
    Hdf5Sink sink(path, test_provenance, false);
    sink.begin(plan);
    for (const sim::RunTask& task : plan.tasks) sink.consume(spatial_result(plan, task.index));
    sink.finish();
  }
  /// What run-major reading of a variable returns: every run's values in turn.
  static std::vector<double> expected(const sim::PlanInfo& plan, std::size_t variable) {
    std::vector<double> values;
    for (const sim::RunTask& task : plan.tasks) {
      const sim::RunResult result = spatial_result(plan, task.index);
      values.insert(values.end(), result.sites[variable].values.begin(), result.sites[variable].values.end());
    }
    return values;
  }
};

TEST_F(Hdf5SinkSitesTest, Grid_StoredAsRunStepYXWithCoordinates) {
  const sim::PlanInfo plan = spatial_plan(sim::SiteLayout::grid(2, 3));
  write(file("grid.h5"), plan);
  const ResultsFile results = ResultsFile::open(file("grid.h5"));
  EXPECT_EQ(results.site_count(), 6);
  const StoredVariable stock = results.variable(layout::sites_group, "stock");
  EXPECT_THAT(stock.dimensions, ElementsAre("run", "step", "y", "x"));
  EXPECT_THAT(stock.shape, ElementsAre(3, 4, 2, 3));
  EXPECT_EQ(stock.units, "t");
  EXPECT_EQ(results.read(layout::sites_group, "stock"), expected(plan, 0));
  EXPECT_EQ(results.read(layout::sites_group, "harvest"), expected(plan, 1));
  EXPECT_EQ(results.read(layout::sites_group, "y"), (std::vector<double>{0, 1}));
  EXPECT_EQ(results.read(layout::sites_group, "x"), (std::vector<double>{0, 1, 2}));
  EXPECT_THAT(describe(file("grid.h5")), HasSubstr("site = 6"));
}

TEST_F(Hdf5SinkSitesTest, SiteInterval_StepCoordinateListsTheSampledSteps) {
  // Seven steps sampled every third: the ends of steps 2 and 5; the series keep all seven.
  sim::PlanInfo plan = spatial_plan(sim::SiteLayout::grid(2, 3), 3, 7);
  for (sim::RunLayout& layout : plan.layouts) layout.site_interval = 3;
  write(file("sparse.h5"), plan);
  const ResultsFile results = ResultsFile::open(file("sparse.h5"));
  const StoredVariable stock = results.variable(layout::sites_group, "stock");
  EXPECT_THAT(stock.dimensions, ElementsAre("run", "step", "y", "x"));
  EXPECT_THAT(stock.shape, ElementsAre(3, 2, 2, 3));
  EXPECT_EQ(results.read(layout::sites_group, "step"), (std::vector<double>{2, 5}));
  EXPECT_EQ(results.read(layout::sites_group, "stock"), expected(plan, 0));
  EXPECT_EQ(results.read(layout::series_group, "step").size(), 7u);
  // A plan sampled at another interval does not resume this one.
  EXPECT_NE(Hdf5Sink::plan_fingerprint(plan), Hdf5Sink::plan_fingerprint(spatial_plan(sim::SiteLayout::grid(2, 3), 3, 7)));
}

TEST_F(Hdf5SinkSitesTest, Graph_StoredAsRunStepSiteWithItsEdges) {
  const sim::SiteLayout ring = sim::SiteLayout::graph(4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}});
  const sim::PlanInfo plan = spatial_plan(ring);
  write(file("ring.h5"), plan);
  const ResultsFile results = ResultsFile::open(file("ring.h5"));
  EXPECT_EQ(results.site_count(), 4);
  const StoredVariable stock = results.variable(layout::sites_group, "stock");
  EXPECT_THAT(stock.dimensions, ElementsAre("run", "step", "site"));
  EXPECT_THAT(stock.shape, ElementsAre(3, 4, 4));
  EXPECT_EQ(results.read(layout::sites_group, "stock"), expected(plan, 0));
  // Each edge once, smaller site first, in the order of the adjacency.
  EXPECT_EQ(results.read(layout::sites_group, "edge_from"), (std::vector<double>{0, 0, 1, 2}));
  EXPECT_EQ(results.read(layout::sites_group, "edge_to"), (std::vector<double>{1, 3, 2, 3}));
}

TEST_F(Hdf5SinkSitesTest, WithoutSites_NoSitesGroup) {
  const sim::PlanInfo plan = example_plan(2, 3, 0);
  testing::write_runs(file("plain.h5"), plan, testing::all_runs(plan));
  const ResultsFile results = ResultsFile::open(file("plain.h5"));
  const std::vector<std::string> groups = results.groups();
  EXPECT_EQ(std::count(groups.begin(), groups.end(), "sites"), 0);
  EXPECT_EQ(results.site_count(), 0);
}

TEST_F(Hdf5SinkSitesTest, ShortRun_RestOfItsSiteRowsIsNaN) {
  const sim::PlanInfo plan = spatial_plan(sim::SiteLayout::grid(1, 2), 1, 4);
  sim::RunResult result = spatial_result(plan, 0);
  for (sim::SiteData& data : result.sites) data.values.resize(2 * 2);  // two steps of two sites
  for (sim::SeriesData& data : result.series) data.values.resize(2);
  result.steps = 2;
  {
    Hdf5Sink sink(file("short.h5"), test_provenance, false);
    sink.begin(plan);
    sink.consume(std::move(result));
    sink.finish();
  }
  const std::vector<double> stock = ResultsFile::open(file("short.h5")).read(layout::sites_group, "stock");
  ASSERT_EQ(stock.size(), 8u);
  EXPECT_EQ(stock[3], 1.001);
  EXPECT_TRUE(std::all_of(stock.begin() + 4, stock.end(), [](double v) { return std::isnan(v); }));
}

TEST_F(Hdf5SinkSitesTest, Mistakes_RejectedWithWhatIsWrong) {
  sim::PlanInfo plan = spatial_plan(sim::SiteLayout::grid(2, 2));
  {
    Hdf5Sink sink(file("bad.h5"), test_provenance, false);
    sink.begin(plan);
    sim::RunResult result = spatial_result(plan, 0);
    result.sites[0].values.pop_back();
    EXPECT_THAT(message_of([&] { sink.consume(std::move(result)); }),
                HasSubstr("site variable stock has 15 values, not steps x 4 sites"));
  }
  sim::PlanInfo two = testing::example_variant_plan(2, 1, 3, 0);
  add_example_sites(two, sim::SiteLayout::grid(2, 2));
  two.layouts[1].sites = sim::SiteLayout::grid(1, 4);
  EXPECT_THAT(message_of([&] { Hdf5Sink(file("two.h5"), test_provenance, false).begin(two); }),
              HasSubstr("variants record different sites"));
  sim::PlanInfo nowhere = spatial_plan(sim::SiteLayout::grid(2, 2));
  nowhere.layouts[0].sites = {};
  EXPECT_THAT(message_of([&] { Hdf5Sink(file("nowhere.h5"), test_provenance, false).begin(nowhere); }),
              HasSubstr("site variables but no sites"));
}

TEST_F(Hdf5SinkSitesTest, Interrupted_ResumesOnlyWithTheSameSitesAndEndsAsUninterrupted) {
  const sim::PlanInfo plan = spatial_plan(sim::SiteLayout::grid(2, 3));
  {
    Hdf5Sink sink(file("sweep.h5"), test_provenance, false);
    sink.begin(plan);
    sink.consume(spatial_result(plan, 1));
  }
  // Another map is another plan: its file is not this one's to continue.
  const sim::PlanInfo other = spatial_plan(sim::SiteLayout::grid(3, 2));
  EXPECT_THAT(message_of([&] {
                Hdf5Sink sink(file("sweep.h5"), test_provenance, false, {}, /*resume=*/true);
                sink.begin(other);
              }),
              HasSubstr("holds the runs of another plan"));
  {
    Hdf5Sink sink(file("sweep.h5"), test_provenance, false, {}, /*resume=*/true);
    sink.begin(plan);
    EXPECT_THAT(sink.resumed_runs(), ElementsAre(1));
    for (const std::int64_t run : {0, 2}) sink.consume(spatial_result(plan, run));
    sink.finish();
    EXPECT_EQ(sink.outcome(), Hdf5Sink::Outcome::complete);
  }
  EXPECT_EQ(ResultsFile::open(file("sweep.h5")).read(layout::sites_group, "stock"), expected(plan, 0));
}

}  // namespace
}  // namespace commons::output
