// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `imitation`: pairwise-comparison imitation with the Fermi rule (Szabo & Toke 1998;
/// Traulsen, Nowak & Pacheco 2006). After each step agent i picks one neighbour j uniformly
/// (a network neighbour, or any other agent of the run without a network) and copies j's
/// effort with probability 1 / (1 + exp(-beta (u_j - u_i))), u being the step's income (or
/// its social-preference utility); then, with probability `mutation`, it takes a random effort.
/// On a complete graph the expected change of the share p of a strategy A against B is
/// p (1 - p) n / (n - 1) tanh(beta (u_A - u_B) / 2), the replicator dynamics for small beta.
/// docs/behaviour.md#imitation

#include <commons/models/behaviour/social_preference.hpp>
#include <commons/sim/behaviour.hpp>

#include <cstddef>
#include <vector>

namespace commons::models {

class Imitation final : public sim::Behaviour {
 public:
  /// Reads `selection_strength` beta (>= 0, required) [1 / utility unit], `mutation` in [0, 1]
  /// [default 0], `max_effort`, `initial_effort` (each a number or a per-agent distribution),
  /// `choices` (a list) and an optional `social_preference` block.
  /// \throws sim::SpecError when `selection_strength` is missing, or when mutation may be
  ///         positive with neither `choices` nor a finite cap to draw a random effort from
  Imitation(const sim::Parameters& parameters, const sim::GroupContext& group);

  /// Applies the effort planned in the last learn phase (initial_effort in the first step).
  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  /// Plans next step's effort by imitation and mutation; writes no agent-table column.
  /// Draws: the four words of one Philox block at (step, agent id, learn, 0): word 0 the
  /// neighbour, 1 the copy decision, 2 the mutation decision, 3 the mutant effort.
  void learn(const sim::StepContext& context, sim::AgentSpan agents) override;

  /// Effort the agent at agent-table row `row` will apply in the next decide [effort units].
  [[nodiscard]] double planned_effort(std::size_t row) const { return planned_[row - first_]; }

 private:
  /// Utility of the agent at cohort index `local` for an income `income` when the run's total
  /// income is `rent` over `n` agents (the others' mean is taken without that income).
  [[nodiscard]] double utility(std::size_t local, double income, double rent, std::size_t n) const;

  std::size_t first_;
  std::vector<double> choices_;
  std::vector<double> beta_, mutation_, cap_;
  std::vector<SocialPreference> preference_;
  /// True when every agent's utility is its own income (no social preference, or one that
  /// reduces to it): learn then compares incomes without consulting preference_.
  bool selfish_ = true;
  /// Next step's effort per agent, indexed from the cohort's first row.
  std::vector<double> planned_;
};

}  // namespace commons::models
