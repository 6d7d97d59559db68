// SPDX-License-Identifier: Apache-2.0
// The agent table's columns: reserved once for the whole run, backed by huge pages when large,
// and holding exactly what plain vectors would hold.
#include <commons/sim/agent_table.hpp>

#include "columns.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace commons::sim {
namespace {

// Around one huge page of doubles (262144), and a million.
constexpr std::size_t sizes[] = {0, 1, 1000, 262140, 262143, 262144, 262145, 1'000'007};

TEST(Columns, FilledColumn_HoldsWhatAPlainVectorHolds) {
  for (const std::size_t n : sizes) {
    EXPECT_EQ(detail::filled_column(n, 2.5), std::vector<double>(n, 2.5)) << n;
    EXPECT_EQ(detail::filled_column(n, std::uint32_t{7}), std::vector<std::uint32_t>(n, 7)) << n;
  }
}

TEST(Columns, HugePageCapacity_WholeHugePagesLessTheAllocatorsHeader) {
  for (const std::size_t bytes : {std::size_t{8}, detail::huge_page_bytes - 1, detail::huge_page_bytes,
                                   detail::huge_page_bytes * 3 - 32, detail::huge_page_bytes * 3 - 31,
                                   std::size_t{8'000'000}}) {
    const std::size_t capacity = detail::huge_page_capacity(bytes);
    if (bytes < detail::huge_page_bytes) {
      EXPECT_EQ(capacity, bytes);
      continue;
    }
    EXPECT_GE(capacity, bytes);
    EXPECT_LT(capacity - bytes, detail::huge_page_bytes);
    EXPECT_EQ((capacity + 32) % detail::huge_page_bytes, 0u) << bytes;
    // Rows of any column type fit it exactly.
    EXPECT_EQ(capacity % sizeof(double), 0u);
  }
}

TEST(Columns, ReserveRows_AppendingUpToTheReservationNeverMovesTheColumn) {
  std::vector<double> column;
  detail::reserve_rows(column, 300'000);
  const double* data = column.data();
  for (std::size_t i = 0; i < 300'000; ++i) column.push_back(static_cast<double>(i));
  EXPECT_EQ(column.data(), data);
  EXPECT_EQ(column[299'999], 299'999.0);
}

TEST(AgentTable, Reserve_GroupsAppendedAfterwardsMoveNoColumnAndNumberAgentsOnwards) {
  AgentTable agents;
  agents.reserve(500'000);
  const double* effort = agents.effort.data();
  const std::uint64_t* id = agents.id.data();
  agents.append_group(0, 200'000, 25.0);
  agents.append_group(1, 300'000, 30.0);
  EXPECT_EQ(agents.effort.data(), effort);
  EXPECT_EQ(agents.id.data(), id);
  ASSERT_EQ(agents.size(), 500'000u);
  EXPECT_EQ(agents.id[199'999], 199'999u);
  EXPECT_EQ(agents.id[200'000], 200'000u);
  EXPECT_EQ(agents.group[199'999], 0u);
  EXPECT_EQ(agents.group[200'000], 1u);
  EXPECT_EQ(agents.cost_per_effort[199'999], 25.0);
  EXPECT_EQ(agents.cost_per_effort[499'999], 30.0);
  EXPECT_EQ(agents.cumulative_income, std::vector<double>(500'000, 0.0));
}

TEST(AgentTable, AgentsThatNeverTalk_HaveNoPledgeColumns) {
  AgentTable agents;
  agents.reserve(10, false);
  agents.append_group(0, 10, 25.0, std::nullopt);
  EXPECT_TRUE(agents.pledge.empty());
  EXPECT_TRUE(agents.heard_pledge.empty());
  EXPECT_TRUE(agents.trust.empty());
  const AgentSpan span{&agents, 2, 6};
  EXPECT_TRUE(span.pledge().empty());
  EXPECT_TRUE(span.heard_pledge().empty());
  EXPECT_TRUE(span.trust().empty());
  EXPECT_EQ(span.effort().size(), 4u);
}

TEST(AgentTable, AgentsThatTalk_StartWithoutPledgesAndWithTheirTrust) {
  AgentTable agents;
  agents.append_group(0, 10, 25.0, 0.5);
  EXPECT_EQ(agents.trust, std::vector<double>(10, 0.5));
  ASSERT_EQ(agents.pledge.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_TRUE(std::isnan(agents.pledge[i]));
    EXPECT_TRUE(std::isnan(agents.heard_pledge[i]));
  }
  const AgentSpan span{&agents, 2, 6};
  EXPECT_EQ(span.trust().size(), 4u);
}

}  // namespace
}  // namespace commons::sim
