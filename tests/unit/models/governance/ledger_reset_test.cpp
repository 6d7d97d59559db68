// SPDX-License-Identifier: Apache-2.0
// The engine resets at a step's start only the ledger columns someone declared writing
// (GovernanceLedger::start_step). That equals resetting every column, as the engine did before,
// exactly when every column nobody declared still holds its reset value in every row: checked
// after every step of every bundled scenario and every regime.
#include <gtest/gtest.h>

#include <commons/models/register_models.hpp>
#include <commons/scenario/loader.hpp>
#include <commons/sim/governance_ledger.hpp>
#include <commons/sim/run.hpp>
#include <filesystem>
#include <fishery_spec.hpp>
#include <string>

namespace commons::models {
namespace {

namespace fs = std::filesystem;

/// Steps `spec` to its end, checking the ledger after each step; returns the steps checked,
/// 0 for an ungoverned run (no ledger).
std::int64_t check_every_step(const sim::ScenarioSpec& spec) {
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  if (run.ledger() == nullptr) return 0;
  std::int64_t steps = 0;
  while (!run.done()) {
    run.step();
    if (!run.ledger()->undeclared_columns_at_rest()) {
      ADD_FAILURE() << "a column nobody declared was written in step " << steps;
      break;
    }
    ++steps;
  }
  return steps;
}

TEST(LedgerReset, BundledScenarios_UndeclaredColumnsStayAtTheirResetValues) {
  const fs::path root = fs::path(COMMONS_SOURCE_DIR) / "scenarios";
  int governed = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    const sim::ScenarioSpec spec = scenario::load_scenario_file(entry.path(), {}, &default_registry());
    if (check_every_step(spec) > 0) ++governed;
  }
  EXPECT_GE(governed, 4);
}

TEST(LedgerReset, EveryRegime_UndeclaredColumnsStayAtTheirResetValues) {
  for (const std::string& regime : default_registry().regime_names()) {
    SCOPED_TRACE(regime);
    // More effort than open access sustains, so that every limit binds and is broken.
    sim::ScenarioSpec spec =
        testing::fishery_scenario(testing::FisheryParameters{}, testing::fixed_effort(2.0), 30, 30);
    spec.governance.regime = regime;
    EXPECT_EQ(check_every_step(spec), regime == "open_access" ? 0 : 30);
  }
}

}  // namespace
}  // namespace commons::models
