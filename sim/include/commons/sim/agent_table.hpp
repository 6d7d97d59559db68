// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The agents of one run as a struct of arrays: one column per attribute, so that phases
/// stream through contiguous memory and behaviours work on spans of agents.

#include <commons/sim/run_control.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace commons::sim {

/// Columns every agent has whatever its behaviour and its institutions. Behaviours keep their
/// own state in their own arrays, indexed like the agents of their group; what rules announce
/// to agents and book against them is in the run's GovernanceLedger, which only a run with
/// rules has.
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
  /// made no pledge. A one-shot pledge stands until the next talk. This and the next two
  /// columns are empty in a table of agents that never talk.
  std::vector<double> pledge;
  /// Mean pledge the agent heard from those it listens to; NaN when it heard none.
  std::vector<double> heard_pledge;
  /// How far the agent trusts the pledges it hears [0, 1].
  std::vector<double> trust;

  [[nodiscard]] std::size_t size() const { return id.size(); }

  /// Gives every agent a site (round-robin over `site_count` sites) and a choice column when
  /// the resource has them; a resource without either leaves both columns empty.
  void equip(std::size_t site_count, std::size_t choice_count);

  /// Makes room for `agents` agents in every column, so that appending groups up to that many
  /// never moves a column; large columns are backed by huge pages where the system offers them.
  /// `talks` says whether the pledge columns will be filled.
  void reserve(std::size_t agents, bool talks = true);

  /// Adds `count` agents of `group_index` with ids continuing from the largest so far. Agents
  /// that talk (`initial_trust`, the trust they start with) get pledge, heard_pledge and trust
  /// columns; without it those stay empty, in every group of the table. For millions of agents
  /// this takes a while: it reports to `control` after each column.
  void append_group(std::uint32_t group_index, std::size_t count, double unit_cost,
                    std::optional<double> initial_trust = 0.0, const RunControl& control = {});
};

struct GovernanceLedger;

/// A contiguous range [first, last) of rows of an agent table: the unit of work handed to
/// behaviours, so that a behaviour makes one virtual call per block, not per agent.
struct AgentSpan {
  AgentTable* table = nullptr;
  std::size_t first = 0;
  std::size_t last = 0;
  /// The run's governance ledger, same rows, or nullptr in a run without rules.
  const GovernanceLedger* ledger = nullptr;

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
  /// The pledge columns; empty when the agents never talk.
  [[nodiscard]] std::span<double> pledge() const { return rows(table->pledge); }
  [[nodiscard]] std::span<const double> heard_pledge() const { return rows(table->heard_pledge); }
  [[nodiscard]] std::span<const double> trust() const { return rows(table->trust); }
  /// The effort and harvest limits the rules announced to these agents this step (infinity
  /// where a rule sets none) [effort units], [resource units]; nullopt in a run without rules,
  /// where nothing is limited. Rules announce before behaviours decide.
  [[nodiscard]] std::optional<std::span<const double>> effort_limit() const;
  [[nodiscard]] std::optional<std::span<const double>> harvest_limit() const;

 private:
  [[nodiscard]] std::span<double> rows(std::vector<double>& column) const {
    return column.empty() ? std::span<double>{} : std::span<double>{column.data() + first, size()};
  }
};

}  // namespace commons::sim
