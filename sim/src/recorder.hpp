// SPDX-License-Identifier: Apache-2.0
#pragma once
// The recorder samples the world at the end of each step into per-run buffers; it reads the
// world and never changes it.

#include <commons/sim/agent_table.hpp>
#include <commons/sim/network.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run_control.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/rule.hpp>
#include <commons/sim/run_result.hpp>
#include <commons/sim/spec.hpp>
#include <commons/sim/statistics.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

namespace commons::sim {

/// Aggregates the settle phase computes anyway, handed to the recorder to avoid a second pass.
struct StepTotals {
  double harvest = 0.0;
  double effort = 0.0;
  double rent = 0.0;
  double active_agents = 0.0;
  /// What agents paid for trips to the sites they worked (resources with trip costs).
  double trip_costs = 0.0;
  /// Fraction of standing pledges kept in the step; NaN when none stands.
  double pledges_kept = 0.0;
  // Governance: breaches, detections, agents with none, and money moved by rules.
  double violations = 0.0;
  double detected = 0.0;
  double compliant = 0.0;
  double fines = 0.0;
  double fees = 0.0;
  double transfers = 0.0;
};

class Recorder {
 public:
  /// \throws SpecError if the scenario asks for a series the world does not offer.
  Recorder(const ScenarioSpec& spec, const Resource& resource, std::size_t agent_count, const ExecutionPolicy& policy,
           std::vector<const Rule*> rules = {});

  /// The series a recorder for this world records, in order; what the constructor records.
  /// \throws SpecError as the constructor.
  [[nodiscard]] static std::vector<VariableInfo> series_variables(const ScenarioSpec& spec, const Resource& resource,
                                                                  const std::vector<const Rule*>& rules);
  /// The summary measures finish() computes, in order; the network's only with a network.
  [[nodiscard]] static std::vector<VariableInfo> summary_variables(bool network, const UnitSystem& units);
  /// The per-agent variables recorded when the scenario asks for agents, in order.
  [[nodiscard]] static std::vector<VariableInfo> agent_variables(const UnitSystem& units);
  /// Ids of the agents recorded of `agents` numbered 0, 1, ...: every `stride`-th from 0.
  [[nodiscard]] static std::vector<std::uint64_t> recorded_agents(std::uint64_t agents, std::int64_t stride);
  /// The per-site variables recorded for a resource with sites, in order: the resource's own,
  /// then the engine's effort and harvest at each site. Empty without sites or when the
  /// scenario records none.
  [[nodiscard]] static std::vector<VariableInfo> site_variables(const ScenarioSpec& spec, const Resource& resource);

  void record(std::int64_t step, const StepTotals& totals, const Resource& resource,
              const AgentTable& agents);

  /// Hands the per-agent variables to `handler` as they are recorded, in pieces of at most
  /// `piece_bytes` per variable (at least one agent's value), instead of keeping them for the
  /// result. Call before the first step. The pieces carry no task; the caller's handler knows it.
  void stream_agents(std::function<void(AgentRows&&)> handler, std::size_t piece_bytes = agent_piece_bytes);

  /// Moves the buffers into a result and adds the summary measures and references.
  /// The network's clustering draws its samples (when sampled) from `random` and reports to
  /// `control`.
  [[nodiscard]] RunResult finish(const RunTask& task, const ScenarioSpec& spec, const Resource& resource,
                                 const AgentTable& agents, const Network* network,
                                 const std::array<bool, 8>& principles_in_force, const RandomStream& random,
                                 const RunControl& control);

 private:
  /// Appends this step's per-agent values, or hands them on when streaming.
  void record_agents(const AgentTable& agents);
  /// Hands the steps gathered in pending_agent_rows_ on.
  void hand_on_agent_rows();
  /// Appends this step's per-site values.
  void record_sites(const Resource& resource, const AgentTable& agents);

  enum class Source {
    resource, harvest, effort, rent, gini, active_agents, trip_costs, trust, pledges_kept,
    compliance, violations, violations_detected, fines, fees, transfers, governance_cost, rule
  };
  struct Channel {
    Source source;
    /// Index into the resource's values or, for a rule's variable, into rule_values_.
    std::size_t slot = 0;
    SeriesData data;
  };
  /// Where each recorded series comes from, and where the rules' values go.
  struct Wiring {
    std::vector<Channel> channels;
    /// Values per rule, in rule order.
    std::vector<std::size_t> rule_value_counts;
    /// Positions among all rules' values of the variables that are costs of governing.
    std::vector<std::size_t> cost_slots;
  };
  /// The one place that decides what is recorded; the constructor and series_variables()
  /// both read it.
  [[nodiscard]] static Wiring wire(const ScenarioSpec& spec, const Resource& resource,
                                   const std::vector<const Rule*>& rules);

  std::vector<Channel> channels_;
  std::vector<double> resource_values_;
  std::vector<const Rule*> rules_;
  /// Each rule's values, concatenated; rule r's start at rule_offsets_[r].
  std::vector<double> rule_values_;
  std::vector<std::size_t> rule_offsets_;
  /// Positions in rule_values_ of the variables that are costs of governing.
  std::vector<std::size_t> cost_slots_;
  double governance_cost_total_ = 0.0;
  double compliance_sum_ = 0.0;
  std::int64_t compliance_steps_ = 0;
  /// The steps the buffers are reserved for: the run's, up to a limit for open-ended runs.
  std::size_t reserved_steps_ = 0;
  std::vector<double> rent_;
  std::vector<double> effort_;
  std::vector<double> harvest_;
  bool record_agents_ = false;
  /// The run's way of working over agents, and the buffers of the Gini series' sort.
  ExecutionPolicy policy_;
  GiniCalculator gini_;
  /// Every this many agents are recorded, from slot 0, at the end of every agent_interval_ steps.
  std::size_t agent_stride_ = 1;
  std::size_t agent_interval_ = 1;
  std::size_t recorded_agent_count_ = 0;
  std::vector<AgentData> agent_data_;
  /// Streaming: where pieces go, the steps gathered for the next piece, and the steps recorded.
  std::function<void(AgentRows&&)> agent_stream_;
  std::size_t agent_piece_values_ = agent_piece_bytes / sizeof(double);
  AgentRows pending_agent_rows_;
  std::int64_t agent_rows_recorded_ = 0;
  /// Per site: how many sites, the resource's values this step ([variable][site]), and the
  /// engine's effort and harvest summed per site; all empty without site recording.
  std::size_t site_count_ = 0;
  /// Sites are sampled at the end of every interval of this many steps.
  std::size_t site_interval_ = 1;
  std::vector<double> site_values_;
  std::vector<double> site_effort_;
  std::vector<double> site_harvest_;
  std::vector<SiteData> site_data_;
  double collapse_step_;
};

}  // namespace commons::sim
