// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/statistics.hpp>

#include "plain_gini.hpp"

#include <gtest/gtest.h>

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace commons::sim {
namespace {

TEST(Gini, EqualValues_AreZero) { EXPECT_DOUBLE_EQ(gini(std::vector<double>{3, 3, 3, 3}), 0.0); }

TEST(Gini, OneHoldsAll_IsOneMinusOneOverN) {
  EXPECT_DOUBLE_EQ(gini(std::vector<double>{0, 0, 0, 8}), 0.75);
}

TEST(Gini, KnownSample_MatchesMeanAbsoluteDifferenceDefinition) {
  const std::vector<double> values{4, 1, 3, 2};
  // Sum over all ordered pairs |xi - xj| = 20; G = 20 / (2 n^2 mean) = 20 / (2 * 16 * 2.5).
  EXPECT_DOUBLE_EQ(gini(values), 0.25);
}

TEST(Gini, NonPositiveTotal_IsNaN) {
  EXPECT_TRUE(std::isnan(gini(std::vector<double>{0, 0})));
  EXPECT_TRUE(std::isnan(gini(std::vector<double>{-1, 0.5})));
  EXPECT_TRUE(std::isnan(gini(std::vector<double>{})));
}

// The definition the fast sort must reproduce: std::sort, then both sums over the sorted
// values in blocks of agent_block_size, running within a block and block after block.
double gini_by_std_sort(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  double total = 0.0;
  double weighted = 0.0;
  for (std::size_t first = 0; first < n; first += agent_block_size) {
    double block_total = 0.0;
    double block_weighted = 0.0;
    for (std::size_t i = first; i < std::min(n, first + agent_block_size); ++i) {
      block_total += values[i];
      block_weighted += (2.0 * static_cast<double>(i + 1) - static_cast<double>(n) - 1.0) * values[i];
    }
    total += block_total;
    weighted += block_weighted;
  }
  if (!(total > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  return weighted / (static_cast<double>(n) * total);
}

// Incomes as runs make them: spread, clustered, with many exact zeros, negative ones, few
// distinct values, and values across many orders of magnitude.
std::vector<std::vector<double>> income_samples(std::size_t n) {
  std::mt19937_64 engine(n);
  std::lognormal_distribution<double> lognormal(0.0, 0.5);
  std::normal_distribution<double> normal(1.0, 2.0);
  std::uniform_int_distribution<int> small(0, 3);
  std::uniform_real_distribution<double> exponent(-30.0, 30.0);
  std::vector<std::vector<double>> samples(6, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i) {
    samples[0][i] = lognormal(engine);
    samples[1][i] = i % 3 == 0 ? 0.0 : lognormal(engine);
    samples[2][i] = normal(engine);
    samples[3][i] = static_cast<double>(small(engine)) * 0.1;
    samples[4][i] = std::pow(10.0, exponent(engine));
    samples[5][i] = 1.0 + static_cast<double>(i % 7) * std::numeric_limits<double>::epsilon();
  }
  // -0 and +0 together, which the key order separates and the sums cannot tell apart.
  for (std::size_t i = 0; i < n; i += 5) samples[2][i] = i % 10 == 0 ? -0.0 : 0.0;
  return samples;
}

TEST(Gini, BucketSort_GivesTheBitsOfStdSort_OnEveryThreadCount) {
  for (const std::size_t n : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, std::size_t{9000},
                              std::size_t{70'001}, std::size_t{300'000}}) {
    for (const std::vector<double>& values : income_samples(n)) {
      const double expected = gini_by_std_sort(values);
      GiniCalculator serial;
      GiniCalculator parallel;
      for (int repeat = 0; repeat < 2; ++repeat) {  // the second call reuses the buffers
        const double alone = serial(values, ExecutionPolicy{.parallel_agents = false});
        const double threaded =
            tbb::task_arena(4).execute([&] { return parallel(values, ExecutionPolicy{.parallel_agents = true}); });
        if (std::isnan(expected)) {
          EXPECT_TRUE(std::isnan(alone) && std::isnan(threaded)) << n;
        } else {
          EXPECT_EQ(alone, expected) << n;
          EXPECT_EQ(threaded, expected) << n;
        }
      }
    }
  }
}

TEST(Gini, UpToOneBlock_IsThePlainRunningSum) {
  // What the series held before the sums were blocked, for the small runs baselines record.
  const std::vector<double> values = income_samples(agent_block_size)[0];
  EXPECT_EQ(gini(values), testing::plain_gini(values));
}

TEST(Gini, AnyNaN_IsNaN) {
  std::vector<double> values = income_samples(20'000)[0];
  values[12'345] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(gini(values)));
}

TEST(PresentValue, DiscountsFromFirstStep) {
  EXPECT_DOUBLE_EQ(present_value(std::vector<double>{1, 1, 1}, 0.0), 3.0);
  EXPECT_DOUBLE_EQ(present_value(std::vector<double>{100, 110, 121}, 0.1), 300.0);
}

}  // namespace
}  // namespace commons::sim
