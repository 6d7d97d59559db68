// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Work over agents in fixed blocks. Block boundaries depend on the agent count only, and
/// partial sums are combined in block order, so a sum is bit-identical whether the blocks run
/// on one thread or many.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace commons::sim {

/// Agents per block; large enough to amortise scheduling, small enough to balance 1e4 agents.
inline constexpr std::size_t agent_block_size = 4096;

/// How work inside one run is executed.
struct ExecutionPolicy {
  /// Run blocks of agents on TBB; off, blocks run in order on the calling thread.
  bool parallel_agents = true;
};

[[nodiscard]] inline std::size_t block_count(std::size_t n) {
  return (n + agent_block_size - 1) / agent_block_size;
}

/// Calls `body(first, last)` for each fixed block of [0, n).
template <class Body>
void for_each_block(std::size_t n, const ExecutionPolicy& policy, Body&& body) {
  const std::size_t blocks = block_count(n);
  auto run_block = [&](std::size_t b) {
    const std::size_t first = b * agent_block_size;
    body(first, std::min(n, first + agent_block_size));
  };
  if (policy.parallel_agents && blocks > 1) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks, 1),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t b = r.begin(); b != r.end(); ++b) run_block(b);
                      },
                      tbb::simple_partitioner{});
  } else {
    for (std::size_t b = 0; b < blocks; ++b) run_block(b);
  }
}

/// Sum of `block_sum(first, last)` over the fixed blocks of [0, n), combined in block order.
template <class BlockSum>
[[nodiscard]] double sum_over_blocks(std::size_t n, const ExecutionPolicy& policy, BlockSum&& block_sum) {
  const std::size_t blocks = block_count(n);
  if (blocks <= 1) return n == 0 ? 0.0 : block_sum(std::size_t{0}, n);
  std::vector<double> partial(blocks, 0.0);
  for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
    partial[first / agent_block_size] = block_sum(first, last);
  });
  double total = 0.0;
  for (double p : partial) total += p;
  return total;
}

}  // namespace commons::sim
