// SPDX-License-Identifier: Apache-2.0
// The uniform-price call auction on hand-worked books: the clearing price, who trades how
// much, ties served by agent id, books that do not cross, and conservation of units and money.
#include <commons/models/governance/call_auction.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace commons::models {
namespace {

TEST(CallAuction, CrossingBooks_ClearAtThePriceWhereDemandMeetsSupply) {
  // Demand at p: 2 (p <= 10) + 2 (p <= 8) + 2 (p <= 5); supply: 1 (p >= 4) + 2 (p >= 6) +
  // 2 (p >= 9). Three units trade; the bid at 8 is the marginal one, partly filled, so the
  // price is 8: at any other price either demand or supply of the fourth unit is missing.
  const std::vector<Order> bids{{1, 10.0, 2.0}, {2, 8.0, 2.0}, {3, 5.0, 2.0}};
  const std::vector<Order> asks{{4, 4.0, 1.0}, {5, 6.0, 2.0}, {6, 9.0, 2.0}};
  const AuctionResult r = call_auction(bids, asks);
  EXPECT_EQ(r.price, 8.0);
  EXPECT_EQ(r.lower, 8.0);
  EXPECT_EQ(r.upper, 8.0);
  EXPECT_EQ(r.volume, 3.0);
  EXPECT_EQ(r.bought, (std::vector<double>{2.0, 1.0, 0.0}));
  EXPECT_EQ(r.sold, (std::vector<double>{1.0, 2.0, 0.0}));
}

TEST(CallAuction, IntervalOfClearingPrices_PriceIsItsMidpoint) {
  // One unit trades (10 against 3); any price in [7, 10] clears (the bid at 7 must not want
  // to buy, the ask at 12 must not want to sell, the traded pair must both accept): 8.5.
  const std::vector<Order> bids{{1, 7.0, 1.0}, {2, 10.0, 1.0}};
  const std::vector<Order> asks{{3, 12.0, 1.0}, {4, 3.0, 1.0}};
  const AuctionResult r = call_auction(bids, asks);
  EXPECT_EQ(r.lower, 7.0);
  EXPECT_EQ(r.upper, 10.0);
  EXPECT_EQ(r.price, 8.5);
  EXPECT_EQ(r.bought, (std::vector<double>{0.0, 1.0}));
  EXPECT_EQ(r.sold, (std::vector<double>{0.0, 1.0}));
}

TEST(CallAuction, DemandEqualsSupply_PriceIsMidpointOfMarginalBidAndAsk) {
  const std::vector<Order> bids{{1, 6.0, 2.0}};
  const std::vector<Order> asks{{2, 2.0, 2.0}};
  const AuctionResult r = call_auction(bids, asks);
  EXPECT_EQ(r.price, 4.0);
  EXPECT_EQ(r.volume, 2.0);
}

TEST(CallAuction, TiedBids_LowerAgentIdServedFirstWhateverTheInputOrder) {
  const std::vector<Order> bids{{7, 5.0, 2.0}, {3, 5.0, 2.0}};
  const std::vector<Order> asks{{9, 1.0, 3.0}};
  const AuctionResult r = call_auction(bids, asks);
  EXPECT_EQ(r.bought, (std::vector<double>{1.0, 2.0}));  // agent 3 in full, agent 7 the rest
  EXPECT_EQ(r.price, 5.0);                               // a rationed bid sets the price
  const std::vector<Order> swapped{bids[1], bids[0]};
  EXPECT_EQ(call_auction(swapped, asks).bought, (std::vector<double>{2.0, 1.0}));
}

TEST(CallAuction, TiedAsks_LowerAgentIdSellsFirst) {
  const std::vector<Order> bids{{1, 9.0, 3.0}};
  const std::vector<Order> asks{{8, 2.0, 2.0}, {4, 2.0, 2.0}};
  const AuctionResult r = call_auction(bids, asks);
  EXPECT_EQ(r.sold, (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(r.price, 2.0);  // a rationed ask sets the price
}

TEST(CallAuction, BooksThatDoNotCross_NoTradeAndPriceBetweenBestBidAndAsk) {
  const std::vector<Order> bids{{1, 4.0, 1.0}, {2, 3.0, 5.0}};
  const std::vector<Order> asks{{3, 6.0, 1.0}};
  const AuctionResult r = call_auction(bids, asks);
  EXPECT_EQ(r.volume, 0.0);
  EXPECT_EQ(r.price, 5.0);
  EXPECT_EQ(r.bought, (std::vector<double>{0.0, 0.0}));
  EXPECT_EQ(r.sold, (std::vector<double>{0.0}));
}

TEST(CallAuction, OneSidedOrEmptyBook_TheOneQuoteOrNaN) {
  const std::vector<Order> bids{{1, 4.0, 1.0}, {2, 3.0, 5.0}};
  const std::vector<Order> asks{{3, 6.0, 1.0}, {4, 7.0, 1.0}};
  EXPECT_EQ(call_auction(bids, {}).price, 4.0);
  EXPECT_EQ(call_auction({}, asks).price, 6.0);
  EXPECT_TRUE(std::isnan(call_auction({}, {}).price));
  // Zero-quantity orders take no part.
  const std::vector<Order> empty_bid{{1, 100.0, 0.0}};
  EXPECT_EQ(call_auction(empty_bid, asks).price, 6.0);
}

TEST(CallAuction, BadOrders_Throw) {
  const std::vector<Order> fine{{1, 1.0, 1.0}};
  const std::vector<Order> nan_price{{1, std::numeric_limits<double>::quiet_NaN(), 1.0}};
  const std::vector<Order> negative{{1, 1.0, -1.0}};
  const std::vector<Order> infinite{{1, std::numeric_limits<double>::infinity(), 1.0}};
  EXPECT_THROW((void)call_auction(nan_price, fine), std::invalid_argument);
  EXPECT_THROW((void)call_auction(fine, negative), std::invalid_argument);
  EXPECT_THROW((void)call_auction(infinite, fine), std::invalid_argument);
}

/// Units bought equal units sold, and the money buyers pay at the uniform price equals what
/// sellers receive.
void expect_conserved(const std::vector<Order>& bids, const std::vector<Order>& asks, double money_tolerance) {
  const AuctionResult r = call_auction(bids, asks);
  double bought = 0.0, sold = 0.0, money = 0.0;
  for (std::size_t k = 0; k < bids.size(); ++k) {
    EXPECT_LE(r.bought[k], bids[k].quantity);
    if (r.bought[k] > 0.0) {
      EXPECT_GE(bids[k].price, r.price);
    }
    bought += r.bought[k];
    money -= r.price * r.bought[k];
  }
  for (std::size_t k = 0; k < asks.size(); ++k) {
    EXPECT_LE(r.sold[k], asks[k].quantity);
    if (r.sold[k] > 0.0) {
      EXPECT_LE(asks[k].price, r.price);
    }
    sold += r.sold[k];
    money += r.price * r.sold[k];
  }
  EXPECT_NEAR(bought, sold, 1e-9 * std::max(1.0, bought));
  EXPECT_NEAR(bought, r.volume, 1e-9 * std::max(1.0, bought));
  if (money_tolerance == 0.0) {
    EXPECT_EQ(money, 0.0);
  } else {
    EXPECT_NEAR(money, 0.0, money_tolerance);
  }
}

TEST(CallAuction, DyadicBooks_UnitsAndMoneyConservedExactly) {
  // Prices in eighths, whole quantities: every sum is exact, so transfers cancel to 0 exactly.
  std::mt19937_64 engine(11);
  std::uniform_int_distribution<int> price(0, 160);
  std::uniform_int_distribution<int> quantity(1, 9);
  for (int book = 0; book < 20; ++book) {
    std::vector<Order> bids, asks;
    for (std::uint64_t a = 0; a < 60; ++a) {
      Order order{a, price(engine) / 8.0, static_cast<double>(quantity(engine))};
      (a % 2 == 0 ? bids : asks).push_back(order);
    }
    expect_conserved(bids, asks, 0.0);
  }
}

TEST(CallAuction, ArbitraryBooks_UnitsAndMoneyConservedWithinRounding) {
  std::mt19937_64 engine(12);
  std::uniform_real_distribution<double> price(0.0, 20.0);
  std::uniform_real_distribution<double> quantity(0.0, 3.0);
  for (int book = 0; book < 20; ++book) {
    std::vector<Order> bids, asks;
    for (std::uint64_t a = 0; a < 500; ++a) {
      Order order{a, price(engine), quantity(engine)};
      (a % 3 == 0 ? asks : bids).push_back(order);
    }
    expect_conserved(bids, asks, 1e-9);
  }
}

TEST(CallAuction, ShuffledInput_SameFillsPerOrder) {
  std::mt19937_64 engine(13);
  std::uniform_int_distribution<int> price(0, 8);
  std::vector<Order> bids, asks;
  for (std::uint64_t a = 0; a < 200; ++a) (a % 2 ? bids : asks).push_back({a, static_cast<double>(price(engine)), 1.5});
  const AuctionResult r = call_auction(bids, asks);
  std::vector<std::size_t> order(bids.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::shuffle(order.begin(), order.end(), engine);
  std::vector<Order> shuffled;
  for (std::size_t k : order) shuffled.push_back(bids[k]);
  const AuctionResult s = call_auction(shuffled, asks);
  EXPECT_EQ(s.price, r.price);
  for (std::size_t k = 0; k < order.size(); ++k) EXPECT_EQ(s.bought[k], r.bought[order[k]]);
}

/// Every field of two clearings, bit for bit.
void expect_same_bits(const AuctionResult& fast, const AuctionResult& reference) {
  const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
  EXPECT_EQ(bits(fast.price), bits(reference.price));
  EXPECT_EQ(bits(fast.lower), bits(reference.lower));
  EXPECT_EQ(bits(fast.upper), bits(reference.upper));
  EXPECT_EQ(bits(fast.volume), bits(reference.volume));
  ASSERT_EQ(fast.bought.size(), reference.bought.size());
  ASSERT_EQ(fast.sold.size(), reference.sold.size());
  for (std::size_t k = 0; k < fast.bought.size(); ++k) EXPECT_EQ(bits(fast.bought[k]), bits(reference.bought[k])) << k;
  for (std::size_t k = 0; k < fast.sold.size(); ++k) EXPECT_EQ(bits(fast.sold[k]), bits(reference.sold[k])) << k;
}

// The market that clears every step (radix-sorted books on reused buffers) against
// call_auction on random books: prices from a few discrete levels (many ties, served by agent
// id) or continuous ones, negative prices and -0, zero quantities, several orders by one
// agent, books in agent order (the radix path) and shuffled (the sorted path), and one market
// reused across all of them.
TEST(CallMarket, RandomBooks_SameClearingAsCallAuctionBitForBit) {
  std::mt19937_64 engine(14);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  CallMarket market;
  for (int book = 0; book < 400; ++book) {
    const bool discrete = book % 2 == 0;
    const bool shuffled = book % 4 == 1;
    const std::size_t orders = 1 + static_cast<std::size_t>(unit(engine) * (book % 10 == 0 ? 5000 : 300));
    std::vector<Order> bids, asks;
    std::uint64_t agent = 0;
    for (std::size_t k = 0; k < orders; ++k) {
      if (unit(engine) < 0.8) ++agent;  // now and then a second order by the same agent
      double price = discrete ? std::floor(unit(engine) * 6.0) - 1.0 : 20.0 * unit(engine) - 2.0;
      if (discrete && price == 0.0 && unit(engine) < 0.5) price = -0.0;
      const double quantity = unit(engine) < 0.1 ? 0.0 : (discrete ? std::ceil(unit(engine) * 4.0) : 3.0 * unit(engine));
      (unit(engine) < 0.5 ? bids : asks).push_back({agent, price, quantity});
    }
    if (shuffled) {
      std::shuffle(bids.begin(), bids.end(), engine);
      std::shuffle(asks.begin(), asks.end(), engine);
    }
    SCOPED_TRACE(::testing::Message() << "book " << book);
    expect_same_bits(market.clear(bids, asks), call_auction(bids, asks));
  }
}

TEST(CallMarket, BadOrders_ThrowLikeCallAuction) {
  CallMarket market;
  const std::vector<Order> fine{{1, 1.0, 1.0}};
  const std::vector<Order> not_a_price{{2, std::numeric_limits<double>::quiet_NaN(), 1.0}};
  const std::vector<Order> negative{{3, 1.0, -1.0}};
  EXPECT_THROW((void)market.clear(not_a_price, fine), std::invalid_argument);
  EXPECT_THROW((void)market.clear(fine, negative), std::invalid_argument);
}

}  // namespace
}  // namespace commons::models
