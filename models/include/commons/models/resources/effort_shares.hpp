// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Sums and shares over agents' efforts that resources without sites have in common, in the
/// fixed block order that keeps results independent of the thread count (sim::sum_over_blocks).

#include <commons/sim/parallel.hpp>

#include <cstddef>
#include <span>

namespace commons::models {

/// Total effort of all agents, summed in block order [effort units].
[[nodiscard]] inline double total_effort(std::span<const double> effort, const sim::ExecutionPolicy& policy) {
  return sim::sum_over_blocks(effort.size(), policy, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i) sum += effort[i];
    return sum;
  });
}

/// Writes harvest[i] = per_effort x effort[i], each agent's share of a catch that is
/// proportional to effort, and returns their sum in block order [resource units].
inline double share_by_effort(std::span<const double> effort, double per_effort, std::span<double> harvest,
                              const sim::ExecutionPolicy& policy) {
  return sim::sum_over_blocks(effort.size(), policy, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i) {
      harvest[i] = per_effort * effort[i];
      sum += harvest[i];
    }
    return sum;
  });
}

}  // namespace commons::models
