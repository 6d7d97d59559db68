// SPDX-License-Identifier: Apache-2.0
// Cost of each behaviour model per agent-step: a whole step (decide, harvest, settle, learn,
// record) of the CPR appropriation game at 1e4 and 1e6 agents, and imitation on a
// Barabasi-Albert network of 1e6 agents beside `fleet` in the fishery, the cheapest behaviour;
// and `site_choice` on fishing grounds with trip costs from home ports.
//   build/release/tests/bench/behaviour_step_bench --benchmark_min_time=1

#include <commons/models/register_models.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>
#include <fishing_grounds.hpp>
#include <step_bench.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace commons;

// The CPR game scaled so that the group optimum stays interior for any n: with F(X) = aX - bX^2
// and w = 5 the optimum is X* = (a - w) / (2b); b = 2.25 / n keeps X* = 4n, under the
// endowment 10n.
sim::ScenarioSpec cpr_game(std::int64_t agents, sim::ComponentSpec behaviour) {
  sim::ScenarioSpec spec;
  spec.name = "bench_cpr";
  spec.resource = {"cpr_quadratic",
                   sim::Parameters({{"production_linear", 23.0},
                                    {"production_quadratic", 2.25 / static_cast<double>(agents)},
                                    {"endowment", 10.0}}),
                   "/resource"};
  spec.economics = {1.0, 5.0, 0.0};
  spec.groups.push_back({"players", agents, {{1.0, std::move(behaviour)}}, 5.0});
  spec.steps = 1'000'000'000;
  spec.seed = 11;
  spec.output.series = {"harvest", "effort", "rent"};
  spec.resolved_text = "{}";
  spec.source = "bench";
  return spec;
}

sim::ComponentSpec behaviour(std::string model, std::map<std::string, sim::ParameterValue, std::less<>> values) {
  return {std::move(model), sim::Parameters(std::move(values)), "/agents/0/behaviour"};
}

std::vector<double> tokens() { return {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; }

void Fixed(benchmark::State& state) { testing::run_whole_steps(state, cpr_game(state.range(0), behaviour("fixed", {{"effort", 4.0}}))); }
void Cooperative(benchmark::State& state) { testing::run_whole_steps(state, cpr_game(state.range(0), behaviour("cooperative", {}))); }
void BestResponseContinuous(benchmark::State& state) {
  testing::run_whole_steps(state, cpr_game(state.range(0), behaviour("best_response", {{"belief_weight", 0.3}})));
}
void BestResponseTokens(benchmark::State& state) {
  testing::run_whole_steps(state, cpr_game(state.range(0), behaviour("best_response", {{"belief_weight", 0.3}, {"choices", tokens()}})));
}
void Conditional(benchmark::State& state) {
  testing::run_whole_steps(state, cpr_game(state.range(0), behaviour("conditional", {{"rate", 0.5}, {"bias", -0.5}})));
}
void Ewa(benchmark::State& state) {
  testing::run_whole_steps(state, cpr_game(state.range(0), behaviour("ewa", {{"phi", 0.9}, {"delta", 0.5}, {"rho", 0.9}, {"lambda", 0.5}})));
}
void Imitation(benchmark::State& state) {
  testing::run_whole_steps(state, cpr_game(state.range(0), behaviour("imitation", {{"selection_strength", 1.0}, {"mutation", 0.01}})));
}
void Aspiration(benchmark::State& state) {
  testing::run_whole_steps(state, cpr_game(state.range(0), behaviour("aspiration", {{"aspiration_rate", 0.2}, {"exploration", 1.0}})));
}
void HumanWithoutSeats(benchmark::State& state) {
  testing::run_whole_steps(state, cpr_game(state.range(0), behaviour("human", {{"default_effort", 4.0}})));
}

// The yardstick: imitation over a scale-free network against fleet, per agent-step.
void ImitationBarabasiAlbert(benchmark::State& state) {
  auto spec = cpr_game(state.range(0), behaviour("imitation", {{"selection_strength", 1.0}, {"mutation", 0.01}}));
  spec.network.generator = {"barabasi_albert", sim::Parameters({{"links_per_node", std::int64_t{3}}}), "/network"};
  testing::run_whole_steps(state, spec);
}
void FleetFishery(benchmark::State& state) {
  testing::FisheryParameters p;
  auto spec = testing::fishery_scenario(p, testing::fleet(25.0 / static_cast<double>(state.range(0)), 1e-7, 10.0),
                                        state.range(0), 1'000'000'000);
  spec.output.series = {"stock", "harvest", "effort", "rent"};
  testing::run_whole_steps(state, spec);
}

// Grounds whose catch rates vary between 0.5 and 1.5 along a coast, and ports spread evenly
// along it; a trip costs 0.1 per ground of distance, there and back.
testing::FishingGrounds::Setup coast(std::size_t grounds, std::size_t ports) {
  testing::FishingGrounds::Setup setup{.catch_per_effort = std::vector<double>(grounds), .ports = ports};
  for (std::size_t j = 0; j < grounds; ++j)
    setup.catch_per_effort[j] = 1.0 + 0.5 * std::sin(0.37 * static_cast<double>(j));
  setup.trip_cost.resize(ports * grounds);
  for (std::size_t o = 0; o < ports; ++o) {
    const double harbour = (static_cast<double>(o) + 0.5) * static_cast<double>(grounds) / static_cast<double>(ports);
    for (std::size_t j = 0; j < grounds; ++j)
      setup.trip_cost[o * grounds + j] = 0.1 * std::abs(static_cast<double>(j) - harbour);
  }
  return setup;
}

// Whole steps of boats choosing among the grounds of a coast: a class (20 boats from 4 ports,
// 25 grounds) and a large fleet (1e5 boats from 10 ports, 1e4 grounds). range(2) 1: the
// utilities differ by port alone, so the boats of a port share one distribution a step; 0: a
// switching cost makes each boat's utilities its own (the per-agent path).
void SiteChoiceStep(benchmark::State& state) {
  const std::int64_t boats = state.range(0);
  const bool classroom = boats < 1000;
  const sim::Registry registry =
      testing::registry_with_grounds(models::default_registry(), coast(classroom ? 25 : 10'000, classroom ? 4 : 10));
  const double switching_cost = state.range(2) != 0 ? 0.0 : 0.5;
  sim::ScenarioSpec spec = cpr_game(
      boats, behaviour("site_choice",
                       {{"effort", 1.0}, {"scale", 0.2}, {"switching_cost", switching_cost}, {"stay_home", true}}));
  spec.name = "bench_site_choice";
  spec.resource = {"fishing_grounds", sim::Parameters{}, "/resource"};
  spec.economics = {1.0, 0.5, 0.0};
  spec.groups.front().cost_per_effort = 0.5;
  spec.output.series = {"harvest", "effort", "rent", "trip_costs"};
  spec.output.sites = false;
  testing::run_whole_steps(state, spec, registry);
}

void sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t agents : {10'000, 1'000'000}) b->Args({agents, 1});
  b->Args({1'000'000, 2});
  b->ArgNames({"agents", "threads"})->UseRealTime();
}

BENCHMARK(Fixed)->Apply(sizes);
BENCHMARK(Cooperative)->Apply(sizes);
BENCHMARK(BestResponseContinuous)->Apply(sizes);
BENCHMARK(BestResponseTokens)->Apply(sizes);
BENCHMARK(Conditional)->Apply(sizes);
BENCHMARK(Ewa)->Apply(sizes);
BENCHMARK(Imitation)->Apply(sizes);
BENCHMARK(Aspiration)->Apply(sizes);
BENCHMARK(HumanWithoutSeats)->Apply(sizes);
BENCHMARK(ImitationBarabasiAlbert)->Apply(sizes);
BENCHMARK(FleetFishery)->Apply(sizes);
BENCHMARK(SiteChoiceStep)
    ->Args({20, 1, 1})
    ->Args({20, 1, 0})
    ->Args({100'000, 1, 1})
    ->Args({100'000, 2, 1})
    ->Args({100'000, 1, 0})
    ->Args({100'000, 2, 0})
    ->ArgNames({"agents", "threads", "shared"})
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
