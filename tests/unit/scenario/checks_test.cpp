// SPDX-License-Identifier: Apache-2.0
// The rules checked in code (tools/scenario/src/semantic_checks.cpp) and the schema messages for the
// constructs of behaviour models, by exact text. bad/cases.tsv holds one file per rule too.
#include "test_support.hpp"

#include <commons/scenario/loader.hpp>

#include <gtest/gtest.h>

#include <string>

namespace commons::scenario {
namespace {

// A cpr_quadratic scenario of 8 agents; the group's behaviour (or mix) is on line 6, column 5.
std::string cpr(std::string_view group, std::string_view rest = "") {
  return std::string(R"(name: cpr
resource: {model: cpr_quadratic, production_linear: 23, production_quadratic: 0.25, endowment: 25}
agents:
  - group: lab
    count: 8
    )") + std::string(group) + "\nsteps: 10\n" + std::string(rest);
}

constexpr std::string_view cooperative = "behaviour: {model: cooperative}";

TEST(GroupRule, NeitherBehaviourNorMix_IsRejected) {
  EXPECT_EQ(test::error_of(cpr("cost_per_effort: 1")),
            "test.yaml:4:5: /agents/0: give exactly one of 'behaviour' or 'mix'; neither is given");
}

TEST(GroupRule, SharesBelowOne_AreRejected) {
  EXPECT_EQ(test::error_of(cpr("mix: [{share: 0.5, behaviour: {model: cooperative}}]")),
            "test.yaml:6:5: /agents/0/mix: the shares must sum to 1 (got 0.5)");
}

TEST(GroupRule, SharesAboveOne_AreRejected) {
  EXPECT_EQ(test::error_of(cpr("mix: [{share: 0.7, behaviour: {model: cooperative}}, "
                               "{share: 0.3000001, behaviour: {model: human}}]")),
            "test.yaml:6:5: /agents/0/mix: the shares must sum to 1 (got 1.0000001)");
}

TEST(GroupRule, FixedInsideMix_IsChecked) {
  EXPECT_EQ(test::error_of(cpr("mix: [{share: 1, behaviour: {model: fixed}}]")),
            "test.yaml:6:22: /agents/0/mix/0/behaviour: the fixed behaviour takes exactly one of 'effort' or "
            "'schedule'; neither is given");
}

TEST(DistributionRule, UniformLowAboveHigh_IsRejected) {
  EXPECT_EQ(test::error_of(cpr("behaviour: {model: conditional, bias: {uniform: [2, -1]}}")),
            "test.yaml:6:53: /agents/0/behaviour/bias/uniform: low must not exceed high (got [2, -1])");
}

TEST(DistributionRule, EqualBounds_AreAllowed) {
  EXPECT_EQ(test::error_of(cpr("behaviour: {model: conditional, bias: {uniform: [1, 1]}}")), "");
}

TEST(DistributionRule, InsideSocialPreference_IsChecked) {
  EXPECT_EQ(test::error_of(cpr("behaviour: {model: best_response, social_preference: {model: fehr_schmidt, "
                               "envy: {uniform: [1, 0]}, guilt: 0}}")),
            "test.yaml:6:96: /agents/0/behaviour/social_preference/envy/uniform: low must not exceed high (got [1, 0])");
}

TEST(DistributionRule, DiscreteWeightsOfOtherLength_AreRejected) {
  EXPECT_EQ(test::error_of(cpr("behaviour: {model: cooperative, share_of_optimum: {discrete: {values: [1], "
                               "weights: [1, 1]}}}")),
            "test.yaml:6:89: /agents/0/behaviour/share_of_optimum/discrete/weights: must have one weight per value: "
            "1 entry in values, 2 entries here");
}

TEST(DistributionRule, BetaZero_IsOutOfRange) {
  EXPECT_EQ(test::error_of(cpr("behaviour: {model: conditional, rate: {beta: [0, 1]}}")),
            "test.yaml:6:51: /agents/0/behaviour/rate/beta/0: must be > 0 (got 0)");
}

TEST(DistributionRule, EmptyMapping_NamesKinds) {
  EXPECT_EQ(test::error_of(cpr("behaviour: {model: conditional, rate: {}}")),
            "test.yaml:6:43: /agents/0/behaviour/rate: must have exactly one key, one of beta, discrete, lognormal, "
            "normal, uniform (got none)");
}

TEST(DistributionRule, TextWhereNumber_SaysBoth) {
  EXPECT_EQ(test::error_of(cpr("behaviour: {model: conditional, rate: fast}")),
            "test.yaml:6:43: /agents/0/behaviour/rate: expected a number or a mapping, got string \"fast\"");
}

TEST(DistributionRule, NumberOutOfRange_UsesParameterRange) {
  EXPECT_EQ(test::error_of(cpr("behaviour: {model: conditional, rate: 1.5}")),
            "test.yaml:6:43: /agents/0/behaviour/rate: must be in [0, 1] (got 1.5)");
}

TEST(BehaviourRule, BestResponseWithMaxEffort_IsBounded) {
  const std::string fishery = test::edited("      model: fleet\n      initial_effort: 1\n      adjustment_rate: 0.002",
                                           "      model: best_response\n      max_effort: 3");
  EXPECT_EQ(test::error_of(fishery), "");
}

TEST(BehaviourRule, BestResponseOnFishery_NeedsBound) {
  const std::string fishery = test::edited("      model: fleet\n      initial_effort: 1\n      adjustment_rate: 0.002",
                                           "      model: best_response");
  EXPECT_EQ(test::error_of(fishery),
            "test.yaml:10:5: /agents/0/behaviour: best_response needs 'choices' or 'max_effort' to bound the efforts "
            "it searches, unless the resource bounds each agent's effort itself (as cpr_quadratic, forest_tokens, "
            "irrigation_game do)");
}

TEST(BehaviourRule, EwaOnCpr_NeedsNoChoices) {
  EXPECT_EQ(test::error_of(cpr("behaviour: {model: ewa, phi: 1, delta: 1, rho: 1, lambda: 0.5}")), "");
}

TEST(BehaviourRule, EwaMissingParameter_IsRequired) {
  EXPECT_EQ(test::error_of(cpr("behaviour: {model: ewa, phi: 1, delta: 1, rho: 1}")),
            "test.yaml:6:5: /agents/0/behaviour: missing required key 'lambda'");
}

TEST(BehaviourRule, HumanDefaultTypo_SuggestsValue) {
  EXPECT_EQ(test::error_of(cpr("behaviour: {model: human, default: repaet}")),
            "test.yaml:6:40: /agents/0/behaviour/default: unknown value 'repaet'; allowed values: repeat, fixed; "
            "did you mean 'repeat'?");
}

TEST(NetworkRule, WattsStrogatzDegree_MustBeBelowAgents) {
  EXPECT_EQ(test::error_of(cpr(cooperative, "network: {model: watts_strogatz, degree: 10, rewire_probability: 0.1}\n")),
            "test.yaml:8:42: /network/degree: must be less than the number of agents, 8 (got 10)");
}

TEST(NetworkRule, ErdosRenyiProbability_IsInUnitInterval) {
  EXPECT_EQ(test::error_of(cpr(cooperative, "network: {model: erdos_renyi, link_probability: 1.5}\n")),
            "test.yaml:8:49: /network/link_probability: must be in [0, 1] (got 1.5)");
}

TEST(NetworkRule, UnknownGenerator_SuggestsName) {
  EXPECT_EQ(test::error_of(cpr(cooperative, "network: {model: small_world}\n")),
            "test.yaml:8:18: /network/model: unknown value 'small_world'; allowed values: complete, ring_lattice, "
            "watts_strogatz, barabasi_albert, erdos_renyi, spatial_neighbourhood, edge_list");
}

TEST(NetworkRule, SpatialGridThatFits_Loads) {
  EXPECT_EQ(test::error_of(cpr(cooperative, "network: {model: spatial_neighbourhood, width: 4, radius: 0, torus: true}\n")),
            "");
}

TEST(CommunicationRule, PledgesKeptWithCommunication_IsAllowed) {
  EXPECT_EQ(test::error_of(cpr(cooperative, "communication: {mode: repeated}\noutput: {series: [pledges_kept]}\n")), "");
}

TEST(CommunicationRule, PledgesKeptWithModeNone_IsRejected) {
  EXPECT_EQ(test::error_of(cpr(cooperative, "communication: {mode: none}\noutput: {series: [pledges_kept]}\n")),
            "test.yaml:9:19: /output/series/0: series 'pledges_kept' is recorded only with communication; set "
            "communication.mode to one_shot or repeated");
}

TEST(CommunicationRule, TrustRateAboveOne_IsOutOfRange) {
  EXPECT_EQ(test::error_of(cpr(cooperative, "communication: {mode: repeated, trust_rate: 2}\n")),
            "test.yaml:8:45: /communication/trust_rate: must be in [0, 1] (got 2)");
}

TEST(SeriesRule, CprSeriesOnFishery_AreRejected) {
  std::string text(test::minimal_scenario);
  text += "output: {series: [stock, net_yield]}\n";
  EXPECT_EQ(test::error_of(text),
            "test.yaml:15:26: /output/series/1: series 'net_yield' is not recorded for resource 'fishery_logistic'; "
            "its own series are stock, growth");
}

}  // namespace
}  // namespace commons::scenario
