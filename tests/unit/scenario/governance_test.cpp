// SPDX-License-Identifier: Apache-2.0
// The governance block: regime, compliance and rules become sim::GovernanceSpec with the
// policy schedule; the rules checked in code and the series a governed run records.
// bad/cases.tsv holds one broken file per check too.
#include "test_support.hpp"

#include <commons/scenario/loader.hpp>

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <variant>
#include <vector>

namespace commons::scenario {
namespace {

// The fishery of test::minimal_scenario (20 agents, 200 steps) with `governance` appended.
std::string governed(std::string_view governance) {
  return std::string(test::minimal_scenario) + std::string(governance);
}

// A cpr_quadratic scenario of 8 agents and 10 steps with `governance` appended; the
// governance block starts on line 7.
std::string cpr(std::string_view governance) {
  return std::string(R"(name: cpr
resource: {model: cpr_quadratic, production_linear: 23, production_quadratic: 0.25, endowment: 25}
agents:
  - group: lab
    count: 8
    behaviour: {model: conditional}
steps: 10
)") + std::string(governance);
}

constexpr std::string_view lead_example = R"(governance:
  regime: state
  compliance: {mode: rational, norm: {uniform: [0, 5]}, intrinsic_motivation: 1, crowding_out: 0}
  rules:
    - {rule: tac, fraction_of_msy: 0.8}
    - {rule: inspection, probability: 0.2, fine_per_violation: 50, from: 10, until: 40}
)";

std::vector<std::string> fishery_series(std::vector<std::string> extra) {
  std::vector<std::string> series{"stock", "growth", "harvest", "effort", "rent", "gini", "active_agents"};
  series.insert(series.end(), extra.begin(), extra.end());
  return series;
}

const std::vector<std::string> governance_series{"compliance", "violations", "violations_detected", "fines",
                                                 "fees",       "transfers",  "governance_cost"};

TEST(GovernanceSpec, LeadExample_BuildsRulesInOrderWithComplianceLast) {
  const sim::ScenarioSpec spec = load_scenario_text(governed(lead_example), "test.yaml");
  EXPECT_EQ(spec.governance.regime, "state");
  ASSERT_EQ(spec.governance.rules.size(), 3U);

  const sim::RuleSpec& tac = spec.governance.rules[0];
  EXPECT_EQ(tac.rule.model, "tac");
  EXPECT_EQ(tac.rule.pointer, "/governance/rules/0");
  EXPECT_EQ(tac.from, 0);
  EXPECT_EQ(tac.until, std::numeric_limits<std::int64_t>::max());
  EXPECT_DOUBLE_EQ(tac.rule.parameters.number("fraction_of_msy"), 0.8);
  // The name and the schedule are the RuleSpec's own fields, not parameters.
  EXPECT_FALSE(tac.rule.parameters.contains("rule"));
  EXPECT_FALSE(tac.rule.parameters.contains("from"));
  EXPECT_EQ(tac.rule.parameters.values().size(), 1U);

  const sim::RuleSpec& inspection = spec.governance.rules[1];
  EXPECT_EQ(inspection.rule.model, "inspection");
  EXPECT_EQ(inspection.from, 10);
  EXPECT_EQ(inspection.until, 40);
  EXPECT_FALSE(inspection.in_force_at(9));
  EXPECT_TRUE(inspection.in_force_at(10));
  EXPECT_TRUE(inspection.in_force_at(39));
  EXPECT_FALSE(inspection.in_force_at(40));
  EXPECT_DOUBLE_EQ(inspection.rule.parameters.number("probability"), 0.2);
  EXPECT_DOUBLE_EQ(inspection.rule.parameters.number("fine_per_violation"), 50.0);
  // Defaults from the schema.
  EXPECT_DOUBLE_EQ(inspection.rule.parameters.number("fine_per_excess"), 0.0);
  EXPECT_DOUBLE_EQ(inspection.rule.parameters.number("cost_per_inspection"), 0.0);
  EXPECT_FALSE(inspection.rule.parameters.contains("until"));

  const sim::RuleSpec& compliance = spec.governance.rules[2];
  EXPECT_EQ(compliance.rule.model, "compliance");
  EXPECT_EQ(compliance.rule.pointer, "/governance/compliance");
  EXPECT_EQ(compliance.from, 0);
  EXPECT_EQ(compliance.until, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(compliance.rule.parameters.text("mode"), "rational");
  const sim::Distribution* norm = compliance.rule.parameters.distribution("norm");
  ASSERT_NE(norm, nullptr);
  EXPECT_EQ(norm->kind, sim::Distribution::Kind::uniform);
  EXPECT_DOUBLE_EQ(norm->first, 0.0);
  EXPECT_DOUBLE_EQ(norm->second, 5.0);
  EXPECT_DOUBLE_EQ(compliance.rule.parameters.number("intrinsic_motivation"), 1.0);
  EXPECT_DOUBLE_EQ(compliance.rule.parameters.number("crowding_out"), 0.0);
}

TEST(GovernanceSpec, ComplianceDefaults_AreFilled) {
  const sim::ScenarioSpec spec = load_scenario_text(governed("governance: {compliance: {}}\n"), "test.yaml");
  ASSERT_EQ(spec.governance.rules.size(), 1U);
  const sim::Parameters& parameters = spec.governance.rules[0].rule.parameters;
  EXPECT_EQ(parameters.text("mode"), "rational");
  EXPECT_DOUBLE_EQ(parameters.number("norm"), 0.0);
  EXPECT_DOUBLE_EQ(parameters.number("intrinsic_motivation"), 1.0);
  EXPECT_DOUBLE_EQ(parameters.number("crowding_out"), 0.0);
}

TEST(GovernanceSpec, PerAgentCapAndShareList_KeepTheirShape) {
  const sim::ScenarioSpec spec = load_scenario_text(
      governed("governance:\n  rules:\n    - {rule: effort_cap, cap: {normal: [2, 0.5]}}\n"
               "    - {rule: closed_season, period: 12, closed: [0, 1]}\n"),
      "test.yaml");
  ASSERT_EQ(spec.governance.rules.size(), 2U);
  const sim::Distribution* cap = spec.governance.rules[0].rule.parameters.distribution("cap");
  ASSERT_NE(cap, nullptr);
  EXPECT_EQ(cap->kind, sim::Distribution::Kind::normal);
  EXPECT_EQ(spec.governance.rules[1].rule.parameters.integer("period"), 12);
  EXPECT_EQ(spec.governance.rules[1].rule.parameters.numbers("closed"), (std::vector<double>{0.0, 1.0}));
}

TEST(GovernanceSpec, OpenAccess_HasNoRules) {
  const sim::ScenarioSpec spec = load_scenario_text(test::minimal_scenario, "test.yaml");
  EXPECT_EQ(spec.governance.regime, "open_access");
  EXPECT_TRUE(spec.governance.rules.empty());
}

TEST(GovernanceSeries, OpenAccessDefault_HasNoGovernanceSeries) {
  const sim::ScenarioSpec spec = load_scenario_text(test::minimal_scenario, "test.yaml");
  EXPECT_EQ(spec.output.series, fishery_series({}));
}

TEST(GovernanceSeries, StateDefault_AddsGovernanceSeriesAndRuleVariables) {
  const sim::ScenarioSpec spec = load_scenario_text(governed("governance: {regime: state}\n"), "test.yaml");
  std::vector<std::string> extra = governance_series;
  for (const char* name : {"tac", "enforcement_cost", "inspections", "intended_violations"}) extra.emplace_back(name);
  EXPECT_EQ(spec.output.series, fishery_series(extra));
}

TEST(GovernanceSeries, AddedRules_FollowTheBundle) {
  // The private bundle's itq, inspection and compliance, then the added rules' variables.
  const sim::ScenarioSpec spec = load_scenario_text(
      governed("governance:\n  regime: private\n  rules:\n    - {rule: harvest_control_rule}\n"
               "    - {rule: landing_tax, rate: 0.1}\n"),
      "test.yaml");
  std::vector<std::string> extra = governance_series;
  for (const char* name : {"quota_price", "quota_traded", "holdings_gini", "auction_revenue", "enforcement_cost",
                           "inspections", "intended_violations", "hcr_tac", "assessed_stock", "tax_revenue"}) {
    extra.emplace_back(name);
  }
  EXPECT_EQ(spec.output.series, fishery_series(extra));
}

TEST(GovernanceSeries, RuleWithoutVariables_StillGoverns) {
  const sim::ScenarioSpec spec =
      load_scenario_text(governed("governance:\n  rules: [{rule: effort_cap, cap: 1}]\n"), "test.yaml");
  // The default compliance rule joins every governed run, and records its variable.
  std::vector<std::string> expected = governance_series;
  expected.emplace_back("intended_violations");
  EXPECT_EQ(spec.output.series, fishery_series(expected));
}

TEST(GovernanceSeries, CoManagementDefault_ListsLocalAndStateVariables) {
  const sim::ScenarioSpec spec = load_scenario_text(cpr("governance: {regime: co_management}\n"), "test.yaml");
  std::vector<std::string> expected{"group_investment", "group_output", "net_yield", "yield_efficiency",
                                    "harvest",          "effort",       "rent",      "gini",
                                    "active_agents"};
  expected.insert(expected.end(), governance_series.begin(), governance_series.end());
  for (const char* name :
       {"intrusions", "exclusion_cost", "appropriation_limit", "vote_share", "proposal", "rule_changed",
        "monitoring_cost", "detections", "false_accusations", "warnings", "exclusions", "appeals", "overturned",
        "intended_violations", "enforcement_cost", "inspections", "state_fines", "state_detections", "credits_issued",
        "credits_redeemed"}) {
    expected.emplace_back(name);
  }
  EXPECT_EQ(spec.output.series, expected);
}

TEST(GovernanceSeries, VariableOfRegimeRule_IsAllowed) {
  EXPECT_EQ(test::error_of(governed("governance: {regime: local}\noutput: {series: [vote_share, fines]}\n")), "");
}

TEST(GovernanceSeries, VariableOfAbsentRule_NamesTheRule) {
  EXPECT_EQ(test::error_of(governed("governance: {regime: local}\noutput: {series: [quota_price]}\n")),
            "test.yaml:16:19: /output/series/0: series 'quota_price' is recorded only when rule 'itq' is in force "
            "(in the regime's bundle or governance.rules)");
}

TEST(GovernanceSeries, RuleVariableWithoutItsRule_NamesTheRule) {
  EXPECT_EQ(test::error_of(governed("governance: {regime: local}\noutput: {series: [hcr_tac]}\n")),
            "test.yaml:16:19: /output/series/0: series 'hcr_tac' is recorded only when rule "
            "'harvest_control_rule' is in force (in the regime's bundle or governance.rules)");
}

TEST(GovernanceSeries, GovernanceSeriesUngoverned_IsRejected) {
  EXPECT_EQ(test::error_of(governed("output: {series: [violations]}\n")),
            "test.yaml:15:19: /output/series/0: series 'violations' is recorded only in governed runs; choose a "
            "governance.regime other than open_access or add governance rules");
}

TEST(GovernanceRule, ComplianceBlockAlone_Governs) {
  EXPECT_EQ(test::error_of(governed("governance: {compliance: {mode: full}}\noutput: {series: [fines]}\n")), "");
}

TEST(GovernanceRule, UntilBeyondSteps_IsAllowed) {
  EXPECT_EQ(test::error_of(governed("governance:\n  rules: [{rule: effort_cap, cap: 1, from: 199, until: 1000}]\n")),
            "");
}

TEST(GovernanceRule, UnknownRule_SuggestsName) {
  EXPECT_EQ(test::error_of(governed("governance:\n  rules: [{rule: inspektion, probability: 0.1}]\n")),
            "test.yaml:16:18: /governance/rules/0/rule: unknown value 'inspektion'; allowed values: "
            "appropriation_rule, closed_season, collective_choice, compliance, conflict_resolution, effort_cap, "
            "free_entry, graduated_sanctions, harvest_control_rule, individual_quota, inspection, itq, landing_tax, "
            "licence, membership, no_take_area, peer_monitoring, peer_sanction, reserve, sole_owner, state_recognition, "
            "tac, territorial_use_rights, time_bank; did you mean 'inspection'?");
}

TEST(GovernanceRule, MissingRequiredParameter_IsNamed) {
  EXPECT_EQ(test::error_of(governed("governance:\n  rules: [{rule: effort_cap}]\n")),
            "test.yaml:16:11: /governance/rules/0: missing required key 'cap'");
}

TEST(GovernanceRule, NeitherTotalNorFraction_IsRejected) {
  EXPECT_EQ(test::error_of(governed("governance:\n  rules: [{rule: itq}]\n")),
            "test.yaml:16:11: /governance/rules/0: give exactly one of 'total' or 'fraction_of_msy'; neither is "
            "given");
}

TEST(GovernanceRule, ShareListOfOne_IsAnEqualSplit) {
  EXPECT_EQ(test::error_of(governed("governance:\n  rules: [{rule: individual_quota, total: 10, shares: [1]}]\n")),
            "");
}

TEST(GovernanceRule, SharesWithSplitEqual_AreRejected) {
  EXPECT_EQ(test::error_of(governed(
                "governance:\n  rules: [{rule: individual_quota, total: 10, split: equal, shares: {uniform: [0, 1]}}]\n")),
            "test.yaml:16:61: /governance/rules/0/shares: shares are given but split is 'equal'; leave out one of "
            "the two");
}

TEST(GovernanceRule, AllZeroShares_AreRejected) {
  EXPECT_EQ(test::error_of(governed("governance:\n  rules: [{rule: individual_quota, total: 10, shares: [0]}]\n")),
            "test.yaml:16:55: /governance/rules/0/shares: the shares must not all be zero");
}

TEST(GovernanceRule, CprWithTotal_Loads) {
  EXPECT_EQ(test::error_of(cpr("governance:\n  rules: [{rule: tac, total: 50}, {rule: sole_owner}]\n")), "");
}

TEST(GovernanceRule, CprHarvestControlRuleWithBothTargets_Loads) {
  EXPECT_EQ(test::error_of(cpr("governance:\n  rules: [{rule: harvest_control_rule, target_harvest_rate: 0.2, "
                               "trigger_stock: 100}]\n")),
            "");
}

TEST(GovernanceRule, DistributionInRule_IsChecked) {
  EXPECT_EQ(test::error_of(governed("governance:\n  rules: [{rule: effort_cap, cap: {uniform: [3, 1]}}]\n")),
            "test.yaml:16:45: /governance/rules/0/cap/uniform: low must not exceed high (got [3, 1])");
}

}  // namespace
}  // namespace commons::scenario
