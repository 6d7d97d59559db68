// SPDX-License-Identifier: Apache-2.0
// Cost of local self-governance and co-management, at 1e4 and 1e6 agents on 1 and 2 threads:
// - PeerRulePhases: the rule phases alone (peer_monitoring announce + monitor, peer_sanction
//   sanction) on a prepared agent table and governance ledger, without a network (each member
//   watches one member drawn at random) and over a Barabasi-Albert network (m = 3, every member
//   watches its neighbours, about 6 per agent);
// - whole steps of one fishery: open access, a state regime (tac + inspection + compliance),
//   the bundled `local` regime (Ostrom's design principles, peers watching without a network),
//   and a co-managed regime over a Barabasi-Albert network (effort_cap + peer_monitoring +
//   peer_sanction + state_recognition + time_bank + compliance), so that the cost of governance
//   per agent-step is the difference with the open-access step.
//   build/release/tests/bench/governance_step_bench --benchmark_min_time=2

#include <commons/models/governance/peer_monitoring.hpp>
#include <commons/models/governance/peer_sanction.hpp>
#include <commons/models/governance/shared_columns.hpp>
#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/sim/governance_ledger.hpp>
#include <commons/sim/network.hpp>
#include <commons/sim/network_generators.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>
#include <step_bench.hpp>

#include <benchmark/benchmark.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace commons;

// Each agent's share of the MSY effort r/(2q) = 25, so that no step is rationed however many
// agents there are; half the boats put in 1.5 shares, half 0.5.
double msy_share(std::int64_t agents) { return 25.0 / static_cast<double>(agents); }

/// peer_monitoring (accuracy 0.5, false positives 0.05, one hour at 0.1) and peer_sanction
/// (propensity 0.5) acting on n agents of whom every third broke a limit.
void PeerRulePhases(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const bool networked = state.range(1) != 0;
  const sim::RandomStream random(7, 0);
  const testing::FisheryParameters fishery;
  const models::FisheryLogistic resource(models::FisheryLogistic::Parameters::from(testing::fishery(fishery).parameters));
  const sim::Economics economics{fishery.price, fishery.cost_per_effort, 0.0};
  const sim::Observation observation = resource.observe();
  const sim::ExecutionPolicy policy{true};
  const sim::StepOutcome previous;
  std::optional<sim::Network> network;
  if (networked) network = sim::barabasi_albert(n, 3, random);

  sim::AgentTable agents;
  agents.append_group(0, n, fishery.cost_per_effort);
  sim::GovernanceLedger ledger(n);
  std::vector<double>& hours_given = ledger.shared(models::monitoring_hours_column);
  const double share = msy_share(state.range(0));
  for (std::size_t i = 0; i < n; ++i) {
    agents.effort[i] = share * (i % 2 == 0 ? 1.5 : 0.5);
    ledger.violations[i] = i % 3 == 0 ? 1.0 : 0.0;
  }
  models::PeerMonitoring::Parameters watch = models::PeerMonitoring::Parameters::from(sim::Parameters(
      {{"accuracy", 0.5}, {"false_positive", 0.05}, {"hours", 1.0}, {"cost_per_hour", 0.1}}));
  models::PeerMonitoring monitoring(watch);
  models::PeerSanction sanction(models::PeerSanction::Parameters::from(sim::Parameters({{"propensity", 0.5}})));
  std::map<std::string, double, std::less<>> settings;

  tbb::task_arena arena(static_cast<int>(state.range(2)));
  arena.execute([&] {
    std::int64_t step = 0;
    for (auto _ : state) {
      // What the engine clears at the start of a step, for the columns these rules write.
      for (std::vector<double>* column :
           {&ledger.detection_probability, &ledger.detected, &ledger.fine, &ledger.fee, &hours_given})
        std::fill(column->begin(), column->end(), 0.0);
      const sim::StepContext context{step++,    random,   economics, observation,
                                     policy,    resource, previous,  nullptr,
                                     network ? &*network : nullptr};
      sim::RuleContext rules{context, agents, ledger, resource, context.network, settings};
      monitoring.apply(sim::Phase::announce, rules);
      monitoring.apply(sim::Phase::monitor, rules);
      sanction.apply(sim::Phase::sanction, rules);
      benchmark::DoNotOptimize(ledger.fine.data());
    }
  });
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["agents"] = static_cast<double>(n);
  state.counters["edges"] = network ? static_cast<double>(network->edge_count()) : 0.0;
}

sim::RuleSpec rule(std::string name, std::map<std::string, sim::ParameterValue, std::less<>> values = {}) {
  return sim::RuleSpec{{std::move(name), sim::Parameters(std::move(values)), ""}};
}

enum class Regime { open_access, state, local, comanaged };

sim::ScenarioSpec fishery(std::int64_t agents, Regime regime) {
  const testing::FisheryParameters p;
  const double share = msy_share(agents);
  auto spec = testing::fishery_scenario(p, testing::fixed_effort(1.5 * share), agents / 2, 1'000'000'000);
  spec.groups.push_back({"small_boats", agents - agents / 2, {{1.0, testing::fixed_effort(0.5 * share)}}, p.cost_per_effort});
  spec.output.series = {"stock", "harvest", "effort", "rent"};
  if (regime == Regime::state) {
    spec.governance.rules = {rule("tac", {{"fraction_of_msy", 0.8}}),
                             rule("inspection", {{"probability", 0.1}, {"fine_per_violation", 50.0}}),
                             rule("compliance")};
  } else if (regime == Regime::local) {
    // The bundled regime: membership, a limit the members vote on, peer monitoring without a
    // network, graduated sanctions, conflict resolution and compliance.
    spec.governance.regime = "local";
  } else if (regime == Regime::comanaged) {
    spec.network.generator = {"barabasi_albert", sim::Parameters({{"links_per_node", std::int64_t{3}}}), "/network"};
    spec.governance.rules = {rule("effort_cap", {{"cap", share}}),
                             rule("peer_monitoring", {{"accuracy", 0.5}, {"cost_per_hour", 0.1}}),
                             rule("peer_sanction", {{"propensity", 0.5}}),
                             rule("state_recognition", {{"state_fine", 20.0}}),
                             rule("time_bank", {{"payback", std::string("fees")}, {"money_per_credit", 0.05}}),
                             rule("compliance")};
  }
  return spec;
}

void OpenAccessStep(benchmark::State& state) { testing::run_whole_steps(state, fishery(state.range(0), Regime::open_access)); }
void StateRegimeStep(benchmark::State& state) { testing::run_whole_steps(state, fishery(state.range(0), Regime::state)); }
void LocalRegimeStep(benchmark::State& state) { testing::run_whole_steps(state, fishery(state.range(0), Regime::local)); }
void ComanagedStep(benchmark::State& state) { testing::run_whole_steps(state, fishery(state.range(0), Regime::comanaged)); }

void agent_counts(benchmark::internal::Benchmark* b) {
  for (std::int64_t threads : {1, 2})
    for (std::int64_t agents : {10'000, 1'000'000}) b->Args({agents, threads});
  b->ArgNames({"agents", "threads"})->UseRealTime();
}

void phase_cases(benchmark::internal::Benchmark* b) {
  for (std::int64_t threads : {1, 2})
    for (std::int64_t networked : {0, 1})
      for (std::int64_t agents : {10'000, 1'000'000}) b->Args({agents, networked, threads});
  b->ArgNames({"agents", "network", "threads"})->UseRealTime();
}

BENCHMARK(PeerRulePhases)->Apply(phase_cases)->Unit(benchmark::kMillisecond);
BENCHMARK(OpenAccessStep)->Apply(agent_counts)->Unit(benchmark::kMillisecond);
BENCHMARK(StateRegimeStep)->Apply(agent_counts)->Unit(benchmark::kMillisecond);
BENCHMARK(LocalRegimeStep)->Apply(agent_counts)->Unit(benchmark::kMillisecond);
BENCHMARK(ComanagedStep)->Apply(agent_counts)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
