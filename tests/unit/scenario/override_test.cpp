// SPDX-License-Identifier: Apache-2.0
// `--set PATH=VALUE` overrides: parsed, applied before validation, errors located in the argument.
#include "test_support.hpp"

#include <commons/scenario/loader.hpp>

#include <gtest/gtest.h>

#include <variant>
#include <vector>

namespace commons::scenario {
namespace {

std::vector<Override> overrides(std::initializer_list<std::string_view> arguments) {
  std::vector<Override> result;
  for (const auto argument : arguments) result.push_back(parse_override(argument));
  return result;
}

std::string parse_error(std::string_view argument) {
  try {
    static_cast<void>(parse_override(argument));
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

TEST(ParseOverride, PathAndValue_AreSplitAtFirstEquals) {
  const Override parsed = parse_override("description=a=b");
  EXPECT_EQ(parsed.path, "description");
  EXPECT_EQ(parsed.value, "a=b");
}

TEST(ParseOverride, NoEquals_IsMalformed) {
  EXPECT_EQ(parse_error("resource.growth_rate"),
            "--set:1:1: malformed --set argument 'resource.growth_rate': expected PATH=VALUE, such as "
            "resource.growth_rate=0.7");
}

TEST(ParseOverride, EmptyPath_IsMalformed) {
  EXPECT_EQ(parse_error("=3"), "--set:1:1: malformed --set argument '=3': the path before '=' is empty");
}

TEST(ParseOverride, EmptyPathPart_IsLocated) {
  EXPECT_EQ(parse_error("resource..growth_rate=3"),
            "--set:1:10: malformed --set argument 'resource..growth_rate=3': empty part in the path "
            "'resource..growth_rate'");
}

TEST(Override, ValidValues_ChangeSpec) {
  const auto changes = overrides({"resource.growth_rate=0.7", "agents.0.count=5", "name=renamed", "seed=7"});
  const sim::ScenarioSpec spec = load_scenario_text(test::minimal_scenario, "test.yaml", changes);
  EXPECT_DOUBLE_EQ(spec.resource.parameters.number("growth_rate"), 0.7);
  EXPECT_EQ(spec.groups.at(0).count, 5);
  EXPECT_EQ(spec.name, "renamed");
  EXPECT_EQ(spec.seed, 7U);
  EXPECT_NE(spec.resolved_text.find("\"growth_rate\": 0.7"), std::string::npos) << "provenance shows the override";
}

TEST(Override, FlowValue_ReplacesWholeNode) {
  const auto changes = overrides({"agents.0.behaviour={model: fixed, schedule: [1, 2, 3]}"});
  const sim::ScenarioSpec spec = load_scenario_text(test::minimal_scenario, "test.yaml", changes);
  EXPECT_EQ(spec.groups.at(0).behaviours.at(0).behaviour.model, "fixed");
  EXPECT_EQ(spec.groups.at(0).behaviours.at(0).behaviour.parameters.numbers("schedule"), (std::vector<double>{1, 2, 3}));
  EXPECT_FALSE(spec.groups.at(0).behaviours.at(0).behaviour.parameters.contains("initial_effort"));
}

TEST(Override, MissingParent_IsCreated) {
  const auto changes = overrides({"economics.price=3"});
  const sim::ScenarioSpec spec = load_scenario_text(test::minimal_scenario, "test.yaml", changes);
  EXPECT_DOUBLE_EQ(spec.economics.price, 3.0);
  EXPECT_DOUBLE_EQ(spec.economics.discount_rate, 0.0) << "defaults still fill the new object";
}

TEST(Override, ValueOutOfRange_IsLocatedInArgument) {
  EXPECT_EQ(test::error_of(test::minimal_scenario, overrides({"resource.growth_rate=3"})),
            "--set:1:10: /resource/growth_rate: must be in (0, 2] (got 3)");
}

TEST(Override, WrongType_IsLocatedInArgument) {
  EXPECT_EQ(test::error_of(test::minimal_scenario, overrides({"steps=many"})),
            "--set:1:1: /steps: expected an integer, got string \"many\"");
}

TEST(Override, BadItemInFlowValue_IsLocatedAtItem) {
  EXPECT_EQ(test::error_of(test::minimal_scenario,
                           overrides({"agents.0.behaviour={model: fixed, schedule: [1, -2]}"})),
            "--set:1:49: /agents/0/behaviour/schedule/1: must be >= 0 (got -2)");
}

TEST(Override, UnknownKey_SuggestsNearest) {
  EXPECT_EQ(test::error_of(test::minimal_scenario, overrides({"resource.growth_rat=0.7"})),
            "--set:1:10: /resource/growth_rat: unknown key 'growth_rat'; allowed keys: carrying_capacity, "
            "catchability, collapse_fraction, growth_rate, initial_stock, model, observation_noise; did you mean "
            "'growth_rate'?");
}

TEST(Override, UnknownTopLevelKey_SuggestsNearest) {
  EXPECT_EQ(test::error_of(test::minimal_scenario, overrides({"resourc.growth_rate=0.7"})),
            "--set:1:1: /resourc: unknown key 'resourc'; allowed keys: agents, clock, communication, compare, "
            "description, economics, governance, name, network, output, replicates, resource, seed, steps, sweep; did "
            "you mean 'resource'?");
}

TEST(Override, IndexOutOfRange_NamesPath) {
  EXPECT_EQ(test::error_of(test::minimal_scenario, overrides({"agents.3.count=1"})),
            "--set:1:8: /agents: index 3 is out of range: 'agents' has 1 entry");
}

TEST(Override, NameWhereIndexExpected_NamesPath) {
  EXPECT_EQ(test::error_of(test::minimal_scenario, overrides({"agents.fleet.count=1"})),
            "--set:1:8: /agents: 'agents' is a list; give an index (0 to 0) instead of 'fleet'");
}

TEST(Override, PathThroughScalar_NamesPath) {
  EXPECT_EQ(test::error_of(test::minimal_scenario, overrides({"steps.max=1"})),
            "--set:1:7: /steps: cannot set 'steps.max': 'steps' is a number, not a mapping or a list");
}

TEST(Override, MalformedValue_IsLocatedInValue) {
  EXPECT_EQ(test::error_of(test::minimal_scenario, overrides({"output.series=[stock"})),
            "--set:1:15: YAML syntax error: end of sequence flow not found");
}

TEST(Override, LaterOverride_Wins) {
  const auto changes = overrides({"steps=10", "steps=20"});
  EXPECT_EQ(load_scenario_text(test::minimal_scenario, "test.yaml", changes).steps, 20);
}

TEST(Override, NetworkBuiltFromArguments_ReachesSpec) {
  const auto changes = overrides({"network.model=ring_lattice", "network.degree=4", "communication.mode=repeated"});
  const sim::ScenarioSpec spec = load_scenario_text(test::minimal_scenario, "test.yaml", changes);
  EXPECT_EQ(spec.network.generator.model, "ring_lattice");
  EXPECT_EQ(spec.network.generator.parameters.integer("degree"), 4);
  EXPECT_EQ(spec.communication.mode, sim::CommunicationSpec::Mode::repeated);
}

TEST(Override, NetworkRuleBroken_IsLocatedInArgument) {
  EXPECT_EQ(test::error_of(test::minimal_scenario, overrides({"network={model: ring_lattice, degree: 20}"})),
            "--set:1:39: /network/degree: must be less than the number of agents, 20 (got 20)");
}

TEST(Override, DistributionValue_ReplacesNumber) {
  const auto changes = overrides({"agents.0.behaviour={model: conditional, rate: {uniform: [0.1, 0.2]}}"});
  const sim::ScenarioSpec spec = load_scenario_text(test::minimal_scenario, "test.yaml", changes);
  const sim::Distribution* rate = spec.groups.at(0).behaviours.at(0).behaviour.parameters.distribution("rate");
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ(rate->kind, sim::Distribution::Kind::uniform);
  EXPECT_DOUBLE_EQ(rate->second, 0.2);
}

TEST(Override, MixShare_IsCheckedAfterOverride) {
  // The group's behaviour is removed from the text; the mix comes from the command line.
  const std::string text = test::edited("    behaviour:\n      model: fleet\n      initial_effort: 1\n      adjustment_rate: 0.002\n",
                                  "");
  EXPECT_EQ(test::error_of(text, overrides({"agents.0.mix=[{share: 1, behaviour: {model: cooperative}}]",
                                            "agents.0.mix.0.share=0.5"})),
            "--set:1:10: /agents/0/mix: the shares must sum to 1 (got 0.5)");
}

}  // namespace
}  // namespace commons::scenario
