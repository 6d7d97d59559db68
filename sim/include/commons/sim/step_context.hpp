// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// What a phase may read about the step it runs in.

#include <commons/sim/observation.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/spec.hpp>

#include <cstddef>
#include <cstdint>

namespace commons::sim {

class Network;
class Resource;

/// The aggregates of a step that every agent learns when it ends: in the CPR laboratory
/// games subjects see the group's total investment, not each other's decisions.
struct StepOutcome {
  /// The step these totals belong to; -1 before the first step has ended.
  std::int64_t step = -1;
  std::size_t agent_count = 0;
  /// Total effort [effort units].
  double effort = 0.0;
  /// Total harvest [resource units].
  double harvest = 0.0;
  /// Total income of all agents, the resource rent [money].
  double rent = 0.0;
  /// Agents with positive effort [agent].
  double active_agents = 0.0;

  [[nodiscard]] bool known() const { return step >= 0; }
};

struct StepContext {
  /// Zero-based step index.
  std::int64_t step = 0;
  const RandomStream& random;
  const Economics& economics;
  /// The resource as it stood at the start of this step.
  const Observation& observation;
  const ExecutionPolicy& policy;
  /// The resource itself, for what a model may compute about it (Resource::harvest_if).
  const Resource& resource;
  /// The last completed step; `previous.known()` is false in the first step.
  const StepOutcome& previous;
  /// This step's totals from the settle phase on; nullptr before settle.
  const StepOutcome* current = nullptr;
  /// The social network over all agents, or nullptr when the scenario has none.
  const Network* network = nullptr;
};

}  // namespace commons::sim
