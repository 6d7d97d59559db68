// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/random.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace commons::sim {
namespace {

TEST(RandomStream, SameAddress_SameBits) {
  const RandomStream a(42, 7), b(42, 7);
  EXPECT_EQ(a.bits(3, 9, Purpose::decide, 1), b.bits(3, 9, Purpose::decide, 1));
}

TEST(RandomStream, AnyAddressComponentChanged_DifferentBits) {
  const RandomStream base(42, 7);
  const auto reference = base.bits(3, 9, Purpose::decide, 1);
  EXPECT_NE(RandomStream(43, 7).bits(3, 9, Purpose::decide, 1), reference);
  EXPECT_NE(RandomStream(42, 8).bits(3, 9, Purpose::decide, 1), reference);
  EXPECT_NE(base.bits(4, 9, Purpose::decide, 1), reference);
  EXPECT_NE(base.bits(3, 10, Purpose::decide, 1), reference);
  EXPECT_NE(base.bits(3, 9, Purpose::learn, 1), reference);
  EXPECT_NE(base.bits(3, 9, Purpose::decide, 2), reference);
}

TEST(RandomStream, ZeroKeyAndCounter_MatchesPhilox4x64KnownAnswer) {
  // Random123's known-answer vector for philox4x64-10 with zero key and counter.
  const RandomStream stream(0, 0);
  const RandomStream::Bits expected{0x16554d9eca36314cULL, 0xdb20fe9d672d0fdcULL, 0xd7e772cee186176bULL,
                                    0x7e68b68aec7ba23bULL};
  EXPECT_EQ(stream.bits(0, 0, static_cast<Purpose>(0), 0), expected);
}

TEST(RandomStream, AddressLayout_GivesPinnedValues) {
  // Pins how (seed, run, step, agent, purpose, draw) map onto Philox's key and counter, and
  // the conversions to uniform and normal: a change here changes every published result.
  EXPECT_EQ(RandomStream(1, 0).bits(0, 0, Purpose::initialise)[0], 415504370380404305ULL);
  EXPECT_EQ(RandomStream(1, 0).bits(0, 0, Purpose::initialise)[3], 8432768431864653899ULL);
  EXPECT_DOUBLE_EQ(RandomStream(20261128, 3).uniform(7, 42, Purpose::decide, 1), 0.36368905088358666);
  EXPECT_DOUBLE_EQ(RandomStream(20261128, 3).normal(7, 42, Purpose::observe), -0.79506596938417273);
  EXPECT_DOUBLE_EQ(RandomStream::to_open_unit(0), 0.5 * 0x1.0p-53);
  EXPECT_DOUBLE_EQ(RandomStream::to_open_unit(~std::uint64_t{0}), 1.0 - 0.5 * 0x1.0p-53);
}

TEST(RandomStream, Uniform_HasMomentsOfUniformOnOpenUnitInterval) {
  const RandomStream stream(5, 0);
  constexpr int n = 400000;
  double sum = 0.0, sum_squares = 0.0;
  for (int i = 0; i < n; ++i) {
    const double u = stream.uniform(0, static_cast<std::uint64_t>(i), Purpose::decide);
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum_squares += u * u;
  }
  const double mean = sum / n;
  // Standard error of the mean is sqrt(1/12/n) ~ 4.6e-4; allow five of them.
  EXPECT_NEAR(mean, 0.5, 2.3e-3);
  EXPECT_NEAR(sum_squares / n - mean * mean, 1.0 / 12.0, 1e-3);
}

TEST(RandomStream, Normal_HasZeroMeanUnitVariance) {
  const RandomStream stream(5, 1);
  constexpr int n = 400000;
  double sum = 0.0, sum_squares = 0.0;
  for (int i = 0; i < n; ++i) {
    const double z = stream.normal(2, static_cast<std::uint64_t>(i), Purpose::observe);
    sum += z;
    sum_squares += z * z;
  }
  EXPECT_NEAR(sum / n, 0.0, 5.0 / std::sqrt(n));
  EXPECT_NEAR(sum_squares / n, 1.0, 0.011);
}

}  // namespace
}  // namespace commons::sim
