// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `collective_choice`: those affected by the appropriation rule can change it (Ostrom 1990,
/// design principle 3). Members vote on their limit; the proposal is the median of what they
/// want, which a majority prefers to any other (Black 1948). docs/governance.md#collective_choice

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/sim/rule.hpp>

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace commons::models {

/// In steps t with t mod interval = 0. comply (before `compliance` cuts anything): each
/// member's preferred limit x_i is the effort it intends. choose: proposal m = lower median of
/// the x_i; status quo s = settings["appropriation_limit"] (+infinity, no limit, when unset);
/// member i votes yes iff |m - x_i| < |s - x_i|; the proposal passes iff yes / members >=
/// threshold, and then settings["appropriation_limit"] <- m (in force from the next step).
class CollectiveChoice final : public sim::Rule {
 public:
  struct Parameters {
    /// Steps between votes [steps], >= 1.
    std::int64_t interval = 1;
    /// Share of the members' votes a proposal needs [1], in (0, 1].
    double threshold = 0.5;
    /// How far a member votes as a steward of the resource [1], in [0, 1], per agent: its
    /// preferred limit is s x (its equal share of the social optimum) + (1 - s) x (the effort it
    /// intends this step). 1 (the default) votes for the limit that maximises every member's
    /// long-run payoff when all are bound by it; 0 votes for what the member wants to take now.
    detail::PerAgentNumber stewardship;

    /// Reads `interval`, `threshold` and `stewardship`; throws sim::SpecError for impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// What one vote gave.
  struct Outcome {
    /// The lower median of the preferences; NaN without voters.
    double proposal = std::numeric_limits<double>::quiet_NaN();
    /// Yes votes / voters; NaN without voters.
    double vote_share = std::numeric_limits<double>::quiet_NaN();
    bool passed = false;
  };

  explicit CollectiveChoice(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `vote_share` [1] and `proposal` [effort units] in vote steps (NaN in other steps),
  /// `rule_changed` [1] (1 when a vote changed the limit, else 0); all NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// One vote of voters with `preferences` against the status quo `status_quo`, needing
  /// `threshold` of the votes. `preferences` is reordered.
  [[nodiscard]] static Outcome vote(std::span<double> preferences, double status_quo, double threshold);

 private:
  [[nodiscard]] bool vote_step(std::int64_t step) const { return step % parameters_.interval == 0; }

  Parameters parameters_;
  /// Members' intended efforts recorded in the comply phase of step recorded_step_.
  std::vector<double> preferences_;
  /// Each agent's stewardship, drawn when the first vote is held.
  std::vector<double> stewardship_;
  std::int64_t recorded_step_ = -1;
  mutable double vote_share_ = std::numeric_limits<double>::quiet_NaN();
  mutable double proposal_ = std::numeric_limits<double>::quiet_NaN();
  mutable double rule_changed_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
