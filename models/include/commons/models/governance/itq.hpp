// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `itq`: individual transferable quotas (Arnason 1990; Grafton 1996). A total allowable catch
/// is divided into holdings; every step a uniform-price call auction re-allocates this step's
/// quota among agents, and each agent's harvest limit is what it holds after the market.
/// docs/governance.md#itq

#include <commons/models/governance/call_auction.hpp>
#include <commons/sim/rule.hpp>
#include <commons/sim/spec.hpp>
#include <commons/sim/statistics.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace commons::models {

class Itq final : public sim::Rule {
 public:
  /// How the TAC is first divided among agents.
  enum class Allocation {
    equal,    ///< TAC / n each
    history,  ///< in proportion to each agent's harvest in the step before the rule starts
    auction,  ///< nobody holds quota; the state sells the TAC in the first clearing
  };
  /// What changes hands in the market.
  enum class Market {
    lease,  ///< this step's use only: holdings revert to the allocation every step
    sale,   ///< permanent: holdings after the market carry over to the next step
  };

  struct Parameters {
    /// TAC as an absolute catch [resource units / step]; exactly one of `total` and
    /// `fraction_of_msy` is given.
    std::optional<double> total;
    /// TAC as a fraction of the resource's `msy_harvest` reference point [1].
    std::optional<double> fraction_of_msy;
    Allocation allocation = Allocation::equal;
    /// Steps of catch history an `history` allocation weighs [steps]; only 1 is supported
    /// (the engine keeps no per-agent catch record older than the last step).
    std::int64_t history_steps = 1;
    /// Most an agent may hold, as a fraction of the TAC [1], in (0, 1]; 1 is no cap.
    double max_holding = 1.0;
    Market market = Market::lease;

    /// Reads `total` | `fraction_of_msy`, `allocation` ("equal" | "history" | "auction"),
    /// `history_steps`, `max_holding`, `market` ("lease" | "sale"). Throws sim::SpecError
    /// naming the parameter when a value is missing, out of range or unknown.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit Itq(const Parameters& parameters);

  /// comply only: the market clears and sets harvest limits before the harvest (and before
  /// `compliance`, which acts last); the trade phase, after the harvest, would be too late for
  /// a quota to bind. docs/governance.md#itq
  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  /// Throws sim::SpecError when the resource lacks the reference point the rule needs.
  void check(const sim::RuleCheck& world) const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;

  /// `quota_price`, `quota_traded`, `holdings_gini` and `auction_revenue`; all NaN in a step
  /// the rule is not in force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  /// Principle 1 (who may harvest, and how much, is defined by holdings) and 2 (the total
  /// appropriation is matched to the resource's productivity through the TAC).
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// Holdings of each agent after this step's market [resource units], in agent-table order.
  [[nodiscard]] std::span<const double> holdings() const { return holdings_; }
  /// Quota the state holds (unsold auction units, units the cap left unallocated) [resource units].
  [[nodiscard]] double state_holding() const { return state_holding_; }
  /// The TAC in force [resource units / step]; NaN before the rule first acted.
  [[nodiscard]] double tac() const { return tac_; }

  /// Divides `total` in proportion to `weights` (equally when they sum to zero) with no share
  /// above `cap`: shares that would exceed it are set to it and the rest is divided again
  /// among the others ("water filling"). What cannot be placed under the cap is left over.
  /// Returns the shares; O(n log n).
  [[nodiscard]] static std::vector<double> divide(std::span<const double> weights, double total, double cap);

 private:
  void clear_market(sim::RuleContext& context);
  /// The total allowable catch the holdings divide in this world [resource units per step].
  [[nodiscard]] double total(const sim::Resource& resource, const sim::Economics& economics) const;
  void initialise(sim::RuleContext& context);

  Parameters parameters_;
  double tac_;
  bool initialised_ = false;
  /// The first clearing has happened (for an auctioned allocation, the auction itself).
  bool auctioned_ = false;
  /// Holdings each agent reverts to in a lease market, and the state's share of them.
  std::vector<double> allocation_;
  double state_allocation_ = 0.0;
  std::vector<double> holdings_;
  double state_holding_ = 0.0;
  // Per-agent scratch for the order book, kept between steps to avoid reallocation.
  std::vector<double> wanted_;
  std::vector<double> value_;
  // The book itself (orders and the rows that placed them) and the market's own buffers,
  // reused from step to step.
  std::vector<Order> bids_;
  std::vector<Order> asks_;
  std::vector<std::size_t> bid_row_;
  std::vector<std::size_t> ask_row_;
  std::vector<std::size_t> block_bids_;
  std::vector<std::size_t> block_asks_;
  CallMarket market_;
  /// The holdings' Gini coefficient, on buffers kept between steps.
  sim::GiniCalculator holdings_gini_;
  // What sample() reports; `fresh_` marks values of the step just ended, because sample is
  // also called in steps the rule is not in force (then it reports "no market").
  struct Report {
    double price = 0.0;
    double traded = 0.0;
    double gini = 0.0;
    double revenue = 0.0;
  };
  Report report_;
  mutable bool fresh_ = false;
};

}  // namespace commons::models
