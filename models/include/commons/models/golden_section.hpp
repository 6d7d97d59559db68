// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Golden-section search for the maximum of a unimodal function on an interval, shared by the
/// models that optimise numerically (best responses, the age-structured fishery's reference
/// points).

#include <cmath>

namespace commons::models {

/// Where the search stopped: the better of its last two interior points and the value there.
struct GoldenSectionMaximum {
  double x = 0.0;
  double value = 0.0;
};

/// Golden-section search on [low, high] for at most `iterations` steps or until the bracket is
/// narrower than `tolerance`. Each step keeps 0.618 of the bracket; comparing rounded values of
/// a smooth maximum places it to about sqrt(machine epsilon) of the interval.
template <typename Function>
[[nodiscard]] GoldenSectionMaximum golden_section_maximum(const Function& function, double low, double high,
                                                          double tolerance, int iterations = 200) {
  const double inverse_golden = (std::sqrt(5.0) - 1.0) / 2.0;
  double a = low;
  double b = high;
  double c = b - inverse_golden * (b - a);
  double d = a + inverse_golden * (b - a);
  double fc = function(c);
  double fd = function(d);
  for (int iteration = 0; iteration < iterations && b - a > tolerance; ++iteration) {
    if (fc < fd) {
      a = c;
      c = d;
      fc = fd;
      d = a + inverse_golden * (b - a);
      fd = function(d);
    } else {
      b = d;
      d = c;
      fd = fc;
      c = b - inverse_golden * (b - a);
      fc = function(c);
    }
  }
  return fc >= fd ? GoldenSectionMaximum{c, fc} : GoldenSectionMaximum{d, fd};
}

}  // namespace commons::models
