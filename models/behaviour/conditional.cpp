// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/conditional.hpp>

#include <commons/models/behaviour/agent_efforts.hpp>
#include <commons/models/behaviour/common_parameters.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "conditional",
      .summary =
          "Conditional cooperation: moves its effort towards a target, the others' last average effort plus bias, "
          "effort <- effort + rate (target - effort); defects (target = cap) when the others' average exceeds "
          "threshold; with communication, mixes a heard pledge into the target by its trust. A reciprocator has rate 1 "
          "and bias 0; a free rider threshold 0.",
      .parameters = {{.name = "rate",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Fraction of the gap to the target closed in one step",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 0.5},
                     {.name = "bias",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Added to the others' last average effort to form the target",
                      .unit = "effort unit",
                      .note = "negative for agents who give a little less than others",
                      .default_value = 0.0},
                     {.name = "threshold",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "When the others' last average effort exceeds this, the target is the cap (defection)",
                      .unit = "effort unit",
                      .note = "default: never",
                      .minimum = sim::Bound{0.0}},
                     max_effort_parameter(),
                     initial_effort_parameter()}};
  return described;
}

}  // namespace

namespace {
constexpr double infinity = std::numeric_limits<double>::infinity();
}  // namespace

Conditional::Conditional(const sim::Parameters& parameters, const sim::GroupContext& group)
    : first_(group.first),
      rate_(sim::per_agent(parameters, "rate", group.ids, group.random, 0.5, 0.0, 1.0)),
      bias_(sim::per_agent(parameters, "bias", group.ids, group.random, 0.0)),
      threshold_(sim::per_agent(parameters, "threshold", group.ids, group.random, infinity)),
      cap_(effort_caps(parameters, group)),
      last_effort_(group.count, 0.0),
      others_mean_(group.count, 0.0),
      informed_(group.count, 0) {
  for (std::size_t k = 0; k < group.count; ++k) {
    if (!(rate_[k] >= 0.0 && rate_[k] <= 1.0)) throw sim::SpecError("conditional: `rate` must lie in [0, 1]");
    if (std::isfinite(threshold_[k]) && !std::isfinite(cap_[k]))
      throw sim::SpecError("conditional in group '" + group.group_name +
                           "' has a `threshold` but no finite cap: give `max_effort`");
  }
  initial_effort_ = opening_efforts(parameters, group, cap_);
}

void Conditional::decide(const sim::StepContext&, sim::AgentSpan agents) {
  const std::span<double> effort = agents.effort();
  const std::span<const double> heard = agents.heard_pledge();
  const std::span<const double> trust = agents.trust();
  for (std::size_t j = 0; j < agents.size(); ++j) {
    const std::size_t k = agents.first + j - first_;
    const double current = informed_[k] ? last_effort_[k] : initial_effort_[k];
    // Without an observation the agent has nothing to reciprocate: its target is where it is.
    double target = current;
    if (informed_[k]) {
      target = others_mean_[k] > threshold_[k] ? cap_[k] : others_mean_[k] + bias_[k];
    }
    // Agents that never talk have no pledge columns.
    const bool pledged = !heard.empty() && !std::isnan(heard[j]);
    // Cheap talk: a trusted pledge pulls the target towards what the others promised.
    if (pledged) target = trust[j] * heard[j] + (1.0 - trust[j]) * target;
    if (!informed_[k] && !pledged) {
      effort[j] = current;
      continue;
    }
    // (1 - r) e + r t rather than e + r (t - e): the same rule, and with r = 1 the target
    // is copied exactly, as a perfect reciprocator does.
    const double r = rate_[k];
    effort[j] = std::clamp((1.0 - r) * current + r * target, 0.0, cap_[k]);
  }
}

void Conditional::learn(const sim::StepContext& context, sim::AgentSpan agents) {
  const double total = context.current->effort;
  const std::size_t n = context.current->agent_count;
  const double* effort = agents.table->effort.data() + agents.first;
  for (std::size_t j = 0; j < agents.size(); ++j) {
    const std::size_t k = agents.first + j - first_;
    others_mean_[k] = n > 1 ? (total - effort[j]) / static_cast<double>(n - 1) : 0.0;
    last_effort_[k] = effort[j];
    informed_[k] = 1;
  }
}

COMMONS_REGISTER_MODELS(conditional) {
  registry.add_behaviour(descriptor(), [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Conditional>(spec.parameters, group);
  });
}

}  // namespace commons::models
