// SPDX-License-Identifier: Apache-2.0
// site_choice: the logit over sites against probabilities worked out here from the formula,
// the terms that enter the utility (trips, fines, switching, the port), law-abiding agents,
// and the same bits on any thread count and on both of its paths.
#include <commons/models/behaviour/site_choice.hpp>
#include <commons/models/register_models.hpp>
#include <commons/models/resources/cpr_quadratic.hpp>
#include <commons/sim/governance_ledger.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/run.hpp>

#include <fishing_grounds.hpp>

#include <gtest/gtest.h>
#include <oneapi/tbb/task_arena.h>

#include <cmath>
#include <memory>
#include <numeric>
#include <optional>
#include <vector>

namespace commons::models {
namespace {

using testing::FishingGrounds;

constexpr double price = 2.0;
constexpr double cost_per_effort = 1.0;

/// One cohort of boats on fishing grounds, decided step by step by hand, with a governance
/// ledger when the test announces rights.
class Harbour {
 public:
  Harbour(FishingGrounds::Setup setup, std::size_t boats, const SiteChoice::Parameters& parameters,
          bool governed = false, std::uint64_t seed = 17)
      : resource_(std::move(setup)), random_(seed, 0) {
    table_.append_group(0, boats, cost_per_effort);
    table_.equip(resource_.grounds(), 0);
    if (governed) {
      ledger_.emplace(boats);
      ledger_->sites.reset(resource_.grounds());
    }
    const sim::GroupContext group{0,         "boats", 0,         boats,   100,     economics_, random_,
                                  table_.id, boats,   resource_, nullptr, nullptr, 0};
    behaviour_ = std::make_unique<SiteChoice>(parameters, group);
  }

  /// The decide phase of step `step`, in blocks as the engine hands them out.
  void decide(std::int64_t step, bool parallel = false) { in_blocks(&sim::Behaviour::decide, step, parallel); }
  /// The learn phase of step `step`, likewise.
  void learn(std::int64_t step, bool parallel = false) { in_blocks(&sim::Behaviour::learn, step, parallel); }
  [[nodiscard]] std::vector<double> probabilities(std::size_t row, std::int64_t step = 0) {
    const sim::Observation observation = observe(step);
    const sim::ExecutionPolicy policy{false};
    const sim::StepContext context{step,      random_,   economics_, observation, policy,
                                   resource_, previous_, nullptr,    nullptr};
    return behaviour_->probabilities(context, span(0, table_.size()), row);
  }
  /// How many boats of `rows` (all when empty) are at each ground with effort, then in port.
  [[nodiscard]] std::vector<double> counts(const std::vector<std::size_t>& rows = {}) const {
    std::vector<double> at(resource_.grounds() + 1, 0.0);
    const auto tally = [&](std::size_t i) { at[table_.effort[i] > 0.0 ? table_.site[i] : resource_.grounds()] += 1.0; };
    if (rows.empty())
      for (std::size_t i = 0; i < table_.size(); ++i) tally(i);
    for (const std::size_t i : rows) tally(i);
    return at;
  }

  SiteChoice& behaviour() { return *behaviour_; }
  sim::AgentTable& table() { return table_; }
  sim::GovernanceLedger& ledger() { return *ledger_; }

 private:
  [[nodiscard]] sim::Observation observe(std::int64_t step) const {
    sim::Observation observation = resource_.observe();
    observation.random = &random_;
    observation.step = step;
    return observation;
  }
  void in_blocks(void (sim::Behaviour::*phase)(const sim::StepContext&, sim::AgentSpan), std::int64_t step,
                 bool parallel) {
    const sim::Observation observation = observe(step);
    const sim::ExecutionPolicy policy{parallel};
    const sim::StepContext context{step,      random_,   economics_, observation, policy,
                                   resource_, previous_, nullptr,    nullptr};
    sim::for_each_block(table_.size(), policy,
                        [&](std::size_t first, std::size_t last) { ((*behaviour_).*phase)(context, span(first, last)); });
  }
  [[nodiscard]] sim::AgentSpan span(std::size_t first, std::size_t last) {
    return {&table_, first, last, ledger_ ? &*ledger_ : nullptr};
  }

  sim::Economics economics_{price, cost_per_effort, 0.0};
  FishingGrounds resource_;
  sim::RandomStream random_;
  sim::AgentTable table_;
  std::optional<sim::GovernanceLedger> ledger_;
  std::unique_ptr<SiteChoice> behaviour_;
  sim::StepOutcome previous_;
};

SiteChoice::Parameters trips_of(double effort, double scale) {
  SiteChoice::Parameters p;
  p.effort = effort;
  p.scale = scale;
  return p;
}

/// The multinomial logit exp(U_j / s) / sum_k exp(U_k / s), worked out here on its own.
std::vector<double> logit(const std::vector<double>& utilities, double scale) {
  std::vector<double> shares(utilities.size());
  double total = 0.0;
  for (std::size_t j = 0; j < utilities.size(); ++j) total += shares[j] = std::exp(utilities[j] / scale);
  for (double& share : shares) share /= total;
  return shares;
}

/// Pearson's statistic of `counts` against `shares` of their total.
double chi_square(const std::vector<double>& counts, const std::vector<double>& shares) {
  const double n = std::accumulate(counts.begin(), counts.end(), 0.0);
  double statistic = 0.0;
  for (std::size_t j = 0; j < counts.size(); ++j) {
    const double expected = n * shares[j];
    statistic += (counts[j] - expected) * (counts[j] - expected) / expected;
  }
  return statistic;
}

/// How many standard errors a binomial count lies from n x share.
double z_score(double count, double n, double share) {
  return (count - n * share) / std::sqrt(n * share * (1.0 - share));
}

/// Rows of the boats of port `port` of `ports` among `boats`.
std::vector<std::size_t> rows_of_port(std::size_t port, std::size_t ports, std::size_t boats) {
  std::vector<std::size_t> rows;
  for (std::size_t i = port; i < boats; i += ports) rows.push_back(i);
  return rows;
}

// Two ports facing five grounds: the gain p h e - c e is 1..5 across the grounds, and the
// trips from port 0 rise towards the rich grounds while those from port 1 fall.
FishingGrounds::Setup two_ports() {
  return {.catch_per_effort = {1.0, 1.5, 2.0, 2.5, 3.0},
          .trip_cost = {0.5, 1.0, 1.5, 2.0, 2.5, 2.5, 2.0, 1.5, 1.0, 0.5},
          .ports = 2};
}

TEST(SiteChoice, ChoiceFrequencies_MatchTheLogitProbabilities) {
  constexpr std::size_t boats = 100'000;
  Harbour harbour(two_ports(), boats, trips_of(1.0, 1.0));
  harbour.decide(0);
  const std::vector<std::vector<double>> expected = {logit({0.5, 1.0, 1.5, 2.0, 2.5}, 1.0),
                                                     logit({-1.5, 0.0, 1.5, 3.0, 4.5}, 1.0)};
  // Eight degrees of freedom (four per port): 26.1 is the 0.999 quantile of chi-square(8).
  double statistic = 0.0, perturbed = 0.0;
  for (std::size_t port = 0; port < 2; ++port) {
    std::vector<double> counts = harbour.counts(rows_of_port(port, 2, boats));
    ASSERT_EQ(counts.back(), 0.0) << "no port to stay in";
    counts.pop_back();
    statistic += chi_square(counts, expected[port]);
    // One per cent of the probability moved from the richest ground to the poorest.
    std::vector<double> moved = expected[port];
    moved.front() += 0.01;
    moved.back() -= 0.01;
    perturbed += chi_square(counts, moved);
  }
  EXPECT_LT(statistic, 26.1);
  EXPECT_GT(perturbed, 26.1) << "the test can tell probabilities 0.01 apart";
}

TEST(SiteChoice, Probabilities_AreTheLogitOfProfitNetOfTheTrip) {
  Harbour harbour(two_ports(), 2, trips_of(1.0, 0.7));
  const std::vector<double> from_port_1 = harbour.probabilities(1);
  const std::vector<double> expected = logit({-1.5, 0.0, 1.5, 3.0, 4.5}, 0.7);
  ASSERT_EQ(from_port_1.size(), expected.size());
  for (std::size_t j = 0; j < expected.size(); ++j) EXPECT_NEAR(from_port_1[j], expected[j], 1e-14) << j;
}

TEST(SiteChoice, SmallScale_EveryonePicksTheBestSiteFromItsPort) {
  constexpr std::size_t boats = 1000;
  // Net of its trip the richest ground is best from both ports: 2.5 and 4.5 against the next 2.0 and 3.0.
  Harbour harbour(two_ports(), boats, trips_of(1.0, 1e-3));
  harbour.decide(0);
  EXPECT_EQ(harbour.counts(), (std::vector<double>{0, 0, 0, 0, boats, 0}));
  // With the trips from port 0 doubled and the one to the poorest ground free, that ground is
  // its best (1 against 0 at every other).
  FishingGrounds::Setup steep = two_ports();
  for (std::size_t j = 0; j < 5; ++j) steep.trip_cost[j] *= 2.0;
  steep.trip_cost[0] = 0.0;
  Harbour other(steep, boats, trips_of(1.0, 1e-3));
  other.decide(0);
  EXPECT_EQ(other.counts(rows_of_port(0, 2, boats)), (std::vector<double>{boats / 2, 0, 0, 0, 0, 0}));
  EXPECT_EQ(other.counts(rows_of_port(1, 2, boats)), (std::vector<double>{0, 0, 0, 0, boats / 2, 0}));
}

TEST(SiteChoice, EqualUtilities_SpreadBoatsUniformly) {
  constexpr std::size_t boats = 60'000;
  Harbour harbour({.catch_per_effort = std::vector<double>(6, 2.0)}, boats, trips_of(1.0, 0.5));
  EXPECT_EQ(harbour.probabilities(0), std::vector<double>(6, 1.0 / 6.0));
  harbour.decide(0);
  std::vector<double> counts = harbour.counts();
  counts.pop_back();
  // 20.5 is the 0.999 quantile of chi-square(5).
  EXPECT_LT(chi_square(counts, std::vector<double>(6, 1.0 / 6.0)), 20.5);
}

TEST(SiteChoice, TripCosts_ShiftSharesByExpOfMinusTheTripOverTheScale) {
  // Grounds alike but for the trip: shares stand to each other as exp(-(t_j - t_k) / s).
  constexpr double scale = 0.8;
  const std::vector<double> trips = {0.0, 0.4, 1.0, 2.5};
  constexpr std::size_t boats = 80'000;
  Harbour harbour({.catch_per_effort = std::vector<double>(4, 2.0), .trip_cost = trips}, boats, trips_of(1.0, scale));
  const std::vector<double> shares = harbour.probabilities(0);
  for (std::size_t j = 1; j < trips.size(); ++j)
    EXPECT_NEAR(shares[j] / shares[0], std::exp(-trips[j] / scale), 1e-14) << j;
  harbour.decide(0);
  std::vector<double> counts = harbour.counts();
  counts.pop_back();
  std::vector<double> expected(trips.size());
  for (std::size_t j = 0; j < trips.size(); ++j) expected[j] = std::exp(-trips[j] / scale);
  const double total = std::accumulate(expected.begin(), expected.end(), 0.0);
  for (double& share : expected) share /= total;
  // 16.3 is the 0.999 quantile of chi-square(3).
  EXPECT_LT(chi_square(counts, expected), 16.3);
}

TEST(SiteChoice, StayHome_TakesTheShareOfAnOutsideOptionWorthNothing) {
  // Gains 0 and 1, trips of 1 each: utilities -1 and 0 against 0 in port.
  constexpr std::size_t boats = 50'000;
  SiteChoice::Parameters parameters = trips_of(1.0, 1.0);
  parameters.stay_home = true;
  Harbour harbour({.catch_per_effort = {0.5, 1.0}, .trip_cost = {1.0, 1.0}}, boats, parameters);
  const double in_port = 1.0 / (std::exp(-1.0) + 1.0 + 1.0);
  const std::vector<double> shares = harbour.probabilities(0);
  ASSERT_EQ(shares.size(), 3U);
  EXPECT_NEAR(shares[2], in_port, 1e-14);
  harbour.decide(0);
  const std::vector<double> counts = harbour.counts();
  EXPECT_LT(std::abs(z_score(counts[2], boats, in_port)), 4.0);
  // Boats in port apply no effort and keep the site they had (boat k starts at ground k mod 2).
  for (std::size_t i = 0; i < boats; ++i) {
    if (harbour.table().effort[i] == 0.0) {
      ASSERT_EQ(harbour.table().site[i], i % 2) << i;
    }
  }
}

TEST(SiteChoice, SwitchingCost_RaisesTheShareThatStaysPut) {
  // Four grounds alike; leaving one's ground costs c: P(stay) = e^(c/s) / (e^(c/s) + 3).
  constexpr std::size_t boats = 40'000;
  constexpr double switching = 1.5;
  SiteChoice::Parameters parameters = trips_of(1.0, 1.0);
  parameters.switching_cost = switching;
  Harbour habitual({.catch_per_effort = std::vector<double>(4, 2.0)}, boats, parameters);
  Harbour free({.catch_per_effort = std::vector<double>(4, 2.0)}, boats, trips_of(1.0, 1.0));
  const auto stayed = [](Harbour& harbour) {
    harbour.decide(0);
    double count = 0.0;
    for (std::size_t i = 0; i < boats; ++i) count += harbour.table().site[i] == i % 4 ? 1.0 : 0.0;
    return count;
  };
  const double habit = std::exp(switching) / (std::exp(switching) + 3.0);
  EXPECT_NEAR(habitual.probabilities(5)[1], habit, 1e-14) << "boat 5 starts at ground 1";
  EXPECT_LT(std::abs(z_score(stayed(habitual), boats, habit)), 4.0);
  EXPECT_LT(std::abs(z_score(stayed(free), boats, 0.25)), 4.0);
}

// Three grounds; the richest (2) is closed by a rule.
FishingGrounds::Setup three_grounds() { return {.catch_per_effort = {1.0, 1.5, 2.5}}; }
std::vector<double> three_open() { return logit({1.0, 2.0, 4.0}, 1.0); }

TEST(SiteChoice, ClosedSite_WithALargeExpectedFineIsAvoided) {
  constexpr std::size_t boats = 20'000;
  Harbour harbour(three_grounds(), boats, trips_of(1.0, 1.0), true);
  sim::GovernanceLedger& ledger = harbour.ledger();
  ledger.sites.closed[2] = 1;
  ledger.sites.detection[2] = 0.5;
  std::fill(ledger.detection_probability.begin(), ledger.detection_probability.end(), 0.2);
  std::fill(ledger.fine_per_violation.begin(), ledger.fine_per_violation.end(), 40.0);
  std::fill(ledger.fine_per_excess.begin(), ledger.fine_per_excess.end(), 20.0);
  // Caught with chance 1 - 0.8 x 0.5 = 0.6, fined 40 + 20 x 1: an expected 36.
  const std::vector<double> expected = logit({1.0, 2.0, 4.0 - 36.0}, 1.0);
  const std::vector<double> shares = harbour.probabilities(0);
  for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(shares[j], expected[j], 1e-14) << j;
  harbour.decide(0);
  EXPECT_EQ(harbour.counts()[2], 0.0);
}

TEST(SiteChoice, ClosedSite_NobodyWatching_IsChosenAsIfOpen) {
  constexpr std::size_t boats = 20'000;
  Harbour open(three_grounds(), boats, trips_of(1.0, 1.0));
  Harbour closed(three_grounds(), boats, trips_of(1.0, 1.0), true);
  sim::GovernanceLedger& ledger = closed.ledger();
  ledger.sites.closed[2] = 1;
  std::fill(ledger.fine_per_violation.begin(), ledger.fine_per_violation.end(), 1000.0);
  EXPECT_EQ(closed.probabilities(0), open.probabilities(0));
  open.decide(0);
  closed.decide(0);
  EXPECT_EQ(closed.table().site, open.table().site);
  EXPECT_LT(std::abs(z_score(open.counts()[2], boats, three_open()[2])), 4.0);
}

TEST(SiteChoice, FleetCatch_ExpectsWhatTheWholeFleetCaughtThereLastStep) {
  SiteChoice::Parameters parameters = trips_of(1.0, 1.0);
  parameters.expectation = SiteChoice::Expectation::fleet_catch;
  Harbour harbour(three_grounds(), 6, parameters);
  // Before any step has been learnt from, the observed rates: U = 2 h - 1.
  EXPECT_EQ(harbour.probabilities(0), three_open());
  // Four boats crowded ground 2 and took 0.5 a unit of effort between them; two worked ground 0
  // at 1.25 and 0.75; ground 1 was left alone.
  sim::AgentTable& boats = harbour.table();
  const std::vector<std::uint32_t> grounds{2, 2, 2, 2, 0, 0};
  const std::vector<double> caught{0.25, 0.75, 0.5, 0.5, 1.25, 0.75};
  for (std::size_t i = 0; i < boats.size(); ++i) {
    boats.site[i] = grounds[i];
    boats.effort[i] = 1.0;
    boats.harvest[i] = caught[i];
  }
  harbour.learn(0, true);
  const std::vector<double> expected = logit({2.0 * 1.0 - 1.0, 2.0 * 1.5 - 1.0, 2.0 * 0.5 - 1.0}, 1.0);
  const std::vector<double> seen = harbour.probabilities(0, 1);
  ASSERT_EQ(seen.size(), expected.size());
  for (std::size_t j = 0; j < seen.size(); ++j) EXPECT_NEAR(seen[j], expected[j], 1e-15) << "ground " << j;
}

TEST(SiteChoice, Observed_IgnoresWhatTheFleetCaught) {
  Harbour harbour(three_grounds(), 2, trips_of(1.0, 1.0));
  harbour.table().harvest.assign(2, 0.0);
  harbour.table().effort.assign(2, 1.0);
  harbour.learn(0);
  EXPECT_EQ(harbour.probabilities(0, 1), three_open());
}

TEST(SiteChoice, LawAbidingBoats_NeverTakeABarredSite) {
  constexpr std::size_t boats = 20'000;
  SiteChoice::Parameters parameters = trips_of(1.0, 1.0);
  parameters.law_abiding = 0.3;
  Harbour harbour(three_grounds(), boats, parameters, true);
  // Ground 2 is a territory of another group, unwatched: the others take it as if open.
  harbour.ledger().sites.holder_group[2] = 7;
  std::vector<std::size_t> abiding, others;
  for (std::size_t i = 0; i < boats; ++i) (harbour.behaviour().law_abiding(i) ? abiding : others).push_back(i);
  EXPECT_LT(std::abs(z_score(static_cast<double>(abiding.size()), boats, 0.3)), 4.0);
  const std::vector<double> shares = harbour.probabilities(abiding.front());
  const std::vector<double> two_open = logit({1.0, 2.0}, 1.0);
  EXPECT_NEAR(shares[0], two_open[0], 1e-14);
  EXPECT_NEAR(shares[1], two_open[1], 1e-14);
  EXPECT_EQ(shares[2], 0.0);
  const std::vector<double> other_shares = harbour.probabilities(others.front());
  for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(other_shares[j], three_open()[j], 1e-14) << j;
  harbour.decide(0);
  EXPECT_EQ(harbour.counts(abiding)[2], 0.0);
  EXPECT_LT(std::abs(z_score(harbour.counts(others)[2], static_cast<double>(others.size()), three_open()[2])), 4.0);
}

TEST(SiteChoice, LawAbidingBoatsBarredEverywhere_StayInPort) {
  SiteChoice::Parameters parameters = trips_of(1.0, 1.0);
  parameters.law_abiding = 1.0;
  Harbour harbour(three_grounds(), 100, parameters, true);
  std::fill(harbour.ledger().sites.closed.begin(), harbour.ledger().sites.closed.end(), std::uint8_t{1});
  EXPECT_EQ(harbour.probabilities(0), std::vector<double>(3, 0.0));
  harbour.decide(0);
  EXPECT_EQ(harbour.table().effort, std::vector<double>(100, 0.0));
  EXPECT_EQ(harbour.counts(), (std::vector<double>{0, 0, 0, 100}));
}

/// Sites and efforts of `boats` boats from two ports over three steps, on the shared
/// distributions where they apply or, with `shared` false, on one distribution per boat.
struct Decisions {
  std::vector<std::uint32_t> site;
  std::vector<double> effort;
  bool shared = false;
  friend bool operator==(const Decisions&, const Decisions&) = default;
};
template <class Announce>
Decisions decide_three_steps(const FishingGrounds::Setup& setup, const SiteChoice::Parameters& parameters, bool shared,
                             bool parallel, Announce&& announce) {
  constexpr std::size_t boats = 10'000;  // three blocks
  Harbour harbour(setup, boats, parameters, true);
  harbour.behaviour().allow_shared_distributions(shared);
  Decisions decisions;
  for (std::int64_t step = 0; step < 3; ++step) {
    announce(harbour.ledger());
    if (parallel)
      tbb::task_arena(2).execute([&] { harbour.decide(step, true); });
    else
      harbour.decide(step);
    decisions.site.insert(decisions.site.end(), harbour.table().site.begin(), harbour.table().site.end());
    decisions.effort.insert(decisions.effort.end(), harbour.table().effort.begin(), harbour.table().effort.end());
  }
  decisions.shared = harbour.behaviour().used_shared_distributions();
  return decisions;
}

// A closed ground watched with chance 0.3 and fined alike for every boat: the terms differ by
// port only, and so do the utilities.
void close_ground_3(sim::GovernanceLedger& ledger) {
  ledger.sites.closed[3] = 1;
  ledger.sites.detection[3] = 0.3;
  std::fill(ledger.fine_per_violation.begin(), ledger.fine_per_violation.end(), 2.0);
}

TEST(SiteChoice, SharedAndPerBoatDistributions_GiveTheSameBits) {
  SiteChoice::Parameters parameters = trips_of(1.0, 1.0);
  parameters.stay_home = true;
  parameters.law_abiding = 0.4;
  const Decisions shared = decide_three_steps(two_ports(), parameters, true, false, close_ground_3);
  const Decisions own = decide_three_steps(two_ports(), parameters, false, false, close_ground_3);
  EXPECT_TRUE(shared.shared);
  EXPECT_FALSE(own.shared);
  EXPECT_EQ(shared.site, own.site);
  EXPECT_EQ(shared.effort, own.effort);
}

TEST(SiteChoice, SerialAndParallelBlocks_GiveTheSameBitsOnBothPaths) {
  SiteChoice::Parameters parameters = trips_of(1.0, 1.0);
  parameters.stay_home = true;
  const Decisions serial_shared = decide_three_steps(two_ports(), parameters, true, false, close_ground_3);
  EXPECT_EQ(decide_three_steps(two_ports(), parameters, true, true, close_ground_3), serial_shared);
  // Observation noise: every boat sees its own catch rates, so each builds its own distribution.
  FishingGrounds::Setup noisy = two_ports();
  noisy.noise_sd = 0.3;
  const Decisions serial_own = decide_three_steps(noisy, parameters, true, false, close_ground_3);
  EXPECT_FALSE(serial_own.shared);
  EXPECT_EQ(decide_three_steps(noisy, parameters, true, true, close_ground_3), serial_own);
  EXPECT_NE(serial_own.site, serial_shared.site) << "the noise changed something";
}

TEST(SiteChoice, SharedDistributions_OnlyWhereUtilitiesDifferByOriginAlone) {
  const auto shared_with = [](const SiteChoice::Parameters& parameters, auto&& announce, double noise = 0.0) {
    FishingGrounds::Setup setup = two_ports();
    setup.noise_sd = noise;
    return decide_three_steps(setup, parameters, true, false, announce).shared;
  };
  const SiteChoice::Parameters plain = trips_of(1.0, 1.0);
  const auto nothing = [](sim::GovernanceLedger&) {};
  EXPECT_TRUE(shared_with(plain, nothing));
  EXPECT_TRUE(shared_with(plain, close_ground_3));
  EXPECT_FALSE(shared_with(plain, nothing, 0.1)) << "observation noise";
  SiteChoice::Parameters habitual = plain;
  habitual.switching_cost = 0.5;
  EXPECT_FALSE(shared_with(habitual, nothing)) << "switching";
  // Fines that differ between boats matter only where a site is barred.
  const auto uneven_fines = [](sim::GovernanceLedger& ledger) { ledger.fine_per_violation[9] = 3.0; };
  EXPECT_TRUE(shared_with(plain, uneven_fines));
  EXPECT_FALSE(shared_with(plain, [&](sim::GovernanceLedger& ledger) {
    close_ground_3(ledger);
    uneven_fines(ledger);
  }));
  // A ground held by one boat of the cohort: that boat alone may work it.
  EXPECT_FALSE(shared_with(plain, [](sim::GovernanceLedger& ledger) { ledger.sites.holder_agent[1] = 4; }));
  EXPECT_TRUE(shared_with(plain, [](sim::GovernanceLedger& ledger) { ledger.sites.holder_agent[1] = 20'000; }))
      << "held by an agent of another cohort: barred to all of this one alike";
}

TEST(SiteChoice, GroundHeldByOneBoat_IsOpenToItAlone) {
  Harbour harbour(three_grounds(), 10, trips_of(1.0, 1.0), true);
  harbour.ledger().sites.holder_agent[2] = 4;
  const std::vector<double> holder = harbour.probabilities(4);
  const std::vector<double> other = harbour.probabilities(5);
  for (std::size_t j = 0; j < 3; ++j) EXPECT_NEAR(holder[j], three_open()[j], 1e-14) << j;
  // Unwatched and unfined, the others weigh no penalty either: the same shares.
  EXPECT_EQ(other, holder);
  harbour.ledger().fine_per_violation[5] = 50.0;
  harbour.ledger().detection_probability[5] = 1.0;
  EXPECT_LT(harbour.probabilities(5)[2], 1e-20);
  EXPECT_EQ(harbour.probabilities(4), holder);
}

TEST(SiteChoice, WholeRuns_SerialAndParallel_GiveTheSameBits) {
  const sim::Registry registry = testing::registry_with_grounds(default_registry(), two_ports());
  sim::ScenarioSpec spec;
  spec.name = "grounds";
  spec.resource = {"fishing_grounds", sim::Parameters{}, "/resource"};
  spec.economics = {price, cost_per_effort, 0.0};
  spec.groups.push_back(
      {"boats",
       9000,
       {{1.0,
         {"site_choice",
          sim::Parameters({{"effort", 1.0}, {"scale", 1.0}, {"switching_cost", 0.5}, {"stay_home", true}}),
          "/agents/0/behaviour"}}},
       cost_per_effort});
  spec.steps = 4;
  spec.seed = 3;
  sim::Run serial(spec, registry, sim::RunTask{0, 0, spec.seed, {}}, sim::ExecutionPolicy{false});
  sim::Run parallel(spec, registry, sim::RunTask{0, 0, spec.seed, {}}, sim::ExecutionPolicy{true});
  tbb::task_arena arena(2);
  for (std::int64_t step = 0; step < spec.steps; ++step) {
    serial.step();
    arena.execute([&] { parallel.step(); });
    EXPECT_EQ(serial.agents().site, parallel.agents().site);
    EXPECT_EQ(serial.agents().effort, parallel.agents().effort);
    EXPECT_EQ(serial.agents().income, parallel.agents().income);
  }
  // Income is net of the trip from the boat's port to the ground it worked.
  const sim::AgentTable& boats = serial.agents();
  const std::vector<double>& trips = two_ports().trip_cost;
  for (std::size_t i = 0; i < boats.size(); ++i) {
    const double catch_rate = two_ports().catch_per_effort[boats.site[i]];
    const double expected =
        boats.effort[i] > 0.0 ? price * catch_rate - cost_per_effort - trips[(i % 2) * 5 + boats.site[i]] : 0.0;
    ASSERT_DOUBLE_EQ(boats.income[i], expected) << i;
  }
}

TEST(SiteChoice, Check_RefusesAResourceWithoutSitesAndATripAboveTheEffortLimit) {
  const CprQuadratic game(CprQuadratic::Parameters{23.0, 0.25, 10.0});
  try {
    SiteChoice::check(trips_of(1.0, 1.0), game);
    ADD_FAILURE() << "a resource without sites";
  } catch (const sim::SpecError& error) {
    EXPECT_STREQ(error.what(), "site_choice picks a site for every trip, and this resource has no sites");
  }
  FishingGrounds::Setup bounded = two_ports();
  bounded.effort_limit = 10.0;
  const FishingGrounds grounds(bounded);
  EXPECT_NO_THROW(SiteChoice::check(trips_of(10.0, 1.0), grounds));
  try {
    SiteChoice::check(trips_of(12.5, 1.0), grounds);
    ADD_FAILURE() << "an effort above the limit";
  } catch (const sim::SpecError& error) {
    EXPECT_STREQ(error.what(), "site_choice's effort of a trip, 12.5, is above the resource's effort limit of 10");
  }
}

}  // namespace
}  // namespace commons::models
