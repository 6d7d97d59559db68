// SPDX-License-Identifier: Apache-2.0
// Scripted decisions: exact replay of a table, the gap and end rules, pledges, and the
// file:line errors for rows that cannot be replayed.

#include <commons/models/register_models.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace commons::models {
namespace {

using testing::FisheryParameters;

sim::Table decisions(std::vector<std::string> columns, std::vector<std::vector<double>> rows,
                     std::vector<std::size_t> lines = {}) {
  if (lines.empty())
    for (std::size_t r = 0; r < rows.size(); ++r) lines.push_back(r + 2);
  return {"decisions.csv", std::move(columns), std::move(rows), std::move(lines)};
}

sim::ComponentSpec scripted(sim::Table table) {
  return {"scripted", sim::Parameters({{"decisions", std::move(table)}}), "/agents/0/behaviour"};
}

sim::ScenarioSpec scenario(sim::ComponentSpec behaviour, std::int64_t agents, std::int64_t steps) {
  return testing::fishery_scenario(FisheryParameters{}, std::move(behaviour), agents, steps);
}

/// Effort of every agent after each step, [step][agent].
std::vector<std::vector<double>> efforts(const sim::ScenarioSpec& spec) {
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  std::vector<std::vector<double>> seen;
  while (!run.done()) {
    run.step();
    seen.push_back(run.agents().effort);
  }
  return seen;
}

std::string construction_error(const sim::ScenarioSpec& spec) {
  try {
    sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  } catch (const sim::SpecError& error) {
    return error.what();
  }
  return "no error";
}

TEST(Scripted, FullTable_IsReplayedExactlyThenLastStepHolds) {
  const auto table = decisions({"step", "agent", "effort"}, {{0, 0, 1.5},
                                                            {0, 1, 2.25},
                                                            {0, 2, 0.0},
                                                            {1, 0, 3.0},
                                                            {1, 1, 0.125},
                                                            {1, 2, 7.0},
                                                            {2, 2, 4.5},  // rows need not be sorted
                                                            {2, 0, 0.5},
                                                            {2, 1, 6.0}});
  const std::vector<std::vector<double>> expected = {
      {1.5, 2.25, 0.0}, {3.0, 0.125, 7.0}, {0.5, 6.0, 4.5}, {0.5, 6.0, 4.5}, {0.5, 6.0, 4.5}};
  EXPECT_EQ(efforts(scenario(scripted(table), 3, 5)), expected);
}

TEST(Scripted, MissingRows_RepeatLastEffortAndZeroBeforeFirstRow) {
  // Agent 0 decides at steps 0 and 3 only; agent 1 first decides at step 2; agent 2 never.
  const auto table = decisions({"agent", "effort", "step"}, {{0, 2.0, 0}, {1, 5.0, 2}, {0, 1.0, 3}});
  const std::vector<std::vector<double>> expected = {
      {2.0, 0.0, 0.0}, {2.0, 0.0, 0.0}, {2.0, 5.0, 0.0}, {1.0, 5.0, 0.0}, {1.0, 5.0, 0.0}};
  EXPECT_EQ(efforts(scenario(scripted(table), 3, 5)), expected);
}

TEST(Scripted, RowsBeyondTheRun_AreIgnored) {
  const auto table = decisions({"step", "agent", "effort"}, {{0, 0, 1.0}, {1, 0, 2.0}, {9, 0, 9.0}});
  const std::vector<std::vector<double>> expected = {{1.0}, {2.0}, {2.0}};
  EXPECT_EQ(efforts(scenario(scripted(table), 1, 3)), expected);
}

TEST(Scripted, AgentIndex_CountsWithinTheCohortOfAMix) {
  // Two fixed agents take rows 0-1, the scripted cohort rows 2-4; its agent 0 is row 2.
  auto spec = scenario(testing::fixed_effort(1.0), 5, 2);
  const auto table = decisions({"step", "agent", "effort"}, {{0, 0, 3.0}, {0, 2, 4.0}, {1, 1, 5.0}});
  spec.groups[0].behaviours = {{0.4, testing::fixed_effort(1.0)}, {0.6, scripted(table)}};
  const std::vector<std::vector<double>> expected = {{1.0, 1.0, 3.0, 0.0, 4.0}, {1.0, 1.0, 3.0, 5.0, 4.0}};
  EXPECT_EQ(efforts(spec), expected);
}

TEST(Scripted, PledgeColumn_IsAnnouncedEachStepWithRepeatedTalk) {
  auto spec = scenario(testing::fixed_effort(1.0), 4, 4);
  const auto table = decisions({"step", "agent", "effort", "pledge"},
                               {{0, 0, 3.0, 2.0}, {0, 1, 4.0, 1.5}, {2, 0, 2.5, 2.5}, {1, 1, 4.0, NAN}});
  // Rows 0-1 fixed (schedule 1, 2, then 2 held), rows 2-3 scripted.
  spec.groups[0].behaviours = {
      {0.5, {"fixed", sim::Parameters({{"schedule", std::vector<double>{1.0, 2.0}}}), "/agents/0/behaviour"}},
      {0.5, scripted(table)}};
  spec.communication.mode = sim::CommunicationSpec::Mode::repeated;
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  // Fixed agents announce the effort they are scheduled to apply; scripted agents their
  // column, repeated over missing rows, NaN (silence) for an empty cell.
  const double pledges[4][4] = {{1.0, 1.0, 2.0, 1.5}, {2.0, 2.0, 2.0, NAN}, {2.0, 2.0, 2.5, NAN}, {2.0, 2.0, 2.5, NAN}};
  for (const auto& expected : pledges) {
    run.step();
    const std::vector<double>& pledge = run.agents().pledge;
    for (std::size_t i = 0; i < 4; ++i) {
      if (std::isnan(expected[i]))
        EXPECT_TRUE(std::isnan(pledge[i])) << "step " << run.steps_done() - 1 << " agent " << i;
      else
        EXPECT_EQ(pledge[i], expected[i]) << "step " << run.steps_done() - 1 << " agent " << i;
    }
  }
}

TEST(Scripted, WithoutPledgeColumn_AnnouncesShareOfOptimum) {
  auto spec = scenario(scripted(decisions({"step", "agent", "effort"}, {{0, 0, 1.0}})), 4, 1);
  spec.communication.mode = sim::CommunicationSpec::Mode::repeated;
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  const double share = *sim::optimal_total_effort(run.resource(), spec.economics) / 4.0;
  for (double pledge : run.agents().pledge) EXPECT_EQ(pledge, share);
}

TEST(Scripted, AgentOutsideCohort_ThrowsWithFileAndLine) {
  const auto table = decisions({"step", "agent", "effort"}, {{0, 0, 1.0}, {0, 2, 1.0}, {1, 3, 1.0}}, {2, 3, 7});
  EXPECT_EQ(construction_error(scenario(scripted(table), 3, 2)),
            "decisions.csv:7: agent 3 is outside this cohort of 3 agents");
}

TEST(Scripted, InvalidRows_ThrowWithFileAndLine) {
  const std::vector<std::string> header{"step", "agent", "effort"};
  EXPECT_EQ(construction_error(scenario(scripted(decisions(header, {{0.5, 0, 1.0}})), 2, 2)),
            "decisions.csv:2: step 0.5 is not a whole number >= 0");
  EXPECT_EQ(construction_error(scenario(scripted(decisions(header, {{0, -1, 1.0}})), 2, 2)),
            "decisions.csv:2: agent -1 is not a whole number >= 0");
  EXPECT_EQ(construction_error(scenario(scripted(decisions(header, {{0, 0, 1.0}, {0, 1, -2.0}})), 2, 2)),
            "decisions.csv:3: effort -2 is not a number >= 0");
  EXPECT_EQ(construction_error(scenario(scripted(decisions(header, {{0, 1, 1.0}, {4, 0, 2.0}, {0, 1, 3.0}})), 2, 2)),
            "decisions.csv:4: a second row for step 0, agent 1 (the first is on line 2)");
  EXPECT_EQ(construction_error(scenario(scripted(decisions({"step", "agent"}, {{0, 1}})), 2, 2)),
            "decisions.csv: scripted decisions need a column 'effort' (header step,agent,effort[,pledge])");
}

}  // namespace
}  // namespace commons::models
