// SPDX-License-Identifier: Apache-2.0
// The local self-governance rules membership, appropriation_rule, collective_choice,
// graduated_sanctions and conflict_resolution (docs/governance.md). The fishery is chosen so
// that money is exact in binary: K = X0 = 1024 and q = 2^-7 give a catch of 8 per unit of
// effort, worth 80 at price 10, with no rationing while total effort stays below 128.

#include <commons/models/governance/appropriation_rule.hpp>
#include <commons/models/governance/collective_choice.hpp>
#include <commons/models/governance/conflict_resolution.hpp>
#include <commons/models/governance/graduated_sanctions.hpp>
#include <commons/models/governance/membership.hpp>
#include <commons/models/governance/shared_columns.hpp>
#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>
#include <governance_testing.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
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

/// The agents' efforts and the governance ledger after one step.
struct StepState {
  std::vector<double> effort;
  sim::GovernanceLedger ledger;
};

/// The state after each step of a governed run.
std::vector<StepState> states_by_step(const sim::ScenarioSpec& spec, const sim::Registry& registry) {
  sim::Run run(spec, registry, sim::RunTask{0, 0, spec.seed, {}});
  std::vector<StepState> states;
  while (!run.done()) {
    run.step();
    states.push_back({run.agents().effort, *run.ledger()});
  }
  return states;
}

/// A test monitor: in the monitor phase sets `detected` of chosen agents in chosen steps,
/// whatever they did, so that sanctions can be scripted.
class ScriptedDetection final : public sim::Rule {
 public:
  /// script[step][agent id] = breaches the monitor reports.
  using Script = std::map<std::int64_t, std::map<std::uint64_t, double>>;
  explicit ScriptedDetection(Script script) : script_(std::move(script)) {}
  [[nodiscard]] std::span<const sim::Phase> phases() const override { return phases_; }
  void apply(sim::Phase, sim::RuleContext& context) override {
    const auto found = script_.find(context.step.step);
    if (found == script_.end()) return;
    context.ledger.will_write({sim::GovernanceLedger::Column::detected});
    for (std::size_t i = 0; i < context.agents.size(); ++i) {
      const auto reported = found->second.find(context.agents.id[i]);
      if (reported != found->second.end())
        context.ledger.detected[i] = std::max(context.ledger.detected[i], reported->second);
    }
  }

 private:
  static constexpr sim::Phase phases_[] = {sim::Phase::monitor};
  Script script_;
};

/// A test monitor that reports one breach of every agent whose id is a multiple of `every`.
class FlagEvery final : public sim::Rule {
 public:
  explicit FlagEvery(std::uint64_t every) : every_(every) {}
  [[nodiscard]] std::span<const sim::Phase> phases() const override { return phases_; }
  void apply(sim::Phase, sim::RuleContext& context) override {
    context.ledger.will_write({sim::GovernanceLedger::Column::detected});
    for (std::size_t i = 0; i < context.agents.size(); ++i)
      if (context.agents.id[i] % every_ == 0) context.ledger.detected[i] = std::max(context.ledger.detected[i], 1.0);
  }

 private:
  static constexpr sim::Phase phases_[] = {sim::Phase::monitor};
  std::uint64_t every_;
};

sim::Registry registry_with(ScriptedDetection::Script script) {
  sim::Registry registry = default_registry();
  registry.add_rule("scripted_detection", [script](const sim::ComponentSpec&) {
    return std::make_unique<ScriptedDetection>(script);
  });
  registry.add_rule("flag_every", [](const sim::ComponentSpec& spec) {
    return std::make_unique<FlagEvery>(static_cast<std::uint64_t>(spec.parameters.integer("every")));
  });
  return registry;
}

// ---------------------------------------------------------------------------- membership

TEST(Membership, MemberCount_RoundsHalvesUp) {
  EXPECT_EQ(Membership::member_count(0.5, 5), 3U);
  EXPECT_EQ(Membership::member_count(0.25, 10), 3U);
  EXPECT_EQ(Membership::member_count(0.24, 10), 2U);
  EXPECT_EQ(Membership::member_count(0.0, 10), 0U);
  EXPECT_EQ(Membership::member_count(1.0, 7), 7U);
}

TEST(Membership, FullCompliance_OutsidersAppropriateNothing) {
  const Outcome out =
      run_all(scenario({{10, 1.0, 25.0}}, 3, {rule("membership", {{"members", 0.3}}), full_compliance()}));
  EXPECT_EQ(testing::shared(out.ledger, member_column), (std::vector<double>{1, 1, 1, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(out.agents.effort, (std::vector<double>{1, 1, 1, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(series(out.result, "effort"), (std::vector<double>{3, 3, 3}));
  EXPECT_EQ(series(out.result, "intrusions"), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(series(out.result, "exclusion_cost"), (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(series(out.result, "violations"), (std::vector<double>{0, 0, 0}));
}

// An intrusion with effort 1 gains 80 - c. Caught with p_x = 1/2 and fined 100, it expects a
// fine of 50: outsiders with c = 25 (gain 55) intrude, those with c = 35 (gain 45) stay out.
TEST(Membership, RationalOutsiders_IntrudeExactlyWhenGainExceedsExpectedFine) {
  const sim::ScenarioSpec spec =
      scenario({{2, 1.0, 25.0}, {4, 1.0, 25.0}, {4, 1.0, 35.0}}, 1,
               {rule("membership", {{"members", 0.2}, {"exclusion_probability", 0.5}, {"fine", 100.0}}),
                rule("compliance")});
  const Outcome out = run_all(spec);
  EXPECT_EQ(out.agents.effort, (std::vector<double>{1, 1, 1, 1, 1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(series(out.result, "intrusions"), std::vector<double>{4.0});
  EXPECT_EQ(series(out.result, "intended_violations"), std::vector<double>{4.0});
  // What the outsiders heard.
  for (std::size_t i = 2; i < 10; ++i) {
    EXPECT_EQ(out.ledger.detection_probability[i], 0.5) << i;
    EXPECT_EQ(out.ledger.fine_per_violation[i], 100.0) << i;
  }
  EXPECT_EQ(out.ledger.detection_probability[0], 0.0);
  // The intruders caught are exactly those whose draw falls below p_x.
  const sim::RandomStream random(spec.seed, 0);
  double caught = 0.0;
  for (std::size_t i = 0; i < 10; ++i) {
    const bool intruder = i >= 2 && i < 6;
    const bool caught_i =
        intruder && random.uniform(0, out.agents.id[i], sim::Purpose::monitor, Membership::draw_index()) < 0.5;
    caught += caught_i ? 1.0 : 0.0;
    EXPECT_EQ(out.ledger.detected[i], caught_i ? 1.0 : 0.0) << i;
    EXPECT_EQ(out.ledger.fine[i], caught_i ? 100.0 : 0.0) << i;
  }
  EXPECT_EQ(series(out.result, "violations_detected"), std::vector<double>{caught});
}

// Three intruders, all caught (p_x = 1), each costing the two members 6: 18 shared, 9 each.
TEST(Membership, ExclusionCost_ChargedToMembersInEqualSharesExactly) {
  const Outcome out = run_all(scenario(
      {{2, 1.0, 25.0}, {3, 1.0, 25.0}}, 1,
      {rule("membership",
            {{"members", 0.4}, {"exclusion_probability", 1.0}, {"exclusion_cost", 6.0}, {"fine", 10.0}})}));
  EXPECT_EQ(series(out.result, "intrusions"), std::vector<double>{3.0});
  EXPECT_EQ(series(out.result, "exclusion_cost"), std::vector<double>{18.0});
  EXPECT_EQ(out.ledger.fee, (std::vector<double>{9, 9, 0, 0, 0}));
  EXPECT_EQ(out.ledger.fine, (std::vector<double>{0, 0, 10, 10, 10}));
  EXPECT_EQ(out.ledger.detected, (std::vector<double>{0, 0, 1, 1, 1}));
  EXPECT_EQ(out.agents.income,
            (std::vector<double>{80 - 25 - 9, 80 - 25 - 9, 80 - 25 - 10, 80 - 25 - 10, 80 - 25 - 10}));
  EXPECT_EQ(series(out.result, "fees"), std::vector<double>{18.0});
  EXPECT_EQ(series(out.result, "fines"), std::vector<double>{30.0});
  EXPECT_EQ(series(out.result, "rent"), std::vector<double>{5.0 * 55.0});
}

TEST(Membership, NoDetection_IntrudersGoFreeAndMembersPayNothing) {
  const Outcome out = run_all(scenario({{2, 1.0, 25.0}, {3, 1.0, 25.0}}, 2,
                                       {rule("membership", {{"members", 0.4}, {"exclusion_cost", 6.0}})}));
  EXPECT_EQ(series(out.result, "intrusions"), (std::vector<double>{3, 3}));
  EXPECT_EQ(series(out.result, "exclusion_cost"), (std::vector<double>{0, 0}));
  EXPECT_EQ(series(out.result, "fees"), (std::vector<double>{0, 0}));
  EXPECT_EQ(series(out.result, "compliance"), (std::vector<double>{0.4, 0.4}));
}

TEST(Membership, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<Membership>({{"members", 1.5}}), "membership: members must be between 0 and 1, got 1.5");
  EXPECT_EQ(refusal<Membership>({{"exclusion_probability", -0.5}}),
            "membership: exclusion_probability must be between 0 and 1, got -0.5");
  EXPECT_EQ(refusal<Membership>({{"exclusion_cost", -1.0}}), "membership: exclusion_cost must be at least 0, got -1");
  EXPECT_EQ(refusal<Membership>({{"fine", -2.0}}), "membership: fine must be at least 0, got -2");
  EXPECT_EQ(refusal<Membership>({{"members", std::string("half")}}), "membership: members must be a number");
  EXPECT_EQ(refusal<Membership>({}), "accepted");
  const Membership::Parameters p = Membership::Parameters::from(sim::Parameters{});
  EXPECT_EQ(p.members, 1.0);
  EXPECT_EQ(p.exclusion_probability, 0.0);
}

// -------------------------------------------------------------------- appropriation_rule

TEST(AppropriationRule, EffortUnit_LimitsEveryMemberAndSetsTheSharedLimit) {
  const Outcome out = run_all(
      scenario({{4, 1.0, 25.0}}, 2, {rule("appropriation_rule", {{"limit", 0.5}}), full_compliance()}));
  EXPECT_EQ(out.ledger.effort_limit, std::vector<double>(4, 0.5));
  EXPECT_EQ(out.agents.effort, std::vector<double>(4, 0.5));
  EXPECT_EQ(series(out.result, "appropriation_limit"), (std::vector<double>{0.5, 0.5}));
}

TEST(AppropriationRule, NoLimitGiven_EachMemberGetsAnEqualShareOfTheOptimum) {
  const sim::ScenarioSpec spec = scenario({{4, 10.0, 25.0}}, 2, {rule("appropriation_rule"), full_compliance()});
  const models::FisheryLogistic fishery(models::FisheryLogistic::Parameters::from(spec.resource.parameters));
  const double share = fishery.maximum_economic_yield(spec.economics).effort / 4.0;
  const Outcome out = run_all(spec);
  EXPECT_EQ(out.ledger.effort_limit, std::vector<double>(4, share));
  EXPECT_EQ(series(out.result, "appropriation_limit"), (std::vector<double>{share, share}));
}

// Harvest limits show that outsiders are left alone: membership closes them out with an
// effort limit of 0, the appropriation rule sets no harvest limit on them.
TEST(AppropriationRule, HarvestUnit_LimitsMembersOnly) {
  const double inf = std::numeric_limits<double>::infinity();
  const Outcome out =
      run_all(scenario({{4, 1.0, 25.0}}, 1,
                       {rule("membership", {{"members", 0.5}}),
                        rule("appropriation_rule", {{"limit", 2.0}, {"unit", std::string("harvest")}})}));
  EXPECT_EQ(out.ledger.harvest_limit, (std::vector<double>{2, 2, inf, inf}));
  EXPECT_EQ(out.ledger.effort_limit, (std::vector<double>{inf, inf, 0, 0}));
  EXPECT_EQ(out.ledger.excess_harvest, (std::vector<double>{6, 6, 0, 0}));
  EXPECT_EQ(out.ledger.violations, (std::vector<double>{1, 1, 1, 1}));
}

TEST(AppropriationRule, HarvestUnit_FullCompliance_MembersLandTheLimit) {
  const Outcome out = run_all(scenario(
      {{3, 1.0, 25.0}}, 1,
      {rule("appropriation_rule", {{"limit", 2.0}, {"unit", std::string("harvest")}}), full_compliance()}));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(out.agents.harvest[i], 2.0) << i;
    EXPECT_DOUBLE_EQ(out.agents.effort[i], 0.25) << i;
  }
  EXPECT_EQ(series(out.result, "violations"), std::vector<double>{0.0});
}

TEST(AppropriationRule, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<AppropriationRule>({}), "accepted") << "without a limit: the optimum share";
  EXPECT_EQ(refusal<AppropriationRule>({{"limit", -1.0}}), "appropriation_rule: limit must be at least 0, got -1");
  EXPECT_EQ(refusal<AppropriationRule>({{"limit", 1.0}, {"unit", std::string("money")}}),
            "appropriation_rule: unit must be one of \"effort\", \"harvest\"; got \"money\"");
  EXPECT_EQ(refusal<AppropriationRule>({{"limit", std::int64_t{0}}, {"unit", std::string("harvest")}}), "accepted");
}

// --------------------------------------------------------------------- collective_choice

// Members want 1, 2, 3, 5 and 6; the limit stands at 4. The median 3 is strictly closer for
// those wanting 1, 2 and 3 (x < 3.5): 3 of 5 vote yes.
std::vector<Boats> five_preferences() {
  return {{1, 1.0, 25.0}, {1, 2.0, 25.0}, {1, 3.0, 25.0}, {1, 5.0, 25.0}, {1, 6.0, 25.0}};
}

TEST(CollectiveChoice, VoteShareAtThreshold_RuleChanges) {
  const Outcome out = run_all(scenario(five_preferences(), 2,
                                       {rule("appropriation_rule", {{"limit", 4.0}}),
                                        rule("collective_choice", {{"stewardship", 0.0}, {"threshold", 0.6}})}));
  EXPECT_EQ(series(out.result, "vote_share"), (std::vector<double>{0.6, 0.0}));
  EXPECT_EQ(series(out.result, "proposal"), (std::vector<double>{3, 3}));
  EXPECT_EQ(series(out.result, "rule_changed"), (std::vector<double>{1, 0}));
  // The new limit holds from the step after the vote.
  EXPECT_EQ(series(out.result, "appropriation_limit"), (std::vector<double>{4, 3}));
  EXPECT_EQ(out.ledger.effort_limit, std::vector<double>(5, 3.0));
}

TEST(CollectiveChoice, VoteShareJustBelowThreshold_RuleStands) {
  const Outcome out = run_all(scenario(five_preferences(), 2,
                                       {rule("appropriation_rule", {{"limit", 4.0}}),
                                        rule("collective_choice", {{"stewardship", 0.0}, {"threshold", 0.61}})}));
  EXPECT_EQ(series(out.result, "vote_share"), (std::vector<double>{0.6, 0.6}));
  EXPECT_EQ(series(out.result, "rule_changed"), (std::vector<double>{0, 0}));
  EXPECT_EQ(series(out.result, "appropriation_limit"), (std::vector<double>{4, 4}));
}

// Even count: the lower median. Wants 1, 2, 5, 6 against 4: proposal 2, yes for x < 3, half.
TEST(CollectiveChoice, EvenCount_LowerMedianAndHalfIsEnoughAtOneHalf) {
  const std::vector<Boats> four{{1, 1.0, 25.0}, {1, 2.0, 25.0}, {1, 5.0, 25.0}, {1, 6.0, 25.0}};
  const auto limits = [&](double threshold) {
    const Outcome out = run_all(scenario(four, 2,
                                         {rule("appropriation_rule", {{"limit", 4.0}}),
                                          rule("collective_choice", {{"stewardship", 0.0}, {"threshold", threshold}})}));
    EXPECT_EQ(series(out.result, "proposal")[0], 2.0);
    EXPECT_EQ(series(out.result, "vote_share")[0], 0.5);
    return series(out.result, "appropriation_limit");
  };
  EXPECT_EQ(limits(0.5), (std::vector<double>{4, 2}));
  EXPECT_EQ(limits(0.51), (std::vector<double>{4, 4}));
}

// Unanimity: members want 3, 3, 3, 5 against 4; the median 3 gets 3 of 4.
TEST(CollectiveChoice, Unanimity_OneDissenterBlocks) {
  const std::vector<Boats> boats{{3, 3.0, 25.0}, {1, 5.0, 25.0}};
  const Outcome out = run_all(scenario(
      boats, 1, {rule("appropriation_rule", {{"limit", 4.0}}), rule("collective_choice", {{"stewardship", 0.0}, {"threshold", 1.0}})}));
  EXPECT_EQ(series(out.result, "vote_share"), std::vector<double>{0.75});
  EXPECT_EQ(series(out.result, "rule_changed"), std::vector<double>{0.0});
}

// Only members vote: the three members want 1, 2, 3, so the proposal is 2, not the 3 all five
// would give; yes for x < 3: 2 of 3.
TEST(CollectiveChoice, OnlyMembersVote) {
  const Outcome out = run_all(scenario(five_preferences(), 2,
                                       {rule("membership", {{"members", 0.6}}),
                                        rule("appropriation_rule", {{"limit", 4.0}}),
                                        rule("collective_choice", {{"stewardship", 0.0}, {"threshold", 0.5}})}));
  EXPECT_EQ(series(out.result, "proposal")[0], 2.0);
  EXPECT_EQ(series(out.result, "vote_share")[0], 2.0 / 3.0);
  EXPECT_EQ(series(out.result, "appropriation_limit"), (std::vector<double>{4, 2}));
}

TEST(CollectiveChoice, Interval_VotesOnlyEveryIntervalSteps) {
  const Outcome out = run_all(scenario(five_preferences(), 5,
                                       {rule("appropriation_rule", {{"limit", 4.0}}),
                                        rule("collective_choice", {{"stewardship", 0.0}, {"interval", std::int64_t{2}}})}));
  EXPECT_EQ(with_nan_as(series(out.result, "proposal"), -1.0), (std::vector<double>{3, -1, 3, -1, 3}));
  EXPECT_EQ(with_nan_as(series(out.result, "vote_share"), -1.0), (std::vector<double>{0.6, -1, 0, -1, 0}));
  EXPECT_EQ(series(out.result, "rule_changed"), (std::vector<double>{1, 0, 0, 0, 0}));
}

TEST(CollectiveChoice, Vote_ClosedFormCases) {
  std::vector<double> prefs{6, 1, 5, 3, 2};
  CollectiveChoice::Outcome o = CollectiveChoice::vote(prefs, 4.0, 0.6);
  EXPECT_EQ(o.proposal, 3.0);
  EXPECT_EQ(o.vote_share, 0.6);
  EXPECT_TRUE(o.passed);
  // No limit yet: every finite proposal is closer than "no limit".
  prefs = {6, 1, 5, 3, 2};
  o = CollectiveChoice::vote(prefs, std::numeric_limits<double>::infinity(), 1.0);
  EXPECT_EQ(o.vote_share, 1.0);
  EXPECT_TRUE(o.passed);
  // The proposal is the status quo: nobody strictly prefers it.
  prefs = {6, 1, 5, 3, 2};
  o = CollectiveChoice::vote(prefs, 3.0, 0.01);
  EXPECT_EQ(o.vote_share, 0.0);
  EXPECT_FALSE(o.passed);
  std::vector<double> none;
  o = CollectiveChoice::vote(none, 3.0, 0.5);
  EXPECT_TRUE(std::isnan(o.proposal));
  EXPECT_FALSE(o.passed);
}

TEST(CollectiveChoice, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<CollectiveChoice>({{"interval", std::int64_t{0}}}),
            "collective_choice: interval must be at least 1, got 0");
  EXPECT_EQ(refusal<CollectiveChoice>({{"interval", 1.5}}),
            "collective_choice: interval must be a whole number, got 1.5");
  EXPECT_EQ(refusal<CollectiveChoice>({{"threshold", 0.0}}), "collective_choice: threshold must be above 0, got 0");
  EXPECT_EQ(refusal<CollectiveChoice>({{"threshold", 1.5}}),
            "collective_choice: threshold must be between 0 and 1, got 1.5");
  EXPECT_EQ(refusal<CollectiveChoice>({{"threshold", std::int64_t{1}}}), "accepted");
  const CollectiveChoice::Parameters p = CollectiveChoice::Parameters::from(sim::Parameters{});
  EXPECT_EQ(p.interval, 1);
  EXPECT_EQ(p.threshold, 0.5);
}

TEST(CollectiveChoice, Stewards_VoteTheMembersEqualShareOfTheOptimum) {
  // Boats that want 2 each; stewards (the default) prefer their share of the MEY effort.
  const sim::ScenarioSpec spec = scenario({{4, 2.0, 25.0}}, 1, {rule("appropriation_rule", {{"limit", 4.0}}),
                                                                rule("collective_choice")});
  const models::FisheryLogistic fishery(models::FisheryLogistic::Parameters::from(spec.resource.parameters));
  const double share = fishery.maximum_economic_yield(spec.economics).effort / 4.0;
  const Outcome out = run_all(spec);
  EXPECT_DOUBLE_EQ(series(out.result, "proposal")[0], share);
  EXPECT_EQ(series(out.result, "vote_share")[0], 1.0);
}

TEST(CollectiveChoice, HalfStewards_VoteHalfwayBetweenShareAndIntention) {
  const sim::ScenarioSpec spec = scenario({{4, 2.0, 25.0}}, 1, {rule("appropriation_rule", {{"limit", 4.0}}),
                                                                rule("collective_choice", {{"stewardship", 0.5}})});
  const models::FisheryLogistic fishery(models::FisheryLogistic::Parameters::from(spec.resource.parameters));
  const double share = fishery.maximum_economic_yield(spec.economics).effort / 4.0;
  EXPECT_DOUBLE_EQ(series(run_all(spec).result, "proposal")[0], 0.5 * share + 0.5 * 2.0);
}

// ------------------------------------------------------------------- graduated_sanctions

// Agent 0 is detected in steps 0-3 and 10 of a ladder 0 (warning), 10, 20 with exclusion for
// 2 steps and forgiveness after 3 clean steps. Steps 0-2 climb the ladder (0, 10, 20); step 3
// is past its end: 20 again and exclusion in steps 4 and 5. Clean steps 4-6 drop it to rung
// 2, clean steps 7-9 to rung 1, so the detection in step 10 costs 10. Agent 1 is never
// detected.
TEST(GraduatedSanctions, EscalatesExcludesAndForgivesExactlyAsConfigured) {
  ScriptedDetection::Script script;
  for (std::int64_t step : {0, 1, 2, 3, 10}) script[step] = {{0, 1.0}};
  const sim::ScenarioSpec spec =
      scenario({{2, 1.0, 25.0}}, 11,
               {rule("scripted_detection"),
                rule("graduated_sanctions", {{"fines", std::vector<double>{0.0, 10.0, 20.0}},
                                             {"exclusion_steps", std::int64_t{2}},
                                             {"forgive_after", std::int64_t{3}}}),
                full_compliance()});
  const std::vector<StepState> states = states_by_step(spec, registry_with(script));
  ASSERT_EQ(states.size(), 11U);
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> fine, announced, limit, effort, other_fine;
  for (const auto& [efforts, t] : states) {
    fine.push_back(t.fine[0]);
    announced.push_back(t.fine_per_violation[0]);
    limit.push_back(t.effort_limit[0]);
    effort.push_back(efforts[0]);
    other_fine.push_back(t.fine[1] + t.fine_per_violation[1]);
    EXPECT_EQ(t.effort_limit[1], inf);
  }
  EXPECT_EQ(fine, (std::vector<double>{0, 10, 20, 20, 0, 0, 0, 0, 0, 0, 10}));
  EXPECT_EQ(announced, (std::vector<double>{0, 10, 20, 20, 20, 20, 20, 20, 20, 20, 10}));
  EXPECT_EQ(limit, (std::vector<double>{inf, inf, inf, inf, 0, 0, inf, inf, inf, inf, inf}));
  EXPECT_EQ(effort, (std::vector<double>{1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1}));
  EXPECT_EQ(other_fine, std::vector<double>(11, 0.0));
  const Outcome out = run_all(spec, registry_with(script));
  EXPECT_EQ(series(out.result, "warnings"), (std::vector<double>{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(series(out.result, "exclusions"), (std::vector<double>{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(series(out.result, "fines"), fine);
}

// Without exclusion the top fine repeats; a fine is paid once per step whatever the number
// of breaches found; without forgiveness the rung never falls.
TEST(GraduatedSanctions, NoExclusionNoForgiveness_TopFineRepeatsOncePerStep) {
  ScriptedDetection::Script script;
  for (std::int64_t step : {0, 1, 2, 6}) script[step] = {{0, 2.0}};
  const sim::ScenarioSpec spec = scenario(
      {{1, 1.0, 25.0}}, 7,
      {rule("scripted_detection"), rule("graduated_sanctions", {{"fines", std::vector<double>{5.0, 7.0}}})});
  std::vector<double> fine, limit;
  for (const StepState& state : states_by_step(spec, registry_with(script))) {
    fine.push_back(state.ledger.fine[0]);
    limit.push_back(state.ledger.effort_limit[0]);
  }
  EXPECT_EQ(fine, (std::vector<double>{5, 7, 7, 0, 0, 0, 7}));
  EXPECT_EQ(limit, std::vector<double>(7, std::numeric_limits<double>::infinity()));
}

// Exclusion for k = 3 steps from the step after the sentence, then back to fishing; the
// compliant agent's effort is 0 in exactly those steps.
TEST(GraduatedSanctions, ExclusionLastsExactlyExclusionSteps) {
  ScriptedDetection::Script script;
  script[1] = {{0, 1.0}};
  script[2] = {{0, 1.0}};
  const sim::ScenarioSpec spec =
      scenario({{1, 1.0, 25.0}}, 8,
               {rule("scripted_detection"),
                rule("graduated_sanctions",
                     {{"fines", std::vector<double>{4.0}}, {"exclusion_steps", std::int64_t{3}}}),
                full_compliance()});
  const Outcome out = run_all(spec, registry_with(script));
  EXPECT_EQ(series(out.result, "effort"), (std::vector<double>{1, 1, 1, 0, 0, 0, 1, 1}));
  EXPECT_EQ(series(out.result, "fines"), (std::vector<double>{0, 4, 4, 0, 0, 0, 0, 0}));
  EXPECT_EQ(series(out.result, "exclusions"), (std::vector<double>{0, 0, 1, 0, 0, 0, 0, 0}));
}

TEST(GraduatedSanctions, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<GraduatedSanctions>({}), "graduated_sanctions: fines is required");
  EXPECT_EQ(refusal<GraduatedSanctions>({{"fines", std::vector<double>{}}}),
            "graduated_sanctions: fines must list at least one fine");
  EXPECT_EQ(refusal<GraduatedSanctions>({{"fines", std::string("many")}}),
            "graduated_sanctions: fines must be a list of numbers");
  EXPECT_EQ(refusal<GraduatedSanctions>({{"fines", std::vector<double>{0.0, -10.0}}}),
            "graduated_sanctions: fines must be at least 0, got -10");
  EXPECT_EQ(refusal<GraduatedSanctions>({{"fines", 5.0}, {"exclusion_steps", std::int64_t{-1}}}),
            "graduated_sanctions: exclusion_steps must be at least 0, got -1");
  EXPECT_EQ(refusal<GraduatedSanctions>({{"fines", 5.0}, {"forgive_after", 0.5}}),
            "graduated_sanctions: forgive_after must be a whole number, got 0.5");
  EXPECT_EQ(refusal<GraduatedSanctions>({{"fines", std::int64_t{5}}}), "accepted");
}

// ------------------------------------------------------------------- conflict_resolution

// Agent 0 breaks a cap of 1 and is found; agent 1 keeps it but is flagged anyway; agent 2 is
// left alone. Both found pay the ladder's 10; only agent 1, wrongly accused, appeals (3) and
// has its fine refunded.
TEST(ConflictResolution, RefundsOnlyTheWronglyAccusedAndChargesTheAppeal) {
  ScriptedDetection::Script script;
  script[0] = {{0, 1.0}, {1, 1.0}};
  const auto run_with = [&](double overturn) {
    return run_all(
        scenario({{1, 2.0, 25.0}, {2, 1.0, 25.0}}, 1,
                 {rule("effort_cap", {{"cap", 1.0}}), rule("scripted_detection"),
                  rule("graduated_sanctions", {{"fines", 10.0}}),
                  rule("conflict_resolution", {{"appeal_cost", 3.0}, {"overturn_probability", overturn}})}),
        registry_with(script));
  };
  const Outcome out = run_with(1.0);
  EXPECT_EQ(out.ledger.fine, (std::vector<double>{10, 0, 0}));
  EXPECT_EQ(out.ledger.fee, (std::vector<double>{0, 3, 0}));
  EXPECT_EQ(out.agents.income, (std::vector<double>{160 - 50 - 10, 80 - 25 - 3, 80 - 25}));
  EXPECT_EQ(series(out.result, "appeals"), std::vector<double>{1.0});
  EXPECT_EQ(series(out.result, "overturned"), std::vector<double>{1.0});
  EXPECT_EQ(series(out.result, "fines"), std::vector<double>{10.0});
  // A court that never overturns still costs the appeal.
  const Outcome lost = run_with(0.0);
  EXPECT_EQ(lost.ledger.fine, (std::vector<double>{10, 10, 0}));
  EXPECT_EQ(lost.ledger.fee, (std::vector<double>{0, 3, 0}));
  EXPECT_EQ(series(lost.result, "appeals"), std::vector<double>{1.0});
  EXPECT_EQ(series(lost.result, "overturned"), std::vector<double>{0.0});
}

// Half the agents flagged wrongly; with q = 0.3 an appeal succeeds exactly when the run's
// draw falls below q.
TEST(ConflictResolution, OverturnProbability_AppealsWonExactlyByTheDraws) {
  const sim::ScenarioSpec spec =
      scenario({{2000, 0.01, 25.0}}, 1,
               {rule("flag_every", {{"every", std::int64_t{2}}}), rule("graduated_sanctions", {{"fines", 8.0}}),
                rule("conflict_resolution", {{"appeal_cost", 0.5}, {"overturn_probability", 0.3}})});
  const Outcome out = run_all(spec, registry_with({}));
  const sim::RandomStream random(spec.seed, 0);
  double won = 0.0;
  for (std::size_t i = 0; i < out.agents.size(); ++i) {
    const bool flagged = out.agents.id[i] % 2 == 0;
    const bool wins =
        flagged && random.uniform(0, out.agents.id[i], sim::Purpose::sanction, ConflictResolution::draw_index()) < 0.3;
    won += wins ? 1.0 : 0.0;
    EXPECT_EQ(out.ledger.fee[i], flagged ? 0.5 : 0.0) << i;
    EXPECT_EQ(out.ledger.fine[i], flagged && !wins ? 8.0 : 0.0) << i;
  }
  EXPECT_EQ(series(out.result, "appeals"), std::vector<double>{1000.0});
  EXPECT_EQ(series(out.result, "overturned"), std::vector<double>{won});
  EXPECT_NEAR(won / 1000.0, 0.3, 4.0 * std::sqrt(0.3 * 0.7 / 1000.0));
}

TEST(ConflictResolution, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<ConflictResolution>({{"appeal_cost", -1.0}}),
            "conflict_resolution: appeal_cost must be at least 0, got -1");
  EXPECT_EQ(refusal<ConflictResolution>({{"overturn_probability", 1.5}}),
            "conflict_resolution: overturn_probability must be between 0 and 1, got 1.5");
  EXPECT_EQ(refusal<ConflictResolution>({}), "accepted");
}

// ------------------------------------------------------------------------------ together

TEST(LocalRules, Registered_UnderTheirScenarioNamesWithDesignPrinciples) {
  const auto principles = [](const std::string& name, Values values) {
    const auto rules = default_registry().make_rules({"open_access", {rule(name, std::move(values))}});
    return rules.at(0).rule->design_principles();
  };
  EXPECT_EQ(principles("membership", {}), std::vector<int>{1});
  EXPECT_EQ(principles("appropriation_rule", {{"limit", 1.0}}), std::vector<int>{2});
  EXPECT_EQ(principles("collective_choice", {}), std::vector<int>{3});
  EXPECT_EQ(principles("graduated_sanctions", {{"fines", 1.0}}), std::vector<int>{5});
  EXPECT_EQ(principles("conflict_resolution", {}), std::vector<int>{6});
}

// Switched on mid-run: boundaries hold only in the rule's steps, and a ladder counts only the
// detections made while it is in force.
TEST(LocalRules, Schedule_RulesActOnlyInTheirStepsAndRecordNaNOutOfForce) {
  ScriptedDetection::Script script;
  for (std::int64_t step : {0, 1, 2, 3}) script[step] = {{0, 1.0}};
  const Outcome out = run_all(
      scenario({{4, 1.0, 25.0}}, 4,
               {rule("membership", {{"members", 0.5}}, 1, 3), rule("scripted_detection"),
                rule("graduated_sanctions", {{"fines", std::vector<double>{1.0, 2.0, 3.0}}}, 2), full_compliance()}),
      registry_with(script));
  EXPECT_EQ(series(out.result, "effort"), (std::vector<double>{4, 2, 2, 4}));
  EXPECT_EQ(with_nan_as(series(out.result, "intrusions"), -1.0), (std::vector<double>{-1, 0, 0, -1}));
  EXPECT_EQ(series(out.result, "fines"), (std::vector<double>{0, 0, 1, 2}));
  EXPECT_EQ(with_nan_as(series(out.result, "warnings"), -1.0), (std::vector<double>{-1, -1, 0, 0}));
}

// Every mechanism at once on more agents than one block holds: the results are the same bit
// for bit whether the blocks run in parallel or in order.
TEST(LocalRules, Determinism_ParallelAndSerialAgree) {
  const sim::ScenarioSpec spec =
      scenario({{2000, 0.004, 25.0}, {2000, 0.006, 30.0}, {2000, 0.008, 20.0}, {2000, 0.010, 25.0},
                {2000, 0.012, 25.0}},
               8,
               {rule("membership", {{"members", 0.8}, {"exclusion_probability", 0.4}, {"exclusion_cost", 2.0},
                                    {"fine", 0.05}}),
                rule("appropriation_rule", {{"limit", 0.005}}),
                rule("collective_choice", {{"stewardship", 0.0}, {"interval", std::int64_t{3}}}),
                rule("inspection", {{"probability", 0.3}, {"fine_per_violation", 0.01}}),
                rule("flag_every", {{"every", std::int64_t{13}}}),
                rule("graduated_sanctions", {{"fines", std::vector<double>{0.0, 0.02, 0.04}},
                                             {"exclusion_steps", std::int64_t{2}},
                                             {"forgive_after", std::int64_t{2}}}),
                rule("conflict_resolution", {{"appeal_cost", 0.001}, {"overturn_probability", 0.5}}),
                rule("compliance")});
  const sim::Registry registry = registry_with({});
  const Outcome parallel = run_all(spec, registry, sim::ExecutionPolicy{true});
  const Outcome serial = run_all(spec, registry, sim::ExecutionPolicy{false});
  ASSERT_EQ(parallel.result.series.size(), serial.result.series.size());
  for (std::size_t s = 0; s < serial.result.series.size(); ++s) {
    const auto& a = parallel.result.series[s].values;
    const auto& b = serial.result.series[s].values;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t t = 0; t < a.size(); ++t)
      EXPECT_EQ(std::bit_cast<std::uint64_t>(a[t]), std::bit_cast<std::uint64_t>(b[t]))
          << serial.result.series[s].info.name << " step " << t;
  }
  EXPECT_EQ(parallel.agents.cumulative_income, serial.agents.cumulative_income);
  // The run exercised every mechanism.
  const auto total = [&](const std::string& name) {
    const std::vector<double> values = with_nan_as(series(serial.result, name), 0.0);
    return std::accumulate(values.begin(), values.end(), 0.0);
  };
  for (const char* name : {"intrusions", "exclusion_cost", "rule_changed", "warnings", "exclusions", "appeals",
                           "overturned", "violations_detected"})
    EXPECT_GT(total(name), 0.0) << name;
}

}  // namespace
}  // namespace commons::models
