// SPDX-License-Identifier: Apache-2.0
// Throughput of one step of the Gordon-Schaefer fishery, in agent-steps per second, for the
// fleet and fixed behaviours at 1e3, 1e4 and 1e6 agents on 1 and 2 threads; and the observation
// errors of noisy observation alone.
//   build/release/tests/bench/fishery_step_bench --benchmark_min_time=2

#include <commons/sim/observation.hpp>
#include <commons/sim/random.hpp>

#include <fishery_spec.hpp>
#include <step_bench.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace {

using namespace commons;

// Per agent and step the phases stream these columns: decide copies planned effort (r+w),
// harvest reads effort and writes harvest, settle reads effort, harvest and unit cost and
// writes income and cumulative income (r+w), learn reads effort and unit cost and writes
// planned effort. 13 doubles in all.
constexpr std::int64_t bytes_per_agent_step = 13 * sizeof(double);

sim::ScenarioSpec scenario(std::int64_t agents, sim::ComponentSpec behaviour, double noise) {
  testing::FisheryParameters p;
  p.observation_noise = noise;
  auto spec = testing::fishery_scenario(p, std::move(behaviour), agents, 1'000'000'000);
  // Gini needs a sort of all incomes each step; it is measured apart below.
  spec.output.series = {"stock", "harvest", "effort", "rent"};
  return spec;
}

void run_steps(benchmark::State& state, const sim::ScenarioSpec& spec) {
  testing::run_whole_steps(state, spec);
  state.SetBytesProcessed(state.iterations() * spec.agent_count() * bytes_per_agent_step);
}

// Each agent's share of the MSY effort r/(2q) = 25, so the stock stays near K/2 and no step
// is rationed, however many agents there are.
double msy_share(std::int64_t agents) { return 25.0 / static_cast<double>(agents); }

void FleetStep(benchmark::State& state) {
  // A small eta keeps the fleet moving slowly for the whole measurement.
  run_steps(state, scenario(state.range(0), testing::fleet(msy_share(state.range(0)), 1e-7, 10.0), 0.0));
}

void FleetStepNoisyObservation(benchmark::State& state) {
  run_steps(state, scenario(state.range(0), testing::fleet(msy_share(state.range(0)), 1e-7, 10.0), 0.1));
}

void FixedStep(benchmark::State& state) {
  run_steps(state, scenario(state.range(0), testing::fixed_effort(msy_share(state.range(0))), 0.0));
}

void FleetStepWithGini(benchmark::State& state) {
  auto spec = scenario(state.range(0), testing::fleet(msy_share(state.range(0)), 1e-7, 10.0), 0.0);
  spec.output.series.push_back("gini");
  run_steps(state, spec);
}

// Noise makes every agent's effort, and so its income, its own: the Gini sort then has a
// million distinct values to order, as in real runs, not one value repeated.
void FleetStepNoisyObservationWithGini(benchmark::State& state) {
  auto spec = scenario(state.range(0), testing::fleet(msy_share(state.range(0)), 1e-7, 10.0), 0.1);
  spec.output.series.push_back("gini");
  run_steps(state, spec);
}

// What noisy observation costs per agent, without the rest of the step: the Philox block
// alone, the error factor as it was made before issue 13 (libm's log, cos, sqrt and exp per
// agent, kept here as the reference) and as Observation::error_factors makes it now.
constexpr std::size_t observed_agents = 1'000'000;

std::vector<std::uint64_t> agent_ids() {
  std::vector<std::uint64_t> ids(observed_agents);
  std::iota(ids.begin(), ids.end(), std::uint64_t{0});
  return ids;
}

void PhiloxBlocks(benchmark::State& state) {
  const sim::RandomStream random(7, 0);
  const auto ids = agent_ids();
  std::vector<double> out(observed_agents);
  std::uint64_t step = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < observed_agents; ++i)
      out[i] = sim::RandomStream::to_open_unit(random.bits(step, ids[i], sim::Purpose::observe)[0]);
    benchmark::DoNotOptimize(out.data());
    ++step;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(observed_agents));
}

void ErrorFactorsLibm(benchmark::State& state) {
  const sim::RandomStream random(7, 0);
  const auto ids = agent_ids();
  std::vector<double> out(observed_agents);
  constexpr double sd = 0.1;
  std::uint64_t step = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < observed_agents; ++i)
      out[i] = std::exp(sd * random.normal(step, ids[i], sim::Purpose::observe) - 0.5 * sd * sd);
    benchmark::DoNotOptimize(out.data());
    ++step;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(observed_agents));
}

void ErrorFactorsBatch(benchmark::State& state) {
  const sim::RandomStream random(7, 0);
  const auto ids = agent_ids();
  std::vector<double> out(observed_agents);
  sim::Observation seen;
  seen.noise_sd = 0.1;
  seen.random = &random;
  for (auto _ : state) {
    seen.error_factors(ids, out);
    benchmark::DoNotOptimize(out.data());
    ++seen.step;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(observed_agents));
}

void agent_counts(benchmark::internal::Benchmark* b) {
  for (std::int64_t threads : {1, 2})
    for (std::int64_t agents : {1'000, 10'000, 1'000'000}) b->Args({agents, threads});
  b->ArgNames({"agents", "threads"})->UseRealTime();
}

BENCHMARK(FleetStep)->Apply(agent_counts);
BENCHMARK(FleetStepNoisyObservation)->Apply(agent_counts);
BENCHMARK(FixedStep)->Apply(agent_counts);

void large_runs(benchmark::internal::Benchmark* b) {
  b->Args({1'000'000, 1})->Args({1'000'000, 2})->ArgNames({"agents", "threads"})->UseRealTime();
}

BENCHMARK(FleetStepWithGini)->Apply(large_runs);
BENCHMARK(FleetStepNoisyObservationWithGini)->Apply(large_runs);
BENCHMARK(PhiloxBlocks)->UseRealTime();
BENCHMARK(ErrorFactorsLibm)->UseRealTime();
BENCHMARK(ErrorFactorsBatch)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
