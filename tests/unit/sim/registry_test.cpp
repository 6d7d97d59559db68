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

TEST(Registry, Names_AreListedSorted) {
  const Registry registry = toy::registry();
  EXPECT_EQ(registry.regime_names(), (std::vector<std::string>{"logged", "open_access"}));
  EXPECT_EQ(registry.resource_names(), (std::vector<std::string>{"pool"}));
}

TEST(Registry, ScenarioRules_AreAddedToRegimeBundle) {
  std::vector<std::string> log;
  const Registry registry = toy::registry(&log);
  const auto rules = registry.make_rules(GovernanceSpec{"logged", {ComponentSpec{"phase_log", {}, ""}}});
  EXPECT_EQ(rules.size(), 2u);
}

}  // namespace
}  // namespace commons::sim
