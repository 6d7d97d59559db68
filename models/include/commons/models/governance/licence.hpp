// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `licence`: limited entry. Only licence holders may fish; holders pay a fee per step. Clear
/// boundaries of who may appropriate (Ostrom 1990, design principle 1).
/// docs/governance.md#licence

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/sim/rule.hpp>

#include <cstdint>
#include <limits>
#include <vector>

namespace commons::models {

/// announce: unlicensed agents get effort_limit 0; holders pay `fee` each step.
class Licence final : public sim::Rule {
 public:
  struct Parameters {
    enum class Allocation {
      /// The agents with the lowest ids (the first groups of the scenario) hold licences.
      lowest_ids,
      /// A lottery: licences go to the agents with the smallest draws of the run's stream.
      random,
    };
    /// Number of licences [1], >= 0; all agents hold one when there are more licences than
    /// agents.
    std::int64_t licences = 0;
    Allocation allocation = Allocation::lowest_ids;
    /// Fee per licence per step [money], >= 0.
    double fee = 0.0;

    /// Reads `licences` (required), `allocation` and `fee`; throws sim::SpecError for
    /// impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit Licence(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `licence_revenue`: fees paid by holders this step [money]; NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// holds()[i]: agent row i holds a licence; empty before the rule first acts.
  [[nodiscard]] const std::vector<char>& holds() const { return holds_; }

 private:
  void allocate(const sim::RuleContext& context);

  Parameters parameters_;
  /// Who holds a licence, decided once when the rule first acts and kept for the run.
  std::vector<char> holds_;
  double holders_ = 0.0;
  /// Fees of the step the rule last acted in [money]; NaN once recorded.
  mutable double revenue_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
