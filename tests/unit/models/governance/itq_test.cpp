// SPDX-License-Identifier: Apache-2.0
// `itq`: hand-worked markets on a fishery at a known stock (who bids, who offers, the price,
// holdings and money after the market, lease against sale, the cap, each allocation), then
// whole runs: rational agents under an ITQ with the TAC at the MEY harvest settle at the MEY
// stock with the quota price at the marginal rent; determinism across executors.
#include <commons/models/governance/itq.hpp>
#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/sim/run.hpp>
#include <commons/sim/statistics.hpp>

#include <fishery_spec.hpp>

#include <gtest/gtest.h>

#include <map>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

namespace commons::models {
namespace {

// ---------------------------------------------------------------------------------------
// One market at a time, driven by hand: a fishery at X = 1000 with q = 0.01, so one unit of
// effort takes 10 units of fish and the marginal value of quota is v = p - c/(qX).

struct Market {
  FisheryLogistic fishery{FisheryLogistic::Parameters{0.5, 1000.0, 0.01, 1000.0, 0.0, 0.1}};
  sim::Economics economics{10.0, 25.0, 0.0};
  sim::RandomStream random{1, 0};
  sim::Observation observation = fishery.observe();
  sim::ExecutionPolicy policy{false};
  sim::StepOutcome previous;
  sim::AgentTable agents;
  sim::GovernanceLedger ledger;
  std::int64_t step = 0;

  explicit Market(std::vector<double> costs) : ledger(costs.size()) {
    agents.append_group(0, costs.size(), 25.0);
    agents.cost_per_effort = std::move(costs);
  }

  /// One comply phase with these intended efforts, after the engine's reset of the ledger.
  void clear(Itq& rule, const std::vector<double>& efforts) {
    agents.effort = efforts;
    ledger.clear(0, ledger.size());
    const sim::StepContext context{step, random, economics, observation, policy, fishery, previous, nullptr, nullptr};
    std::map<std::string, double, std::less<>> settings;
    sim::RuleContext rule_context{context, agents, ledger, fishery, nullptr, settings};
    rule.apply(sim::Phase::comply, rule_context);
    ++step;
  }
};

Itq::Parameters itq_parameters(double total, const char* allocation = "equal", const char* market = "lease",
                               double max_holding = 1.0) {
  return Itq::Parameters::from(sim::Parameters({{"total", total},
                                                {"allocation", std::string(allocation)},
                                                {"market", std::string(market)},
                                                {"max_holding", max_holding}}));
}

std::vector<double> sampled(const Itq& rule) {
  std::vector<double> values(rule.variables().size());
  rule.sample(values);
  return values;
}

// The book of the next tests. TAC 40, four agents, 10 units each. Intended efforts 2, 2,
// 0.5, 0 want 20, 20, 5 and 0 units: agents 0 and 1 bid for 10 each at v = 10 - 25/10 = 7.5,
// agents 2 and 3 offer the 5 and 10 they will not use at 0. Demand 20 exceeds supply 15: the
// market is short, agent 0 (lower id) is served in full, agent 1 gets 5, and its rationed
// bid sets the price at its value 7.5, the marginal rent of quota.
const std::vector<double> book_efforts{2.0, 2.0, 0.5, 0.0};
constexpr double marginal_rent = 7.5;

TEST(Itq, ShortMarket_ClearsAtTheMarginalValueOfQuota) {
  Market m({25.0, 25.0, 25.0, 25.0});
  Itq rule(itq_parameters(40.0));
  m.clear(rule, book_efforts);
  const double price = sampled(rule)[0];
  EXPECT_NEAR(price, marginal_rent, 1e-9);
  EXPECT_EQ(std::vector<double>(rule.holdings().begin(), rule.holdings().end()),
            (std::vector<double>{20.0, 15.0, 5.0, 0.0}));
  EXPECT_EQ(m.ledger.harvest_limit, (std::vector<double>{20.0, 15.0, 5.0, 0.0}));
  EXPECT_EQ(m.ledger.transfer, (std::vector<double>{-10.0 * price, -5.0 * price, 5.0 * price, 10.0 * price}));
}

TEST(Itq, Trades_ConserveQuotaAndMoney) {
  Market m({25.0, 25.0, 25.0, 25.0});
  Itq rule(itq_parameters(40.0));
  m.clear(rule, book_efforts);
  EXPECT_EQ(std::accumulate(rule.holdings().begin(), rule.holdings().end(), 0.0), 40.0);
  EXPECT_EQ(std::accumulate(m.ledger.transfer.begin(), m.ledger.transfer.end(), 0.0), 0.0);
  const std::vector<double> values = sampled(rule);
  EXPECT_EQ(values[1], 15.0);  // quota_traded
  EXPECT_EQ(values[3], 0.0);   // the state sold nothing
}

TEST(Itq, Reporting_HoldingsGiniRecordedAndNoMarketWhenNotInForce) {
  Market m({25.0, 25.0, 25.0, 25.0});
  Itq rule(itq_parameters(40.0));
  m.clear(rule, book_efforts);
  const std::vector<double> holdings{20.0, 15.0, 5.0, 0.0};
  const std::vector<double> values = sampled(rule);
  EXPECT_EQ(rule.variables()[2].name, "holdings_gini");
  EXPECT_EQ(values[2], sim::gini(holdings));
  EXPECT_DOUBLE_EQ(values[2], 0.4375);  // sum_i (2i - n - 1) x_(i) / (n sum x) = 70 / 160
  // A step in which the rule did not act (sample without a market) reports no market.
  const std::vector<double> idle = sampled(rule);
  EXPECT_TRUE(std::isnan(idle[0]));
  EXPECT_TRUE(std::isnan(idle[1]));
  EXPECT_TRUE(std::isnan(idle[2]));
  EXPECT_TRUE(std::isnan(idle[3]));
}

TEST(Itq, Lease_HoldingsRevertToTheAllocationEveryStep) {
  Market m({25.0, 25.0, 25.0, 25.0});
  Itq rule(itq_parameters(40.0, "equal", "lease"));
  m.clear(rule, book_efforts);
  m.clear(rule, book_efforts);
  // The same market again: everyone started from 10, not from last step's holdings.
  EXPECT_EQ(std::vector<double>(rule.holdings().begin(), rule.holdings().end()),
            (std::vector<double>{20.0, 15.0, 5.0, 0.0}));
  EXPECT_EQ(sampled(rule)[1], 15.0);
}

TEST(Itq, Sale_HoldingsPersistAndOnlyNewNeedsTrade) {
  Market m({25.0, 25.0, 25.0, 25.0});
  Itq rule(itq_parameters(40.0, "equal", "sale"));
  m.clear(rule, book_efforts);
  m.clear(rule, book_efforts);
  // Bought units stayed: agent 1 still lacks 5 and bids, but nobody has units to offer.
  EXPECT_EQ(std::vector<double>(rule.holdings().begin(), rule.holdings().end()),
            (std::vector<double>{20.0, 15.0, 5.0, 0.0}));
  const std::vector<double> values = sampled(rule);
  EXPECT_EQ(values[1], 0.0);
  EXPECT_NEAR(values[0], marginal_rent, 1e-9);  // a one-sided book: its best bid
  EXPECT_EQ(m.ledger.transfer, std::vector<double>(4, 0.0));
}

TEST(Itq, HoldingsCap_NoAgentHoldsMoreAndSlackQuotaIsFree) {
  Market m({25.0, 25.0, 25.0, 25.0});
  Itq rule(itq_parameters(40.0, "equal", "lease", 0.375));  // at most 15 units each
  m.clear(rule, book_efforts);
  // Agents 0 and 1 may each buy 5; 15 are offered, so quota is not scarce: price 0. Of the
  // two offers at 0, agent 2's (lower id) sells first.
  EXPECT_EQ(std::vector<double>(rule.holdings().begin(), rule.holdings().end()),
            (std::vector<double>{15.0, 15.0, 5.0, 5.0}));
  for (double h : rule.holdings()) EXPECT_LE(h, 15.0);
  EXPECT_EQ(sampled(rule)[0], 0.0);
}

TEST(Itq, HistoryAllocation_ProportionalToLastCatchAndCapped) {
  Market m({25.0, 25.0, 25.0, 25.0});
  m.agents.harvest = {30.0, 10.0, 0.0, 0.0};
  Itq rule(itq_parameters(40.0, "history"));
  m.clear(rule, {3.0, 1.0, 0.0, 0.0});  // everyone wants what they hold: no market
  EXPECT_EQ(std::vector<double>(rule.holdings().begin(), rule.holdings().end()),
            (std::vector<double>{30.0, 10.0, 0.0, 0.0}));

  Market capped({25.0, 25.0, 25.0, 25.0});
  capped.agents.harvest = {30.0, 10.0, 0.0, 0.0};
  Itq cap_rule(itq_parameters(40.0, "history", "lease", 0.5));
  capped.clear(cap_rule, {2.0, 2.0, 0.0, 0.0});
  EXPECT_EQ(std::vector<double>(cap_rule.holdings().begin(), cap_rule.holdings().end()),
            (std::vector<double>{20.0, 20.0, 0.0, 0.0}));
}

TEST(Itq, HistoryAllocation_NoCatchYet_Equal) {
  Market m({25.0, 25.0, 25.0, 25.0});
  Itq rule(itq_parameters(40.0, "history"));
  m.clear(rule, {1.0, 1.0, 1.0, 1.0});
  EXPECT_EQ(std::vector<double>(rule.holdings().begin(), rule.holdings().end()), std::vector<double>(4, 10.0));
}

TEST(Itq, AuctionAllocation_StateSellsTheTacToTheHighestBids) {
  // Costs 25, 50, 75: values 7.5, 5 and 2.5 for 20, 30 and 10 units. The state offers the
  // TAC of 40 at 0: agent 0 gets 20, agent 1 the other 20 and its rationed bid sets the price
  // at 5; agent 2, the least efficient, gets none. Revenue 40 x 5.
  Market m({25.0, 50.0, 75.0, 25.0});
  Itq rule(itq_parameters(40.0, "auction", "lease"));
  const std::vector<double> efforts{2.0, 3.0, 1.0, 0.0};
  m.clear(rule, efforts);
  const std::vector<double> first = sampled(rule);
  EXPECT_NEAR(first[0], 5.0, 1e-9);
  EXPECT_EQ(std::vector<double>(rule.holdings().begin(), rule.holdings().end()),
            (std::vector<double>{20.0, 20.0, 0.0, 0.0}));
  EXPECT_EQ(first[3], 40.0 * first[0]);
  EXPECT_EQ(rule.state_holding(), 0.0);
  // Money leaves the agents for the state, and only for it.
  EXPECT_NEAR(std::accumulate(m.ledger.transfer.begin(), m.ledger.transfer.end(), 0.0) + first[3], 0.0, 1e-12);
  // Lease: the auction's outcome is what holdings revert to; nothing is auctioned again.
  m.clear(rule, efforts);
  EXPECT_EQ(std::vector<double>(rule.holdings().begin(), rule.holdings().end()),
            (std::vector<double>{20.0, 20.0, 0.0, 0.0}));
  const std::vector<double> second = sampled(rule);
  EXPECT_EQ(second[1], 0.0);
  EXPECT_EQ(second[3], 0.0);
}

TEST(Itq, AuctionAllocation_UnsoldQuotaStaysWithTheStateAndIsOfferedAgain) {
  Market m({25.0, 25.0, 25.0, 25.0});
  Itq rule(itq_parameters(40.0, "auction", "sale"));
  m.clear(rule, {1.0, 1.0, 0.0, 0.0});  // 20 units wanted: excess supply, price 0
  EXPECT_EQ(sampled(rule)[0], 0.0);
  EXPECT_EQ(rule.state_holding(), 20.0);
  m.clear(rule, {2.0, 1.0, 0.0, 0.0});  // agent 0 now wants 10 more and gets them from the state
  EXPECT_EQ(rule.holdings()[0], 20.0);
  EXPECT_EQ(rule.state_holding(), 10.0);
}

TEST(Itq, Divide_WaterFillingUnderTheCap) {
  const std::vector<double> weights{6.0, 3.0, 1.0};
  EXPECT_EQ(Itq::divide(weights, 10.0, 10.0), (std::vector<double>{6.0, 3.0, 1.0}));
  EXPECT_EQ(Itq::divide(weights, 10.0, 4.0), (std::vector<double>{4.0, 4.0, 2.0}));
  // Too tight a cap to place everything: each gets the cap, the rest is left over.
  EXPECT_EQ(Itq::divide(std::vector<double>{1.0, 1.0, 1.0}, 10.0, 3.0), (std::vector<double>{3.0, 3.0, 3.0}));
  EXPECT_EQ(Itq::divide(std::vector<double>{0.0, 0.0}, 10.0, 10.0), (std::vector<double>{5.0, 5.0}));
}

TEST(Itq, Parameters_ClearErrors) {
  using P = std::map<std::string, sim::ParameterValue, std::less<>>;
  const auto error = [](P values) {
    try {
      (void)Itq::Parameters::from(sim::Parameters(std::move(values)));
    } catch (const sim::SpecError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error({}), "itq: give exactly one of 'total' and 'fraction_of_msy'");
  EXPECT_EQ(error({{"total", 1.0}, {"fraction_of_msy", 0.5}}), "itq: give exactly one of 'total' and 'fraction_of_msy'");
  EXPECT_EQ(error({{"total", -1.0}}), "itq: 'total' must be a finite number >= 0");
  EXPECT_EQ(error({{"total", 1.0}, {"allocation", std::string("lottery")}}),
            "itq: 'allocation' must be \"equal\", \"history\" or \"auction\", not \"lottery\"");
  EXPECT_EQ(error({{"total", 1.0}, {"market", std::string("swap")}}),
            "itq: 'market' must be \"lease\" or \"sale\", not \"swap\"");
  EXPECT_EQ(error({{"total", 1.0}, {"max_holding", 0.0}}), "itq: 'max_holding' must be in (0, 1]");
  EXPECT_EQ(error({{"total", 1.0}, {"history_steps", std::int64_t{3}}}),
            "itq: 'history_steps' must be 1 (only the last step's catches are known)");
}

// ---------------------------------------------------------------------------------------
// Whole runs.

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

Outcome run(const sim::ScenarioSpec& spec, sim::ExecutionPolicy policy = {}) {
  sim::Run r(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, policy);
  while (!r.done()) r.step();
  Outcome out{{}, r.agents(), *r.ledger()};
  out.result = r.take_result();
  return out;
}

sim::ComponentSpec rational(double max_effort) {
  return {"best_response", sim::Parameters({{"max_effort", max_effort}, {"initial_effort", max_effort}}), ""};
}

/// A Gordon-Schaefer fishery (r 0.5, K 1000, q 0.01, p 10, c 25) with two fleets of rational
/// (best-response) boats: big boats that could take far more than their quota and small
/// ones that cannot use theirs, so that quota changes hands every step. The ITQ's TAC is the
/// MEY harvest; boats obey their quota (`compliance`, mode full).
sim::ScenarioSpec itq_fishery(std::int64_t big, std::int64_t small, std::int64_t steps, sim::Parameters itq) {
  const testing::FisheryParameters p;
  sim::ScenarioSpec spec = testing::fishery_scenario(p, rational(5.0 * 10.0 / static_cast<double>(big)), big, steps);
  spec.groups.push_back({"small_boats", small, {{1.0, rational(2.0 / static_cast<double>(small))}}, p.cost_per_effort});
  spec.governance.rules = {sim::RuleSpec{{"itq", std::move(itq), ""}},
                           sim::RuleSpec{{"compliance", sim::Parameters({{"mode", std::string("full")}}), ""}}};
  return spec;
}

TEST(ItqFishery, RationalAgentsTacAtMey_SettlesAtMeyAndQuotaPriceAtMarginalRent) {
  const testing::FisheryParameters p;
  const FisheryLogistic fishery(FisheryLogistic::Parameters::from(testing::fishery(p).parameters));
  const sim::Economics economics{p.price, p.cost_per_effort, 0.0};
  const FisheryLogistic::SteadyState mey = fishery.maximum_economic_yield(economics);
  ASSERT_DOUBLE_EQ(mey.stock, 625.0);
  ASSERT_DOUBLE_EQ(mey.harvest, 117.1875);
  // Marginal rent of a unit of quota at the MEY stock: p - c/(q X_MEY) = 10 - 25/6.25 = 6.
  const double rent_per_unit = p.price - p.cost_per_effort / (p.catchability * mey.stock);
  const Outcome out = run(itq_fishery(10, 10, 300, sim::Parameters({{"total", mey.harvest}})));
  const std::vector<double>& stock = out.series("stock");
  const std::vector<double>& harvest = out.series("harvest");
  const std::vector<double>& price = out.series("quota_price");
  const std::vector<double>& traded = out.series("quota_traded");
  for (std::size_t t = 0; t < harvest.size(); ++t) EXPECT_NEAR(harvest[t], mey.harvest, 1e-9 * mey.harvest) << t;
  EXPECT_NEAR(stock.back(), mey.stock, 1e-6 * mey.stock);
  EXPECT_NEAR(price.back(), rent_per_unit, 1e-6 * rent_per_unit);
  EXPECT_NEAR(out.series("rent").back(), mey.rent, 1e-6 * mey.rent);
  // Quota changes hands every step (the small boats lease out what they cannot use), and
  // everyone keeps within what they hold.
  for (double units : traded) EXPECT_GT(units, 0.0);
  EXPECT_EQ(out.series("compliance"), std::vector<double>(300, 1.0));
  // On the way down from K the price follows the marginal rent at the current stock.
  EXPECT_NEAR(price[0], p.price - p.cost_per_effort / (p.catchability * stock[0]), 1e-6);
  EXPECT_NEAR(price[10], p.price - p.cost_per_effort / (p.catchability * stock[10]), 1e-6);
}

TEST(ItqFishery, EveryStep_TransfersSumToZeroAndHoldingsGiniRecorded) {
  const Outcome out = run(itq_fishery(10, 10, 40, sim::Parameters({{"fraction_of_msy", 0.9}})));
  const std::vector<double>& transfers = out.series("transfers");
  const std::vector<double>& price = out.series("quota_price");
  const std::vector<double>& traded = out.series("quota_traded");
  for (std::size_t t = 0; t < transfers.size(); ++t)
    EXPECT_NEAR(transfers[t], 0.0, 1e-9 * std::max(1.0, price[t] * traded[t])) << t;
  for (double g : out.series("holdings_gini")) {
    EXPECT_GT(g, 0.0);
    EXPECT_LT(g, 1.0);
  }
  EXPECT_EQ(out.series("auction_revenue"), std::vector<double>(40, 0.0));
}

TEST(ItqFishery, AuctionAllocation_RevenueInTheFirstStepOnlyAndPaidByAgents) {
  const Outcome out =
      run(itq_fishery(10, 10, 5, sim::Parameters({{"total", 100.0}, {"allocation", std::string("auction")}})));
  const std::vector<double>& revenue = out.series("auction_revenue");
  const std::vector<double>& transfers = out.series("transfers");
  EXPECT_GT(revenue[0], 0.0);
  EXPECT_NEAR(transfers[0], -revenue[0], 1e-9 * revenue[0]);
  for (std::size_t t = 1; t < revenue.size(); ++t) EXPECT_EQ(revenue[t], 0.0) << t;
}

TEST(ItqFishery, SwitchedOnMidRun_NoMarketBeforeAndQuotaBindsAfter) {
  // Open access for four steps (harvests well above 50), then an ITQ of 50 per step
  // allocated by the catches of step 3.
  sim::ScenarioSpec spec = itq_fishery(10, 10, 30, sim::Parameters({{"total", 50.0}, {"allocation", std::string("history")}}));
  spec.governance.rules[0].from = 4;
  const Outcome out = run(spec);
  const std::vector<double>& price = out.series("quota_price");
  const std::vector<double>& harvest = out.series("harvest");
  for (std::size_t t = 0; t < 4; ++t) {
    EXPECT_TRUE(std::isnan(price[t])) << t;
    EXPECT_GT(harvest[t], 100.0) << t;
  }
  for (std::size_t t = 4; t < 30; ++t) {
    EXPECT_FALSE(std::isnan(price[t])) << t;
    EXPECT_LE(harvest[t], 50.0 * (1.0 + 1e-12)) << t;
  }
  EXPECT_NEAR(harvest.back(), 50.0, 1e-9);
}

TEST(ItqFishery, ManyAgents_SameBitsSerialAndParallel) {
  // More than one block of 4096 agents, so the parallel executor splits the work.
  sim::ScenarioSpec spec = itq_fishery(3000, 2500, 12,
                                       sim::Parameters({{"fraction_of_msy", 0.8},
                                                        {"allocation", std::string("history")},
                                                        {"max_holding", 0.001},
                                                        {"market", std::string("sale")}}));
  spec.governance.rules[0].from = 2;
  const Outcome parallel = run(spec, sim::ExecutionPolicy{true});
  const Outcome serial = run(spec, sim::ExecutionPolicy{false});
  ASSERT_EQ(parallel.result.series.size(), serial.result.series.size());
  for (std::size_t s = 0; s < serial.result.series.size(); ++s) {
    const std::vector<double>& a = parallel.result.series[s].values;
    const std::vector<double>& b = serial.result.series[s].values;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t t = 0; t < a.size(); ++t)
      EXPECT_TRUE(a[t] == b[t] || (std::isnan(a[t]) && std::isnan(b[t]))) << serial.result.series[s].info.name << " " << t;
  }
  EXPECT_EQ(parallel.agents.income, serial.agents.income);
  EXPECT_EQ(parallel.ledger.harvest_limit, serial.ledger.harvest_limit);
  EXPECT_GT(serial.series("quota_traded")[2], 0.0);
  // No agent holds more than the cap: 0.001 of the TAC, 0.8 x MSY = 0.8 x rK/4 = 100.
  for (double limit : serial.ledger.harvest_limit) EXPECT_LE(limit, 0.1);
}

}  // namespace
}  // namespace commons::models
