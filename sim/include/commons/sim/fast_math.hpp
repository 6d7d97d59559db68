// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// exp, log and cos(2 pi u) as straight-line polynomials: no calls and no branches, so that a
/// loop over agents that uses them is vectorised (libm's functions are calls the compiler
/// cannot vectorise without -ffast-math). Each is accurate to a few units in the last place
/// over the range stated, not correctly rounded: a result may differ from libm's in its last
/// bits. tests/unit/sim/fast_math_test.cpp bounds the errors against libm.

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace commons::sim {

namespace detail {
/// All ones when `a` > `b`, zero otherwise, for non-negative doubles: their IEEE order is the
/// order of their bits as integers, and unlike a floating-point comparison an integer one
/// cannot trap, so GCC (under its default -ftrapping-math) vectorises the selects below.
[[nodiscard]] inline std::uint64_t greater_mask(double a, double b) {
  return std::uint64_t{0} - ((std::bit_cast<std::uint64_t>(b) - std::bit_cast<std::uint64_t>(a)) >> 63);
}
/// `if_set` where `mask` is all ones, `otherwise` where it is zero, bit by bit.
[[nodiscard]] inline double select(std::uint64_t mask, double if_set, double otherwise) {
  return std::bit_cast<double>((std::bit_cast<std::uint64_t>(if_set) & mask) |
                               (std::bit_cast<std::uint64_t>(otherwise) & ~mask));
}
}  // namespace detail

/// exp(x) for -708 <= x <= 709, relative error below 1e-14 against std::exp (measured in
/// the test): Cody-Waite reduction x = k ln 2 + r, |r| <= ln 2 / 2, then the Taylor polynomial
/// of degree 13 (remainder below 2e-17). Outside the range the result is meaningless: clamp
/// first.
[[nodiscard]] inline double exp_near(double x) {
  constexpr double log2e = 0x1.71547652b82fep0;
  constexpr double ln2_hi = 0x1.62e42fee00000p-1;  // fdlibm's split: k * ln2_hi is exact
  constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
  // Adding 1.5 * 2^52 rounds to an integer k, which then sits in the low bits of `shifted`:
  // no call to nearbyint and no float-to-integer conversion, so the loop can be vectorised.
  constexpr double shifter = 0x1.8p52;
  const double shifted = x * log2e + shifter;
  const double k = shifted - shifter;
  const double r = (x - k * ln2_hi) - k * ln2_lo;
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // 2^k: the exponent field k + 1023, from the bits of `shifted` (those of `shifter` plus k).
  const std::uint64_t scale = (std::bit_cast<std::uint64_t>(shifted) - std::bit_cast<std::uint64_t>(shifter) + 1023)
                              << 52;
  return p * std::bit_cast<double>(scale);
}

/// Natural logarithm of a positive normal number u (2^-1022 <= u < infinity), relative error
/// below 1e-14 against std::log away from u = 1 and absolute error below 1e-16 near it
/// (measured in the test): u = 2^e m with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s),
/// s = (m - 1) / (m + 1), |s| <= 0.172, by its odd series to s^21 (remainder below 1e-17).
[[nodiscard]] inline double log_near(double u) {
  constexpr double ln2_hi = 0x1.62e42fee00000p-1;
  constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
  constexpr double sqrt2 = 0x1.6a09e667f3bcdp0;
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(u);
  // The biased exponent as a double without an integer conversion: placed in the low bits of
  // 2^52's mantissa, then 2^52 taken away.
  const double biased = std::bit_cast<double>((bits >> 52) | 0x4330000000000000ULL) - 0x1.0p52;
  double m = std::bit_cast<double>((bits & 0x000FFFFFFFFFFFFFULL) | 0x3FF0000000000000ULL);
  const std::uint64_t halve = detail::greater_mask(m, sqrt2);
  m = detail::select(halve, 0.5 * m, m);
  const double e = biased - detail::select(halve, 1022.0, 1023.0);
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double p = 1.0 / 21.0;
  p = p * s2 + 1.0 / 19.0;
  p = p * s2 + 1.0 / 17.0;
  p = p * s2 + 1.0 / 15.0;
  p = p * s2 + 1.0 / 13.0;
  p = p * s2 + 1.0 / 11.0;
  p = p * s2 + 1.0 / 9.0;
  p = p * s2 + 1.0 / 7.0;
  p = p * s2 + 1.0 / 5.0;
  p = p * s2 + 1.0 / 3.0;
  // 2 atanh(s) = 2s + 2 s^3 p(s^2); the leading term kept apart for accuracy.
  const double log_m = 2.0 * s + 2.0 * s * s2 * p;
  return e * ln2_hi + (log_m + e * ln2_lo);
}

/// cos(2 pi u) for 0 <= u <= 1, absolute error below 1e-16 (measured in the test). The
/// reduction works on u, where it is exact (every subtraction below is of numbers within a
/// factor of two), to an angle of at most pi/4 whose cosine or sine the Taylor polynomial gives
/// (remainders below 1e-17). libm's std::cos(2 pi u) instead rounds 2 pi u first, so near its
/// zeros this is the closer of the two to the true cos(2 pi u).
[[nodiscard]] inline double cos_two_pi_near(double u) {
  constexpr double two_pi = 0x1.921fb54442d18p2;
  // cos(2 pi u) = cos(2 pi a), a = min(u, 1 - u) in [0, 1/2].
  const double a = detail::select(detail::greater_mask(u, 0.5), 1.0 - u, u);
  // = -cos(2 pi (1/2 - a)) beyond a quarter turn; b in [0, 1/4].
  const std::uint64_t negate = detail::greater_mask(a, 0.25);
  const double b = detail::select(negate, 0.5 - a, a);
  // = sin(2 pi (1/4 - b)) beyond an eighth; c in [0, 1/8], the angle x in [0, pi/4].
  const std::uint64_t use_sine = detail::greater_mask(b, 0.125);
  const double c = detail::select(use_sine, 0.25 - b, b);
  const double x = two_pi * c;
  const double x2 = x * x;
  double cosine = 1.0 / 20922789888000.0;
  cosine = cosine * x2 - 1.0 / 87178291200.0;
  cosine = cosine * x2 + 1.0 / 479001600.0;
  cosine = cosine * x2 - 1.0 / 3628800.0;
  cosine = cosine * x2 + 1.0 / 40320.0;
  cosine = cosine * x2 - 1.0 / 720.0;
  cosine = cosine * x2 + 1.0 / 24.0;
  cosine = cosine * x2 - 0.5;
  cosine = cosine * x2 + 1.0;
  double sine = 1.0 / 355687428096000.0;
  sine = sine * x2 - 1.0 / 1307674368000.0;
  sine = sine * x2 + 1.0 / 6227020800.0;
  sine = sine * x2 - 1.0 / 39916800.0;
  sine = sine * x2 + 1.0 / 362880.0;
  sine = sine * x2 - 1.0 / 5040.0;
  sine = sine * x2 + 1.0 / 120.0;
  sine = sine * x2 - 1.0 / 6.0;
  sine = x + x * x2 * sine;
  const double magnitude = detail::select(use_sine, sine, cosine);
  // The sign bit flipped where negate is set.
  return std::bit_cast<double>(std::bit_cast<std::uint64_t>(magnitude) ^ (negate & 0x8000000000000000ULL));
}

/// std::sqrt of every value, in place, two at a time where the machine has SSE2. The results
/// are std::sqrt's bit for bit (IEEE square roots are correctly rounded, packed or not); the
/// compiler does not vectorise std::sqrt itself because it may set errno.
inline void sqrt_each(std::span<double> values) {
  double* value = values.data();
  const std::size_t count = values.size();
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 2 <= count; i += 2) _mm_storeu_pd(value + i, _mm_sqrt_pd(_mm_loadu_pd(value + i)));
#endif
  for (; i < count; ++i) value[i] = std::sqrt(value[i]);
}

}  // namespace commons::sim
