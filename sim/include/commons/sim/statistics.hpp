// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Summary statistics used by the recorder; all sums in a fixed order.

#include <commons/sim/parallel.hpp>

#include <bit>
#include <cstdint>
#include <span>
#include <vector>

namespace commons::sim {

/// An unsigned integer in the order of the double whose bits it is: a positive value keeps its
/// bits with the sign bit set, a negative one has all its bits inverted. Sorting keys sorts
/// values (NaN aside), and the sorted keys are the same however a sort splits its work; -0
/// sorts just below +0.
[[nodiscard]] inline std::uint64_t order_key(double value) {
  constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;
  const auto bits = std::bit_cast<std::uint64_t>(value);
  return (bits & sign_bit) != 0 ? ~bits : bits | sign_bit;
}

/// The double order_key() was given.
[[nodiscard]] inline double value_of_order_key(std::uint64_t key) {
  constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;
  return std::bit_cast<double>((key & sign_bit) != 0 ? key & ~sign_bit : ~key);
}

/// Gini coefficient of `values` (0 = equal, towards 1 = concentrated), from the sorted-values
/// formula G = sum_i (2i - n - 1) x_(i) / (n sum x). NaN when the total is not positive,
/// where the coefficient has no meaning, and when a value is NaN.
///
/// Both sums run over the sorted values in fixed blocks of `agent_block_size`, in order within
/// a block and block after block, so the result does not depend on threads; up to one block it
/// is the plain running sum.
[[nodiscard]] double gini(std::span<const double> values);

/// gini() for values that come every step, such as each agent's income: keeps its buffers from
/// one call to the next and sorts on the run's threads. The sort is a bucket sort on the bits
/// of the values, whose result (the values in ascending order of their bits) is the same
/// whatever the threads, so the coefficient is bit for bit gini()'s.
class GiniCalculator {
 public:
  [[nodiscard]] double operator()(std::span<const double> values, const ExecutionPolicy& policy);

 private:
  /// Sorts the values' order keys, which lie in [smallest, smallest + range], into sorted_.
  void sort_keys(std::span<const double> values, std::uint64_t smallest, std::uint64_t range,
                 const ExecutionPolicy& policy);

  struct BlockRange {
    std::uint64_t smallest;
    std::uint64_t largest;
    bool nan;
  };
  std::vector<BlockRange> block_ranges_;
  std::vector<std::uint64_t> sorted_;
  /// One histogram of buckets per part of the values sorted in parallel, then their offsets.
  std::vector<std::uint32_t> counts_;
  /// Each block's running sums of x_(i) and (2i - n - 1) x_(i).
  std::vector<double> block_total_;
  std::vector<double> block_weighted_;
};

/// Present value of `per_step` discounted at `rate` per step, the first step undiscounted.
[[nodiscard]] double present_value(std::span<const double> per_step, double rate);

}  // namespace commons::sim
