// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `time_bank`: monitoring hours earn credits that pay back the next step (Cahn's time
/// banking: one hour given = one credit, whatever the work; Ostrom 1996 on co-production).
/// Design principles 4 (monitoring is rewarded) and 8 (a nested institution that backs the
/// community's own). docs/governance.md#time_bank

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/sim/rule.hpp>

#include <limits>
#include <vector>

namespace commons::models {

/// settle (before the engine settles income): credits_i += monitoring_hours_i, one credit per
/// hour. announce of the next step in force: every credit is paid back and spent,
///   payback access: effort_limit_i += credits_i x effort_per_credit
///   payback fees:   transfer_i     += credits_i x money_per_credit.
/// Credits earned in a step the rule is in force wait for its next step in force.
class TimeBank final : public sim::Rule {
 public:
  struct Parameters {
    enum class Payback { access, fees };
    /// How credits pay back: more access to the resource, or money.
    Payback payback = Payback::access;
    /// Effort allowance one credit buys, added to the agent's effort limit [effort units / credit], >= 0.
    double effort_per_credit = 1.0;
    /// Money one credit pays [money / credit], >= 0.
    double money_per_credit = 1.0;

    /// Reads `payback`, `effort_per_credit` and `money_per_credit`; throws sim::SpecError for
    /// impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit TimeBank(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `credits_issued` [credit] (hours credited in the step's settle), `credits_redeemed`
  /// [credit] (paid back in the step's announce); NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

 private:
  Parameters parameters_;
  /// credits_[i]: agent row i's credits not yet paid back [credit].
  std::vector<double> credits_;
  mutable double issued_ = std::numeric_limits<double>::quiet_NaN();
  mutable double redeemed_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
