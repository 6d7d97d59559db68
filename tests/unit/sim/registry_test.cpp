// SPDX-License-Identifier: Apache-2.0
#include "toy_world.hpp"

#include <gtest/gtest.h>

namespace commons::sim {
namespace {

TEST(Registry, UnknownNames_AreReportedWithKind) {
  const Registry registry = toy::registry();
  try {
    (void)registry.make_resource(ComponentSpec{"forest", {}, ""});
    FAIL() << "expected SpecError";
  } catch (const SpecError& error) {
    EXPECT_STREQ(error.what(), "no resource named 'forest' is registered");
  }
  EXPECT_THROW((void)registry.make_rules(GovernanceSpec{"anarchy", {}}), SpecError);
}

// Models by name; regimes in the order they were added, the order users read them in.
TEST(Registry, Names_AreListedSortedAndRegimesInOrder) {
  const Registry registry = toy::registry();
  EXPECT_EQ(registry.regime_names(), (std::vector<std::string>{"open_access", "logged"}));
  EXPECT_EQ(registry.resource_names(), (std::vector<std::string>{"pool"}));
}

TEST(Registry, ScenarioRules_OverrideTheBundledRuleOfTheSameNameAndAppendOthers) {
  std::vector<std::string> log;
  const Registry registry = toy::registry(&log);
  const auto rules = registry.make_rules(GovernanceSpec{
      "logged", {RuleSpec{ComponentSpec{"second_log", {}, ""}, 0, 5}, RuleSpec{ComponentSpec{"phase_log", {}, ""}, 3, 7}}});
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].name, "phase_log");
  EXPECT_EQ(rules[0].from, 3) << "the scenario's phase_log replaced the regime's";
  EXPECT_EQ(rules[0].until, 7);
  EXPECT_EQ(rules[1].name, "second_log");
  EXPECT_EQ(rules[1].until, 5);
}

// A model reads its defaults from its descriptor whoever made its spec: the loader fills them
// in for what a scenario names, the registry for the rest (a regime's bundled rules, the rules
// a governed run gets, specs built in code), as the loader would: a whole number as an integer,
// a default_from parameter as the other's value, what the spec gives and nested blocks kept.
TEST(Registry, ModelsAreBuiltWithTheirDescriptorDefaults) {
  Registry registry = toy::registry();
  std::vector<Parameters> seen;
  const ModelDescriptor described{
      .kind = ModelKind::rule,
      .name = "probe",
      .parameters = {{.name = "rate", .default_value = 0.25},
                     {.name = "count", .type = ParameterType::integer, .default_value = 3.0},
                     {.name = "mode", .type = ParameterType::choice, .default_value = std::string("full")},
                     {.name = "capacity", .required = true},
                     {.name = "start", .default_from = "capacity"},
                     {.name = "given", .default_value = 1.0}}};
  registry.add_rule(described, [&seen](const ComponentSpec& spec) {
    seen.push_back(spec.parameters);
    return std::make_unique<toy::PhaseLog>(nullptr);
  });
  registry.add_regime("probed", {ComponentSpec{"probe", Parameters({{"capacity", 8.0}, {"given", 2.0}}), ""}});
  (void)registry.make_rules(GovernanceSpec{"probed", {}});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].values(), (std::map<std::string, ParameterValue, std::less<>>{{"capacity", 8.0},
                                                                                   {"count", std::int64_t{3}},
                                                                                   {"given", 2.0},
                                                                                   {"mode", std::string("full")},
                                                                                   {"rate", 0.25},
                                                                                   {"start", 8.0}}));
}

}  // namespace
}  // namespace commons::sim
