// SPDX-License-Identifier: Apache-2.0
// The Gini series alone: the bucket sort on reused buffers against what one would write
// instead (copy, std::sort, one running sum), on incomes that are all distinct.
#include <commons/sim/statistics.hpp>

#include "plain_gini.hpp"

#include <benchmark/benchmark.h>
#include <oneapi/tbb/task_arena.h>

#include <random>
#include <vector>

namespace {

using namespace commons;

std::vector<double> lognormal_incomes(std::size_t n) {
  std::mt19937_64 engine(42);
  std::lognormal_distribution<double> income(0.0, 0.5);
  std::vector<double> values(n);
  for (double& value : values) value = income(engine);
  return values;
}

void GiniBucketSort(benchmark::State& state) {
  const std::vector<double> values = lognormal_incomes(static_cast<std::size_t>(state.range(0)));
  tbb::task_arena arena(static_cast<int>(state.range(1)));
  sim::GiniCalculator gini;
  for (auto _ : state)
    arena.execute([&] { benchmark::DoNotOptimize(gini(values, sim::ExecutionPolicy{.parallel_agents = true})); });
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void GiniStdSort(benchmark::State& state) {
  const std::vector<double> values = lognormal_incomes(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(testing::plain_gini(values));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

BENCHMARK(GiniBucketSort)
    ->Args({10'000, 1})
    ->Args({1'000'000, 1})
    ->Args({1'000'000, 2})
    ->ArgNames({"values", "threads"})
    ->UseRealTime();
BENCHMARK(GiniStdSort)->Arg(10'000)->Arg(1'000'000)->ArgName("values")->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
