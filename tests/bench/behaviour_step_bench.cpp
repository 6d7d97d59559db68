// SPDX-License-Identifier: Apache-2.0
// Cost of each behaviour model per agent-step: a whole step (decide, harvest, settle, learn,
// record) of the CPR appropriation game at 1e4 and 1e6 agents, and imitation on a
// Barabasi-Albert network of 1e6 agents beside `fleet` in the fishery, the cheapest behaviour.
//   build/release/tests/bench/behaviour_step_bench --benchmark_min_time=1

#include <fishery_spec.hpp>
#include <step_bench.hpp>

#include <benchmark/benchmark.h>

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

using testing::run_steps;

void Fixed(benchmark::State& state) { run_steps(state, cpr_game(state.range(0), behaviour("fixed", {{"effort", 4.0}}))); }
void Cooperative(benchmark::State& state) { run_steps(state, cpr_game(state.range(0), behaviour("cooperative", {}))); }
void BestResponseContinuous(benchmark::State& state) {
  run_steps(state, cpr_game(state.range(0), behaviour("best_response", {{"belief_weight", 0.3}})));
}
void BestResponseTokens(benchmark::State& state) {
  run_steps(state, cpr_game(state.range(0), behaviour("best_response", {{"belief_weight", 0.3}, {"choices", tokens()}})));
}
void Conditional(benchmark::State& state) {
  run_steps(state, cpr_game(state.range(0), behaviour("conditional", {{"rate", 0.5}, {"bias", -0.5}})));
}
void Ewa(benchmark::State& state) {
  run_steps(state, cpr_game(state.range(0), behaviour("ewa", {{"phi", 0.9}, {"delta", 0.5}, {"rho", 0.9}, {"lambda", 0.5}})));
}
void Imitation(benchmark::State& state) {
  run_steps(state, cpr_game(state.range(0), behaviour("imitation", {{"selection_strength", 1.0}, {"mutation", 0.01}})));
}
void Aspiration(benchmark::State& state) {
  run_steps(state, cpr_game(state.range(0), behaviour("aspiration", {{"aspiration_rate", 0.2}, {"exploration", 1.0}})));
}
void HumanWithoutSeats(benchmark::State& state) {
  run_steps(state, cpr_game(state.range(0), behaviour("human", {{"default_effort", 4.0}})));
}

// The yardstick: imitation over a scale-free network against fleet, per agent-step.
void ImitationBarabasiAlbert(benchmark::State& state) {
  auto spec = cpr_game(state.range(0), behaviour("imitation", {{"selection_strength", 1.0}, {"mutation", 0.01}}));
  spec.network.generator = {"barabasi_albert", sim::Parameters({{"links_per_node", std::int64_t{3}}}), "/network"};
  run_steps(state, spec);
}
void FleetFishery(benchmark::State& state) {
  testing::FisheryParameters p;
  auto spec = testing::fishery_scenario(p, testing::fleet(25.0 / static_cast<double>(state.range(0)), 1e-7, 10.0),
                                        state.range(0), 1'000'000'000);
  spec.output.series = {"stock", "harvest", "effort", "rent"};
  run_steps(state, spec);
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

}  // namespace

BENCHMARK_MAIN();
