// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `social_preference`: a utility transform that behaviours apply to payoffs. An agent that
/// sees only aggregates compares its own payoff pi with the mean payoff m of the others:
///   Fehr & Schmidt (1999):  u = pi - alpha max(m - pi, 0) - beta max(pi - m, 0)
///   SVO (Liebrand 1984; Murphy, Ackermann & Handgraaf 2011):  u = cos(theta) pi + sin(theta) m
/// Without a block the agent is selfish and u = pi exactly. docs/behaviour.md#social_preference

#include <commons/sim/random.hpp>
#include <commons/sim/spec.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace commons::sim {
class Resource;
}

namespace commons::models {

class SocialPreference {
 public:
  enum class Model {
    /// No block: utility is the own payoff, bit for bit.
    selfish,
    /// Inequity aversion, Fehr & Schmidt (1999).
    fehr_schmidt,
    /// Social value orientation as a ring angle, Liebrand (1984), Murphy et al. (2011).
    svo,
  };

  /// A selfish agent.
  SocialPreference() = default;
  /// Inequity aversion with envy alpha >= 0 and guilt beta in [0, 1).
  [[nodiscard]] static SocialPreference fehr_schmidt(double envy, double guilt);
  /// Social value orientation at `angle_degrees` in [-90, 90] (0 selfish, 45 prosocial).
  [[nodiscard]] static SocialPreference svo(double angle_degrees);

  /// The preference a `social_preference` block describes (`model: fehr_schmidt` with `envy`,
  /// `guilt`; or `model: svo` with `angle` [degrees]); selfish when `block` is nullptr. Numbers
  /// must be plain numbers here (a distribution throws sim::SpecError); use `for_agents` for
  /// heterogeneous populations.
  [[nodiscard]] static SocialPreference from(const sim::Parameters* block);

  /// One preference per agent of `ids`: like `from`, but each number may be a per-agent
  /// distribution (sim::per_agent; clamped to envy >= 0, guilt in [0, 1), angle in [-90, 90]).
  [[nodiscard]] static std::vector<SocialPreference> for_agents(const sim::Parameters* block,
                                                                std::span<const std::uint64_t> ids,
                                                                const sim::RandomStream& random);

  [[nodiscard]] Model model() const { return model_; }
  /// True when utility equals the own payoff (no block, or a block that reduces to it:
  /// Fehr-Schmidt with alpha = beta = 0, SVO with theta = 0).
  [[nodiscard]] bool selfish() const;
  /// alpha [1] (Fehr-Schmidt only; 0 otherwise).
  [[nodiscard]] double envy() const { return envy_; }
  /// beta [1] (Fehr-Schmidt only; 0 otherwise).
  [[nodiscard]] double guilt() const { return guilt_; }
  /// theta [degrees] (SVO only; 0 otherwise).
  [[nodiscard]] double angle_degrees() const { return angle_degrees_; }

  /// Utility of own payoff `own` when the others earn `others_mean` on average [money].
  /// Selfish: returns `own` unchanged.
  [[nodiscard]] double utility(double own, double others_mean) const;

  /// Payoff of an agent choosing effort `x` when the others apply `others_total` in total:
  /// price * resource.harvest_if(x, others_total) - own_cost * x [money]. The engine's income
  /// for the realised choice is exactly this. docs/behaviour.md#payoffs
  [[nodiscard]] static double payoff(const sim::Resource& resource, const sim::Economics& economics, double x,
                                     double others_total, double own_cost);

  /// Utility of choosing effort `x` when the other n - 1 agents apply `others_total` in total.
  /// The others' mean payoff m is the payoff of a representative other with effort
  /// y = others_total / (n - 1) facing x + others_total - y, at the agent's own cost per effort
  /// (the agent believes the others are like itself). Selfish, or n <= 1: exactly `payoff`.
  [[nodiscard]] double utility_of_choice(const sim::Resource& resource, const sim::Economics& economics, double x,
                                         double others_total, std::size_t n, double own_cost) const;

  /// utility_of_choice of many agents at once, bit for bit: agent i, with preference
  /// `preferences[i]` (or selfish when `preferences` is empty), choosing `x[i]` against
  /// `others_total[i]` at `own_cost[i]`, into `utility[i]` (all spans of one length). The
  /// payoffs come from Resource::harvest_if_each, a vector operation, not a call per agent
  /// (a second one for the representative others when a preference is social).
  static void utilities_of_choice(const sim::Resource& resource, const sim::Economics& economics,
                                  std::span<const SocialPreference> preferences, std::span<const double> x,
                                  std::span<const double> others_total, std::size_t n,
                                  std::span<const double> own_cost, std::span<double> utility);

 private:
  Model model_ = Model::selfish;
  double envy_ = 0.0;
  double guilt_ = 0.0;
  double angle_degrees_ = 0.0;
  /// cos(theta), sin(theta) for SVO, computed once.
  double own_weight_ = 1.0;
  double other_weight_ = 0.0;
};

}  // namespace commons::models
