// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `ewa`: experience-weighted attraction learning (Camerer & Ho 1999, Econometrica 67(4)).
/// Each agent holds an attraction A_j for every effort level j of a discrete choice set and an
/// experience weight N. After each step, with u_j the utility choice j would have earned
/// against the others' actual total effort,
///   N(t)   = rho N(t-1) + 1
///   A_j(t) = (phi N(t-1) A_j(t-1) + (delta + (1 - delta) [j chosen]) u_j(t)) / N(t),
/// and the next choice is drawn from the logit P_j = exp(lambda A_j) / sum_k exp(lambda A_k).
/// delta = 0, rho = 0, N(0) = 1 is cumulative reinforcement (Roth & Erev 1995);
/// delta = 1, rho = phi is weighted fictitious play (Fudenberg & Levine 1998).
/// docs/behaviour.md#ewa

#include <commons/models/behaviour/social_preference.hpp>
#include <commons/sim/behaviour.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace commons::models {

class Ewa final : public sim::Behaviour {
 public:
  /// Reads `phi`, `delta`, `rho` (each in [0, 1]), `lambda` (>= 0) (all four required),
  /// `initial_attraction` [default 0], `initial_experience` N(0) >= 0 [default 1], `max_effort`
  /// and `initial_effort` [default: drawn from the initial attractions], each a number or a
  /// per-agent distribution (clamped to its range); `choices` (a list) and an optional
  /// `social_preference` block.
  /// \throws sim::SpecError when one of phi, delta, rho, lambda is missing, or when there is
  ///         neither `choices` nor a finite effort cap (the resource's effort limit or a plain
  ///         `max_effort`) to take the integers 0..cap from
  Ewa(const sim::Parameters& parameters, const sim::GroupContext& group);

  /// Draws each agent's effort from its logit choice probabilities: one uniform draw at
  /// (step, agent id, decide, 0) per agent, inverted through the cumulative probabilities.
  /// In the first step an agent given `initial_effort` applies it instead (clamped to its cap).
  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  /// Updates experience and attractions from the step's outcome (context.current).
  void learn(const sim::StepContext& context, sim::AgentSpan agents) override;

  /// The choice set, ascending [effort units]. An agent whose cap lies below a choice applies
  /// its cap when it picks that choice.
  [[nodiscard]] std::span<const double> choices() const { return choices_; }
  /// Attractions A_j of the agent at agent-table row `row`, one per choice [utility units].
  [[nodiscard]] std::span<const double> attractions(std::size_t row) const;
  /// Experience weight N of the agent at agent-table row `row` [1].
  [[nodiscard]] double experience(std::size_t row) const { return experience_[row - first_]; }
  /// Logit choice probabilities of the agent at agent-table row `row`, one per choice.
  [[nodiscard]] std::vector<double> probabilities(std::size_t row) const;

  /// Inverse of the cumulative distribution of `weights` at `target` (a uniform draw times
  /// their sum): the first choice whose cumulative weight exceeds it, the last when none does.
  [[nodiscard]] static std::size_t pick(std::span<const double> weights, double target);
  /// `pick` for weights known to within 1e-13 of their sum `total`, when that error cannot
  /// change it: none when `target` lies within 1e-9 of the total of a boundary.
  [[nodiscard]] static std::optional<std::size_t> pick_if_clear(std::span<const double> weights, double total,
                                                                double target);

 private:
  /// Effort choice j means for agent `local` (index within the cohort): choices_[j] within [0, cap].
  [[nodiscard]] double effort_of(std::size_t local, std::size_t j) const;
  /// Index of the choice whose effort (for agent `local`) is nearest `effort`; ties to the lower.
  [[nodiscard]] std::size_t nearest_choice(std::size_t local, double effort) const;
  /// Writes exp(lambda A_j - max_k lambda A_k) into `weights` and returns their sum.
  double logit_weights(std::size_t local, std::span<double> weights) const;

  std::size_t first_;
  std::vector<double> choices_;
  std::vector<double> phi_, delta_, rho_, lambda_, cap_;
  std::vector<SocialPreference> preference_;
  /// True when no agent has a social preference model (utility is the payoff).
  bool all_selfish_ = true;
  /// Effort of the first step when `initial_effort` is given (empty otherwise: the first step
  /// is drawn from the initial attractions like every other).
  std::vector<double> initial_effort_;
  /// Attractions, choices_.size() per agent, contiguous per agent, indexed from the cohort's first row.
  std::vector<double> attractions_;
  std::vector<double> experience_;
  /// Index of the choice each agent drew in the last decide.
  std::vector<std::uint32_t> chosen_;
};

}  // namespace commons::models
