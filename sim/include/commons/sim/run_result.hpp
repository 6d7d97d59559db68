// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Everything a finished run hands to a sink: read-only samples with names, units and
/// descriptions. Sinks see this and nothing of the models.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace commons::sim {

/// What the symbolic units of recorded variables stand for in one world. The engine and the
/// rules declare quantities they cannot know the nature of (the harvest of whatever the resource
/// is) in "resource_unit", "effort_unit" and "money"; the resource says what they are
/// (Resource::units), and what is recorded carries the resolved units.
struct UnitSystem {
  /// Units of stock and harvest, e.g. "t" (UDUNITS syntax where the model knows them).
  std::string resource = "resource_unit";
  /// Units of effort, e.g. "day" for boat-days.
  std::string effort = "effort_unit";
  /// Units of money. UDUNITS has no currency, so this stays "money": amounts in the currency
  /// the scenario's prices are quoted in (docs/results-format.md#units).
  std::string money = "money";

  /// `units` with every symbolic unit replaced, e.g. "money / resource_unit" -> "money / t".
  [[nodiscard]] std::string resolve(std::string_view units) const;
};

/// Name, units and meaning of a recorded variable.
struct VariableInfo {
  std::string name;
  /// UDUNITS-style units; "1" for dimensionless; the symbolic units of UnitSystem until the
  /// recorder resolves them.
  std::string units;
  std::string description;
  /// For a rule's variable: a cost of governing in money (inspections, monitoring hours,
  /// exclusion, sanctioning fees). The recorder adds such variables into `governance_cost`.
  bool governance_cost = false;
};

/// One run of a plan: which replicate, which seed, which variant, which design point.
struct RunTask {
  /// Position in the plan; also the run coordinate in results.
  std::int64_t index = 0;
  /// Replicate number; with the seed, the key of the run's random streams, so that the
  /// variants of a comparison see the same random numbers (common random numbers).
  std::int64_t replicate = 0;
  std::uint64_t seed = 0;
  /// Which variant of a comparison the run belongs to (ScenarioSpec::variants); 0 without one.
  std::int64_t variant = 0;
  /// In a sweep: the values of its factors at this run (PlanInfo::sweep's factors, in order;
  /// a categorical factor's value is its level's index). Empty outside a sweep.
  std::vector<double> factors{};
  /// In a sweep: the run's point of the design over the parameters, and its policy (a
  /// combination of the levers); 0 outside a sweep.
  std::int64_t design_point = 0;
  std::int64_t policy = 0;
  /// In a sweep, with the seed and the replicate the key of the run's random streams
  /// (sim::stream_word); 0 outside a sweep.
  std::uint64_t stream = 0;
  /// What the run records: an index into PlanInfo::layouts. The variant outside a sweep.
  std::int64_t layout = 0;
};

/// A variable recorded once per step: `values[step]`.
struct SeriesData {
  VariableInfo info;
  std::vector<double> values;
};

/// A variable with one value per run.
struct ScalarData {
  VariableInfo info;
  double value = 0.0;
};

/// A per-agent variable: `values[step * agent_count + agent]`.
struct AgentData {
  VariableInfo info;
  std::vector<double> values;
};

/// Consecutive recorded steps of one run's per-agent variables, handed to a sink while the run
/// goes on (Sink::streams_agents), so that a run of millions of agents holds a few steps of
/// them in memory rather than all.
struct AgentRows {
  RunTask task;
  /// Position of the first of these steps along the agent variables' step axis: the k-th
  /// recorded step, which is step k only when agents are recorded every step.
  std::int64_t first = 0;
  /// Recorded steps in `values`.
  std::int64_t count = 0;
  /// The recorded agents these rows hold: positions [first_agent, first_agent + agents) along
  /// the agent axis, all of them unless one step is larger than a piece the sink takes.
  std::int64_t first_agent = 0;
  std::int64_t agents = 0;
  /// Per agent variable, in the layout's order: `values[variable][row * agents + agent]`.
  std::vector<std::vector<double>> values;
};

/// Bytes of one agent variable in the AgentRows a run hands on: whole recorded steps while they
/// fit, else one step split along the agents, so that memory stays bounded at any number of
/// agents. Large enough that writing a piece costs far more than handing it over.
inline constexpr std::size_t agent_piece_bytes = std::size_t{4} << 20;

/// A per-site variable of a resource with sites: `values[step * site_count + site]`.
struct SiteData {
  VariableInfo info;
  std::vector<double> values;
};

/// The samples of one finished run.
struct RunResult {
  RunTask task;
  std::int64_t steps = 0;
  std::vector<SeriesData> series;
  /// Outcome measures: final stock, collapse step, discounted rent, efficiency, equity.
  std::vector<ScalarData> summary;
  /// Closed-form reference values of the resource model at this run's parameters (MSY...).
  std::vector<ScalarData> references;
  /// Agent ids, in the order of the agent dimension of `agents`.
  std::vector<std::uint64_t> agent_ids;
  /// Per-agent series; empty unless the scenario asks for them, or when they went to the sink
  /// as AgentRows while the run went on.
  std::vector<AgentData> agents;
  /// Recorded steps of the per-agent variables handed to the sink as AgentRows before the
  /// result (0 when they are in `agents`); a sink checks it against what it received.
  std::int64_t agent_rows_streamed = 0;
  /// Per-site series of a resource with sites; empty without sites or when not recorded.
  std::vector<SiteData> sites;
  /// degree_counts[k]: number of agents with k neighbours in the run's social network; empty
  /// without a network.
  std::vector<std::uint64_t> degree_counts;
};

}  // namespace commons::sim
