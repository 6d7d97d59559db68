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
  /// Reads `initial_effort`, `adjustment_rate` (eta) and `max_effort`, each a number or a
  /// distribution every agent draws its own value from.
  Fleet(const sim::Parameters& parameters, const sim::GroupContext& group);

  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  void learn(const sim::StepContext& context, sim::AgentSpan agents) override;

 private:
  std::size_t group_first_;
  double price_;
  /// eta [effort unit / money] and the cap [effort unit] when one value holds for the whole
  /// group; when drawn per agent, the vectors hold them (indexed from the group's first agent).
  double adjustment_rate_ = 0.0;
  double cap_ = std::numeric_limits<double>::infinity();
  std::vector<double> adjustment_rates_;
  std::vector<double> caps_;
  /// Effort each agent plans for the next step, indexed from the group's first agent.
  std::vector<double> planned_effort_;
};

}  // namespace commons::models
