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

}  // namespace
}  // namespace commons::sim
