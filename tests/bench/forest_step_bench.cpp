// SPDX-License-Identifier: Apache-2.0
// Cost of the foraging grid (forest_tokens): one regrowth tick over the classroom grid of the
// 2010 experiment (29 x 29) and a 1000 x 1000 one, and whole steps of foragers at the
// classroom size (5 players) and a large size (1e5 foragers on 1000 x 1000), the engine
// enforcing one agent per cell and one cell per step.
//   build/release/tests/bench/forest_step_bench --benchmark_min_time=1

#include <commons/models/resources/forest_tokens.hpp>

#include <step_bench.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>

namespace {

using namespace commons;

models::ForestTokens::Parameters grid(std::int64_t side) {
  models::ForestTokens::Parameters p;
  p.rows = side;
  p.columns = side;
  p.initial_fraction = 0.25;
  p.regrowth_rate = 0.01;
  return p;
}

// A tick of regrowth on a quarter-full grid: every empty cell counts its neighbours and the
// ones next to tokens draw. Items are cells.
void RegrowthTick(benchmark::State& state) {
  const std::int64_t side = state.range(0);
  models::ForestTokens forest(grid(side));
  forest.set_random(sim::RandomStream(7, 0));
  // Hold the density near its start: the grid fills at r = 0.01 only over hundreds of ticks.
  std::vector<bool> mask(static_cast<std::size_t>(side * side));
  for (std::size_t cell = 0; cell < mask.size(); ++cell) mask[cell] = forest.has_token(cell);
  std::int64_t ticks = 0;
  for (auto _ : state) {
    forest.grow();
    if (++ticks % 50 == 0) {
      state.PauseTiming();
      forest.set_tokens(mask);
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations() * side * side);
  state.counters["cells"] = static_cast<double>(side * side);
}
BENCHMARK(RegrowthTick)->Arg(29)->Arg(1000)->Unit(benchmark::kMicrosecond);

sim::ScenarioSpec foraging(std::int64_t side, std::int64_t foragers, std::int64_t vision) {
  sim::ScenarioSpec spec;
  spec.name = "bench_forest";
  spec.resource = {"forest_tokens",
                   sim::Parameters({{"rows", side}, {"columns", side}, {"initial_fraction", 0.25}, {"regrowth_rate", 0.01}}),
                   "/resource"};
  spec.economics = {0.02, 0.0, 0.0};
  spec.groups.push_back(
      {"players",
       foragers,
       {{1.0,
         {"forager", sim::Parameters({{"vision", vision}, {"min_token_neighbours", std::int64_t{3}}}),
          "/agents/0/behaviour"}}},
       0.0});
  spec.clock.steps_per_tick = 5;
  spec.steps = 1'000'000'000;
  spec.seed = 11;
  spec.output.series = {"tokens", "harvest", "effort"};
  spec.output.sites = false;
  spec.resolved_text = "{}";
  spec.source = "bench";
  return spec;
}

// Whole steps (decide, moves, harvest, settle, a tick every fifth step, record) of restrained
// foragers, who keep the forest standing (greedy ones clear it within a few hundred steps, and
// then only walk); range(0) foragers, range(1) threads. Items are
// agent-steps. The laboratory's 5 players on 29 x 29 cells, or 1e5 on 1000 x 1000.
void ForagingStep(benchmark::State& state) {
  const std::int64_t agents = state.range(0);
  testing::run_whole_steps(state, foraging(agents < 1000 ? 29 : 1000, agents, 20));
}
BENCHMARK(ForagingStep)
    ->Args({5, 1})
    ->Args({100'000, 1})
    ->Args({100'000, 2})
    ->ArgNames({"agents", "threads"})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
