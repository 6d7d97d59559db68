// SPDX-License-Identifier: Apache-2.0
// Throughput of one whole step (every phase, a few series recorded) of the resources of issue
// 12, in agent-steps per second, at a classroom size and a large size. The foraging grid has a
// benchmark of its own (forest_step_bench).
//   build/release/tests/bench/resource_step_bench --benchmark_min_time=1

#include <fishery_spec.hpp>
#include <step_bench.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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

// --- irrigation_game, pasture, forest_stand and fishery_spatial ----------------------------------
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

using testing::run_whole_steps;

sim::ComponentSpec fixed_effort(double effort) { return {"fixed", sim::Parameters({{"effort", effort}}), ""}; }

constexpr std::int64_t large = 100'000;

// Every player invests 5 tokens, which keeps each canal at efficiency 100, and its gate fills
// to the crop's peak: 50 seconds of upstream-first allocation per canal of five every step.
// A classroom of 20 (four canals) and 1e5 players (20000 canals).
void IrrigationGameStep(benchmark::State& state) {
  const sim::ComponentSpec game{"irrigation_game", sim::Parameters{}, "/resource"};
  run_whole_steps(state, scenario(game, {1.0, 1.0, 0.0}, state.range(0), fixed_effort(5.0),
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
  run_whole_steps(state, scenario({"pasture", pasture, "/resource"}, {1.0, 5.0, 0.0}, state.range(0),
                                  fixed_effort(6.0), {"harvest", "effort", "rent", "biomass", "grass_eaten"}));
}

void classroom_and_large(benchmark::internal::Benchmark* b, std::int64_t classroom) {
  for (std::int64_t threads : {1, 2})
    for (std::int64_t agents : {classroom, large}) b->Args({agents, threads});
  b->ArgNames({"agents", "threads"})->UseRealTime();
}

BENCHMARK(IrrigationGameStep)->Apply([](benchmark::internal::Benchmark* b) { classroom_and_large(b, 20); });
BENCHMARK(PastureStep)->Apply([](benchmark::internal::Benchmark* b) { classroom_and_large(b, 40); });

// forest_stand, in the pasture's setting: A = 400 m3, k = 0.05, p = 3, cut only from 100 m3.
// A classroom of 48 loggers, two a cell on 4 x 6 cells, each cutting 10 m3 a step: the cells
// are cut below the rule's size and regrow to it. 1e5 loggers on a 1000 x 1000 grid each ask
// for 400 m3, so their cells are cut bare, recolonised from the uncut cells around them and
// cut bare again once they reach 100 m3: growth of 1e6 cells and recolonisation draws a step.
void ForestStandStep(benchmark::State& state) {
  const bool classroom = state.range(0) < large;
  const sim::Parameters stand({{"rows", std::int64_t{classroom ? 4 : 1000}},
                               {"columns", std::int64_t{classroom ? 6 : 1000}},
                               {"asymptotic_volume", 400.0},
                               {"growth_rate", 0.05},
                               {"initial_volume", 300.0},
                               {"minimum_cut_volume", 100.0},
                               {"cut_per_effort", 10.0},
                               {"recolonisation_rate", 0.2}});
  run_whole_steps(state, scenario({"forest_stand", stand, "/resource"}, {1.0, 4.0, 0.0}, state.range(0),
                                  fixed_effort(classroom ? 1.0 : 40.0),
                                  {"harvest", "effort", "rent", "volume", "timber_cut", "cells_cleared"}));
}

BENCHMARK(ForestStandStep)->Apply([](benchmark::internal::Benchmark* b) { classroom_and_large(b, 48); });

// fishery_spatial: a port on every ground, so the boats (staying at their ports, `fixed`)
// spread evenly; each ground's boats take 2 % of it a step (q E = 0.02 a boat) and a fifth of
// the best-connected grounds' fish moves each tick. A classroom of 20 boats on 5 x 5 grounds,
// and 1e5 on 100 x 100 (ten a ground): settling the claims in agent order, the growth of 1e4
// grounds and the sparse migration product, and the trips the engine charges.
void FisherySpatialStep(benchmark::State& state) {
  const bool classroom = state.range(0) < large;
  const std::int64_t side = classroom ? 5 : 100;
  std::vector<double> ports(static_cast<std::size_t>(side * side));
  for (std::size_t g = 0; g < ports.size(); ++g) ports[g] = static_cast<double>(g);
  const sim::Parameters grounds({{"rows", side},
                                 {"columns", side},
                                 {"growth_rate", 0.5},
                                 {"carrying_capacity", 1000.0},
                                 {"catchability", 0.01},
                                 {"migration", 0.2},
                                 {"ports", ports},
                                 {"cost_per_distance", 1.0}});
  run_whole_steps(
      state, scenario({"fishery_spatial", grounds, "/resource"}, {20.0, 5.0, 0.0}, state.range(0), fixed_effort(2.0),
                      {"harvest", "effort", "rent", "trip_costs", "stock", "migration"}));
}

BENCHMARK(FisherySpatialStep)->Apply([](benchmark::internal::Benchmark* b) { classroom_and_large(b, 20); });

}  // namespace irrigation_and_pasture
// --- end of irrigation_game, pasture, forest_stand and fishery_spatial --------------------------------------------

}  // namespace

BENCHMARK_MAIN();
