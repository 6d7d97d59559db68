// SPDX-License-Identifier: Apache-2.0
// The governance ledger: what a step's start clears, and the columns rules share by name.
#include <commons/sim/governance_ledger.hpp>
#include <commons/sim/parallel.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace commons::sim {
namespace {

constexpr double unlimited = std::numeric_limits<double>::infinity();
constexpr SharedColumn standing{.name = "standing", .initial = 1.0, .lapses = false};
constexpr SharedColumn hours{.name = "hours", .initial = 0.0, .lapses = true};

TEST(GovernanceLedger, New_NothingLimitedAnnouncedOrOwed) {
  const GovernanceLedger ledger(3);
  ASSERT_EQ(ledger.size(), 3u);
  EXPECT_EQ(ledger.effort_limit, std::vector<double>(3, unlimited));
  EXPECT_EQ(ledger.harvest_limit, std::vector<double>(3, unlimited));
  for (const std::vector<double>* column :
       {&ledger.detection_probability, &ledger.fine_per_violation, &ledger.fine_per_excess, &ledger.excess_effort,
        &ledger.excess_harvest, &ledger.violations, &ledger.detected, &ledger.fine, &ledger.fee, &ledger.transfer})
    EXPECT_EQ(*column, std::vector<double>(3, 0.0));
  EXPECT_EQ(ledger.find_shared("standing"), nullptr);
}

TEST(GovernanceLedger, Clear_ResetsOnlyTheRowsAskedAndKeepsStandingSharedColumns) {
  GovernanceLedger ledger(4);
  ledger.shared(standing) = {0.0, 0.0, 0.0, 0.0};
  ledger.shared(hours) = {2.0, 2.0, 2.0, 2.0};
  ledger.effort_limit = {1.0, 1.0, 1.0, 1.0};
  ledger.fine = {5.0, 5.0, 5.0, 5.0};
  ledger.clear(1, 3);
  EXPECT_EQ(ledger.effort_limit, (std::vector<double>{1.0, unlimited, unlimited, 1.0}));
  EXPECT_EQ(ledger.fine, (std::vector<double>{5.0, 0.0, 0.0, 5.0}));
  EXPECT_EQ(*ledger.find_shared("hours"), (std::vector<double>{2.0, 0.0, 0.0, 2.0}));
  EXPECT_EQ(*ledger.find_shared("standing"), std::vector<double>(4, 0.0));
}

TEST(GovernanceLedger, StartStep_ResetsTheDeclaredColumnsAsClearDoes) {
  for (const bool parallel : {false, true}) {
    GovernanceLedger ledger(5000);  // more than one block of agents
    ledger.shared(hours).assign(5000, 2.0);
    ledger.will_write({GovernanceLedger::Column::effort_limit, GovernanceLedger::Column::fine});
    ledger.will_write({GovernanceLedger::Column::transfer});
    ledger.effort_limit.assign(5000, 1.0);
    ledger.fine.assign(5000, 5.0);
    ledger.transfer.assign(5000, -3.0);
    EXPECT_TRUE(ledger.undeclared_columns_at_rest());
    ledger.start_step(ExecutionPolicy{parallel});
    GovernanceLedger cleared(5000);
    cleared.shared(hours);
    EXPECT_EQ(ledger.effort_limit, cleared.effort_limit);
    EXPECT_EQ(ledger.fine, cleared.fine);
    EXPECT_EQ(ledger.transfer, cleared.transfer);
    EXPECT_EQ(*ledger.find_shared("hours"), std::vector<double>(5000, 0.0));
    EXPECT_TRUE(ledger.undeclared_columns_at_rest());
  }
}

TEST(GovernanceLedger, StartStep_ForgetsDeclarations) {
  GovernanceLedger ledger(3);
  ledger.will_write({GovernanceLedger::Column::fee});
  ledger.fee = {1.0, 1.0, 1.0};
  ledger.start_step(ExecutionPolicy{false});
  EXPECT_EQ(ledger.fee, std::vector<double>(3, 0.0));
  // A write nobody declared in the new step is what the check exists to catch: the next
  // start_step would leave it (and refuses to, in a debug build).
  ledger.fee[1] = 1.0;
  EXPECT_FALSE(ledger.undeclared_columns_at_rest());
}

TEST(GovernanceLedger, StartStep_LeavesTheExcessToTheEngine) {
  GovernanceLedger ledger(2);
  ledger.excess_effort = {1.0, 0.0};
  ledger.excess_harvest = {0.0, 2.0};
  ledger.start_step(ExecutionPolicy{false});
  EXPECT_EQ(ledger.excess_effort, (std::vector<double>{1.0, 0.0}));
  EXPECT_EQ(ledger.excess_harvest, (std::vector<double>{0.0, 2.0}));
  EXPECT_TRUE(ledger.undeclared_columns_at_rest());
}

TEST(GovernanceLedger, Shared_MadeOnFirstUseThenTheSameColumn) {
  GovernanceLedger ledger(2);
  std::vector<double>& first = ledger.shared(standing);
  EXPECT_EQ(first, std::vector<double>(2, 1.0));
  first[1] = 0.0;
  EXPECT_EQ(&ledger.shared(standing), &first);
  EXPECT_EQ(ledger.shared(standing), (std::vector<double>{1.0, 0.0}));
  EXPECT_EQ(ledger.find_shared("standing"), &first);
}

TEST(GovernanceLedger, Shared_DescribedTwoWays_Refused) {
  GovernanceLedger ledger(2);
  (void)ledger.shared(standing);
  EXPECT_THROW((void)ledger.shared({.name = "standing", .initial = 0.0, .lapses = false}), std::logic_error);
  EXPECT_THROW((void)ledger.shared({.name = "standing", .initial = 1.0, .lapses = true}), std::logic_error);
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  (void)ledger.shared({.name = "unknown", .initial = nan, .lapses = false});
  EXPECT_TRUE(std::isnan(ledger.shared({.name = "unknown", .initial = nan, .lapses = false})[0]));
}


TEST(SiteRights, EmptyRights_EveryoneMayWorkEverywhere) {
  const SiteRights rights;
  EXPECT_TRUE(rights.may_work(0, 0, 7));
}

TEST(SiteRights, ClosedSitesAndHeldSites_OnlyTheirHoldersMayWorkTheHeldOnes) {
  SiteRights rights;
  rights.reset(4);
  rights.closed[0] = 1;
  rights.holder_group[1] = 2;
  rights.holder_agent[2] = 5;
  for (const std::uint32_t group : {0u, 2u}) EXPECT_FALSE(rights.may_work(5, group, 0)) << "closed to all";
  EXPECT_TRUE(rights.may_work(0, 2, 1));
  EXPECT_FALSE(rights.may_work(0, 1, 1));
  EXPECT_TRUE(rights.may_work(5, 0, 2));
  EXPECT_FALSE(rights.may_work(4, 0, 2));
  EXPECT_TRUE(rights.may_work(4, 1, 3));
  rights.reset(4);
  EXPECT_TRUE(rights.may_work(4, 1, 0)) << "a reset opens every site again";
}

}  // namespace
}  // namespace commons::sim
