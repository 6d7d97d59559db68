// SPDX-License-Identifier: Apache-2.0
// One behaviour, many executors, the same bits: thread count and run order must not matter.

#include "toy_world.hpp"

#include <commons/sim/executor.hpp>
#include <commons/sim/run.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <algorithm>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>

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
  EXPECT_EQ(report.completed, spec.replicates * spec.variant_count());
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

// A behaviour that cannot be built for one replicate: its run fails, the others complete.
TEST(Executor, FailingRun_IsReportedToTheSinkAndOthersComplete) {
  ScenarioSpec spec = toy::scenario(50, 5, 3);
  Registry registry = toy::registry();
  registry.add_behaviour("random_effort", [](const ComponentSpec& component, const GroupContext& group) {
    if (group.run_index == 1) throw std::runtime_error("no memory for run 1");
    return std::make_unique<toy::RandomEffort>(component.parameters.number("scale"));
  });
  MemorySink sink;
  const ExecutionReport report = execute(spec, registry, sink, {});
  EXPECT_EQ(report.completed, 2);
  EXPECT_EQ(report.failed, 1);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0], "run 1: no memory for run 1");
  ASSERT_EQ(sink.failures().size(), 1u);
  EXPECT_EQ(sink.failures().at(1), "no memory for run 1");
  EXPECT_TRUE(sink.finished());
}

// What a run records is known before it runs: a series the world does not offer stops the plan
// before the sink begins, instead of failing every run.
TEST(Executor, UnknownSeries_RefusedBeforeTheFirstRun) {
  ScenarioSpec spec = toy::scenario(50, 5, 3);
  spec.output.series = {"no_such_series"};
  MemorySink sink;
  EXPECT_THROW(execute(spec, toy::registry(), sink, {}), SpecError);
  EXPECT_TRUE(sink.results().empty());
}

// The plan tells the sink what each variant records before any run arrives.
TEST(Executor, PlanInfo_DescribesWhatRunsRecord) {
  const ScenarioSpec spec = toy::scenario(30, 4, 2);
  const PlanInfo plan = plan_info(spec, toy::registry());
  ASSERT_EQ(plan.layouts.size(), 1u);
  const MemorySink sink = execute_with(spec, 1);
  const RunResult& run = sink.results()[0];
  const RunLayout& layout = plan.layouts[0];
  ASSERT_EQ(layout.series.size(), run.series.size());
  for (std::size_t i = 0; i < run.series.size(); ++i) EXPECT_EQ(layout.series[i].name, run.series[i].info.name);
  ASSERT_EQ(layout.summary.size(), run.summary.size());
  for (std::size_t i = 0; i < run.summary.size(); ++i) EXPECT_EQ(layout.summary[i].name, run.summary[i].info.name);
  ASSERT_EQ(layout.references.size(), run.references.size());
  ASSERT_EQ(layout.agent_variables.size(), run.agents.size());
  EXPECT_EQ(layout.agent_ids, run.agent_ids);
  EXPECT_FALSE(layout.max_degree.has_value());
}

TEST(Executor, BadStartOrder_IsRejected) {
  const ScenarioSpec spec = toy::scenario(10, 2, 3);
  const Registry registry = toy::registry();
  MemorySink sink;
  ExecutorOptions options;
  options.start_order = {0, 0, 1};
  EXPECT_THROW(execute(spec, registry, sink, options), std::invalid_argument);
}

// A comparison of three variants: the second repeats the first, the third changes the price.
ScenarioSpec comparison(std::int64_t replicates) {
  ScenarioSpec spec = toy::scenario(40, 8, replicates);
  for (const char* name : {"same", "again", "dearer"}) {
    ScenarioSpec variant = spec;
    variant.variant = name;
    spec.variants.push_back(std::move(variant));
  }
  spec.variants[2].economics.price = 3.0;
  return spec;
}

TEST(Executor, Variants_PlannedVariantMajor) {
  const std::vector<RunTask> tasks = plan_runs(comparison(2));
  ASSERT_EQ(tasks.size(), 6u);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    EXPECT_EQ(tasks[i].index, static_cast<std::int64_t>(i));
    EXPECT_EQ(tasks[i].variant, static_cast<std::int64_t>(i / 2));
    EXPECT_EQ(tasks[i].replicate, static_cast<std::int64_t>(i % 2));
  }
}

TEST(Executor, Variants_ShareRandomNumbersReplicateByReplicate) {
  const MemorySink sink = execute_with(comparison(3), 2);
  ASSERT_EQ(sink.results().size(), 9u);
  EXPECT_EQ(sink.plan().variants, (std::vector<std::string>{"same", "again", "dearer"}));
  for (std::size_t replicate = 0; replicate < 3; ++replicate) {
    const RunResult& same = sink.results()[replicate];
    const RunResult& again = sink.results()[3 + replicate];
    const RunResult& dearer = sink.results()[6 + replicate];
    EXPECT_EQ(again.task.variant, 1);
    // Common random numbers: an identical variant gives identical bits, and efforts (drawn,
    // not chosen) agree even where the price differs; the rent does not.
    for (std::size_t s = 0; s < same.series.size(); ++s)
      EXPECT_TRUE(same_bits(same.series[s].values, again.series[s].values)) << same.series[s].info.name;
    EXPECT_TRUE(same_bits(same.agents[0].values, dearer.agents[0].values));
    ASSERT_EQ(same.series[3].info.name, "rent");
    EXPECT_FALSE(same_bits(same.series[3].values, dearer.series[3].values));
  }
  EXPECT_FALSE(same_bits(sink.results()[0].agents[0].values, sink.results()[1].agents[0].values));
}

/// Remembers what reaches the sink, in order: runs by index, sync() as -1.
class ArrivalLog final : public Sink {
 public:
  void begin(const PlanInfo&) override {}
  void consume(RunResult&& result) override { arrivals.push_back(result.task.index); }
  void sync() override { arrivals.push_back(-1); }
  void finish() override {}
  std::vector<std::int64_t> arrivals;
};

// The sink laid out every variant in begin(), so runs reach it as they finish; whenever the
// writer has nothing waiting, and once more at the end, it is asked to make them durable.
TEST(Executor, Runs_ReachTheSinkAsTheyFinishWithSyncsBetween) {
  const ScenarioSpec spec = comparison(4);
  for (int threads : {1, 2}) {
    ArrivalLog log;
    ExecutorOptions options;
    options.threads = threads;
    options.start_order = {11, 10, 9, 7, 6, 5, 3, 2, 1, 8, 4, 0};
    const ExecutionReport report = execute(spec, toy::registry(), log, options);
    ASSERT_EQ(report.completed, 12);
    std::vector<std::int64_t> runs;
    for (std::int64_t index : log.arrivals) {
      if (index >= 0) runs.push_back(index);
    }
    ASSERT_EQ(runs.size(), 12u);
    if (threads == 1) {
      EXPECT_EQ(runs, options.start_order);
    }
    // Everything consumed is made durable before execute() returns.
    EXPECT_EQ(log.arrivals.back(), -1) << threads << " threads";
    std::ranges::sort(runs);
    for (std::int64_t i = 0; i < 12; ++i) EXPECT_EQ(runs[static_cast<std::size_t>(i)], i);
  }
}

TEST(Executor, Variants_ThreadCountDoesNotChangeResults) {
  expect_identical(execute_with(comparison(3), 1), execute_with(comparison(3), 2));
}

}  // namespace
}  // namespace commons::sim

namespace commons::sim {
namespace {

/// The points of a one-factor sweep over toy worlds; the point whose value is `broken` cannot be
/// made, as a model that throws while its world is built.
class ToyPoints final : public PointSpecs {
 public:
  ToyPoints(ScenarioSpec base, double broken) : base_(std::move(base)), broken_(broken) {}
  [[nodiscard]] std::shared_ptr<const ScenarioSpec> make(std::int64_t, std::span<const double> values) const override {
    if (values[0] == broken_) throw std::runtime_error("no world at this point");
    return std::make_shared<const ScenarioSpec>(base_);
  }
  [[nodiscard]] std::vector<RunLayout> layouts(const Registry& registry) const override {
    return {describe_run(base_, registry)};
  }
  [[nodiscard]] std::int64_t layout_of(std::int64_t, std::int64_t) const override { return 0; }
  [[nodiscard]] std::shared_ptr<const ScenarioSpec> largest() const override {
    return std::make_shared<const ScenarioSpec>(base_);
  }

 private:
  ScenarioSpec base_;
  double broken_;
};

// A sweep's failing run is recorded with its message and the sweep goes on: every other run
// reaches the sink, the failure is reported, and the sink still finishes.
TEST(Executor, SweepRunThatFails_IsRecordedAndTheRestRun) {
  ScenarioSpec spec = toy::scenario(50, 5, 1);
  SweepSpec sweep;
  sweep.design = SweepSpec::Design::factorial;
  sweep.replicates = 2;
  FactorSpec factor;
  factor.path = "economics.price";
  factor.levels = {Level::of(1.0), Level::of(2.0), Level::of(3.0)};
  sweep.parameters.push_back(factor);
  sweep.specs = std::make_shared<ToyPoints>(spec, 2.0);
  spec.sweep = sweep;
  for (int threads : {1, 2}) {
    MemorySink sink;
    ExecutorOptions options;
    options.threads = threads;
    const ExecutionReport report = execute(spec, toy::registry(), sink, options);
    EXPECT_EQ(report.completed, 4);
    EXPECT_EQ(report.failed, 2);
    EXPECT_TRUE(sink.finished());
    ASSERT_EQ(sink.failures().size(), 2u);
    for (const auto& [index, message] : sink.failures()) {
      EXPECT_EQ(message, "no world at this point");
      EXPECT_EQ(sink.plan().tasks[static_cast<std::size_t>(index)].factors[0], 2.0);
    }
  }
}

}  // namespace
}  // namespace commons::sim
