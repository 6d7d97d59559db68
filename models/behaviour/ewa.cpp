// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/ewa.hpp>

#include <commons/models/behaviour/agent_efforts.hpp>
#include <commons/models/behaviour/common_parameters.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/resource.hpp>

#include <commons/sim/fast_math.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "ewa",
      .summary =
          "Experience-weighted attraction learning (Camerer & Ho 1999): N(t) = rho N(t-1) + 1, A_j(t) = (phi N(t-1) "
          "A_j(t-1) + (delta + (1 - delta) [j chosen]) u_j(t)) / N(t), choice probabilities softmax(lambda A). "
          "Reinforcement learning: delta 0, rho 0; weighted fictitious play: delta 1, rho = phi. Needs choices unless "
          "the resource has an effort limit (then the integers 0..limit).",
      .parameters = learning_parameters({{.name = "phi",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Decay phi of past attractions",
                      .unit = "1",
                      .required = true,
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0}},
                     {.name = "delta",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Weight delta of the payoffs of choices not taken (foregone payoffs)",
                      .unit = "1",
                      .required = true,
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0}},
                     {.name = "rho",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Decay rho of the experience weight N",
                      .unit = "1",
                      .required = true,
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0}},
                     {.name = "lambda",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Logit response sensitivity lambda",
                      .unit = "1/money",
                      .note = "0 chooses uniformly",
                      .required = true,
                      .minimum = sim::Bound{0.0}},
                     {.name = "initial_attraction",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Attraction A_j(0) of every choice",
                      .unit = "money",
                      .default_value = 0.0},
                     {.name = "initial_experience",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Experience weight N(0)",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .default_value = 1.0}})};
  return described;
}

constexpr double infinity = std::numeric_limits<double>::infinity();

/// The choice set: `choices` as given (sorted, duplicates merged), or the integers 0..cap of
/// a finite cap, the token endowment of the laboratory CPR game.
std::vector<double> choice_set(const sim::Parameters& parameters, const sim::GroupContext& group) {
  std::vector<double> choices;
  if (parameters.contains("choices")) {
    choices = parameters.numbers("choices");
    if (choices.empty()) throw sim::SpecError("ewa: `choices` must not be empty");
    for (double c : choices)
      if (!(c >= 0.0) || !std::isfinite(c)) throw sim::SpecError("ewa: every choice must be a finite effort >= 0");
    std::ranges::sort(choices);
    choices.erase(std::unique(choices.begin(), choices.end()), choices.end());
    return choices;
  }
  double cap = group.resource.effort_limit().value_or(infinity);
  if (parameters.contains("max_effort") && parameters.distribution("max_effort") == nullptr)
    cap = std::min(cap, parameters.number("max_effort"));
  if (!std::isfinite(cap) || cap < 0.0)
    throw sim::SpecError("ewa needs `choices` unless the resource has an effort limit or `max_effort` is a number");
  if (cap > 1e6) throw sim::SpecError("ewa: the cap " + std::to_string(cap) + " gives too many integer choices; give `choices`");
  const auto top = static_cast<std::size_t>(std::floor(cap));
  for (std::size_t k = 0; k <= top; ++k) choices.push_back(static_cast<double>(k));
  return choices;
}

/// The contract gives phi, delta, rho and lambda no default: a scenario states them.
void require(const sim::Parameters& parameters, const char* name) {
  if (!parameters.contains(name)) throw sim::SpecError(std::string("ewa needs `") + name + "`");
}

}  // namespace

Ewa::Ewa(const sim::Parameters& parameters, const sim::GroupContext& group)
    : first_(group.first), choices_(choice_set(parameters, group)) {
  for (const char* name : {"phi", "delta", "rho", "lambda"}) require(parameters, name);
  const auto ids = group.ids;
  const auto& random = group.random;
  phi_ = sim::per_agent(parameters, "phi", ids, random, 0.0, 0.0, 1.0);
  delta_ = sim::per_agent(parameters, "delta", ids, random, 0.0, 0.0, 1.0);
  rho_ = sim::per_agent(parameters, "rho", ids, random, 0.0, 0.0, 1.0);
  lambda_ = sim::per_agent(parameters, "lambda", ids, random, 0.0, 0.0);
  cap_ = effort_caps(parameters, group);
  const auto attraction = sim::per_agent(parameters, "initial_attraction", ids, random, 0.0);
  experience_ = sim::per_agent(parameters, "initial_experience", ids, random, 1.0, 0.0);
  preference_ = SocialPreference::for_agents(parameters.block("social_preference"), ids, random);
  if (parameters.contains("initial_effort")) {
    initial_effort_ = sim::per_agent(parameters, "initial_effort", ids, random, 0.0, 0.0);
    for (std::size_t i = 0; i < group.count; ++i) initial_effort_[i] = std::min(initial_effort_[i], cap_[i]);
  }
  const std::size_t m = choices_.size();
  attractions_.resize(group.count * m);
  for (std::size_t i = 0; i < group.count; ++i)
    std::fill_n(attractions_.begin() + static_cast<std::ptrdiff_t>(i * m), m, attraction[i]);
  chosen_.assign(group.count, 0);
  all_selfish_ = std::ranges::all_of(preference_, [](const SocialPreference& p) {
    return p.model() == SocialPreference::Model::selfish;
  });
}

std::span<const double> Ewa::attractions(std::size_t row) const {
  return {attractions_.data() + (row - first_) * choices_.size(), choices_.size()};
}

double Ewa::effort_of(std::size_t local, std::size_t j) const { return std::min(choices_[j], cap_[local]); }

std::size_t Ewa::nearest_choice(std::size_t local, double effort) const {
  std::size_t best = 0;
  for (std::size_t j = 1; j < choices_.size(); ++j)
    if (std::abs(effort_of(local, j) - effort) < std::abs(effort_of(local, best) - effort)) best = j;
  return best;
}

double Ewa::logit_weights(std::size_t local, std::span<double> weights) const {
  const std::size_t m = choices_.size();
  const double* a = attractions_.data() + local * m;
  const double lambda = lambda_[local];
  // Subtracting the largest exponent keeps exp() finite for any attraction scale; lambda = 0
  // gives weights of exactly one, a uniform choice.
  double top = -infinity;
  for (std::size_t j = 0; j < m; ++j) top = std::max(top, lambda * a[j]);
  double total = 0.0;
  for (std::size_t j = 0; j < m; ++j) {
    weights[j] = std::exp(lambda * a[j] - top);
    total += weights[j];
  }
  return total;
}

std::vector<double> Ewa::probabilities(std::size_t row) const {
  std::vector<double> p(choices_.size());
  const double total = logit_weights(row - first_, p);
  for (double& value : p) value /= total;
  return p;
}

std::size_t Ewa::pick(std::span<const double> weights, double target) {
  const std::size_t m = weights.size();
  std::size_t pick = m - 1;
  double cumulative = 0.0;
  for (std::size_t j = 0; j < m; ++j) {
    cumulative += weights[j];
    if (target < cumulative) {
      pick = j;
      break;
    }
  }
  return pick;
}

std::optional<std::size_t> Ewa::pick_if_clear(std::span<const double> weights, double total, double target) {
  // The pick `pick` makes, provided the target stands clear of the cumulative weights on
  // either side of it by far more than the fast exponentials' error (1e-14 of each weight, so
  // at most 1e-13 of the total for any number of choices below 1e5, plus the rounding of the
  // sums): then the exact weights pick the same choice.
  constexpr double margin = 1e-9;
  const double band = margin * total;
  const std::size_t m = weights.size();
  double below = 0.0;
  for (std::size_t j = 0; j < m; ++j) {
    const double above = below + weights[j];
    if (target < above) {
      if (above - target > band && (j == 0 || target - below > band)) return j;
      return std::nullopt;
    }
    below = above;
  }
  return std::nullopt;
}

void Ewa::decide(const sim::StepContext& context, sim::AgentSpan agents) {
  const std::size_t m = choices_.size();
  const auto ids = agents.id();
  const auto effort = agents.effort();
  const auto step = static_cast<std::uint64_t>(context.step);
  // A given initial effort is the first play; the logit takes over once there is experience.
  const bool opening = !initial_effort_.empty() && !context.previous.known();
  if (opening) {
    for (std::size_t k = 0; k < agents.size(); ++k) {
      const std::size_t local = agents.first + k - first_;
      effort[k] = initial_effort_[local];
      chosen_[local] = static_cast<std::uint32_t>(nearest_choice(local, effort[k]));
    }
    return;
  }
  // The logit weights of a block of agents through one vector loop of polynomial exponentials
  // (sim::exp_near); an agent whose draw falls too near a boundary between two choices for
  // them to decide is drawn again with std::exp, as logit_weights always did.
  const std::size_t block = std::max<std::size_t>(1, std::min<std::size_t>(64, 4096 / std::max<std::size_t>(m, 1)));
  std::vector<double> weights(block * m), exact(m);
  for (std::size_t begin = 0; begin < agents.size(); begin += block) {
    const std::size_t count = std::min(block, agents.size() - begin);
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t local = agents.first + begin + k - first_;
      const double* a = attractions_.data() + local * m;
      const double lambda = lambda_[local];
      double top = -infinity;
      for (std::size_t j = 0; j < m; ++j) top = std::max(top, lambda * a[j]);
      // exp_near's range starts at -708; exp(-708) ~ 3e-308 against a top weight of one.
      double* exponent = weights.data() + k * m;
      for (std::size_t j = 0; j < m; ++j) exponent[j] = std::max(lambda * a[j] - top, -708.0);
    }
    double* w = weights.data();
    const std::size_t entries = count * m;
    for (std::size_t e = 0; e < entries; ++e) w[e] = sim::exp_near(w[e]);
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t local = agents.first + begin + k - first_;
      const std::span<const double> fast{weights.data() + k * m, m};
      double total = 0.0;
      for (const double value : fast) total += value;
      const double u = context.random.uniform(step, ids[begin + k], sim::Purpose::decide, 0);
      std::optional<std::size_t> chosen = pick_if_clear(fast, total, u * total);
      if (!chosen) {
        const double exact_total = logit_weights(local, exact);
        chosen = pick(exact, u * exact_total);
      }
      chosen_[local] = static_cast<std::uint32_t>(*chosen);
      effort[begin + k] = effort_of(local, *chosen);
    }
  }
}

void Ewa::learn(const sim::StepContext& context, sim::AgentSpan agents) {
  if (context.current == nullptr) return;
  const std::size_t m = choices_.size();
  const double total = context.current->effort;
  const std::size_t n = context.current->agent_count;
  const auto effort = agents.effort();
  const auto cost = agents.cost_per_effort();
  // A block of agents at a time, so that the utility of a choice for all of them is one batch
  // payoff evaluation (SocialPreference::utilities_of_choice).
  constexpr std::size_t block = 256;
  std::array<double, block> others, decay, experience, delta, x, utility;
  std::array<std::size_t, block> chosen;
  std::array<SocialPreference, block> preference;
  for (std::size_t begin = 0; begin < agents.size(); begin += block) {
    const std::size_t count = std::min(block, agents.size() - begin);
    const std::size_t local0 = agents.first + begin - first_;
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t local = local0 + k;
      const double own = effort[begin + k];
      // The others' actual total this step; rounding of the block sums must not make it negative.
      others[k] = std::max(0.0, total - own);
      // The reinforced choice is the one drawn, unless a rule changed the effort applied: then
      // the choice nearest the effort the agent actually applied.
      std::size_t drawn = chosen_[local];
      if (drawn >= m || effort_of(local, drawn) != own) drawn = nearest_choice(local, own);
      chosen[k] = drawn;
      const double previous_experience = experience_[local];
      experience[k] = rho_[local] * previous_experience + 1.0;
      decay[k] = phi_[local] * previous_experience;
      delta[k] = delta_[local];
      if (!all_selfish_) preference[k] = preference_[local];
    }
    const std::span<const SocialPreference> preferences =
        all_selfish_ ? std::span<const SocialPreference>{} : std::span<const SocialPreference>{preference.data(), count};
    for (std::size_t j = 0; j < m; ++j) {
      for (std::size_t k = 0; k < count; ++k) x[k] = effort_of(local0 + k, j);
      SocialPreference::utilities_of_choice(context.resource, context.economics, preferences, {x.data(), count},
                                            {others.data(), count}, n, cost.subspan(begin, count),
                                            {utility.data(), count});
      for (std::size_t k = 0; k < count; ++k) {
        double& a = attractions_[(local0 + k) * m + j];
        // Camerer & Ho (1999) eq. (2.2): foregone payoffs weighted by delta, the realised one by 1.
        const double weight = j == chosen[k] ? 1.0 : delta[k];
        a = (decay[k] * a + weight * utility[k]) / experience[k];
      }
    }
    for (std::size_t k = 0; k < count; ++k) experience_[local0 + k] = experience[k];
  }
}

COMMONS_REGISTER_MODELS(ewa) {
  registry.add_behaviour(descriptor(), [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Ewa>(spec.parameters, group);
  });
}

}  // namespace commons::models
