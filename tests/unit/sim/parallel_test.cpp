// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/parallel.hpp>
#include <commons/sim/random.hpp>

#include <oneapi/tbb/task_arena.h>

#include <gtest/gtest.h>

#include <vector>

namespace commons::sim {
namespace {

TEST(SumOverBlocks, ParallelAndSerial_AreBitIdentical) {
  const RandomStream stream(3, 0);
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, agent_block_size - 1, agent_block_size,
                        agent_block_size + 1, std::size_t{100003}}) {
    std::vector<double> values(n);
    // Values of very different magnitude make the result sensitive to summation order.
    for (std::size_t i = 0; i < n; ++i)
      values[i] = std::ldexp(stream.uniform(0, i, Purpose::initialise), static_cast<int>(i % 60) - 30);
    auto block_sum = [&](std::size_t first, std::size_t last) {
      double sum = 0.0;
      for (std::size_t i = first; i < last; ++i) sum += values[i];
      return sum;
    };
    const double serial = sum_over_blocks(n, ExecutionPolicy{false}, block_sum);
    double one_thread = 0.0, two_threads = 0.0;
    tbb::task_arena(1).execute([&] { one_thread = sum_over_blocks(n, ExecutionPolicy{true}, block_sum); });
    tbb::task_arena(2).execute([&] { two_threads = sum_over_blocks(n, ExecutionPolicy{true}, block_sum); });
    EXPECT_EQ(serial, one_thread) << n;
    EXPECT_EQ(serial, two_threads) << n;
  }
}

TEST(ForEachBlock, CoversEveryIndexOnce) {
  const std::size_t n = 3 * agent_block_size + 17;
  std::vector<int> visits(n, 0);
  for_each_block(n, ExecutionPolicy{true}, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) ++visits[i];
  });
  for (int v : visits) ASSERT_EQ(v, 1);
}

}  // namespace
}  // namespace commons::sim
