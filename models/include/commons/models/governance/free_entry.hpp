// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `free_entry`: open access with entry and exit of vessels driven by profit (Gordon 1954;
/// Smith 1968); docs/governance.md#free_entry.

#include <commons/sim/rule.hpp>
#include <commons/sim/spec.hpp>

#include <vector>

namespace commons::models {

/// Agents are in or out of the fishery. Outsiders get effort_limit 0 (announce) and fish
/// nothing (comply: staying out is their own choice, so their effort is set to 0). After the
/// step is settled (choose phase) each outsider enters with probability
/// min(1, a max(0, Pi_in / C_in)) and each insider i exits with probability
/// min(1, a max(0, -pi_i / c_i e_i)), where a is `entry_rate`, Pi_in and C_in the insiders'
/// summed income and cost of effort, pi_i and c_i e_i insider i's own.
class FreeEntry final : public sim::Rule {
 public:
  struct Parameters {
    /// a, response of entry and exit to the profit per money spent on effort [1], >= 0.
    double entry_rate = 0.1;
    /// Share of the agents in the fishery when the rule comes into force [1], in [0, 1]; the
    /// first round(share n) agents in agent order.
    double initial_share = 1.0;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit FreeEntry(const Parameters& parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `agents_in` [1] (in the fishery this step), `entries` and `exits` [1] (decided at the end
  /// of the step, for the next); NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  /// Open access realises no design principle.
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// 1 for agents in the fishery, 0 for those out, in agent order.
  [[nodiscard]] const std::vector<char>& in_fishery() const { return in_; }

 private:
  void enter_and_exit(const sim::RuleContext& context);

  Parameters parameters_;
  std::vector<char> in_;
  double agents_in_ = 0.0;
  double entries_ = 0.0;
  double exits_ = 0.0;
  mutable bool acted_ = false;
};

}  // namespace commons::models
