// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/statistics.hpp>

#include <gtest/gtest.h>

#include <cmath>
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

TEST(PresentValue, DiscountsFromFirstStep) {
  EXPECT_DOUBLE_EQ(present_value(std::vector<double>{1, 1, 1}, 0.0), 3.0);
  EXPECT_DOUBLE_EQ(present_value(std::vector<double>{100, 110, 121}, 0.1), 300.0);
}

}  // namespace
}  // namespace commons::sim
