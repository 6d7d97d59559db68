// SPDX-License-Identifier: Apache-2.0
// Throughput of one step of each resource of issue 12, in agent-steps per second, at a
// classroom size and a large size, on 1 and 2 threads.
//   build/release/tests/bench/resource_step_bench --benchmark_min_time=1

#include <step_bench.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace commons;

// --- irrigation_game and pasture -------------------------------------------------------------
namespace irrigation_and_pasture {

/// One group of `agents` with `behaviour` on `resource`, run for as long as the benchmark
/// wants. Per-site series are not recorded (a 1000 x 1000 grid would keep 32 MB a step in
/// memory); the resource's own series are.
sim::ScenarioSpec scenario(sim::ComponentSpec resource, sim::Economics economics, std::int64_t agents,
                           sim::ComponentSpec behaviour, std::vector<std::string> series) {
  sim::ScenarioSpec spec;
  spec.name = "bench_" + resource.model;
  spec.resource = std::move(resource);
  spec.economics = economics;
  spec.groups.push_back({"agents", agents, {{1.0, std::move(behaviour)}}, economics.cost_per_effort});
  spec.steps = 1'000'000'000;
  spec.replicates = 1;
  spec.seed = 12;
  spec.output.series = std::move(series);
  spec.output.sites = false;
  spec.resolved_text = "{}";
  spec.source = "bench";
  return spec;
}

using testing::run_steps;

sim::ComponentSpec fixed_effort(double effort) { return {"fixed", sim::Parameters({{"effort", effort}}), ""}; }

constexpr std::int64_t large = 100'000;

// Every player invests 5 tokens, which keeps each canal at efficiency 100, and its gate fills
// to the crop's peak: 50 seconds of upstream-first allocation per canal of five every step.
// A classroom of 20 (four canals) and 1e5 players (20000 canals).
void IrrigationGameStep(benchmark::State& state) {
  const sim::ComponentSpec game{"irrigation_game", sim::Parameters{}, "/resource"};
  run_steps(state, scenario(game, {1.0, 1.0, 0.0}, state.range(0), fixed_effort(5.0),
                            {"harvest", "effort", "rent", "infrastructure_efficiency", "water_delivered"}));
}

// K = 1000 kg, r = 0.5, R = 10 kg, so a cell feeds 12.5 animals forever; each herder keeps 6
// on its own cell, below that, so nothing is rationed or degrades. A classroom of 40 herders
// on 4 x 5 cells, and 1e5 herders on a 1000 x 1000 grid (regrowth of 1e6 cells a step).
void PastureStep(benchmark::State& state) {
  const bool classroom = state.range(0) < large;
  const sim::Parameters pasture({{"rows", std::int64_t{classroom ? 4 : 1000}},
                                 {"columns", std::int64_t{classroom ? 5 : 1000}},
                                 {"growth_rate", 0.5},
                                 {"carrying_capacity", 1000.0},
                                 {"ration", 10.0}});
  run_steps(state, scenario({"pasture", pasture, "/resource"}, {1.0, 5.0, 0.0}, state.range(0), fixed_effort(6.0),
                            {"harvest", "effort", "rent", "biomass", "grass_eaten"}));
}

void classroom_and_large(benchmark::internal::Benchmark* b, std::int64_t classroom) {
  for (std::int64_t threads : {1, 2})
    for (std::int64_t agents : {classroom, large}) b->Args({agents, threads});
  b->ArgNames({"agents", "threads"})->UseRealTime();
}

BENCHMARK(IrrigationGameStep)->Apply([](benchmark::internal::Benchmark* b) { classroom_and_large(b, 20); });
BENCHMARK(PastureStep)->Apply([](benchmark::internal::Benchmark* b) { classroom_and_large(b, 40); });

}  // namespace irrigation_and_pasture
// --- end of irrigation_game and pasture ------------------------------------------------------

}  // namespace

BENCHMARK_MAIN();
