// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `conditional`: conditional cooperation (Fischbacher, Gachter & Fehr 2001). The agent moves
/// its effort towards what the others applied on average last step, plus a bias:
///   target = m + bias;  target = cap if a threshold is given and m > threshold (free riding);
///   with a heard pledge P:  target = trust P + (1 - trust) target;
///   effort <- (1 - rate) effort + rate target, clamped to [0, cap].
/// Reciprocator: rate 1, bias 0. Free rider: threshold 0. docs/behaviour.md#conditional

#include <commons/sim/behaviour.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace commons::models {

class Conditional final : public sim::Behaviour {
 public:
  /// Reads `rate` [0, 1] [default 0.5], `bias` [default 0], `threshold` [default none],
  /// `max_effort` and `initial_effort` (per-agent numbers or distributions). Throws
  /// sim::SpecError when a threshold is given but an agent's cap is infinite (defection
  /// would mean infinite effort).
  Conditional(const sim::Parameters& parameters, const sim::GroupContext& group);

  /// Before anything is observed the agent plays its initial effort, moved towards a heard
  /// pledge if there is one; afterwards the rule above.
  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  /// Remembers the agent's own effort and the others' mean effort of this step.
  void learn(const sim::StepContext& context, sim::AgentSpan agents) override;

 private:
  std::size_t first_;
  std::vector<double> rate_;
  std::vector<double> bias_;
  /// +infinity when no threshold is given.
  std::vector<double> threshold_;
  std::vector<double> cap_;
  std::vector<double> initial_effort_;
  /// Per cohort agent: own effort and the others' mean effort in the last step, and whether
  /// a step has been observed.
  std::vector<double> last_effort_;
  std::vector<double> others_mean_;
  std::vector<std::uint8_t> informed_;
};

}  // namespace commons::models
