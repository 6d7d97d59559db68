// SPDX-License-Identifier: Apache-2.0
// The regime bundles: each runs on the bundled fishery, puts its rules in force, and the
// results record the design principles those rules realise.
#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace commons::models {
namespace {

sim::RunResult run_regime(const std::string& regime, std::vector<sim::RuleSpec> rules = {}) {
  // Thirty boats at 2 units of effort each want 60, well past open access (37.5): every regime
  // has limits to enforce.
  sim::ScenarioSpec spec = testing::fishery_scenario(testing::FisheryParameters{}, testing::fixed_effort(2.0), 30, 40);
  spec.governance.regime = regime;
  spec.governance.rules = std::move(rules);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  return run.take_result();
}

double summary(const sim::RunResult& result, const std::string& name) {
  for (const sim::ScalarData& s : result.summary)
    if (s.info.name == name) return s.value;
  throw std::out_of_range(name);
}

const std::vector<double>& series(const sim::RunResult& result, const std::string& name) {
  for (const sim::SeriesData& s : result.series)
    if (s.info.name == name) return s.values;
  throw std::out_of_range(name);
}

std::vector<int> principles(const sim::RunResult& result) {
  const char* names[] = {"1_boundaries",          "2_congruence",          "3_collective_choice",
                         "4_monitoring",          "5_graduated_sanctions", "6_conflict_resolution",
                         "7_recognition",         "8_nested_enterprises"};
  std::vector<int> in_force;
  for (int k = 0; k < 8; ++k)
    if (summary(result, std::string("design_principle_") + names[k]) == 1.0) in_force.push_back(k + 1);
  return in_force;
}

TEST(Regimes, OpenAccess_NoPrinciplesNoGovernanceSeries) {
  const sim::RunResult result = run_regime("open_access");
  EXPECT_TRUE(principles(result).empty());
  EXPECT_TRUE(std::ranges::none_of(result.series, [](const sim::SeriesData& s) { return s.info.name == "compliance"; }));
}

TEST(Regimes, State_TacInspectionAndCompliance) {
  const sim::RunResult result = run_regime("state");
  // The TAC is the MSY harvest, r K / 4 = 125; each inspection costs the state 1.
  EXPECT_EQ(series(result, "tac"), std::vector<double>(40, 125.0));
  EXPECT_EQ(series(result, "enforcement_cost"), series(result, "inspections"));
  double inspected = 0.0;
  for (double n : series(result, "inspections")) inspected += n;
  EXPECT_NEAR(inspected / (40.0 * 30.0), 0.25, 4.0 * std::sqrt(0.25 * 0.75 / 1200.0));
}

TEST(Regimes, StateWithFullCompliance_TacNeverExceeded) {
  const sim::RunResult result =
      run_regime("state", {sim::RuleSpec{{"compliance", sim::Parameters({{"mode", std::string("full")}}), ""}}});
  const std::vector<double>& tac = series(result, "tac");
  const std::vector<double>& harvest = series(result, "harvest");
  for (std::size_t t = 0; t < tac.size(); ++t) EXPECT_LE(harvest[t], tac[t] * (1.0 + 1e-9)) << t;
  EXPECT_EQ(series(result, "compliance"), std::vector<double>(40, 1.0));
}

TEST(Regimes, Private_QuotaMarketClears) {
  const sim::RunResult result = run_regime("private");
  const std::vector<double>& price = series(result, "quota_price");
  EXPECT_TRUE(std::ranges::all_of(price, [](double p) { return std::isfinite(p) && p >= 0.0; }));
}

TEST(Regimes, Local_OstromsPrinciplesOneToSix) {
  const sim::RunResult result = run_regime("local");
  EXPECT_EQ(principles(result), (std::vector<int>{1, 2, 3, 4, 5, 6}));
  // The members' limit starts at their equal share of the MEY effort.
  const FisheryLogistic fishery(FisheryLogistic::Parameters::from(testing::fishery(testing::FisheryParameters{}).parameters));
  const double share = fishery.maximum_economic_yield({10.0, 25.0, 0.0}).effort / 30.0;
  EXPECT_DOUBLE_EQ(series(result, "appropriation_limit")[0], share);
}

TEST(Regimes, CoManagement_AddsRecognitionAndNesting) {
  const std::vector<int> in_force = principles(run_regime("co_management"));
  EXPECT_TRUE(std::ranges::find(in_force, 7) != in_force.end());
  EXPECT_TRUE(std::ranges::find(in_force, 8) != in_force.end());
}

// The cost of governing is what the state pays for inspections plus what members pay to
// monitor, exclude and sanction: the rules' cost variables, step by step.
TEST(Regimes, GovernanceCost_IsTheSumOfEachRegimesCostVariables) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> costs{
      {"state", {"enforcement_cost"}},
      {"private", {"enforcement_cost"}},
      {"local", {"exclusion_cost", "monitoring_cost"}},
      {"co_management", {"exclusion_cost", "monitoring_cost", "enforcement_cost"}}};
  for (const auto& [regime, variables] : costs) {
    const sim::RunResult result = run_regime(regime);
    const std::vector<double>& total = series(result, "governance_cost");
    double sum_over_steps = 0.0;
    for (std::size_t t = 0; t < total.size(); ++t) {
      double expected = 0.0;
      for (const std::string& variable : variables)
        if (const double v = series(result, variable)[t]; !std::isnan(v)) expected += v;
      EXPECT_DOUBLE_EQ(total[t], expected) << regime << " step " << t;
      sum_over_steps += total[t];
    }
    EXPECT_GT(sum_over_steps, 0.0) << regime;
    EXPECT_DOUBLE_EQ(summary(result, "total_governance_cost"), sum_over_steps) << regime;
  }
  EXPECT_EQ(summary(run_regime("open_access"), "total_governance_cost"), 0.0);
}

TEST(Regimes, ScenarioRule_OverridesTheBundledOne) {
  const sim::RunResult result =
      run_regime("state", {sim::RuleSpec{{"tac", sim::Parameters({{"total", 50.0}}), ""}}});
  EXPECT_EQ(series(result, "tac"), std::vector<double>(40, 50.0));
}

}  // namespace
}  // namespace commons::models
