// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `closed_season`: fishing is forbidden in some steps of a repeating cycle (a spawning
/// closure), an appropriation rule in time (Ostrom 1990, design principle 2).
/// docs/governance.md#closed_season

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/sim/rule.hpp>

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace commons::models {

/// announce: in a step t with (t mod period) in `closed`, every effort_limit is 0.
class ClosedSeason final : public sim::Rule {
 public:
  struct Parameters {
    /// Length of the cycle [steps], >= 1; a year of 12 monthly steps has period 12.
    std::int64_t period = 1;
    /// Offsets within the cycle that are closed, each in [0, period), at least one; counted
    /// from step 0 of the run, not from the step the rule comes into force.
    std::vector<std::int64_t> closed;

    /// Reads `period` and `closed`; throws sim::SpecError for impossible values, naming `rule`
    /// (other rules with a seasonal calendar, such as a seasonal `no_take_area`, read theirs here).
    [[nodiscard]] static Parameters from(const sim::Parameters& values, std::string_view rule = "closed_season");
  };

  explicit ClosedSeason(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `season_closed`: 1 in a closed step, else 0; NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// Whether step `step` falls in the closed part of the cycle.
  [[nodiscard]] bool closed_at(std::int64_t step) const;

 private:
  Parameters parameters_;
  /// closed_[k]: offset k of the cycle is closed.
  std::vector<bool> closed_;
  /// 1 when the step the rule last acted in was closed, else 0; NaN once recorded.
  mutable double season_closed_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
