// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The agents of one run as a struct of arrays: one column per attribute, so that phases
/// stream through contiguous memory and behaviours work on spans of agents.

#include <commons/sim/run_control.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace commons::sim {

/// Columns shared by every agent whatever its behaviour. Behaviours keep their own state in
/// their own arrays, indexed like the agents of their group.
struct AgentTable {
  /// Stable identity; never a slot index that shifts when agents enter or leave.
  std::vector<std::uint64_t> id;
  /// Index of the agent's group in the scenario.
  std::vector<std::uint32_t> group;
  /// Effort applied this step [effort units].
  std::vector<double> effort;
  /// Where the resource has sites: the site each agent works this step (an index into
  /// Resource::sites()); empty otherwise. Agent k starts at site k mod the number of sites;
  /// behaviours that choose sites write it in decide, others leave their agents in place.
  std::vector<std::uint32_t> site;
  /// Where the resource offers discrete choices (Resource::choices()): each agent's choice, 0
  /// until a behaviour makes one; empty otherwise.
  std::vector<std::uint32_t> choice;
  /// Harvest taken this step [resource units].
  std::vector<double> harvest;
  /// Cost of one unit of effort [money / effort unit].
  std::vector<double> cost_per_effort;
  /// Income this step: price x harvest - cost x effort [money].
  std::vector<double> income;
  /// Income summed over the steps so far [money].
  std::vector<double> cumulative_income;
  /// Effort the agent announced in the communicate phase [effort units]; NaN when it has
  /// made no pledge. A one-shot pledge stands until the next talk.
  std::vector<double> pledge;
  /// Mean pledge the agent heard from those it listens to; NaN when it heard none.
  std::vector<double> heard_pledge;
  /// How far the agent trusts the pledges it hears [0, 1].
  std::vector<double> trust;

  // Governance columns: rules write them; in a run with rules the engine resets them at the
  // start of every step and settles the money in them (without rules it never touches them,
  // which keeps ungoverned steps as cheap as before).
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

  [[nodiscard]] std::size_t size() const { return id.size(); }

  /// Gives every agent a site (round-robin over `site_count` sites) and a choice column when
  /// the resource has them; a resource without either leaves both columns empty.
  void equip(std::size_t site_count, std::size_t choice_count);

  /// Adds `count` agents of `group_index` with ids continuing from the largest so far. For
  /// millions of agents this takes a while: it reports to `control` after each column.
  void append_group(std::uint32_t group_index, std::size_t count, double unit_cost, double initial_trust = 0.0,
                    const RunControl& control = {});
};

/// A contiguous range [first, last) of rows of an agent table: the unit of work handed to
/// behaviours, so that a behaviour makes one virtual call per block, not per agent.
struct AgentSpan {
  AgentTable* table = nullptr;
  std::size_t first = 0;
  std::size_t last = 0;

  [[nodiscard]] std::size_t size() const { return last - first; }
  [[nodiscard]] std::span<double> effort() const { return {table->effort.data() + first, size()}; }
  /// Empty when the resource has no sites (no choices).
  [[nodiscard]] std::span<std::uint32_t> site() const {
    return table->site.empty() ? std::span<std::uint32_t>{} : std::span<std::uint32_t>{table->site.data() + first, size()};
  }
  [[nodiscard]] std::span<std::uint32_t> choice() const {
    return table->choice.empty() ? std::span<std::uint32_t>{}
                                 : std::span<std::uint32_t>{table->choice.data() + first, size()};
  }
  [[nodiscard]] std::span<const double> harvest() const { return {table->harvest.data() + first, size()}; }
  [[nodiscard]] std::span<const double> income() const { return {table->income.data() + first, size()}; }
  [[nodiscard]] std::span<const std::uint64_t> id() const { return {table->id.data() + first, size()}; }
  [[nodiscard]] std::span<const double> cost_per_effort() const { return {table->cost_per_effort.data() + first, size()}; }
  [[nodiscard]] std::span<double> pledge() const { return {table->pledge.data() + first, size()}; }
  [[nodiscard]] std::span<const double> heard_pledge() const { return {table->heard_pledge.data() + first, size()}; }
  [[nodiscard]] std::span<const double> trust() const { return {table->trust.data() + first, size()}; }
  [[nodiscard]] std::span<const double> effort_limit() const { return {table->effort_limit.data() + first, size()}; }
  [[nodiscard]] std::span<const double> harvest_limit() const { return {table->harvest_limit.data() + first, size()}; }
};

}  // namespace commons::sim
