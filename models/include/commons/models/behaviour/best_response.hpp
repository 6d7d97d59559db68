// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `best_response`: Cournot (1838) adjustment. Each agent believes the others will apply, in
/// total, a weighted average of what they applied before, and chooses the effort that maximises
/// its utility (its payoff, or a social-preference utility) against that belief.
/// docs/behaviour.md#best_response

#include <commons/models/behaviour/social_preference.hpp>
#include <commons/sim/behaviour.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace commons::models {

class BestResponse final : public sim::Behaviour {
 public:
  /// Reads `belief_weight` (0, 1] [default 1], `inertia` [0, 1] [default 0], `max_effort`,
  /// `initial_effort` (per-agent numbers or distributions), the scalar list `choices` and the
  /// `social_preference` block. Throws sim::SpecError when an agent's effort cap is infinite and
  /// there are no `choices` (nothing bounds the search).
  BestResponse(const sim::Parameters& parameters, const sim::GroupContext& group);

  /// Step 0 (nothing observed yet): the initial effort. Later: with probability `inertia`
  /// the agent keeps last step's effort, otherwise it plays its best response to its belief.
  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  /// belief <- (1 - w) belief + w * (others' total effort this step); the first observation
  /// replaces the (absent) prior.
  void learn(const sim::StepContext& context, sim::AgentSpan agents) override;

  /// The effort in [0, cap] that maximises `preference.utility_of_choice` against others'
  /// total `others_total` among `n` agents: the resource's closed form
  /// (Resource::best_response_effort) for a selfish agent with a continuous choice where the
  /// resource has one, `searched_effort` otherwise.
  [[nodiscard]] static double best_effort(const sim::Resource& resource, const sim::Economics& economics,
                                          const SocialPreference& preference, double others_total, std::size_t n,
                                          double own_cost, double cap, std::span<const double> choices);
  /// best_effort by search, the way for every resource. With `choices` non-empty (ascending):
  /// the exact argmax over the choices clamped to [0, cap], ties to the smallest effort.
  /// Without: golden-section search on [0, cap] to a bracket of 1e-12 cap, then one parabolic
  /// step (exact for a quadratic payoff, kept only if it does not lower utility), and the
  /// endpoints 0 and cap are checked. The payoff must be unimodal in own effort.
  [[nodiscard]] static double searched_effort(const sim::Resource& resource, const sim::Economics& economics,
                                              const SocialPreference& preference, double others_total, std::size_t n,
                                              double own_cost, double cap, std::span<const double> choices);

  /// Current belief about the others' total effort of cohort agent k [effort units].
  [[nodiscard]] double belief(std::size_t k) const { return belief_[k]; }

 private:
  /// Agents answered together by respond_with_choices.
  static constexpr std::size_t block = 256;
  /// searched_effort's argmax over `choices_` for the agents at `positions` of `agents` (at
  /// most `block`), one batch payoff evaluation per choice.
  void respond_with_choices(const sim::StepContext& context, sim::AgentSpan agents,
                            std::span<const std::size_t> positions) const;

  std::size_t first_;
  /// Agents in the whole run.
  std::size_t agent_count_;
  /// Ascending; empty for a continuous choice.
  std::vector<double> choices_;
  std::vector<double> belief_weight_;
  std::vector<double> inertia_;
  std::vector<double> cap_;
  std::vector<double> initial_effort_;
  std::vector<SocialPreference> preference_;
  /// True when no agent has a social preference model (utility is the payoff).
  bool all_selfish_ = true;
  /// Per cohort agent: belief about the others' total [effort units], whether it holds an
  /// observation yet, and the effort the agent applied last step.
  std::vector<double> belief_;
  std::vector<std::uint8_t> informed_;
  std::vector<double> last_effort_;
};

}  // namespace commons::models
