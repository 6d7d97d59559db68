// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// One run: builds the world from the spec, advances it through the phase list, feeds the
/// recorder, and hands back its samples.

#include <commons/sim/agent_table.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/registry.hpp>
#include <commons/sim/run_control.hpp>
#include <commons/sim/run_result.hpp>
#include <commons/sim/sink.hpp>
#include <commons/sim/spec.hpp>

#include <cstdint>
#include <functional>
#include <memory>

namespace commons::sim {

struct GovernanceLedger;
class Network;
class Recorder;
class SeatBroker;

class Run {
 public:
  /// `spec` and `registry` (and `seats`, when given) must outlive the run. `seats` connects
  /// the scenario's `human` agents to people; without it they take their default. Building
  /// the world and taking the result report to `control` and stop when it asks (Interrupted).
  Run(const ScenarioSpec& spec, const Registry& registry, RunTask task, ExecutionPolicy policy = {},
      SeatBroker* seats = nullptr, RunControl control = {});
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;
  Run(Run&&) noexcept;
  Run& operator=(Run&&) noexcept;
  ~Run();

  /// Hands the per-agent variables the scenario records to `handler` as they are recorded,
  /// instead of keeping them for take_result() (Sink::streams_agents). Call before the first
  /// step; the rows carry this run's task and at most `piece_bytes` per variable.
  void stream_agent_rows(std::function<void(AgentRows&&)> handler, std::size_t piece_bytes = agent_piece_bytes);

  /// Advances the world by one step through every phase.
  void step();
  [[nodiscard]] bool done() const;
  /// Steps completed so far.
  [[nodiscard]] std::int64_t steps_done() const;
  [[nodiscard]] const AgentTable& agents() const;
  /// What the institutions hold about each agent after the last step, or nullptr in a run
  /// without rules.
  [[nodiscard]] const GovernanceLedger* ledger() const;
  [[nodiscard]] const Resource& resource() const;
  /// The run's social network, or nullptr when the scenario has none.
  [[nodiscard]] const Network* network() const;
  /// The samples, with summary measures; call once the run is done.
  [[nodiscard]] RunResult take_result();

 private:
  struct World;
  std::unique_ptr<World> world_;
};

/// What every run of `spec` (a scenario, or one variant of a comparison) records, found without
/// running it: builds the resource and the rules, never the agents, so it is cheap at any size.
/// \throws SpecError or std::invalid_argument as building the run's world would.
[[nodiscard]] RunLayout describe_run(const ScenarioSpec& spec, const Registry& registry);

}  // namespace commons::sim
