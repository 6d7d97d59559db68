// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `appropriation_rule`: the community's own limit on what each member may take, matched to
/// local conditions and open to change by the members' vote (Ostrom 1990, design principle 2).
/// docs/governance.md#appropriation_rule

#include <commons/sim/rule.hpp>

#include <limits>
#include <optional>
#include <string_view>
#include <vector>

namespace commons::models {

/// announce: L = settings["appropriation_limit"] (set to `limit`, or to the members' equal
/// share of the social optimum, the first time the rule acts and no other rule has set it; `collective_choice` changes it); every member's effort_limit
/// (unit "effort") or harvest_limit (unit "harvest") <- min(., L). Outsiders are left to
/// `membership`.
class AppropriationRule final : public sim::Rule {
 public:
  /// The shared setting that holds the community's per-member limit.
  static constexpr std::string_view setting = "appropriation_limit";

  struct Parameters {
    enum class Unit {
      /// The limit caps effort [effort units per member per step].
      effort,
      /// The limit caps harvest [resource units per member per step].
      harvest,
    };
    /// The limit until a vote changes it, >= 0; when absent, the members' equal share of the
    /// resource's social optimum (no limit if the resource has none).
    std::optional<double> limit;
    Unit unit = Unit::effort;

    /// Reads `limit` (optional) and `unit`; throws sim::SpecError for impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit AppropriationRule(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `appropriation_limit`: the limit in force in the step [effort or resource units]; NaN
  /// out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

 private:
  Parameters parameters_;
  mutable double limit_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
