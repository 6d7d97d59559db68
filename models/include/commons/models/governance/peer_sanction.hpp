// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `peer_sanction`: members fine each other at a cost to themselves, the "sword" of Ostrom,
/// Walker & Gardner (1992): after each round subjects saw every individual investment and could
/// pay a fee to have a fine levied on another player (fee:fine 1:2 and 1:4 in the laboratory).
/// Design principle 5 (graduated sanctions by the appropriators). docs/governance.md#peer_sanction

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/sim/rule.hpp>

#include <cstdint>
#include <limits>
#include <vector>

namespace commons::models {

/// sanction: the targets are the members whose effort exceeds the reference r
/// (settings["appropriation_limit"] when a rule has set it, else the members' mean effort),
/// ranked by effort, highest first, ties to the lowest id. Each member i sanctions with
/// probability propensity_i (draw (step, id_i, sanction, propensity_draw)); a sanctioning
/// member pays `fee` for each of the first `max_sanctions` targets other than itself, and each
/// of them pays `fine`.
class PeerSanction final : public sim::Rule {
 public:
  struct Parameters {
    /// Chance that a member sanctions in a step [1], per agent, in [0, 1].
    detail::PerAgentNumber propensity;
    /// What the punisher pays per sanction [money], >= 0.
    double fee = 5.0;
    /// What the sanctioned member pays per sanction [money], >= 0.
    double fine = 10.0;
    /// Most sanctions one punisher imposes per step [1], >= 0.
    std::int64_t max_sanctions = 1;

    /// Reads `propensity`, `fee`, `fine` and `max_sanctions`; throws sim::SpecError for
    /// impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// Draw index of the propensity draws (Purpose::sanction).
  static constexpr std::uint64_t propensity_draw = std::uint64_t{1} << 62;

  explicit PeerSanction(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `sanctions` [1], `sanction_fees` [money] (paid by punishers), `sanction_fines` [money]
  /// (paid by the sanctioned); NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

 private:
  Parameters parameters_;
  /// propensity_[i]: agent row i's propensity, drawn once per run.
  std::vector<double> propensity_;
  mutable double sanctions_ = std::numeric_limits<double>::quiet_NaN();
  mutable double fees_ = std::numeric_limits<double>::quiet_NaN();
  mutable double fines_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
