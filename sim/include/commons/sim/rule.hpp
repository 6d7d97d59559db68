// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The interface a governance rule implements. A regime is a list of rules; each rule hooks
/// into the phases it names and acts on the whole agent table at once.

#include <commons/sim/agent_table.hpp>
#include <commons/sim/phases.hpp>
#include <commons/sim/step_context.hpp>

#include <span>

namespace commons::sim {

class Resource;

/// What a rule may touch in a phase.
struct RuleContext {
  const StepContext& step;
  AgentTable& agents;
  const Resource& resource;
};

class Rule {
 public:
  virtual ~Rule() = default;
  /// The phases this rule acts in, in phase order.
  [[nodiscard]] virtual std::span<const Phase> phases() const = 0;
  virtual void apply(Phase phase, RuleContext& context) = 0;
};

}  // namespace commons::sim
