// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `reserve`: a protected share of the stock that may not be fished, the non-spatial form of a
/// marine reserve (Clark 1990; spatial no-take zones are no_take_area);
/// docs/governance.md#reserve.

#include <commons/sim/rule.hpp>
#include <commons/sim/spec.hpp>

#include <vector>

namespace commons::models {

/// In the comply phase (before `compliance`) limits the step's total harvest to (1 - s) X,
/// X the stock at the start of the step, closing the fishery in proportion to catch as `tac`
/// does.
class Reserve final : public sim::Rule {
 public:
  struct Parameters {
    /// s, share of the stock that is protected [1], in [0, 1).
    double share = 0.0;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit Reserve(const Parameters& parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `reserve_limit`: most the group may harvest in the step [resource units]; NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  /// Principle 2: appropriation rules matched to the resource.
  [[nodiscard]] std::vector<int> design_principles() const override;

 private:
  Parameters parameters_;
  double limit_ = 0.0;
  std::vector<double> predicted_;
  mutable bool acted_ = false;
};

}  // namespace commons::models
