// SPDX-License-Identifier: Apache-2.0
#pragma once
// Synthetic runs with known values for the output tests and write_example_results: a
// Gordon-Schaefer fishery stepped by hand, so the tests need no model and the plots look real.

#include <commons/sim/run_result.hpp>
#include <commons/sim/sink.hpp>

#include <cstdint>

namespace commons::output::testing {

/// A plan of `runs` runs of `steps` steps. Runs differ in initial effort (a swept parameter
/// "fleet/initial_effort") and seed; run 1's seed is 2^53 - 1, the largest seed R reads exactly.
sim::PlanInfo example_plan(std::int64_t runs, std::int64_t steps, std::int64_t agents);

/// The result of `run`: series stock, harvest, effort, rent, summary final_stock,
/// discounted_rent and collapse_step (NaN: never collapses), references msy_*, mey_* and
/// open_access_* of stock/effort/harvest/rent; agents effort, harvest, income when
/// plan.agents > 0 (ids 3, 7, 11, ... so that they differ from slot indices).
sim::RunResult example_result(const sim::PlanInfo& plan, std::int64_t run);

}  // namespace commons::output::testing
