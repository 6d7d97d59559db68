// SPDX-License-Identifier: Apache-2.0
#include <commons/output/hdf5_sink.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>

#include "example_results.hpp"
#include "temporary_directory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

namespace commons::output {
namespace {

using ::testing::ElementsAre;
using testing::example_plan;
using testing::example_result;
using testing::example_variant_plan;
using ::testing::HasSubstr;

const Provenance provenance{"1.2.3",     "abc123", "modified", "commons sweep fishery.yaml -o out.h5",
                           "test-host", 2,        "oneTBB 2021.8; Boost 1.74.0"};

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

/// Opens a file for reading as ResultsFile does, without HDF5's lock: HDF5 refuses to open a
/// file twice in one process with different locking settings.
hid_t open_readonly(const std::filesystem::path& path) {
  const hid_t access = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_file_locking(access, 0, 1);
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, access);
  H5Pclose(access);
  return id;
}

/// A variable-length string attribute of an open object.
std::string detail_string_attribute(hid_t object, const char* name) {
  const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  const hid_t type = H5Aget_type(attribute);
  char* value = nullptr;
  H5Aread(attribute, type, &value);
  std::string text = value != nullptr ? value : "";
  H5free_memory(value);
  H5Tclose(type);
  H5Aclose(attribute);
  return text;
}

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
  EXPECT_EQ(results.attribute("source_tree"), "modified");
  EXPECT_EQ(results.attribute("command_line"), "commons sweep fishery.yaml -o out.h5");
  EXPECT_EQ(results.attribute("host"), "test-host");
  EXPECT_EQ(results.attribute("libraries"), "HDF5 " + hdf5_version() + "; oneTBB 2021.8; Boost 1.74.0");
  EXPECT_EQ(results.status(), "complete");
  EXPECT_EQ(results.attribute("status"), "complete");
  EXPECT_THAT(results.errors(), ElementsAre("", "", ""));
  EXPECT_EQ(results.attribute("scenario_name"), "example_fishery");
  EXPECT_TRUE(is_utc_timestamp(results.attribute("creation_time"))) << results.attribute("creation_time");
  EXPECT_EQ(results.scenario_text(), plan.scenario_text);
  EXPECT_THROW((void)results.attribute("nonexistent"), OutputError);

  EXPECT_EQ(results.run_count(), 3);
  EXPECT_EQ(results.step_count(), 6);
  EXPECT_EQ(results.agent_count(), 2);
  EXPECT_THAT(results.completed(), ElementsAre(true, true, true));
  EXPECT_THAT(results.agent_ids(), ElementsAre(3u, 7u));
  // The root tracks no creation order (see hdf5_sink.cpp): groups list by name.
  EXPECT_THAT(results.groups(), ElementsAre("agents", "design", "inputs", "references", "runs", "series", "summary"));

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
  EXPECT_EQ(results.attribute_of("runs", "fleet.initial_effort", "parameter_path"), "fleet/initial_effort");
  EXPECT_EQ(results.attribute_of("runs", "fleet.initial_effort", "role"), "parameter");
  EXPECT_THAT(results.read_integers("runs", "design_point"), ElementsAre(0, 1, 2));
  const StoredVariable completed = results.variable("runs", "completed");
  EXPECT_EQ(completed.long_name, "run written completely (0 while missing or failed)");
  std::vector<std::string> runs_names;
  for (const StoredVariable& v : results.variables("runs")) runs_names.push_back(v.name);
  EXPECT_THAT(runs_names, ElementsAre("replicate", "seed", "seed_text", "completed", "error", "design_point",
                                      "fleet.initial_effort"));

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
  sim::PlanInfo plan = example_plan(2, 3, 5);
  plan.layouts[0].max_degree = 4;  // five agents
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
  // Every run was attempted as far as finish() knows, and two never arrived: a failed file.
  EXPECT_EQ(results.status(), "failed");
  EXPECT_THAT(results.errors(), ElementsAre("the run was never started", "", "the run was never started"));
  EXPECT_EQ(results.agent_count(), 0);
  EXPECT_TRUE(results.agent_ids().empty());
  EXPECT_THAT(results.groups(), ElementsAre("design", "inputs", "references", "runs", "series", "summary"));
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
                  ": exists, left by an interrupted run; continue it with commons sweep --resume (a sweep), delete it, or use --force to start over");
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

// A crash after sync() must not lose a run: sync() makes the rows durable, then flags them.
TEST_F(Hdf5SinkTest, ProcessDiesAfterSync_SyncedRunsReadable) {
  const sim::PlanInfo plan = example_plan(3, 4, 2);
  const std::filesystem::path path = file("results.h5");
  EXPECT_EXIT(
      {
        auto* sink = new Hdf5Sink(path, provenance, false);  // never destroyed: a crash
        sink->begin(plan);
        sink->consume(example_result(plan, 1));
        sink->consume(example_result(plan, 0));
        sink->sync();
        std::_Exit(7);
      },
      ::testing::ExitedWithCode(7), "");
  const ResultsFile results = ResultsFile::open(file("results.h5.partial"));
  EXPECT_EQ(results.status(), "partial");
  EXPECT_THAT(results.completed(), ElementsAre(true, true, false));
  const std::vector<double> income = results.read("agents", "income");
  const std::vector<double> expected = example_result(plan, 1).agents[2].values;
  expect_same(std::vector<double>(income.begin() + 8, income.begin() + 16), expected, "income of run 1");
}

// Rows consumed but not yet synced carry no flag: a crash then loses the run, and never
// leaves a flag vouching for rows that may not be on disk.
TEST_F(Hdf5SinkTest, ProcessDiesBeforeSync_RunsNotFlagged) {
  const sim::PlanInfo plan = example_plan(2, 4, 0);
  const std::filesystem::path path = file("results.h5");
  EXPECT_EXIT(
      {
        auto* sink = new Hdf5Sink(path, provenance, false);
        sink->begin(plan);
        sink->consume(example_result(plan, 0));
        std::_Exit(7);
      },
      ::testing::ExitedWithCode(7), "");
  EXPECT_THAT(ResultsFile::open(file("results.h5.partial")).completed(), ElementsAre(false, false));
}

/// Ends the process the moment laying out a file reports progress: kill -9 inside begin().
class DieWhileLayingOut final : public sim::ProgressObserver {
 public:
  void on_progress(std::int64_t, std::int64_t) override {}
  void on_activity(std::string_view, double) override { std::_Exit(7); }
};

// The structure is laid out in a file without a name: a crash before it has one leaves
// nothing, and the name never holds a file whose structure is incomplete.
TEST_F(Hdf5SinkTest, ProcessDiesWhileLayingOut_LeavesNoFile) {
  sim::PlanInfo plan = example_plan(2, 100, 0);
  // 2 runs x 100 steps x 50000 agents x 8 bytes: large enough to be laid out in pieces.
  plan.layouts[0].agent_variables = {{"effort", "effort_unit", "agent's effort"}};
  for (std::uint64_t id = 0; id < 50000; ++id) plan.layouts[0].agent_ids.push_back(id);
  const std::filesystem::path path = file("results.h5");
  EXPECT_EXIT(
      {
        static DieWhileLayingOut observer;
        auto* sink = new Hdf5Sink(path, provenance, false);
        sink->watch(sim::RunControl(nullptr, &observer));
        sink->begin(plan);
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(7), "");
  EXPECT_TRUE(std::filesystem::is_empty(file("")));
}

TEST_F(Hdf5SinkTest, BeginRefused_LeavesNoFile) {
  sim::PlanInfo plan = example_plan(2, 4, 0);
  plan.layouts[0].summary.push_back({"run", "1", "a name begin() refuses"});
  EXPECT_THROW(Hdf5Sink(file("results.h5"), provenance, false).begin(plan), OutputError);
  EXPECT_TRUE(std::filesystem::is_empty(file("")));
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
  expect_error(
      [&] {
        sim::PlanInfo plan = example_plan(2, 3, 0);
        plan.layouts.clear();
        Hdf5Sink(path, provenance, false).begin(plan);
      },
      "the plan describes no layout");
  expect_error(
      [&] {
        sim::PlanInfo plan = example_plan(2, 3, 0);
        plan.layouts[0].series.push_back({"run", "1", "a coordinate's name"});
        Hdf5Sink(path, provenance, false).begin(plan);
      },
      "variable name 'run' in series/ is reserved for a coordinate or run attribute");
  expect_error(
      [&] {
        sim::PlanInfo plan = example_plan(2, 3, 0);
        plan.layouts[0].summary.push_back({"final_stock", "t", "twice"});
        Hdf5Sink(path, provenance, false).begin(plan);
      },
      "variable 'final_stock' appears twice in summary/");
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
        result.series.push_back({{"gini", "1", "not in the layout"}, {0.1, 0.2, 0.3}});
        sink.consume(std::move(result));
      },
      "run 1 records other series variables than its variant's layout declared in begin()");
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

TEST_F(Hdf5SinkTest, TwoVariablesWithOneDatasetName_RejectedAtBegin) {
  sim::PlanInfo plan = example_variant_plan(2, 1, 3, 0);
  plan.layouts[0].summary.push_back({"per/step", "1", "slashed"});
  plan.layouts[1].summary.push_back({"per.step", "1", "dotted"});
  const std::filesystem::path path = file("results.h5");
  try {
    Hdf5Sink(path, provenance, false).begin(plan);
    FAIL() << "no exception";
  } catch (const OutputError& error) {
    EXPECT_EQ(std::string(error.what()),
              path.string() + ": variable 'per.step' would share dataset summary/per.step with 'per/step'");
  }
  EXPECT_TRUE(std::filesystem::is_empty(file("")));
}

TEST_F(Hdf5SinkTest, FailedRuns_FinalFileSaysFailedAndWhy) {
  const sim::PlanInfo plan = example_plan(3, 4, 0);
  const std::filesystem::path path = file("results.h5");
  Hdf5Sink sink(path, provenance, false);
  sink.begin(plan);
  sink.consume(example_result(plan, 0));
  sink.fail(plan.tasks[1], "std::bad_alloc");
  sink.consume(example_result(plan, 2));
  sink.finish();
  EXPECT_EQ(sink.outcome(), Hdf5Sink::Outcome::failed);
  EXPECT_FALSE(std::filesystem::exists(sink.partial_path()));
  const ResultsFile results = ResultsFile::open(path);
  EXPECT_EQ(results.status(), "failed");
  EXPECT_THAT(results.completed(), ElementsAre(true, false, true));
  EXPECT_THAT(results.errors(), ElementsAre("", "std::bad_alloc", ""));
  expect_same(results.read("summary", "final_stock"),
              {example_result(plan, 0).summary[0].value, std::nan(""), example_result(plan, 2).summary[0].value},
              "summary/final_stock");
}

TEST_F(Hdf5SinkTest, NoRunCompleted_NothingWrittenAndTheOldFileKept) {
  const sim::PlanInfo plan = example_plan(2, 4, 0);
  const std::filesystem::path path = file("results.h5");
  std::ofstream(path) << "precious";
  Hdf5Sink sink(path, provenance, true);
  sink.begin(plan);
  sink.fail(plan.tasks[0], "std::bad_alloc");
  sink.fail(plan.tasks[1], "std::bad_alloc");
  sink.finish();
  EXPECT_EQ(sink.outcome(), Hdf5Sink::Outcome::empty);
  EXPECT_FALSE(std::filesystem::exists(sink.partial_path()));
  std::ifstream in(path);
  std::string text;
  in >> text;
  EXPECT_EQ(text, "precious");
}

TEST_F(Hdf5SinkTest, InterruptedBeforeAnyRun_LeavesNoPartialFile) {
  const sim::PlanInfo plan = example_plan(2, 4, 0);
  const std::filesystem::path path = file("results.h5");
  {
    Hdf5Sink sink(path, provenance, false);
    sink.begin(plan);
    EXPECT_TRUE(std::filesystem::exists(sink.partial_path()));
  }
  EXPECT_TRUE(std::filesystem::is_empty(file("")));
}

TEST_F(Hdf5SinkTest, PartialWhileWriting_StatusPartialAndReadable) {
  const sim::PlanInfo plan = example_plan(2, 4, 0);
  const std::filesystem::path path = file("results.h5");
  Hdf5Sink sink(path, provenance, false);
  sink.begin(plan);
  sink.consume(example_result(plan, 1));
  sink.sync();
  // Readable while the run still writes it: the structure does not change under the reader.
  const ResultsFile during = ResultsFile::open(sink.partial_path());
  EXPECT_EQ(during.status(), "partial");
  EXPECT_THAT(during.completed(), ElementsAre(false, true));
  EXPECT_EQ(sink.committed_runs(), 1);
}

TEST_F(Hdf5SinkTest, StalePartialFile_CountedInTheRefusalAndReplacedWithOverwrite) {
  const sim::PlanInfo plan = example_plan(3, 4, 0);
  const std::filesystem::path path = file("results.h5");
  {
    Hdf5Sink interrupted(path, provenance, false);
    interrupted.begin(plan);
    interrupted.consume(example_result(plan, 2));
  }
  try {
    Hdf5Sink sink(path, provenance, false);
    FAIL() << "no exception";
  } catch (const OutputError& error) {
    EXPECT_EQ(std::string(error.what()), file("results.h5.partial").string() +
                                             ": exists, left by an interrupted run, with 1 of 3 runs complete; continue "
                                             "it with commons sweep --resume (a sweep), delete it, or use --force to "
                                             "start over");
  }
  write(path, plan, {0, 1, 2}, /*overwrite=*/true);
  EXPECT_EQ(ResultsFile::open(path).status(), "complete");
  EXPECT_FALSE(std::filesystem::exists(file("results.h5.partial")));
}

// flock() locks belong to an open file, so two sinks in one process contend as two processes do.
TEST_F(Hdf5SinkTest, SecondWriter_RefusedWhileTheFirstWrites) {
  const sim::PlanInfo plan = example_plan(2, 4, 0);
  const std::filesystem::path path = file("results.h5");
  Hdf5Sink first(path, provenance, true);
  first.begin(plan);
  const std::string busy = path.string() +
                           ": another commons process is writing it (results.h5.partial is locked); wait for it to "
                           "finish or choose another output file";
  try {
    Hdf5Sink second(path, provenance, true);
    FAIL() << "no exception";
  } catch (const OutputError& error) {
    EXPECT_EQ(std::string(error.what()), busy);
  }
  first.consume(example_result(plan, 0));
  first.consume(example_result(plan, 1));
  first.finish();
  EXPECT_EQ(ResultsFile::open(path).status(), "complete");
}

// Two writers that both passed the first check: the one that lays out its file second finds
// the name taken and leaves nothing behind, truncating nothing.
TEST_F(Hdf5SinkTest, SecondWriter_RefusedWhenItComesToTakeTheName) {
  const sim::PlanInfo plan = example_plan(2, 4, 0);
  const std::filesystem::path path = file("results.h5");
  Hdf5Sink first(path, provenance, true);
  Hdf5Sink second(path, provenance, true);
  first.begin(plan);
  first.consume(example_result(plan, 0));
  first.sync();
  EXPECT_THROW(second.begin(plan), OutputError);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(file(""))) ++files;
  EXPECT_EQ(files, 1u);
  EXPECT_THAT(ResultsFile::open(first.partial_path()).completed(), ElementsAre(true, false));
  first.consume(example_result(plan, 1));
  first.finish();
  EXPECT_THAT(ResultsFile::open(path).completed(), ElementsAre(true, true));
}

TEST_F(Hdf5SinkTest, DestinationsThatAreNotRegularFiles_RefusedEvenWithOverwrite) {
  std::filesystem::create_directory(file("folder"));
  ASSERT_EQ(::mkfifo(file("pipe").c_str(), 0600), 0);
  std::ofstream(file("scenario.yaml")) << "name: x\n";
  std::filesystem::create_symlink(file("scenario.yaml"), file("link.h5"));
  std::filesystem::create_hard_link(file("scenario.yaml"), file("hard.h5"));
  const std::vector<std::filesystem::path> inputs{file("scenario.yaml")};
  const auto refusal = [&](const std::filesystem::path& path) -> std::string {
    try {
      Hdf5Sink sink(path, provenance, true, inputs);
      sink.begin(example_plan(1, 2, 0));
    } catch (const OutputError& error) {
      return error.what();
    }
    return "no exception";
  };
  EXPECT_EQ(refusal("/dev/null"), "/dev/null: is a character device; results are written only to a regular file or a new path");
  EXPECT_EQ(refusal(file("folder")),
            file("folder").string() + ": is a directory; results are written only to a regular file or a new path");
  EXPECT_EQ(refusal(file("folder/")), file("folder/").string() + ": names a directory, not a file");
  EXPECT_EQ(refusal(file("pipe")),
            file("pipe").string() + ": is a FIFO (named pipe); results are written only to a regular file or a new path");
  EXPECT_EQ(refusal(file("link.h5")),
            file("link.h5").string() + ": is a symbolic link; results are written only to a regular file or a new path");
  EXPECT_EQ(refusal(file("scenario.yaml")),
            file("scenario.yaml").string() + ": is an input of this run (" + file("scenario.yaml").string() +
                "): the scenario or a file it names; results never replace an input");
  EXPECT_THAT(refusal(file("hard.h5")), HasSubstr("is an input of this run"));
  EXPECT_THAT(refusal(file(std::string(300, 'x') + ".h5")), HasSubstr("file name is too long"));
  // Nothing was created or changed.
  std::ifstream in(file("scenario.yaml"));
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "name: x");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(file(""))) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, ElementsAre("folder", "hard.h5", "link.h5", "pipe", "scenario.yaml"));
}

TEST_F(Hdf5SinkTest, OddButRegularPaths_Written) {
  for (const std::string name : {"with space.h5", "ünïcödé.h5", "-dash.h5", "no_extension", ".hidden.h5"}) {
    const std::filesystem::path path = file(name);
    write(path, example_plan(1, 2, 0), {0});
    EXPECT_EQ(ResultsFile::open(path).status(), "complete") << name;
  }
}

TEST_F(Hdf5SinkTest, AttachedFiles_EmbeddedWithTheirHash) {
  sim::PlanInfo plan = example_plan(1, 2, 0);
  plan.attachments.push_back({"/agents/0/behaviour/decisions", "data/decisions.csv", "/somewhere/decisions.csv",
                              "step,agent,effort\n0,0,abc\n"});
  plan.attachments.push_back({"/network/file", "edges.csv", "/somewhere/edges.csv", "abc"});
  const std::filesystem::path path = file("results.h5");
  write(path, plan, {0});
  const ResultsFile results = ResultsFile::open(path);
  EXPECT_THAT(results.read_strings("inputs", "agents.0.behaviour.decisions"),
              ElementsAre("step,agent,effort\n0,0,abc\n"));
  EXPECT_THAT(results.read_strings("inputs", "network.file"), ElementsAre("abc"));
  const hid_t file_id = open_readonly(path.c_str());
  const hid_t dataset = H5Dopen2(file_id, "inputs/network.file", H5P_DEFAULT);
  // SHA-256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(detail_string_attribute(dataset, "sha256"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(detail_string_attribute(dataset, "path"), "edges.csv");
  EXPECT_EQ(detail_string_attribute(dataset, "scenario_pointer"), "/network/file");
  H5Dclose(dataset);
  H5Fclose(file_id);
}

/// Byte ranges [offset, offset + size) of the raw data of every contiguous dataset in a file.
std::vector<std::pair<haddr_t, hsize_t>> raw_data_extents(const std::filesystem::path& path) {
  std::vector<std::pair<haddr_t, hsize_t>> extents;
  const ResultsFile results = ResultsFile::open(path);
  const hid_t file_id = open_readonly(path.c_str());
  for (const std::string& group : results.groups()) {
    std::vector<std::string> names{"run", "step", "agent", "degree"};
    for (const StoredVariable& variable : results.variables(group)) names.push_back(variable.name);
    for (const std::string& name : names) {
      const std::string object = group + "/" + name;
      if (!results.contains(group, name)) continue;
      const hid_t dataset = H5Dopen2(file_id, object.c_str(), H5P_DEFAULT);
      const haddr_t offset = H5Dget_offset(dataset);
      if (offset != HADDR_UNDEF) extents.emplace_back(offset, H5Dget_storage_size(dataset));
      H5Dclose(dataset);
    }
  }
  H5Fclose(file_id);
  return extents;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The promise that makes kill -9 harmless: once FILE.partial has its name, writing runs
// changes only bytes inside datasets' raw data, at addresses fixed in begin(), and finishing
// changes only the status attribute's bytes. No metadata is rewritten that a crash could tear.
TEST_F(Hdf5SinkTest, AfterBegin_OnlyRawDataAndTheStatusChange) {
  const sim::PlanInfo plan = example_variant_plan(2, 2, 6, 3);
  const std::filesystem::path path = file("results.h5");
  Hdf5Sink sink(path, provenance, false);
  sink.begin(plan);
  const std::string laid_out = read_bytes(sink.partial_path());
  for (int run : {3, 0, 2, 1}) {
    sink.consume(example_result(plan, run));
    sink.sync();
  }
  const std::string written = read_bytes(sink.partial_path());
  ASSERT_EQ(written.size(), laid_out.size()) << "the file grew after begin()";
  const std::vector<std::pair<haddr_t, hsize_t>> extents = raw_data_extents(sink.partial_path());
  const auto in_raw_data = [&](std::size_t byte) {
    return std::any_of(extents.begin(), extents.end(),
                       [&](const auto& extent) { return byte >= extent.first && byte < extent.first + extent.second; });
  };
  std::size_t changed = 0;
  for (std::size_t i = 0; i < written.size(); ++i) {
    if (written[i] == laid_out[i]) continue;
    ++changed;
    EXPECT_TRUE(in_raw_data(i)) << "byte " << i << " outside every dataset's raw data changed";
  }
  EXPECT_GT(changed, 100u);
  sink.finish();
  const std::string finished = read_bytes(path);
  ASSERT_EQ(finished.size(), written.size());
  std::vector<std::size_t> differ;
  for (std::size_t i = 0; i < finished.size(); ++i)
    if (finished[i] != written[i]) differ.push_back(i);
  // "partial" -> "complete": the eight bytes of the status attribute in the root object header
  // (version 1, without a checksum), and the superblock's consistency flags (bytes 20-23 of a
  // version 0 superblock), where HDF5 marks a file open for writing and which readers of such
  // a superblock do not consult.
  ASSERT_FALSE(differ.empty());
  const std::size_t status = finished.find("complete");
  ASSERT_NE(status, std::string::npos);
  EXPECT_EQ(written.substr(status, 8), std::string("partial\0", 8));
  EXPECT_EQ(finished.substr(0, 8), "\x89HDF\r\n\x1a\n");
  EXPECT_EQ(finished[8], 0) << "superblock version";
  for (std::size_t byte : differ)
    EXPECT_TRUE((byte >= status && byte < status + 8) || (byte >= 20 && byte < 24)) << "byte " << byte << " changed";
}

TEST_F(Hdf5SinkTest, TooBigForTheFileSystem_RefusedBeforeAnyFileExists) {
  // /dev/shm or the temporary directory is never 1 EB.
  sim::PlanInfo plan = example_plan(1, 2, 0);
  plan.steps = std::int64_t{1} << 57;
  plan.layouts[0].series.resize(1);
  try {
    Hdf5Sink(file("huge.h5"), provenance, false).begin(plan);
    FAIL() << "no exception";
  } catch (const OutputError& error) {
    EXPECT_THAT(error.what(), HasSubstr("the results need about "));
    EXPECT_THAT(error.what(), HasSubstr(" MB are free on the file system of "));
  }
  EXPECT_TRUE(std::filesystem::is_empty(file("")));
}

std::vector<std::vector<unsigned char>> stored_bytes(const std::filesystem::path& path, const std::string& object);

/// Writes the runs of a comparison in `order`.
void write_comparison(const std::filesystem::path& path, const sim::PlanInfo& plan, const std::vector<int>& order) {
  Hdf5Sink sink(path, provenance, false);
  sink.begin(plan);
  for (int run : order) sink.consume(example_result(plan, run));
  sink.finish();
}

/// An attribute of `object` read as int64 values, with its stored type class and size.
std::vector<std::int64_t> int_attribute(const std::filesystem::path& path, const char* object, const char* name,
                                        std::size_t* stored_size) {
  const hid_t file_id = open_readonly(path.c_str());
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
  write_comparison(path, plan, {5, 3, 1, 4, 0, 2});

  const ResultsFile results = ResultsFile::open(path);
  EXPECT_THAT(results.completed(), ElementsAre(true, true, true, true, true, true));
  EXPECT_THAT(results.read_integers("runs", "variant"), ElementsAre(0, 0, 1, 1, 2, 2));
  EXPECT_THAT(results.read_strings("runs", "variant_name"),
              ElementsAre("open_access", "open_access", "state_tac", "state_tac", "itq", "itq"));
  EXPECT_THAT(results.read_integers("runs", "replicate"), ElementsAre(0, 1, 0, 1, 0, 1));
  std::vector<std::string> runs_names;
  for (const StoredVariable& v : results.variables("runs")) runs_names.push_back(v.name);
  EXPECT_THAT(runs_names,
              ElementsAre("replicate", "seed", "seed_text", "completed", "error", "variant", "variant_name"));

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
  const hid_t file_id = open_readonly(path.c_str());
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
  // follows the variants' layouts, in variant order, whatever order the runs came in.
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
  reserved.sweep->factors[0].path = "variant_name";
  EXPECT_THAT(begin_error(reserved), HasSubstr("variable name 'variant_name' in runs/ is reserved"));
  EXPECT_FALSE(std::filesystem::exists(file("results.h5.partial")));
}

TEST_F(Hdf5SinkTest, Comparison_ByteIdenticalWhateverTheOrder) {
  const sim::PlanInfo plan = example_variant_plan(3, 3, 5, 2);
  write_comparison(file("a.h5"), plan, {0, 1, 2, 3, 4, 5, 6, 7, 8});
  write_comparison(file("b.h5"), plan, {8, 5, 2, 7, 4, 1, 3, 6, 0});
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
  EXPECT_GE(compared, 7u + 5u + 12u);  // every series, summary and reference dataset
  EXPECT_EQ(a.read_strings("runs", "variant_name"), b.read_strings("runs", "variant_name"));
}

/// Run `run` of a comparison with degree counts on even runs and, for run 5, an early end.
sim::RunResult batch_result(const sim::PlanInfo& plan, int run) {
  sim::RunResult result = example_result(plan, run);
  if (run % 2 == 0) result.degree_counts = {static_cast<std::size_t>(run), 1, 2};
  if (run == 5) {
    for (sim::SeriesData& series : result.series) series.values.resize(3);
    result.steps = 3;
  }
  return result;
}

/// Writes `order` of `plan` (batch_result's runs), committing after the positions in `sync_after`.
void write_in_batches(const std::filesystem::path& path, const sim::PlanInfo& plan, const std::vector<int>& order,
                      const std::vector<std::size_t>& sync_after) {
  Hdf5Sink sink(path, provenance, false);
  sink.begin(plan);
  for (std::size_t i = 0; i < order.size(); ++i) {
    sink.consume(batch_result(plan, order[i]));
    if (std::find(sync_after.begin(), sync_after.end(), i) != sync_after.end()) sink.sync();
  }
  sink.finish();
}

// The writer stages the small rows of the runs consumed since the last commit and writes each
// stretch of consecutive runs at once. Whatever the batches, the file holds what committing
// every run alone (a write per run and dataset) stores: runs out of order, gaps between
// stretches, variants that record different columns, a run that ended early, degree counts.
TEST_F(Hdf5SinkTest, BatchedCommits_StoreWhatCommittingEachRunAloneStores) {
  sim::PlanInfo plan = example_variant_plan(3, 4, 5, 2);
  for (sim::RunLayout& layout : plan.layouts) layout.max_degree = 3;
  const std::vector<int> in_order{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  std::vector<std::size_t> every_run(in_order.size());
  for (std::size_t i = 0; i < every_run.size(); ++i) every_run[i] = i;
  write_in_batches(file("alone.h5"), plan, in_order, every_run);
  write_in_batches(file("batched.h5"), plan, {7, 3, 4, 5, 11, 0, 1, 2, 10, 9, 6, 8}, {3, 8});

  const ResultsFile alone = ResultsFile::open(file("alone.h5"));
  const ResultsFile batched = ResultsFile::open(file("batched.h5"));
  EXPECT_EQ(batched.completed(), std::vector<bool>(12, true));
  std::size_t compared = 0;
  for (const std::string& group : alone.groups())
    for (const StoredVariable& variable : alone.variables(group)) {
      if (!variable.numeric) continue;
      const std::string object = group + "/" + variable.name;
      const auto bytes = stored_bytes(file("alone.h5"), object);
      EXPECT_EQ(stored_bytes(file("batched.h5"), object), bytes) << object;
      compared += bytes.size();
    }
  EXPECT_GE(compared, 7u + 5u + 12u + 1u);  // every series, summary and reference, and the degrees
  // And what both hold is each run's values.
  const std::vector<double> stock = batched.read("series", "stock");
  for (int run : in_order) {
    std::vector<double> expected = batch_result(plan, run).series[0].values;
    expected.resize(5, std::numeric_limits<double>::quiet_NaN());
    expect_same(std::vector<double>(stock.begin() + run * 5, stock.begin() + (run + 1) * 5), expected,
                "stock of run " + std::to_string(run));
  }
  const std::vector<double> degrees = batched.read("network", "degree_count");
  expect_same({degrees.begin() + 4 * 4, degrees.begin() + 5 * 4}, {4, 1, 2, 0}, "degrees of run 4");
  expect_same({degrees.begin() + 5 * 4, degrees.begin() + 6 * 4}, std::vector<double>(4, std::nan("")),
              "degrees of run 5");
}

TEST_F(Hdf5SinkTest, ReservedOrSlashedNames_HandledClearly) {
  const std::filesystem::path path = file("results.h5");
  sim::PlanInfo plan = example_plan(1, 2, 0);
  plan.sweep->factors[0].path = "/resource/growth_rate";
  plan.tasks[0].factors = {0.5};
  sim::RunResult result = example_result(plan, 0);
  result.summary.push_back({{"per/step", "1", "slashed"}, 2.5});
  plan.layouts[0].summary.push_back({"per/step", "1", "slashed"});
  Hdf5Sink sink(path, provenance, false);
  sink.begin(plan);
  sink.consume(std::move(result));
  sink.finish();
  const ResultsFile results = ResultsFile::open(path);
  EXPECT_THAT(results.read("runs", "resource.growth_rate"), ElementsAre(0.5));
  EXPECT_THAT(results.read("summary", "per.step"), ElementsAre(2.5));

  sim::PlanInfo bad = example_plan(1, 2, 0);
  bad.sweep->factors[0].path = "seed";
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
  const hid_t file = open_readonly(path.c_str());
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
  EXPECT_GE(compared, 4u + 3u);  // at least the series and agent datasets
  for (const char* object : {"/", "/series", "/runs/run"}) {
    H5O_info_t info{};
    const hid_t file_id = open_readonly(file("a.h5").c_str());
    H5Oget_info_by_name2(file_id, object, &info, H5O_INFO_TIME, H5P_DEFAULT);
    EXPECT_EQ(info.ctime, 0) << object;
    H5Fclose(file_id);
  }
}

// Contiguous and allocated in begin(): runs write raw bytes at fixed addresses, and a row not
// yet written reads as the fill value NaN.
TEST_F(Hdf5SinkTest, SeriesAndAgents_ContiguousAndAllocatedAtBegin) {
  const sim::PlanInfo plan = example_plan(2, 5, 3);
  write(file("results.h5"), plan, {0, 1});
  const hid_t file_id = open_readonly(file("results.h5").c_str());
  for (const auto& [object, values] : {std::pair{"series/stock", 2u * 5u}, std::pair{"agents/income", 2u * 5u * 3u}}) {
    const hid_t dataset = H5Dopen2(file_id, object, H5P_DEFAULT);
    const hid_t plist = H5Dget_create_plist(dataset);
    EXPECT_EQ(H5Pget_layout(plist), H5D_CONTIGUOUS) << object;
    H5D_alloc_time_t allocation{};
    H5Pget_alloc_time(plist, &allocation);
    EXPECT_EQ(allocation, H5D_ALLOC_TIME_EARLY) << object;
    EXPECT_EQ(H5Pget_nfilters(plist), 0) << object;
    EXPECT_EQ(H5Dget_storage_size(dataset), values * sizeof(double)) << object;
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
