// SPDX-License-Identifier: Apache-2.0
// Results depend on scenario and seed only: the fishery with noisy observation and the fleet
// behaviour gives the same bits on one or two threads and in any run order.

#include <commons/models/register_models.hpp>
#include <commons/sim/executor.hpp>

#include <fishery_spec.hpp>

#include <gtest/gtest.h>

#include <cstring>

namespace commons {
namespace {

sim::ScenarioSpec noisy_fleet(std::int64_t agents, std::int64_t steps, std::int64_t replicates) {
  testing::FisheryParameters p;
  p.observation_noise = 0.2;
  auto spec = testing::fishery_scenario(p, testing::fleet(0.25, 0.0005, 10.0), agents, steps, replicates, 314);
  spec.output.agents = agents <= 1000;
  return spec;
}

sim::MemorySink execute(const sim::ScenarioSpec& spec, int threads, std::vector<std::int64_t> order = {}) {
  sim::MemorySink sink;
  sim::ExecutorOptions options;
  options.threads = threads;
  options.start_order = std::move(order);
  const auto report = sim::execute(spec, models::default_registry(), sink, options);
  EXPECT_EQ(report.completed, spec.replicates);
  return sink;
}

void expect_same_bits(const sim::MemorySink& a, const sim::MemorySink& b) {
  ASSERT_EQ(a.results().size(), b.results().size());
  for (std::size_t run = 0; run < a.results().size(); ++run) {
    const auto& x = a.results()[run];
    const auto& y = b.results()[run];
    ASSERT_EQ(x.series.size(), y.series.size());
    for (std::size_t s = 0; s < x.series.size(); ++s) {
      const auto& u = x.series[s].values;
      const auto& v = y.series[s].values;
      ASSERT_EQ(u.size(), v.size());
      EXPECT_EQ(std::memcmp(u.data(), v.data(), u.size() * sizeof(double)), 0)
          << x.series[s].info.name << ", run " << run;
    }
    for (std::size_t s = 0; s < x.agents.size(); ++s)
      EXPECT_EQ(std::memcmp(x.agents[s].values.data(), y.agents[s].values.data(),
                            x.agents[s].values.size() * sizeof(double)), 0);
    for (std::size_t s = 0; s < x.summary.size(); ++s)
      EXPECT_EQ(std::memcmp(&x.summary[s].value, &y.summary[s].value, sizeof(double)), 0);
  }
}

TEST(EngineDeterminism, FleetWithNoise_OneAndTwoThreadsGiveSameBits) {
  // 30000 agents: several blocks per run, so work inside a run is split across threads.
  const auto spec = noisy_fleet(30000, 40, 3);
  expect_same_bits(execute(spec, 1), execute(spec, 2));
}

TEST(EngineDeterminism, FleetWithNoise_AnyRunOrderGivesSameBits) {
  const auto spec = noisy_fleet(200, 100, 5);
  expect_same_bits(execute(spec, 2), execute(spec, 2, {4, 2, 0, 3, 1}));
}

TEST(EngineDeterminism, SameSeed_SameResultsAcrossProcessesOfThePlan) {
  // Run 1 of a plan equals run 1 computed alone: a run's stream depends on (seed, run) only.
  const auto spec = noisy_fleet(100, 50, 3);
  const auto all = execute(spec, 2);
  auto single = spec;
  single.replicates = 2;
  const auto fewer = execute(single, 1);
  const auto& u = all.results()[1].series[0].values;
  const auto& v = fewer.results()[1].series[0].values;
  EXPECT_EQ(std::memcmp(u.data(), v.data(), u.size() * sizeof(double)), 0);
}

}  // namespace
}  // namespace commons
