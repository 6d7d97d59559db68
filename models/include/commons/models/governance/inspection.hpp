// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `inspection`: state enforcement. Each agent is inspected with probability p in a step; an
/// inspected agent's breaches are found and fined (Becker 1968). External monitoring and
/// sanctions (Ostrom 1990, design principles 4 and 5). docs/governance.md#inspection

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/sim/rule.hpp>

#include <limits>
#include <vector>

namespace commons::models {

/// announce: detection_probability <- 1 - (1 - d)(1 - p), fines added to the announced ones.
/// monitor: agent i is inspected iff u_i < p, u_i the run's draw (step, id, monitor, 0); an
/// inspected agent's breaches are all detected. sanction: a detected agent pays
/// fine_per_violation x breaches + fine_per_excess x (excess effort + excess harvest).
class Inspection final : public sim::Rule {
 public:
  struct Parameters {
    /// p, probability that an agent is inspected in a step [1], in [0, 1].
    double probability = 0.0;
    /// Fine per detected breach [money / breach], >= 0.
    double fine_per_violation = 0.0;
    /// Fine per unit of excess effort or harvest of a detected agent [money / unit], >= 0.
    double fine_per_excess = 0.0;
    /// What one inspection costs the state [money], >= 0.
    double cost_per_inspection = 0.0;

    /// Reads `probability` (required), `fine_per_violation`, `fine_per_excess` and
    /// `cost_per_inspection`; throws sim::SpecError for impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit Inspection(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `enforcement_cost` [money] and `inspections` [1] of the step; NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

 private:
  void monitor(sim::RuleContext& context);
  void sanction(sim::RuleContext& context);

  Parameters parameters_;
  /// found_[i]: breaches of agent row i this inspection found in the current step.
  std::vector<double> found_;
  /// Inspections of the step the rule last acted in; NaN once recorded.
  mutable double inspections_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
