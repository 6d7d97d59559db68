// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `effort_cap`: the state caps each agent's effort per step, an appropriation rule (Ostrom
/// 1990, design principle 2). docs/governance.md#effort_cap

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/sim/rule.hpp>

#include <vector>

namespace commons::models {

/// announce: effort_limit_i <- min(effort_limit_i, cap_i).
class EffortCap final : public sim::Rule {
 public:
  struct Parameters {
    /// Most effort an agent may apply in a step [effort units], >= 0, per agent.
    detail::PerAgentNumber cap;

    /// Reads `cap` (required); throws sim::SpecError for impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit EffortCap(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  [[nodiscard]] std::vector<int> design_principles() const override;

 private:
  Parameters parameters_;
  /// Each agent's cap, drawn when the rule first acts [effort units].
  std::vector<double> cap_;
};

}  // namespace commons::models
