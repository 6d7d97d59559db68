// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/aspiration.hpp>

#include <commons/models/behaviour/agent_efforts.hpp>
#include <commons/models/behaviour/common_parameters.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "aspiration",
      .summary =
          "Satisficing (Karandikar et al. 1998): keeps its effort while its payoff u meets its aspiration A; "
          "otherwise, with probability switch_probability, moves to a random effort (uniform among choices, or effort "
          "+- up to exploration). A(t+1) = (1 - h) A(t) + h u(t), h = aspiration_rate. Needs choices or exploration.",
      .parameters = learning_parameters({{.name = "aspiration_rate",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Weight h of the latest payoff in the aspiration update",
                      .unit = "1",
                      .required = true,
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0}},
                     {.name = "initial_aspiration",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Aspiration A(0)",
                      .unit = "money",
                      .note = "default: the first payoff"},
                     {.name = "switch_probability",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Probability of moving when dissatisfied",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 1.0},
                     {.name = "exploration",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Largest move of a dissatisfied agent without choices: effort + uniform in "
                                 "[-exploration, exploration], kept within [0, cap]",
                      .unit = "effort unit",
                      .minimum = sim::Bound{0.0}}})};
  return described;
}

constexpr double not_yet = std::numeric_limits<double>::quiet_NaN();

}  // namespace

Aspiration::Aspiration(const sim::Parameters& parameters, const sim::GroupContext& group) : first_(group.first) {
  if (!parameters.contains("aspiration_rate")) throw sim::SpecError("aspiration needs `aspiration_rate`");
  if (parameters.contains("choices")) {
    choices_ = parameters.numbers("choices");
    if (choices_.empty()) throw sim::SpecError("aspiration: `choices` must not be empty");
  } else if (!parameters.contains("exploration")) {
    throw sim::SpecError("aspiration needs `choices` or `exploration`");
  }
  const auto ids = group.ids;
  const auto& random = group.random;
  rate_ = sim::per_agent(parameters, "aspiration_rate", ids, random, 0.0, 0.0, 1.0);
  switch_probability_ = sim::per_agent(parameters, "switch_probability", ids, random, 1.0, 0.0, 1.0);
  exploration_ = sim::per_agent(parameters, "exploration", ids, random, 0.0, 0.0);
  cap_ = effort_caps(parameters, group);
  // Without an initial aspiration the agent aspires to what it earns first (NaN until then).
  aspiration_ = sim::per_agent(parameters, "initial_aspiration", ids, random, not_yet);
  planned_ = opening_efforts(parameters, group, cap_);
  preference_ = SocialPreference::for_agents(parameters.block("social_preference"), ids, random);
}

void Aspiration::decide(const sim::StepContext&, sim::AgentSpan agents) {
  const double* planned = planned_.data() + (agents.first - first_);
  std::copy(planned, planned + agents.size(), agents.effort().begin());
}

void Aspiration::learn(const sim::StepContext& context, sim::AgentSpan agents) {
  if (context.current == nullptr) return;
  const std::size_t n = context.current->agent_count;
  const double rent = context.current->rent;
  const auto step = static_cast<std::uint64_t>(context.step);
  const auto ids = agents.id();
  const auto effort = agents.effort();
  const auto income = agents.income();
  for (std::size_t k = 0; k < agents.size(); ++k) {
    const std::size_t local = agents.first + k - first_;
    const SocialPreference& preference = preference_[local];
    // Utility against the others' mean income, the aggregate the agent is told.
    const double u = preference.selfish() || n <= 1
                         ? income[k]
                         : preference.utility(income[k], (rent - income[k]) / static_cast<double>(n - 1));
    const double aspiration = std::isnan(aspiration_[local]) ? u : aspiration_[local];
    double next = effort[k];
    // Satisficing: only an agent that falls short of its aspiration searches.
    if (u < aspiration && context.random.uniform(step, ids[k], sim::Purpose::learn, 0) < switch_probability_[local]) {
      const double draw = context.random.uniform(step, ids[k], sim::Purpose::learn, 1);
      if (!choices_.empty())
        next = choices_[std::min(choices_.size() - 1, static_cast<std::size_t>(draw * static_cast<double>(choices_.size())))];
      else
        next = effort[k] + (2.0 * draw - 1.0) * exploration_[local];
    }
    planned_[local] = std::clamp(next, 0.0, cap_[local]);
    const double h = rate_[local];
    aspiration_[local] = (1.0 - h) * aspiration + h * u;
  }
}

COMMONS_REGISTER_MODELS(aspiration) {
  registry.add_behaviour(descriptor(), [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Aspiration>(spec.parameters, group);
  });
}

}  // namespace commons::models
