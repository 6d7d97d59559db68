// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/best_response.hpp>

#include <commons/models/behaviour/agent_efforts.hpp>
#include <commons/models/behaviour/common_parameters.hpp>
#include <commons/models/golden_section.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "best_response",
      .summary =
          "Plays the effort that maximises its utility (its payoff, or a social_preference utility) against its belief "
          "about the others' total effort; myopic Cournot best response with the defaults. Needs a finite cap "
          "(max_effort, or a resource with an effort limit) or choices.",
      .parameters = learning_parameters({
          {.name = "belief_weight",
           .type = sim::ParameterType::per_agent_number,
           .meaning = "Weight w of the latest observation in the belief about the others' total effort, belief <- (1 - "
                      "w) belief + w observed",
           .unit = "1",
           .note = "1 believes the others repeat last step's total",
           .minimum = sim::Bound{0.0, true},
           .maximum = sim::Bound{1.0},
           .default_value = 1.0},
          {.name = "inertia",
           .type = sim::ParameterType::per_agent_number,
           .meaning = "Probability of keeping last step's effort instead of best-responding, drawn per agent and step",
           .unit = "1",
           .minimum = sim::Bound{0.0},
           .maximum = sim::Bound{1.0},
           .default_value = 0.0}})};
  return described;
}

}  // namespace

BestResponse::BestResponse(const sim::Parameters& parameters, const sim::GroupContext& group)
    : first_(group.first),
      agent_count_(group.agent_count),
      belief_weight_(sim::per_agent(parameters, "belief_weight", group.ids, group.random, 1.0,
                                    std::numeric_limits<double>::min(), 1.0)),
      inertia_(sim::per_agent(parameters, "inertia", group.ids, group.random, 0.0, 0.0, 1.0)),
      cap_(effort_caps(parameters, group)),
      preference_(SocialPreference::for_agents(parameters.block("social_preference"), group.ids, group.random)),
      belief_(group.count, 0.0),
      informed_(group.count, 0),
      last_effort_(group.count, 0.0) {
  if (parameters.contains("choices")) {
    choices_ = parameters.numbers("choices");
    if (choices_.empty()) throw sim::SpecError("best_response: `choices` is empty");
    std::ranges::sort(choices_);
  }
  for (const double cap : cap_) {
    if (choices_.empty() && !std::isfinite(cap))
      throw sim::SpecError("best_response in group '" + group.group_name +
                           "' needs `max_effort` or `choices`: the resource sets no effort limit");
  }
  for (std::size_t k = 0; k < group.count; ++k)
    if (!(belief_weight_[k] > 0.0 && belief_weight_[k] <= 1.0))
      throw sim::SpecError("best_response: `belief_weight` must lie in (0, 1]");
  initial_effort_ = opening_efforts(parameters, group, cap_);
  all_selfish_ = std::ranges::all_of(preference_, [](const SocialPreference& p) {
    return p.model() == SocialPreference::Model::selfish;
  });
}

double BestResponse::best_effort(const sim::Resource& resource, const sim::Economics& economics,
                                 const SocialPreference& preference, double others_total, std::size_t n,
                                 double own_cost, double cap, std::span<const double> choices) {
  // The resource's closed form where it has one: the exact maximiser the search approximates.
  if (choices.empty() && cap > 0.0 && preference.selfish())
    if (const auto closed = resource.best_response_effort(others_total, economics.price, own_cost, cap)) return *closed;
  return searched_effort(resource, economics, preference, others_total, n, own_cost, cap, choices);
}

double BestResponse::searched_effort(const sim::Resource& resource, const sim::Economics& economics,
                                     const SocialPreference& preference, double others_total, std::size_t n,
                                     double own_cost, double cap, std::span<const double> choices) {
  auto utility = [&](double x) {
    return preference.utility_of_choice(resource, economics, x, others_total, n, own_cost);
  };
  if (!choices.empty()) {
    // Exact argmax; ascending order and a strict comparison send ties to the smallest effort.
    double best_x = std::clamp(choices[0], 0.0, cap);
    double best_u = utility(best_x);
    for (std::size_t j = 1; j < choices.size(); ++j) {
      const double x = std::clamp(choices[j], 0.0, cap);
      if (x == best_x) continue;
      const double u = utility(x);
      if (u > best_u) {
        best_x = x;
        best_u = u;
      }
    }
    return best_x;
  }
  if (!(cap > 0.0)) return 0.0;

  // Golden-section search for the maximum of a unimodal function on [0, cap].
  const GoldenSectionMaximum found = golden_section_maximum(utility, 0.0, cap, 1e-12 * cap);
  double x = found.x;
  double fx = found.value;

  // Near an interior maximum the payoff is flat to second order, so comparing rounded values
  // places it only to about sqrt(machine epsilon) of cap. One parabolic step through points
  // 1e-3 cap apart recovers the vertex (exactly, up to rounding, for the quadratic payoff of
  // the CPR game); it is kept only when its utility is not below the golden-section point's
  // beyond rounding.
  const double h = 1e-3 * cap;
  const double left = std::max(0.0, x - h);
  const double right = std::min(cap, x + h);
  if (left < x && x < right) {
    const double fl = utility(left);
    const double fr = utility(right);
    const double p = (x - left) * (x - left) * (fx - fr) - (x - right) * (x - right) * (fx - fl);
    const double q = (x - left) * (fx - fr) - (x - right) * (fx - fl);
    if (q != 0.0) {
      const double vertex = x - 0.5 * p / q;
      if (vertex >= left && vertex <= right) {
        const double fv = utility(vertex);
        if (fv >= fx - 1e-12 * std::max(1.0, std::abs(fx))) {
          x = vertex;
          fx = fv;
        }
      }
    }
  }

  // Endpoints: a corner solution (no effort, or the whole endowment) beats the interior.
  if (const double f0 = utility(0.0); f0 > fx) {
    x = 0.0;
    fx = f0;
  }
  if (utility(cap) > fx) x = cap;
  return x;
}

void BestResponse::decide(const sim::StepContext& context, sim::AgentSpan agents) {
  const std::span<double> effort = agents.effort();
  const std::span<const std::uint64_t> id = agents.id();
  const std::span<const double> cost = agents.cost_per_effort();
  // Agents that best-respond this step; with `choices` they are answered together below.
  std::array<std::size_t, block> responding;
  std::size_t waiting = 0;
  for (std::size_t j = 0; j < agents.size(); ++j) {
    const std::size_t k = agents.first + j - first_;
    if (!informed_[k]) {
      effort[j] = initial_effort_[k];
    } else if (inertia_[k] > 0.0 &&
               context.random.uniform(static_cast<std::uint64_t>(context.step), id[j], sim::Purpose::decide) <
                   inertia_[k]) {
      effort[j] = last_effort_[k];
    } else if (choices_.empty()) {
      effort[j] = best_effort(context.resource, context.economics, preference_[k], belief_[k], agent_count_, cost[j],
                              cap_[k], choices_);
    } else {
      responding[waiting++] = j;
      if (waiting == block) {
        respond_with_choices(context, agents, {responding.data(), waiting});
        waiting = 0;
      }
    }
  }
  respond_with_choices(context, agents, {responding.data(), waiting});
}

void BestResponse::respond_with_choices(const sim::StepContext& context, sim::AgentSpan agents,
                                        std::span<const std::size_t> positions) const {
  // searched_effort's argmax over the choices for every agent at once: one batch of payoffs
  // per choice. Evaluating a clamped choice equal to the best so far again, which the search
  // skips, gives its utility again and cannot win a strict comparison: the same argmax.
  const std::size_t count = positions.size();
  if (count == 0) return;
  std::array<double, block> others, cost, x, utility, best_x, best_u;
  std::array<SocialPreference, block> preference;
  const std::span<const double> own_cost = agents.cost_per_effort();
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t k = agents.first + positions[i] - first_;
    others[i] = belief_[k];
    cost[i] = own_cost[positions[i]];
    if (!all_selfish_) preference[i] = preference_[k];
  }
  const std::span<const SocialPreference> preferences =
      all_selfish_ ? std::span<const SocialPreference>{} : std::span<const SocialPreference>{preference.data(), count};
  for (std::size_t j = 0; j < choices_.size(); ++j) {
    for (std::size_t i = 0; i < count; ++i) x[i] = std::clamp(choices_[j], 0.0, cap_[agents.first + positions[i] - first_]);
    SocialPreference::utilities_of_choice(context.resource, context.economics, preferences, {x.data(), count},
                                          {others.data(), count}, agent_count_, {cost.data(), count},
                                          {utility.data(), count});
    for (std::size_t i = 0; i < count; ++i) {
      if (j == 0 || utility[i] > best_u[i]) {
        best_x[i] = x[i];
        best_u[i] = utility[i];
      }
    }
  }
  const std::span<double> effort = agents.effort();
  for (std::size_t i = 0; i < count; ++i) effort[positions[i]] = best_x[i];
}

void BestResponse::learn(const sim::StepContext& context, sim::AgentSpan agents) {
  const double total = context.current->effort;
  const double* effort = agents.table->effort.data() + agents.first;
  for (std::size_t j = 0; j < agents.size(); ++j) {
    const std::size_t k = agents.first + j - first_;
    const double observed = total - effort[j];
    const double w = belief_weight_[k];
    if (!informed_[k] || w == 1.0) {
      belief_[k] = observed;
      informed_[k] = 1;
    } else {
      // Adaptive expectations: an exponentially weighted average of the others' past totals.
      belief_[k] = (1.0 - w) * belief_[k] + w * observed;
    }
    last_effort_[k] = effort[j];
  }
}

COMMONS_REGISTER_MODELS(best_response) {
  registry.add_behaviour(descriptor(), [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<BestResponse>(spec.parameters, group);
  });
}

}  // namespace commons::models
