// SPDX-License-Identifier: Apache-2.0
// Throughput of one whole step (every phase, four series recorded) of the resources of issue
// 12, in agent-steps per second, at a classroom size and a large size.
//   build/release/tests/bench/resource_step_bench --benchmark_min_time=1

#include <fishery_spec.hpp>
#include <step_bench.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <utility>

namespace {

using namespace commons;

// fishery_age, groundwater_bathtub: the age-structured fishery and the Gisser-Sanchez aquifer,
// each with `fleet` agents whose total effort holds the resource at a steady state (the MSY
// effort; the competitive pumping energy), so that every step does the same work.

sim::ScenarioSpec steady_fleet(sim::ComponentSpec resource, sim::Economics economics, double total_effort,
                               std::int64_t agents) {
  const double share = total_effort / static_cast<double>(agents);
  // A tiny eta keeps each agent's effort all but constant for the whole measurement.
  sim::ScenarioSpec spec = testing::fishery_scenario(testing::FisheryParameters{},
                                                     testing::fleet(share, 1e-12, 2.0 * share), agents, 1'000'000'000);
  spec.resource = std::move(resource);
  spec.economics = economics;
  spec.groups[0].cost_per_effort = economics.cost_per_effort;
  spec.output.series = {"stock", "harvest", "effort", "rent"};
  return spec;
}

void FisheryAgeStep(benchmark::State& state) {
  // Defaults: 21 age classes; the MSY effort of the defaults is about 101 boat-days.
  testing::run_whole_steps(
      state, steady_fleet({"fishery_age", sim::Parameters{}, "/resource"}, {10.0, 5.0, 0.05}, 101.0, state.range(0)));
}

void GroundwaterBathtubStep(benchmark::State& state) {
  // Defaults with the table at its competitive level, 50 m, and the energy that holds it there.
  const sim::Parameters aquifer({{"initial_water_table", 50.0}});
  testing::run_whole_steps(
      state, steady_fleet({"groundwater_bathtub", aquifer, "/resource"}, {24.0, 0.03, 0.05}, 53'333.3, state.range(0)));
}

void resource_agent_counts(benchmark::internal::Benchmark* b) {
  for (std::int64_t agents : {10, 1'000'000})
    for (std::int64_t threads : {1, 2}) b->Args({agents, threads});
  b->ArgNames({"agents", "threads"})->UseRealTime();
}

BENCHMARK(FisheryAgeStep)->Apply(resource_agent_counts);
BENCHMARK(GroundwaterBathtubStep)->Apply(resource_agent_counts);

// End of fishery_age, groundwater_bathtub.

}  // namespace

BENCHMARK_MAIN();
