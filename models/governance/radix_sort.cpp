// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/radix_sort.hpp>

#include <commons/sim/statistics.hpp>

#include <utility>

namespace commons::models {

namespace {
constexpr int digit_bits = 11;
constexpr int digits = (64 + digit_bits - 1) / digit_bits;
constexpr std::size_t radix = std::size_t{1} << digit_bits;
}  // namespace

std::uint64_t RadixSort::ascending_key(double value) {
  // + 0.0 makes -0 into +0, which compare equal and must keep their order in a stable sort.
  return sim::order_key(value + 0.0);
}

void RadixSort::sort() {
  const std::size_t n = entries_.size();
  if (n < 2) return;
  counts_.assign(digits * radix, 0);
  for (const Entry& entry : entries_)
    for (int d = 0; d < digits; ++d) ++counts_[d * radix + ((entry.key >> (d * digit_bits)) & (radix - 1))];
  spare_.resize(n);
  for (int d = 0; d < digits; ++d) {
    std::size_t* count = counts_.data() + d * radix;
    if (count[(entries_[0].key >> (d * digit_bits)) & (radix - 1)] == n) continue;
    std::size_t offset = 0;
    for (std::size_t v = 0; v < radix; ++v) offset += std::exchange(count[v], offset);
    for (const Entry& entry : entries_) spare_[count[(entry.key >> (d * digit_bits)) & (radix - 1)]++] = entry;
    entries_.swap(spare_);
  }
}

}  // namespace commons::models
