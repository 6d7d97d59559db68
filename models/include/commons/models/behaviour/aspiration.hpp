// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `aspiration`: satisficing against an adaptive aspiration level (Karandikar, Mookherjee, Ray
/// & Vega-Redondo 1998, J. Econ. Theory 80; Bendor, Mookherjee & Ray 2001, Int. Game Theory
/// Rev. 3). An agent whose utility u_t reaches its aspiration A_t keeps its effort; otherwise,
/// with probability `switch_probability`, it moves to a random effort. The aspiration follows
/// the payoffs by exponential smoothing, A(t+1) = (1 - h) A(t) + h u_t.
/// docs/behaviour.md#aspiration

#include <commons/models/behaviour/social_preference.hpp>
#include <commons/sim/behaviour.hpp>

#include <cstddef>
#include <vector>

namespace commons::models {

class Aspiration final : public sim::Behaviour {
 public:
  /// Reads `aspiration_rate` h in [0, 1] (required), `initial_aspiration` [default: the first
  /// payoff], `switch_probability` in [0, 1] [default 1], `exploration` (>= 0) [effort units],
  /// `max_effort`, `initial_effort` (each a number or a per-agent distribution), `choices` (a
  /// list) and an optional `social_preference` block.
  /// \throws sim::SpecError when `aspiration_rate` is missing, or when there are no `choices`
  ///         and no `exploration`
  Aspiration(const sim::Parameters& parameters, const sim::GroupContext& group);

  /// Applies the effort planned in the last learn phase (initial_effort in the first step).
  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  /// Compares the step's utility with the aspiration, plans next step's effort and updates the
  /// aspiration; writes no agent-table column. Draws at (step, agent id, learn, d): d = 0 the
  /// switch decision, 1 the new effort.
  void learn(const sim::StepContext& context, sim::AgentSpan agents) override;

  /// Aspiration A of the agent at agent-table row `row` for the next step [utility units];
  /// NaN before its first payoff when no initial aspiration is given.
  [[nodiscard]] double aspiration(std::size_t row) const { return aspiration_[row - first_]; }
  /// Effort the agent at agent-table row `row` will apply in the next decide [effort units].
  [[nodiscard]] double planned_effort(std::size_t row) const { return planned_[row - first_]; }

 private:
  std::size_t first_;
  std::vector<double> choices_;
  std::vector<double> rate_, switch_probability_, exploration_, cap_;
  std::vector<SocialPreference> preference_;
  std::vector<double> aspiration_;
  /// Next step's effort per agent, indexed from the cohort's first row.
  std::vector<double> planned_;
};

}  // namespace commons::models
