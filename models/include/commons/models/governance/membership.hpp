// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `membership`: clearly defined boundaries (Ostrom 1990, design principle 1). A share of the
/// agents are members of the community that governs the resource; outsiders may not
/// appropriate, and the members pay to keep them out. docs/governance.md#membership

#include <commons/sim/rule.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace commons::models {

/// announce: the round(members x n) agents with the lowest ids are members (member = 1), the
/// others outsiders (member = 0, effort_limit 0; detection probability combined with p_x and
/// `fine` added to the announced fine per violation, so that `compliance` weighs intrusion).
/// monitor: an outsider with excess effort (an intrusion) is caught iff u_i < p_x, u_i the
/// run's draw (step, id, monitor, parameter_draw_index("membership.exclusion")); the members
/// share exclusion_cost x caught equally as fee. sanction: a caught intruder pays `fine`.
class Membership final : public sim::Rule {
 public:
  struct Parameters {
    /// Share of the agents that are members [1], in [0, 1]; lowest ids first.
    double members = 1.0;
    /// p_x, probability that an intrusion is detected [1], in [0, 1].
    double exclusion_probability = 0.0;
    /// Cost of one detected intrusion to the members, shared equally [money / intrusion], >= 0.
    double exclusion_cost = 0.0;
    /// Fine a detected intruder pays [money / intrusion], >= 0.
    double fine = 0.0;

    /// Reads `members`, `exclusion_probability`, `exclusion_cost` and `fine`; throws
    /// sim::SpecError for impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit Membership(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `intrusions` [1]: outsiders who appropriated in the step, detected or not;
  /// `exclusion_cost` [money]: what the members paid for the detected ones. NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// Members among `agents` agents: round(share x agents), halves rounded up [1].
  [[nodiscard]] static std::size_t member_count(double share, std::size_t agents);
  /// The draw index of the detection draws, parameter_draw_index("membership.exclusion").
  [[nodiscard]] static std::uint64_t draw_index();

 private:
  void announce(sim::RuleContext& context);
  void monitor(sim::RuleContext& context);
  void sanction(sim::RuleContext& context);

  Parameters parameters_;
  /// is_member_[row]: 1 for a member; worked out when the rule first acts on a table of this size.
  std::vector<char> is_member_;
  std::size_t member_total_ = 0;
  /// caught_[row]: 1 for an intruder detected in the current step.
  std::vector<char> caught_;
  mutable double intrusions_ = std::numeric_limits<double>::quiet_NaN();
  mutable double exclusion_cost_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
