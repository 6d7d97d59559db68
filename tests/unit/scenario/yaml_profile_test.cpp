// SPDX-License-Identifier: Apache-2.0
// The strict YAML profile: how scalars are typed and what YAML features are refused.
#include "test_support.hpp"

#include <commons/scenario/loader.hpp>

#include <gtest/gtest.h>

namespace commons::scenario {
namespace {

using test::edited;
using test::error_of;
using test::minimal_scenario;

TEST(YamlProfile, QuotedNumber_StaysText) {
  EXPECT_EQ(error_of(edited("steps: 200", "steps: \"200\"")),
            "test.yaml:14:8: /steps: expected an integer, got string \"200\"");
}

TEST(YamlProfile, YesAndNo_AreText) {
  EXPECT_EQ(error_of(std::string(minimal_scenario) + "output:\n  agents: yes\n"),
            "test.yaml:16:11: /output/agents: expected true or false, got string \"yes\"");
}

TEST(YamlProfile, TrueAndFalse_AreBooleans) {
  const auto spec = load_scenario_text(std::string(minimal_scenario) + "output:\n  agents: true\n", "t.yaml");
  EXPECT_TRUE(spec.output.agents);
}

TEST(YamlProfile, HexAndOctal_AreIntegers) {
  EXPECT_EQ(load_scenario_text(edited("steps: 200", "steps: 0x10"), "t.yaml").steps, 16);
  EXPECT_EQ(load_scenario_text(edited("steps: 200", "steps: 0o17"), "t.yaml").steps, 15);
}

TEST(YamlProfile, CoreSchemaFloats_AreNumbers) {
  EXPECT_DOUBLE_EQ(load_scenario_text(edited("growth_rate: 0.5", "growth_rate: .5e0"), "t.yaml")
                       .resource.parameters.number("growth_rate"),
                   0.5);
  EXPECT_DOUBLE_EQ(load_scenario_text(edited("growth_rate: 0.5", "growth_rate: +1."), "t.yaml")
                       .resource.parameters.number("growth_rate"),
                   1.0);
}

TEST(YamlProfile, Infinity_IsNotANumber) {
  EXPECT_EQ(error_of(edited("carrying_capacity: 1000", "carrying_capacity: .inf")),
            "test.yaml:5:22: /resource/carrying_capacity: expected a number, got .inf, which is not finite: every "
            "quantity in a scenario is a finite number");
}

TEST(YamlProfile, EmptyValue_IsNullAtKey) {
  EXPECT_EQ(error_of(edited("growth_rate: 0.5", "growth_rate:")),
            "test.yaml:4:3: /resource/growth_rate: expected a number, got null");
}

TEST(YamlProfile, Columns_CountCharactersNotBytes) {
  EXPECT_EQ(error_of(edited("name: minimal", "description: \"ñandú\"\nname: minimal")),
            "");
  EXPECT_EQ(error_of(std::string(minimal_scenario) + "output: {agents: ñ}\n"),
            "test.yaml:15:18: /output/agents: expected true or false, got string \"ñ\"");
  EXPECT_EQ(error_of(std::string(minimal_scenario) + "output: {\"ñ\": 1}\n"),
            "test.yaml:15:10: /output/ñ: unknown key 'ñ'; allowed keys: agent_interval, agent_stride, agents, series, site_interval, sites");
}

TEST(YamlProfile, TopLevelScalar_IsRejected) {
  EXPECT_EQ(error_of("just text\n"),
            "test.yaml:1:1: the top level of a scenario must be a mapping of keys to values, not text");
}

TEST(YamlProfile, DocumentMarkerOnly_IsEmpty) {
  EXPECT_EQ(error_of("---\n"), "test.yaml:1:1: scenario is empty: it has no keys, only blank lines or comments");
}

TEST(YamlProfile, NullKey_IsRejected) {
  EXPECT_EQ(error_of(std::string(minimal_scenario) + "~: 1\n"),
            "test.yaml:15:1: a mapping key must be text, not empty or null");
}

TEST(YamlProfile, AliasOfDefinedAnchor_IsRejectedAtAnchor) {
  EXPECT_EQ(error_of(edited("steps: 200", "steps: &s 200\nreplicates: *s")),
            "test.yaml:14:8: /steps: anchors ('&s') are not allowed in scenarios; write each value out in full");
}

TEST(YamlProfile, QuotedMergeKey_IsAnUnknownKey) {
  const auto message = error_of(std::string(minimal_scenario) + "\"<<\": 1\n");
  EXPECT_TRUE(message.starts_with("test.yaml:15:1: /<<: unknown key '<<'; allowed keys: agents,")) << message;
}

TEST(YamlProfile, WrongModelType_ListsModels) {
  EXPECT_EQ(error_of(edited("model: fleet", "model: 3")),
            "test.yaml:11:14: /agents/0/behaviour/model: unknown value '3'; allowed values: aspiration, "
            "best_response, conditional, cooperative, ewa, fixed, fleet, forager, human, imitation, scripted, "
            "site_choice");
}

TEST(YamlProfile, MappingWhereNumberExpected_SaysSo) {
  EXPECT_EQ(error_of(edited("steps: 200", "steps: {a: 1}")),
            "test.yaml:14:8: /steps: expected an integer, got a mapping");
}

TEST(YamlProfile, ControlCharacters_AreEscapedInMessages) {
  EXPECT_EQ(error_of(edited("name: minimal", "name: \"a\\tb\"")),
            "test.yaml:1:7: /name: must match ^[A-Za-z0-9_.-]+$ (got \"a\\x09b\")");
}

TEST(YamlProfile, StrayCommaAtTop_IsSyntaxErrorNotHang) {
  // yaml-cpp 0.7 returns empty documents for a top-level ',' without consuming it (found by
  // the fuzzer); the loader must not ask for documents until there are none.
  EXPECT_EQ(error_of(","), "test.yaml:1:1: YAML syntax error: unexpected ','");
  EXPECT_EQ(error_of("# nothing but a comment\n\n  ,# and another\n"),
            "test.yaml:3:3: YAML syntax error: unexpected ','");
  EXPECT_EQ(error_of("- \n,"), "test.yaml:2:1: YAML syntax error: unexpected ','");
}

TEST(YamlProfile, SecondDocument_IsRejected) {
  EXPECT_EQ(error_of(std::string(minimal_scenario) + "---\nname: b\n"),
            "test.yaml:15:1: a scenario holds a single YAML document; remove this second one (and its '---')");
}

}  // namespace
}  // namespace commons::scenario
