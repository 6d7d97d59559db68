// SPDX-License-Identifier: Apache-2.0
#include "toy_world.hpp"

#include <commons/sim/run.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace commons::sim {
namespace {

TEST(Run, Step_VisitsRulePhasesInDesignOrder) {
  std::vector<std::string> log;
  const Registry registry = toy::registry(&log);
  ScenarioSpec spec = toy::scenario(4, 1, 1);
  spec.governance.regime = "logged";
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  run.step();
  EXPECT_EQ(log, (std::vector<std::string>{"announce", "communicate", "decide", "comply", "harvest", "monitor",
                                           "sanction", "trade", "settle", "learn", "choose", "grow", "record"}));
}

TEST(Run, AgentIds_AreStableAndContiguousAcrossGroups) {
  const Registry registry = toy::registry();
  const ScenarioSpec spec = toy::scenario(5, 1, 1);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  EXPECT_EQ(run.agents().id, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(run.agents().group, (std::vector<std::uint32_t>{0, 0, 1, 1, 1}));
}

TEST(Run, Settle_IncomeIsPriceTimesHarvestMinusCostTimesEffort) {
  const Registry registry = toy::registry();
  const ScenarioSpec spec = toy::scenario(6, 3, 1);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) {
    run.step();
    const AgentTable& agents = run.agents();
    for (std::size_t i = 0; i < agents.size(); ++i)
      EXPECT_DOUBLE_EQ(agents.income[i], 2.0 * agents.harvest[i] - agents.cost_per_effort[i] * agents.effort[i]);
  }
  const RunResult result = run.take_result();
  ASSERT_EQ(result.series.size(), 6u);
  EXPECT_EQ(result.series[0].info.name, "stock");
  const auto& rent = result.series[3];
  EXPECT_EQ(rent.info.name, "rent");
  EXPECT_EQ(rent.values.size(), 3u);
  // Agent data are [step, agent]: the last step's incomes sum to the last rent.
  const auto& income = result.agents[2].values;
  EXPECT_NEAR(std::accumulate(income.end() - 6, income.end(), 0.0), rent.values.back(), 1e-12);
}

TEST(Run, OutputSelection_KeepsOnlyNamedSeriesInCanonicalOrder) {
  const Registry registry = toy::registry();
  ScenarioSpec spec = toy::scenario(4, 2, 1);
  spec.output.series = {"rent", "stock"};
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  const RunResult result = run.take_result();
  ASSERT_EQ(result.series.size(), 2u);
  EXPECT_EQ(result.series[0].info.name, "stock");
  EXPECT_EQ(result.series[1].info.name, "rent");
}

RunResult run_to_end(const ScenarioSpec& spec, const Registry& registry) {
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  return run.take_result();
}

// A stride records a systematic sample of the agents: exactly the values of every stride-th
// agent of a run that records them all, under those agents' ids, as the layout announces; and
// nothing else of the run changes.
TEST(Run, AgentStride_RecordsEveryStrideThAgentOfTheFullRecord) {
  const Registry registry = toy::registry();
  ScenarioSpec spec = toy::scenario(7, 3, 1);
  const RunResult all = run_to_end(spec, registry);
  spec.output.agent_stride = 3;
  const RunResult sampled = run_to_end(spec, registry);
  EXPECT_EQ(sampled.agent_ids, (std::vector<std::uint64_t>{0, 3, 6}));
  EXPECT_EQ(describe_run(spec, registry).agent_ids, sampled.agent_ids);
  ASSERT_EQ(sampled.agents.size(), all.agents.size());
  for (std::size_t v = 0; v < all.agents.size(); ++v) {
    ASSERT_EQ(sampled.agents[v].values.size(), 3u * 3u) << all.agents[v].info.name;
    for (std::size_t step = 0; step < 3; ++step)
      for (std::size_t k = 0; k < 3; ++k)
        EXPECT_EQ(sampled.agents[v].values[step * 3 + k], all.agents[v].values[step * 7 + 3 * k])
            << all.agents[v].info.name << " step " << step << " agent " << 3 * k;
  }
  ASSERT_EQ(sampled.series.size(), all.series.size());
  for (std::size_t i = 0; i < all.series.size(); ++i) EXPECT_EQ(sampled.series[i].values, all.series[i].values);
}

// Rows handed on as they are recorded, reassembled [recorded step, agent] per variable.
struct StreamedAgents {
  std::vector<std::vector<double>> values;
  std::vector<AgentRows> pieces;
};

StreamedAgents stream_to_end(const ScenarioSpec& spec, const Registry& registry, std::size_t piece_bytes) {
  sim::Run run(spec, registry, RunTask{4, 0, spec.seed, {}});
  StreamedAgents streamed;
  run.stream_agent_rows([&](AgentRows&& rows) { streamed.pieces.push_back(std::move(rows)); }, piece_bytes);
  while (!run.done()) run.step();
  const RunResult result = run.take_result();
  EXPECT_TRUE(result.agents.empty());
  const std::size_t width = result.agent_ids.size();
  const auto rows = static_cast<std::size_t>(result.agent_rows_streamed);
  streamed.values.assign(3, std::vector<double>(rows * width, std::nan("")));
  for (const AgentRows& piece : streamed.pieces) {
    EXPECT_EQ(piece.task.index, 4);
    EXPECT_LE(piece.values[0].size() * sizeof(double), std::max(piece_bytes, sizeof(double) * width));
    for (std::size_t v = 0; v < piece.values.size(); ++v)
      for (std::int64_t row = 0; row < piece.count; ++row)
        for (std::int64_t a = 0; a < piece.agents; ++a)
          streamed.values[v][static_cast<std::size_t>(piece.first + row) * width + static_cast<std::size_t>(piece.first_agent + a)] =
              piece.values[v][static_cast<std::size_t>(row * piece.agents + a)];
  }
  return streamed;
}

// Streamed per-agent rows are the held ones, bit for bit, whether a piece gathers several
// steps or splits one step along the agents; and every value arrives exactly once.
TEST(Run, StreamedAgentRows_EqualTheHeldRecordInEveryPieceShape) {
  const Registry registry = toy::registry();
  ScenarioSpec spec = toy::scenario(17, 9, 1);
  spec.output.agent_stride = 2;  // 9 agents recorded
  const RunResult held = run_to_end(spec, registry);
  ASSERT_EQ(held.agent_ids.size(), 9u);
  // 4 values a piece splits each step in three; 40 gathers four steps; 1 a value at a time.
  for (const std::size_t piece_bytes : {std::size_t{32}, std::size_t{320}, std::size_t{8}, agent_piece_bytes}) {
    const StreamedAgents streamed = stream_to_end(spec, registry, piece_bytes);
    std::size_t received = 0;
    for (const AgentRows& piece : streamed.pieces) received += piece.values[0].size();
    EXPECT_EQ(received, 9u * 9u) << piece_bytes;
    for (std::size_t v = 0; v < held.agents.size(); ++v)
      EXPECT_EQ(streamed.values[v], held.agents[v].values) << held.agents[v].info.name << ", " << piece_bytes;
  }
}

// An interval records the end of every interval-th step: the rows of a full record at steps
// interval - 1, 2 interval - 1, ..., streamed or held alike.
TEST(Run, AgentInterval_RecordsTheLastStepOfEachInterval) {
  const Registry registry = toy::registry();
  ScenarioSpec spec = toy::scenario(5, 10, 1);
  const RunResult every = run_to_end(spec, registry);
  spec.output.agent_interval = 4;  // steps 3 and 7; 8 and 9 end no interval
  EXPECT_EQ(describe_run(spec, registry).agent_interval, 4);
  const RunResult sampled = run_to_end(spec, registry);
  const StreamedAgents streamed = stream_to_end(spec, registry, 16);
  for (std::size_t v = 0; v < every.agents.size(); ++v) {
    std::vector<double> expected;
    for (const std::size_t step : {3u, 7u})
      expected.insert(expected.end(), every.agents[v].values.begin() + static_cast<std::ptrdiff_t>(step * 5),
                      every.agents[v].values.begin() + static_cast<std::ptrdiff_t>(step * 5 + 5));
    EXPECT_EQ(sampled.agents[v].values, expected) << every.agents[v].info.name;
    EXPECT_EQ(streamed.values[v], expected) << every.agents[v].info.name;
  }
}

TEST(Run, UnknownSeries_IsRejectedWhenBuilt) {
  const Registry registry = toy::registry();
  ScenarioSpec spec = toy::scenario(4, 2, 1);
  spec.output.series = {"growth"};
  EXPECT_THROW(sim::Run(spec, registry, RunTask{0, 0, spec.seed, {}}), SpecError);
}

TEST(Run, Summary_HasEfficiencyAgainstOptimumAndCollapseStep) {
  const Registry registry = toy::registry();
  const ScenarioSpec spec = toy::scenario(10, 5, 1);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  const RunResult result = run.take_result();
  auto value = [&](const std::string& name) {
    for (const ScalarData& s : result.summary)
      if (s.info.name == name) return s.value;
    ADD_FAILURE() << name;
    return std::nan("");
  };
  EXPECT_GT(value("efficiency"), 0.0);
  EXPECT_TRUE(std::isnan(value("collapse_step")));  // the pool refills above its threshold
  EXPECT_EQ(result.references.size(), 1u);
}

}  // namespace
}  // namespace commons::sim
