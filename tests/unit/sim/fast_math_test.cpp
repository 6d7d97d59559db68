// SPDX-License-Identifier: Apache-2.0
// The polynomial exp, log and cos of fast_math.hpp against libm over the ranges their users
// need, and the normal draws and observation errors built on them against the libm
// expressions they replaced (kept here as the reference).
#include <commons/sim/fast_math.hpp>
#include <commons/sim/observation.hpp>
#include <commons/sim/random.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace commons::sim {
namespace {

double relative_error(double fast, double exact) { return std::abs(fast - exact) / std::abs(exact); }

/// The draw as RandomStream::normal makes it, through libm.
double libm_normal(const RandomStream& random, std::uint64_t step, std::uint64_t agent) {
  return random.normal(step, agent, Purpose::observe);
}

/// The observation error as Observation::error_factor made it before fast_math.hpp.
double libm_error_factor(const RandomStream& random, std::uint64_t step, std::uint64_t agent, double sd) {
  return std::exp(sd * libm_normal(random, step, agent) - 0.5 * sd * sd);
}

TEST(FastMath, ExpNear_WithinOneInTenToTheFourteenOfLibmOverItsRange) {
  double worst = 0.0;
  // A dense sweep of [-708, 709] that hits every reduction interval many times.
  for (int i = 0; i <= 2'000'000; ++i) {
    const double x = -708.0 + 1417.0 * static_cast<double>(i) / 2e6;
    worst = std::max(worst, relative_error(exp_near(x), std::exp(x)));
  }
  EXPECT_LT(worst, 1e-14);
  EXPECT_EQ(exp_near(0.0), 1.0);
  // The reduction must not fail at the halfway points between multiples of ln 2.
  EXPECT_LT(relative_error(exp_near(0.5 * std::numbers::ln2), std::sqrt(2.0)), 1e-15);
}

TEST(FastMath, LogNear_WithinLibmOverTheOpenUnitIntervalAndBeyond) {
  // Every uniform the random streams make lies in [2^-54, 1 - 2^-54]; check that whole
  // range log-uniformly and densely near 1, where ln u is small.
  double worst_relative = 0.0, worst_absolute = 0.0;
  for (int i = 1; i <= 2'000'000; ++i) {
    const double u = std::exp2(-54.0 * static_cast<double>(i) / 2e6);
    worst_relative = std::max(worst_relative, relative_error(log_near(u), std::log(u)));
    const double near_one = 1.0 - static_cast<double>(i) * 0x1.0p-40;
    worst_absolute = std::max(worst_absolute, std::abs(log_near(near_one) - std::log(near_one)));
  }
  EXPECT_LT(worst_relative, 1e-14);
  EXPECT_LT(worst_absolute, 1e-16);
  EXPECT_EQ(log_near(1.0), 0.0);
  EXPECT_LT(relative_error(log_near(1e300), std::log(1e300)), 1e-15);
  EXPECT_LT(relative_error(log_near(0x1.0p-1022), std::log(0x1.0p-1022)), 1e-15);
}

TEST(FastMath, CosTwoPiNear_WithinLibmOverAWholeTurn) {
  double worst = 0.0;
  for (int i = 0; i <= 4'000'000; ++i) {
    const double u = static_cast<double>(i) / 4e6;
    worst = std::max(worst, std::abs(cos_two_pi_near(u) - std::cos(2.0 * std::numbers::pi * u)));
  }
  EXPECT_LT(worst, 1e-15);
  EXPECT_EQ(cos_two_pi_near(0.0), 1.0);
  EXPECT_EQ(cos_two_pi_near(0.5), -1.0);
  // Its zeros are exact, where libm's cos(2 pi u) is off by the rounding of 2 pi u.
  EXPECT_EQ(cos_two_pi_near(0.25), 0.0);
  EXPECT_EQ(cos_two_pi_near(0.75), 0.0);
}

TEST(FastNormal, MillionsOfDraws_WithinAFewUnitsInTheLastPlaceOfTheLibmDraw) {
  const RandomStream random(20261205, 2);
  double worst = 0.0;
  for (std::uint64_t agent = 0; agent < 3'000'000; ++agent) {
    const double exact = libm_normal(random, 9, agent);
    // Absolute, scaled by |z| where it exceeds one: near z = 0 libm's own cos has the
    // larger error (see cos_two_pi_near).
    worst = std::max(worst, std::abs(random.fast_normal(9, agent, Purpose::observe) - exact) / std::max(1.0, std::abs(exact)));
  }
  // libm rounds 2 pi u before its cosine: up to 4.4e-16 of the angle, times a radius up to 8.6.
  EXPECT_LT(worst, 4e-15);
  // The pinned draw of random_test's AddressLayout, through the polynomials.
  EXPECT_NEAR(RandomStream(20261128, 3).fast_normal(7, 42, Purpose::observe), -0.79506596938417273, 1e-15);
}

TEST(FastNormal, Batch_EqualsOneAtATimeBitForBit_AnyIdsAnyLength) {
  const RandomStream random(3, 1);
  // Ids out of order and with gaps, a length that is no multiple of the block.
  std::vector<std::uint64_t> ids(1000);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = (i * 7919) % 100'003;
  std::vector<double> batch(ids.size());
  random.fast_normals(4, ids, Purpose::observe, batch);
  for (std::size_t i = 0; i < ids.size(); ++i) ASSERT_EQ(batch[i], random.fast_normal(4, ids[i], Purpose::observe)) << i;
  // A sub-span gives the same values for the same ids: blocks and threads cannot matter.
  std::vector<double> part(300);
  random.fast_normals(4, std::span(ids).subspan(77, 300), Purpose::observe, part);
  for (std::size_t i = 0; i < part.size(); ++i) ASSERT_EQ(part[i], batch[77 + i]);
}

TEST(FastNormal, Distribution_HasStandardNormalMomentsAndPassesKolmogorovSmirnov) {
  const RandomStream random(77, 0);
  constexpr std::size_t n = 1'000'000;
  std::vector<std::uint64_t> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = i;
  std::vector<double> z(n);
  random.fast_normals(12, ids, Purpose::observe, z);
  double sum = 0.0, squares = 0.0, cubes = 0.0, fourths = 0.0;
  for (const double v : z) {
    sum += v;
    squares += v * v;
    cubes += v * v * v;
    fourths += v * v * v * v;
  }
  const double count = static_cast<double>(n);
  // Standard errors at n = 1e6: mean 1e-3, variance 1.4e-3, third moment 2.4e-3, fourth 9.8e-3;
  // five of each.
  EXPECT_NEAR(sum / count, 0.0, 5e-3);
  EXPECT_NEAR(squares / count, 1.0, 7e-3);
  EXPECT_NEAR(cubes / count, 0.0, 1.2e-2);
  EXPECT_NEAR(fourths / count, 3.0, 5e-2);
  std::sort(z.begin(), z.end());
  double distance = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double cdf = 0.5 * std::erfc(-z[i] / std::numbers::sqrt2);
    distance = std::max({distance, std::abs(cdf - static_cast<double>(i) / count),
                         std::abs(static_cast<double>(i + 1) / count - cdf)});
  }
  // The Kolmogorov-Smirnov critical value at the 0.1 % level is 1.95 / sqrt(n).
  EXPECT_LT(distance, 1.95 / std::sqrt(count));
}

TEST(ObservationErrors, BatchEqualsOneAtATime_AndLibmWithinOneInTenToTheThirteen) {
  const RandomStream random(11, 3);
  Observation seen;
  seen.harvest_per_effort = 2.0;
  seen.random = &random;
  seen.step = 5;
  for (const double sd : {0.01, 0.1, 0.5, 2.0}) {
    seen.noise_sd = sd;
    constexpr std::size_t n = 1'000'000;
    std::vector<std::uint64_t> ids(n);
    for (std::size_t i = 0; i < n; ++i) ids[i] = i;
    std::vector<double> factors(n);
    seen.error_factors(ids, factors);
    double worst = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(factors[i], seen.error_factor(ids[i]));
      worst = std::max(worst, relative_error(factors[i], libm_error_factor(random, 5, ids[i], sd)));
    }
    EXPECT_LT(worst, 1e-13) << "sd " << sd;
  }
  seen.noise_sd = 0.0;
  std::vector<std::uint64_t> ids{1, 2, 3};
  std::vector<double> factors(3, 7.0);
  seen.error_factors(ids, factors);
  EXPECT_EQ(factors, std::vector<double>(3, 1.0));
}

}  // namespace
}  // namespace commons::sim
