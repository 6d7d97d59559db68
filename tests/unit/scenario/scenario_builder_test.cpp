// SPDX-License-Identifier: Apache-2.0
// ScenarioBuilder (tools/scenario/src/scenario_builder.cpp): bundled scenarios described in C++
// equal the loaded files, and names and values are refused at the call that gives them.
#include <commons/models/register_models.hpp>
#include <commons/scenario/loader.hpp>
#include <commons/scenario/scenario_builder.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

namespace commons::scenario {
namespace {

const sim::Registry& registry() { return models::default_registry(); }

sim::ScenarioSpec load_bundled(const std::string& relative) {
  return load_scenario_file(std::filesystem::path(COMMONS_SOURCE_DIR) / "scenarios" / relative, {}, &registry());
}

// Every field of the two specs but where each came from; the resolved documents compared as
// JSON, key order included, so that 10 and 10.0 are the same price.
void expect_same(const sim::ScenarioSpec& built, const sim::ScenarioSpec& loaded) {
  EXPECT_EQ(built.name, loaded.name);
  EXPECT_EQ(built.description, loaded.description);
  EXPECT_EQ(built.resource, loaded.resource);
  EXPECT_EQ(built.groups, loaded.groups);
  EXPECT_EQ(built.economics, loaded.economics);
  EXPECT_EQ(built.governance, loaded.governance);
  EXPECT_EQ(built.network, loaded.network);
  EXPECT_EQ(built.communication, loaded.communication);
  EXPECT_EQ(built.steps, loaded.steps);
  EXPECT_EQ(built.replicates, loaded.replicates);
  EXPECT_EQ(built.seed, loaded.seed);
  EXPECT_EQ(built.output, loaded.output);
  EXPECT_EQ(built.attachments, loaded.attachments);
  EXPECT_TRUE(built.variants.empty() && loaded.variants.empty());
  EXPECT_FALSE(built.sweep || loaded.sweep);
  EXPECT_EQ(nlohmann::ordered_json::parse(built.resolved_text), nlohmann::ordered_json::parse(loaded.resolved_text));
}

// what() of the ScenarioError `describe` throws; "" when it throws none.
template <class Describe>
std::string error_of(Describe&& describe) {
  try {
    describe();
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

TEST(ScenarioBuilder, GordonSchaeferMsy_EqualsTheLoadedFile) {
  const sim::ScenarioSpec loaded = load_bundled("classic/gordon_schaefer_msy.yaml");
  const sim::ScenarioSpec built = ScenarioBuilder(registry(), "gordon_schaefer_msy")
                                      .description(loaded.description)
                                      .resource("fishery_logistic")
                                      .set("growth_rate", 0.5)
                                      .set("carrying_capacity", 1000)
                                      .set("catchability", 0.01)
                                      .set("initial_stock", 200)
                                      .price(10)
                                      .cost_per_effort(25)
                                      .group("boats", 20)
                                      .behaviour("fixed")
                                      .set("effort", 1.25)
                                      .steps(200)
                                      .seed(1)
                                      .build();
  expect_same(built, loaded);
}

TEST(ScenarioBuilder, FisheryLocal_EqualsTheLoadedFile) {
  const sim::ScenarioSpec loaded = load_bundled("policy/fishery_local.yaml");
  const sim::ScenarioSpec built = ScenarioBuilder(registry(), "fishery_local")
                                      .description(loaded.description)
                                      .resource("fishery_logistic")
                                      .set("growth_rate", 0.5)
                                      .set("carrying_capacity", 1000)
                                      .set("catchability", 0.01)
                                      .set("initial_stock", 1000)
                                      .set("observation_noise", 0.05)
                                      .price(10)
                                      .cost_per_effort(25)
                                      .discount_rate(0.05)
                                      .group("boats", 20)
                                      .behaviour("fleet")
                                      .set("initial_effort", 0.25)
                                      .set("adjustment_rate", 0.0005)
                                      .set("max_effort", 10)
                                      .governance("local")
                                      .steps(300)
                                      .replicates(4)
                                      .seed(20261128)
                                      .build();
  expect_same(built, loaded);
}

TEST(ScenarioBuilder, CprCommunication_EqualsTheLoadedFile) {
  using Kind = sim::Distribution::Kind;
  const sim::ScenarioSpec loaded = load_bundled("teaching/cpr_communication.yaml");
  const sim::ScenarioSpec built =
      ScenarioBuilder(registry(), "cpr_communication")
          .description(loaded.description)
          .resource("cpr_quadratic")
          .set("production_linear", 23)
          .set("production_quadratic", 0.25)
          .set("endowment", 25)
          .price(1)
          .cost_per_effort(5)
          .group("players", 8)
          .mix(0.75, "conditional")
          .set("rate", 0.6)
          .set("bias", sim::Distribution{.kind = Kind::uniform, .first = -1, .second = 2})
          .set("initial_effort", sim::Distribution{.kind = Kind::uniform, .first = 5, .second = 20})
          .mix(0.25, "ewa")
          .set("phi", 0.9)
          .set("delta", 0.5)
          .set("rho", 0.9)
          .set("lambda", 0.3)
          .communication("repeated")
          .set("start_step", 10)
          .set("trust_rate", 0.3)
          .set("initial_trust", 0.5)
          .set("tolerance", 0.1)
          .steps(25)
          .replicates(50)
          .seed(3)
          .build();
  expect_same(built, loaded);
}

TEST(ScenarioBuilder, MisspeltModel_IsRefusedWithASuggestion) {
  EXPECT_EQ(error_of([] { ScenarioBuilder(registry(), "x").resource("fishery_logistc"); }),
            "ScenarioBuilder:1:1: /resource/model: unknown value 'fishery_logistc'; allowed values: cpr_quadratic, "
            "fishery_age, fishery_logistic, fishery_spatial, forest_stand, forest_tokens, groundwater_bathtub, irrigation_game, "
            "pasture; did you mean 'fishery_logistic'?");
  EXPECT_EQ(
      error_of([] { ScenarioBuilder(registry(), "x").group("boats", 2).behaviour("fixd"); }),
      "ScenarioBuilder:1:1: /agents/0/behaviour/model: unknown value 'fixd'; allowed values: aspiration, "
      "best_response, conditional, cooperative, ewa, fixed, fleet, forager, human, imitation, scripted, "
      "site_choice; did you mean 'fixed'?");
  EXPECT_EQ(error_of([] { ScenarioBuilder(registry(), "x").governance("stat"); }),
            "ScenarioBuilder:1:1: /governance/regime: unknown value 'stat'; allowed values: open_access, state, "
            "private, local, co_management; did you mean 'state'?");
  EXPECT_EQ(
      error_of([] { ScenarioBuilder(registry(), "x").rule("tack"); }),
      "ScenarioBuilder:1:1: /governance/rules/0/rule: unknown value 'tack'; allowed values: appropriation_rule, "
      "closed_season, collective_choice, compliance, conflict_resolution, effort_cap, free_entry, graduated_sanctions, "
      "harvest_control_rule, individual_quota, inspection, itq, landing_tax, licence, membership, no_take_area, "
      "peer_monitoring, peer_sanction, reserve, sole_owner, state_recognition, tac, territorial_use_rights, time_bank; "
      "did you mean 'tac'?");
}

TEST(ScenarioBuilder, MisspeltParameter_IsRefusedWithASuggestion) {
  EXPECT_EQ(error_of([] { ScenarioBuilder(registry(), "x").resource("fishery_logistic").set("growth_rat", 0.5); }),
            "ScenarioBuilder:1:1: /resource/growth_rat: unknown parameter 'growth_rat' of fishery_logistic; its "
            "parameters: growth_rate, carrying_capacity, catchability, initial_stock, observation_noise, "
            "collapse_fraction; did you mean 'growth_rate'?");
  EXPECT_EQ(
      error_of([] { ScenarioBuilder(registry(), "x").rule("inspection").set("probabilty", 0.5); }),
      "ScenarioBuilder:1:1: /governance/rules/0/probabilty: unknown parameter 'probabilty' of "
      "inspection; its parameters: probability, fine_per_violation, fine_per_excess, cost_per_inspection; did you "
      "mean 'probability'?");
}

TEST(ScenarioBuilder, ValueOutOfRange_IsRefused) {
  EXPECT_EQ(error_of([] { ScenarioBuilder(registry(), "x").resource("fishery_logistic").set("growth_rate", 3.0); }),
            "ScenarioBuilder:1:1: /resource/growth_rate: must be in (0, 2] (got 3.0)");
  EXPECT_EQ(error_of([] { ScenarioBuilder(registry(), "x").resource("fishery_logistic").set("growth_rate", -1); }),
            "ScenarioBuilder:1:1: /resource/growth_rate: must be in (0, 2] (got -1)");
}

TEST(ScenarioBuilder, ValueOfAnotherType_IsRefused) {
  EXPECT_EQ(error_of([] { ScenarioBuilder(registry(), "x").resource("fishery_logistic").set("growth_rate", "fast"); }),
            "ScenarioBuilder:1:1: /resource/growth_rate: expected a number, got string \"fast\"");
}

TEST(ScenarioBuilder, ChoiceNotOffered_IsRefusedWithASuggestion) {
  EXPECT_EQ(error_of([] { ScenarioBuilder(registry(), "x").rule("sole_owner").set("target", "msx"); }),
            "ScenarioBuilder:1:1: /governance/rules/0/target: unknown value 'msx'; allowed values: mey, msy, "
            "golden_rule; did you mean 'msy'?");
}

TEST(ScenarioBuilder, NonFiniteNumber_IsRefused) {
  EXPECT_EQ(
      error_of([] { ScenarioBuilder(registry(), "x").resource("fishery_logistic").set("growth_rate", std::nan("")); }),
      "ScenarioBuilder:1:1: /resource/growth_rate: must be a finite number (got nan)");
}

TEST(ScenarioBuilder, SetBeforeAComponent_SaysWhatToNameFirst) {
  EXPECT_EQ(error_of([] { ScenarioBuilder(registry(), "x").group("boats", 2).set("effort", 1.0); }),
            "ScenarioBuilder:1:1: set('effort'): name a resource, behaviour, mix, rule, network or "
            "communication first");
}

TEST(ScenarioBuilder, MissingRequiredParameter_IsFoundByBuild) {
  EXPECT_EQ(error_of([] {
              static_cast<void>(ScenarioBuilder(registry(), "x")
                                    .resource("fishery_logistic")
                                    .set("growth_rate", 0.5)
                                    .group("boats", 2)
                                    .behaviour("fixed")
                                    .set("effort", 1.0)
                                    .steps(10)
                                    .build());
            }),
            "ScenarioBuilder:1:1: /resource: missing required key 'carrying_capacity'");
}

TEST(ScenarioBuilder, SharesNotSummingToOne_AreFoundByBuild) {
  EXPECT_EQ(error_of([] {
              static_cast<void>(ScenarioBuilder(registry(), "x")
                                    .source("mix.cpp")
                                    .resource("cpr_quadratic")
                                    .set("production_linear", 23)
                                    .set("production_quadratic", 0.25)
                                    .set("endowment", 25)
                                    .group("players", 8)
                                    .mix(0.5, "cooperative")
                                    .mix(0.25, "human")
                                    .steps(10)
                                    .build());
            }),
            "mix.cpp:1:1: /agents/0/mix: the shares must sum to 1 (got 0.75)");
}

}  // namespace
}  // namespace commons::scenario
