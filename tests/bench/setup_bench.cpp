// SPDX-License-Identifier: Apache-2.0
// What a large run costs before its first step, and a whole run against its steps:
// - AgentSetup: building the world of the fleet fishery (agents, the behaviour's state, the
//   recorder), per agent, on 1 and 2 threads;
// - WholeRun: building it, stepping it 100 times and taking its result, on 1 and 2 threads,
//   so that the second thread's gain over a whole run is a ratio within one invocation.
//   build/release/tests/bench/setup_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
//
// Large columns come from mmap and go back to the system when freed, as in a process that
// builds one world: glibc would otherwise raise its mmap threshold after the first free and
// hand later iterations pages that are already mapped, which a real run never gets.

#include <fishery_spec.hpp>

#include <commons/models/register_models.hpp>
#include <commons/sim/run.hpp>

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <oneapi/tbb/task_arena.h>

#include <cstdint>
#include <optional>

namespace {

using namespace commons;

sim::ScenarioSpec fleet_fishery(std::int64_t agents, std::int64_t steps) {
  testing::FisheryParameters p;
  // Each agent's share of the MSY effort r/(2q) = 25, so the stock stays near K/2.
  auto spec = testing::fishery_scenario(p, testing::fleet(25.0 / static_cast<double>(agents), 1e-7, 10.0), agents, steps);
  spec.output.series = {"stock"};
  return spec;
}

void AgentSetup(benchmark::State& state) {
  const sim::ScenarioSpec spec = fleet_fishery(state.range(0), 1);
  const sim::Registry& registry = models::default_registry();
  tbb::task_arena arena(static_cast<int>(state.range(1)));
  arena.execute([&] {
    for (auto _ : state) {
      std::optional<sim::Run> run;
      run.emplace(spec, registry, sim::RunTask{0, 0, spec.seed, {}});
      benchmark::DoNotOptimize(run->agents().effort.data());
      state.PauseTiming();
      run.reset();
      state.ResumeTiming();
    }
  });
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["ns_per_agent"] = benchmark::Counter(
      static_cast<double>(state.iterations() * state.range(0)) * 1e-9,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void WholeRun(benchmark::State& state) {
  constexpr std::int64_t steps = 100;
  const sim::ScenarioSpec spec = fleet_fishery(state.range(0), steps);
  const sim::Registry& registry = models::default_registry();
  tbb::task_arena arena(static_cast<int>(state.range(1)));
  arena.execute([&] {
    for (auto _ : state) {
      sim::Run run(spec, registry, sim::RunTask{0, 0, spec.seed, {}});
      while (!run.done()) run.step();
      sim::RunResult result = run.take_result();
      benchmark::DoNotOptimize(result.series.data());
    }
  });
  state.SetItemsProcessed(state.iterations() * state.range(0) * steps);
}

void sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t threads : {1, 2})
    for (std::int64_t agents : {10'000, 1'000'000}) b->Args({agents, threads});
  b->ArgNames({"agents", "threads"})->UseRealTime()->Unit(benchmark::kMillisecond);
}

BENCHMARK(AgentSetup)->Apply(sizes);
BENCHMARK(WholeRun)->Apply(sizes);

}  // namespace

int main(int argc, char** argv) {
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
