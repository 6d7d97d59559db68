// SPDX-License-Identifier: Apache-2.0
// Cost of the ITQ market: the uniform-price call auction alone (orders per second, O(n log n))
// and the same book cleared by CallMarket (radix-sorted, reused buffers) at 1e4 and 1e6
// orders, and a whole governed fishery step under `itq` (with `compliance`, mode full) against
// the open-access step, at 1e4 and 1e6 agents on 1 and 2 threads.
//   build/release/tests/bench/itq_auction_bench --benchmark_min_time=2

#include <commons/models/governance/call_auction.hpp>
#include <commons/models/register_models.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>
#include <step_bench.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace commons;

/// A book of n orders, half bids and half asks, with prices and quantities spread so that
/// about half the units trade.
struct Book {
  std::vector<models::Order> bids, asks;
};

/// n orders in ascending agent id, alternately a bid and an ask.
Book random_book(std::size_t n) {
  std::mt19937_64 engine(42);
  std::uniform_real_distribution<double> price(0.0, 10.0);
  std::uniform_real_distribution<double> quantity(0.1, 5.0);
  Book book;
  for (std::size_t k = 0; k < n; ++k)
    (k % 2 == 0 ? book.bids : book.asks).push_back({static_cast<std::uint64_t>(k), price(engine), quantity(engine)});
  return book;
}

void CallAuction(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto [bids, asks] = random_book(n);
  for (auto _ : state) {
    models::AuctionResult result = models::call_auction(bids, asks);
    benchmark::DoNotOptimize(result.price);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["orders"] = static_cast<double>(n);
}

/// The same book cleared by CallMarket, the ITQ rule's market: orders come in ascending agent
/// id, so the books are radix-sorted, on buffers kept between clearings.
void CallMarketClear(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto [bids, asks] = random_book(n);
  models::CallMarket market;
  for (auto _ : state) {
    const models::AuctionResult& result = market.clear(bids, asks);
    benchmark::DoNotOptimize(result.price);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["orders"] = static_cast<double>(n);
}

/// Half the boats fish 1.5 times, half 0.5 times their share of the MSY effort r/(2q) = 25, so
/// total effort stays at the MSY effort whatever the fleet size; under the ITQ (TAC 0.8 MSY)
/// the small boats lease their unused quota to the big ones every step.
sim::ScenarioSpec fishery(std::int64_t agents, bool itq) {
  const testing::FisheryParameters p;
  const double share = 25.0 / static_cast<double>(agents);
  auto spec = testing::fishery_scenario(p, testing::fixed_effort(1.5 * share), agents / 2, 1'000'000'000);
  spec.groups.push_back({"small_boats", agents - agents / 2, {{1.0, testing::fixed_effort(0.5 * share)}}, p.cost_per_effort});
  spec.output.series = {"stock", "harvest", "effort", "rent"};
  if (itq) {
    spec.governance.rules = {
        sim::RuleSpec{{"itq", sim::Parameters({{"fraction_of_msy", 0.8}}), ""}},
        sim::RuleSpec{{"compliance", sim::Parameters({{"mode", std::string("full")}}), ""}}};
    spec.output.series.insert(spec.output.series.end(), {"quota_price", "quota_traded", "holdings_gini"});
  }
  return spec;
}

void OpenAccessStep(benchmark::State& state) { testing::run_whole_steps(state, fishery(state.range(0), false)); }
void ItqStep(benchmark::State& state) { testing::run_whole_steps(state, fishery(state.range(0), true)); }

void agent_counts(benchmark::internal::Benchmark* b) {
  for (std::int64_t threads : {1, 2})
    for (std::int64_t agents : {10'000, 1'000'000}) b->Args({agents, threads});
  b->ArgNames({"agents", "threads"})->UseRealTime();
}

BENCHMARK(CallAuction)->Arg(10'000)->Arg(1'000'000)->ArgName("orders")->Unit(benchmark::kMillisecond);
BENCHMARK(CallMarketClear)->Arg(10'000)->Arg(1'000'000)->ArgName("orders")->Unit(benchmark::kMillisecond);
BENCHMARK(OpenAccessStep)->Apply(agent_counts)->Unit(benchmark::kMillisecond);
BENCHMARK(ItqStep)->Apply(agent_counts)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
