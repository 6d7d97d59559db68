// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/fleet.hpp>

#include <commons/models/registration.hpp>

#include <commons/sim/agent_parameters.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>

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
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Effort of each agent in the first step",
                      .unit = "effort unit",
                      .required = true,
                      .minimum = sim::Bound{0.0}},
                     {.name = "adjustment_rate",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Adjustment speed eta: relative change of effort per unit of profit per effort",
                      .unit = "effort unit/money",
                      .required = true,
                      .minimum = sim::Bound{0.0, true}},
                     {.name = "max_effort",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Upper bound on each agent's effort",
                      .unit = "effort unit",
                      .note = "default: no bound",
                      .minimum = sim::Bound{0.0, true}}}};
  return described;
}

}  // namespace

namespace {

constexpr double unbounded = std::numeric_limits<double>::infinity();
/// Agents whose observation errors are drawn together: enough for the vector loops, few
/// enough for the factors to stay in L1.
constexpr std::size_t noise_block = 256;

// A parameter's value per agent when the scenario draws it per agent; empty when it is one
// number for the group, which `shared` then holds (so that the common case steps at full speed).
std::vector<double> drawn_or_shared(const sim::Parameters& parameters, std::string_view name,
                                    const sim::GroupContext& group, double fallback, double& shared) {
  if (parameters.distribution(name) != nullptr) return sim::per_agent(parameters, name, group.ids, group.random, fallback, 0.0);
  shared = parameters.number_or(name, fallback);
  return {};
}

}  // namespace

Fleet::Fleet(const sim::Parameters& parameters, const sim::GroupContext& group)
    : group_first_(group.first), price_(group.economics.price) {
  adjustment_rates_ = drawn_or_shared(parameters, "adjustment_rate", group, 0.0, adjustment_rate_);
  caps_ = drawn_or_shared(parameters, "max_effort", group, unbounded, cap_);
  planned_effort_ = sim::per_agent(parameters, "initial_effort", group.ids, group.random, 0.0, 0.0);
  for (std::size_t i = 0; i < planned_effort_.size(); ++i)
    planned_effort_[i] = std::min(planned_effort_[i], caps_.empty() ? cap_ : caps_[i]);
}

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
  const std::size_t offset = agents.first - group_first_;
  double* planned = planned_effort_.data() + offset;
  if (adjustment_rates_.empty() && caps_.empty()) {
    // One eta and one cap for the group: the loop the fleet benchmark measures.
    const double eta = adjustment_rate_;
    const double cap = cap_;
    if (seen.noise_sd == 0.0) {
      const double revenue_per_effort = price_ * seen.harvest_per_effort;
      for (std::size_t i = 0; i < n; ++i)
        planned[i] = std::clamp(effort[i] + eta * (revenue_per_effort - cost[i]) * effort[i], 0.0, cap);
    } else {
      // Each agent's error factor, a block at a time (vector loops); the same values as
      // seen.seen_harvest_per_effort gives one agent at a time.
      std::array<double, noise_block> factor;
      for (std::size_t begin = 0; begin < n; begin += noise_block) {
        const std::size_t count = std::min(noise_block, n - begin);
        seen.error_factors({id + begin, count}, {factor.data(), count});
        for (std::size_t i = begin; i < begin + count; ++i) {
          const double revenue_per_effort = price_ * (seen.harvest_per_effort * factor[i - begin]);
          planned[i] = std::clamp(effort[i] + eta * (revenue_per_effort - cost[i]) * effort[i], 0.0, cap);
        }
      }
    }
    return;
  }
  std::array<double, noise_block> factor;
  for (std::size_t begin = 0; begin < n; begin += noise_block) {
    const std::size_t count = std::min(noise_block, n - begin);
    seen.error_factors({id + begin, count}, {factor.data(), count});
    for (std::size_t i = begin; i < begin + count; ++i) {
      const double eta = adjustment_rates_.empty() ? adjustment_rate_ : adjustment_rates_[offset + i];
      const double cap = caps_.empty() ? cap_ : caps_[offset + i];
      const double revenue_per_effort = price_ * (seen.harvest_per_effort * factor[i - begin]);
      planned[i] = std::clamp(effort[i] + eta * (revenue_per_effort - cost[i]) * effort[i], 0.0, cap);
    }
  }
}

COMMONS_REGISTER_MODELS(fleet) {
  registry.add_behaviour(descriptor(), [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Fleet>(spec.parameters, group);
  });
}

}  // namespace commons::models
