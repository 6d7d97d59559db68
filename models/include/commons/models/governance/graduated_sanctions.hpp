// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `graduated_sanctions`: a first detected breach earns a warning or a small fine, repeated
/// breaches ever larger ones and finally exclusion; a clean record earns forgiveness (Ostrom
/// 1990, design principle 5). docs/governance.md#graduated_sanctions

#include <commons/sim/rule.hpp>

#include <cstdint>
#include <limits>
#include <vector>

namespace commons::models {

/// A ladder of fines f_0 .. f_{L-1}; each agent stands on a rung r in 0 .. L, where r = L means
/// it has climbed past the last rung. announce: fine_per_violation += f_min(r, L-1) (what the
/// next detection would cost, for `compliance`); an agent serving an exclusion gets
/// effort_limit 0. sanction, per agent, in a step it is detected (detected > 0, found by the
/// monitoring rules in force): fine += f_min(r, L-1), once per step whatever the number of
/// breaches found; then r < L climbs one rung, while r = L (detected again past the ladder's
/// end) stays and is excluded in the next `exclusion_steps` steps. In a step it is not
/// detected its clean run grows by one; `forgive_after` clean steps in a row drop one rung and
/// start a new run.
class GraduatedSanctions final : public sim::Rule {
 public:
  struct Parameters {
    /// The ladder f_0 .. f_{L-1} [money], each >= 0, at least one; 0 is a warning.
    std::vector<double> fines;
    /// Steps an agent detected past the ladder's end is excluded [steps], >= 0; 0 never
    /// excludes.
    std::int64_t exclusion_steps = 0;
    /// Clean steps in a row that drop one rung [steps], >= 0; 0 never forgives.
    std::int64_t forgive_after = 0;

    /// Reads `fines` (required), `exclusion_steps` and `forgive_after`; throws
    /// sim::SpecError for impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit GraduatedSanctions(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `warnings` [1]: detected agents whose fine this step was 0; `exclusions` [1]: agents
  /// sentenced to exclusion this step. NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// Rung of agent row `row` (0 .. L; L past the ladder's end), for tests and reports.
  [[nodiscard]] std::int64_t rung(std::size_t row) const { return rung_.at(row); }

 private:
  void announce(sim::RuleContext& context);
  void sanction(sim::RuleContext& context);
  [[nodiscard]] double fine_at(std::int64_t rung) const;

  Parameters parameters_;
  /// Per agent row: rung, clean steps in a row, first step no longer excluded.
  std::vector<std::int64_t> rung_;
  std::vector<std::int64_t> clean_;
  std::vector<std::int64_t> excluded_until_;
  /// Rows of the agent table when announce last ran; sanction acts only on a ladder announced.
  std::size_t announced_rows_ = 0;
  mutable double warnings_ = std::numeric_limits<double>::quiet_NaN();
  mutable double exclusions_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
