// SPDX-License-Identifier: Apache-2.0
#include <commons/output/hdf5_sink.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>

#include "example_results.hpp"
#include "temporary_directory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace commons::output {
namespace {

using ::testing::ElementsAre;
using testing::example_plan;
using testing::example_result;
using testing::example_variant_plan;
using ::testing::HasSubstr;

const Provenance provenance{"1.2.3", "abc123", "commons sweep fishery.yaml -o out.h5"};

class Hdf5SinkTest : public testing::TemporaryDirectoryTest {
 protected:
  /// Writes `order` (run indices) of `plan` and finishes.
  static void write(const std::filesystem::path& path, const sim::PlanInfo& plan, const std::vector<int>& order,
                    bool overwrite = false) {
    Hdf5Sink sink(path, provenance, overwrite);
    sink.begin(plan);
    for (int run : order) sink.consume(example_result(plan, run));
    sink.finish();
  }
};

/// True for "YYYY-MM-DDThh:mm:ssZ" (ISO 8601, UTC). Not std::regex: GCC 12 warns inside it
/// under the sanitizer flags, and -Werror makes that fatal.
bool is_utc_timestamp(const std::string& text) {
  const std::string pattern = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool ok = pattern[i] == 'd' ? std::isdigit(static_cast<unsigned char>(text[i])) != 0 : text[i] == pattern[i];
    if (!ok) return false;
  }
  return true;
}

/// Expects `actual` to equal `expected` bit for bit, NaN included.
void expect_same(const std::vector<double>& actual, const std::vector<double>& expected, const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(expected[i]))
      EXPECT_TRUE(std::isnan(actual[i])) << what << " [" << i << "]";
    else
      EXPECT_EQ(actual[i], expected[i]) << what << " [" << i << "]";
  }
}

TEST_F(Hdf5SinkTest, RunsOutOfOrder_ReadBackExactly) {
  const sim::PlanInfo plan = example_plan(3, 6, 2);
  const std::filesystem::path path = file("results.h5");
  write(path, plan, {2, 0, 1});

  const ResultsFile results = ResultsFile::open(path);
  EXPECT_EQ(results.format_version(), 1);
  EXPECT_EQ(results.attribute("format"), "commons-results");
  EXPECT_EQ(results.attribute("program_version"), "1.2.3");
  EXPECT_EQ(results.attribute("git_commit"), "abc123");
  EXPECT_EQ(results.attribute("command_line"), "commons sweep fishery.yaml -o out.h5");
  EXPECT_EQ(results.attribute("scenario_name"), "example_fishery");
  EXPECT_TRUE(is_utc_timestamp(results.attribute("creation_time"))) << results.attribute("creation_time");
  EXPECT_EQ(results.scenario_text(), plan.scenario_text);
  EXPECT_THROW((void)results.attribute("nonexistent"), OutputError);

  EXPECT_EQ(results.run_count(), 3);
  EXPECT_EQ(results.step_count(), 6);
  EXPECT_EQ(results.agent_count(), 2);
  EXPECT_THAT(results.completed(), ElementsAre(true, true, true));
  EXPECT_THAT(results.agent_ids(), ElementsAre(3u, 7u));
  EXPECT_THAT(results.groups(), ElementsAre("runs", "series", "summary", "references", "agents"));

  // Coordinates in every group that uses them.
  for (const char* group : {"runs", "series", "summary", "references", "agents"})
    EXPECT_THAT(results.read_integers(group, "run"), ElementsAre(0, 1, 2)) << group;
  for (const char* group : {"series", "agents"})
    EXPECT_THAT(results.read_integers(group, "step"), ElementsAre(0, 1, 2, 3, 4, 5)) << group;
  const StoredVariable step = results.variable("series", "step");
  EXPECT_EQ(step.units, "1");
  EXPECT_EQ(step.long_name, "step");

  // runs/
  EXPECT_THAT(results.read_integers("runs", "replicate"), ElementsAre(0, 1, 0));
  EXPECT_THAT(results.read_integers("runs", "seed"), ElementsAre(42, 9007199254740991LL, 44));
  EXPECT_THAT(results.read_strings("runs", "seed_text"), ElementsAre("42", "9007199254740991", "44"));
  EXPECT_THAT(results.read("runs", "fleet.initial_effort"), ElementsAre(10.0, 15.0, 20.0));
  const StoredVariable parameter = results.variable("runs", "fleet.initial_effort");
  EXPECT_THAT(parameter.dimensions, ElementsAre("run"));
  EXPECT_EQ(parameter.long_name, "swept parameter fleet/initial_effort");
  const StoredVariable completed = results.variable("runs", "completed");
  EXPECT_EQ(completed.long_name, "run written completely (0 while missing or failed)");
  std::vector<std::string> runs_names;
  for (const StoredVariable& v : results.variables("runs")) runs_names.push_back(v.name);
  EXPECT_THAT(runs_names, ElementsAre("replicate", "seed", "seed_text", "completed", "fleet.initial_effort"));

  // series/, summary/, references/, agents/: every value, unit and description.
  for (int run = 0; run < 3; ++run) {
    const sim::RunResult expected = example_result(plan, run);
    for (const sim::SeriesData& series : expected.series) {
      const std::vector<double> all = results.read("series", series.info.name);
      ASSERT_EQ(all.size(), 3u * 6u);
      expect_same(std::vector<double>(all.begin() + run * 6, all.begin() + (run + 1) * 6), series.values,
                  "series/" + series.info.name);
    }
    for (const sim::ScalarData& scalar : expected.summary)
      expect_same({results.read("summary", scalar.info.name).at(static_cast<std::size_t>(run))}, {scalar.value},
                  "summary/" + scalar.info.name);
    for (const sim::ScalarData& scalar : expected.references)
      expect_same({results.read("references", scalar.info.name).at(static_cast<std::size_t>(run))}, {scalar.value},
                  "references/" + scalar.info.name);
    for (const sim::AgentData& data : expected.agents) {
      const std::vector<double> all = results.read("agents", data.info.name);
      ASSERT_EQ(all.size(), 3u * 6u * 2u);
      expect_same(std::vector<double>(all.begin() + run * 12, all.begin() + (run + 1) * 12), data.values,
                  "agents/" + data.info.name);
    }
  }
  const sim::RunResult first = example_result(plan, 0);
  const auto expect_variables = [&](const char* group, const auto& expected,
                                    const std::vector<std::string>& dimensions) {
    const std::vector<StoredVariable> stored = results.variables(group);
    ASSERT_EQ(stored.size(), expected.size()) << group;
    for (std::size_t i = 0; i < stored.size(); ++i) {
      EXPECT_EQ(stored[i].group, group);
      EXPECT_EQ(stored[i].name, expected[i].info.name);
      EXPECT_EQ(stored[i].units, expected[i].info.units);
      EXPECT_EQ(stored[i].long_name, expected[i].info.description);
      EXPECT_EQ(stored[i].dimensions, dimensions) << group << "/" << stored[i].name;
      EXPECT_TRUE(stored[i].numeric);
    }
  };
  expect_variables("series", first.series, {"run", "step"});
  expect_variables("summary", first.summary, {"run"});
  expect_variables("references", first.references, {"run"});
  expect_variables("agents", first.agents, {"run", "step", "agent"});
  EXPECT_THAT(results.variable("agents", "income").shape, ElementsAre(3, 6, 2));
  EXPECT_THAT(results.variable("series", "stock").shape, ElementsAre(3, 6));
}

TEST_F(Hdf5SinkTest, DegreeCounts_StoredPerRunAndZeroPastTheMaximumDegree) {
  const sim::PlanInfo plan = example_plan(2, 3, 5);
  const std::filesystem::path path = file("network.h5");
  {
    Hdf5Sink sink(path, provenance, false);
    sink.begin(plan);
    sim::RunResult first = example_result(plan, 0);
    first.degree_counts = {0, 2, 3};  // a path-like graph: 2 ends, 3 inner nodes
    sink.consume(std::move(first));
    sim::RunResult second = example_result(plan, 1);
    second.degree_counts = {0, 0, 0, 0, 5};  // the complete graph on five agents
    sink.consume(std::move(second));
    sink.finish();
  }
  const ResultsFile results = ResultsFile::open(path);
  const std::vector<double> counts = results.read("network", "degree_count");
  EXPECT_THAT(counts, ElementsAre(0, 2, 3, 0, 0, 0, 0, 0, 0, 5));
  EXPECT_THAT(results.read_integers("network", "degree"), ElementsAre(0, 1, 2, 3, 4));
}

TEST_F(Hdf5SinkTest, NoNetwork_NoNetworkGroup) {
  const sim::PlanInfo plan = example_plan(1, 3, 2);
  const std::filesystem::path path = file("plain.h5");
  write(path, plan, {0});
  const ResultsFile results = ResultsFile::open(path);
  const std::vector<std::string> groups = results.groups();
  EXPECT_EQ(std::count(groups.begin(), groups.end(), "network"), 0);
}

TEST_F(Hdf5SinkTest, RunsNotWritten_ReadAsNaNWithFlagZero) {
  const sim::PlanInfo plan = example_plan(3, 4, 0);
  const std::filesystem::path path = file("results.h5");
  write(path, plan, {1});

  const ResultsFile results = ResultsFile::open(path);
  EXPECT_THAT(results.completed(), ElementsAre(false, true, false));
  EXPECT_EQ(results.agent_count(), 0);
  EXPECT_TRUE(results.agent_ids().empty());
  EXPECT_THAT(results.groups(), ElementsAre("runs", "series", "summary", "references"));
  const std::vector<double> stock = results.read("series", "stock");
  ASSERT_EQ(stock.size(), 12u);
  for (std::size_t i : {0u, 3u, 8u, 11u}) EXPECT_TRUE(std::isnan(stock[i])) << i;
  expect_same(std::vector<double>(stock.begin() + 4, stock.begin() + 8), example_result(plan, 1).series[0].values,
              "stock of run 1");
  const std::vector<double> final_stock = results.read("summary", "final_stock");
  EXPECT_TRUE(std::isnan(final_stock[0]));
  EXPECT_FALSE(std::isnan(final_stock[1]));
  // Bookkeeping comes from the plan, so it is there even for runs never written.
  EXPECT_THAT(results.read_integers("runs", "seed"), ElementsAre(42, 9007199254740991LL, 44));
}

TEST_F(Hdf5SinkTest, ShortRun_RestOfRowIsNaN) {
  const sim::PlanInfo plan = example_plan(1, 5, 0);
  sim::RunResult result = example_result(plan, 0);
  for (sim::SeriesData& series : result.series) series.values.resize(3);
  result.steps = 3;
  const std::filesystem::path path = file("results.h5");
  Hdf5Sink sink(path, provenance, false);
  sink.begin(plan);
  sink.consume(std::move(result));
  sink.finish();
  const std::vector<double> stock = ResultsFile::open(path).read("series", "stock");
  ASSERT_EQ(stock.size(), 5u);
  EXPECT_FALSE(std::isnan(stock[2]));
  EXPECT_TRUE(std::isnan(stock[3]));
  EXPECT_TRUE(std::isnan(stock[4]));
}

TEST_F(Hdf5SinkTest, ExistingFile_RefusedWithoutOverwrite) {
  const std::filesystem::path path = file("results.h5");
  std::ofstream(path) << "precious";
  try {
    Hdf5Sink sink(path, provenance, false);
    FAIL() << "no exception";
  } catch (const OutputError& error) {
    EXPECT_EQ(std::string(error.what()), path.string() + ": already exists; use --force to overwrite");
    EXPECT_EQ(error.file(), path);
  }
  std::ifstream in(path);
  std::string text;
  in >> text;
  EXPECT_EQ(text, "precious");

  write(path, example_plan(1, 2, 0), {0}, /*overwrite=*/true);
  EXPECT_EQ(ResultsFile::open(path).run_count(), 1);
}

TEST_F(Hdf5SinkTest, PartialFileOfInterruptedSweep_RefusedWithoutOverwrite) {
  const std::filesystem::path path = file("results.h5");
  std::ofstream(file("results.h5.partial")) << "runs of an interrupted sweep";
  try {
    Hdf5Sink sink(path, provenance, false);
    FAIL() << "no exception";
  } catch (const OutputError& error) {
    EXPECT_EQ(std::string(error.what()),
              file("results.h5.partial").string() +
                  ": exists (left by an interrupted run); delete it or use --force to start over");
  }
  write(path, example_plan(1, 2, 0), {0}, /*overwrite=*/true);
  EXPECT_FALSE(std::filesystem::exists(file("results.h5.partial")));
  EXPECT_EQ(ResultsFile::open(path).run_count(), 1);
}

TEST_F(Hdf5SinkTest, MissingDirectory_Refused) {
  const std::filesystem::path path = file("no/such/dir/results.h5");
  try {
    Hdf5Sink sink(path, provenance, true);
    FAIL() << "no exception";
  } catch (const OutputError& error) {
    EXPECT_THAT(error.what(), HasSubstr("does not exist"));
    EXPECT_THAT(error.what(), HasSubstr(file("no/such/dir").string()));
  }
}

TEST_F(Hdf5SinkTest, BeforeFinish_NothingUnderFinalName) {
  const sim::PlanInfo plan = example_plan(2, 3, 0);
  const std::filesystem::path path = file("results.h5");
  Hdf5Sink sink(path, provenance, false);
  EXPECT_EQ(sink.partial_path(), file("results.h5.partial"));
  EXPECT_FALSE(std::filesystem::exists(sink.partial_path()));  // nothing before begin()
  sink.begin(plan);
  sink.consume(example_result(plan, 0));
  sink.consume(example_result(plan, 1));
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::exists(sink.partial_path()));
  sink.finish();
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(sink.partial_path()));
  sink.finish();  // idempotent
}

TEST_F(Hdf5SinkTest, DestroyedUnfinished_KeepsPartialFile) {
  const sim::PlanInfo plan = example_plan(3, 3, 2);
  const std::filesystem::path path = file("results.h5");
  std::filesystem::path partial;
  {
    Hdf5Sink sink(path, provenance, false);
    partial = sink.partial_path();
    sink.begin(plan);
    sink.consume(example_result(plan, 2));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE(std::filesystem::exists(partial));
  const ResultsFile results = ResultsFile::open(partial);
  EXPECT_THAT(results.completed(), ElementsAre(false, false, true));
  const std::vector<double> stock = results.read("series", "stock");
  expect_same(std::vector<double>(stock.begin() + 6, stock.end()), example_result(plan, 2).series[0].values,
              "stock of run 2");
}

// A crash after consume() must not lose that run: each run is flushed with its flag.
TEST_F(Hdf5SinkTest, ProcessDiesAfterConsume_FlushedRunsReadable) {
  const sim::PlanInfo plan = example_plan(3, 4, 2);
  const std::filesystem::path path = file("results.h5");
  EXPECT_EXIT(
      {
        auto* sink = new Hdf5Sink(path, provenance, false);  // never destroyed: a crash
        sink->begin(plan);
        sink->consume(example_result(plan, 1));
        sink->consume(example_result(plan, 0));
        std::_Exit(7);
      },
      ::testing::ExitedWithCode(7), "");
  const ResultsFile results = ResultsFile::open(file("results.h5.partial"));
  EXPECT_THAT(results.completed(), ElementsAre(true, true, false));
  const std::vector<double> income = results.read("agents", "income");
  const std::vector<double> expected = example_result(plan, 1).agents[2].values;
  expect_same(std::vector<double>(income.begin() + 8, income.begin() + 16), expected, "income of run 1");
}

TEST_F(Hdf5SinkTest, PlanAndRunMistakes_Rejected) {
  const std::filesystem::path path = file("results.h5");
  const auto expect_error = [](auto&& action, const std::string& text) {
    try {
      action();
      ADD_FAILURE() << "no exception, expected " << text;
    } catch (const OutputError& error) {
      EXPECT_THAT(error.what(), HasSubstr(text));
    }
  };
  expect_error([&] { Hdf5Sink(path, provenance, false).begin(example_plan(0, 3, 0)); }, "the plan has no runs");
  expect_error([&] { Hdf5Sink(path, provenance, false).begin(example_plan(2, 0, 0)); }, "the plan has no steps");
  expect_error(
      [&] {
        sim::PlanInfo plan = example_plan(2, 3, 0);
        plan.tasks[1].index = 0;
        Hdf5Sink(path, provenance, false).begin(plan);
      },
      "plan run indices must be 0..1, each once; found 0");
  expect_error([&] { Hdf5Sink(path, provenance, false).consume(sim::RunResult{}); }, "consume() before begin()");
  expect_error([&] { Hdf5Sink(path, provenance, false).finish(); }, "finish() before begin()");

  const sim::PlanInfo plan = example_plan(2, 3, 0);
  Hdf5Sink sink(path, provenance, true);
  sink.begin(plan);
  sink.consume(example_result(plan, 0));
  expect_error([&] { sink.consume(example_result(plan, 0)); }, "run 0 was already written");
  expect_error(
      [&] {
        sim::RunResult result = example_result(plan, 1);
        result.task.index = 5;
        sink.consume(std::move(result));
      },
      "run 5 is not in the plan (runs 0..1)");
  expect_error(
      [&] {
        sim::RunResult result = example_result(plan, 1);
        result.series.push_back({{"run", "1", "a coordinate's name"}, {0.1, 0.2, 0.3}});
        sink.consume(std::move(result));
      },
      "variable name 'run' in series/ is reserved for a coordinate or run attribute");
  expect_error(
      [&] {
        sim::RunResult result = example_result(plan, 1);
        result.summary.push_back({{"final_stock", "t", "twice"}, 1.0});
        sink.consume(std::move(result));
      },
      "variable 'final_stock' appears twice in summary/");
  expect_error(
      [&] {
        sim::RunResult result = example_result(plan, 1);
        result.series[0].values.resize(4, 0.0);
        sink.consume(std::move(result));
      },
      "series stock has 4 values for 3 steps");
  expect_error(
      [&] {
        sim::RunResult result = example_result(plan, 1);
        result.task.seed = 1;
        sink.consume(std::move(result));
      },
      "run 1 has seed 1 but the plan says 9007199254740991");
  sink.consume(example_result(plan, 1));  // the rejected attempts left run 1 writable
  sink.finish();
  EXPECT_THAT(ResultsFile::open(path).completed(), ElementsAre(true, true));
}

// Variants of a comparison record different variables: the first run that brings one creates
// its dataset, and runs that never record it read NaN.
TEST_F(Hdf5SinkTest, LaterRunWithNewVariable_CreatedThenWithNaNForOtherRuns) {
  const sim::PlanInfo plan = example_plan(3, 3, 2);
  const std::filesystem::path path = file("results.h5");
  {
    Hdf5Sink sink(path, provenance, false);
    sink.begin(plan);
    sink.consume(example_result(plan, 0));
    sim::RunResult second = example_result(plan, 1);
    second.series.push_back({{"gini", "1", "Gini"}, {0.1, 0.2, 0.3}});
    second.summary.push_back({{"mean_compliance", "1", "mean share compliant"}, 0.75});
    second.references.push_back({{"quota_stock", "t", "stock at the quota"}, 600.0});
    second.agents.push_back({{"fine", "money", "agent's fine"}, {1, 2, 3, 4, 5, 6}});
    sink.consume(std::move(second));
    sink.consume(example_result(plan, 2));
    sink.finish();
  }
  const ResultsFile results = ResultsFile::open(path);
  EXPECT_THAT(results.completed(), ElementsAre(true, true, true));
  const double nan = std::nan("");
  expect_same(results.read("series", "gini"), {nan, nan, nan, 0.1, 0.2, 0.3, nan, nan, nan}, "series/gini");
  expect_same(results.read("summary", "mean_compliance"), {nan, 0.75, nan}, "summary/mean_compliance");
  expect_same(results.read("references", "quota_stock"), {nan, 600.0, nan}, "references/quota_stock");
  const std::vector<double> fine = results.read("agents", "fine");
  ASSERT_EQ(fine.size(), 18u);
  expect_same(std::vector<double>(fine.begin() + 6, fine.begin() + 12), {1, 2, 3, 4, 5, 6}, "agents/fine of run 1");
  EXPECT_TRUE(std::all_of(fine.begin(), fine.begin() + 6, [](double v) { return std::isnan(v); }));
  EXPECT_TRUE(std::all_of(fine.begin() + 12, fine.end(), [](double v) { return std::isnan(v); }));
  // A new variable comes after those of earlier runs, described by the run that brought it.
  std::vector<std::string> names;
  for (const StoredVariable& v : results.variables("series")) names.push_back(v.name);
  EXPECT_THAT(names, ElementsAre("stock", "harvest", "effort", "rent", "gini"));
  const StoredVariable gini = results.variable("series", "gini");
  EXPECT_EQ(gini.units, "1");
  EXPECT_EQ(gini.long_name, "Gini");
  EXPECT_THAT(gini.dimensions, ElementsAre("run", "step"));
  EXPECT_THAT(results.variable("agents", "fine").dimensions, ElementsAre("run", "step", "agent"));
  // The earlier runs' values are untouched.
  const std::vector<double> stock = results.read("series", "stock");
  expect_same(std::vector<double>(stock.begin(), stock.begin() + 3), example_result(plan, 0).series[0].values,
              "stock of run 0");
}

TEST_F(Hdf5SinkTest, NewVariableWithTheDatasetNameOfAnother_Rejected) {
  const sim::PlanInfo plan = example_plan(2, 3, 0);
  const std::filesystem::path path = file("results.h5");
  Hdf5Sink sink(path, provenance, false);
  sink.begin(plan);
  sim::RunResult first = example_result(plan, 0);
  first.summary.push_back({{"per/step", "1", "slashed"}, 1.0});
  sink.consume(std::move(first));
  sim::RunResult second = example_result(plan, 1);
  second.summary.push_back({{"per.step", "1", "dotted"}, 2.0});
  try {
    sink.consume(std::move(second));
    FAIL() << "no exception";
  } catch (const OutputError& error) {
    EXPECT_EQ(std::string(error.what()), path.string() +
                                             ": run 1 records summary variable 'per.step', which would share dataset "
                                             "summary/per.step with 'per/step' of an earlier run");
  }
  sink.consume(example_result(plan, 1));  // the rejected run left nothing behind
  sink.finish();
  EXPECT_THAT(ResultsFile::open(path).read("summary", "per.step"), ::testing::ElementsAre(1.0, ::testing::IsNan()));
}

std::vector<std::vector<unsigned char>> stored_bytes(const std::filesystem::path& path, const std::string& object);

/// Writes a comparison as the executor delivers it: the first run of each variant, in variant
/// order, then the others in `rest`.
void write_comparison(const std::filesystem::path& path, const sim::PlanInfo& plan, const std::vector<int>& rest) {
  Hdf5Sink sink(path, provenance, false);
  sink.begin(plan);
  std::vector<int> order;
  for (const sim::RunTask& task : plan.tasks)
    if (task.replicate == 0) order.push_back(static_cast<int>(task.index));
  order.insert(order.end(), rest.begin(), rest.end());
  for (int run : order) sink.consume(example_result(plan, run));
  sink.finish();
}

/// An attribute of `object` read as int64 values, with its stored type class and size.
std::vector<std::int64_t> int_attribute(const std::filesystem::path& path, const char* object, const char* name,
                                        std::size_t* stored_size) {
  const hid_t file_id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t dataset = H5Dopen2(file_id, object, H5P_DEFAULT);
  const hid_t attribute = H5Aopen(dataset, name, H5P_DEFAULT);
  const hid_t type = H5Aget_type(attribute);
  const hid_t space = H5Aget_space(attribute);
  EXPECT_EQ(H5Tget_class(type), H5T_INTEGER);
  *stored_size = H5Tget_size(type);
  std::vector<std::int64_t> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  H5Aread(attribute, H5T_NATIVE_INT64, values.data());
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(attribute);
  H5Dclose(dataset);
  H5Fclose(file_id);
  return values;
}

TEST_F(Hdf5SinkTest, Comparison_VariantColumnsWithCfFlags) {
  const sim::PlanInfo plan = example_variant_plan(3, 2, 4, 2);
  const std::filesystem::path path = file("regimes.h5");
  write_comparison(path, plan, {5, 3, 1});

  const ResultsFile results = ResultsFile::open(path);
  EXPECT_THAT(results.completed(), ElementsAre(true, true, true, true, true, true));
  EXPECT_THAT(results.read_integers("runs", "variant"), ElementsAre(0, 0, 1, 1, 2, 2));
  EXPECT_THAT(results.read_strings("runs", "variant_name"),
              ElementsAre("open_access", "open_access", "state_tac", "state_tac", "itq", "itq"));
  EXPECT_THAT(results.read_integers("runs", "replicate"), ElementsAre(0, 1, 0, 1, 0, 1));
  std::vector<std::string> runs_names;
  for (const StoredVariable& v : results.variables("runs")) runs_names.push_back(v.name);
  EXPECT_THAT(runs_names, ElementsAre("replicate", "seed", "seed_text", "completed", "variant", "variant_name"));

  const StoredVariable variant = results.variable("runs", "variant");
  EXPECT_EQ(variant.long_name, "variant of the comparison");
  EXPECT_EQ(variant.units, "");
  EXPECT_THAT(variant.dimensions, ElementsAre("run"));
  EXPECT_TRUE(variant.numeric);
  const StoredVariable variant_name = results.variable("runs", "variant_name");
  EXPECT_EQ(variant_name.long_name, "name of the variant of the comparison");
  EXPECT_THAT(variant_name.dimensions, ElementsAre("run"));
  EXPECT_FALSE(variant_name.numeric);

  // CF flags: flag_values of the variable's own type (int64), flag_meanings blank-separated.
  std::size_t stored_size = 0;
  EXPECT_THAT(int_attribute(path, "runs/variant", "flag_values", &stored_size), ElementsAre(0, 1, 2));
  EXPECT_EQ(stored_size, 8u);
  const hid_t file_id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t dataset = H5Dopen2(file_id, "runs/variant", H5P_DEFAULT);
  const hid_t type = H5Dget_type(dataset);
  EXPECT_EQ(H5Tget_class(type), H5T_INTEGER);
  EXPECT_EQ(H5Tget_size(type), 8u);
  H5Tclose(type);
  H5Dclose(dataset);
  H5Fclose(file_id);

  EXPECT_THAT(results.variant_names(), ElementsAre("open_access", "state_tac", "itq"));
  EXPECT_THAT(results.run_variants(), ElementsAre(0, 0, 1, 1, 2, 2));

  // Open access records no compliance or governance cost: those rows are NaN. The layout
  // follows the first runs of the variants, in variant order.
  std::vector<std::string> series_names;
  for (const StoredVariable& v : results.variables("series")) series_names.push_back(v.name);
  EXPECT_THAT(series_names,
              ElementsAre("stock", "harvest", "effort", "rent", "gini", "compliance", "governance_cost"));
  const std::vector<double> compliance = results.read("series", "compliance");
  ASSERT_EQ(compliance.size(), 6u * 4u);
  EXPECT_TRUE(std::all_of(compliance.begin(), compliance.begin() + 8, [](double v) { return std::isnan(v); }));
  for (int run = 2; run < 6; ++run) {
    const sim::RunResult expected = example_result(plan, run);
    expect_same(std::vector<double>(compliance.begin() + run * 4, compliance.begin() + (run + 1) * 4),
                expected.series[5].values, "compliance of run " + std::to_string(run));
  }
  const std::vector<double> mean_compliance = results.read("summary", "mean_compliance");
  EXPECT_TRUE(std::isnan(mean_compliance[0]));
  EXPECT_TRUE(std::isnan(mean_compliance[1]));
  EXPECT_EQ(mean_compliance[4], example_result(plan, 4).summary[3].value);
  EXPECT_EQ(results.read("summary", "total_governance_cost")[0], 0.0);
}

TEST_F(Hdf5SinkTest, NoComparison_NoVariantColumns) {
  const sim::PlanInfo plan = example_plan(2, 3, 0);
  const std::filesystem::path path = file("results.h5");
  write(path, plan, {0, 1});
  const ResultsFile results = ResultsFile::open(path);
  EXPECT_FALSE(results.contains("runs", "variant"));
  EXPECT_FALSE(results.contains("runs", "variant_name"));
  EXPECT_TRUE(results.variant_names().empty());
  EXPECT_TRUE(results.run_variants().empty());
}

TEST_F(Hdf5SinkTest, BadVariants_RejectedBeforeAFileExists) {
  const std::filesystem::path path = file("results.h5");
  const auto begin_error = [&](const sim::PlanInfo& plan) -> std::string {
    try {
      Hdf5Sink(path, provenance, false).begin(plan);
    } catch (const OutputError& error) {
      return error.what();
    }
    return "no exception";
  };
  sim::PlanInfo outside = example_variant_plan(3, 2, 4, 0);
  outside.tasks[5].variant = 3;
  EXPECT_EQ(begin_error(outside), path.string() + ": run 5 has variant 3 but the plan has variants 0..2");
  sim::PlanInfo negative = example_variant_plan(2, 1, 4, 0);
  negative.tasks[0].variant = -1;
  EXPECT_EQ(begin_error(negative), path.string() + ": run 0 has variant -1 but the plan has variants 0..1");
  sim::PlanInfo plain = example_plan(2, 3, 0);
  plain.tasks[1].variant = 1;
  EXPECT_EQ(begin_error(plain), path.string() + ": run 1 has variant 1 but the plan has no variants");
  sim::PlanInfo twice = example_variant_plan(2, 1, 4, 0);
  twice.variants[1] = "open_access";
  EXPECT_EQ(begin_error(twice), path.string() + ": variant name 'open_access' appears twice in the plan");
  sim::PlanInfo blank = example_variant_plan(2, 1, 4, 0);
  blank.variants[1] = "state tac";
  EXPECT_EQ(begin_error(blank), path.string() +
                                    ": variant 1 has the name 'state tac', which cannot be a flag meaning "
                                    "(empty or with white space)");
  sim::PlanInfo reserved = example_plan(1, 3, 0);
  reserved.tasks[0].parameters = {{"variant_name", 1.0}};
  EXPECT_THAT(begin_error(reserved), HasSubstr("variable name 'variant_name' in runs/ is reserved"));
  EXPECT_FALSE(std::filesystem::exists(file("results.h5.partial")));
}

TEST_F(Hdf5SinkTest, Comparison_ByteIdenticalWhateverTheOrderAfterTheFirstRuns) {
  const sim::PlanInfo plan = example_variant_plan(3, 3, 5, 2);
  write_comparison(file("a.h5"), plan, {1, 2, 4, 5, 7, 8});
  write_comparison(file("b.h5"), plan, {8, 5, 2, 7, 4, 1});
  const ResultsFile a = ResultsFile::open(file("a.h5"));
  const ResultsFile b = ResultsFile::open(file("b.h5"));
  std::size_t compared = 0;
  for (const std::string& group : a.groups()) {
    std::vector<std::string> names_a;
    std::vector<std::string> names_b;
    for (const StoredVariable& v : a.variables(group)) names_a.push_back(v.name);
    for (const StoredVariable& v : b.variables(group)) names_b.push_back(v.name);
    EXPECT_EQ(names_a, names_b) << group;
    for (const std::string& name : names_a) {
      const std::string object = group + "/" + name;
      const auto bytes = stored_bytes(file("a.h5"), object);
      EXPECT_EQ(bytes, stored_bytes(file("b.h5"), object)) << object;
      compared += bytes.size();
    }
  }
  EXPECT_GE(compared, 9u * 7u);  // at least one chunk per run of each series
  EXPECT_EQ(a.read_strings("runs", "variant_name"), b.read_strings("runs", "variant_name"));
}

TEST_F(Hdf5SinkTest, ReservedOrSlashedNames_HandledClearly) {
  const std::filesystem::path path = file("results.h5");
  sim::PlanInfo plan = example_plan(1, 2, 0);
  plan.tasks[0].parameters = {{"/resource/growth_rate", 0.5}};
  sim::RunResult result = example_result(plan, 0);
  result.summary.push_back({{"per/step", "1", "slashed"}, 2.5});
  Hdf5Sink sink(path, provenance, false);
  sink.begin(plan);
  sink.consume(std::move(result));
  sink.finish();
  const ResultsFile results = ResultsFile::open(path);
  EXPECT_THAT(results.read("runs", "resource.growth_rate"), ElementsAre(0.5));
  EXPECT_THAT(results.read("summary", "per.step"), ElementsAre(2.5));

  sim::PlanInfo bad = example_plan(1, 2, 0);
  bad.tasks[0].parameters = {{"seed", 1.0}};
  try {
    Hdf5Sink(file("other.h5"), provenance, false).begin(bad);
    FAIL() << "no exception";
  } catch (const OutputError& error) {
    EXPECT_THAT(error.what(), HasSubstr("variable name 'seed' in runs/ is reserved"));
  }
  EXPECT_FALSE(std::filesystem::exists(file("other.h5.partial")));  // checked before creating
}

/// Raw bytes of every chunk (as stored, compressed) or of the whole dataset when contiguous.
std::vector<std::vector<unsigned char>> stored_bytes(const std::filesystem::path& path, const std::string& object) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t dataset = H5Dopen2(file, object.c_str(), H5P_DEFAULT);
  const hid_t plist = H5Dget_create_plist(dataset);
  std::vector<std::vector<unsigned char>> out;
  H5O_info_t info{};
  H5Oget_info2(dataset, &info, H5O_INFO_TIME);
  EXPECT_EQ(info.ctime, 0) << object << ": timestamps make identical runs differ";
  EXPECT_EQ(info.mtime, 0) << object;
  if (H5Pget_layout(plist) == H5D_CHUNKED) {
    const hid_t space = H5Dget_space(dataset);
    hsize_t chunks = 0;
    H5Dget_num_chunks(dataset, space, &chunks);
    for (hsize_t i = 0; i < chunks; ++i) {
      hsize_t offset[3] = {0, 0, 0};
      unsigned mask = 0;
      haddr_t address = 0;
      hsize_t size = 0;
      H5Dget_chunk_info(dataset, space, i, offset, &mask, &address, &size);
      std::vector<unsigned char> bytes(size);
      std::uint32_t filters = 0;
      H5Dread_chunk(dataset, H5P_DEFAULT, offset, &filters, bytes.data());
      out.push_back(std::move(bytes));
    }
    H5Sclose(space);
  } else {
    const hid_t type = H5Dget_type(dataset);
    const hid_t space = H5Dget_space(dataset);
    if (H5Tis_variable_str(type) <= 0) {
      std::vector<unsigned char> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)) *
                                        H5Tget_size(type));
      H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
      out.push_back(std::move(values));
    }
    H5Tclose(type);
    H5Sclose(space);
  }
  H5Pclose(plist);
  H5Dclose(dataset);
  H5Fclose(file);
  return out;
}

TEST_F(Hdf5SinkTest, IdenticalRuns_ByteIdenticalDatasets) {
  const sim::PlanInfo plan = example_plan(4, 7, 3);
  write(file("a.h5"), plan, {0, 1, 2, 3});
  write(file("b.h5"), plan, {0, 1, 2, 3});
  // Another arrival order, as another thread count would give: the same stored chunks.
  write(file("c.h5"), plan, {3, 1, 0, 2});
  const ResultsFile results = ResultsFile::open(file("a.h5"));
  std::size_t compared = 0;
  for (const std::string& group : results.groups())
    for (const StoredVariable& variable : results.variables(group)) {
      const std::string object = group + "/" + variable.name;
      const auto a = stored_bytes(file("a.h5"), object);
      EXPECT_EQ(a, stored_bytes(file("b.h5"), object)) << object;
      EXPECT_EQ(a, stored_bytes(file("c.h5"), object)) << object;
      compared += a.size();
    }
  EXPECT_GE(compared, 4u * 4u + 4u * 3u);  // at least the series and agent chunks
  for (const char* object : {"/", "/series", "/runs/run"}) {
    H5O_info_t info{};
    const hid_t file_id = H5Fopen(file("a.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    H5Oget_info_by_name2(file_id, object, &info, H5O_INFO_TIME, H5P_DEFAULT);
    EXPECT_EQ(info.ctime, 0) << object;
    H5Fclose(file_id);
  }
}

TEST_F(Hdf5SinkTest, SeriesAndAgents_ChunkedByRunAndCompressed) {
  const sim::PlanInfo plan = example_plan(2, 5, 3);
  write(file("results.h5"), plan, {0, 1});
  const hid_t file_id = H5Fopen(file("results.h5").c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  for (const auto& [object, rank] : {std::pair{"series/stock", 2}, std::pair{"agents/income", 3}}) {
    const hid_t dataset = H5Dopen2(file_id, object, H5P_DEFAULT);
    const hid_t plist = H5Dget_create_plist(dataset);
    ASSERT_EQ(H5Pget_layout(plist), H5D_CHUNKED) << object;
    hsize_t chunk[3] = {0, 0, 0};
    ASSERT_EQ(H5Pget_chunk(plist, 3, chunk), rank);
    EXPECT_EQ(chunk[0], 1u) << object;
    EXPECT_EQ(chunk[1], 5u) << object;
    if (rank == 3) {
      EXPECT_EQ(chunk[2], 3u);
    }
    ASSERT_EQ(H5Pget_nfilters(plist), 2);
    EXPECT_EQ(H5Pget_filter2(plist, 0, nullptr, nullptr, nullptr, 0, nullptr, nullptr), H5Z_FILTER_SHUFFLE);
    EXPECT_EQ(H5Pget_filter2(plist, 1, nullptr, nullptr, nullptr, 0, nullptr, nullptr), H5Z_FILTER_DEFLATE);
    double fill = 0.0;
    H5Pget_fill_value(plist, H5T_NATIVE_DOUBLE, &fill);
    EXPECT_TRUE(std::isnan(fill)) << object;
    H5Pclose(plist);
    H5Dclose(dataset);
  }
  H5Fclose(file_id);
}

}  // namespace
}  // namespace commons::output
