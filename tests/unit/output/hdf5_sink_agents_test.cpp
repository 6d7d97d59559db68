// SPDX-License-Identifier: Apache-2.0
// Per-agent rows handed to the file while runs go on (Hdf5Sink::consume_agents): the file they
// make equals the one made from whole results, in any shape of piece; what does not fit is
// refused; a failed run's rows read NaN again; agents sampled at an interval have their own
// step coordinate.
#include <commons/output/hdf5_sink.hpp>
#include <commons/output/layout.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>

#include "example_results.hpp"
#include "sink_testing.hpp"
#include "temporary_directory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace commons::output {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::example_plan;
using testing::example_result;
using testing::message_of;
using testing::test_provenance;

/// Recorded steps [first, first + count) of agents [first_agent, first_agent + agents) of a
/// whole result, as a run hands them on.
sim::AgentRows piece_of(const sim::RunResult& result, std::int64_t first, std::int64_t count,
                        std::int64_t first_agent, std::int64_t agents) {
  const auto width = static_cast<std::int64_t>(result.agent_ids.size());
  sim::AgentRows rows;
  rows.task = result.task;
  rows.first = first;
  rows.count = count;
  rows.first_agent = first_agent;
  rows.agents = agents;
  for (const sim::AgentData& data : result.agents) {
    std::vector<double>& values = rows.values.emplace_back();
    for (std::int64_t row = first; row < first + count; ++row)
      for (std::int64_t a = first_agent; a < first_agent + agents; ++a)
        values.push_back(data.values[static_cast<std::size_t>(row * width + a)]);
  }
  return rows;
}

/// `result` with its agents handed on already: what a streaming run's result holds.
sim::RunResult without_agents(sim::RunResult result) {
  result.agent_rows_streamed = static_cast<std::int64_t>(result.agents.front().values.size() / result.agent_ids.size());
  result.agents.clear();
  return result;
}

class Hdf5SinkAgentsTest : public testing::TemporaryDirectoryTest {};

TEST_F(Hdf5SinkAgentsTest, StreamedRows_MakeTheFileWholeResultsMake) {
  // 3 runs x 6 steps x 5 agents; pieces of two steps, one step split 2 + 3, and single values.
  const sim::PlanInfo plan = example_plan(3, 6, 5);
  testing::write_runs(file("whole.h5"), plan, testing::all_runs(plan));
  {
    Hdf5Sink sink(file("streamed.h5"), test_provenance, false);
    sink.begin(plan);
    ASSERT_TRUE(sink.streams_agents());
    const sim::RunResult run0 = example_result(plan, 0);
    for (std::int64_t step = 0; step < 6; step += 2) sink.consume_agents(piece_of(run0, step, 2, 0, 5));
    // Runs interleave as they do on several threads; run 2 is sent whole.
    const sim::RunResult run1 = example_result(plan, 1);
    for (std::int64_t step = 0; step < 6; ++step) {
      sink.consume_agents(piece_of(run1, step, 1, 0, 2));
      sink.consume_agents(piece_of(run1, step, 1, 2, 3));
    }
    sink.consume(without_agents(run1));
    sink.consume(without_agents(run0));
    sink.consume(example_result(plan, 2));
    sink.finish();
  }
  const ResultsFile whole = ResultsFile::open(file("whole.h5"));
  const ResultsFile streamed = ResultsFile::open(file("streamed.h5"));
  for (const char* name : {"effort", "harvest", "income"})
    EXPECT_EQ(streamed.read(layout::agents_group, name), whole.read(layout::agents_group, name)) << name;
  EXPECT_EQ(streamed.read(layout::series_group, "stock"), whole.read(layout::series_group, "stock"));
}

TEST_F(Hdf5SinkAgentsTest, Mistakes_RefusedWithWhatIsWrong) {
  const sim::PlanInfo plan = example_plan(2, 4, 3);
  Hdf5Sink sink(file("bad.h5"), test_provenance, false);
  EXPECT_THAT(message_of([&] { sink.consume_agents(piece_of(example_result(plan, 0), 0, 1, 0, 3)); }),
              HasSubstr("before begin()"));
  sink.begin(plan);
  const sim::RunResult run0 = example_result(plan, 0);
  sim::AgentRows past_the_steps = piece_of(run0, 2, 2, 0, 3);
  past_the_steps.first = 3;
  EXPECT_THAT(message_of([&] { sink.consume_agents(std::move(past_the_steps)); }), HasSubstr("do not fit its layout"));
  sim::AgentRows past_the_agents = piece_of(run0, 0, 1, 1, 2);
  past_the_agents.agents = 3;
  EXPECT_THAT(message_of([&] { sink.consume_agents(std::move(past_the_agents)); }), HasSubstr("do not fit its layout"));
  sim::AgentRows short_values = piece_of(run0, 0, 1, 0, 3);
  short_values.values[1].pop_back();
  EXPECT_THAT(message_of([&] { sink.consume_agents(std::move(short_values)); }), HasSubstr("agents/harvest has 2 values"));
  sim::AgentRows other_run = piece_of(run0, 0, 1, 0, 3);
  other_run.task.index = 2;
  EXPECT_THAT(message_of([&] { sink.consume_agents(std::move(other_run)); }), HasSubstr("run 2 is not in the plan"));
  // A result that does not account for every value streamed: a piece was lost on the way.
  sink.consume_agents(piece_of(run0, 0, 3, 0, 3));
  EXPECT_THAT(message_of([&] { sink.consume(without_agents(run0)); }),
              HasSubstr("run 0 recorded 12 per-agent values per variable but handed on 9"));
  sink.consume_agents(piece_of(run0, 3, 1, 0, 3));
  sink.consume(without_agents(run0));
  EXPECT_THAT(message_of([&] { sink.consume_agents(piece_of(run0, 0, 1, 0, 3)); }),
              HasSubstr("run 0 was already written"));
}

TEST_F(Hdf5SinkAgentsTest, FailedRun_RowsItStreamedReadNaN) {
  const sim::PlanInfo plan = example_plan(2, 4, 3);
  {
    Hdf5Sink sink(file("failed.h5"), test_provenance, false);
    sink.begin(plan);
    sink.consume_agents(piece_of(example_result(plan, 1), 0, 2, 0, 3));
    sink.fail(plan.tasks[1], "the resource collapsed into an exception");
    sink.consume(example_result(plan, 0));
    sink.finish();
    EXPECT_EQ(sink.outcome(), Hdf5Sink::Outcome::failed);
  }
  const ResultsFile results = ResultsFile::open(file("failed.h5"));
  const std::vector<double> income = results.read(layout::agents_group, "income");
  ASSERT_EQ(income.size(), 2u * 4u * 3u);
  for (std::size_t k = 12; k < 24; ++k) EXPECT_TRUE(std::isnan(income[k])) << k;
  EXPECT_FALSE(std::isnan(income[0]));
}

TEST_F(Hdf5SinkAgentsTest, AgentInterval_StepCoordinateListsTheRecordedSteps) {
  // Seven steps recorded every third: the ends of steps 2 and 5; the series keep all seven.
  sim::PlanInfo plan = example_plan(2, 7, 3);
  const sim::PlanInfo every_step = plan;
  for (sim::RunLayout& layout : plan.layouts) layout.agent_interval = 3;
  {
    Hdf5Sink sink(file("sparse.h5"), test_provenance, false);
    sink.begin(plan);
    for (const sim::RunTask& task : plan.tasks) {
      sim::RunResult result = example_result(plan, task.index);
      for (sim::AgentData& data : result.agents) data.values.resize(2 * 3);  // two recorded steps
      sink.consume_agents(piece_of(result, 0, 2, 0, 3));
      sink.consume(without_agents(result));
    }
    sink.finish();
    EXPECT_EQ(sink.outcome(), Hdf5Sink::Outcome::complete);
  }
  const ResultsFile results = ResultsFile::open(file("sparse.h5"));
  const StoredVariable income = results.variable(layout::agents_group, "income");
  EXPECT_THAT(income.dimensions, ElementsAre("run", "step", "agent"));
  EXPECT_THAT(income.shape, ElementsAre(2, 2, 3));
  EXPECT_EQ(results.read(layout::agents_group, "step"), (std::vector<double>{2, 5}));
  EXPECT_EQ(results.read(layout::series_group, "step").size(), 7u);
  // A plan recorded at another interval does not resume this one.
  EXPECT_NE(Hdf5Sink::plan_fingerprint(plan), Hdf5Sink::plan_fingerprint(every_step));
  // Past the recorded steps is refused.
  Hdf5Sink again(file("again.h5"), test_provenance, false);
  again.begin(plan);
  EXPECT_THAT(message_of([&] { again.consume_agents(piece_of(example_result(plan, 0), 2, 1, 0, 3)); }),
              HasSubstr("do not fit its layout"));
}

}  // namespace
}  // namespace commons::output
