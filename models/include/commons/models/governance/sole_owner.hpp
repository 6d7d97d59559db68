// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `sole_owner`: one owner holds the whole resource and directs everyone's effort (Scott 1955;
/// Gordon 1954); docs/governance.md#sole_owner.

#include <commons/sim/rule.hpp>
#include <commons/sim/spec.hpp>

#include <string>
#include <vector>

namespace commons::models {

/// The owner chooses the total effort E* that maximises sustained rent (the maximum economic
/// yield, Resource::optimal_total_effort) or, with `target: msy`, the MSY effort, or with
/// `target: golden_rule` the effort of Clark's discounted optimum (the resource's
/// golden_rule_effort reference point). Announce:
/// effort_limit_i <- min(effort_limit_i, E*/n); comply (before `compliance`): effort_i is set
/// to min(E*/n, effort_limit_i): the agents are the owner's crew, so they comply by construction.
class SoleOwner final : public sim::Rule {
 public:
  struct Parameters {
    enum class Target { mey, msy, golden_rule };
    Target target = Target::mey;

    /// `target`: "mey" (default), "msy" or "golden_rule".
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit SoleOwner(const Parameters& parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  /// Throws sim::SpecError when the resource lacks the reference point the rule needs.
  void check(const sim::RuleCheck& world) const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `owner_effort`: the total effort the owner directs [effort units]; NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  /// Principle 1: clearly defined boundaries (one owner holds the whole resource).
  [[nodiscard]] std::vector<int> design_principles() const override;

 private:
  /// The owner's total effort in this world: the MEY, MSY or golden-rule effort of the resource.
  [[nodiscard]] double target_effort(const sim::Resource& resource, const sim::Economics& economics) const;

  Parameters parameters_;
  double total_effort_ = 0.0;
  bool resolved_ = false;
  mutable bool acted_ = false;
};

}  // namespace commons::models
