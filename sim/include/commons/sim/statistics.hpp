// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Summary statistics used by the recorder; all sums in a fixed order.

#include <span>

namespace commons::sim {

/// Gini coefficient of `values` (0 = equal, towards 1 = concentrated), from the sorted-values
/// formula G = sum_i (2i - n - 1) x_(i) / (n sum x). NaN when the total is not positive,
/// where the coefficient has no meaning.
[[nodiscard]] double gini(std::span<const double> values);

/// Present value of `per_step` discounted at `rate` per step, the first step undiscounted.
[[nodiscard]] double present_value(std::span<const double> per_step, double rate);

}  // namespace commons::sim
