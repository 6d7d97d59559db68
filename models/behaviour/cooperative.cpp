// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/cooperative.hpp>

#include <commons/models/behaviour/agent_efforts.hpp>
#include <commons/models/behaviour/common_parameters.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <limits>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "cooperative",
      .summary =
          "Plays a fixed share of its equal part of the social optimum: effort = share_of_optimum x optimal total "
          "effort / number of agents, capped; initial_effort when the resource has no optimum.",
      .parameters = {{.name = "share_of_optimum",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Multiple of the agent's equal share of the socially optimal total effort",
                      .unit = "1",
                      .note = "1 is the optimum",
                      .minimum = sim::Bound{0.0},
                      .default_value = 1.0},
                     max_effort_parameter(),
                     initial_effort_parameter()}};
  return described;
}

}  // namespace

Cooperative::Cooperative(const sim::Parameters& parameters, const sim::GroupContext& group) : first_(group.first) {
  const std::vector<double> cap = effort_caps(parameters, group);
  const auto optimum = sim::optimal_total_effort(group.resource, group.economics);
  if (optimum && group.agent_count > 0) {
    const double per_agent_optimum = *optimum / static_cast<double>(group.agent_count);
    effort_ = sim::per_agent(parameters, "share_of_optimum", group.ids, group.random, 1.0, 0.0);
    for (std::size_t k = 0; k < group.count; ++k)
      effort_[k] = std::clamp(effort_[k] * per_agent_optimum, 0.0, cap[k]);
  } else {
    effort_ = sim::per_agent(parameters, "initial_effort", group.ids, group.random, 0.0, 0.0);
    for (std::size_t k = 0; k < group.count; ++k) effort_[k] = std::clamp(effort_[k], 0.0, cap[k]);
  }
}

void Cooperative::decide(const sim::StepContext&, sim::AgentSpan agents) {
  const double* planned = effort_.data() + (agents.first - first_);
  std::copy(planned, planned + agents.size(), agents.effort().begin());
}

COMMONS_REGISTER_MODELS(cooperative) {
  registry.add_behaviour(descriptor(), [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Cooperative>(spec.parameters, group);
  });
}

}  // namespace commons::models
