// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// A stable least-significant-digit radix sort of doubles, on buffers kept from one call to the
/// next: linear time for the books a market sorts every step (models/governance).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace commons::models {

/// Sorts keys made from doubles, stably, reusing its buffers.
class RadixSort {
 public:
  /// A key and what it sorts (a position in the caller's input).
  struct Entry {
    std::uint64_t key;
    std::size_t position;
  };

  /// An unsigned key whose order is the order of `value` (finite or infinite, not NaN): the
  /// engine's order key (sim::order_key), except that -0 and +0 give the same key, as they
  /// compare equal.
  [[nodiscard]] static std::uint64_t ascending_key(double value);

  /// The entries, to fill before sort().
  [[nodiscard]] std::vector<Entry>& entries() { return entries_; }
  /// Sorts entries() by key; equal keys keep their order. Digits every key shares are skipped,
  /// so keys that differ only in their last bits cost a pass or two.
  void sort();

 private:
  std::vector<Entry> entries_;
  std::vector<Entry> spare_;
  std::vector<std::size_t> counts_;
};

}  // namespace commons::models
