// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The interface a behaviour model implements: decisions over spans of agents, one virtual
/// call per block of agents rather than per agent.

#include <commons/sim/agent_table.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/spec.hpp>
#include <commons/sim/step_context.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace commons::sim {

class Network;
class Resource;
class SeatBroker;

/// Where a behaviour's agents sit when it is built. A group that mixes behaviours hands each
/// behaviour a contiguous share of its rows (a cohort).
struct GroupContext {
  std::uint32_t group_index = 0;
  std::string group_name;
  /// First row of the cohort in the agent table; spans handed to the behaviour lie inside
  /// [first, first + count).
  std::size_t first = 0;
  std::size_t count = 0;
  std::int64_t steps = 0;
  const Economics& economics;
  const RandomStream& random;
  /// Stable ids of the cohort's agents, in row order.
  std::span<const std::uint64_t> ids;
  /// Agents in the whole run, all groups together.
  std::size_t agent_count = 0;
  /// The resource, for its effort limit and social optimum.
  const Resource& resource;
  /// The social network over all agents, or nullptr.
  const Network* network = nullptr;
  /// Connects `human` seats to people; nullptr in batch runs.
  SeatBroker* seats = nullptr;
  std::int64_t run_index = 0;
};

/// Blocks of one cohort may be handed to `decide`, `pledge` and `learn` from several threads
/// at once; an implementation touches only the rows of the span it is given (and its own
/// per-agent state at those rows).
class Behaviour {
 public:
  virtual ~Behaviour() = default;
  /// Sets this step's effort of every agent in `agents`.
  virtual void decide(const StepContext& context, AgentSpan agents) = 0;
  /// Updates the behaviour's state from the step's outcome (harvest, income).
  virtual void learn(const StepContext& context, AgentSpan agents) = 0;
  /// Writes each agent's pledge, the effort it announces in the communicate phase. By default
  /// the agent's equal share of the social optimum, the agreement CPR laboratory groups reach
  /// when they talk; NaN (silence) when the resource has no optimum.
  virtual void pledge(const StepContext& context, AgentSpan agents);
};

}  // namespace commons::sim
