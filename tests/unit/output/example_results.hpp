// SPDX-License-Identifier: Apache-2.0
#pragma once
// Synthetic runs with known values for the output tests and write_example_results: a
// Gordon-Schaefer fishery stepped by hand, so the tests need no model and the plots look real.

#include <commons/sim/run_result.hpp>
#include <commons/sim/sink.hpp>

#include <cstdint>

namespace commons::output::testing {

/// A plan of `runs` runs of `steps` steps: a factorial sweep whose one parameter,
/// "fleet/initial_effort" (a path with '/', as older scenarios wrote them), takes a value per
/// run, one design point each. Runs differ in seed too; run 1's seed is 2^53 - 1, the largest
/// seed R reads exactly. Its layout is what example_result() records.
sim::PlanInfo example_plan(std::int64_t runs, std::int64_t steps, std::int64_t agents);

/// A sweep as the executor plans one: `points` design points over a numeric parameter
/// "economics.price" (uniform on [1, 3]) and a categorical one "resource.model" (logistic,
/// gompertz, fox), crossed with the two policies of the lever "governance.rule" (none, quota),
/// `replicates` times; runs are replicate-major, then point, then policy. Every run has seed 7
/// and a stream word of its point.
sim::PlanInfo example_sweep_plan(std::int64_t points, std::int64_t replicates, std::int64_t steps,
                                 std::int64_t agents);

/// A comparison of `variants` variants (2..32) of `replicates` replicates each, ordered as the
/// executor orders them: run = variant * replicates + replicate. Variant 0 is "open_access",
/// then "state_tac", "itq", "local", then "variant_4", ...; every run has seed 20261128 (the
/// replicate keys the random streams) and no swept parameter. Each variant's layout is what
/// example_result() records for its runs.
sim::PlanInfo example_variant_plan(std::int64_t variants, std::int64_t replicates, std::int64_t steps,
                                   std::int64_t agents);

/// The result of `run`: series stock, harvest, effort, rent, summary final_stock,
/// discounted_rent and collapse_step (NaN: never collapses), references msy_*, mey_* and
/// open_access_* of stock/effort/harvest/rent; agents effort, harvest, income when
/// plan.agents > 0 (ids 3, 7, 11, ... so that they differ from slot indices).
/// In a comparison (plan.variants not empty) the replicate, not the run, sets the start, every
/// run adds series gini and summary mean_compliance (NaN in variant 0) and
/// total_governance_cost (0 in variant 0), and runs of governed variants (all but variant 0)
/// cap effort and add series compliance and governance_cost, as the engine records them.
sim::RunResult example_result(const sim::PlanInfo& plan, std::int64_t run);

/// Gives every layout of `plan` sites (site variables stock and harvest) on `sites`.
void add_example_sites(sim::PlanInfo& plan, const sim::SiteLayout& sites);

/// Adds the site series add_example_sites() declares to `result`: stock at site s in step t of
/// run r is 100 r + t + s / 1000, harvest a tenth of it.
void add_example_site_values(sim::RunResult& result, const sim::PlanInfo& plan);

/// What `result` records, as a layout in a plan declares it.
sim::RunLayout layout_of(const sim::RunResult& result);

}  // namespace commons::output::testing
