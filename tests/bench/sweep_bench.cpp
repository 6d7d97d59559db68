// SPDX-License-Identifier: Apache-2.0
// Sweep throughput, the figure policy modellers wait on: runs per second of a Latin-hypercube
// sweep of the open-access fishery, 100 agents x 100 steps per run (docs/performance.md#sweeps),
// on 1 and 2 threads,
// - into a sink that drops each run (the runs alone: making each point's spec, building its
//   world, stepping it, recording it), and
// - into the results file, as `commons sweep` writes it (laid out, written, synced, flagged),
// so that the share of time spent writing is the difference.
//   build/release/tests/bench/sweep_bench --benchmark_min_time=2

#include <commons/models/register_models.hpp>
#include <commons/output/hdf5_sink.hpp>
#include <commons/scenario/loader.hpp>
#include <commons/sim/executor.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

using namespace commons;

constexpr std::int64_t points = 2000;

std::string scenario() {
  return R"(name: sweep_bench
resource:
  model: fishery_logistic
  growth_rate: 0.5
  carrying_capacity: 1000
  catchability: 0.01
  observation_noise: 0.05
economics: {price: 10, cost_per_effort: 25, discount_rate: 0.05}
agents:
  - group: boats
    count: 100
    behaviour: {model: fleet, initial_effort: 0.05, adjustment_rate: 0.0001, max_effort: 10}
steps: 100
seed: 7
sweep:
  design: latin_hypercube
  samples: )" + std::to_string(points) + R"(
  parameters:
    resource.growth_rate: {range: [0.2, 0.8]}
    economics.cost_per_effort: {range: [15, 35]}
)";
}

const sim::ScenarioSpec& spec() {
  static const sim::ScenarioSpec loaded = scenario::load_scenario_text(scenario(), "sweep_bench.yaml", {},
                                                                       &models::default_registry());
  return loaded;
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
    const sim::ExecutionReport report = sim::execute(spec(), models::default_registry(), sink, options);
    benchmark::DoNotOptimize(report.completed);
  }
  state.SetItemsProcessed(state.iterations() * points);
  state.counters["runs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * points),
                                                benchmark::Counter::kIsRate);
}

void SweepToFile(benchmark::State& state) {
  sim::ExecutorOptions options;
  options.threads = static_cast<int>(state.range(0));
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("commons_sweep_bench_" + std::to_string(getpid()) + ".h5");
  for (auto _ : state) {
    output::Hdf5Sink sink(file, output::Provenance{}, true);
    const sim::ExecutionReport report = sim::execute(spec(), models::default_registry(), sink, options);
    benchmark::DoNotOptimize(report.completed);
  }
  state.counters["bytes/run"] =
      static_cast<double>(std::filesystem::file_size(file)) / static_cast<double>(points);
  std::filesystem::remove(file);
  state.SetItemsProcessed(state.iterations() * points);
  state.counters["runs/s"] = benchmark::Counter(static_cast<double>(state.iterations() * points),
                                                benchmark::Counter::kIsRate);
}

BENCHMARK(SweepRunsOnly)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(SweepToFile)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
