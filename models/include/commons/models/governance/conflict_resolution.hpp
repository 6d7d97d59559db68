// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `conflict_resolution`: cheap, local arenas where an agent fined for a breach it did not
/// commit can appeal (Ostrom 1990, design principle 6). docs/governance.md#conflict_resolution

#include <commons/sim/rule.hpp>

#include <cstdint>
#include <limits>
#include <vector>

namespace commons::models {

/// trade (after every sanction, before the engine settles): an agent with fine > 0 and
/// detected > violations (accused of more breaches than it committed) appeals, paying
/// fee += appeal_cost; the appeal succeeds iff u_i < overturn_probability, u_i the run's draw
/// (step, id, sanction, parameter_draw_index("conflict_resolution.overturn")), and then the
/// agent's fine of the step is refunded (fine = 0). Rightly fined agents do not appeal.
class ConflictResolution final : public sim::Rule {
 public:
  struct Parameters {
    /// What an appeal costs the appellant [money], >= 0.
    double appeal_cost = 0.0;
    /// Probability that an appeal overturns the fine [1], in [0, 1].
    double overturn_probability = 1.0;

    /// Reads `appeal_cost` and `overturn_probability`; throws sim::SpecError for impossible
    /// values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit ConflictResolution(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `appeals` [1] and `overturned` [1] in the step; NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// The draw index of the appeal draws, parameter_draw_index("conflict_resolution.overturn").
  [[nodiscard]] static std::uint64_t draw_index();

 private:
  Parameters parameters_;
  mutable double appeals_ = std::numeric_limits<double>::quiet_NaN();
  mutable double overturned_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
