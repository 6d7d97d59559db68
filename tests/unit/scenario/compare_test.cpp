// SPDX-License-Identifier: Apache-2.0
// A scenario with `compare:` becomes one spec per variant: the scenario's blocks with the
// variant's replacing them whole, each checked and built like a scenario of its own.
#include "test_support.hpp"

#include <commons/scenario/loader.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace commons::scenario {
namespace {

namespace fs = std::filesystem;

const fs::path compare_file = fs::path(COMMONS_SCENARIO_TEST_DIR) / "good" / "compare.yaml";

std::vector<Override> overrides(std::initializer_list<const char*> arguments) {
  std::vector<Override> result;
  for (const char* argument : arguments) result.push_back(parse_override(argument));
  return result;
}

std::vector<std::string> names_of(const sim::ScenarioSpec& spec) {
  std::vector<std::string> names;
  for (const sim::ScenarioSpec& variant : spec.variants) names.push_back(variant.variant);
  return names;
}

const std::vector<std::string> open_access_series{"stock", "growth", "harvest", "effort", "rent", "gini",
                                                  "active_agents"};

TEST(Compare, GoodFile_BuildsOneSpecPerVariantInListOrder) {
  const sim::ScenarioSpec spec = load_scenario_file(compare_file);
  EXPECT_EQ(spec.variant, "");
  EXPECT_EQ(spec.variant_count(), 4);
  EXPECT_EQ(names_of(spec), (std::vector<std::string>{"open_access", "state_tac", "itq", "small_fleet"}));
  EXPECT_EQ(spec.governance.regime, "open_access");
  EXPECT_EQ(spec.variants[0].governance.regime, "open_access");
  EXPECT_EQ(spec.variants[1].governance.regime, "state");
  EXPECT_EQ(spec.variants[2].governance.regime, "private");
  EXPECT_EQ(spec.variants[3].governance.regime, "open_access");
  for (const sim::ScenarioSpec& variant : spec.variants) {
    EXPECT_EQ(variant.name, "fishery_regimes");
    EXPECT_EQ(variant.source, compare_file.string());
    EXPECT_TRUE(variant.variants.empty());
  }
}

TEST(Compare, VariantDescription_FallsBackToScenarios) {
  const sim::ScenarioSpec spec = load_scenario_file(compare_file);
  EXPECT_EQ(spec.description, "One fishery, four ways to govern it.");
  EXPECT_EQ(spec.variants[0].description, "no rules");
  EXPECT_EQ(spec.variants[1].description, "One fishery, four ways to govern it.");
}

TEST(Compare, BlocksNotReplaced_AreTheScenarios) {
  const sim::ScenarioSpec spec = load_scenario_file(compare_file);
  for (const sim::ScenarioSpec& variant : spec.variants) {
    SCOPED_TRACE(variant.variant);
    EXPECT_EQ(variant.resource.model, spec.resource.model);
    EXPECT_EQ(variant.resource.parameters.values(), spec.resource.parameters.values());
    EXPECT_EQ(variant.resource.pointer, "/resource");
    EXPECT_EQ(variant.economics.price, spec.economics.price);
    EXPECT_EQ(variant.economics.cost_per_effort, spec.economics.cost_per_effort);
    EXPECT_EQ(variant.economics.discount_rate, spec.economics.discount_rate);
    EXPECT_EQ(variant.steps, 300);
    EXPECT_EQ(variant.replicates, 4);
    EXPECT_EQ(variant.seed, 20261128U);
    EXPECT_EQ(variant.output.agents, false);
  }
  // Agents are replaced by the last variant only.
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(spec.variants[i].agent_count(), 20);
    EXPECT_EQ(spec.variants[i].groups.at(0).behaviours.at(0).behaviour.pointer, "/agents/0/behaviour");
  }
  EXPECT_EQ(spec.variants[3].agent_count(), 10);
  EXPECT_EQ(spec.variants[3].groups.at(0).behaviours.at(0).behaviour.pointer, "/compare/3/agents/0/behaviour");
  EXPECT_EQ(spec.variants[3].groups.at(0).behaviours.at(0).behaviour.parameters.values(),
            spec.groups.at(0).behaviours.at(0).behaviour.parameters.values());
}

TEST(Compare, ReplacedGovernance_KeepsItsPointersInTheFile) {
  const sim::ScenarioSpec spec = load_scenario_file(compare_file);
  const auto& rules = spec.variants[1].governance.rules;
  ASSERT_EQ(rules.size(), 1U);
  EXPECT_EQ(rules[0].rule.model, "inspection");
  EXPECT_EQ(rules[0].rule.pointer, "/compare/1/governance/rules/0");
  EXPECT_TRUE(spec.variants[2].governance.rules.empty());
}

TEST(Compare, DefaultSeries_FollowEachVariantsGovernance) {
  const sim::ScenarioSpec spec = load_scenario_file(compare_file);
  EXPECT_EQ(spec.output.series, open_access_series);
  EXPECT_EQ(spec.variants[0].output.series, open_access_series);
  EXPECT_EQ(spec.variants[3].output.series, open_access_series);
  std::vector<std::string> state = open_access_series;
  state.insert(state.end(), {"compliance", "violations", "violations_detected", "fines", "fees", "transfers",
                             "governance_cost", "tac", "enforcement_cost", "inspections", "intended_violations"});
  EXPECT_EQ(spec.variants[1].output.series, state);
}

TEST(Compare, ResolvedText_HoldsTheListWithResolvedBlocks) {
  const sim::ScenarioSpec spec = load_scenario_file(compare_file);
  const auto resolved = nlohmann::json::parse(spec.resolved_text);
  const auto& compare = resolved.at("compare");
  ASSERT_EQ(compare.size(), 4U);
  EXPECT_EQ(compare[0], nlohmann::json::parse(R"({"variant": "open_access", "description": "no rules"})"));
  EXPECT_EQ(compare[2].at("governance").at("regime"), "private");
  // Defaults are filled into the blocks a variant gives, and no block is added to it.
  EXPECT_TRUE(compare[1].at("governance").at("rules").at(0).contains("from"));
  EXPECT_FALSE(compare[2].contains("economics"));
  EXPECT_EQ(resolved.at("governance").at("regime"), "open_access");
}

TEST(Compare, VariantResolvedText_IsAScenarioOfItsOwn) {
  const sim::ScenarioSpec spec = load_scenario_file(compare_file);
  const sim::ScenarioSpec& state = spec.variants[1];
  const auto resolved = nlohmann::json::parse(state.resolved_text);
  EXPECT_FALSE(resolved.contains("compare"));
  EXPECT_EQ(resolved.at("name"), "fishery_regimes");
  EXPECT_EQ(resolved.at("governance").at("regime"), "state");
  // Loading it alone gives the same world, down to the resolved text.
  const sim::ScenarioSpec alone = load_scenario_text(state.resolved_text, "state.json");
  EXPECT_EQ(alone.resolved_text, state.resolved_text);
  EXPECT_EQ(alone.output.series, state.output.series);
}

TEST(Compare, SetOverride_ReachesIntoAVariant) {
  const sim::ScenarioSpec spec =
      load_scenario_file(compare_file, overrides({"compare.1.governance.regime=local",  //
                                                   "compare.0.governance.regime=state"}));
  EXPECT_EQ(spec.governance.regime, "open_access");
  EXPECT_EQ(spec.variants[0].governance.regime, "state");
  EXPECT_EQ(spec.variants[1].governance.regime, "local");
  ASSERT_EQ(spec.variants[1].governance.rules.size(), 1U);
  EXPECT_EQ(spec.variants[1].governance.rules[0].rule.model, "inspection");
}

TEST(Compare, SetOverrideIntoVariant_IsCheckedAndLocatedInArgument) {
  EXPECT_EQ(test::error_of(R"(name: m
resource: {model: fishery_logistic, growth_rate: 0.5, carrying_capacity: 1000, catchability: 0.01}
agents:
  - {group: fleet, count: 4, behaviour: {model: fixed, effort: 1}}
steps: 20
compare:
  - variant: a
  - variant: b
    governance: {regime: state}
)",
                            overrides({"compare.1.governance.rules=[{rule: inspection, probability: 0.2, from: 30}]"})),
            "--set:1:72: /compare/1/governance/rules/0/from: must be less than steps, 20 (got 30)");
}

TEST(Compare, ScenarioItself_IsCheckedFirst) {
  // The template must be valid although every variant replaces its governance.
  EXPECT_EQ(test::error_of(std::string(test::minimal_scenario) + R"(governance:
  rules: [{rule: inspection, probability: 0.2, from: 500}]
compare:
  - {variant: a, governance: {regime: state}}
  - {variant: b, governance: {regime: local}}
)"),
            "test.yaml:16:54: /governance/rules/0/from: must be less than steps, 200 (got 500)");
}

TEST(Compare, WithoutList_HasNoVariants) {
  const sim::ScenarioSpec spec = load_scenario_text(test::minimal_scenario, "test.yaml");
  EXPECT_TRUE(spec.variants.empty());
  EXPECT_EQ(spec.variant_count(), 1);
  EXPECT_FALSE(nlohmann::json::parse(spec.resolved_text).contains("compare"));
}

}  // namespace
}  // namespace commons::scenario
