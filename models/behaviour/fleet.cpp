// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/fleet.hpp>

#include <commons/models/registration.hpp>

#include <algorithm>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "fleet",
      .summary =
          "Smith's entry and exit: effort grows with profit per unit of effort, E[t+1] = max(0, min(max_effort, E[t] + "
          "adjustment_rate * profit_per_effort * E[t])).",
      .parameters = {{.name = "initial_effort",
                      .type = sim::ParameterType::number,
                      .meaning = "Effort of each agent in the first step",
                      .unit = "effort unit",
                      .required = true,
                      .minimum = sim::Bound{0.0}},
                     {.name = "adjustment_rate",
                      .type = sim::ParameterType::number,
                      .meaning = "Adjustment speed eta: relative change of effort per unit of profit per effort",
                      .unit = "effort unit/money",
                      .required = true,
                      .minimum = sim::Bound{0.0, true}},
                     {.name = "max_effort",
                      .type = sim::ParameterType::number,
                      .meaning = "Upper bound on each agent's effort",
                      .unit = "effort unit",
                      .note = "default: no bound",
                      .minimum = sim::Bound{0.0, true}}}};
  return described;
}

}  // namespace

Fleet::Parameters Fleet::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.initial_effort = values.number("initial_effort");
  p.adjustment_rate = values.number("adjustment_rate");
  p.max_effort = values.number_or("max_effort", std::numeric_limits<double>::infinity());
  return p;
}

Fleet::Fleet(const Parameters& parameters, const sim::GroupContext& group)
    : parameters_(parameters),
      group_first_(group.first),
      price_(group.economics.price),
      planned_effort_(group.count, std::min(parameters.initial_effort, parameters.max_effort)) {}

void Fleet::decide(const sim::StepContext&, sim::AgentSpan agents) {
  const double* planned = planned_effort_.data() + (agents.first - group_first_);
  std::copy(planned, planned + agents.size(), agents.effort().begin());
}

void Fleet::learn(const sim::StepContext& context, sim::AgentSpan agents) {
  const sim::Observation& seen = context.observation;
  const std::size_t n = agents.size();
  const double* effort = agents.table->effort.data() + agents.first;
  const double* cost = agents.table->cost_per_effort.data() + agents.first;
  const std::uint64_t* id = agents.table->id.data() + agents.first;
  double* planned = planned_effort_.data() + (agents.first - group_first_);
  const double eta = parameters_.adjustment_rate;
  const double cap = parameters_.max_effort;
  if (seen.noise_sd == 0.0) {
    const double revenue_per_effort = price_ * seen.harvest_per_effort;
    for (std::size_t i = 0; i < n; ++i)
      planned[i] = std::clamp(effort[i] + eta * (revenue_per_effort - cost[i]) * effort[i], 0.0, cap);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const double revenue_per_effort = price_ * seen.seen_harvest_per_effort(id[i]);
      planned[i] = std::clamp(effort[i] + eta * (revenue_per_effort - cost[i]) * effort[i], 0.0, cap);
    }
  }
}

COMMONS_REGISTER_MODELS(fleet) {
  registry.add_behaviour(descriptor(), [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Fleet>(Fleet::Parameters::from(spec.parameters), group);
  });
}

}  // namespace commons::models
