// SPDX-License-Identifier: Apache-2.0
// Networks at the sizes users run, too large for the sanitizer builds: these tests carry the
// label `scale`, which the asan and tsan test presets do not select.
#include <commons/sim/network.hpp>
#include <commons/sim/network_generators.hpp>
#include <commons/sim/random.hpp>

#include <gtest/gtest.h>

namespace commons::sim {
namespace {

TEST(NetworkScale, CompleteTwentyThousand_ClusteringSampledAndExactlyOne) {
  // The user report: 2e4 agents linked to all others (2e8 edges, 1.5 GB). Counting its 1.3e12
  // triangles took over an hour; the forward algorithm's work (4e12 merge steps) is far above
  // the budget, so the measure is sampled, and on a complete graph every sample hits.
  const Network network = complete(20'000);
  ASSERT_EQ(network.edge_count(), 199'990'000U);
  const Clustering c = network.clustering(RandomStream(1, 0));
  EXPECT_FALSE(c.exact);
  EXPECT_EQ(c.average, 1.0);
  EXPECT_EQ(c.global, 1.0);
  EXPECT_EQ(c.average_standard_error, 0.0);
}

}  // namespace
}  // namespace commons::sim
