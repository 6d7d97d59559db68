// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `state_recognition`: the state recognises the community's rules and backs them (Ostrom
/// 1990, design principles 7, minimal recognition of rights to organise, and 8, nested
/// enterprises; Berkes 2009 on co-management): breaches that the community detects also carry
/// a state fine, and the state helps keep outsiders out. docs/governance.md#state_recognition

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/sim/rule.hpp>

#include <cstdint>
#include <limits>
#include <vector>

namespace commons::models {

/// announce: every agent hears fine_per_violation += state_fine; an outsider (member 0) hears
/// d <- max(d, b), b = backing_probability: the state makes up the difference itself,
/// detecting with q = (b - d) / (1 - d) when d < b (0 otherwise), so that together with the
/// independent detection the other rules announced the chance is exactly max(d, b).
/// monitor: an outsider with breaches (an intrusion) is detected by the state iff
/// u < q, u = uniform(step, id, monitor, backing_draw): detected <- max(detected, violations).
/// sanction: every agent with detected breaches pays fine += state_fine x detected (members
/// for breaking the community's rules, outsiders for intruding).
class StateRecognition final : public sim::Rule {
 public:
  struct Parameters {
    /// Fine the state adds per detected breach [money / breach], >= 0.
    double state_fine = 0.0;
    /// Least chance that an outsider's intrusion is detected [1], in [0, 1].
    double backing_probability = 0.0;

    /// Reads `state_fine` and `backing_probability`; throws sim::SpecError for impossible
    /// values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// Draw index of the state's detection draws (Purpose::monitor).
  static constexpr std::uint64_t backing_draw = (std::uint64_t{1} << 62) + (std::uint64_t{1} << 60);

  explicit StateRecognition(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `state_fines` [money] (the state's fines of the step), `state_detections` [1] (outsiders'
  /// intrusions the state found); NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

 private:
  Parameters parameters_;
  /// backing_[i]: the state's own detection chance q for agent row i this step (0 for members).
  std::vector<double> backing_;
  mutable double fines_ = std::numeric_limits<double>::quiet_NaN();
  mutable double detections_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
