// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Turning a closed-form inverse of a resource's harvest into the exact double a bisection of
/// harvest_if finds (Resource::largest_effort_within), for resources that have the inverse.

#include <cmath>
#include <optional>

namespace commons::models::detail {

/// The largest x in [0, most] with harvest(x) <= limit, found from `root`, the closed-form
/// solution of harvest(x) = limit, by stepping one double at a time: the closed form is
/// exact up to a few roundings, and the steps make the answer the one a bisection down to
/// neighbouring doubles gives (Compliance::compliant_effort_by_search). `harvest` must not fall
/// on [0, most] as x rises. None when the root is more than a few doubles off, so that the
/// caller falls back to the search instead of trusting a poor root.
template <class Harvest>
[[nodiscard]] std::optional<double> polish_largest_effort_within(const Harvest& harvest, double limit, double most,
                                                                 double root) {
  const auto within = [&](double x) { return harvest(x) <= limit; };
  if (within(most)) return most;
  // A limit of nothing (or less than idle effort lands) allows no effort, not a denormal one
  // whose harvest rounds to zero.
  if (!(harvest(0.0) < limit)) return 0.0;
  // Here 0 is within the limit and `most` is not, so the answer lies in [0, most).
  double x = std::isnan(root) || root < 0.0 ? 0.0 : (root < most ? root : std::nextafter(most, 0.0));
  constexpr int most_steps = 16;
  if (within(x)) {
    for (int step = 0; step < most_steps; ++step) {
      const double next = std::nextafter(x, most);
      if (next >= most || !within(next)) return x;
      x = next;
    }
  } else {
    for (int step = 0; step < most_steps; ++step) {
      x = std::nextafter(x, 0.0);
      if (within(x)) return x;
    }
  }
  return std::nullopt;
}

}  // namespace commons::models::detail
