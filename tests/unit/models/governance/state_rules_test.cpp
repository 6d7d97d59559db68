// SPDX-License-Identifier: Apache-2.0
// The state rules effort_cap, closed_season, licence, landing_tax and inspection
// (docs/governance.md). The fishery is chosen so that money is exact in binary: K = X0 = 1024
// and q = 2^-7 give a catch of 8 per unit of effort, worth 80 at price 10, with no rationing
// while total effort stays below 128.

#include <commons/models/governance/closed_season.hpp>
#include <commons/models/governance/effort_cap.hpp>
#include <commons/models/governance/inspection.hpp>
#include <commons/models/governance/landing_tax.hpp>
#include <commons/models/governance/licence.hpp>
#include <commons/models/register_models.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>
#include <governance_testing.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <string>
#include <vector>

namespace commons::models {
namespace {

using testing::Boats;
using testing::full_compliance;
using testing::Outcome;
using testing::refusal;
using testing::rule;
using testing::run_all;
using testing::series;
using testing::Values;
using testing::with_nan_as;
using testing::exact_fishery;

sim::ScenarioSpec scenario(const std::vector<Boats>& boats, std::int64_t steps, std::vector<sim::RuleSpec> rules,
                           std::uint64_t seed = 7) {
  return testing::boats_scenario(boats, steps, std::move(rules), seed);
}

// ---------------------------------------------------------------------------- effort_cap

TEST(EffortCap, FullCompliance_EffortNeverAboveCap) {
  // Fleets grow effort while fishing pays; the cap holds them every step.
  testing::FisheryParameters p = exact_fishery();
  sim::ScenarioSpec spec = testing::fishery_scenario(p, testing::fleet(0.5, 0.01), 20, 30);
  spec.governance.rules = {rule("effort_cap", {{"cap", 1.5}}), full_compliance()};
  spec.output.agents = true;
  const Outcome out = run_all(spec);
  EXPECT_EQ(series(out.result, "violations"), std::vector<double>(30, 0.0));
  bool recorded = false;
  for (const sim::AgentData& variable : out.result.agents) {
    if (variable.info.name != "effort") continue;
    recorded = true;
    for (double e : variable.values) EXPECT_LE(e, 1.5);
  }
  EXPECT_TRUE(recorded);
  EXPECT_EQ(*std::ranges::max_element(series(out.result, "effort")), 30.0);
}

TEST(EffortCap, WithoutCompliance_EngineCountsEachBreachAndExcess) {
  const Outcome out = run_all(scenario({{3, 2.5, 25.0}, {2, 1.0, 25.0}}, 1, {rule("effort_cap", {{"cap", 1.5}})}));
  EXPECT_EQ(out.ledger.excess_effort, (std::vector<double>{1, 1, 1, 0, 0}));
  EXPECT_EQ(out.ledger.effort_limit, std::vector<double>(5, 1.5));
  EXPECT_EQ(series(out.result, "violations"), std::vector<double>{3.0});
}

TEST(EffortCap, CapDistribution_EachAgentItsOwnDrawnCap) {
  sim::Distribution caps;
  caps.kind = sim::Distribution::Kind::uniform;
  caps.first = 0.5;
  caps.second = 1.5;
  const sim::ScenarioSpec spec =
      scenario({{40, 1.0, 25.0}}, 1, {rule("effort_cap", {{"cap", caps}}), full_compliance()});
  const Outcome out = run_all(spec);
  const sim::RandomStream random(spec.seed, 0);
  const std::uint64_t index = sim::parameter_draw_index("effort_cap.cap");
  for (std::size_t i = 0; i < out.agents.size(); ++i) {
    const double cap = sim::draw(caps, random, out.agents.id[i], index);
    EXPECT_EQ(out.ledger.effort_limit[i], cap) << i;
    EXPECT_EQ(out.agents.effort[i], std::min(1.0, cap)) << i;
  }
}

TEST(EffortCap, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<EffortCap>({}), "effort_cap: cap is required");
  EXPECT_EQ(refusal<EffortCap>({{"cap", -0.5}}), "effort_cap: cap must be at least 0, got -0.5");
  EXPECT_EQ(refusal<EffortCap>({{"cap", std::string("lots")}}), "effort_cap: cap must be a number");
  EXPECT_EQ(refusal<EffortCap>({{"cap", 0.0}}), "accepted");
}

// ------------------------------------------------------------------------- closed_season

TEST(ClosedSeason, FullCompliance_ZeroEffortInClosedSteps) {
  const sim::ScenarioSpec spec =
      scenario({{10, 1.0, 25.0}}, 8,
               {rule("closed_season", {{"period", std::int64_t{4}}, {"closed", std::vector<double>{1.0, 2.0}}}),
                full_compliance()});
  const Outcome out = run_all(spec);
  EXPECT_EQ(series(out.result, "effort"), (std::vector<double>{10, 0, 0, 10, 10, 0, 0, 10}));
  EXPECT_EQ(series(out.result, "harvest")[1], 0.0);
  EXPECT_EQ(series(out.result, "season_closed"), (std::vector<double>{0, 1, 1, 0, 0, 1, 1, 0}));
  EXPECT_EQ(series(out.result, "violations"), std::vector<double>(8, 0.0));
}

TEST(ClosedSeason, SwitchedOnMidRun_ClosesOnlyFromThenAndCountsFromStepZero) {
  const sim::ScenarioSpec spec =
      scenario({{10, 1.0, 25.0}}, 8,
               {rule("closed_season", {{"period", std::int64_t{4}}, {"closed", std::vector<double>{1.0, 2.0}}}, 3, 7),
                full_compliance()});
  const Outcome out = run_all(spec);
  EXPECT_EQ(series(out.result, "effort"), (std::vector<double>{10, 10, 10, 10, 10, 0, 0, 10}));
  EXPECT_EQ(with_nan_as(series(out.result, "season_closed"), -1.0), (std::vector<double>{-1, -1, -1, 0, 0, 1, 1, -1}));
}

TEST(ClosedSeason, WithoutCompliance_EveryFishingAgentBreaksTheClosure) {
  const Outcome out =
      run_all(scenario({{6, 1.0, 25.0}}, 2,
                       {rule("closed_season", {{"period", std::int64_t{2}}, {"closed", std::vector<double>{0.0}}})}));
  EXPECT_EQ(series(out.result, "violations"), (std::vector<double>{6, 0}));
  EXPECT_EQ(series(out.result, "compliance"), (std::vector<double>{0, 1}));
}

TEST(ClosedSeason, Parameters_ImpossibleValuesRefused) {
  const std::vector<double> one{0.0};
  EXPECT_EQ(refusal<ClosedSeason>({{"closed", one}}), "closed_season: period is required");
  EXPECT_EQ(refusal<ClosedSeason>({{"period", std::int64_t{0}}, {"closed", one}}),
            "closed_season: period must be at least 1, got 0");
  EXPECT_EQ(refusal<ClosedSeason>({{"period", 2.5}, {"closed", one}}),
            "closed_season: period must be a whole number, got 2.5");
  EXPECT_EQ(refusal<ClosedSeason>({{"period", std::int64_t{4}}}), "closed_season: closed is required");
  EXPECT_EQ(refusal<ClosedSeason>({{"period", std::int64_t{4}}, {"closed", std::vector<double>{}}}),
            "closed_season: closed must list at least one step offset");
  EXPECT_EQ(refusal<ClosedSeason>({{"period", std::int64_t{4}}, {"closed", std::vector<double>{1.0, 4.0}}}),
            "closed_season: closed offsets must be whole numbers in [0, period) = [0, 4), got 4");
  EXPECT_EQ(refusal<ClosedSeason>({{"period", std::int64_t{4}}, {"closed", std::vector<double>{-1.0}}}),
            "closed_season: closed offsets must be whole numbers in [0, period) = [0, 4), got -1");
  EXPECT_EQ(refusal<ClosedSeason>({{"period", std::int64_t{4}}, {"closed", std::vector<double>{0.5}}}),
            "closed_season: closed offsets must be whole numbers in [0, period) = [0, 4), got 0.5");
  EXPECT_EQ(refusal<ClosedSeason>({{"period", 4.0}, {"closed", std::int64_t{3}}}), "accepted");
}

// ------------------------------------------------------------------------------- licence

TEST(Licence, LowestIds_UnlicensedExcludedAndHoldersPayTheFee) {
  const sim::ScenarioSpec spec = scenario(
      {{10, 1.0, 25.0}}, 2, {rule("licence", {{"licences", std::int64_t{3}}, {"fee", 7.0}}), full_compliance()});
  const Outcome out = run_all(spec);
  EXPECT_EQ(out.agents.effort, (std::vector<double>{1, 1, 1, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(out.ledger.fee, (std::vector<double>{7, 7, 7, 0, 0, 0, 0, 0, 0, 0}));
  // Step 0: 80 landed per unit of effort, 25 cost, 7 fee.
  EXPECT_EQ(series(out.result, "licence_revenue"), (std::vector<double>{21, 21}));
  EXPECT_EQ(series(out.result, "fees"), (std::vector<double>{21, 21}));
  EXPECT_EQ(series(out.result, "rent")[0], 3.0 * (80.0 - 25.0));
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(out.agents.cumulative_income[i] - out.agents.income[i], 80.0 - 25.0 - 7.0);
  for (std::size_t i = 3; i < 10; ++i) EXPECT_EQ(out.agents.cumulative_income[i], 0.0);
}

TEST(Licence, WithoutCompliance_UnlicensedFishingIsABreach) {
  const Outcome out = run_all(scenario({{10, 1.0, 25.0}}, 1, {rule("licence", {{"licences", std::int64_t{4}}})}));
  EXPECT_EQ(series(out.result, "compliance"), std::vector<double>{0.4});
  EXPECT_EQ(out.ledger.excess_effort, (std::vector<double>{0, 0, 0, 0, 1, 1, 1, 1, 1, 1}));
}

TEST(Licence, Lottery_ExactlyTheLicensedFishAndTheDrawIsReproducible) {
  const auto holders = [](std::uint64_t seed) {
    const Outcome out = run_all(scenario(
        {{1000, 0.1, 25.0}}, 1,
        {rule("licence", {{"licences", std::int64_t{100}}, {"allocation", std::string("random")}}), full_compliance()},
        seed));
    std::vector<std::uint64_t> ids;
    for (std::size_t i = 0; i < out.agents.size(); ++i)
      if (out.agents.effort[i] > 0.0) ids.push_back(out.agents.id[i]);
    return ids;
  };
  const std::vector<std::uint64_t> first = holders(7);
  EXPECT_EQ(first.size(), 100U);
  EXPECT_EQ(holders(7), first);
  EXPECT_NE(holders(8), first);
  EXPECT_GT(first.back(), 99U);  // not simply the lowest ids
}

TEST(Licence, MoreLicencesThanAgents_EveryoneHoldsOne) {
  const Outcome out = run_all(scenario(
      {{5, 1.0, 25.0}}, 1, {rule("licence", {{"licences", std::int64_t{50}}, {"fee", 1.0}}), full_compliance()}));
  EXPECT_EQ(out.agents.effort, std::vector<double>(5, 1.0));
  EXPECT_EQ(series(out.result, "licence_revenue"), std::vector<double>{5.0});
}

TEST(Licence, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<Licence>({}), "licence: licences is required");
  EXPECT_EQ(refusal<Licence>({{"licences", std::int64_t{-1}}}), "licence: licences must be at least 0, got -1");
  EXPECT_EQ(refusal<Licence>({{"licences", 2.5}}), "licence: licences must be a whole number, got 2.5");
  EXPECT_EQ(refusal<Licence>({{"licences", std::int64_t{3}}, {"fee", -1.0}}),
            "licence: fee must be at least 0, got -1");
  EXPECT_EQ(refusal<Licence>({{"licences", std::int64_t{3}}, {"allocation", std::string("auction")}}),
            "licence: allocation must be one of \"lowest_ids\", \"random\"; got \"auction\"");
  EXPECT_EQ(refusal<Licence>({{"licences", std::int64_t{0}}, {"allocation", std::string("random")}}), "accepted");
}

// --------------------------------------------------------------------------- landing_tax

// Efforts 1, 2 and 3 land 80, 160 and 240; a quarter of it is taxed and the 120 collected
// is returned in equal shares of 40.
TEST(LandingTax, EqualRebate_TaxAndRebateSettleIntoIncomeExactly) {
  const Outcome out = run_all(scenario({{1, 1.0, 25.0}, {1, 2.0, 25.0}, {1, 3.0, 25.0}}, 1,
                                       {rule("landing_tax", {{"rate", 0.25}, {"rebate", std::string("equal")}})}));
  EXPECT_EQ(series(out.result, "tax_revenue"), std::vector<double>{120.0});
  EXPECT_EQ(out.ledger.fee, (std::vector<double>{20, 40, 60}));
  EXPECT_EQ(out.ledger.transfer, (std::vector<double>{40, 40, 40}));
  EXPECT_EQ(out.agents.income, (std::vector<double>{80 - 25 - 20 + 40, 160 - 50 - 40 + 40, 240 - 75 - 60 + 40}));
  // Fully rebated, the tax only moves money: incomes still sum to the resource rent.
  EXPECT_EQ(std::accumulate(out.agents.income.begin(), out.agents.income.end(), 0.0), series(out.result, "rent")[0]);
}

TEST(LandingTax, NoRebate_StateKeepsTheRevenue) {
  const Outcome out = run_all(scenario({{2, 1.0, 25.0}}, 1, {rule("landing_tax", {{"rate", 0.5}})}));
  EXPECT_EQ(out.agents.income, (std::vector<double>{80 - 25 - 40, 80 - 25 - 40}));
  EXPECT_EQ(series(out.result, "transfers"), std::vector<double>{0.0});
  EXPECT_EQ(series(out.result, "fees"), std::vector<double>{80.0});
}

TEST(LandingTax, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<LandingTax>({}), "landing_tax: rate is required");
  EXPECT_EQ(refusal<LandingTax>({{"rate", 1.5}}), "landing_tax: rate must be between 0 and 1, got 1.5");
  EXPECT_EQ(refusal<LandingTax>({{"rate", -0.1}}), "landing_tax: rate must be between 0 and 1, got -0.1");
  EXPECT_EQ(refusal<LandingTax>({{"rate", 0.1}, {"rebate", std::string("some")}}),
            "landing_tax: rebate must be one of \"none\", \"equal\"; got \"some\"");
  EXPECT_EQ(refusal<LandingTax>({{"rate", std::int64_t{1}}, {"rebate", std::string("none")}}), "accepted");
}

// ---------------------------------------------------------------------------- inspection

// Half the agents break a cap, half keep it; nobody weighs anything (no compliance rule).
// The inspected are exactly those whose draw (step, id, monitor, 0) falls below p.
TEST(Inspection, DetectsOnlyInspectedViolators_ShareInspectedMatchesProbability) {
  const double p = 0.3;
  const std::int64_t n = 20000;
  const sim::ScenarioSpec spec = scenario(
      {{n / 2, 0.004, 25.0}, {n / 2, 0.001, 25.0}}, 1,
      {rule("effort_cap", {{"cap", 0.002}}), rule("inspection", {{"probability", p}, {"cost_per_inspection", 2.0}})});
  const Outcome out = run_all(spec);
  const sim::RandomStream random(spec.seed, 0);
  double inspected = 0.0, caught = 0.0, missed = 0.0;
  for (std::size_t i = 0; i < out.agents.size(); ++i) {
    const bool inspected_i = random.uniform(0, out.agents.id[i], sim::Purpose::monitor, 0) < p;
    const bool violator = i < static_cast<std::size_t>(n / 2);
    ASSERT_EQ(out.ledger.violations[i], violator ? 1.0 : 0.0) << i;
    EXPECT_EQ(out.ledger.detected[i], inspected_i && violator ? 1.0 : 0.0) << i;
    inspected += inspected_i ? 1.0 : 0.0;
    caught += inspected_i && violator ? 1.0 : 0.0;
    missed += !inspected_i && violator ? 1.0 : 0.0;
  }
  EXPECT_GT(missed, 0.0);
  EXPECT_EQ(series(out.result, "inspections"), std::vector<double>{inspected});
  EXPECT_EQ(series(out.result, "enforcement_cost"), std::vector<double>{2.0 * inspected});
  EXPECT_EQ(series(out.result, "violations_detected"), std::vector<double>{caught});
  // Four standard errors of a binomial share.
  const double standard_error = std::sqrt(p * (1.0 - p) / static_cast<double>(n));
  EXPECT_NEAR(inspected / static_cast<double>(n), p, 4.0 * standard_error);
  EXPECT_NEAR(caught / static_cast<double>(n / 2), p, 4.0 * std::sqrt(p * (1.0 - p) / static_cast<double>(n / 2)));
}

// Everyone inspected: each breach of the cap 1 by effort 2 costs 3 plus 5 per unit of excess.
TEST(Inspection, FinesSettleIntoIncomeExactly) {
  const Outcome out = run_all(
      scenario({{4, 2.0, 25.0}, {2, 1.0, 25.0}}, 1,
               {rule("effort_cap", {{"cap", 1.0}}),
                rule("inspection", {{"probability", 1.0}, {"fine_per_violation", 3.0}, {"fine_per_excess", 5.0}})}));
  EXPECT_EQ(out.ledger.fine, (std::vector<double>{8, 8, 8, 8, 0, 0}));
  EXPECT_EQ(out.agents.income, (std::vector<double>{160 - 50 - 8, 160 - 50 - 8, 160 - 50 - 8, 160 - 50 - 8, 55, 55}));
  EXPECT_EQ(series(out.result, "fines"), std::vector<double>{32.0});
  EXPECT_EQ(series(out.result, "inspections"), std::vector<double>{6.0});
  // What the rule announced to every agent for the step.
  EXPECT_EQ(out.ledger.detection_probability, std::vector<double>(6, 1.0));
  EXPECT_EQ(out.ledger.fine_per_violation, std::vector<double>(6, 3.0));
  EXPECT_EQ(out.ledger.fine_per_excess, std::vector<double>(6, 5.0));
}

TEST(Inspection, NoProbability_NothingDetectedNothingFined) {
  const Outcome out = run_all(scenario(
      {{4, 2.0, 25.0}}, 3,
      {rule("effort_cap", {{"cap", 1.0}}), rule("inspection", {{"probability", 0.0}, {"fine_per_violation", 3.0}})}));
  EXPECT_EQ(series(out.result, "violations_detected"), std::vector<double>(3, 0.0));
  EXPECT_EQ(series(out.result, "inspections"), std::vector<double>(3, 0.0));
  EXPECT_EQ(series(out.result, "fines"), std::vector<double>(3, 0.0));
}

TEST(Inspection, Schedule_CostsRecordedOnlyInItsStepsAndNaNOutOfForce) {
  const Outcome out = run_all(
      scenario({{4, 1.0, 25.0}}, 4, {rule("inspection", {{"probability", 1.0}, {"cost_per_inspection", 1.5}}, 1, 3)}));
  EXPECT_EQ(with_nan_as(series(out.result, "enforcement_cost"), -1.0), (std::vector<double>{-1, 6, 6, -1}));
  EXPECT_EQ(with_nan_as(series(out.result, "inspections"), -1.0), (std::vector<double>{-1, 4, 4, -1}));
}

TEST(Inspection, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<Inspection>({}), "inspection: probability is required");
  EXPECT_EQ(refusal<Inspection>({{"probability", 1.5}}), "inspection: probability must be between 0 and 1, got 1.5");
  EXPECT_EQ(refusal<Inspection>({{"probability", 0.5}, {"fine_per_violation", -1.0}}),
            "inspection: fine_per_violation must be at least 0, got -1");
  EXPECT_EQ(refusal<Inspection>({{"probability", 0.5}, {"fine_per_excess", -2.0}}),
            "inspection: fine_per_excess must be at least 0, got -2");
  EXPECT_EQ(refusal<Inspection>({{"probability", 0.5}, {"cost_per_inspection", -3.0}}),
            "inspection: cost_per_inspection must be at least 0, got -3");
  EXPECT_EQ(refusal<Inspection>({{"probability", std::int64_t{1}}}), "accepted");
}

// ------------------------------------------------------------------------------ together

// A licence fee, an inspection fine, a landing tax with its rebate: income is rent less
// fines and fees plus transfers, agent by agent, to the last bit.
TEST(StateRules, FeesFinesTaxAndRebate_SettleIntoIncomeExactly) {
  const Outcome out = run_all(
      scenario({{2, 2.0, 25.0}, {2, 1.0, 25.0}}, 1,
               {rule("licence", {{"licences", std::int64_t{3}}, {"fee", 4.0}}), rule("effort_cap", {{"cap", 1.0}}),
                rule("inspection", {{"probability", 1.0}, {"fine_per_violation", 10.0}}),
                rule("landing_tax", {{"rate", 0.125}, {"rebate", std::string("equal")}})}));
  // Landings 160, 160, 80, 80 [money]; tax 20, 20, 10, 10; rebate 60 / 4 = 15. Agent 3 has
  // no licence: limit 0, fishing anyway is one breach (fine 10) and it pays no fee.
  EXPECT_EQ(out.ledger.fee, (std::vector<double>{4 + 20, 4 + 20, 4 + 10, 10}));
  EXPECT_EQ(out.ledger.fine, (std::vector<double>{10, 10, 0, 10}));
  EXPECT_EQ(out.ledger.transfer, std::vector<double>(4, 15.0));
  EXPECT_EQ(out.agents.income, (std::vector<double>{160 - 50 - 24 - 10 + 15, 160 - 50 - 24 - 10 + 15, 80 - 25 - 14 + 15,
                                                    80 - 25 - 10 - 10 + 15}));
  EXPECT_EQ(series(out.result, "tax_revenue"), std::vector<double>{60.0});
  EXPECT_EQ(series(out.result, "licence_revenue"), std::vector<double>{12.0});
}

TEST(StateRules, Registered_UnderTheirScenarioNamesWithDesignPrinciples) {
  const std::vector<std::string> names = default_registry().rule_names();
  for (const char* name : {"compliance", "effort_cap", "closed_season", "licence", "landing_tax", "inspection"})
    EXPECT_NE(std::ranges::find(names, name), names.end()) << name;
  const auto principles = [](const std::string& name, Values values) {
    const auto rules = default_registry().make_rules({"open_access", {rule(name, std::move(values))}});
    return rules.at(0).rule->design_principles();
  };
  EXPECT_EQ(principles("effort_cap", {{"cap", 1.0}}), std::vector<int>{2});
  EXPECT_EQ(principles("closed_season", {{"period", std::int64_t{2}}, {"closed", std::int64_t{0}}}),
            std::vector<int>{2});
  EXPECT_EQ(principles("licence", {{"licences", std::int64_t{2}}}), std::vector<int>{1});
  EXPECT_EQ(principles("inspection", {{"probability", 0.5}}), (std::vector<int>{4, 5}));
  EXPECT_EQ(principles("landing_tax", {{"rate", 0.5}}), std::vector<int>{});
}

}  // namespace
}  // namespace commons::models
