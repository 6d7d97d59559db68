// SPDX-License-Identifier: Apache-2.0
// The spatial rules (no_take_area, territorial_use_rights) on the toy pools, with boats posted
// at known sites: who breaches, who is caught, who is fined, and when sites close.
#include <commons/models/governance/no_take_area.hpp>
#include <commons/models/governance/territorial_use_rights.hpp>
#include <commons/sim/preflight.hpp>

#include <spatial_rules_world.hpp>

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <string>
#include <vector>

namespace commons::models {
namespace {

using testing::Outcome;
using testing::Posting;
using testing::posted_scenario;
using testing::rule;
using testing::series;

Outcome run_posted(const sim::ScenarioSpec& spec, sim::ExecutionPolicy policy = {}) {
  static const sim::Registry registry = testing::spatial_rules_registry();
  return testing::run_all(spec, registry, policy);
}

/// What preflight says of `spec` (the loader adds the rule's place in the file), or "accepted".
std::string preflight_refusal(const sim::ScenarioSpec& spec) {
  static const sim::Registry registry = testing::spatial_rules_registry();
  try {
    sim::preflight(spec, registry);
  } catch (const sim::ComponentError& error) {
    return error.what();
  }
  return "accepted";
}

std::vector<double> sites_list(std::initializer_list<double> sites) { return sites; }

// ---------------------------------------------------------------------------- no_take_area

// A 3 x 3 grid with its top row closed; boats at sites 0, 4, 2 and 8 (two inside, two out).
TEST(NoTakeArea, Fixed_WorkAtAClosedSiteIsABreachOfAllItsEffort) {
  const std::vector<sim::RuleSpec> rules{
      rule("no_take_area", {{"rows", sites_list({0, 0})}, {"columns", sites_list({0, 2})}})};
  const Outcome out = run_posted(posted_scenario(3, 3, 3.0, {{4, {0, 4, 2, 8}, 1.5}}, 4, rules));
  EXPECT_EQ(out.ledger.violations, (std::vector<double>{1, 0, 1, 0}));
  EXPECT_EQ(out.ledger.excess_effort, (std::vector<double>{1.5, 0, 1.5, 0}));
  EXPECT_EQ(out.ledger.detected, (std::vector<double>(4, 0.0)));
  EXPECT_EQ(series(out.result, "violations"), (std::vector<double>(4, 2.0)));
  EXPECT_EQ(series(out.result, "violations_detected"), (std::vector<double>(4, 0.0)));
  EXPECT_EQ(series(out.result, "closed_sites"), (std::vector<double>(4, 3.0)));
  // Sites 0 and 2 lose 1.5 of their inflow of 3 each step, site 1 none: 9 + 6t at the start
  // of step t.
  EXPECT_EQ(series(out.result, "closed_area_stock"), (std::vector<double>{9, 15, 21, 27}));
  EXPECT_EQ(out.ledger.sites.closed, (std::vector<std::uint8_t>{1, 1, 1, 0, 0, 0, 0, 0, 0}));
}

// Sites given as a list close exactly those sites, on a graph as on a grid.
TEST(NoTakeArea, SitesOnARing_CloseOnlyTheListedSites) {
  const std::vector<sim::RuleSpec> rules{rule("no_take_area", {{"sites", sites_list({4, 1})}})};
  const Outcome out = run_posted(posted_scenario(0, 5, 3.0, {{5, {0, 1, 2, 3, 4}, 1.0}}, 2, rules));
  EXPECT_EQ(out.ledger.sites.closed, (std::vector<std::uint8_t>{0, 1, 0, 0, 1}));
  EXPECT_EQ(out.ledger.violations, (std::vector<double>{0, 1, 0, 0, 1}));
  EXPECT_EQ(series(out.result, "closed_sites"), (std::vector<double>{2, 2}));
}

// Every boat works the closed site, so each agent-step is one breach; the patrol catches
// exactly the agents whose draw (step, id, monitor, draw_index) falls below the probability.
TEST(NoTakeArea, Detection_CatchesTheAgentsWhoseDrawFallsBelowTheProbability) {
  const std::int64_t agents = 40;
  const std::int64_t steps = 50;
  for (const double p : {0.0, 0.3, 1.0}) {
    const std::vector<sim::RuleSpec> rules{
        rule("no_take_area", {{"sites", sites_list({0})}, {"detection_probability", p}})};
    const sim::ScenarioSpec spec = posted_scenario(1, 2, 3.0, {{agents, {0}, 0.25}}, steps, rules);
    const Outcome out = run_posted(spec);
    const sim::RandomStream random(spec.seed, 0);
    double caught = 0.0;
    for (std::int64_t t = 0; t < steps; ++t) {
      double caught_in_step = 0.0;
      for (std::size_t i = 0; i < out.agents.size(); ++i)
        caught_in_step += random.uniform(static_cast<std::uint64_t>(t), out.agents.id[i], sim::Purpose::monitor,
                                         NoTakeArea::draw_index) < p
                              ? 1.0
                              : 0.0;
      EXPECT_EQ(series(out.result, "violations_detected")[static_cast<std::size_t>(t)], caught_in_step)
          << "p " << p << " step " << t;
      caught += caught_in_step;
    }
    EXPECT_EQ(series(out.result, "violations"), (std::vector<double>(steps, static_cast<double>(agents))));
    // The patrol's chance combined with nobody else's: 1 - (1 - 0)(1 - p).
    EXPECT_EQ(out.ledger.sites.detection, (std::vector<double>{1.0 - (1.0 - p), 0.0}));
    const double trials = static_cast<double>(agents * steps);
    if (p == 0.0) {
      EXPECT_EQ(caught, 0.0);
    } else if (p == 1.0) {
      EXPECT_EQ(caught, trials);
    } else {
      // Five standard errors of a binomial count: a wrong draw index or probability fails.
      EXPECT_NEAR(caught, p * trials, 5.0 * std::sqrt(trials * p * (1.0 - p)));
    }
  }
}

// graduated_sanctions fines what anyone detected; inspection fines only what its own
// inspectors found, whoever else detected it.
TEST(NoTakeArea, Sanctions_GraduatedSanctionsFineThePatrolsFinds_InspectionOnlyItsOwn) {
  // Boats 0 and 2 inside the area, 1 and 3 outside, each with effort 1.5.
  const auto fines_with = [](std::vector<sim::RuleSpec> enforcement, double detection) {
    std::vector<sim::RuleSpec> rules{
        rule("no_take_area", {{"sites", sites_list({0})}, {"detection_probability", detection}})};
    for (sim::RuleSpec& r : enforcement) rules.push_back(std::move(r));
    return run_posted(posted_scenario(1, 2, 8.0, {{4, {0, 1}, 1.5}}, 3, std::move(rules)));
  };
  const Outcome ladder = fines_with({rule("graduated_sanctions", {{"fines", sites_list({5, 7})}})}, 1.0);
  EXPECT_EQ(series(ladder.result, "fines"), (std::vector<double>{10, 14, 14}));
  EXPECT_EQ(ladder.ledger.fine, (std::vector<double>{7, 0, 7, 0}));
  const Outcome patrol_only = fines_with({rule("inspection", {{"probability", 0.0}, {"fine_per_excess", 2.0}})}, 1.0);
  EXPECT_EQ(series(patrol_only.result, "violations_detected"), (std::vector<double>{2, 2, 2}));
  EXPECT_EQ(series(patrol_only.result, "fines"), (std::vector<double>{0, 0, 0}));
  // Inspectors who see everyone find the same breaches: fined per unit of excess effort, all
  // 1.5 of it, and detected once.
  const Outcome inspected = fines_with({rule("inspection", {{"probability", 1.0}, {"fine_per_excess", 2.0}})}, 1.0);
  EXPECT_EQ(series(inspected.result, "violations_detected"), (std::vector<double>{2, 2, 2}));
  EXPECT_EQ(series(inspected.result, "fines"), (std::vector<double>{6, 6, 6}));
  EXPECT_EQ(inspected.ledger.fine, (std::vector<double>{3, 0, 3, 0}));
}

// A seasonal area is closed exactly in the listed offsets of its cycle, from step 0 of the run.
TEST(NoTakeArea, Seasonal_ClosesExactlyTheListedOffsets) {
  const std::vector<sim::RuleSpec> rules{rule("no_take_area", {{"sites", sites_list({1, 2})},
                                                               {"mode", std::string("seasonal")},
                                                               {"period", std::int64_t{4}},
                                                               {"closed", sites_list({1, 3})}})};
  const Outcome out = run_posted(posted_scenario(1, 3, 3.0, {{3, {0, 1, 2}, 1.0}}, 8, rules));
  EXPECT_EQ(series(out.result, "closed_sites"), (std::vector<double>{0, 2, 0, 2, 0, 2, 0, 2}));
  EXPECT_EQ(series(out.result, "violations"), (std::vector<double>{0, 2, 0, 2, 0, 2, 0, 2}));
}

// Site 0 is fished by four boats of effort 1 from a pool of 3: each lands 3/4, a catch per
// unit effort of 0.75 against the reference of 1. Site 1 is fished by one boat, which lands
// its effort. Site 2 is nobody's.
TEST(NoTakeArea, RealTime_ClosesASiteForClosureStepsAfterItsCatchRateFell) {
  const auto closed_sites = [](double trigger) {
    const std::vector<sim::RuleSpec> rules{rule("no_take_area", {{"sites", sites_list({0, 1, 2})},
                                                                 {"mode", std::string("real_time")},
                                                                 {"cpue_trigger", trigger},
                                                                 {"closure_steps", std::int64_t{2}}})};
    return series(run_posted(posted_scenario(1, 3, 3.0, {{4, {0}, 1.0}, {1, {1}, 1.0}}, 9, rules)).result,
                  "closed_sites");
  };
  // 0.75 < 0.8: closed in the two steps after each open step; the boats fish it anyway, and
  // the catch rate of a closed site changes nothing.
  EXPECT_EQ(closed_sites(0.8), (std::vector<double>{0, 1, 1, 0, 1, 1, 0, 1, 1}));
  // A catch rate at the trigger is not below it.
  EXPECT_EQ(closed_sites(0.75), (std::vector<double>(9, 0.0)));
}

// The rule acts in steps [from, until): before and after, no site is closed and nothing is a
// breach, and its variables are NaN.
TEST(NoTakeArea, OutOfForce_RightsLapse) {
  const std::vector<sim::RuleSpec> rules{rule("no_take_area", {{"sites", sites_list({0})}}, 2, 4)};
  const Outcome out = run_posted(posted_scenario(1, 2, 3.0, {{2, {0, 1}, 1.0}}, 6, rules));
  EXPECT_EQ(series(out.result, "violations"), (std::vector<double>{0, 0, 1, 1, 0, 0}));
  EXPECT_EQ(testing::with_nan_as(series(out.result, "closed_sites"), -1.0), (std::vector<double>{-1, -1, 1, 1, -1, -1}));
  EXPECT_TRUE(std::isnan(series(out.result, "closed_area_stock")[5]));
  EXPECT_EQ(out.ledger.sites.closed, (std::vector<std::uint8_t>{0, 0}));
}

TEST(NoTakeArea, Parameters_RefusedNamingTheKey) {
  using testing::refusal;
  using Values = testing::Values;
  EXPECT_EQ(refusal<NoTakeArea>({}), "no_take_area: give the area as sites, or as rows and columns, not both or neither");
  EXPECT_EQ(refusal<NoTakeArea>({{"sites", sites_list({1})}, {"rows", sites_list({0, 1})}}),
            "no_take_area: give the area as sites, or as rows and columns, not both or neither");
  EXPECT_EQ(refusal<NoTakeArea>({{"rows", sites_list({0, 1})}}),
            "no_take_area: a rectangle needs both rows and columns, as [first, last]");
  EXPECT_EQ(refusal<NoTakeArea>({{"rows", sites_list({2, 1})}, {"columns", sites_list({0, 1})}}),
            "no_take_area: rows must be [first, last] with first <= last, got [2, 1]");
  EXPECT_EQ(refusal<NoTakeArea>({{"rows", sites_list({1})}, {"columns", sites_list({0, 1})}}),
            "no_take_area: rows must be [first, last], two whole numbers");
  EXPECT_EQ(refusal<NoTakeArea>({{"sites", sites_list({3, 1, 3})}}), "no_take_area: sites names site 3 twice");
  EXPECT_EQ(refusal<NoTakeArea>({{"sites", sites_list({-1})}}),
            "no_take_area: sites must hold whole numbers at least 0, got -1");
  const Values fixed_with_period{{"sites", sites_list({1})}, {"period", std::int64_t{4}}};
  EXPECT_EQ(refusal<NoTakeArea>(fixed_with_period), "no_take_area: period applies only to mode seasonal");
  EXPECT_EQ(refusal<NoTakeArea>({{"sites", sites_list({1})}, {"mode", std::string("seasonal")}}),
            "no_take_area: period is required");
  EXPECT_EQ(refusal<NoTakeArea>(
                {{"sites", sites_list({1})}, {"mode", std::string("seasonal")}, {"period", std::int64_t{4}}}),
            "no_take_area: closed is required");
  EXPECT_EQ(refusal<NoTakeArea>({{"sites", sites_list({1})},
                                 {"mode", std::string("seasonal")},
                                 {"period", std::int64_t{4}},
                                 {"closed", sites_list({4})}}),
            "no_take_area: closed offsets must be whole numbers in [0, period) = [0, 4), got 4");
  EXPECT_EQ(refusal<NoTakeArea>({{"sites", sites_list({1})}, {"cpue_trigger", 0.5}}),
            "no_take_area: cpue_trigger applies only to mode real_time");
  EXPECT_EQ(refusal<NoTakeArea>(
                {{"sites", sites_list({1})}, {"mode", std::string("real_time")}, {"closure_steps", std::int64_t{2}}}),
            "no_take_area: cpue_trigger is required");
  EXPECT_EQ(refusal<NoTakeArea>({{"sites", sites_list({1})}, {"mode", std::string("real_time")}, {"cpue_trigger", 0.0}}),
            "no_take_area: cpue_trigger must be greater than 0");
  EXPECT_EQ(refusal<NoTakeArea>({{"sites", sites_list({1})}, {"mode", std::string("real_time")}, {"cpue_trigger", 0.5}}),
            "no_take_area: closure_steps is required");
  EXPECT_EQ(refusal<NoTakeArea>({{"sites", sites_list({1})}, {"mode", std::string("daily")}}),
            "no_take_area: mode must be one of \"fixed\", \"seasonal\", \"real_time\"; got \"daily\"");
  EXPECT_EQ(refusal<NoTakeArea>({{"sites", sites_list({1})}, {"detection_probability", 1.5}}),
            "no_take_area: detection_probability must be between 0 and 1, got 1.5");
}

// What only the world can tell: whether the resource has sites, and enough of them.
TEST(NoTakeArea, Check_RefusesAreasTheResourceCannotHold) {
  const auto refusal_on = [](double rows, double columns, testing::Values area) {
    return preflight_refusal(posted_scenario(rows, columns, 3.0, {{2, {0}, 1.0}}, 2, {rule("no_take_area", area)}));
  };
  EXPECT_EQ(refusal_on(3, 3, {{"sites", sites_list({2, 9})}}),
            "no_take_area: sites names site 9 but the resource has 9 sites (0 to 8)");
  EXPECT_EQ(refusal_on(3, 4, {{"rows", sites_list({1, 3})}, {"columns", sites_list({0, 1})}}),
            "no_take_area: rows [1, 3] reach beyond the grid's 3 rows (0 to 2)");
  EXPECT_EQ(refusal_on(3, 4, {{"rows", sites_list({1, 2})}, {"columns", sites_list({2, 4})}}),
            "no_take_area: columns [2, 4] reach beyond the grid's 4 columns (0 to 3)");
  EXPECT_EQ(refusal_on(0, 6, {{"rows", sites_list({0, 0})}, {"columns", sites_list({0, 1})}}),
            "no_take_area: rows and columns need sites on a grid; the resource's 6 sites form a "
            "graph: list them as sites");
  EXPECT_EQ(refusal_on(3, 4, {{"rows", sites_list({1, 2})}, {"columns", sites_list({2, 3})}}), "accepted");
  const sim::ScenarioSpec fishery = testing::boats_scenario({{2, 1.0}}, 2, {rule("no_take_area", {{"sites", sites_list({0})}})});
  const std::string no_sites = "no_take_area: needs a resource with sites (a grid or a graph of them); this one has none";
  EXPECT_EQ(preflight_refusal(fishery), no_sites);
  // A run built without preflight refuses it too, rather than reading sites that do not exist.
  try {
    static_cast<void>(testing::run_all(fishery));
    ADD_FAILURE() << "accepted";
  } catch (const sim::SpecError& error) {
    EXPECT_EQ(error.what(), no_sites);
  }
}

// ---------------------------------------------------------------------------- territorial_use_rights

TEST(TerritorialUseRights, DefaultBlocks_EqualAndContiguous_FirstHoldersTakeTheRemainder) {
  const TerritorialUseRights rights(TerritorialUseRights::Parameters{});
  EXPECT_EQ(rights.holder_of_sites(8, 3), (std::vector<std::uint32_t>{0, 0, 0, 1, 1, 1, 2, 2}));
  EXPECT_EQ(rights.holder_of_sites(6, 3), (std::vector<std::uint32_t>{0, 0, 1, 1, 2, 2}));
  EXPECT_EQ(rights.holder_of_sites(3, 3), (std::vector<std::uint32_t>{0, 1, 2}));
}

// Two groups on a 2 x 2 grid: group 0 holds the top row (sites 0, 1), group 1 the bottom
// (2, 3). One boat of each group fishes at home, one in the other's territory.
TEST(TerritorialUseRights, ByGroup_OnlyTheHoldingGroupMayWorkItsSites) {
  const std::vector<sim::RuleSpec> rules{rule("territorial_use_rights")};
  const Outcome out = run_posted(posted_scenario(2, 2, 3.0, {{2, {0, 2}, 1.0}, {2, {3, 1}, 1.0}}, 3, rules));
  EXPECT_EQ(out.ledger.sites.holder_group, (std::vector<std::uint32_t>{0, 0, 1, 1}));
  EXPECT_EQ(out.ledger.sites.holder_agent, (std::vector<std::size_t>(4, sim::SiteRights::no_agent)));
  // Rows 1 (group 0 at site 2) and 3 (group 1 at site 1) intrude.
  EXPECT_EQ(out.ledger.violations, (std::vector<double>{0, 1, 0, 1}));
  EXPECT_EQ(out.ledger.excess_effort, (std::vector<double>{0, 1, 0, 1}));
  EXPECT_EQ(series(out.result, "territory_intrusions"), (std::vector<double>{2, 2, 2}));
  EXPECT_EQ(series(out.result, "territory_intrusions_detected"), (std::vector<double>{0, 0, 0}));
}

// Three agents on a 2 x 4 grid hold sites 0-2, 3-5 and 6-7; each works its own first site,
// except agent 2, which works agent 0's site 1.
TEST(TerritorialUseRights, ByAgent_EachAgentHoldsItsBlock) {
  const std::vector<sim::RuleSpec> rules{
      rule("territorial_use_rights", {{"holder", std::string("agent")}, {"detection_probability", 1.0}})};
  const Outcome out = run_posted(posted_scenario(2, 4, 3.0, {{3, {0, 3, 1}, 1.0}}, 2, rules));
  EXPECT_EQ(out.ledger.sites.holder_agent, (std::vector<std::size_t>{0, 0, 0, 1, 1, 1, 2, 2}));
  EXPECT_EQ(out.ledger.sites.detection, (std::vector<double>(8, 1.0)));
  EXPECT_EQ(out.ledger.violations, (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(out.ledger.detected, (std::vector<double>{0, 0, 1}));
  EXPECT_EQ(series(out.result, "territory_intrusions"), (std::vector<double>{1, 1}));
  EXPECT_EQ(series(out.result, "territory_intrusions_detected"), (std::vector<double>{1, 1}));
}

// Explicit territories: site 1 is open to all; group 1 holds sites 0 and 3, group 0 site 2.
TEST(TerritorialUseRights, ExplicitTerritories_AndSitesNoOneHolds) {
  const std::vector<sim::RuleSpec> rules{
      rule("territorial_use_rights", {{"territories", sites_list({1, -1, 0, 1})}, {"detection_probability", 0.5}})};
  // Group 0 works sites 0 (intrusion), 1 (open) and 2 (its own); group 1 works 1, 3 and 2.
  const Outcome out =
      run_posted(posted_scenario(2, 2, 9.0, {{3, {0, 1, 2}, 1.0}, {3, {0, 0, 0, 1, 3, 2}, 1.0}}, 1, rules));
  EXPECT_EQ(out.ledger.sites.holder_group, (std::vector<std::uint32_t>{1, sim::SiteRights::no_group, 0, 1}));
  EXPECT_EQ(out.ledger.sites.detection, (std::vector<double>{0.5, 0.0, 0.5, 0.5}));
  EXPECT_EQ(out.ledger.violations, (std::vector<double>{1, 0, 0, 0, 0, 1}));
  EXPECT_EQ(series(out.result, "territory_intrusions"), (std::vector<double>{2}));
}

// With graduated sanctions the holders' detections are fined.
TEST(TerritorialUseRights, DetectedIntrudersAreSanctionedByTheEnforcementRules) {
  const std::vector<sim::RuleSpec> rules{rule("territorial_use_rights", {{"detection_probability", 1.0}}),
                                         rule("graduated_sanctions", {{"fines", sites_list({4})}})};
  const Outcome out = run_posted(posted_scenario(1, 2, 3.0, {{2, {0, 1}, 1.0}, {1, {0}, 1.0}}, 2, rules));
  EXPECT_EQ(out.ledger.fine, (std::vector<double>{0, 4, 4}));
  EXPECT_EQ(series(out.result, "fines"), (std::vector<double>{8, 8}));
}

TEST(TerritorialUseRights, OutOfForce_RightsLapse) {
  const std::vector<sim::RuleSpec> rules{rule("territorial_use_rights", {}, 1, 2)};
  const Outcome out = run_posted(posted_scenario(1, 2, 3.0, {{1, {1}, 1.0}, {1, {0}, 1.0}}, 3, rules));
  EXPECT_EQ(series(out.result, "violations"), (std::vector<double>{0, 2, 0}));
  EXPECT_EQ(testing::with_nan_as(series(out.result, "territory_intrusions"), -1.0), (std::vector<double>{-1, 2, -1}));
  EXPECT_EQ(out.ledger.sites.holder_group, (std::vector<std::uint32_t>(2, sim::SiteRights::no_group)));
}

TEST(TerritorialUseRights, Parameters_RefusedNamingTheKey) {
  using testing::refusal;
  EXPECT_EQ(refusal<TerritorialUseRights>({{"holder", std::string("boat")}}),
            "territorial_use_rights: holder must be one of \"group\", \"agent\"; got \"boat\"");
  EXPECT_EQ(refusal<TerritorialUseRights>({{"territories", sites_list({0, -2})}}),
            "territorial_use_rights: territories must hold whole numbers at least -1 (no holder), got -2");
  EXPECT_EQ(refusal<TerritorialUseRights>({{"territories", sites_list({0, 0.5})}}),
            "territorial_use_rights: territories must hold whole numbers at least -1 (no holder), got 0.5");
  EXPECT_EQ(refusal<TerritorialUseRights>({{"detection_probability", -0.1}}),
            "territorial_use_rights: detection_probability must be between 0 and 1, got -0.1");
}

TEST(TerritorialUseRights, Check_RefusesTerritoriesTheWorldCannotHold) {
  const auto refusal_with = [](std::int64_t agents, testing::Values values) {
    return preflight_refusal(
        posted_scenario(2, 2, 3.0, {{agents, {0}, 1.0}}, 2, {rule("territorial_use_rights", std::move(values))}));
  };
  const std::string at = "territorial_use_rights: ";
  EXPECT_EQ(refusal_with(2, {{"territories", sites_list({0, 0, 1})}}),
            at + "territories names the holders of 3 sites but the resource has 4");
  EXPECT_EQ(refusal_with(2, {{"holder", std::string("agent")}, {"territories", sites_list({0, 2, 1, 1})}}),
            at + "territories gives site 1 to agent 2 but the run has 2 agents (0 to 1)");
  EXPECT_EQ(refusal_with(3, {{"holder", std::string("agent")}, {"territories", sites_list({0, 0, 1, 1})}}),
            at + "territories gives agent 2 no site: every holder holds at least one");
  EXPECT_EQ(refusal_with(5, {{"holder", std::string("agent")}}),
            at + "the resource's 4 sites cannot be split among 5 agents: each holder needs at least one site");
  EXPECT_EQ(refusal_with(4, {{"holder", std::string("agent")}}), "accepted");
  const sim::ScenarioSpec fishery = testing::boats_scenario({{2, 1.0}}, 2, {rule("territorial_use_rights")});
  EXPECT_EQ(preflight_refusal(fishery), at + "needs a resource with sites (a grid or a graph of them); this one has none");
}

TEST(TerritorialUseRights, TerritoriesForMissingGroups_RefusedBeforeTheFirstStep) {
  const std::vector<sim::RuleSpec> rules{rule("territorial_use_rights", {{"territories", sites_list({0, 1})}})};
  const sim::ScenarioSpec spec = posted_scenario(1, 2, 3.0, {{2, {0}, 1.0}}, 2, rules);
  EXPECT_EQ(preflight_refusal(spec),
            "territorial_use_rights: territories gives site 1 to group 1 but the run has 1 group "
            "(0 to 0)");
}

// ---------------------------------------------------------------------------- both

// More than one block of 4096 agents, random detections by both rules and sanctions: the
// serial and the parallel executor agree bit for bit.
TEST(SpatialRules, SerialAndParallel_SameBits) {
  const std::vector<sim::RuleSpec> rules{
      rule("no_take_area", {{"rows", sites_list({0, 1})}, {"columns", sites_list({0, 4})}, {"detection_probability", 0.4}}),
      rule("territorial_use_rights", {{"detection_probability", 0.3}}),
      rule("graduated_sanctions", {{"fines", sites_list({1, 2, 3})}})};
  std::vector<double> sites;
  for (int s = 0; s < 25; ++s) sites.push_back((s * 7) % 25);
  const sim::ScenarioSpec spec = posted_scenario(5, 5, 50.0, {{5000, sites, 0.5}, {4000, {24, 3, 11}, 0.25}}, 4, rules);
  const Outcome parallel = run_posted(spec, sim::ExecutionPolicy{true});
  const Outcome serial = run_posted(spec, sim::ExecutionPolicy{false});
  EXPECT_EQ(testing::first_bit_difference(parallel.result, serial.result), "");
  EXPECT_GT(series(serial.result, "violations_detected")[0], 0.0);
  EXPECT_GT(series(serial.result, "territory_intrusions")[0], 0.0);
  EXPECT_EQ(parallel.ledger.detected, serial.ledger.detected);
}

}  // namespace
}  // namespace commons::models
