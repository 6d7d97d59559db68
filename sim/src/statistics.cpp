// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/statistics.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace commons::sim {

double gini(std::span<const double> values) {
  const std::size_t n = values.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  double total = 0.0;
  double weighted = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    total += sorted[i];
    // (2i - n - 1) with i one-based
    weighted += (2.0 * static_cast<double>(i + 1) - static_cast<double>(n) - 1.0) * sorted[i];
  }
  if (!(total > 0.0)) return std::numeric_limits<double>::quiet_NaN();
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
