// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// What the institutions of a governed run hold about each agent: the limits and enforcement
/// terms rules announce, the breaches found, and the money rules move. A run has a ledger only
/// when it has rules, so an ungoverned run neither allocates nor touches any of it.

#include <commons/sim/run_control.hpp>

#include <cstddef>
#include <vector>

namespace commons::sim {

/// One column per attribute, indexed like the rows of the agent table. Rules write it (through
/// RuleContext::ledger) so that they compose: one sets a quota, another inspects, a third fines.
/// The engine resets it at the start of every step (clear()), counts breaches of the limits
/// after the harvest, and settles the money into the agents' income.
struct GovernanceLedger {
  /// Most effort the rules allow the agent this step (caps, closures, licences, exclusion)
  /// [effort units]; infinity when unlimited.
  std::vector<double> effort_limit;
  /// Most harvest the rules allow the agent this step (quotas) [resource units]; infinity
  /// when unlimited.
  std::vector<double> harvest_limit;
  /// What enforcement rules announce to each agent for this step: the probability that a
  /// breach is detected, and the fine if it is, per breach and per unit of excess (effort or
  /// harvest above the limit). Compliance weighs gain against them.
  std::vector<double> detection_probability;
  std::vector<double> fine_per_violation;
  std::vector<double> fine_per_excess;
  /// Effort above effort_limit and harvest above harvest_limit this step; the engine sets
  /// them after the harvest [effort units], [resource units].
  std::vector<double> excess_effort;
  std::vector<double> excess_harvest;
  /// Limits the agent broke this step (the engine counts an exceeded effort limit and an
  /// exceeded harvest limit; rules may add breaches of their own), and how many of those
  /// breaches were detected [1].
  std::vector<double> violations;
  std::vector<double> detected;
  /// Fines the agent pays this step [money].
  std::vector<double> fine;
  /// Fees and costs the agent pays to institutions: monitoring hours, sanctioning fees,
  /// licence fees, taxes [money].
  std::vector<double> fee;
  /// Money the agent receives from trades (negative when it buys) and rebates [money].
  std::vector<double> transfer;
  /// 1 for a member of the community that governs itself, 0 for an outsider; everyone is a
  /// member unless a `membership` rule says otherwise. Persists from step to step.
  std::vector<double> member;
  /// Hours the agent spent monitoring others this step (peer monitoring), credited by a time
  /// bank [hour].
  std::vector<double> monitoring_hours;

  /// A ledger for no agents.
  GovernanceLedger() = default;
  /// A ledger for `agents` agents with nothing limited, announced or owed. For millions of
  /// agents this takes a while: it reports to `control` after each column.
  explicit GovernanceLedger(std::size_t agents, const RunControl& control = {});

  [[nodiscard]] std::size_t size() const { return effort_limit.size(); }

  /// Rows [first, last) as at the start of a step: limits lapse and money owed clears; rules in
  /// force announce them again. What persists (membership) is kept.
  void clear(std::size_t first, std::size_t last);
};

}  // namespace commons::sim
