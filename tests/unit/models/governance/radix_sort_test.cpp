// SPDX-License-Identifier: Apache-2.0
// The radix sort markets use every step: the order std::stable_sort gives.
#include <commons/models/governance/radix_sort.hpp>
#include <commons/sim/statistics.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace commons::models {
namespace {

/// Random doubles: few distinct levels (ties) or continuous ones, with zeros of both signs,
/// negatives, huge and tiny magnitudes and infinities when `extremes`.
std::vector<double> random_values(std::mt19937_64& engine, std::size_t n, bool discrete, bool extremes) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<double> values(n);
  for (double& value : values) {
    value = discrete ? std::floor(unit(engine) * 5.0) : 100.0 * unit(engine);
    const double kind = unit(engine);
    if (kind < 0.05) value = -0.0;
    if (extremes && kind > 0.9) value = -value;
    if (extremes && kind > 0.95) value *= std::pow(2.0, std::floor(unit(engine) * 2000.0) - 1000.0);
    if (extremes && kind > 0.995) value = (unit(engine) < 0.5 ? -1.0 : 1.0) * std::numeric_limits<double>::infinity();
  }
  return values;
}

TEST(RadixSort, RandomDoubles_OrderOfAStableSortByValue) {
  std::mt19937_64 engine(21);
  RadixSort sorter;
  for (int round = 0; round < 40; ++round) {
    const std::vector<double> values = random_values(engine, 1 + round * 97, round % 2 == 0, true);
    std::vector<std::size_t> expected(values.size());
    for (std::size_t k = 0; k < expected.size(); ++k) expected[k] = k;
    std::stable_sort(expected.begin(), expected.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<RadixSort::Entry>& entries = sorter.entries();
    entries.clear();
    for (std::size_t k = 0; k < values.size(); ++k) entries.push_back({RadixSort::ascending_key(values[k]), k});
    sorter.sort();
    ASSERT_EQ(entries.size(), values.size());
    for (std::size_t k = 0; k < values.size(); ++k) {
      EXPECT_EQ(entries[k].position, expected[k]) << "round " << round << ", rank " << k;
      EXPECT_EQ(sim::value_of_order_key(entries[k].key), values[expected[k]]);
    }
  }
}

}  // namespace
}  // namespace commons::models
