// SPDX-License-Identifier: Apache-2.0
// A valid scenario becomes the expected spec, every field, with defaults filled in.
#include "test_support.hpp"

#include <commons/scenario/loader.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

namespace commons::scenario {
namespace {

namespace fs = std::filesystem;

const fs::path good_dir = fs::path(COMMONS_SCENARIO_TEST_DIR) / "good";

template <typename T>
T parameter(const sim::Parameters& parameters, const std::string& name) {
  const auto it = parameters.values().find(name);
  if (it == parameters.values().end()) {
    ADD_FAILURE() << "no parameter " << name;
    return T{};
  }
  const T* value = std::get_if<T>(&it->second);
  if (value == nullptr) {
    ADD_FAILURE() << "parameter " << name << " has another type";
    return T{};
  }
  return *value;
}

TEST(LoadScenario, FullFile_FillsEverySpecField) {
  const fs::path file = good_dir / "full.yaml";
  const sim::ScenarioSpec spec = load_scenario_file(file);

  EXPECT_EQ(spec.name, "full_scenario");
  EXPECT_EQ(spec.description, "Every key of format 1, none left to its default.");
  EXPECT_EQ(spec.source, file.string());

  EXPECT_EQ(spec.resource.model, "fishery_logistic");
  EXPECT_EQ(spec.resource.pointer, "/resource");
  const auto& resource = spec.resource.parameters;
  EXPECT_EQ(resource.values().size(), 6U);
  EXPECT_DOUBLE_EQ(parameter<double>(resource, "growth_rate"), 0.5);
  EXPECT_EQ(parameter<std::int64_t>(resource, "carrying_capacity"), 1000);
  EXPECT_DOUBLE_EQ(parameter<double>(resource, "catchability"), 0.01);
  EXPECT_EQ(parameter<std::int64_t>(resource, "initial_stock"), 800);
  EXPECT_DOUBLE_EQ(parameter<double>(resource, "observation_noise"), 0.2);
  EXPECT_DOUBLE_EQ(parameter<double>(resource, "collapse_fraction"), 0.05);
  EXPECT_FALSE(resource.contains("model"));

  EXPECT_DOUBLE_EQ(spec.economics.price, 10.0);
  EXPECT_DOUBLE_EQ(spec.economics.cost_per_effort, 25.0);
  EXPECT_DOUBLE_EQ(spec.economics.discount_rate, 0.05);

  ASSERT_EQ(spec.groups.size(), 3U);
  EXPECT_EQ(spec.groups[0].name, "fleet");
  EXPECT_EQ(spec.groups[0].count, 20);
  EXPECT_DOUBLE_EQ(spec.groups[0].cost_per_effort, 25.0);
  EXPECT_EQ(spec.groups[0].behaviours.at(0).behaviour.model, "fleet");
  EXPECT_EQ(spec.groups[0].behaviours.at(0).behaviour.pointer, "/agents/0/behaviour");
  EXPECT_EQ(spec.groups[0].behaviours.at(0).behaviour.parameters.values().size(), 3U);
  EXPECT_EQ(parameter<std::int64_t>(spec.groups[0].behaviours.at(0).behaviour.parameters, "initial_effort"), 1);
  EXPECT_DOUBLE_EQ(parameter<double>(spec.groups[0].behaviours.at(0).behaviour.parameters, "adjustment_rate"), 0.002);
  EXPECT_EQ(parameter<std::int64_t>(spec.groups[0].behaviours.at(0).behaviour.parameters, "max_effort"), 50);

  EXPECT_EQ(spec.groups[1].name, "artisanal");
  EXPECT_EQ(spec.groups[1].count, 5);
  EXPECT_DOUBLE_EQ(spec.groups[1].cost_per_effort, 12.5);
  EXPECT_EQ(spec.groups[1].behaviours.at(0).behaviour.model, "fixed");
  EXPECT_EQ(spec.groups[1].behaviours.at(0).behaviour.pointer, "/agents/1/behaviour");
  EXPECT_DOUBLE_EQ(parameter<double>(spec.groups[1].behaviours.at(0).behaviour.parameters, "effort"), 2.5);

  EXPECT_EQ(spec.groups[2].name, "seasonal");
  EXPECT_EQ(spec.groups[2].behaviours.at(0).behaviour.model, "fixed");
  EXPECT_EQ(parameter<std::vector<double>>(spec.groups[2].behaviours.at(0).behaviour.parameters, "schedule"),
            (std::vector<double>{1.0, 2.0, 0.5}));

  EXPECT_EQ(spec.governance.regime, "open_access");
  EXPECT_TRUE(spec.governance.rules.empty());
  EXPECT_EQ(spec.steps, 200);
  EXPECT_EQ(spec.replicates, 3);
  EXPECT_EQ(spec.seed, 9007199254740991U);
  EXPECT_EQ(spec.output.series, (std::vector<std::string>{"stock", "harvest", "effort", "rent", "gini"}));
  EXPECT_TRUE(spec.output.agents);
}

TEST(LoadScenario, MinimalText_FillsDefaults) {
  const sim::ScenarioSpec spec = load_scenario_text(test::minimal_scenario, "minimal.yaml");
  EXPECT_EQ(spec.source, "minimal.yaml");
  EXPECT_EQ(spec.description, "");
  const auto& resource = spec.resource.parameters;
  EXPECT_EQ(parameter<std::int64_t>(resource, "initial_stock"), 1000) << "defaults to the carrying capacity";
  EXPECT_EQ(parameter<std::int64_t>(resource, "observation_noise"), 0);
  EXPECT_DOUBLE_EQ(parameter<double>(resource, "collapse_fraction"), 0.1);
  EXPECT_DOUBLE_EQ(spec.economics.price, 1.0);
  EXPECT_DOUBLE_EQ(spec.economics.cost_per_effort, 0.0);
  EXPECT_DOUBLE_EQ(spec.economics.discount_rate, 0.0);
  ASSERT_EQ(spec.groups.size(), 1U);
  EXPECT_DOUBLE_EQ(spec.groups[0].cost_per_effort, 0.0) << "the economics value";
  EXPECT_FALSE(spec.groups[0].behaviours.at(0).behaviour.parameters.contains("max_effort")) << "no cap by default";
  EXPECT_EQ(spec.governance.regime, "open_access");
  EXPECT_EQ(spec.replicates, 1);
  EXPECT_EQ(spec.seed, 1U);
  EXPECT_EQ(spec.output.series,
            (std::vector<std::string>{"stock", "growth", "harvest", "effort", "rent", "gini", "active_agents"}));
  EXPECT_FALSE(spec.output.agents);
}

TEST(LoadScenario, ResolvedText_IsJsonWithDefaults) {
  const sim::ScenarioSpec spec = load_scenario_text(test::minimal_scenario, "minimal.yaml");
  const auto resolved = nlohmann::json::parse(spec.resolved_text);
  EXPECT_EQ(resolved.at("name"), "minimal");
  EXPECT_EQ(resolved.at("resource").at("initial_stock"), 1000);
  EXPECT_EQ(resolved.at("economics").at("price"), 1);
  EXPECT_EQ(resolved.at("governance").at("regime"), "open_access");
  EXPECT_EQ(resolved.at("replicates"), 1);
  EXPECT_EQ(resolved.at("seed"), 1);
  EXPECT_EQ(resolved.at("output").at("agents"), false);
  EXPECT_EQ(resolved.at("output").at("series").size(), 7U);
  // Pretty-printed with two spaces, the author's keys first and in their order.
  EXPECT_TRUE(spec.resolved_text.starts_with("{\n  \"name\": \"minimal\",\n  \"resource\": {\n    \"model\""))
      << spec.resolved_text;
}

TEST(LoadScenario, ResolvedText_LoadsAgainToSameSpec) {
  const sim::ScenarioSpec first = load_scenario_file(good_dir / "full.yaml");
  // JSON is YAML, so the provenance record is itself a loadable scenario.
  const sim::ScenarioSpec second = load_scenario_text(first.resolved_text, "resolved.json");
  EXPECT_EQ(second.resolved_text, first.resolved_text);
}

TEST(LoadScenario, PlainNumberWhereTextExpected_BecomesText) {
  const std::string text = test::edited("name: minimal", "name: 2024") ;
  std::string with_group = text;
  with_group.replace(with_group.find("group: fleet"), 12, "group: 1e3");
  const sim::ScenarioSpec spec = load_scenario_text(with_group, "t.yaml");
  EXPECT_EQ(spec.name, "2024");
  EXPECT_EQ(spec.groups.at(0).name, "1e3") << "the text as written, not the number";
}

TEST(LoadScenario, WholeRealWhereIntegerExpected_BecomesInteger) {
  const sim::ScenarioSpec spec = load_scenario_text(test::edited("count: 20", "count: 2.0e1"), "t.yaml");
  EXPECT_EQ(spec.groups.at(0).count, 20);
  EXPECT_NE(spec.resolved_text.find("\"count\": 20,"), std::string::npos);
}

TEST(LoadScenario, SchemaText_IsTheSchemaFile) {
  std::ifstream file(fs::path(COMMONS_SOURCE_DIR) / "scenarios/schema/scenario.schema.json", std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_EQ(scenario_schema_text(), text.str());
  const auto schema = nlohmann::json::parse(scenario_schema_text());
  EXPECT_EQ(schema.at("$schema"), "http://json-schema.org/draft-07/schema#");
}

TEST(LoadScenario, BundledScenarios_AllLoad) {
  // Examples are tests: every scenario shipped in scenarios/ must load.
  const fs::path root = fs::path(COMMONS_SOURCE_DIR) / "scenarios";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    try {
      static_cast<void>(load_scenario_file(entry.path()));
    } catch (const ScenarioError& error) {
      ADD_FAILURE() << error.what();
    }
  }
}

TEST(ScenarioError, Accessors_GiveParts) {
  const ScenarioError error("a.yaml", 3, 7, "/resource/growth_rate", "must be in (0, 2] (got 3)");
  EXPECT_STREQ(error.what(), "a.yaml:3:7: /resource/growth_rate: must be in (0, 2] (got 3)");
  EXPECT_EQ(error.file(), "a.yaml");
  EXPECT_EQ(error.line(), 3);
  EXPECT_EQ(error.column(), 7);
  EXPECT_EQ(error.pointer(), "/resource/growth_rate");
  EXPECT_EQ(error.message(), "must be in (0, 2] (got 3)");
}

TEST(ScenarioError, RootPointer_IsLeftOut) {
  const ScenarioError error("a.yaml", 1, 1, "", "scenario is empty");
  EXPECT_STREQ(error.what(), "a.yaml:1:1: scenario is empty");
}

}  // namespace
}  // namespace commons::scenario
