// SPDX-License-Identifier: Apache-2.0
// Aspiration-based satisficing (Karandikar, Mookherjee, Ray & Vega-Redondo 1998): satisfied
// agents stand still, the aspiration is an exact exponential smoothing of utility, searches
// stay within their range, and runs are deterministic.

#include <commons/models/behaviour/aspiration.hpp>
#include <commons/models/register_models.hpp>
#include <commons/sim/run.hpp>

#include <behaviour_bench.hpp>
#include <cpr_spec.hpp>

#include <gtest/gtest.h>

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace commons::models {
namespace {

using testing::BehaviourBench;
using testing::CprParameters;

sim::Distribution uniform(double low, double high) {
  return {sim::Distribution::Kind::uniform, low, high, {}, {}};
}

TEST(Aspiration, EveryStep_SatisfiedKeepAndAspirationSmoothsExactly) {
  // Eight players starting anywhere in [0, 10] (incomes 8 x_i near X = 40, so 0..80) with
  // aspirations drawn in [20, 60]: some start satisfied, some search.
  const double h = 0.3, exploration = 2.0;
  sim::Parameters parameters({{"aspiration_rate", h},
                              {"exploration", exploration},
                              {"initial_aspiration", uniform(20.0, 60.0)},
                              {"initial_effort", uniform(0.0, 10.0)}});
  BehaviourBench<Aspiration> bench(CprParameters{}, 8, parameters);
  Aspiration& behaviour = bench.behaviour();
  std::size_t satisfied = 0, searched = 0;
  for (int t = 0; t < 40; ++t) {
    bench.decide();
    const std::vector<double> effort = bench.table().effort;
    std::vector<double> before(8);
    for (std::size_t i = 0; i < 8; ++i) before[i] = behaviour.aspiration(i);
    bench.settle_and_learn();
    for (std::size_t i = 0; i < 8; ++i) {
      const double u = bench.table().income[i];
      const double a = before[i];
      EXPECT_DOUBLE_EQ(behaviour.aspiration(i), (1.0 - h) * a + h * u) << "step " << t << " agent " << i;
      if (u >= a) {
        ++satisfied;
        EXPECT_EQ(behaviour.planned_effort(i), effort[i]) << "satisfied agent moved, step " << t;
      } else {
        // switch_probability defaults to 1: an unsatisfied agent always searches near its effort.
        ++searched;
        EXPECT_LE(std::abs(behaviour.planned_effort(i) - effort[i]), exploration);
        EXPECT_GE(behaviour.planned_effort(i), 0.0);
        EXPECT_LE(behaviour.planned_effort(i), 10.0);
      }
    }
  }
  // Both branches were exercised.
  EXPECT_GT(satisfied, 40U);
  EXPECT_GT(searched, 40U);
}

TEST(Aspiration, DefaultAspiration_IsTheFirstPayoff) {
  // Without `initial_aspiration` the agent aspires to its first payoff: NaN before it, then
  // A(1) = (1 - h) u(0) + h u(0) = u(0), and nobody searches after the first step.
  sim::Parameters parameters({{"aspiration_rate", 0.4}, {"exploration", 1.0}, {"initial_effort", uniform(0.0, 10.0)}});
  BehaviourBench<Aspiration> bench(CprParameters{}, 5, parameters);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_TRUE(std::isnan(bench.behaviour().aspiration(i)));
  bench.decide();
  const std::vector<double> effort = bench.table().effort;
  bench.settle_and_learn();
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_DOUBLE_EQ(bench.behaviour().aspiration(i), bench.table().income[i]);
    EXPECT_EQ(bench.behaviour().planned_effort(i), effort[i]);
  }
}

TEST(Aspiration, GivenInitialAspiration_FirstUpdateIsHandWorked) {
  // Two players applying 4 and 8 tokens in the first round.
  // Efforts (4, 8): X = 12, a - b X = 20; incomes 4 * 20 - 20 = 60 and 8 * 20 - 40 = 120.
  // Initial aspiration 100, h = 0.25: agent 0 (60 < 100) searches, agent 1 (120 >= 100) stays.
  // A(1) = 0.75 * 100 + 0.25 * 60 = 90 and 0.75 * 100 + 0.25 * 120 = 105.
  sim::Parameters parameters({{"aspiration_rate", 0.25},
                              {"initial_aspiration", 100.0},
                              {"choices", std::vector<double>{0.0, 1.0, 2.0}}});
  BehaviourBench<Aspiration> bench(CprParameters{}, 2, parameters);
  bench.play({4.0, 8.0});
  EXPECT_DOUBLE_EQ(bench.table().income[0], 60.0);
  EXPECT_DOUBLE_EQ(bench.table().income[1], 120.0);
  EXPECT_DOUBLE_EQ(bench.behaviour().aspiration(0), 90.0);
  EXPECT_DOUBLE_EQ(bench.behaviour().aspiration(1), 105.0);
  EXPECT_EQ(bench.behaviour().planned_effort(1), 8.0);
  // The searcher took one of the choices.
  const double moved = bench.behaviour().planned_effort(0);
  EXPECT_TRUE(moved == 0.0 || moved == 1.0 || moved == 2.0) << moved;
}

TEST(Aspiration, ZeroSwitchProbability_NobodyMoves) {
  sim::Parameters parameters({{"aspiration_rate", 0.5},
                              {"initial_aspiration", 1e9},
                              {"switch_probability", 0.0},
                              {"exploration", 3.0},
                              {"initial_effort", uniform(0.0, 10.0)}});
  auto spec = testing::cpr_scenario(CprParameters{}, {"aspiration", parameters, "/groups/0/behaviour"}, 20, 10);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  const std::vector<double> first = run.agents().effort;
  while (!run.done()) {
    run.step();
    EXPECT_EQ(run.agents().effort, first);
  }
}

TEST(Aspiration, LowAspiration_AllSatisfiedInARun) {
  // An aspiration no payoff falls below, held there by h = 0: every agent is always satisfied.
  sim::Parameters parameters({{"aspiration_rate", 0.0},
                              {"initial_aspiration", -1e9},
                              {"exploration", 3.0},
                              {"initial_effort", uniform(0.0, 10.0)}});
  auto spec = testing::cpr_scenario(CprParameters{}, {"aspiration", parameters, "/groups/0/behaviour"}, 20, 10);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  const std::vector<double> first = run.agents().effort;
  while (!run.done()) {
    run.step();
    EXPECT_EQ(run.agents().effort, first);
  }
}

TEST(Aspiration, MissingRate_Throws) {
  sim::Parameters parameters({{"exploration", 1.0}});
  auto spec = testing::cpr_scenario(CprParameters{}, {"aspiration", parameters, "/groups/0/behaviour"}, 4, 1);
  EXPECT_THROW(sim::Run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}), sim::SpecError);
}

std::vector<std::vector<double>> run_efforts(const sim::ScenarioSpec& spec, sim::ExecutionPolicy policy) {
  sim::Run run(spec, default_registry(), sim::RunTask{2, 0, spec.seed, {}}, policy);
  std::vector<std::vector<double>> out;
  while (!run.done()) {
    run.step();
    out.push_back(run.agents().effort);
    out.push_back(run.agents().income);
  }
  return out;
}

TEST(Aspiration, SerialAndParallel_GiveIdenticalRuns) {
  // 9000 agents span three engine blocks; heterogeneous rates and an inequity-averse utility.
  sim::Parameters parameters({{"aspiration_rate", uniform(0.05, 0.5)},
                              {"switch_probability", 0.7},
                              {"exploration", 0.01},
                              {"initial_effort", uniform(0.0, 0.02)}});
  parameters.set_block("social_preference",
                       sim::Parameters({{"model", std::string("fehr_schmidt")}, {"envy", 0.5}, {"guilt", 0.2}}));
  auto spec = testing::cpr_scenario(CprParameters{}, {"aspiration", parameters, "/groups/0/behaviour"}, 9000, 8);
  const auto serial = run_efforts(spec, sim::ExecutionPolicy{false});
  std::vector<std::vector<double>> parallel;
  tbb::task_arena(2).execute([&] { parallel = run_efforts(spec, sim::ExecutionPolicy{true}); });
  EXPECT_EQ(serial, parallel);
  EXPECT_NE(serial.front(), serial[serial.size() - 2]);
}

}  // namespace
}  // namespace commons::models
