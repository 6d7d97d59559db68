// SPDX-License-Identifier: Apache-2.0
// The peer and co-management rules peer_monitoring, peer_sanction, state_recognition and
// time_bank (docs/governance.md). Fishery tests use K = X0 = 1024 and q = 2^-7, so that one
// unit of effort lands 8 (worth 80 at price 10) and money is exact in binary; sanction tests
// use the CPR game of the laboratory (Ostrom, Walker & Gardner 1992).

#include <commons/models/governance/membership.hpp>
#include <commons/models/governance/peer_monitoring.hpp>
#include <commons/models/governance/peer_sanction.hpp>
#include <commons/models/governance/shared_columns.hpp>
#include <commons/models/governance/state_recognition.hpp>
#include <commons/models/governance/time_bank.hpp>
#include <commons/models/register_models.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run.hpp>

#include <cpr_spec.hpp>
#include <fishery_spec.hpp>
#include <governance_testing.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <vector>

namespace commons::models {
namespace {

using testing::Boats;
using testing::exact_fishery;
using testing::Outcome;
using testing::refusal;
using testing::rule;
using testing::series;
using testing::Values;

/// One group of `boats` fixed-effort boats in the exact fishery.
sim::ScenarioSpec fishery(std::int64_t boats, double effort, std::int64_t steps, std::vector<sim::RuleSpec> rules) {
  sim::ScenarioSpec spec = testing::fishery_scenario(exact_fishery(), testing::fixed_effort(effort), boats, steps);
  spec.governance.rules = std::move(rules);
  return spec;
}

/// The CPR game with players in groups of fixed investments; player ids follow the groups.
sim::ScenarioSpec lab(const std::vector<Boats>& players, std::vector<sim::RuleSpec> rules) {
  const testing::CprParameters p;
  sim::ScenarioSpec spec = testing::cpr_scenario(p, testing::fixed_effort(0.0), 1, 1);
  spec.groups.clear();
  for (std::size_t g = 0; g < players.size(); ++g)
    spec.groups.push_back({"players_" + std::to_string(g), players[g].count,
                           {{1.0, testing::fixed_effort(players[g].effort)}}, p.cost_per_effort});
  spec.governance.rules = std::move(rules);
  return spec;
}

sim::NetworkSpec ring(std::int64_t degree) {
  return {{"ring_lattice", sim::Parameters({{"degree", degree}}), "/network"}};
}

Outcome run_all(const sim::ScenarioSpec& spec, sim::ExecutionPolicy policy = {}) {
  return testing::run_all(spec, default_registry(), policy);
}

double count_if(const std::vector<double>& values, const std::function<bool(double)>& test) {
  return static_cast<double>(std::ranges::count_if(values, test));
}

/// Five standard errors of a share estimated from n independent draws with chance p.
double sampling_tolerance(double p, std::size_t n) { return 5.0 * std::sqrt(p * (1.0 - p) / static_cast<double>(n)); }

// ------------------------------------------------------------------------ peer_monitoring

TEST(PeerMonitoring, RingLattice_CatchesExactlyWhatTheNeighboursSeeAtTheAccuracy) {
  // Everyone breaks the cap; each member is watched by its two ring neighbours.
  constexpr std::int64_t n = 20'000;
  sim::ScenarioSpec spec = fishery(n, 0.001, 1, {rule("effort_cap", {{"cap", 0.0005}}), rule("peer_monitoring", {{"accuracy", 0.3}})});
  spec.network = ring(2);
  const Outcome out = run_all(spec);
  const sim::RandomStream random(spec.seed, 0);
  // Two watchers: one draw per member against the chance that at least one of them sees.
  double caught = 0.0;
  for (std::size_t j = 0; j < out.agents.size(); ++j) {
    const bool seen = random.uniform(0, out.agents.id[j], sim::Purpose::monitor, PeerMonitoring::seen_draw) < 1.0 - 0.7 * 0.7;
    ASSERT_EQ(out.ledger.violations[j], 1.0);
    ASSERT_EQ(out.ledger.detected[j], seen ? 1.0 : 0.0) << j;
    ASSERT_DOUBLE_EQ(out.ledger.detection_probability[j], 1.0 - 0.7 * 0.7) << j;
    caught += seen ? 1.0 : 0.0;
  }
  EXPECT_EQ(series(out.result, "detections"), std::vector<double>{caught});
  EXPECT_EQ(series(out.result, "violations_detected"), std::vector<double>{caught});
  EXPECT_EQ(series(out.result, "false_accusations"), std::vector<double>{0.0});
  EXPECT_NEAR(caught / n, 1.0 - 0.7 * 0.7, sampling_tolerance(0.51, n));
}

TEST(PeerMonitoring, FalsePositive_FlagsInnocentMembersAtItsRate) {
  constexpr std::int64_t n = 20'000;
  sim::ScenarioSpec spec =
      fishery(n, 0.001, 1, {rule("effort_cap", {{"cap", 1.0}}), rule("peer_monitoring", {{"false_positive", 0.1}})});
  spec.network = ring(2);
  const Outcome out = run_all(spec);
  const sim::RandomStream random(spec.seed, 0);
  double flagged = 0.0;
  for (std::size_t j = 0; j < out.agents.size(); ++j) {
    const bool wrong = random.uniform(0, out.agents.id[j], sim::Purpose::monitor, PeerMonitoring::seen_draw) < 1.0 - 0.9 * 0.9;
    ASSERT_EQ(out.ledger.violations[j], 0.0);
    // A false accusation is one detected breach that is not there.
    ASSERT_EQ(out.ledger.detected[j], wrong ? 1.0 : 0.0) << j;
    flagged += wrong ? 1.0 : 0.0;
  }
  EXPECT_EQ(series(out.result, "false_accusations"), std::vector<double>{flagged});
  EXPECT_EQ(series(out.result, "detections"), std::vector<double>{0.0});
  EXPECT_EQ(series(out.result, "compliance"), std::vector<double>{1.0});
  EXPECT_NEAR(flagged / n, 1.0 - 0.9 * 0.9, sampling_tolerance(0.19, n));
}

TEST(PeerMonitoring, RingLattice_OnlyNeighboursOfWatchersAreWatchedAndHoursCostExactly) {
  // Half the members give 2 hours, half none: a member is watched iff a ring neighbour gives
  // hours. Accuracy 1 catches every watched breach.
  sim::Distribution hours;
  hours.kind = sim::Distribution::Kind::discrete;
  hours.values = {0.0, 2.0};
  hours.weights = {1.0, 1.0};
  constexpr std::int64_t n = 64;
  sim::ScenarioSpec spec = fishery(n, 1.0, 2,
                                   {rule("effort_cap", {{"cap", 0.5}}),
                                    rule("peer_monitoring", {{"hours", hours}, {"cost_per_hour", 1.25}})});
  spec.network = ring(2);
  const Outcome out = run_all(spec);
  const sim::RandomStream random(spec.seed, 0);
  const std::uint64_t index = sim::parameter_draw_index("peer_monitoring.hours");
  std::vector<double> h(n);
  for (std::size_t i = 0; i < h.size(); ++i) h[i] = sim::draw(hours, random, out.agents.id[i], index);
  const std::vector<double>& hours_given = testing::shared(out.ledger, monitoring_hours_column);
  double watched = 0.0, total_hours = 0.0;
  for (std::size_t j = 0; j < h.size(); ++j) {
    const bool watched_j = h[(j + n - 1) % n] > 0.0 || h[(j + 1) % n] > 0.0;
    watched += watched_j ? 1.0 : 0.0;
    total_hours += h[j];
    EXPECT_EQ(out.ledger.detected[j], watched_j ? 1.0 : 0.0) << j;
    EXPECT_EQ(out.ledger.detection_probability[j], watched_j ? 1.0 : 0.0) << j;
    EXPECT_EQ(hours_given[j], h[j]) << j;
    EXPECT_EQ(out.ledger.fee[j], h[j] * 1.25) << j;
  }
  ASSERT_GT(watched, 0.0);
  ASSERT_LT(watched, static_cast<double>(n));
  EXPECT_EQ(series(out.result, "detections"), (std::vector<double>{watched, watched}));
  EXPECT_EQ(series(out.result, "monitoring_cost"), (std::vector<double>{1.25 * total_hours, 1.25 * total_hours}));
  EXPECT_EQ(series(out.result, "fees"), (std::vector<double>{1.25 * total_hours, 1.25 * total_hours}));
}

TEST(PeerMonitoring, WithoutNetwork_EachWatcherWatchesItsDrawOfTheOtherMembers) {
  constexpr std::int64_t n = 20'000;
  const sim::ScenarioSpec spec =
      fishery(n, 0.001, 1, {rule("effort_cap", {{"cap", 0.0005}}), rule("peer_monitoring", {{"accuracy", 0.5}})});
  const Outcome out = run_all(spec);
  // Replay the draws: watcher r picks member floor(u0 (m - 1)), skipping itself, and sees its
  // breach iff u1 < accuracy.
  const sim::RandomStream random(spec.seed, 0);
  std::vector<double> seen(n, 0.0);
  for (std::size_t r = 0; r < seen.size(); ++r) {
    const auto bits = random.bits(0, out.agents.id[r], sim::Purpose::monitor, PeerMonitoring::pick_draw);
    auto pick = static_cast<std::size_t>(sim::RandomStream::to_open_unit(bits[0]) * static_cast<double>(n - 1));
    pick = std::min<std::size_t>(pick, n - 2);
    pick += pick >= r ? 1 : 0;
    if (sim::RandomStream::to_open_unit(bits[1]) < 0.5) seen[pick] = 1.0;
  }
  EXPECT_EQ(out.ledger.detected, seen);
  // Each member expects one watcher: 1 - (1 - 0.5)^1.
  EXPECT_EQ(out.ledger.detection_probability, std::vector<double>(n, 0.5));
  // n - 1 independent chances of 0.5 / (n - 1) each.
  const double expected = 1.0 - std::pow(1.0 - 0.5 / (n - 1), n - 1);
  const double caught = count_if(out.ledger.detected, [](double d) { return d > 0.0; });
  EXPECT_EQ(series(out.result, "detections"), std::vector<double>{caught});
  EXPECT_NEAR(caught / n, expected, sampling_tolerance(expected, n));
}

TEST(PeerMonitoring, WatchedThree_AnnouncesThreeExpectedWatchers) {
  const Outcome out = run_all(fishery(
      100, 0.1, 1, {rule("peer_monitoring", {{"accuracy", 0.5}, {"watched", std::int64_t{3}}}), rule("inspection", {{"probability", 0.2}})}));
  // 1 - (1 - 0.2)(1 - (1 - 0.5^3)) combined with the inspection.
  for (double d : out.ledger.detection_probability) EXPECT_DOUBLE_EQ(d, 1.0 - 0.8 * 0.125);
}

TEST(PeerMonitoring, Outsiders_NeitherWatchNorAreWatched) {
  constexpr std::int64_t n = 40;
  sim::ScenarioSpec spec = fishery(n, 1.0, 1,
                                   {rule("membership", {{"members", 0.5}}), rule("effort_cap", {{"cap", 0.5}}),
                                    rule("peer_monitoring", {{"cost_per_hour", 3.0}})});
  spec.network = ring(2);
  const Outcome out = run_all(spec);
  const std::vector<double>& members = testing::shared(out.ledger, member_column);
  const std::vector<double>& hours_given = testing::shared(out.ledger, monitoring_hours_column);
  for (std::size_t i = 0; i < out.agents.size(); ++i) {
    const bool member = out.agents.id[i] < n / 2;
    ASSERT_EQ(members[i], member ? 1.0 : 0.0);
    EXPECT_GT(out.ledger.violations[i], 0.0);
    // Every member has a member neighbour on the ring; outsiders are nobody's business here.
    EXPECT_EQ(out.ledger.detected[i], member ? 1.0 : 0.0) << i;
    EXPECT_EQ(hours_given[i], member ? 1.0 : 0.0) << i;
    EXPECT_EQ(out.ledger.fee[i], member ? 3.0 : 0.0) << i;
  }
  EXPECT_EQ(series(out.result, "monitoring_cost"), std::vector<double>{60.0});
}

TEST(PeerMonitoring, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<PeerMonitoring>({}), "accepted");
  EXPECT_EQ(refusal<PeerMonitoring>({{"accuracy", 1.5}}), "peer_monitoring: accuracy must be between 0 and 1, got 1.5");
  EXPECT_EQ(refusal<PeerMonitoring>({{"false_positive", -0.1}}),
            "peer_monitoring: false_positive must be between 0 and 1, got -0.1");
  EXPECT_EQ(refusal<PeerMonitoring>({{"hours", -1.0}}), "peer_monitoring: hours must be at least 0, got -1");
  EXPECT_EQ(refusal<PeerMonitoring>({{"cost_per_hour", -2.0}}), "peer_monitoring: cost_per_hour must be at least 0, got -2");
  EXPECT_EQ(refusal<PeerMonitoring>({{"watched", 1.5}}), "peer_monitoring: watched must be a whole number, got 1.5");
  EXPECT_EQ(refusal<PeerMonitoring>({{"watched", std::int64_t{-1}}}), "peer_monitoring: watched must be at least 0, got -1");
  EXPECT_EQ(refusal<PeerMonitoring>({{"accuracy", std::string("good")}}), "peer_monitoring: accuracy must be a number");
}

// -------------------------------------------------------------------------- peer_sanction

TEST(PeerSanction, CprGame_TopOverInvestorFinedByEveryOtherMember) {
  // Investments 10, 8 and six of 4 tokens: the mean is 5.25, players 0 and 1 exceed it. The
  // top one (player 0) is fined by the seven others; player 0, who never fines itself, fines
  // player 1. Fee 5, fine 10 (the laboratory's 1:2).
  const std::vector<Boats> players{{1, 10.0}, {1, 8.0}, {6, 4.0}};
  const Outcome open = run_all(lab(players, {}));
  const Outcome out = run_all(lab(players, {rule("peer_sanction")}));
  EXPECT_EQ(out.ledger.fine, (std::vector<double>{70, 10, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(out.ledger.fee, std::vector<double>(8, 5.0));
  for (std::size_t i = 0; i < out.agents.size(); ++i)
    EXPECT_EQ(out.agents.income[i], open.agents.income[i] - out.ledger.fine[i] - out.ledger.fee[i]) << i;
  EXPECT_EQ(series(out.result, "sanctions"), std::vector<double>{8.0});
  EXPECT_EQ(series(out.result, "sanction_fees"), std::vector<double>{40.0});
  EXPECT_EQ(series(out.result, "sanction_fines"), std::vector<double>{80.0});
  EXPECT_EQ(series(out.result, "fines"), std::vector<double>{80.0});
  EXPECT_EQ(series(out.result, "fees"), std::vector<double>{40.0});
  // Sanctions move money out of the group; the resource rent is untouched.
  EXPECT_EQ(series(out.result, "rent"), series(open.result, "rent"));
}

TEST(PeerSanction, NobodyAboveTheMean_NobodySanctioned) {
  const Outcome out = run_all(lab({{8, 5.0}}, {rule("peer_sanction")}));
  EXPECT_EQ(out.ledger.fine, std::vector<double>(8, 0.0));
  EXPECT_EQ(out.ledger.fee, std::vector<double>(8, 0.0));
  EXPECT_EQ(series(out.result, "sanctions"), std::vector<double>{0.0});
}

TEST(PeerSanction, TieAtTheTop_LowestIdFinedAndNeverByItself) {
  const Outcome out = run_all(lab({{2, 10.0}, {6, 4.0}}, {rule("peer_sanction")}));
  EXPECT_EQ(out.ledger.fine, (std::vector<double>{70, 10, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(out.ledger.fee, std::vector<double>(8, 5.0));
}

TEST(PeerSanction, MaxSanctionsTwo_EachFinesTheTwoHighestOthers) {
  // 10, 9, 8 and five of 2 (mean 4.625): players 0, 1, 2 exceed. Player 0 fines 1 and 2,
  // player 1 fines 0 and 2, player 2 fines 0 and 1, the five fine 0 and 1. Fee:fine 1:4.
  const Outcome out = run_all(lab({{1, 10.0}, {1, 9.0}, {1, 8.0}, {5, 2.0}},
                                  {rule("peer_sanction", {{"fee", 5.0}, {"fine", 20.0}, {"max_sanctions", std::int64_t{2}}})}));
  EXPECT_EQ(out.ledger.fine, (std::vector<double>{140, 140, 40, 0, 0, 0, 0, 0}));
  EXPECT_EQ(out.ledger.fee, std::vector<double>(8, 10.0));
  EXPECT_EQ(series(out.result, "sanctions"), std::vector<double>{16.0});
}

TEST(PeerSanction, AppropriationLimitSet_IsTheReference) {
  // Everyone invests 5: nobody exceeds the mean, but everyone exceeds a limit of 3; the top
  // is the lowest id.
  const Outcome out =
      run_all(lab({{8, 5.0}}, {rule("appropriation_rule", {{"limit", 3.0}}), rule("peer_sanction")}));
  EXPECT_EQ(out.ledger.fine, (std::vector<double>{70, 10, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(series(out.result, "sanctions"), std::vector<double>{8.0});
}

TEST(PeerSanction, Propensity_OnlyMembersWhoseDrawFallsBelowItPunish) {
  // One over-investor among 40: it has nobody to fine (never itself), so pays no fee.
  const sim::ScenarioSpec spec = lab({{1, 10.0}, {39, 4.0}}, {rule("peer_sanction", {{"propensity", 0.5}})});
  const Outcome out = run_all(spec);
  const sim::RandomStream random(spec.seed, 0);
  double punishers = 0.0;
  for (std::size_t i = 1; i < out.agents.size(); ++i) {
    const bool punishes = random.uniform(0, out.agents.id[i], sim::Purpose::sanction, PeerSanction::propensity_draw) < 0.5;
    punishers += punishes ? 1.0 : 0.0;
    EXPECT_EQ(out.ledger.fee[i], punishes ? 5.0 : 0.0) << i;
    EXPECT_EQ(out.ledger.fine[i], 0.0) << i;
  }
  ASSERT_GT(punishers, 0.0);
  ASSERT_LT(punishers, 39.0);
  EXPECT_EQ(out.ledger.fee[0], 0.0);
  EXPECT_EQ(out.ledger.fine[0], 10.0 * punishers);
  EXPECT_EQ(series(out.result, "sanctions"), std::vector<double>{punishers});
}

TEST(PeerSanction, Outsiders_NeitherPunishNorArePunished) {
  // Members are players 0-3 (mean 5: player 0 at 8 exceeds); outsider 4 invests the most.
  const Outcome out = run_all(lab({{1, 8.0}, {3, 4.0}, {1, 10.0}, {3, 4.0}},
                                  {rule("membership", {{"members", 0.5}}), rule("peer_sanction")}));
  EXPECT_EQ(out.ledger.fine, (std::vector<double>{30, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(out.ledger.fee, (std::vector<double>{0, 5, 5, 5, 0, 0, 0, 0}));
}

// The best targets are kept per block as they come (offer), not sorted: the same targets in the
// same rank order as sorting everyone, when the top efforts tie across three blocks of agents.
TEST(PeerSanction, TiesAcrossBlocks_TheLowestIdsRankFirst) {
  const std::size_t n = 2 * sim::agent_block_size + 1000;
  testing::FisheryStep world(n, 5);
  // Efforts 0..4 over and over; three boats, one in each block, put in 5.
  const std::vector<std::size_t> top{7, sim::agent_block_size + 7, 2 * sim::agent_block_size + 7};
  for (std::size_t i = 0; i < n; ++i) world.table.effort[i] = static_cast<double>(i % 5);
  for (const std::size_t i : top) world.table.effort[i] = 5.0;
  PeerSanction sanction(PeerSanction::Parameters::from(sim::Parameters({{"max_sanctions", std::int64_t{2}}})));
  sim::RuleContext context = world.context();
  sanction.apply(sim::Phase::sanction, context);
  // Each member fines the first two of the three best other than itself: the first two are
  // fined by everyone else, the third only by the first two.
  const double fine = 10.0, others = static_cast<double>(n - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const double expected = i == top[0] || i == top[1] ? others * fine : i == top[2] ? 2.0 * fine : 0.0;
    ASSERT_EQ(world.ledger.fine[i], expected) << "agent " << i;
  }
}

TEST(PeerSanction, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<PeerSanction>({}), "accepted");
  EXPECT_EQ(refusal<PeerSanction>({{"propensity", 2.0}}), "peer_sanction: propensity must be between 0 and 1, got 2");
  EXPECT_EQ(refusal<PeerSanction>({{"fee", -5.0}}), "peer_sanction: fee must be at least 0, got -5");
  EXPECT_EQ(refusal<PeerSanction>({{"fine", -1.0}}), "peer_sanction: fine must be at least 0, got -1");
  EXPECT_EQ(refusal<PeerSanction>({{"max_sanctions", 0.5}}), "peer_sanction: max_sanctions must be a whole number, got 0.5");
}

// ---------------------------------------------------------------------- state_recognition

TEST(StateRecognition, DetectedMemberBreaches_PayTheStateFinePerBreach) {
  // Effort 1 breaks the cap of 0.5 and lands 8 over a quota of 4: two breaches each. An
  // inspected boat pays the inspection's 3 per breach and the state's 4 per breach.
  constexpr std::int64_t n = 100;
  const Outcome out = run_all(fishery(n, 1.0, 1,
                                      {rule("effort_cap", {{"cap", 0.5}}), rule("individual_quota", {{"total", 4.0 * n}}),
                                       rule("inspection", {{"probability", 0.5}, {"fine_per_violation", 3.0}}),
                                       rule("state_recognition", {{"state_fine", 4.0}})}));
  double detected = 0.0;
  for (std::size_t i = 0; i < out.agents.size(); ++i) {
    ASSERT_EQ(out.ledger.violations[i], 2.0);
    EXPECT_EQ(out.ledger.fine[i], 7.0 * out.ledger.detected[i]) << i;
    EXPECT_EQ(out.ledger.fine_per_violation[i], 7.0) << i;
    detected += out.ledger.detected[i];
  }
  ASSERT_GT(detected, 0.0);
  ASSERT_LT(detected, 2.0 * n);
  EXPECT_EQ(series(out.result, "state_fines"), std::vector<double>{4.0 * detected});
}

TEST(StateRecognition, Outsiders_DetectedAtLeastWithTheBackingProbability) {
  // The membership's own exclusion finds 0.1 of the intrusions; the state backs it up to 0.4
  // by detecting (0.4 - 0.1) / 0.9 of the rest, independently.
  constexpr std::int64_t n = 40'000;
  const sim::ScenarioSpec spec =
      fishery(n, 0.001, 1,
              {rule("membership", {{"members", 0.5}, {"exclusion_probability", 0.1}}),
               rule("state_recognition", {{"backing_probability", 0.4}, {"state_fine", 0.015625}})});
  // The default compliance rule is in force: an intrusion of 0.001 units gains 0.055, more than
  // the expected fine 0.4 x 0.015625, so every outsider intrudes.
  const Outcome out = run_all(spec);
  const sim::RandomStream random(spec.seed, 0);
  const double q = (0.4 - 0.1) / 0.9;
  const std::vector<double>& member = testing::shared(out.ledger, member_column);
  double intrusions = 0.0, found = 0.0, by_state = 0.0;
  for (std::size_t i = 0; i < out.agents.size(); ++i) {
    if (member[i] != 0.0) {
      EXPECT_EQ(out.ledger.detection_probability[i], 0.0) << i;
      EXPECT_EQ(out.ledger.detected[i], 0.0) << i;
      continue;
    }
    ASSERT_DOUBLE_EQ(out.ledger.detection_probability[i], 0.4) << i;
    const std::uint64_t id = out.agents.id[i];
    const bool community = random.uniform(0, id, sim::Purpose::monitor, Membership::draw_index()) < 0.1;
    const bool state = random.uniform(0, id, sim::Purpose::monitor, StateRecognition::backing_draw) < q;
    intrusions += 1.0;
    found += community || state ? 1.0 : 0.0;
    by_state += state ? 1.0 : 0.0;
    ASSERT_EQ(out.ledger.detected[i], community || state ? 1.0 : 0.0) << i;
    // The state fines every detected breach; the membership's own fine is 0 here.
    ASSERT_EQ(out.ledger.fine[i], community || state ? 0.015625 : 0.0) << i;
  }
  EXPECT_EQ(intrusions, n / 2);
  EXPECT_EQ(series(out.result, "state_detections"), std::vector<double>{by_state});
  EXPECT_EQ(series(out.result, "state_fines"), std::vector<double>{0.015625 * found});
  EXPECT_NEAR(found / intrusions, 0.4, sampling_tolerance(0.4, n / 2));
}

TEST(StateRecognition, CommunityAlreadyDetectsMore_StateAddsNoDetection) {
  const Outcome out = run_all(fishery(2000, 0.01, 1,
                                      {rule("membership", {{"members", 0.5}, {"exclusion_probability", 0.6}}),
                                       rule("state_recognition", {{"backing_probability", 0.4}})}));
  EXPECT_EQ(series(out.result, "state_detections"), std::vector<double>{0.0});
  const std::vector<double>& member = testing::shared(out.ledger, member_column);
  for (std::size_t i = 0; i < out.agents.size(); ++i) {
    if (member[i] == 0.0) {
      EXPECT_DOUBLE_EQ(out.ledger.detection_probability[i], 0.6);
    }
  }
}

TEST(StateRecognition, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<StateRecognition>({}), "accepted");
  EXPECT_EQ(refusal<StateRecognition>({{"state_fine", -1.0}}), "state_recognition: state_fine must be at least 0, got -1");
  EXPECT_EQ(refusal<StateRecognition>({{"backing_probability", 1.2}}),
            "state_recognition: backing_probability must be between 0 and 1, got 1.2");
}

// ------------------------------------------------------------------------------ time_bank

TEST(TimeBank, Access_EachHourBuysEffortAllowanceNextStepOnce) {
  // Two hours watched in step 0 only: 2 credits per boat, worth 0.25 effort each, raise the cap
  // of 1 to 1.5 in step 1 and are spent by step 2.
  const sim::ScenarioSpec spec = fishery(10, 2.0, 3,
                                         {rule("effort_cap", {{"cap", 1.0}}), rule("peer_monitoring", {{"hours", 2.0}}, 0, 1),
                                          rule("time_bank", {{"effort_per_credit", 0.25}})});
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  std::vector<std::vector<double>> limits, excess;
  while (!run.done()) {
    run.step();
    limits.push_back(run.ledger()->effort_limit);
    excess.push_back(run.ledger()->excess_effort);
  }
  EXPECT_EQ(limits, (std::vector<std::vector<double>>{std::vector<double>(10, 1.0), std::vector<double>(10, 1.5),
                                                      std::vector<double>(10, 1.0)}));
  EXPECT_EQ(excess[1], std::vector<double>(10, 0.5));
  const sim::RunResult result = run.take_result();
  EXPECT_EQ(series(result, "credits_issued"), (std::vector<double>{20, 0, 0}));
  EXPECT_EQ(series(result, "credits_redeemed"), (std::vector<double>{0, 20, 0}));
}

TEST(TimeBank, Fees_EachHourPaysMoneyNextStepOnce) {
  const sim::ScenarioSpec spec = fishery(
      10, 1.0, 3,
      {rule("peer_monitoring", {{"hours", 2.0}}, 0, 1), rule("time_bank", {{"payback", std::string("fees")}, {"money_per_credit", 3.0}})});
  const Outcome out = run_all(spec);
  EXPECT_EQ(series(out.result, "transfers"), (std::vector<double>{0, 60, 0}));
  EXPECT_EQ(series(out.result, "credits_issued"), (std::vector<double>{20, 0, 0}));
  // A transfer is income: step 1 pays each boat 6 on top of its share of the rent.
  const Outcome open = run_all(fishery(10, 1.0, 3, {}));
  for (std::size_t i = 0; i < out.agents.size(); ++i)
    EXPECT_DOUBLE_EQ(out.agents.cumulative_income[i], open.agents.cumulative_income[i] + 6.0) << i;
}

TEST(TimeBank, Parameters_ImpossibleValuesRefused) {
  EXPECT_EQ(refusal<TimeBank>({}), "accepted");
  EXPECT_EQ(refusal<TimeBank>({{"payback", std::string("gold")}}),
            "time_bank: payback must be one of \"access\", \"fees\"; got \"gold\"");
  EXPECT_EQ(refusal<TimeBank>({{"effort_per_credit", -1.0}}), "time_bank: effort_per_credit must be at least 0, got -1");
  EXPECT_EQ(refusal<TimeBank>({{"money_per_credit", -1.0}}), "time_bank: money_per_credit must be at least 0, got -1");
}

// ------------------------------------------------------------------------------ all rules

TEST(PeerRules, DesignPrinciples_AsDocumented) {
  EXPECT_EQ(PeerMonitoring(PeerMonitoring::Parameters::from({})).design_principles(), std::vector<int>{4});
  EXPECT_EQ(PeerSanction(PeerSanction::Parameters::from({})).design_principles(), std::vector<int>{5});
  EXPECT_EQ(StateRecognition(StateRecognition::Parameters::from({})).design_principles(), (std::vector<int>{7, 8}));
  EXPECT_EQ(TimeBank(TimeBank::Parameters::from({})).design_principles(), (std::vector<int>{4, 8}));
}

/// Bitwise equality, NaN equal to NaN.
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void expect_same_runs(const sim::ScenarioSpec& spec) {
  const Outcome serial = run_all(spec, sim::ExecutionPolicy{false});
  const Outcome parallel = run_all(spec, sim::ExecutionPolicy{true});
  ASSERT_EQ(serial.result.series.size(), parallel.result.series.size());
  for (std::size_t s = 0; s < serial.result.series.size(); ++s)
    EXPECT_TRUE(same_bits(serial.result.series[s].values, parallel.result.series[s].values))
        << serial.result.series[s].info.name;
  for (const auto column : {&sim::AgentTable::effort, &sim::AgentTable::cumulative_income})
    EXPECT_TRUE(same_bits(serial.agents.*column, parallel.agents.*column));
  for (const auto column : {&sim::GovernanceLedger::detected, &sim::GovernanceLedger::fine, &sim::GovernanceLedger::fee,
                            &sim::GovernanceLedger::transfer})
    EXPECT_TRUE(same_bits(serial.ledger.*column, parallel.ledger.*column));
  // The rules did something worth comparing.
  const auto total = [&](const char* name) {
    const std::vector<double>& values = series(serial.result, name);
    return std::accumulate(values.begin(), values.end(), 0.0);
  };
  for (const char* name : {"detections", "false_accusations", "sanctions", "state_detections", "credits_issued"})
    EXPECT_GT(total(name), 0.0) << name;
}

sim::ScenarioSpec governed_community(bool networked) {
  constexpr std::int64_t n = 9000;  // three blocks of agents
  testing::FisheryParameters p = exact_fishery();
  // Two fleets on either side of the cap, so that some break it and some exceed the mean.
  sim::ScenarioSpec spec = testing::fishery_scenario(p, testing::fleet(0.01, 0.05), n / 2, 6);
  spec.groups.push_back({"small_boats", n - n / 2, {{1.0, testing::fleet(0.006, 0.05)}}, p.cost_per_effort});
  sim::Distribution hours;
  hours.kind = sim::Distribution::Kind::uniform;
  hours.first = 0.0;
  hours.second = 2.0;
  spec.governance.rules = {
      rule("membership", {{"members", 0.9}, {"exclusion_probability", 0.2}}),
      rule("effort_cap", {{"cap", 0.008}}),
      rule("peer_monitoring", {{"hours", hours}, {"accuracy", 0.6}, {"false_positive", 0.05}, {"cost_per_hour", 0.1}}),
      rule("peer_sanction", {{"propensity", 0.5}, {"max_sanctions", std::int64_t{2}}}),
      rule("state_recognition", {{"state_fine", 0.05}, {"backing_probability", 0.3}}),
      rule("time_bank", {{"payback", std::string("fees")}, {"money_per_credit", 0.2}}),
      rule("compliance")};
  if (networked) spec.network.generator = {"barabasi_albert", sim::Parameters({{"links_per_node", std::int64_t{3}}}), "/network"};
  return spec;
}

TEST(PeerRules, Determinism_SerialAndParallelAgreeBitForBitOverANetwork) { expect_same_runs(governed_community(true)); }

TEST(PeerRules, Determinism_SerialAndParallelAgreeBitForBitWithoutANetwork) { expect_same_runs(governed_community(false)); }

}  // namespace
}  // namespace commons::models
