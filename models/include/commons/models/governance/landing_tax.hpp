// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `landing_tax`: a tax on the value landed, optionally rebated to all agents in equal
/// shares; the Pigouvian instrument of fisheries economics. docs/governance.md#landing_tax

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/sim/rule.hpp>

#include <limits>
#include <vector>

namespace commons::models {

/// settle (before the engine settles income): fee_i += rate x price x harvest_i; with an
/// equal rebate every agent receives revenue / n as a transfer.
class LandingTax final : public sim::Rule {
 public:
  struct Parameters {
    enum class Rebate {
      /// The state keeps the revenue.
      none,
      /// The revenue returns to all agents in equal shares.
      equal,
    };
    /// Share of the landed value paid as tax [1], in [0, 1].
    double rate = 0.0;
    Rebate rebate = Rebate::none;

    /// Reads `rate` (required) and `rebate`; throws sim::SpecError for impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit LandingTax(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `tax_revenue`: tax collected this step [money]; NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;

 private:
  Parameters parameters_;
  /// Tax of the step the rule last acted in [money]; NaN once recorded.
  mutable double revenue_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
