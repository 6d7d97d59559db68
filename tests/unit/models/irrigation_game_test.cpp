// SPDX-License-Identifier: Apache-2.0
// The ASU irrigation game against its experiment software (virtualcommons/irrigation, commit
// d98de5c): the capacity and crop tables at every boundary, the upstream-first allocation,
// the infrastructure bookkeeping, and whole rounds worked out by hand.

#include <commons/models/register_models.hpp>
#include <commons/models/resources/irrigation_game.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/run.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace commons::models {
namespace {

using Rule = IrrigationGame::GateRule;

IrrigationGame game(Rule rule = Rule::fill_to_peak) {
  IrrigationGame::Parameters p;
  p.gate_rule = rule;
  return IrrigationGame(p);
}

/// Water of five gates over a 50 s round at `flow`, gates closing at `targets`.
std::array<double, 5> allocated(double flow, std::array<double, 5> targets) {
  std::array<double, 5> water{};
  IrrigationGame::allocate_water(flow, 25.0, 50, targets, water);
  return water;
}

constexpr double never = std::numeric_limits<double>::infinity();

TEST(IrrigationGameTables, CanalCapacity_EveryBoundaryOfCalculateIrrigationCapacity) {
  const std::vector<std::pair<double, double>> cases{
      {0, 0},   {45, 0},  {46, 5},  {51, 5},  {52, 10}, {55, 10}, {56, 15}, {58, 15}, {59, 20},
      {61, 20}, {62, 25}, {65, 25}, {66, 30}, {70, 30}, {71, 35}, {80, 35}, {81, 40}, {100, 40}};
  for (const auto& [efficiency, capacity] : cases)
    EXPECT_EQ(IrrigationGame::canal_capacity(efficiency), capacity) << "efficiency " << efficiency;
}

TEST(IrrigationGameTables, CropTokens_EveryBoundaryOfGetTokensEarned) {
  const std::vector<std::pair<double, double>> cases{
      {0, 0},    {149, 0},  {150, 1},  {199, 1},  {200, 4},  {249, 4},  {250, 10}, {299, 10}, {300, 15},
      {349, 15}, {350, 18}, {399, 18}, {400, 19}, {499, 19}, {500, 20}, {549, 20}, {550, 19}, {649, 19},
      {650, 18}, {699, 18}, {700, 15}, {749, 15}, {750, 10}, {799, 10}, {800, 4},  {849, 4},  {850, 1},
      {899, 1},  {900, 0},  {1250, 0}};
  for (const auto& [water, tokens] : cases) EXPECT_EQ(IrrigationGame::crop_tokens(water), tokens) << "water " << water;
}

TEST(IrrigationGameAllocation, AllGatesOpen_UpstreamTakesTheGateAndTheNextTheRest) {
  // 30 units/s: A's gate takes 25, B the 5 left, nobody further down gets any.
  EXPECT_EQ(allocated(30, {never, never, never, never, never}), (std::array<double, 5>{1250, 250, 0, 0, 0}));
}

TEST(IrrigationGameAllocation, ClosedGates_PassTheWaterDownstream) {
  EXPECT_EQ(allocated(30, {0, never, 0, never, never}), (std::array<double, 5>{0, 1250, 0, 250, 0}));
  EXPECT_EQ(allocated(30, {0, 0, 0, 0, never}), (std::array<double, 5>{0, 0, 0, 0, 1250}));
  EXPECT_EQ(allocated(30, {0, 0, 0, 0, 0}), (std::array<double, 5>{0, 0, 0, 0, 0}));
}

TEST(IrrigationGameAllocation, FlowBelowAGate_AllOfItToTheFirstOpenGate) {
  EXPECT_EQ(allocated(20, {never, never, never, never, never}), (std::array<double, 5>{1000, 0, 0, 0, 0}));
  EXPECT_EQ(allocated(5, {0, never, never, never, never}), (std::array<double, 5>{0, 250, 0, 0, 0}));
  EXPECT_EQ(allocated(25, {never, never, never, never, never}), (std::array<double, 5>{1250, 0, 0, 0, 0}));
}

TEST(IrrigationGameAllocation, FlowAboveAGate_TheRestGoesDown) {
  // 40 units/s (a canal whose supply is not the limit): A 25, B 15.
  EXPECT_EQ(allocated(40, {never, never, never, never, never}), (std::array<double, 5>{1250, 750, 0, 0, 0}));
}

TEST(IrrigationGameAllocation, FillToPeak_EachStopsAt500AndTheNextTakesOver) {
  // s1-20: A 25/s to 500, B 5/s to 100; s21-36: B 25/s to 500, C 5/s to 80;
  // s37-50: C 25/s to 430, D 5/s to 70; E nothing.
  EXPECT_EQ(allocated(30, {500, 500, 500, 500, 500}), (std::array<double, 5>{500, 500, 430, 70, 0}));
}

TEST(IrrigationGameAllocation, EqualShare_GatesCloseAtTheirShareAndOvershootBySeconds) {
  // Share 30 x 50 / 5 = 300. A reaches it at s12 (B 60); B at s22 with 310 (it had 285, took
  // 25; C 50); C at s32 with 300 (D 50); D at s42 with 300 (E 50); E 25/s for 8 s: 250.
  EXPECT_EQ(allocated(30, {300, 300, 300, 300, 300}), (std::array<double, 5>{300, 310, 300, 300, 250}));
}

TEST(IrrigationGameInfrastructure, FirstRound_StartsAtTheInitialEfficiencyWithoutDecay) {
  const IrrigationGame::CanalRound round = game().infrastructure(std::nullopt, 0.0);
  EXPECT_EQ(round.efficiency_before_investment, 75.0);
  EXPECT_EQ(round.efficiency, 75.0);
  EXPECT_EQ(round.capacity, 35.0);
  EXPECT_EQ(round.flow, 30.0);  // the supply, not the capacity
}

TEST(IrrigationGameInfrastructure, LaterRounds_DecayThenAddOnePointPerToken) {
  const IrrigationGame::CanalRound round = game().infrastructure(75.0, 10.0);
  EXPECT_EQ(round.efficiency_before_investment, 50.0);
  EXPECT_EQ(round.efficiency, 60.0);
  EXPECT_EQ(round.capacity, 20.0);
  EXPECT_EQ(round.flow, 20.0);
}

TEST(IrrigationGameInfrastructure, DecayStopsAtZero_InvestmentStopsAt100) {
  const IrrigationGame::CanalRound decayed = game().infrastructure(10.0, 5.0);
  EXPECT_EQ(decayed.efficiency_before_investment, 0.0);
  EXPECT_EQ(decayed.efficiency, 5.0);
  EXPECT_EQ(decayed.capacity, 0.0);
  const IrrigationGame::CanalRound capped = game().infrastructure(90.0, 50.0);
  EXPECT_EQ(capped.efficiency_before_investment, 65.0);
  EXPECT_EQ(capped.efficiency, 100.0);
  EXPECT_EQ(capped.capacity, 40.0);
  EXPECT_EQ(capped.flow, 30.0);
}

TEST(IrrigationGameChoices, DefaultIsTheScenarioRule_OthersNameTheirRule) {
  const IrrigationGame g = game(Rule::equal_share);
  EXPECT_EQ(g.choices(), (std::vector<std::string>{"default", "fill_to_peak", "equal_share", "open_whole_round"}));
  EXPECT_EQ(g.rule_of_choice(0), Rule::equal_share);
  EXPECT_EQ(g.rule_of_choice(1), Rule::fill_to_peak);
  EXPECT_EQ(g.rule_of_choice(3), Rule::open_whole_round);
  EXPECT_EQ(g.gate_target(Rule::equal_share, 30.0, 5), 300.0);
  EXPECT_EQ(g.gate_target(Rule::equal_share, 20.0, 4), 250.0);
  EXPECT_EQ(g.gate_target(Rule::fill_to_peak, 30.0, 5), 500.0);
}

/// One agent per group, each with its own fixed investment, A..E in agent order.
sim::ScenarioSpec five_players(const std::array<double, 5>& investments, std::int64_t rounds,
                               const std::string& gate_rule = "fill_to_peak") {
  sim::ScenarioSpec spec;
  spec.name = "test_irrigation";
  spec.resource = {"irrigation_game", sim::Parameters({{"gate_rule", gate_rule}}), "/resource"};
  spec.economics = {1.0, 1.0, 0.0};
  const char* names[] = {"A", "B", "C", "D", "E"};
  for (std::size_t k = 0; k < 5; ++k)
    spec.groups.push_back(
        {names[k], 1, {{1.0, {"fixed", sim::Parameters({{"effort", investments[k]}}), "/agents/0/behaviour"}}}, 1.0});
  spec.steps = rounds;
  spec.replicates = 1;
  spec.seed = 3;
  spec.resolved_text = "{}";
  spec.source = "test";
  return spec;
}

const std::vector<double>& series(const sim::RunResult& result, const std::string& name) {
  for (const sim::SeriesData& data : result.series)
    if (data.info.name == name) return data.values;
  throw std::runtime_error("no series " + name);
}

TEST(IrrigationGameRun, WholeRoundByHand_EarningsAreEndowmentLessInvestmentPlusCrop) {
  // Invested 10 + 0 + 5 + 2 + 3 = 20 a round: efficiency 75 + 20 = 95, then 95 - 25 + 20 = 90
  // and 85: capacity 40 throughout, flow 30 (the supply). Fill to peak: water 500, 500, 430, 70, 0, crop
  // 20, 20, 19, 0, 0. Earnings 10 - x + crop: 20, 30, 24, 8, 7; income (cost 1 per token, price
  // 1 per crop token) leaves out the endowment: 10, 20, 14, -2, -3.
  const sim::ScenarioSpec spec = five_players({10, 0, 5, 2, 3}, 3);
  sim::Run run(spec, models::default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  const std::vector<double> earnings{20, 30, 24, 8, 7};
  while (!run.done()) {
    run.step();
    const sim::AgentTable& agents = run.agents();
    EXPECT_EQ(agents.harvest, (std::vector<double>{20, 20, 19, 0, 0}));
    for (std::size_t k = 0; k < 5; ++k) EXPECT_EQ(agents.income[k] + 10.0, earnings[k]) << "player " << k;
    const auto& irrigation = dynamic_cast<const IrrigationGame&>(run.resource());
    EXPECT_EQ(irrigation.water(), (std::vector<double>{500, 500, 430, 70, 0}));
  }
  const sim::RunResult result = run.take_result();
  EXPECT_EQ(series(result, "infrastructure_efficiency"), (std::vector<double>{95, 90, 85}));
  EXPECT_EQ(series(result, "efficiency_before_investment"), (std::vector<double>{75, 70, 65}));
  EXPECT_EQ(series(result, "canal_capacity"), (std::vector<double>{40, 40, 40}));
  EXPECT_EQ(series(result, "water_delivered"), (std::vector<double>{1500, 1500, 1500}));
  EXPECT_EQ(series(result, "total_crop"), (std::vector<double>{59, 59, 59}));
}

TEST(IrrigationGameRun, NobodyInvests_TheCanalDecaysAndDriesUp) {
  // 75 (35/s, flow 30), 50 (5/s: A's 250 units, 10 tokens), 25 and 0 (no water).
  const sim::ScenarioSpec spec = five_players({0, 0, 0, 0, 0}, 4);
  sim::Run run(spec, models::default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  const sim::RunResult result = run.take_result();
  EXPECT_EQ(series(result, "infrastructure_efficiency"), (std::vector<double>{75, 50, 25, 0}));
  EXPECT_EQ(series(result, "canal_capacity"), (std::vector<double>{35, 5, 0, 0}));
  EXPECT_EQ(series(result, "water_delivered"), (std::vector<double>{1500, 250, 0, 0}));
  EXPECT_EQ(series(result, "total_crop"), (std::vector<double>{59, 10, 0, 0}));
}

TEST(IrrigationGameState, CollapsedAtOrBelow45_WhereTheCanalCarriesNoWater) {
  const IrrigationGame g = game();
  EXPECT_TRUE(45.0 < g.collapse_threshold());
  EXPECT_FALSE(std::nextafter(45.0, 100.0) < g.collapse_threshold());
  EXPECT_EQ(IrrigationGame::canal_capacity(45.0), 0.0);
  EXPECT_EQ(IrrigationGame::canal_capacity(std::nextafter(45.0, 100.0)), 5.0);
}

TEST(IrrigationGameRun, EqualShareRule_LeavesWaterForDownstream) {
  const sim::ScenarioSpec spec = five_players({5, 5, 5, 5, 5}, 2, "equal_share");
  sim::Run run(spec, models::default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  EXPECT_EQ(run.agents().harvest, (std::vector<double>{15, 15, 15, 15, 10}));
}

TEST(IrrigationGameHarvest, TwoCanals_EachPlaysItsOwnRoundAndSitesSumThem) {
  // Ten players: canal 0 invests nothing, canal 1 everything; both are in their first round.
  IrrigationGame g = game();
  const std::vector<double> effort{0, 0, 0, 0, 0, 10, 10, 10, 10, 10};
  const std::vector<std::uint32_t> site{0, 1, 2, 3, 4, 0, 1, 2, 3, 4};
  std::vector<double> harvest(10);
  const double total = g.harvest({effort, site, {}}, harvest, sim::ExecutionPolicy{});
  EXPECT_EQ(total, 118.0);
  ASSERT_EQ(g.canals().size(), 2u);
  EXPECT_EQ(g.canals()[0].efficiency, 75.0);
  EXPECT_EQ(g.canals()[1].efficiency, 100.0);
  std::vector<double> site_water(5);
  g.sample_sites(site_water);
  EXPECT_EQ(site_water, (std::vector<double>{1000, 1000, 860, 140, 0}));
  // A second round: canal 0 decays to 50 (5/s), canal 1 to 75 + 50 -> 100.
  g.grow();
  g.harvest({effort, site, {}}, harvest, sim::ExecutionPolicy{});
  EXPECT_EQ(g.canals()[0].efficiency, 50.0);
  EXPECT_EQ(g.canals()[1].efficiency, 100.0);
  EXPECT_EQ(harvest, (std::vector<double>{10, 0, 0, 0, 0, 20, 20, 19, 0, 0}));
}

TEST(IrrigationGameHarvest, ManyCanals_SameBitsSerialAndParallel) {
  // More canals than one block of the execution policy.
  const std::size_t n = 5 * 3 * sim::agent_block_size + 17;
  std::vector<double> effort(n);
  std::vector<std::uint32_t> site(n);
  for (std::size_t i = 0; i < n; ++i) {
    effort[i] = static_cast<double>((i * 7) % 11);
    site[i] = static_cast<std::uint32_t>(i % 5);
  }
  IrrigationGame serial = game(), parallel = game();
  for (int round = 0; round < 3; ++round) {
    std::vector<double> serial_crop(n), parallel_crop(n);
    EXPECT_EQ(serial.harvest({effort, site, {}}, serial_crop, sim::ExecutionPolicy{false}),
              parallel.harvest({effort, site, {}}, parallel_crop, sim::ExecutionPolicy{true}));
    EXPECT_EQ(serial_crop, parallel_crop);
    EXPECT_EQ(serial.water(), parallel.water());
    EXPECT_EQ(serial.stock(), parallel.stock());
  }
}

TEST(IrrigationGameHarvest, ChoicesOverrideTheScenarioRule) {
  IrrigationGame g = game();
  const std::vector<double> effort(5, 5.0);
  const std::vector<std::uint32_t> site{0, 1, 2, 3, 4};
  const std::vector<std::uint32_t> choice{3, 0, 0, 0, 0};  // A keeps its gate open all round
  std::vector<double> harvest(5);
  g.harvest({effort, site, choice}, harvest, sim::ExecutionPolicy{});
  EXPECT_EQ(g.water(), (std::vector<double>{1250, 250, 0, 0, 0}));
  EXPECT_EQ(harvest, (std::vector<double>{0, 10, 0, 0, 0}));
}

TEST(IrrigationGameHarvest, HarvestIf_IsTheMeanCropOfACanalWithThatInvestment) {
  const IrrigationGame g = game();
  // First round, 75 + 20: flow 30, crops 20 20 19 0 0.
  EXPECT_EQ(g.harvest_if(4.0, 16.0), 59.0 / 5.0);
}

}  // namespace
}  // namespace commons::models
