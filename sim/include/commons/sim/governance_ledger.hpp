// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// What the institutions of a governed run hold about each agent: the limits and enforcement
/// terms rules announce, the breaches found, and the money rules move. A run has a ledger only
/// when it has rules, so an ungoverned run neither allocates nor touches any of it.

#include <commons/sim/run_control.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace commons::sim {

struct ExecutionPolicy;

/// A per-agent column that rules share by name, beside the ledger's own: what one rule
/// publishes for others to read (who belongs to the community, the hours members gave). The
/// rules that share it define it once, in the models; the engine only keeps it and, when it
/// lapses, resets it with the rest of the ledger.
struct SharedColumn {
  /// The name rules know it by; docs/governance.md gives it with the rules that use it.
  std::string_view name;
  /// Every agent's value before a rule writes one.
  double initial = 0.0;
  /// True: back to `initial` at the start of every step (what agents did in the step); false:
  /// kept from step to step (a standing).
  bool lapses = false;
};

/// Who may work each site of a spatial resource in the step, as spatial rules announce it: a
/// no-take area closes sites to everyone, a territorial use right reserves a site for the group
/// or the agent that holds it. The engine treats work where an agent may not work as effort
/// above a limit of 0 (all of it is excess, one breach); the rules that announce a site detect
/// the breaches at it. Lapses every step, like the limits.
struct SiteRights {
  static constexpr std::uint32_t no_group = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::size_t no_agent = std::numeric_limits<std::size_t>::max();
  /// 1 where no one may work the site this step.
  std::vector<std::uint8_t> closed;
  /// The group that holds the site, or no_group: only its members may work it.
  std::vector<std::uint32_t> holder_group;
  /// The agent (row) that holds the site, or no_agent: only it may work the site.
  std::vector<std::size_t> holder_agent;
  /// Probability that work at the site by an agent who may not work there is detected, by
  /// whoever patrols or holds the site [1]; what a behaviour choosing a site weighs.
  std::vector<double> detection;

  /// Rights over `sites` sites, all open to everyone.
  void reset(std::size_t sites);
  [[nodiscard]] std::size_t size() const { return closed.size(); }
  /// Whether the agent in row `agent`, of group `group`, may work `site` this step; true for
  /// every site when no rule announces rights (an empty table).
  [[nodiscard]] bool may_work(std::size_t agent, std::uint32_t group, std::uint32_t site) const {
    if (closed.empty()) return true;
    return closed[site] == 0 && (holder_group[site] == no_group || holder_group[site] == group) &&
           (holder_agent[site] == no_agent || holder_agent[site] == agent);
  }
};

/// One column per attribute, indexed like the rows of the agent table. Rules write it (through
/// RuleContext::ledger) so that they compose: one sets a quota, another inspects, a third fines.
/// The engine resets it at the start of every step (start_step()), counts breaches of the
/// limits after the harvest, and settles the money into the agents' income. Columns that only
/// some rules share are kept by name (shared()); the engine knows none of them.
///
/// Whoever writes one of the ledger's own columns declares it first (will_write()): a step's
/// start then rewrites only the columns written since the last one, since each column of a
/// million agents costs about as much to reset as a fifth of an ungoverned step.
struct GovernanceLedger {
  /// The columns whose writers declare them (will_write()). Not excess_effort and
  /// excess_harvest: the engine sets every row of those after the harvest.
  enum class Column : std::uint8_t {
    effort_limit,
    harvest_limit,
    detection_probability,
    fine_per_violation,
    fine_per_excess,
    violations,
    detected,
    fine,
    fee,
    transfer,
  };

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
  /// every row after the harvest, so before it they still hold the previous step's
  /// [effort units], [resource units].
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

  /// Who may work where; sized to the sites by the engine in a run on a resource with sites,
  /// empty otherwise. Reset to open at the start of every step.
  SiteRights sites;

  /// A ledger for no agents.
  GovernanceLedger() = default;
  /// A ledger for `agents` agents with nothing limited, announced or owed. For millions of
  /// agents this takes a while: it reports to `control` after each column.
  explicit GovernanceLedger(std::size_t agents, const RunControl& control = {});

  [[nodiscard]] std::size_t size() const { return effort_limit.size(); }

  /// Rows [first, last) as at the start of a step: limits lapse and money owed clears; rules in
  /// force announce them again. Shared columns that lapse go back to their initial value; the
  /// others are kept. Every column, declared or not; start_step() is the engine's cheaper form.
  void clear(std::size_t first, std::size_t last);

  /// Declares that the caller writes `columns` in this step, so that the next start_step()
  /// resets them. Call it before splitting work over agents (not thread-safe), in every step
  /// the rule writes them.
  void will_write(std::initializer_list<Column> columns);

  /// The start of a step, for every row: what clear() does, but rewriting only the columns
  /// declared (will_write()) since the last start_step(), the others holding their reset values
  /// already; then nothing is declared. excess_effort and excess_harvest are left to the engine.
  /// \throws std::logic_error in a debug build if a column was written undeclared.
  void start_step(const ExecutionPolicy& policy);

  /// Whether every column not declared since the last start_step() holds, in every row, the
  /// value clear() gives it: what makes start_step() equal to clear() over all rows. For tests.
  [[nodiscard]] bool undeclared_columns_at_rest() const;

  /// The shared column `column`, made on first use with every row at its initial value.
  /// \throws std::logic_error if it was made with another initial value or lifetime.
  /// Not thread-safe: call it before splitting work over agents.
  std::vector<double>& shared(const SharedColumn& column);
  /// The shared column named `name`, or nullptr when no rule has used it.
  [[nodiscard]] const std::vector<double>* find_shared(std::string_view name) const;

 private:
  struct Shared {
    double initial = 0.0;
    bool lapses = false;
    std::vector<double> values;
  };
  std::map<std::string, Shared, std::less<>> shared_;
  /// Bit c set: Column c was declared since the last start_step(). A new ledger holds the
  /// reset values everywhere, so nothing is declared.
  std::uint32_t declared_ = 0;
};

}  // namespace commons::sim
