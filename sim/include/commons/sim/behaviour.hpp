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

namespace commons::sim {

/// Where a behaviour's group sits in the agent table when it is built.
struct GroupContext {
  std::uint32_t group_index = 0;
  /// First row of the group in the agent table; spans handed to the behaviour lie inside
  /// [first, first + count).
  std::size_t first = 0;
  std::size_t count = 0;
  std::int64_t steps = 0;
  const Economics& economics;
  const RandomStream& random;
};

/// Blocks of one group may be handed to `decide` and `learn` from several threads at once;
/// an implementation touches only the rows of the span it is given.
class Behaviour {
 public:
  virtual ~Behaviour() = default;
  /// Sets this step's effort of every agent in `agents`.
  virtual void decide(const StepContext& context, AgentSpan agents) = 0;
  /// Updates the behaviour's state from the step's outcome (harvest, income).
  virtual void learn(const StepContext& context, AgentSpan agents) = 0;
};

}  // namespace commons::sim
