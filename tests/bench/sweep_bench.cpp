// SPDX-License-Identifier: Apache-2.0
// Sweep throughput, the figure policy modellers wait on: runs per second of a Latin-hypercube
// sweep of the open-access fishery, 100 agents x 100 steps per run (docs/performance.md#sweeps),
// on 1 and 2 threads,
// - into a sink that drops each run (the runs alone: making each point's spec, building its
//   world, stepping it, recording it), and
// - into the results file, as `commons sweep` writes it (laid out, written, synced, flagged),
// so that the share of time spent writing is the difference. The `Summary` pair runs the same
// sweep without observation noise and recording only the stock series and the summary (the
// writer's target of issue 13: 10,000 runs/s on 2 threads), and `WriterOnly` feeds the results
// file finished runs without simulating them, syncing every 100 ms as the executor's writer
// thread does: the rate the writer alone can take.
//   build/release/tests/bench/sweep_bench --benchmark_min_time=2

#include <commons/models/register_models.hpp>
#include <commons/output/hdf5_sink.hpp>
#include <commons/scenario/loader.hpp>
#include <commons/sim/executor.hpp>

#include <benchmark/benchmark.h>

#include <chrono>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>
#include <unistd.h>

namespace {

using namespace commons;

constexpr std::int64_t points = 2000;

/// The fishery of the sweeps issue; `summary_only`: no observation noise, and of the series
/// only the stock.
std::string scenario(bool summary_only) {
  return R"(name: sweep_bench
resource:
  model: fishery_logistic
  growth_rate: 0.5
  carrying_capacity: 1000
  catchability: 0.01
  observation_noise: )" + std::string(summary_only ? "0" : "0.05") + R"(
economics: {price: 10, cost_per_effort: 25, discount_rate: 0.05}
agents:
  - group: boats
    count: 100
    behaviour: {model: fleet, initial_effort: 0.05, adjustment_rate: 0.0001, max_effort: 10}
steps: 100
seed: 7
)" + std::string(summary_only ? "output: {series: [stock]}\n" : "") + R"(sweep:
  design: latin_hypercube
  samples: )" + std::to_string(points) + R"(
  parameters:
    resource.growth_rate: {range: [0.2, 0.8]}
    economics.cost_per_effort: {range: [15, 35]}
)";
}

const sim::ScenarioSpec& spec(bool summary_only = false) {
  static const sim::ScenarioSpec full = scenario::load_scenario_text(scenario(false), "sweep_bench.yaml", {},
                                                                     &models::default_registry());
  static const sim::ScenarioSpec summary = scenario::load_scenario_text(scenario(true), "sweep_bench.yaml", {},
                                                                        &models::default_registry());
  return summary_only ? summary : full;
}

std::filesystem::path bench_file() {
  return std::filesystem::temp_directory_path() / ("commons_sweep_bench_" + std::to_string(getpid()) + ".h5");
}

/// Takes every run and keeps nothing.
class DroppingSink final : public sim::Sink {
 public:
  void begin(const sim::PlanInfo&) override {}
  void consume(sim::RunResult&& result) override { benchmark::DoNotOptimize(result.series.data()); }
  void finish() override {}
};

void SweepRunsOnly(benchmark::State& state) {
  sim::ExecutorOptions options;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    DroppingSink sink;
    const sim::ExecutionReport report = sim::execute(spec(state.range(1) != 0), models::default_registry(), sink, options);
    benchmark::DoNotOptimize(report.completed);
  }
  state.SetItemsProcessed(state.iterations() * points);
  state.counters["runs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * points),
                                                benchmark::Counter::kIsRate);
}

void SweepToFile(benchmark::State& state) {
  sim::ExecutorOptions options;
  options.threads = static_cast<int>(state.range(0));
  const std::filesystem::path file = bench_file();
  for (auto _ : state) {
    output::Hdf5Sink sink(file, output::Provenance{}, true);
    const sim::ExecutionReport report = sim::execute(spec(state.range(1) != 0), models::default_registry(), sink, options);
    benchmark::DoNotOptimize(report.completed);
  }
  state.counters["bytes/run"] =
      static_cast<double>(std::filesystem::file_size(file)) / static_cast<double>(points);
  std::filesystem::remove(file);
  state.SetItemsProcessed(state.iterations() * points);
  state.counters["runs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * points),
                                                benchmark::Counter::kIsRate);
}

// The writer's side alone: every run of the plan is a copy of one run made beforehand.
void WriterOnly(benchmark::State& state) {
  const sim::ScenarioSpec& scenario = spec(state.range(0) != 0);
  const sim::PlanInfo plan = sim::plan_info(scenario, models::default_registry());
  const sim::RunResult model = sim::run_task(scenario, models::default_registry(), plan.tasks.front());
  const std::filesystem::path file = bench_file();
  constexpr auto sync_interval = std::chrono::milliseconds(100);
  for (auto _ : state) {
    output::Hdf5Sink sink(file, output::Provenance{}, true);
    sink.begin(plan);
    auto last_sync = std::chrono::steady_clock::now();
    for (const sim::RunTask& task : plan.tasks) {
      sim::RunResult result = model;
      result.task = task;
      sink.consume(std::move(result));
      if (std::chrono::steady_clock::now() - last_sync >= sync_interval) {
        sink.sync();
        last_sync = std::chrono::steady_clock::now();
      }
    }
    sink.finish();
  }
  std::filesystem::remove(file);
  state.SetItemsProcessed(state.iterations() * points);
  state.counters["runs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * points),
                                                benchmark::Counter::kIsRate);
}

// A small run's whole results file: laid out, its runs written and committed, renamed (the
// teaching scenario open_access_fishery's four runs of 20 agents x 300 steps, made beforehand). Issue 13 asks for
// start-up under 40 ms; creating the file took about that.
void SmallRunFile(benchmark::State& state) {
  static const sim::ScenarioSpec small = scenario::load_scenario_text(R"(name: open_access_fishery
resource:
  model: fishery_logistic
  growth_rate: 0.5
  carrying_capacity: 1000
  catchability: 0.01
  initial_stock: 1000
  observation_noise: 0.05
economics: {price: 10, cost_per_effort: 25, discount_rate: 0.05}
agents:
  - group: boats
    count: 20
    behaviour: {model: fleet, initial_effort: 0.25, adjustment_rate: 0.0005, max_effort: 10}
steps: 300
replicates: 4
seed: 20261128
)", "open_access_fishery.yaml", {}, &models::default_registry());
  const sim::PlanInfo plan = sim::plan_info(small, models::default_registry());
  std::vector<sim::RunResult> results;
  for (const sim::RunTask& task : plan.tasks) results.push_back(sim::run_task(small, models::default_registry(), task));
  const std::filesystem::path file = bench_file();
  for (auto _ : state) {
    output::Hdf5Sink sink(file, output::Provenance{}, true);
    sink.begin(plan);
    for (const sim::RunResult& result : results) sink.consume(sim::RunResult(result));
    sink.finish();
  }
  std::filesystem::remove(file);
}

BENCHMARK(SweepRunsOnly)->ArgNames({"threads", "summary"})->ArgsProduct({{1, 2}, {0, 1}})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(SweepToFile)->ArgNames({"threads", "summary"})->ArgsProduct({{1, 2}, {0, 1}})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(WriterOnly)->ArgName("summary")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(SmallRunFile)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
