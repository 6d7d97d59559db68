// SPDX-License-Identifier: Apache-2.0
#pragma once
// Runs of any resource built in code: one group of agents on a resource with given prices, and
// the check that serial and parallel runs of it give the same bits.

#include <commons/sim/spec.hpp>

#include <fishery_spec.hpp>
#include <governance_testing.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

namespace commons::testing {

/// One group of `agents` following `behaviour` on `resource`, at these prices; the group's cost
/// of effort is the economics'.
inline sim::ScenarioSpec resource_scenario(sim::ComponentSpec resource, sim::Economics economics,
                                           sim::ComponentSpec behaviour, std::int64_t agents, std::int64_t steps) {
  sim::ScenarioSpec spec = fishery_scenario(FisheryParameters{}, std::move(behaviour), agents, steps);
  spec.resource = std::move(resource);
  spec.economics = economics;
  spec.groups[0].cost_per_effort = economics.cost_per_effort;
  return spec;
}

/// Runs `spec` with blocks in order on one thread and on TBB; every series and every agent's
/// last harvest must be the same bits (NaN where the other has NaN).
inline void expect_same_bits_serial_and_parallel(const sim::ScenarioSpec& spec) {
  const Outcome serial = run_all(spec, models::default_registry(), sim::ExecutionPolicy{false});
  const Outcome parallel = run_all(spec, models::default_registry(), sim::ExecutionPolicy{true});
  ASSERT_EQ(serial.result.series.size(), parallel.result.series.size());
  // NaN (a Gini of negative incomes, a rule out of force) compares equal to itself here.
  for (std::size_t k = 0; k < serial.result.series.size(); ++k)
    EXPECT_EQ(with_nan_as(serial.result.series[k].values, -1.0), with_nan_as(parallel.result.series[k].values, -1.0))
        << serial.result.series[k].info.name;
  EXPECT_EQ(serial.agents.harvest, parallel.agents.harvest);
}

}  // namespace commons::testing
