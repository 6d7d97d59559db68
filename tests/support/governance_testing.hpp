// SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers shared by the governance rule tests: a fishery whose payoffs are exact binary
// numbers, boats with fixed efforts, rules built in code, and whole runs.

#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/sim/governance_ledger.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace commons::testing {

/// `count` boats that each apply `effort` at `cost` per unit.
struct Boats {
  std::int64_t count = 1;
  double effort = 0.0;
  double cost = 25.0;
};

/// K = X0 = 1024 and q = 2^-7: one unit of effort catches 8 t worth 80, so payoffs, limits
/// and fines are exact binary numbers and tests compare them with EXPECT_EQ.
inline FisheryParameters exact_fishery() {
  FisheryParameters p;
  p.growth_rate = 0.5;
  p.carrying_capacity = 1024.0;
  p.initial_stock = 1024.0;
  p.catchability = 0.0078125;
  p.price = 10.0;
  p.cost_per_effort = 25.0;
  return p;
}

/// The exact fishery with one group of fixed-effort boats per entry of `boats`.
inline sim::ScenarioSpec boats_scenario(const std::vector<Boats>& boats, std::int64_t steps,
                                        std::vector<sim::RuleSpec> rules, std::uint64_t seed = 7) {
  sim::ScenarioSpec spec = fishery_scenario(exact_fishery(), fixed_effort(1.0), 1, steps, 1, seed);
  spec.groups.clear();
  for (std::size_t g = 0; g < boats.size(); ++g)
    spec.groups.push_back(
        {"boats_" + std::to_string(g), boats[g].count, {{1.0, fixed_effort(boats[g].effort)}}, boats[g].cost});
  spec.governance.rules = std::move(rules);
  return spec;
}

using Values = std::map<std::string, sim::ParameterValue, std::less<>>;

inline sim::RuleSpec rule(std::string name, Values values = {}, std::int64_t from = 0,
                          std::int64_t until = std::numeric_limits<std::int64_t>::max()) {
  return sim::RuleSpec{{std::move(name), sim::Parameters(std::move(values)), ""}, from, until};
}

inline sim::RuleSpec full_compliance() { return rule("compliance", {{"mode", std::string("full")}}); }

/// A finished run's samples, and its agent table and governance ledger after the last step
/// (a ledger for no agents when the run has no rules).
struct Outcome {
  sim::RunResult result;
  sim::AgentTable agents;
  sim::GovernanceLedger ledger;
};

inline Outcome run_all(const sim::ScenarioSpec& spec, const sim::Registry& registry = models::default_registry(),
                       sim::ExecutionPolicy policy = {}) {
  sim::Run run(spec, registry, sim::RunTask{0, 0, spec.seed, {}}, policy);
  while (!run.done()) run.step();
  Outcome outcome{{}, run.agents(), run.ledger() != nullptr ? *run.ledger() : sim::GovernanceLedger{}};
  outcome.result = run.take_result();
  return outcome;
}

/// The column `column` that rules shared through `ledger`; throws when no rule used it.
inline const std::vector<double>& shared(const sim::GovernanceLedger& ledger, const sim::SharedColumn& column) {
  const std::vector<double>* values = ledger.find_shared(column.name);
  if (values == nullptr) throw std::out_of_range(std::string(column.name));
  return *values;
}

inline const std::vector<double>& series(const sim::RunResult& result, const std::string& name) {
  for (const sim::SeriesData& s : result.series)
    if (s.info.name == name) return s.values;
  throw std::out_of_range(name);
}

/// Where two runs' series first differ in any bit (NaN payloads too), as "series step t", or
/// "" when they are the same bits: what the serial and the parallel executor must agree on.
inline std::string first_bit_difference(const sim::RunResult& a, const sim::RunResult& b) {
  if (a.series.size() != b.series.size()) return "the number of series";
  for (std::size_t s = 0; s < a.series.size(); ++s) {
    const std::vector<double>& x = a.series[s].values;
    const std::vector<double>& y = b.series[s].values;
    if (x.size() != y.size()) return a.series[s].info.name + " length";
    for (std::size_t t = 0; t < x.size(); ++t)
      if (std::bit_cast<std::uint64_t>(x[t]) != std::bit_cast<std::uint64_t>(y[t]))
        return a.series[s].info.name + " step " + std::to_string(t);
  }
  return "";
}

/// `values` with every NaN (a rule variable out of force) replaced by `stand_in`, so that
/// whole series compare with EXPECT_EQ.
inline std::vector<double> with_nan_as(std::vector<double> values, double stand_in) {
  for (double& v : values) v = std::isnan(v) ? stand_in : v;
  return values;
}

/// One step of the testing fishery with `agents` agents and a fresh ledger, for calling a rule's
/// apply directly (RuleContext) on agents and a ledger a test sets up.
struct FisheryStep {
  FisheryStep(std::size_t agents, std::uint64_t seed)
      : resource(models::FisheryLogistic::Parameters::from(fishery(parameters).parameters)),
        random(seed, 0),
        observation(resource.observe()),
        step{0, random, economics, observation, policy, resource, previous, nullptr, nullptr},
        ledger(agents) {
    table.append_group(0, agents, parameters.cost_per_effort);
  }
  [[nodiscard]] sim::RuleContext context() { return {step, table, ledger, resource, nullptr, settings}; }

  const FisheryParameters parameters;
  const models::FisheryLogistic resource;
  const sim::RandomStream random;
  const sim::Economics economics{parameters.price, parameters.cost_per_effort, 0.0};
  const sim::Observation observation;
  const sim::ExecutionPolicy policy{true};
  const sim::StepOutcome previous;
  const sim::StepContext step;
  sim::AgentTable table;
  sim::GovernanceLedger ledger;
  std::map<std::string, double, std::less<>> settings;
};

/// The SpecError text `Rule::Parameters::from` raises for `values`, or "accepted".
template <class Rule>
std::string refusal(Values values) {
  try {
    (void)Rule::Parameters::from(sim::Parameters(std::move(values)));
  } catch (const sim::SpecError& error) {
    return error.what();
  }
  return "accepted";
}

}  // namespace commons::testing
