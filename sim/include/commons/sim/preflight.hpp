// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// What a run finds wrong before its first step, found without running: `commons validate` and
/// `commons run` both call preflight(), so they cannot disagree about a scenario.

#include <commons/sim/registry.hpp>
#include <commons/sim/spec.hpp>

namespace commons::sim {

/// Every check a run makes before its first step, for every variant of `spec`, at a cost that
/// does not grow with the number of agents: builds the resource and the rules, works out what
/// the recorder records (describe_run), and asks each rule (Rule::check) and each behaviour
/// (Registry::check_behaviour) whether it can work in that world.
/// \throws ComponentError naming the scenario key of the component concerned.
void preflight(const ScenarioSpec& spec, const Registry& registry);

}  // namespace commons::sim
