// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// How much memory a plan needs, estimated before it runs, so that a run too large for the
/// machine is refused at once instead of being killed by the kernel after minutes.

#include <commons/sim/registry.hpp>
#include <commons/sim/spec.hpp>

#include <cstdint>

namespace commons::sim {

/// The memory of a plan, in bytes, by what holds it. Every figure is for the largest variant.
struct MemoryEstimate {
  /// One run's world: agents, the behaviours' and rules' state, the recorder's series.
  std::uint64_t world = 0;
  /// Of which the agents and the models' per-agent state.
  std::uint64_t agents = 0;
  /// The run's social network while it is built and held.
  std::uint64_t network = 0;
  /// A finished run's samples: series and, when recorded, per-agent output (which a run holds
  /// while it runs, too, unless it streams it: then a piece of it).
  std::uint64_t result = 0;
  /// Of which the per-agent output.
  std::uint64_t agent_output = 0;
  /// Runs that go at once (the threads, or fewer runs), and finished runs that may wait for
  /// the writer (ExecutorOptions::queue_capacity, plus the one being written).
  std::int64_t runs_at_once = 0;
  std::int64_t results_waiting = 0;
  /// The process before any run: program, libraries, the loaded scenario.
  std::uint64_t base = 0;
  /// base + runs_at_once (world + network + result) + results_waiting result.
  std::uint64_t total = 0;
};

/// Where a run's per-agent output goes: kept in its result for the sink (a sink in memory), or
/// handed to the sink in pieces as it is recorded (Sink::streams_agents, the results file).
enum class AgentOutput { held, streamed };

/// Estimates the memory of executing `spec` on `threads` threads with a queue of
/// `queue_capacity` finished runs (as ExecutorOptions). The per-agent cost of the models is
/// measured rather than assumed: two small worlds of each variant are built and stepped once,
/// and the heap they take is extrapolated to the scenario's agents; the network, the series and
/// the per-agent output are counted from their sizes; `base` is the process's resident memory
/// now. Takes milliseconds at any scenario size.
[[nodiscard]] MemoryEstimate estimate_memory(const ScenarioSpec& spec, const Registry& registry, int threads,
                                             std::int64_t queue_capacity, AgentOutput agent_output = AgentOutput::held);

/// The queue of finished runs the executor should keep for this plan: twice the threads plus
/// two, fewer when finished runs are large (per-agent output held in them), so that waiting
/// runs do not hold more memory than the runs themselves.
[[nodiscard]] std::int64_t queue_capacity_for(const ScenarioSpec& spec, int threads,
                                              AgentOutput agent_output = AgentOutput::held);

}  // namespace commons::sim
