// SPDX-License-Identifier: Apache-2.0
#pragma once
// The Gini coefficient as one would write it without a care for speed: copy, std::sort, one
// running sum. The reference the recorder's sort is held to, and the rival it is timed against.

#include <algorithm>
#include <cstddef>
#include <vector>

namespace commons::testing {

inline double plain_gini(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  double total = 0.0;
  double weighted = 0.0;
  const double n = static_cast<double>(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    total += values[i];
    weighted += (2.0 * static_cast<double>(i + 1) - n - 1.0) * values[i];
  }
  return weighted / (n * total);
}

}  // namespace commons::testing
