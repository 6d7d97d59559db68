// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/effort_cap.hpp>

#include <commons/sim/parallel.hpp>

#include <algorithm>

namespace commons::models {
namespace {

constexpr sim::Phase effort_cap_phases[] = {sim::Phase::announce};

}  // namespace

EffortCap::Parameters EffortCap::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  if (!values.contains("cap")) throw sim::SpecError("effort_cap: cap is required");
  p.cap = detail::PerAgentNumber::read(values, "effort_cap", "cap", 0.0, 0.0);
  return p;
}

EffortCap::EffortCap(Parameters parameters) : parameters_(std::move(parameters)) {}

std::span<const sim::Phase> EffortCap::phases() const { return effort_cap_phases; }

void EffortCap::apply(sim::Phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  if (cap_.size() != agents.size()) cap_ = parameters_.cap.for_agents(agents.id, context.step.random);
  // Limits combine by minimum: the strictest rule in force binds.
  sim::for_each_block(agents.size(), context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) agents.effort_limit[i] = std::min(agents.effort_limit[i], cap_[i]);
  });
}

}  // namespace commons::models
