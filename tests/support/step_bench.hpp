// SPDX-License-Identifier: Apache-2.0
#pragma once
// Whole steps of a run as a benchmark: the run is built once, each iteration is one step, on
// as many threads as the benchmark's second argument says; agent-steps per second are reported
// as items per second. The registry is the library's unless a benchmark brings its own (a toy
// resource beside the library's models).

#include <commons/models/register_models.hpp>
#include <commons/sim/run.hpp>

#include <benchmark/benchmark.h>
#include <oneapi/tbb/task_arena.h>

namespace commons::testing {

inline void run_whole_steps(benchmark::State& state, const sim::ScenarioSpec& spec,
                            const sim::Registry& registry = models::default_registry()) {
  const auto agents = spec.agent_count();
  tbb::task_arena arena(static_cast<int>(state.range(1)));
  arena.execute([&] {
    sim::Run run(spec, registry, sim::RunTask{0, 0, spec.seed, {}});
    for (auto _ : state) run.step();
  });
  state.SetItemsProcessed(state.iterations() * agents);
  state.counters["agents"] = static_cast<double>(agents);
}

}  // namespace commons::testing
