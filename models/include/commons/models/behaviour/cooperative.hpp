// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `cooperative`: an unconditional cooperator that applies its share of the social optimum
/// every step, whatever the others do: effort = s X* / n, clamped to [0, cap]. The benchmark
/// of full cooperation against which Nash play and observed play are compared.
/// docs/behaviour.md#cooperative

#include <commons/sim/behaviour.hpp>

#include <cstddef>
#include <vector>

namespace commons::models {

class Cooperative final : public sim::Behaviour {
 public:
  /// Reads `share_of_optimum` s >= 0 [default 1], `max_effort` and `initial_effort` (per-agent
  /// numbers or distributions). Without an optimum (optimal_total_effort is empty) the agent
  /// applies `initial_effort` [default 0].
  Cooperative(const sim::Parameters& parameters, const sim::GroupContext& group);

  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  void learn(const sim::StepContext&, sim::AgentSpan) override {}

  /// Effort of cohort agent k [effort units].
  [[nodiscard]] double effort(std::size_t k) const { return effort_[k]; }

 private:
  std::size_t first_;
  /// Constant effort of each cohort agent [effort units].
  std::vector<double> effort_;
};

}  // namespace commons::models
