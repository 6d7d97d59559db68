// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `peer_monitoring`: the community's members watch each other (Ostrom 1990, design principle 4:
/// monitors are the appropriators themselves, or accountable to them). Members give hours of
/// their time, which cost them money; a watcher sees a watched member's breach with probability
/// `accuracy` and may wrongly flag a member who broke nothing. docs/governance.md#peer_monitoring

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/sim/network.hpp>
#include <commons/sim/rule.hpp>

#include <cstdint>
#include <limits>
#include <vector>

namespace commons::models {

/// Who watches whom: with a network, every watcher watches its network neighbours who are
/// members; without one, every watcher watches `watched` members drawn uniformly (with
/// replacement) from the other members. A watcher is a member with hours > 0.
/// announce: a member watched by w watchers in expectation hears
///   d <- 1 - (1 - d)(1 - a_w),  a_w = 1 - (1 - accuracy)^w.
/// monitor: watchers pay fee += hours x cost_per_hour and log monitoring_hours += hours; each
/// watcher catches a watched member's breaches with probability `accuracy` (all of them:
/// detected <- max(detected, violations)) and flags a member without breaches with probability
/// `false_positive` (detected <- max(detected, 1) with violations 0).
class PeerMonitoring final : public sim::Rule {
 public:
  struct Parameters {
    /// Hours each member spends watching per step [hour / step], per agent, >= 0.
    detail::PerAgentNumber hours;
    /// What an hour of watching costs the watcher [money / hour], >= 0.
    double cost_per_hour = 0.0;
    /// Without a network: how many members each watcher draws to watch per step [1], >= 0.
    std::int64_t watched = 1;
    /// Chance that one watcher sees a watched member's breach [1], in [0, 1].
    double accuracy = 1.0;
    /// Chance that one watcher wrongly flags a watched member who broke nothing [1], in [0, 1].
    double false_positive = 0.0;

    /// Reads `hours`, `cost_per_hour`, `watched`, `accuracy` and `false_positive`; throws
    /// sim::SpecError for impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// Draw indices of the rule's uniforms (Purpose::monitor), far from the small indices other
  /// rules use. With a network member j, watched by w watchers, is seen iff (step, id_j,
  /// monitor, seen_draw) < 1 - (1 - accuracy)^w (1 - (1 - false_positive)^w without
  /// breaches); without one, watcher i's k-th pick is (step, id_i, monitor, pick_draw + k):
  /// word 0 picks the member, word 1 decides what the watcher sees.
  static constexpr std::uint64_t seen_draw = std::uint64_t{1} << 62;
  static constexpr std::uint64_t pick_draw = (std::uint64_t{1} << 62) + (std::uint64_t{1} << 61);

  explicit PeerMonitoring(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `monitoring_cost` [money], `detections` [1] (members whose breaches peers caught),
  /// `false_accusations` [1] (members without breaches whom peers flagged); NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

 private:
  void announce(sim::RuleContext& context);
  void monitor(sim::RuleContext& context);
  /// Members with hours > 0 and the positions of all members, from the member column.
  void find_members(std::span<const double> member);
  /// Member j's neighbours who are watchers.
  [[nodiscard]] std::size_t watchers_of(const sim::Network& network, std::size_t j) const;
  /// Fills is_watcher_ from the member column and the hours.
  void find_watchers(std::span<const double> member, const sim::ExecutionPolicy& policy);
  /// Fills miss_power_ and clean_power_ up to the network's largest degree (once per network).
  void prepare_powers(const sim::Network& network);

  Parameters parameters_;
  /// hours_[i]: agent row i's hours, drawn once per run.
  std::vector<double> hours_;
  /// Positions of the members in the agent table, ascending; refreshed each announce.
  std::vector<std::uint32_t> members_;
  /// Members with hours > 0 (watchers) among members_, counted at announce.
  std::size_t watchers_ = 0;
  /// (1 - accuracy)^w and (1 - false_positive)^w by w, for the network powers_for_.
  std::vector<double> miss_power_;
  std::vector<double> clean_power_;
  const sim::Network* powers_for_ = nullptr;
  /// Scratch without a network: the member each pick chose and what its watcher would see.
  std::vector<std::uint32_t> pick_target_;
  std::vector<unsigned char> pick_flags_;
  /// is_watcher_[i]: 1 when agent row i is a member with hours > 0.
  std::vector<unsigned char> is_watcher_;
  /// Scratch, per agent, set by watchers this step: bit 0 when a breach would be seen, bit 1
  /// when a breach would wrongly be flagged.
  std::vector<unsigned char> seen_;
  mutable double monitoring_cost_ = std::numeric_limits<double>::quiet_NaN();
  mutable double detections_ = std::numeric_limits<double>::quiet_NaN();
  mutable double false_accusations_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
