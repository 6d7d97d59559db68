// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// A uniform-price call auction (a sealed-book double auction): all bids and asks of a period
/// are collected, then cleared at once at one price. Used by the `itq` rule; reusable by any
/// market for permits or quota. docs/governance.md#itq

#include <commons/models/governance/radix_sort.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace commons::models {

/// One limit order: `agent` will buy (a bid) up to `quantity` units at any price <= `price`,
/// or sell (an ask) up to `quantity` units at any price >= `price`.
struct Order {
  /// Who placed the order; ties in price are served in ascending id [1].
  std::uint64_t agent = 0;
  /// Limit price [money / unit]; finite.
  double price = 0.0;
  /// Units wanted or offered [units]; finite, >= 0 (zero-quantity orders take no part).
  double quantity = 0.0;
};

/// The outcome of one clearing.
struct AuctionResult {
  /// The uniform price every executed unit changes hands at [money / unit]: the midpoint of
  /// the interval [lower, upper] of prices that clear the book (the k-double auction with
  /// k = 1/2); the one finite bound when the book is one-sided; NaN for an empty book.
  double price = 0.0;
  /// The interval of market-clearing prices [money / unit]; -inf / +inf where unbounded.
  double lower = 0.0;
  double upper = 0.0;
  /// Units traded in total [units].
  double volume = 0.0;
  /// Units bought by each bid and sold by each ask, indexed like the input [units].
  std::vector<double> bought;
  std::vector<double> sold;
};

/// Clears a call market. Bids are sorted by price descending, asks by price ascending, equal
/// prices by agent id ascending (then input position), so the outcome does not depend on the
/// order of the input; matching walks both books while the best remaining bid is at least the
/// best remaining ask. O(n log n) in the number of orders. Throws std::invalid_argument for a
/// non-finite price or a negative or non-finite quantity.
///
/// Prices that clear the book: every executed bid at least the price, every executed ask at
/// most; a bid left (partly) unfilled at most the price, an ask left (partly) unfilled at
/// least. That gives lower = max(last executed ask, first unfilled bid) and upper =
/// min(last executed bid, first unfilled ask).
[[nodiscard]] AuctionResult call_auction(std::span<const Order> bids, std::span<const Order> asks);

/// The same clearing for a market that clears every step: buffers kept from one clearing to
/// the next, and books made in linear time (a radix sort by price) when the orders come in
/// ascending agent id, as a rule listing agents row by row gives them; other orders are
/// sorted as call_auction sorts them. The result is call_auction's, bit for bit.
class CallMarket {
 public:
  /// Clears the books; the result stays valid until the next call. Throws like call_auction.
  const AuctionResult& clear(std::span<const Order> bids, std::span<const Order> asks);

 private:
  /// Positions of `orders` with positive quantity in book order, best price first.
  void book(std::span<const Order> orders, bool descending, std::vector<std::size_t>& positions);

  RadixSort sorter_;
  std::vector<std::size_t> buy_;
  std::vector<std::size_t> sell_;
  AuctionResult result_;
};

}  // namespace commons::models
