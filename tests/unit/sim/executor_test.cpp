// SPDX-License-Identifier: Apache-2.0
// One behaviour, many executors, the same bits: thread count and run order must not matter.

#include "toy_world.hpp"

#include <commons/sim/executor.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>

namespace commons::sim {
namespace {

// Bit-level equality, so that NaN == NaN and -0 != +0.
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void expect_identical(const MemorySink& a, const MemorySink& b) {
  ASSERT_EQ(a.results().size(), b.results().size());
  for (std::size_t run = 0; run < a.results().size(); ++run) {
    const RunResult& x = a.results()[run];
    const RunResult& y = b.results()[run];
    EXPECT_EQ(x.task.index, y.task.index);
    ASSERT_EQ(x.series.size(), y.series.size());
    for (std::size_t s = 0; s < x.series.size(); ++s)
      EXPECT_TRUE(same_bits(x.series[s].values, y.series[s].values)) << x.series[s].info.name << " run " << run;
    ASSERT_EQ(x.agents.size(), y.agents.size());
    for (std::size_t s = 0; s < x.agents.size(); ++s) EXPECT_TRUE(same_bits(x.agents[s].values, y.agents[s].values));
    for (std::size_t s = 0; s < x.summary.size(); ++s)
      EXPECT_EQ(std::memcmp(&x.summary[s].value, &y.summary[s].value, sizeof(double)), 0) << x.summary[s].info.name;
  }
}

MemorySink execute_with(const ScenarioSpec& spec, int threads, std::vector<std::int64_t> order = {}) {
  const Registry registry = toy::registry();
  MemorySink sink;
  ExecutorOptions options;
  options.threads = threads;
  options.start_order = std::move(order);
  const ExecutionReport report = execute(spec, registry, sink, options);
  EXPECT_EQ(report.completed, spec.replicates);
  EXPECT_TRUE(sink.finished());
  return sink;
}

TEST(Executor, ThreadCount_DoesNotChangeResults) {
  // 20000 agents span several blocks, so agent work is split across threads too.
  const ScenarioSpec spec = toy::scenario(20000, 12, 3);
  expect_identical(execute_with(spec, 1), execute_with(spec, 2));
}

TEST(Executor, RunOrder_DoesNotChangeResults) {
  const ScenarioSpec spec = toy::scenario(300, 20, 6);
  expect_identical(execute_with(spec, 2), execute_with(spec, 2, {5, 3, 1, 0, 4, 2}));
}

TEST(Executor, Replicates_DrawDifferentStreams) {
  const ScenarioSpec spec = toy::scenario(50, 5, 2);
  const MemorySink sink = execute_with(spec, 2);
  EXPECT_FALSE(same_bits(sink.results()[0].series[3].values, sink.results()[1].series[3].values));
  EXPECT_EQ(sink.results()[1].task.replicate, 1);
}

TEST(Executor, StopRequested_FinishesNothingAndLeavesSinkOpen) {
  const ScenarioSpec spec = toy::scenario(50, 5, 4);
  const Registry registry = toy::registry();
  MemorySink sink;
  std::atomic<bool> stop{true};
  ExecutorOptions options;
  options.stop_requested = &stop;
  const ExecutionReport report = execute(spec, registry, sink, options);
  EXPECT_TRUE(report.interrupted);
  EXPECT_EQ(report.completed, 0);
  EXPECT_FALSE(sink.finished());
}

TEST(Executor, FailingRun_IsReportedAndOthersComplete) {
  ScenarioSpec spec = toy::scenario(50, 5, 3);
  spec.output.series = {"no_such_series"};
  const Registry registry = toy::registry();
  MemorySink sink;
  const ExecutionReport report = execute(spec, registry, sink, {});
  EXPECT_EQ(report.failed, 3);
  ASSERT_EQ(report.failures.size(), 3u);
  EXPECT_NE(report.failures[0].find("no_such_series"), std::string::npos);
}

TEST(Executor, BadStartOrder_IsRejected) {
  const ScenarioSpec spec = toy::scenario(10, 2, 3);
  const Registry registry = toy::registry();
  MemorySink sink;
  ExecutorOptions options;
  options.start_order = {0, 0, 1};
  EXPECT_THROW(execute(spec, registry, sink, options), std::invalid_argument);
}

}  // namespace
}  // namespace commons::sim
