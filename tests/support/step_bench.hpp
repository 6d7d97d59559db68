// SPDX-License-Identifier: Apache-2.0
#pragma once
// The loop every step benchmark times: one run of `spec` on `state.range(1)` threads, one step
// per iteration, counted in agent-steps (items) per second.

#include <commons/models/register_models.hpp>
#include <commons/sim/run.hpp>

#include <benchmark/benchmark.h>
#include <oneapi/tbb/task_arena.h>

namespace commons::testing {

inline void run_steps(benchmark::State& state, const sim::ScenarioSpec& spec) {
  const auto agents = spec.agent_count();
  tbb::task_arena arena(static_cast<int>(state.range(1)));
  arena.execute([&] {
    sim::Run run(spec, models::default_registry(), sim::RunTask{0, 0, spec.seed, {}});
    for (auto _ : state) run.step();
  });
  state.SetItemsProcessed(state.iterations() * agents);
  state.counters["agents"] = static_cast<double>(agents);
}

}  // namespace commons::testing
