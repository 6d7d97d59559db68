// SPDX-License-Identifier: Apache-2.0
#pragma once
// Cheap talk: who hears which pledges, and how trust follows kept and broken pledges.
// docs/behaviour.md#communication

#include <commons/sim/agent_table.hpp>
#include <commons/sim/network.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/spec.hpp>

namespace commons::sim::detail {

/// Sets every agent's `heard_pledge` to the mean pledge of those it hears: its network
/// neighbours, or every other agent without a network. Silent speakers (NaN) are skipped.
void hear_pledges(AgentTable& agents, const Network* network, const ExecutionPolicy& policy);

/// After the step's efforts are known: each listener's trust moves toward the fraction of the
/// pledges it heard that were kept (effort <= pledge (1 + tolerance)). Returns the fraction
/// of all standing pledges kept this step, NaN when none stands.
double update_trust(AgentTable& agents, const Network* network, const CommunicationSpec& communication,
                    const ExecutionPolicy& policy);

}  // namespace commons::sim::detail
