// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The interface a governance rule implements. A regime is a list of rules; each rule hooks
/// into the phases it names and acts on all agents at once. Rules talk to agents through the
/// run's governance ledger (limits in, violations, fines and transfers out), so that rules
/// compose: one sets a quota, another inspects, a third fines.

#include <commons/sim/agent_table.hpp>
#include <commons/sim/governance_ledger.hpp>
#include <commons/sim/phases.hpp>
#include <commons/sim/run_result.hpp>
#include <commons/sim/step_context.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace commons::sim {

class Network;
class Resource;
struct Economics;

/// What a rule may touch in a phase.
struct RuleContext {
  const StepContext& step;
  AgentTable& agents;
  /// What the institutions hold about each agent, rows as in `agents`.
  GovernanceLedger& ledger;
  const Resource& resource;
  /// The social network (who monitors whom), or nullptr.
  const Network* network = nullptr;
  /// Settings that rules share and that persist for the run, by name: one rule sets the
  /// community's appropriation limit, a vote in another changes it. Names are documented
  /// with the rules that use them (docs/governance.md).
  std::map<std::string, double, std::less<>>& settings;
};

/// The world a rule will meet, as far as it is known before the run: what Rule::check reads.
struct RuleCheck {
  const Resource& resource;
  const Economics& economics;
  /// Agents in the run, all groups together.
  std::size_t agent_count = 0;
  std::int64_t steps = 0;
  /// Groups of agents in the scenario (territories held by groups).
  std::size_t group_count = 0;
};

class Rule {
 public:
  virtual ~Rule() = default;
  /// Throws SpecError if the rule cannot act in such a world: a reference point the resource
  /// does not have, shares for another number of agents. Called before the first step, by
  /// `commons validate` and `commons run` alike; a rule reads what it checks through the same
  /// code in apply(), so the two cannot disagree.
  virtual void check(const RuleCheck& /*world*/) const {}
  /// The phases this rule acts in, in phase order.
  [[nodiscard]] virtual std::span<const Phase> phases() const = 0;
  virtual void apply(Phase phase, RuleContext& context) = 0;

  /// Variables the rule records each step (enforcement cost, quota price...), in the order
  /// `sample` writes them. Sampled in the record phase, also in steps the rule is not in force.
  [[nodiscard]] virtual std::vector<VariableInfo> variables() const { return {}; }
  virtual void sample(std::span<double> /*values*/) const {}

  /// Ostrom's (1990) design principles (1..8) the rule realises; docs/governance.md.
  [[nodiscard]] virtual std::vector<int> design_principles() const { return {}; }
};

}  // namespace commons::sim
