// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `fleet`: Smith (1968) entry and exit. Effort grows while fishing pays and shrinks while it
/// loses: E[t+1] = max(0, min(cap, E[t] + eta (p q X[t] - c) E[t])), where q X[t] is the
/// harvest per unit effort the agent sees. docs/models.md#fleet

#include <commons/sim/behaviour.hpp>

#include <limits>
#include <vector>

namespace commons::models {

class Fleet final : public sim::Behaviour {
 public:
  struct Parameters {
    /// Effort of every agent in the first step [effort units].
    double initial_effort = 1.0;
    /// eta, response of effort to profit [1 / money].
    double adjustment_rate = 0.01;
    /// Largest effort one agent can apply [effort units].
    double max_effort = std::numeric_limits<double>::infinity();

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  Fleet(const Parameters& parameters, const sim::GroupContext& group);

  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  void learn(const sim::StepContext& context, sim::AgentSpan agents) override;

 private:
  Parameters parameters_;
  std::size_t group_first_;
  double price_;
  /// Effort each agent plans for the next step, indexed from the group's first agent.
  std::vector<double> planned_effort_;
};

}  // namespace commons::models
