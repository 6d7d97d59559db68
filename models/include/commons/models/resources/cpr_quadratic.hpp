// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `cpr_quadratic`: the common-pool resource appropriation game of Walker, Gardner & Ostrom
/// (1990) and Ostrom, Gardner & Walker (1994, ch. 5); docs/models.md#cpr_quadratic.

#include <commons/sim/resource.hpp>
#include <commons/sim/spec.hpp>

#include <cstddef>
#include <optional>

namespace commons::models {

/// Each round every player splits an endowment of e tokens between a safe outside market that
/// returns w per token (the economics' cost_per_effort, an opportunity cost) and a CPR whose
/// group output F(X) = a X - b X^2 is shared in proportion to the tokens invested: player i
/// receives (x_i / X) F(X). The resource has no stock and no dynamics; rounds are independent
/// stage games, and the only state carried between steps is last round's group investment
/// (what subjects are told after each round).
class CprQuadratic final : public sim::Resource, public sim::ResourceEconomics {
 public:
  struct Parameters {
    /// a, slope of the group output at zero investment [resource units / token].
    double production_linear = 23.0;
    /// b, curvature of the group output [resource units / token^2].
    double production_quadratic = 0.25;
    /// e, tokens each player may invest per round [token]; the effort limit.
    double endowment = 10.0;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit CprQuadratic(const Parameters& parameters);

  /// Stock 0 (there is none); harvest per effort = last round's average product a - b X,
  /// which subjects can work out from the aggregate they are told (a before the first round).
  /// Its closed forms: optimum, optimal rent and reference points, below.
  [[nodiscard]] const sim::ResourceEconomics* economics() const override { return this; }
  [[nodiscard]] sim::Observation observe() const override;
  /// X = sum of efforts in block order; agent i receives x_i (a - b X) = (x_i / X) F(X), which
  /// is negative for everyone when X > a/b. Remembers X and the number of players.
  double harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) override;
  /// x (a - b (x + Y)): the same share rule as `harvest`, 0 when nobody invests.
  [[nodiscard]] double harvest_if(double own_effort, double others_effort) const override;
  /// harvest_if's expression over spans, vectorised.
  void harvest_if_each(std::span<const double> own_effort, std::span<const double> others_effort,
                       std::span<double> harvest) const override;
  /// The vertex of the concave payoff p x (a - b (x + Y)) - w x, clamped to [0, cap]; none
  /// without a positive price or cap.
  [[nodiscard]] std::optional<double> best_response_effort(double others_effort, double price, double own_cost,
                                                           double cap) const override;
  /// harvest_if inverted: the smaller root of x (a - b(x + Y)) = h.
  [[nodiscard]] std::optional<double> largest_effort_within(double harvest_limit, double others_effort,
                                                            double most) const override;
  /// X* = (a - w/p) / (2b), the rent-maximising group investment.
  [[nodiscard]] std::optional<double> optimal_total_effort(const sim::Economics& economics) const override;
  /// The endowment e.
  [[nodiscard]] std::optional<double> effort_limit() const override { return parameters_.endowment; }
  /// Nothing grows: rounds are independent.
  void grow() override {}
  /// The CPR has no stock.
  [[nodiscard]] double stock() const override { return 0.0; }
  /// -infinity: the CPR never collapses (its output may be negative instead).
  [[nodiscard]] double collapse_threshold() const override;
  /// Optimum, symmetric Nash and open-access group investments with their net yields. The
  /// Nash values need the number of players n, which the resource learns from the efforts it
  /// is handed in `harvest` (the recorder asks at the end of the run); NaN before any harvest.
  [[nodiscard]] std::vector<sim::ScalarData> reference_points(const sim::Economics& economics) const override;
  /// NY(X*): the maximal net yield per round, so that the engine's efficiency summary is the
  /// laboratory's "net yield as a share of the maximum".
  [[nodiscard]] std::optional<double> optimal_rent(const sim::Economics& economics) const override;
  /// group_investment, group_output, net_yield, yield_efficiency.
  /// Tokens are counts ("1"): the investment of the laboratory game, and its output F(X) in
  /// tokens' worth; money is the experiment's cents (docs/models.md#cpr_quadratic).
  [[nodiscard]] sim::UnitSystem units() const override { return {"1", "1", "money"}; }
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;

  /// The economics that `sample` prices net yield with; the engine gives them before the
  /// first step. Until then net_yield and yield_efficiency are sampled as NaN.
  void set_economics(const sim::Economics& economics) override { economics_ = economics; }

  /// F(X) = a X - b X^2, the group output of a total investment X [resource units].
  [[nodiscard]] double group_output(double group_investment) const;
  /// NY(X) = p F(X) - w X, the group's rent over what the outside market would have paid [money].
  [[nodiscard]] double net_yield(double group_investment, const sim::Economics& economics) const;
  /// Payoff-maximising investment against the others' total Y: (a - w/p - b Y) / (2b),
  /// clamped to [0, e] [token].
  [[nodiscard]] double best_response(double others_total, const sim::Economics& economics) const;
  /// Symmetric Nash group investment of n players: X_N = (a - w/p) / (b (1 + 1/n)), each
  /// player's share clamped to [0, e] [token].
  [[nodiscard]] double nash_group_investment(std::size_t players, const sim::Economics& economics) const;
  /// X* = (a - w/p) / (2b), never below 0 [token].
  [[nodiscard]] double optimum_group_investment(const sim::Economics& economics) const;
  /// Full rent dissipation, average product equal to w/p: X_OA = (a - w/p) / b, never below 0 [token].
  [[nodiscard]] double open_access_group_investment(const sim::Economics& economics) const;

  /// Players seen in the last harvest; 0 before the first.
  [[nodiscard]] std::size_t players() const { return players_; }
  /// Group investment of the last harvest [token].
  [[nodiscard]] double last_group_investment() const { return group_investment_; }
  [[nodiscard]] const Parameters& parameters() const { return parameters_; }

 private:
  /// a - w/p: the marginal product at X = 0 net of the outside return [resource units / token].
  [[nodiscard]] double net_marginal_at_zero(const sim::Economics& economics) const;

  Parameters parameters_;
  double group_investment_ = 0.0;
  std::size_t players_ = 0;
  std::optional<sim::Economics> economics_;
};

}  // namespace commons::models
