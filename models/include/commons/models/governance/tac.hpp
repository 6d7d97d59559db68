// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `tac`: a total allowable catch with closure of the fishery when it is reached (Gordon 1954;
/// Clark 1990, ch. 10); docs/governance.md#tac.

#include <commons/sim/rule.hpp>
#include <commons/sim/spec.hpp>

#include <optional>
#include <vector>

namespace commons::models {

/// In the comply phase (before `compliance`) predicts each agent's catch from its intended
/// effort; when together they would take more than the TAC, the season closes as the TAC is
/// reached: harvest_limit_i <- min(harvest_limit_i, TAC h_i / sum_j h_j).
class Tac final : public sim::Rule {
 public:
  struct Parameters {
    /// TAC [resource units / step]; unset when `fraction_of_msy` is given.
    std::optional<double> total;
    /// TAC as a share of the resource's `msy_harvest` reference point [1].
    std::optional<double> fraction_of_msy;

    /// Exactly one of `total` and `fraction_of_msy`, each a finite number >= 0.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit Tac(const Parameters& parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  /// Throws sim::SpecError when the resource lacks the reference point the rule needs.
  void check(const sim::RuleCheck& world) const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `tac`: the TAC in force [resource units]; NaN in steps the rule is not in force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  /// Principle 2: appropriation rules matched to the resource.
  [[nodiscard]] std::vector<int> design_principles() const override;

 private:
  /// The total allowable catch in this world [resource units per step].
  [[nodiscard]] double total(const sim::Resource& resource, const sim::Economics& economics) const;
  Parameters parameters_;
  double tac_ = 0.0;
  bool resolved_ = false;
  std::vector<double> predicted_;
  /// Whether the rule acted since the last sample; sample() consumes it so that steps out of
  /// force record NaN.
  mutable bool acted_ = false;
};

}  // namespace commons::models
