// SPDX-License-Identifier: Apache-2.0
// Group limits and management rules: tac, individual_quota, reserve, harvest_control_rule,
// sole_owner and free_entry (docs/governance.md), on the Gordon-Schaefer fishery whose closed
// forms (models::FisheryLogistic) give the values to meet.

#include <commons/models/governance/free_entry.hpp>
#include <commons/models/governance/harvest_control_rule.hpp>
#include <commons/models/governance/individual_quota.hpp>
#include <commons/models/governance/reserve.hpp>
#include <commons/models/governance/sole_owner.hpp>
#include <commons/models/governance/tac.hpp>
#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/sim/governance_ledger.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/preflight.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/run.hpp>

#include <cpr_spec.hpp>
#include <fishery_spec.hpp>
#include <governance_testing.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <string>

namespace commons::models {
namespace {

using testing::FisheryParameters;

sim::RuleSpec rule(std::string name, std::map<std::string, sim::ParameterValue, std::less<>> values = {},
                   std::int64_t from = 0, std::int64_t until = std::numeric_limits<std::int64_t>::max()) {
  return sim::RuleSpec{{std::move(name), sim::Parameters(std::move(values)), ""}, from, until};
}

/// Everyone obeys every limit: the `compliance` rule, which acts last in the comply phase.
const sim::RuleSpec obey = rule("compliance", {{"mode", std::string("full")}});

struct Outcome {
  sim::RunResult result;
  sim::AgentTable agents;
  sim::GovernanceLedger ledger;
  const std::vector<double>& series(const std::string& name) const {
    for (const sim::SeriesData& s : result.series)
      if (s.info.name == name) return s.values;
    throw std::out_of_range(name);
  }
};

Outcome run_all(const sim::ScenarioSpec& spec, sim::ExecutionPolicy policy = {}) {
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, policy);
  while (!run.done()) run.step();
  sim::AgentTable agents = run.agents();
  sim::GovernanceLedger ledger = run.ledger() != nullptr ? *run.ledger() : sim::GovernanceLedger{};
  return {run.take_result(), std::move(agents), std::move(ledger)};
}

/// A fishery whose boats (fixed effort each) would take far more than the limits under test.
sim::ScenarioSpec greedy_fishery(std::int64_t agents, double effort, std::int64_t steps) {
  return testing::fishery_scenario(FisheryParameters{}, testing::fixed_effort(effort), agents, steps);
}

std::string error_of(const std::function<void()>& build) {
  try {
    build();
  } catch (const sim::SpecError& error) {
    return error.what();
  }
  return "no error";
}

FisheryLogistic reference_fishery(const FisheryParameters& p) {
  return FisheryLogistic({p.growth_rate, p.carrying_capacity, p.catchability, p.initial_stock, 0.0, 0.1});
}

// ---- tac ------------------------------------------------------------------------------------

TEST(Tac, FullCompliance_TotalHarvestNeverExceedsTheTac) {
  // Two kinds of boats so that the proportional closure gives unequal shares.
  sim::ScenarioSpec spec = greedy_fishery(100, 0.1, 60);
  spec.groups.push_back({"big", 50, {{1.0, testing::fixed_effort(0.5)}}, 25.0});
  spec.governance.rules = {rule("tac", {{"total", 100.0}}), obey};
  const Outcome out = run_all(spec);
  const std::vector<double>& harvest = out.series("harvest");
  for (std::size_t t = 0; t < harvest.size(); ++t) {
    EXPECT_LE(harvest[t], 100.0 * (1.0 + 1e-9)) << "step " << t;
    // Demand (0.35 X at least) exceeds the TAC in every step, so the TAC binds.
    EXPECT_NEAR(harvest[t], 100.0, 1e-9 * 100.0) << "step " << t;
  }
  EXPECT_EQ(out.series("tac"), std::vector<double>(60, 100.0));
  EXPECT_EQ(out.series("violations"), std::vector<double>(60, 0.0));
  // The race to fish: shares in proportion to intended catch, 0.1 : 0.5 per boat, E = 35.
  EXPECT_NEAR(out.ledger.harvest_limit[0], 100.0 * 0.1 / 35.0, 1e-12);
  EXPECT_NEAR(out.ledger.harvest_limit[149], 100.0 * 0.5 / 35.0, 1e-12);
  EXPECT_NEAR(out.agents.harvest[149] / out.agents.harvest[0], 5.0, 1e-9);
}

TEST(Tac, NoCompliance_TacExceededAndEveryBoatInBreach) {
  sim::ScenarioSpec spec = greedy_fishery(100, 0.2, 3);
  spec.governance.rules = {rule("tac", {{"total", 100.0}})};
  const Outcome out = run_all(spec);
  EXPECT_EQ(out.series("harvest")[0], 200.0);  // q X E = 0.01 * 1000 * 20
  EXPECT_EQ(out.series("violations")[0], 100.0);
  EXPECT_EQ(out.series("compliance")[0], 0.0);
  EXPECT_NEAR(out.ledger.excess_harvest[0], 0.2 * 0.01 * out.series("stock")[2] - 1.0, 1e-12);
}

TEST(Tac, FractionOfMsy_ResolvedFromTheResourceReferencePoint) {
  sim::ScenarioSpec spec = greedy_fishery(100, 0.2, 20);
  spec.governance.rules = {rule("tac", {{"fraction_of_msy", 0.8}}), obey};
  const Outcome out = run_all(spec);
  const double msy = FisheryParameters{}.growth_rate * FisheryParameters{}.carrying_capacity / 4.0;  // 125
  EXPECT_EQ(out.series("tac"), std::vector<double>(20, 0.8 * msy));
  for (double h : out.series("harvest")) EXPECT_LE(h, 0.8 * msy * (1.0 + 1e-9));
}

TEST(Tac, DemandBelowTac_NoLimitSet) {
  sim::ScenarioSpec spec = greedy_fishery(10, 0.1, 2);  // takes 10 at X = 1000
  spec.governance.rules = {rule("tac", {{"total", 100.0}}), obey};
  const Outcome out = run_all(spec);
  EXPECT_TRUE(std::ranges::all_of(out.ledger.harvest_limit, [](double l) { return std::isinf(l); }));
  EXPECT_EQ(out.series("harvest")[0], 10.0);
}

TEST(Tac, PolicySchedule_SwitchesOnAtTheGivenStep) {
  sim::ScenarioSpec spec = greedy_fishery(100, 0.2, 10);
  spec.governance.rules = {rule("tac", {{"total", 100.0}}, 4), obey};
  const Outcome out = run_all(spec);
  const std::vector<double>& tac = out.series("tac");
  const std::vector<double>& harvest = out.series("harvest");
  for (std::size_t t = 0; t < 4; ++t) {
    EXPECT_TRUE(std::isnan(tac[t])) << t;
    EXPECT_GT(harvest[t], 100.0) << t;
  }
  for (std::size_t t = 4; t < 10; ++t) {
    EXPECT_EQ(tac[t], 100.0) << t;
    EXPECT_NEAR(harvest[t], 100.0, 1e-9 * 100.0) << t;
  }
}

TEST(Tac, PolicySchedule_SwitchesOffAtUntil) {
  sim::ScenarioSpec spec = greedy_fishery(100, 0.2, 6);
  spec.governance.rules = {rule("tac", {{"total", 100.0}}, 0, 3), obey};
  const Outcome out = run_all(spec);
  EXPECT_EQ(out.series("tac")[2], 100.0);
  EXPECT_TRUE(std::isnan(out.series("tac")[3]));
  EXPECT_GT(out.series("harvest")[3], 100.0);
}

TEST(Tac, FractionOfMsyWithoutMsy_RunRefusesWithClearError) {
  // The CPR game has no stock and so no maximum sustainable yield.
  sim::ScenarioSpec spec = testing::cpr_scenario({}, testing::fixed_effort(5.0), 8, 2);
  spec.governance.rules = {rule("tac", {{"fraction_of_msy", 0.5}})};
  EXPECT_EQ(error_of([&] { (void)run_all(spec); }),
            "tac: the resource has no reference point msy_harvest; give the value explicitly");
  spec.governance.rules = {rule("harvest_control_rule")};
  EXPECT_EQ(error_of([&] { (void)run_all(spec); }),
            "harvest_control_rule: the resource has no reference point msy_stock; give the value explicitly");
}

TEST(Tac, Parameters_ValidatedWithClearErrors) {
  EXPECT_EQ(error_of([] { (void)Tac::Parameters::from(sim::Parameters()); }),
            "tac: give exactly one of total [resource units per step] and fraction_of_msy");
  EXPECT_EQ(error_of([] { (void)Tac::Parameters::from(sim::Parameters({{"total", 1.0}, {"fraction_of_msy", 0.5}})); }),
            "tac: give exactly one of total [resource units per step] and fraction_of_msy, not both");
  EXPECT_EQ(error_of([] { (void)Tac::Parameters::from(sim::Parameters({{"total", -1.0}})); }),
            "tac: total must be a finite number at least 0, got -1");
  EXPECT_EQ(error_of([] { (void)Tac::Parameters::from(sim::Parameters({{"total", std::string("many")}})); }),
            "tac: parameter 'total' is not a number");
  const Tac::Parameters p = Tac::Parameters::from(sim::Parameters({{"total", std::int64_t{40}}}));
  EXPECT_EQ(p.total, 40.0);
  EXPECT_FALSE(p.fraction_of_msy);
}

// Tac asks the resource for the predicted harvests a block at a time (harvest_if_each); each
// agent's limit is what asking harvest_if one agent at a time gave, bit for bit, below the
// stock and rationed, over three blocks of agents.
TEST(Tac, BatchedPredictions_EqualOneAgentAtATime) {
  const std::size_t n = 2 * sim::agent_block_size + 1000;
  for (const double mean_effort : {0.006, 0.03}) {  // totals of about 60 and 300 against 1/q = 100
    SCOPED_TRACE(mean_effort);
    testing::FisheryStep world(n, 3);
    sim::AgentTable& agents = world.table;
    for (std::size_t i = 0; i < n; ++i) agents.effort[i] = mean_effort * static_cast<double>(i % 7) / 3.0;
    const sim::Resource& resource = world.resource;
    const sim::ExecutionPolicy& policy = world.policy;
    sim::RuleContext context = world.context();
    const double tac = 1.0;
    Tac(Tac::Parameters::from(sim::Parameters({{"total", tac}}))).apply(sim::Phase::comply, context);

    // One agent at a time, summed in blocks as the rule sums them.
    const double total_effort = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double sum = 0.0;
      for (std::size_t i = first; i < last; ++i) sum += agents.effort[i];
      return sum;
    });
    std::vector<double> predicted(n);
    for (std::size_t i = 0; i < n; ++i)
      predicted[i] = resource.harvest_if(agents.effort[i], total_effort - agents.effort[i]);
    const double predicted_total = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double sum = 0.0;
      for (std::size_t i = first; i < last; ++i) sum += predicted[i];
      return sum;
    });
    ASSERT_GT(predicted_total, tac);
    const double share = tac / predicted_total;
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_EQ(std::bit_cast<std::uint64_t>(world.ledger.harvest_limit[i]),
                std::bit_cast<std::uint64_t>(share * predicted[i]))
          << "agent " << i;
  }
}

// ---- individual_quota -----------------------------------------------------------------------

TEST(IndividualQuota, ListedShares_SplitTheTotalExactly) {
  sim::ScenarioSpec spec = greedy_fishery(4, 10.0, 5);
  spec.governance.rules = {
      rule("individual_quota", {{"total", 100.0}, {"shares", std::vector<double>{1.0, 2.0, 3.0, 4.0}}}), obey};
  const Outcome out = run_all(spec);
  const std::vector<double> expected{10.0, 20.0, 30.0, 40.0};
  EXPECT_EQ(out.ledger.harvest_limit, expected);
  // Each boat wants 0.1 X > 40 (the stock stays above 700) and lands its quota exactly (within the
  // compliance rule's arithmetic).
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_LE(out.agents.harvest[i], expected[i]);
    EXPECT_NEAR(out.agents.harvest[i], expected[i], 1e-9 * expected[i]);
  }
  EXPECT_EQ(out.series("quota_total"), std::vector<double>(5, 100.0));
}

TEST(IndividualQuota, EqualSplit_EveryAgentGetsTotalOverN) {
  sim::ScenarioSpec spec = greedy_fishery(8, 1.0, 2);
  spec.governance.rules = {rule("individual_quota", {{"total", 100.0}}), obey};
  const Outcome out = run_all(spec);
  EXPECT_EQ(out.ledger.harvest_limit, std::vector<double>(8, 12.5));
  for (double h : out.agents.harvest) EXPECT_LE(h, 12.5);
}

TEST(IndividualQuota, DistributedShares_QuotasSumToTheTotal) {
  sim::Distribution shares;
  shares.kind = sim::Distribution::Kind::uniform;
  shares.first = 1.0;
  shares.second = 3.0;
  sim::ScenarioSpec spec = greedy_fishery(50, 1.0, 1);
  spec.governance.rules = {rule("individual_quota", {{"fraction_of_msy", 1.0}, {"shares", shares}})};
  const Outcome out = run_all(spec);
  const std::vector<double>& limit = out.ledger.harvest_limit;
  EXPECT_NEAR(std::accumulate(limit.begin(), limit.end(), 0.0), 125.0, 1e-12 * 125.0);
  const auto [low, high] = std::ranges::minmax(limit);
  EXPECT_GE(low, 125.0 / 50.0 / 3.0);  // shares within [1, 3]
  EXPECT_LE(high, 125.0 / 50.0 * 3.0);
  EXPECT_LT(low, high);
}

TEST(IndividualQuota, ShareListOfWrongLength_RunRefusesWithCount) {
  sim::ScenarioSpec spec = greedy_fishery(3, 1.0, 1);
  spec.governance.rules = {rule("individual_quota", {{"total", 10.0}, {"shares", std::vector<double>{1.0, 2.0}}})};
  EXPECT_EQ(error_of([&] { (void)run_all(spec); }), "individual_quota: shares lists 2 values but the run has 3 agents");
}

TEST(IndividualQuota, Parameters_ValidatedWithClearErrors) {
  using P = IndividualQuota::Parameters;
  EXPECT_EQ(error_of([] { (void)P::from(sim::Parameters({{"total", 1.0}, {"split", std::string("auction")}})); }),
            "individual_quota: split must be 'equal' or 'shares', not 'auction'");
  EXPECT_EQ(error_of([] { (void)P::from(sim::Parameters({{"total", 1.0}, {"split", std::string("shares")}})); }),
            "individual_quota: split 'shares' needs shares");
  EXPECT_EQ(error_of([] {
              (void)P::from(sim::Parameters({{"total", 1.0}, {"shares", std::vector<double>{1.0, -1.0}}}));
            }),
            "individual_quota: every share must be a finite number at least 0");
  EXPECT_EQ(error_of([] {
              (void)P::from(sim::Parameters({{"total", 1.0}, {"shares", std::vector<double>{0.0, 0.0}}}));
            }),
            "individual_quota: the shares must not all be zero");
  EXPECT_EQ(error_of([] { (void)P::from(sim::Parameters({{"shares", 1.0}})); }),
            "individual_quota: give exactly one of total [resource units per step] and fraction_of_msy");
}

// ---- reserve --------------------------------------------------------------------------------

TEST(Reserve, FullCompliance_HarvestNeverTakesTheProtectedShare) {
  sim::ScenarioSpec spec = greedy_fishery(100, 1.0, 40);  // would take the whole stock
  spec.governance.rules = {rule("reserve", {{"share", 0.8}}), obey};
  const Outcome out = run_all(spec);
  const std::vector<double>& stock = out.series("stock");
  const std::vector<double>& harvest = out.series("harvest");
  const std::vector<double>& limit = out.series("reserve_limit");
  for (std::size_t t = 0; t < stock.size(); ++t) {
    EXPECT_EQ(limit[t], (1.0 - 0.8) * stock[t]) << t;
    EXPECT_LE(harvest[t], limit[t] * (1.0 + 1e-9)) << t;
    EXPECT_NEAR(harvest[t], limit[t], 1e-9 * limit[t]) << t;
  }
  // A harvest rate of 0.2 < r: the stock settles at K (1 - 0.2 / r) = 600.
  EXPECT_NEAR(stock.back(), 600.0, 1e-6 * 600.0);
}

TEST(Reserve, Parameters_ValidatedWithClearErrors) {
  EXPECT_EQ(error_of([] { (void)Reserve::Parameters::from(sim::Parameters()); }), "reserve: share is required");
  EXPECT_EQ(error_of([] { (void)Reserve::Parameters::from(sim::Parameters({{"share", 1.0}})); }),
            "reserve: share must lie in [0, 1), got 1");
  EXPECT_EQ(error_of([] { (void)Reserve::Parameters::from(sim::Parameters({{"share", -0.5}})); }),
            "reserve: share must be a finite number at least 0, got -0.5");
}

// ---- harvest_control_rule -------------------------------------------------------------------

TEST(HarvestControlRule, ZeroAssessmentError_TacIsTargetRateTimesStock) {
  sim::ScenarioSpec spec = greedy_fishery(100, 1.0, 40);
  spec.governance.rules = {
      rule("harvest_control_rule", {{"target_harvest_rate", 0.2}, {"trigger_stock", 100.0}}), obey};
  const Outcome out = run_all(spec);
  const std::vector<double>& stock = out.series("stock");
  const std::vector<double>& tac = out.series("hcr_tac");
  const std::vector<double>& harvest = out.series("harvest");
  EXPECT_EQ(out.series("assessed_stock"), stock);
  for (std::size_t t = 0; t < stock.size(); ++t) {
    ASSERT_GE(stock[t], 100.0);
    EXPECT_EQ(tac[t], 0.2 * stock[t]) << t;
    EXPECT_NEAR(harvest[t], tac[t], 1e-9 * tac[t]) << t;
  }
}

TEST(HarvestControlRule, BelowTrigger_HockeyStickScalesTheRateDown) {
  sim::ScenarioSpec spec = greedy_fishery(100, 1.0, 30);
  spec.governance.rules = {
      rule("harvest_control_rule", {{"target_harvest_rate", 0.3}, {"trigger_stock", 2000.0}}), obey};
  const Outcome out = run_all(spec);
  const std::vector<double>& stock = out.series("stock");
  const std::vector<double>& tac = out.series("hcr_tac");
  for (std::size_t t = 0; t < stock.size(); ++t) {
    ASSERT_LT(stock[t], 2000.0);
    EXPECT_EQ(tac[t], 0.3 * stock[t] * (stock[t] / 2000.0)) << t;
    EXPECT_NEAR(out.series("harvest")[t], tac[t], 1e-9 * tac[t]) << t;
  }
  EXPECT_EQ(HarvestControlRule::advised_catch(500.0, 0.3, 2000.0), 0.3 * 500.0 * 0.25);
  EXPECT_EQ(HarvestControlRule::advised_catch(3000.0, 0.3, 2000.0), 0.3 * 3000.0);
}

TEST(HarvestControlRule, Defaults_MsyRateAndMsyStockTrigger) {
  // F = msy_harvest / msy_stock = r / 2 = 0.25; B_trigger = K / 2 = 500. The stock settles
  // where r X (1 - X/K) = 0.25 X, at X = K/2: the MSY.
  sim::ScenarioSpec spec = greedy_fishery(100, 1.0, 200);
  spec.governance.rules = {rule("harvest_control_rule"), obey};
  const Outcome out = run_all(spec);
  const std::vector<double>& stock = out.series("stock");
  EXPECT_EQ(out.series("hcr_tac")[0], 0.25 * 1000.0);
  EXPECT_NEAR(stock.back(), 500.0, 1e-6 * 500.0);
  EXPECT_NEAR(out.series("harvest").back(), 125.0, 1e-6 * 125.0);
}

TEST(HarvestControlRule, Interval_TacHeldBetweenAssessments) {
  sim::ScenarioSpec spec = greedy_fishery(100, 1.0, 9);
  spec.governance.rules = {
      rule("harvest_control_rule",
           {{"target_harvest_rate", 0.2}, {"trigger_stock", 100.0}, {"interval", std::int64_t{3}}}),
      obey};
  const Outcome out = run_all(spec);
  const std::vector<double>& stock = out.series("stock");
  const std::vector<double>& tac = out.series("hcr_tac");
  for (std::size_t t = 0; t < 9; ++t) EXPECT_EQ(tac[t], 0.2 * stock[t - t % 3]) << t;
  EXPECT_NE(stock[1], stock[0]);
}

TEST(HarvestControlRule, SwitchedOnMidRun_AssessesOnItsFirstStep) {
  sim::ScenarioSpec spec = greedy_fishery(100, 1.0, 10);
  spec.governance.rules = {
      rule("harvest_control_rule",
           {{"target_harvest_rate", 0.2}, {"trigger_stock", 100.0}, {"interval", std::int64_t{4}}}, 5),
      obey};
  const Outcome out = run_all(spec);
  const std::vector<double>& stock = out.series("stock");
  const std::vector<double>& tac = out.series("hcr_tac");
  for (std::size_t t = 0; t < 5; ++t) EXPECT_TRUE(std::isnan(tac[t])) << t;
  for (std::size_t t = 5; t < 9; ++t) EXPECT_EQ(tac[t], 0.2 * stock[5]) << t;
  EXPECT_EQ(tac[9], 0.2 * stock[9]);
}

TEST(HarvestControlRule, AssessmentError_TacFollowsTheAssessedStock) {
  sim::ScenarioSpec spec = greedy_fishery(100, 1.0, 400);
  spec.governance.rules = {rule("harvest_control_rule", {{"target_harvest_rate", 0.2}, {"trigger_stock", 400.0},
                                                         {"assessment_error", 0.3}}),
                           obey};
  const Outcome out = run_all(spec);
  const std::vector<double>& stock = out.series("stock");
  const std::vector<double>& assessed = out.series("assessed_stock");
  const std::vector<double>& tac = out.series("hcr_tac");
  double log_error = 0.0, log_error_sq = 0.0;
  for (std::size_t t = 0; t < stock.size(); ++t) {
    EXPECT_EQ(tac[t], HarvestControlRule::advised_catch(assessed[t], 0.2, 400.0)) << t;
    const double e = std::log(assessed[t] / stock[t]);
    log_error += e;
    log_error_sq += e * e;
  }
  // log error ~ N(-sigma^2 / 2, sigma^2): 400 draws put the mean within 0.3 * 4 / 20 = 0.06.
  const double n = static_cast<double>(stock.size());
  EXPECT_NEAR(log_error / n, -0.045, 0.06);
  EXPECT_NEAR(std::sqrt(log_error_sq / n - (log_error / n) * (log_error / n)), 0.3, 0.05);
}

TEST(HarvestControlRule, Parameters_ValidatedWithClearErrors) {
  using P = HarvestControlRule::Parameters;
  EXPECT_EQ(error_of([] { (void)P::from(sim::Parameters({{"interval", std::int64_t{0}}})); }),
            "harvest_control_rule: interval must be a whole number at least 1, got 0");
  EXPECT_EQ(error_of([] { (void)P::from(sim::Parameters({{"interval", 1.5}})); }),
            "harvest_control_rule: interval must be a whole number at least 1, got 1.5");
  EXPECT_EQ(error_of([] { (void)P::from(sim::Parameters({{"assessment_error", -0.1}})); }),
            "harvest_control_rule: assessment_error must be a finite number at least 0, got -0.1");
  EXPECT_EQ(error_of([] { (void)P::from(sim::Parameters({{"trigger_stock", 0.0}})); }),
            "harvest_control_rule: trigger_stock must be greater than 0");
  const P defaults = P::from(sim::Parameters());
  EXPECT_EQ(defaults.interval, 1);
  EXPECT_EQ(defaults.assessment_error, 0.0);
  EXPECT_FALSE(defaults.target_harvest_rate);
  EXPECT_FALSE(defaults.trigger_stock);
}

// ---- sole_owner -----------------------------------------------------------------------------

TEST(SoleOwner, GordonSchaefer_SettlesAtTheMaximumEconomicYield) {
  const FisheryParameters p;
  sim::ScenarioSpec spec = testing::fishery_scenario(p, testing::fixed_effort(3.0), 25, 300);
  spec.governance.rules = {rule("sole_owner")};
  const Outcome out = run_all(spec);
  const FisheryLogistic::SteadyState mey =
      reference_fishery(p).maximum_economic_yield({p.price, p.cost_per_effort, p.discount_rate});
  // X_MEY = (K + c/(pq)) / 2 = 625; rent (p r X - c r/q)(1 - X/K) = 703.125.
  ASSERT_EQ(mey.stock, 625.0);
  EXPECT_NEAR(out.series("stock").back(), mey.stock, 1e-6 * mey.stock);
  EXPECT_NEAR(out.series("rent").back(), mey.rent, 1e-6 * mey.rent);
  EXPECT_NEAR(out.series("effort").back(), mey.effort, 1e-12 * mey.effort);
  EXPECT_EQ(out.series("owner_effort").back(), mey.effort);
  EXPECT_EQ(out.series("violations").back(), 0.0);
  // The rent the owner keeps is what open access (effort 37.5 here) would dissipate.
  EXPECT_EQ(mey.rent, 703.125);
  EXPECT_NEAR(reference_fishery(p).open_access({p.price, p.cost_per_effort, 0.0}).rent, 0.0, 1e-9);
}

TEST(SoleOwner, MsyTarget_SettlesAtHalfTheCarryingCapacity) {
  const FisheryParameters p;
  sim::ScenarioSpec spec = testing::fishery_scenario(p, testing::fixed_effort(0.1), 10, 300);
  spec.governance.rules = {rule("sole_owner", {{"target", std::string("msy")}})};
  const Outcome out = run_all(spec);
  EXPECT_NEAR(out.series("stock").back(), 500.0, 1e-6 * 500.0);
  EXPECT_NEAR(out.series("harvest").back(), 125.0, 1e-6 * 125.0);
}

TEST(SoleOwner, GoldenRuleTarget_SettlesWhereClarksConditionHolds) {
  // Discounted at 5 % a year, the owner keeps the stock at Clark's (1990) golden rule X*, where
  // F'(X) - c'(X) F(X) / (p - c(X)) = delta with F(X) = r X (1 - X/K) and c(X) = c/(qX): above
  // the MEY's 625 t when nothing is discounted, about 596 t here.
  FisheryParameters p;
  p.discount_rate = 0.05;
  sim::ScenarioSpec spec = testing::fishery_scenario(p, testing::fixed_effort(3.0), 25, 400);
  spec.governance.rules = {rule("sole_owner", {{"target", std::string("golden_rule")}})};
  const Outcome out = run_all(spec);
  const FisheryLogistic::SteadyState golden =
      reference_fishery(p).golden_rule({p.price, p.cost_per_effort, p.discount_rate});
  const double x = golden.stock;
  const double growth = p.growth_rate * x * (1.0 - x / p.carrying_capacity);
  const double growth_slope = p.growth_rate * (1.0 - 2.0 * x / p.carrying_capacity);
  const double unit_cost = p.cost_per_effort / (p.catchability * x);
  const double unit_cost_slope = -p.cost_per_effort / (p.catchability * x * x);
  EXPECT_NEAR(growth_slope - unit_cost_slope * growth / (p.price - unit_cost), p.discount_rate, 1e-12);
  EXPECT_NEAR(x, 595.97, 0.01);
  EXPECT_NEAR(out.series("stock").back(), x, 1e-6 * x);
  EXPECT_EQ(out.series("owner_effort").back(), golden.effort);
  EXPECT_EQ(out.series("violations").back(), 0.0);
  // Without discounting the golden rule is the MEY.
  p.discount_rate = 0.0;
  const sim::Economics undiscounted{p.price, p.cost_per_effort, 0.0};
  EXPECT_NEAR(reference_fishery(p).golden_rule(undiscounted).effort,
              reference_fishery(p).maximum_economic_yield(undiscounted).effort, 1e-12);
}

TEST(SoleOwner, CprGame_GroupInvestsTheSocialOptimum) {
  // Walker, Gardner and Ostrom's game: X* = (a - w/p) / (2b) = (23 - 5) / 0.5 = 36 tokens,
  // 4.5 per player, whatever the players intended.
  sim::ScenarioSpec spec = testing::cpr_scenario({}, testing::fixed_effort(10.0), 8, 3);
  spec.governance.rules = {rule("sole_owner")};
  const Outcome out = run_all(spec);
  EXPECT_EQ(out.agents.effort, std::vector<double>(8, 4.5));
  EXPECT_EQ(out.series("owner_effort"), std::vector<double>(3, 36.0));
}

TEST(SoleOwner, Parameters_ValidatedWithClearErrors) {
  EXPECT_EQ(error_of([] { (void)SoleOwner::Parameters::from(sim::Parameters({{"target", std::string("max")}})); }),
            "sole_owner: target must be 'mey', 'msy' or 'golden_rule', not 'max'");
  EXPECT_EQ(SoleOwner::Parameters::from(sim::Parameters()).target, SoleOwner::Parameters::Target::mey);
}

// ---- free_entry -----------------------------------------------------------------------------

TEST(FreeEntry, OpenAccess_SettlesNearTheGordonPoint) {
  // 2000 small boats of effort 0.07; the Gordon point X = c/(pq) = 250 needs E = r/q (1 - X/K)
  // = 37.5, i.e. 535.7 boats: no whole number of boats holds it exactly. One boat moves the
  // equilibrium stock by K q e / r = 1.4 (0.56 %), and entry and exit are random draws, so the
  // stock keeps wandering around the Gordon point by a boat or two. Tolerances: over the last
  // 300 steps the mean stock within 1 % (seen: 0.13 %), every stock within 2 % (seen: 0.7 %),
  // the mean rent within 2 % of the MEY rent of 703.125 (seen: 0.2 %); from below (entry) and
  // from above (exit).
  const FisheryParameters p;
  const double gordon = p.cost_per_effort / (p.price * p.catchability);
  for (const double initial_share : {0.05, 1.0}) {
    sim::ScenarioSpec spec = testing::fishery_scenario(p, testing::fixed_effort(0.07), 2000, 1000);
    spec.governance.rules = {rule("free_entry", {{"entry_rate", 0.02}, {"initial_share", initial_share}})};
    const Outcome out = run_all(spec);
    const auto tail_mean = [&](const std::string& name) {
      const std::vector<double>& v = out.series(name);
      return std::accumulate(v.end() - 300, v.end(), 0.0) / 300.0;
    };
    EXPECT_NEAR(tail_mean("stock"), gordon, 0.01 * gordon) << initial_share;
    EXPECT_NEAR(tail_mean("agents_in"), 37.5 / 0.07, 0.01 * 536.0) << initial_share;
    // Rent dissipated: mean rent near zero against the 703.125 a sole owner would earn.
    EXPECT_NEAR(tail_mean("rent"), 0.0, 0.02 * 703.125) << initial_share;
    const std::vector<double>& stock = out.series("stock");
    const auto [low, high] = std::minmax_element(stock.end() - 300, stock.end());
    EXPECT_NEAR(*low, gordon, 0.02 * gordon) << initial_share;
    EXPECT_NEAR(*high, gordon, 0.02 * gordon) << initial_share;
  }
}

TEST(FreeEntry, ZeroRate_OutsidersNeverFish) {
  sim::ScenarioSpec spec = greedy_fishery(10, 0.5, 5);
  spec.governance.rules = {rule("free_entry", {{"entry_rate", 0.0}, {"initial_share", 0.3}})};
  const Outcome out = run_all(spec);
  EXPECT_EQ(out.series("agents_in"), std::vector<double>(5, 3.0));
  EXPECT_EQ(out.series("effort"), std::vector<double>(5, 1.5));
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(out.agents.effort[i], i < 3 ? 0.5 : 0.0) << i;
  EXPECT_EQ(out.series("violations"), std::vector<double>(5, 0.0));
}

TEST(FreeEntry, LosingFishery_EveryoneLeaves) {
  FisheryParameters p;
  p.cost_per_effort = 1e4;  // income -(c - pqX) e < 0 whatever the stock
  sim::ScenarioSpec spec = testing::fishery_scenario(p, testing::fixed_effort(1.0), 20, 3);
  spec.governance.rules = {rule("free_entry", {{"entry_rate", 1.0}})};
  const Outcome out = run_all(spec);
  // Loss per money spent (1e4 - 100) / 1e4 = 0.99: each boat leaves with probability 0.99.
  EXPECT_EQ(out.series("agents_in")[0], 20.0);
  EXPECT_GE(out.series("exits")[0], 15.0);
  EXPECT_EQ(out.series("entries")[0], 0.0);
  EXPECT_EQ(out.series("agents_in")[2], 0.0);
}

TEST(FreeEntry, SwitchedOnMidRun_InitialShareTakenThen) {
  sim::ScenarioSpec spec = greedy_fishery(10, 0.5, 6);
  spec.governance.rules = {rule("free_entry", {{"entry_rate", 0.0}, {"initial_share", 0.2}}, 3)};
  const Outcome out = run_all(spec);
  EXPECT_EQ(out.series("effort"), (std::vector<double>{5.0, 5.0, 5.0, 1.0, 1.0, 1.0}));
  EXPECT_TRUE(std::isnan(out.series("agents_in")[2]));
  EXPECT_EQ(out.series("agents_in")[3], 2.0);
}

TEST(FreeEntry, Parameters_ValidatedWithClearErrors) {
  using P = FreeEntry::Parameters;
  EXPECT_EQ(error_of([] { (void)P::from(sim::Parameters({{"entry_rate", -1.0}})); }),
            "free_entry: entry_rate must be a finite number at least 0, got -1");
  EXPECT_EQ(error_of([] { (void)P::from(sim::Parameters({{"initial_share", 1.5}})); }),
            "free_entry: initial_share must lie in [0, 1], got 1.5");
  const P defaults = P::from(sim::Parameters());
  EXPECT_EQ(defaults.entry_rate, 0.1);
  EXPECT_EQ(defaults.initial_share, 1.0);
}

// ---- all of them ----------------------------------------------------------------------------

TEST(QuotaRules, Registered_UnderTheirScenarioNames) {
  const std::vector<std::string> names = default_registry().rule_names();
  for (const char* name : {"tac", "individual_quota", "reserve", "harvest_control_rule", "sole_owner", "free_entry"})
    EXPECT_NE(std::ranges::find(names, name), names.end()) << name;
}

TEST(QuotaRules, ParallelAndSerialAgents_BitIdenticalSeries) {
  // More than one block of 4096 agents, random draws (assessment error, entry and exit) and
  // every group limit at once.
  sim::ScenarioSpec spec = testing::fishery_scenario(FisheryParameters{}, testing::fixed_effort(0.01), 9000, 40);
  spec.governance.rules = {rule("free_entry", {{"entry_rate", 0.05}, {"initial_share", 0.5}}),
                           rule("harvest_control_rule", {{"assessment_error", 0.2}}),
                           rule("tac", {{"total", 120.0}}, 10),
                           rule("reserve", {{"share", 0.5}}),
                           rule("individual_quota", {{"total", 150.0}}, 20),
                           obey};
  const Outcome parallel = run_all(spec, sim::ExecutionPolicy{true});
  const Outcome serial = run_all(spec, sim::ExecutionPolicy{false});
  ASSERT_EQ(parallel.result.series.size(), serial.result.series.size());
  for (std::size_t s = 0; s < serial.result.series.size(); ++s) {
    const std::vector<double>& a = parallel.result.series[s].values;
    const std::vector<double>& b = serial.result.series[s].values;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t t = 0; t < a.size(); ++t)
      EXPECT_EQ(std::bit_cast<std::uint64_t>(a[t]), std::bit_cast<std::uint64_t>(b[t]))
          << serial.result.series[s].info.name << " step " << t;
  }
  EXPECT_EQ(parallel.agents.harvest, serial.agents.harvest);
  EXPECT_GT(serial.series("entries")[0] + serial.series("exits")[0], 0.0);
}

}  // namespace
}  // namespace commons::models

namespace commons::models {
namespace {

// ---- what rules check before the first step (sim::preflight, Rule::check) -----------------------

TEST(QuotaRuleChecks, ReferencePointsAndSharesAreCheckedBeforeTheFirstStep) {
  // The CPR game has no maximum sustainable yield: a quota of it cannot be set.
  const sim::ScenarioSpec game = testing::cpr_scenario(testing::CprParameters{}, testing::fixed_effort(5.0));
  for (const char* name : {"tac", "individual_quota", "itq"}) {
    sim::ScenarioSpec governed = game;
    governed.governance.rules = {rule(name, {{"fraction_of_msy", 0.8}})};
    governed.governance.rules[0].rule.pointer = "/governance/rules/0";
    try {
      sim::preflight(governed, default_registry());
      ADD_FAILURE() << name << ": no error";
    } catch (const sim::ComponentError& error) {
      EXPECT_EQ(error.pointer(), "/governance/rules/0") << name;
      EXPECT_NE(std::string(error.what()).find("msy"), std::string::npos) << name << ": " << error.what();
    }
  }
  // Shares listed for another number of agents than the run has.
  sim::ScenarioSpec fishery = greedy_fishery(4, 1.0, 3);
  fishery.governance.rules = {rule("individual_quota", {{"total", 100.0},
                                                       {"split", std::string("shares")},
                                                       {"shares", std::vector<double>{1.0, 2.0, 3.0}}})};
  try {
    sim::preflight(fishery, default_registry());
    ADD_FAILURE() << "no error";
  } catch (const sim::ComponentError& error) {
    EXPECT_STREQ(error.what(), "individual_quota: shares lists 3 values but the run has 4 agents");
  }
  fishery.governance.rules[0].rule.parameters = sim::Parameters(
      {{"total", 100.0}, {"split", std::string("shares")}, {"shares", std::vector<double>{1.0, 2.0, 3.0, 4.0}}});
  EXPECT_NO_THROW(sim::preflight(fishery, default_registry()));
}

}  // namespace
}  // namespace commons::models
