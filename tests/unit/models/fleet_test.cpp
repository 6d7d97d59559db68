// SPDX-License-Identifier: Apache-2.0
// Smith-style open-access entry and exit settles at the Gordon point.

#include <commons/models/register_models.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/sim/run.hpp>
#include <commons/sim/sweep.hpp>

#include <fishery_spec.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <vector>

namespace commons::models {
namespace {

using testing::FisheryParameters;

TEST(Fleet, OpenAccessDynamics_ConvergeToGordonPoint) {
  const FisheryParameters sets[] = {
      {0.5, 1000.0, 0.01, 1000.0, 0.0, 10.0, 25.0},
      {0.5, 3500.0, 0.0005, 3500.0, 0.0, 200.0, 150.0},
      {0.9, 80.0, 0.2, 40.0, 0.0, 2.0, 10.0},
  };
  for (const FisheryParameters& p : sets) {
    // eta scaled so that the effort response is comparable across parameter sets.
    const double eta = 0.05 / (p.price * p.catchability * p.carrying_capacity);
    auto spec = testing::fishery_scenario(p, testing::fleet(0.1, eta), 25, 20000);
    sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
    while (!run.done()) run.step();
    const double gordon_stock = p.cost_per_effort / (p.price * p.catchability);
    EXPECT_NEAR(run.resource().stock(), gordon_stock, 1e-6 * gordon_stock);
    const double total_effort = std::accumulate(run.agents().effort.begin(), run.agents().effort.end(), 0.0);
    const double gordon_effort = p.growth_rate / p.catchability * (1.0 - gordon_stock / p.carrying_capacity);
    EXPECT_NEAR(total_effort, gordon_effort, 1e-6 * gordon_effort);
    const sim::RunResult result = run.take_result();
    // Rent is dissipated: income per step near zero relative to revenue.
    const auto rent = std::find_if(result.series.begin(), result.series.end(), [](const auto& s) { return s.info.name == "rent"; });
    ASSERT_NE(rent, result.series.end());
    EXPECT_NEAR(rent->values.back(), 0.0, 1e-5 * p.price * p.growth_rate * p.carrying_capacity);
  }
}

// Linearised at the Gordon point (X*, E*) = (c/(pq), r/q (1 - X*/K)), the step
// X' = X + r X (1 - X/K) - q E X, E' = E + eta (p q X - c) E has the Jacobian [[1 - a, -q X*],
// [eta p q E*, 1]] with a = r X*/K, whose eigenvalues are real for s = eta c r (1 - X*/K) up to
// a^2/4 and complex with modulus sqrt(1 - a + s) above it (docs/models.md#fleet). So the approach
// is monotone for eta up to eta_1 = r (X*/K)^2 / (4 c (1 - X*/K)), a damped spiral up to
// eta_2 = (X*/K) / (c (1 - X*/K)), and the Gordon point repels beyond. Each bound is tested from
// both sides, on three fisheries.
TEST(Fleet, OpenAccessDynamics_MonotoneSpiralOrCyclingAtTheLinearisedBounds) {
  const FisheryParameters sets[] = {
      {0.5, 1000.0, 0.01, 1000.0, 0.0, 10.0, 25.0},
      {0.5, 3500.0, 0.0005, 3500.0, 0.0, 200.0, 150.0},
      {0.9, 80.0, 0.2, 40.0, 0.0, 2.0, 10.0},
  };
  struct Path {
    std::size_t crossings = 0;  // sign changes of X - X* while |X - X*| is above round-off
    double final_deviation = 0.0;
    double late_range = 0.0;  // max - min of X over the last 1000 steps
  };
  for (const FisheryParameters& p : sets) {
    const double gordon_stock = p.cost_per_effort / (p.price * p.catchability);
    const double share = gordon_stock / p.carrying_capacity;
    const double eta_1 = p.growth_rate * share * share / (4.0 * p.cost_per_effort * (1.0 - share));
    const double eta_2 = share / (p.cost_per_effort * (1.0 - share));
    const auto follow = [&](double eta) {
      auto spec = testing::fishery_scenario(p, testing::fleet(0.1, eta), 25, 20000);
      sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
      while (!run.done()) run.step();
      const sim::RunResult result = run.take_result();
      const auto stock = std::find_if(result.series.begin(), result.series.end(),
                                      [](const auto& s) { return s.info.name == "stock"; });
      Path path;
      int last_sign = 0;
      for (const double x : stock->values) {
        const double deviation = x - gordon_stock;
        if (std::abs(deviation) < 1e-9 * gordon_stock) continue;
        const int sign = deviation > 0.0 ? 1 : -1;
        if (last_sign != 0 && sign != last_sign) ++path.crossings;
        last_sign = sign;
      }
      path.final_deviation = std::abs(stock->values.back() - gordon_stock) / gordon_stock;
      const auto late = std::span(stock->values).last(1000);
      path.late_range = (std::ranges::max(late) - std::ranges::min(late)) / gordon_stock;
      return path;
    };
    const Path monotone = follow(0.9 * eta_1);
    EXPECT_EQ(monotone.crossings, 0U) << p.carrying_capacity;
    EXPECT_LT(monotone.final_deviation, 1e-9) << p.carrying_capacity;
    const Path slow_spiral = follow(1.2 * eta_1);
    EXPECT_GE(slow_spiral.crossings, 2U) << p.carrying_capacity;
    EXPECT_LT(slow_spiral.final_deviation, 1e-9) << p.carrying_capacity;
    const Path fast_spiral = follow(0.8 * eta_2);
    EXPECT_GE(fast_spiral.crossings, 100U) << p.carrying_capacity;
    EXPECT_LT(fast_spiral.final_deviation, 1e-9) << p.carrying_capacity;
    // Past eta_2 the stock keeps cycling around the Gordon point, over more than half of it.
    const Path cycling = follow(1.2 * eta_2);
    EXPECT_GT(cycling.crossings, 100U) << p.carrying_capacity;
    EXPECT_GT(cycling.late_range, 0.5) << p.carrying_capacity;
  }
}

TEST(Fleet, EffortUpdate_FollowsSmithRuleExactly) {
  FisheryParameters p;  // p q X - c = 10 * 0.01 * 1000 - 25 = 75 at the start
  auto spec = testing::fishery_scenario(p, testing::fleet(2.0, 0.001, 2.1), 3, 2);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  EXPECT_EQ(run.agents().effort[0], 2.0);
  run.step();
  // 2 + 0.001 * 75 * 2 = 2.15, capped at 2.1.
  EXPECT_EQ(run.agents().effort[0], 2.1);
}

// Each agent draws its own opening effort, eta and cap; the Smith rule then acts per agent.
TEST(Fleet, PerAgentDraws_EachAgentFollowsItsOwnParameters) {
  FisheryParameters p;  // p q X - c = 75 at the start
  sim::ComponentSpec behaviour = testing::fleet(0.0, 0.0);
  sim::Distribution opening{.kind = sim::Distribution::Kind::uniform, .first = 1.0, .second = 3.0};
  sim::Distribution rate{.kind = sim::Distribution::Kind::uniform, .first = 0.001, .second = 0.002};
  sim::Distribution cap{.kind = sim::Distribution::Kind::discrete, .values = {2.5, 1e9}, .weights = {1.0, 1.0}};
  behaviour.parameters = sim::Parameters({{"initial_effort", opening}, {"adjustment_rate", rate}, {"max_effort", cap}});
  auto spec = testing::fishery_scenario(p, behaviour, 200, 2);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  const std::vector<double> opened = run.agents().effort;
  run.step();
  const std::vector<double>& next = run.agents().effort;
  std::size_t capped = 0;
  for (std::size_t i = 0; i < opened.size(); ++i) {
    EXPECT_GE(opened[i], 1.0);
    EXPECT_LE(opened[i], 3.0);
    // E' = min(cap, E + eta 75 E) with eta in [0.001, 0.002]: a rise of 7.5 to 15 %, or the cap.
    const double rise = next[i] / opened[i] - 1.0;
    if (next[i] == 2.5) {
      ++capped;
    } else {
      EXPECT_GE(rise, 0.075 - 1e-12) << i;
      EXPECT_LE(rise, 0.15 + 1e-12) << i;
    }
  }
  EXPECT_GT(capped, 10U);
  EXPECT_GT(*std::max_element(opened.begin(), opened.end()) - *std::min_element(opened.begin(), opened.end()), 1.0);
}

TEST(Fleet, LossMakingFishery_EffortNeverNegative) {
  FisheryParameters p;
  p.cost_per_effort = 1e4;
  auto spec = testing::fishery_scenario(p, testing::fleet(5.0, 1.0), 5, 10);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  while (!run.done()) {
    run.step();
    for (double effort : run.agents().effort) ASSERT_GE(effort, 0.0);
  }
  EXPECT_EQ(run.agents().effort[0], 0.0);
}

// Noisy observation: the fleet draws its agents' error factors a block at a time
// (Observation::error_factors); the Smith rule must see exactly each agent's own factor, the
// one Observation::error_factor gives it alone, on one thread or two, for shared and per-agent
// parameters alike. 1000 agents: no multiple of the block.
TEST(Fleet, NoisyObservation_EachAgentSeesItsOwnErrorFactor) {
  FisheryParameters p;  // q X0 = 10 at the start
  p.observation_noise = 0.2;
  sim::Distribution rate{.kind = sim::Distribution::Kind::uniform, .first = 0.001, .second = 0.002};
  sim::ComponentSpec per_agent = testing::fleet(0.0, 0.0);
  per_agent.parameters = sim::Parameters({{"initial_effort", 2.0}, {"adjustment_rate", rate}});
  for (const bool shared : {true, false}) {
    const auto spec = testing::fishery_scenario(p, shared ? testing::fleet(2.0, 0.001) : per_agent, 1000, 2);
    sim::Run serial(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, sim::ExecutionPolicy{false});
    sim::Run parallel(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, sim::ExecutionPolicy{true});
    serial.step();
    const std::vector<double> opened = serial.agents().effort;
    serial.step();
    parallel.step();
    parallel.step();
    EXPECT_EQ(serial.agents().effort, parallel.agents().effort);
    // The learn of the first step saw the stock it started with, X0, through step 0's errors.
    const sim::RandomStream random(sim::stream_key(spec.seed, 0, 0));
    sim::Observation seen;
    seen.harvest_per_effort = p.catchability * p.initial_stock;
    seen.noise_sd = p.observation_noise;
    seen.random = &random;
    seen.step = 0;
    double lowest = 1e300, highest = 0.0;
    for (std::size_t i = 0; i < opened.size(); ++i) {
      const double factor = seen.error_factor(serial.agents().id[i]);
      lowest = std::min(lowest, factor);
      highest = std::max(highest, factor);
      // Smith's rule with the agent's seen revenue; a drawn eta lies in [0.001, 0.002].
      const double margin = p.price * (seen.harvest_per_effort * factor) - p.cost_per_effort;
      if (shared) {
        ASSERT_EQ(serial.agents().effort[i], std::clamp(opened[i] + 0.001 * margin * opened[i], 0.0, 1e9)) << i;
      } else {
        ASSERT_NEAR((serial.agents().effort[i] - opened[i]) / (margin * opened[i]), 0.0015, 0.0005 + 1e-12) << i;
      }
    }
    // The errors are real: factors spread around one.
    EXPECT_LT(lowest, 0.8);
    EXPECT_GT(highest, 1.2);
  }
}

}  // namespace
}  // namespace commons::models
