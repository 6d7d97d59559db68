// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `individual_quota`: non-tradable individual quotas, a TAC split among the agents once and
/// for all (Clark 1990, ch. 10; the "IQ" of fisheries management); docs/governance.md#individual_quota.

#include <commons/sim/rule.hpp>
#include <commons/sim/spec.hpp>

#include <optional>
#include <vector>

namespace commons::models {

/// In the announce phase sets harvest_limit_i <- min(harvest_limit_i, quota_i) with
/// quota_i = TAC s_i / sum_j s_j: equal shares, a per-agent list, or a per-agent distribution.
class IndividualQuota final : public sim::Rule {
 public:
  struct Parameters {
    /// TAC split among the agents [resource units / step]; unset when `fraction_of_msy` is given.
    std::optional<double> total;
    /// TAC as a share of the resource's `msy_harvest` reference point [1].
    std::optional<double> fraction_of_msy;
    /// Shares of the agents in agent order [1]; empty for an equal split or a distribution.
    std::vector<double> share_list;
    /// Shares drawn once per agent [1]; negative draws count as zero.
    std::optional<sim::Distribution> share_distribution;

    /// `total` or `fraction_of_msy`; `split`: "equal" (default without `shares`) or "shares"
    /// (default with them); `shares`: a list of numbers >= 0 (one per agent) or a distribution.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit IndividualQuota(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  /// Throws sim::SpecError when the resource lacks the reference point the rule needs, or when
  /// `shares` lists a number of values other than one or the number of agents.
  void check(const sim::RuleCheck& world) const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `tac`: the total split into quotas [resource units]; NaN in steps out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  /// Principle 2: appropriation rules matched to the resource.
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// Each agent's quota [resource units / step], in agent order; empty before the first step
  /// in force.
  [[nodiscard]] const std::vector<double>& quotas() const { return quotas_; }

 private:
  /// The total of the quotas in this world [resource units per step].
  [[nodiscard]] double total(const sim::Resource& resource, const sim::Economics& economics) const;
  /// Throws unless `shares` fits `agents` agents.
  void check_shares(std::size_t agents) const;
  void allocate(const sim::RuleContext& context);

  Parameters parameters_;
  double total_ = 0.0;
  std::vector<double> quotas_;
  mutable bool acted_ = false;
};

}  // namespace commons::models
