// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/effort_cap.hpp>

#include <commons/models/registration.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{.kind = sim::ModelKind::rule,
                                              .name = "effort_cap",
                                              .summary = "Each agent's effort limit is at most cap.",
                                              .parameters = {{.name = "cap",
                                                              .type = sim::ParameterType::per_agent_number,
                                                              .meaning = "Most effort an agent may apply in a step",
                                                              .unit = "effort unit",
                                                              .required = true,
                                                              .minimum = sim::Bound{0.0}}},
                                              .order = {.phases = {sim::Phase::announce}},
                                              .design_principles = {2}};
  return described;
}

}  // namespace

EffortCap::Parameters EffortCap::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  if (!values.contains("cap")) throw sim::SpecError("effort_cap: cap is required");
  p.cap = detail::PerAgentNumber::read(values, "effort_cap", "cap", 0.0, 0.0);
  return p;
}

EffortCap::EffortCap(Parameters parameters) : parameters_(std::move(parameters)) {}

std::span<const sim::Phase> EffortCap::phases() const { return descriptor().order.phases; }

void EffortCap::apply(sim::Phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::effort_limit});
  if (cap_.size() != agents.size()) cap_ = parameters_.cap.for_agents(agents.id, context.step.random);
  // Limits combine by minimum: the strictest rule in force binds.
  sim::for_each_block(agents.size(), context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) ledger.effort_limit[i] = std::min(ledger.effort_limit[i], cap_[i]);
  });
}

std::vector<int> EffortCap::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(effort_cap) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<EffortCap>(EffortCap::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
