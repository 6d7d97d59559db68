// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/statistics.hpp>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

namespace commons::sim {

namespace {

// Below this many values one std::sort beats the passes of a bucket sort.
constexpr std::size_t bucket_sort_threshold = 2 * agent_block_size;
// Buckets this small are sorted by insertion, in cache.
constexpr std::size_t insertion_sort_limit = 32;

// Sorts [first, last) by buckets over the keys' own range, then each bucket likewise, so that
// values clustered in a small part of the range (incomes of one sign, nearly equal) are
// spread at the next level instead of falling into one bucket. Each level narrows the range
// by at least 2^4, so there are at most 16 levels however the values cluster.
void sort_by_buckets(std::uint64_t* first, std::uint64_t* last, std::vector<std::uint64_t>& scratch) {
  const std::size_t n = static_cast<std::size_t>(last - first);
  if (n <= insertion_sort_limit) {
    for (std::uint64_t* i = first + 1; i < last; ++i) {
      const std::uint64_t key = *i;
      std::uint64_t* j = i;
      for (; j > first && *(j - 1) > key; --j) *j = *(j - 1);
      *j = key;
    }
    return;
  }
  const auto [low, high] = std::minmax_element(first, last);
  const std::uint64_t smallest = *low;
  const std::uint64_t range = *high - smallest;
  if (range == 0) return;
  const int bucket_bits = std::clamp(static_cast<int>(std::bit_width(n / 16)), 4, 16);
  const std::size_t buckets = std::size_t{1} << bucket_bits;
  const int shift = std::max(0, static_cast<int>(std::bit_width(range)) - bucket_bits);
  // Below 4096 keys the histogram fits on the stack.
  std::array<std::uint32_t, 257> small_position;
  std::vector<std::uint32_t> large_position(buckets > 256 ? buckets + 1 : 0);
  std::uint32_t* position = buckets > 256 ? large_position.data() : small_position.data();
  std::fill_n(position, buckets + 1, 0);
  for (const std::uint64_t* key = first; key < last; ++key) ++position[((*key - smallest) >> shift) + 1];
  for (std::size_t bucket = 1; bucket <= buckets; ++bucket) position[bucket] += position[bucket - 1];
  scratch.resize(n);
  for (const std::uint64_t* key = first; key < last; ++key) scratch[position[(*key - smallest) >> shift]++] = *key;
  std::copy(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(n), first);
  // position[b] is now the end of bucket b.
  std::uint32_t begin = 0;
  for (std::size_t bucket = 0; bucket < buckets; ++bucket) {
    sort_by_buckets(first + begin, first + position[bucket], scratch);
    begin = position[bucket];
  }
}

}  // namespace

double gini(std::span<const double> values) {
  return GiniCalculator{}(values, ExecutionPolicy{.parallel_agents = false});
}

namespace {

// Blocks whose running sums advance together in one loop: one running sum is a chain of
// dependent additions, several independent chains keep the adder busy. Each block's sums are
// exactly those of a loop over that block alone.
constexpr std::size_t blocks_in_step = 4;

// Per fixed block of the sorted values, the running sums of x_(i) and (2i - n - 1) x_(i),
// i one-based; `sorted(i)` is the i-th smallest value, zero-based.
template <class SortedValue>
void sum_blocks(std::size_t n, const ExecutionPolicy& policy, const SortedValue& sorted,
                std::vector<double>& block_total, std::vector<double>& block_weighted) {
  const std::size_t blocks = block_count(n);
  block_total.assign(blocks, 0.0);
  block_weighted.assign(blocks, 0.0);
  const double count = static_cast<double>(n);
  const auto weight = [count](std::size_t i) { return 2.0 * static_cast<double>(i + 1) - count - 1.0; };
  const auto sum_group = [&](std::size_t first_block) {
    const std::size_t last_block = std::min(blocks, first_block + blocks_in_step);
    if (last_block - first_block == blocks_in_step && last_block * agent_block_size <= n) {
      double total[blocks_in_step] = {};
      double weighted[blocks_in_step] = {};
      for (std::size_t offset = 0; offset < agent_block_size; ++offset)
        for (std::size_t b = 0; b < blocks_in_step; ++b) {
          const std::size_t i = (first_block + b) * agent_block_size + offset;
          const double value = sorted(i);
          total[b] += value;
          weighted[b] += weight(i) * value;
        }
      for (std::size_t b = 0; b < blocks_in_step; ++b) {
        block_total[first_block + b] = total[b];
        block_weighted[first_block + b] = weighted[b];
      }
      return;
    }
    for (std::size_t block = first_block; block < last_block; ++block) {
      double total = 0.0;
      double weighted = 0.0;
      for (std::size_t i = block * agent_block_size; i < std::min(n, (block + 1) * agent_block_size); ++i) {
        const double value = sorted(i);
        total += value;
        weighted += weight(i) * value;
      }
      block_total[block] = total;
      block_weighted[block] = weighted;
    }
  };
  const std::size_t groups = (blocks + blocks_in_step - 1) / blocks_in_step;
  if (policy.parallel_agents && groups > 1) {
    tbb::parallel_for(std::size_t{0}, groups, [&](std::size_t group) { sum_group(group * blocks_in_step); });
  } else {
    for (std::size_t group = 0; group < groups; ++group) sum_group(group * blocks_in_step);
  }
}

}  // namespace

void GiniCalculator::sort_keys(std::span<const double> values, std::uint64_t smallest, std::uint64_t range,
                               const ExecutionPolicy& policy) {
  const std::size_t n = values.size();
  sorted_.resize(n);
  if (n < bucket_sort_threshold) {
    std::transform(values.begin(), values.end(), sorted_.begin(), order_key);
    std::sort(sorted_.begin(), sorted_.end());
    return;
  }
  // About 16 values a bucket, at most 2^16 buckets, so that the histograms stay in cache.
  const int bucket_bits = std::clamp(static_cast<int>(std::bit_width(n / 16)), 8, 16);
  const std::size_t buckets = std::size_t{1} << bucket_bits;
  const int shift = std::max(0, static_cast<int>(std::bit_width(range)) - bucket_bits);
  const auto bucket_of = [&](std::uint64_t key) { return static_cast<std::size_t>((key - smallest) >> shift); };

  // The parts need not be fixed: the sorted keys are the same however they are split.
  const std::size_t parts =
      policy.parallel_agents ? std::clamp<std::size_t>(tbb::this_task_arena::max_concurrency(), 1, block_count(n)) : 1;
  const auto part_first = [&](std::size_t part) { return part * n / parts; };
  const auto for_each_part = [&](auto&& body) {
    if (parts == 1) {
      body(std::size_t{0});
      return;
    }
    tbb::parallel_for(std::size_t{0}, parts, [&](std::size_t part) { body(part); });
  };

  counts_.assign(parts * buckets, 0);
  for_each_part([&](std::size_t part) {
    std::uint32_t* count = counts_.data() + part * buckets;
    for (std::size_t i = part_first(part); i < part_first(part + 1); ++i) ++count[bucket_of(order_key(values[i]))];
  });
  // Bucket by bucket, each part's keys after the earlier parts' keys of the same bucket.
  std::uint32_t next = 0;
  for (std::size_t bucket = 0; bucket < buckets; ++bucket)
    for (std::size_t part = 0; part < parts; ++part) {
      std::uint32_t& count = counts_[part * buckets + bucket];
      const std::uint32_t start = next;
      next += count;
      count = start;
    }
  for_each_part([&](std::size_t part) {
    std::uint32_t* position = counts_.data() + part * buckets;
    for (std::size_t i = part_first(part); i < part_first(part + 1); ++i) {
      const std::uint64_t key = order_key(values[i]);
      sorted_[position[bucket_of(key)]++] = key;
    }
  });
  // The last part's positions have now reached the end of each bucket.
  const std::uint32_t* bucket_end = counts_.data() + (parts - 1) * buckets;
  const auto sort_buckets = [&](std::size_t first_bucket, std::size_t last_bucket) {
    std::vector<std::uint64_t> scratch;
    for (std::size_t bucket = first_bucket; bucket < last_bucket; ++bucket) {
      const std::uint32_t begin = bucket == 0 ? 0 : bucket_end[bucket - 1];
      sort_by_buckets(sorted_.data() + begin, sorted_.data() + bucket_end[bucket], scratch);
    }
  };
  if (parts == 1) {
    sort_buckets(0, buckets);
  } else {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, buckets, 1024),
                      [&](const tbb::blocked_range<std::size_t>& r) { sort_buckets(r.begin(), r.end()); });
  }
}

double GiniCalculator::operator()(std::span<const double> values, const ExecutionPolicy& policy) {
  constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = values.size();
  if (n == 0) return not_a_number;
  // One pass for the range of the keys and for NaN, which has no place in an order.
  const BlockRange empty{std::numeric_limits<std::uint64_t>::max(), 0, false};
  block_ranges_.assign(block_count(n), empty);
  for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
    BlockRange range = empty;
    for (std::size_t i = first; i < last; ++i) {
      const std::uint64_t key = order_key(values[i]);
      range.smallest = std::min(range.smallest, key);
      range.largest = std::max(range.largest, key);
      range.nan |= std::isnan(values[i]);
    }
    block_ranges_[first / agent_block_size] = range;
  });
  BlockRange range = empty;
  for (const BlockRange& block : block_ranges_) {
    range.smallest = std::min(range.smallest, block.smallest);
    range.largest = std::max(range.largest, block.largest);
    range.nan |= block.nan;
  }
  if (range.nan) return not_a_number;
  if (range.smallest == range.largest) {
    // Every value has the same bits, so the values are their own sorted order.
    sum_blocks(n, policy, [&](std::size_t i) { return values[i]; }, block_total_, block_weighted_);
  } else {
    sort_keys(values, range.smallest, range.largest - range.smallest, policy);
    sum_blocks(n, policy, [&](std::size_t i) { return value_of_order_key(sorted_[i]); }, block_total_, block_weighted_);
  }
  double total = 0.0;
  double weighted = 0.0;
  for (std::size_t block = 0; block < block_total_.size(); ++block) {
    total += block_total_[block];
    weighted += block_weighted_[block];
  }
  if (!(total > 0.0)) return not_a_number;
  return weighted / (static_cast<double>(n) * total);
}

double present_value(std::span<const double> per_step, double rate) {
  double value = 0.0;
  double discount = 1.0;
  for (double amount : per_step) {
    value += amount * discount;
    discount /= 1.0 + rate;
  }
  return value;
}

}  // namespace commons::sim
