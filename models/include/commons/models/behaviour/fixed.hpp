// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `fixed`: effort set by the scenario, constant or following a per-step schedule.

#include <commons/sim/behaviour.hpp>

#include <cstdint>
#include <vector>

namespace commons::models {

class Fixed final : public sim::Behaviour {
 public:
  struct Parameters {
    /// Effort per agent at each step [effort units]; the last value holds after the list ends.
    std::vector<double> schedule;

    /// Reads `effort` (a constant) or `schedule` (a list).
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  Fixed(Parameters parameters, const sim::GroupContext& group);

  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  void learn(const sim::StepContext&, sim::AgentSpan) override {}
  /// Announces the effort the schedule sets for this step: a fixed agent's pledge is always
  /// kept, the honest baseline against which trust in communication can be tested.
  void pledge(const sim::StepContext& context, sim::AgentSpan agents) override;

 private:
  /// Effort the schedule sets at `step` [effort units].
  [[nodiscard]] double effort_at(std::int64_t step) const;

  Parameters parameters_;
};

}  // namespace commons::models
