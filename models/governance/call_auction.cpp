// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/call_auction.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace commons::models {
namespace {

void check(std::span<const Order> orders, const char* side) {
  for (const Order& order : orders) {
    if (!std::isfinite(order.price))
      throw std::invalid_argument(std::string("call_auction: ") + side + " of agent " + std::to_string(order.agent) +
                                  " has a non-finite price");
    if (!std::isfinite(order.quantity) || order.quantity < 0.0)
      throw std::invalid_argument(std::string("call_auction: ") + side + " of agent " + std::to_string(order.agent) +
                                  " has a negative or non-finite quantity");
  }
}

/// Positions of the orders with positive quantity, best first: `better(a, b)` compares prices.
template <class Better>
std::vector<std::size_t> book(std::span<const Order> orders, Better better) {
  // Sorting the keys by value, not positions through an indirection, keeps the sort in cache.
  struct Key {
    double price;
    std::uint64_t agent;
    std::size_t position;
  };
  std::vector<Key> keys;
  keys.reserve(orders.size());
  for (std::size_t k = 0; k < orders.size(); ++k)
    if (orders[k].quantity > 0.0) keys.push_back({orders[k].price, orders[k].agent, k});
  // A strict total order (price, then agent id, then input position): the same book
  // whatever order the orders arrive in, and whatever the sort implementation does with ties.
  std::sort(keys.begin(), keys.end(), [&](const Key& x, const Key& y) {
    if (x.price != y.price) return better(x.price, y.price);
    if (x.agent != y.agent) return x.agent < y.agent;
    return x.position < y.position;
  });
  std::vector<std::size_t> position(keys.size());
  for (std::size_t k = 0; k < keys.size(); ++k) position[k] = keys[k].position;
  return position;
}

/// Walks both books (positions, best first) while the best remaining bid is at least the best
/// remaining ask, and prices the result from where the walk stopped.
void match(std::span<const Order> bids, std::span<const Order> asks, std::span<const std::size_t> buy,
           std::span<const std::size_t> sell, AuctionResult& result) {
  result.bought.assign(bids.size(), 0.0);
  result.sold.assign(asks.size(), 0.0);
  result.volume = 0.0;
  std::size_t i = 0;
  std::size_t j = 0;
  double bid_left = buy.empty() ? 0.0 : bids[buy[0]].quantity;
  double ask_left = sell.empty() ? 0.0 : asks[sell[0]].quantity;
  constexpr double infinity = std::numeric_limits<double>::infinity();
  double last_bid = infinity;
  double last_ask = -infinity;
  while (i < buy.size() && j < sell.size() && bids[buy[i]].price >= asks[sell[j]].price) {
    const double units = std::min(bid_left, ask_left);
    const bool bid_done = bid_left <= ask_left;
    const bool ask_done = ask_left <= bid_left;
    // An exhausted order has executed its whole quantity, exactly: summing its pieces could
    // round a few ulps above it.
    double& bought = result.bought[buy[i]];
    double& sold = result.sold[sell[j]];
    bought = bid_done ? bids[buy[i]].quantity : std::min(bids[buy[i]].quantity, bought + units);
    sold = ask_done ? asks[sell[j]].quantity : std::min(asks[sell[j]].quantity, sold + units);
    result.volume += units;
    last_bid = bids[buy[i]].price;
    last_ask = asks[sell[j]].price;
    bid_left -= units;
    ask_left -= units;
    if (bid_done && ++i < buy.size()) bid_left = bids[buy[i]].quantity;
    if (ask_done && ++j < sell.size()) ask_left = asks[sell[j]].quantity;
  }
  // The first order on each side with something left (the marginal order itself when it was
  // only partly filled) bounds the price from its side.
  result.lower = last_ask;
  result.upper = last_bid;
  if (i < buy.size()) result.lower = std::max(result.lower, bids[buy[i]].price);
  if (j < sell.size()) result.upper = std::min(result.upper, asks[sell[j]].price);
  const bool lower_finite = std::isfinite(result.lower);
  const bool upper_finite = std::isfinite(result.upper);
  if (lower_finite && upper_finite)
    result.price = result.lower + (result.upper - result.lower) / 2.0;
  else if (lower_finite)
    result.price = result.lower;
  else if (upper_finite)
    result.price = result.upper;
  else
    result.price = std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

AuctionResult call_auction(std::span<const Order> bids, std::span<const Order> asks) {
  check(bids, "bid");
  check(asks, "ask");
  const std::vector<std::size_t> buy = book(bids, std::greater<>{});
  const std::vector<std::size_t> sell = book(asks, std::less<>{});
  AuctionResult result;
  match(bids, asks, buy, sell, result);
  return result;
}

void CallMarket::book(std::span<const Order> orders, bool descending, std::vector<std::size_t>& positions) {
  positions.clear();
  bool by_agent = true;
  for (std::size_t k = 1; k < orders.size() && by_agent; ++k) by_agent = orders[k - 1].agent <= orders[k].agent;
  if (!by_agent) {
    // Orders out of agent order: the book's full ordering, as call_auction makes it.
    const std::vector<std::size_t> sorted =
        descending ? models::book(orders, std::greater<>{}) : models::book(orders, std::less<>{});
    positions.assign(sorted.begin(), sorted.end());
    return;
  }
  // Orders in agent order: ties in price are already in the book's order (agent id, then
  // position), so a stable sort by price alone gives the book, in linear time.
  const std::uint64_t flip = descending ? ~std::uint64_t{0} : 0;
  std::vector<RadixSort::Entry>& keys = sorter_.entries();
  keys.clear();
  for (std::size_t k = 0; k < orders.size(); ++k)
    if (orders[k].quantity > 0.0) keys.push_back({RadixSort::ascending_key(orders[k].price) ^ flip, k});
  sorter_.sort();
  positions.resize(keys.size());
  for (std::size_t k = 0; k < keys.size(); ++k) positions[k] = keys[k].position;
}

const AuctionResult& CallMarket::clear(std::span<const Order> bids, std::span<const Order> asks) {
  check(bids, "bid");
  check(asks, "ask");
  book(bids, true, buy_);
  book(asks, false, sell_);
  match(bids, asks, buy_, sell_, result_);
  return result_;
}

}  // namespace commons::models
