// SPDX-License-Identifier: Apache-2.0
// Results depend on scenario and seed only: the fishery with noisy observation and the fleet
// behaviour gives the same bits on one or two threads and in any run order.

#include <commons/models/register_models.hpp>
#include <commons/sim/executor.hpp>

#include <fishery_spec.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <map>
#include <string>

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
  // Run 1 of a plan equals run 1 computed alone: a run's stream depends on (seed, replicate) only.
  const auto spec = noisy_fleet(100, 50, 3);
  const auto all = execute(spec, 2);
  auto single = spec;
  single.replicates = 2;
  const auto fewer = execute(single, 1);
  const auto& u = all.results()[1].series[0].values;
  const auto& v = fewer.results()[1].series[0].values;
  EXPECT_EQ(std::memcmp(u.data(), v.data(), u.size() * sizeof(double)), 0);
}

// Every behaviour, mixed in one heterogeneous group of the CPR game, with a social network and
// repeated communication: 9000 agents span three blocks, so two threads split each phase.
sim::ScenarioSpec every_behaviour(const char* network) {
  sim::ScenarioSpec spec;
  spec.name = "every_behaviour";
  const double agents = 9000;
  spec.resource = {"cpr_quadratic",
                   sim::Parameters({{"production_linear", 23.0},
                                    {"production_quadratic", 0.25 * 8.0 / agents},
                                    {"endowment", 10.0}}),
                   "/resource"};
  spec.economics = {1.0, 5.0, 0.0};
  const auto component = [](const char* model, std::map<std::string, sim::ParameterValue, std::less<>> values) {
    return sim::ComponentSpec{model, sim::Parameters(std::move(values)), "/agents/0/mix"};
  };
  const sim::Distribution spread{sim::Distribution::Kind::uniform, 0.1, 0.9, {}, {}};
  sim::ComponentSpec conditional = component("conditional", {{"rate", spread}, {"bias", -0.5}});
  sim::ComponentSpec best = component("best_response", {{"belief_weight", 0.3}, {"inertia", 0.2}});
  sim::Parameters envy({{"model", std::string("fehr_schmidt")}, {"envy", 0.5}, {"guilt", 0.25}});
  best.parameters.set_block("social_preference", envy);
  spec.groups.push_back({"players",
                         9000,
                         {{0.15, best},
                          {0.1, component("cooperative", {})},
                          {0.15, conditional},
                          {0.15, component("ewa", {{"phi", 0.9}, {"delta", 0.5}, {"rho", 0.9}, {"lambda", 0.3}})},
                          {0.15, component("imitation", {{"selection_strength", 0.5}, {"mutation", 0.02}})},
                          {0.15, component("aspiration", {{"aspiration_rate", 0.2}, {"exploration", 1.0}})},
                          {0.1, component("fixed", {{"effort", 6.0}})},
                          {0.05, component("human", {{"default_effort", 3.0}})}},
                         5.0});
  if (network != nullptr) {
    if (std::string(network) == "barabasi_albert")
      spec.network.generator = {network, sim::Parameters({{"links_per_node", std::int64_t{2}}}), "/network"};
    else
      spec.network.generator = {network, sim::Parameters({{"degree", std::int64_t{6}}, {"rewire_probability", 0.1}}),
                                "/network"};
  }
  spec.communication.mode = sim::CommunicationSpec::Mode::repeated;
  spec.communication.start_step = 5;
  spec.steps = 25;
  spec.replicates = 2;
  spec.seed = 2718;
  spec.output.agents = true;
  spec.resolved_text = "{}";
  spec.source = "test";
  return spec;
}

TEST(EngineDeterminism, EveryBehaviourWellMixed_OneAndTwoThreadsGiveSameBits) {
  const auto spec = every_behaviour(nullptr);
  expect_same_bits(execute(spec, 1), execute(spec, 2));
}

TEST(EngineDeterminism, EveryBehaviourOnScaleFreeNetwork_OneAndTwoThreadsGiveSameBits) {
  const auto spec = every_behaviour("barabasi_albert");
  expect_same_bits(execute(spec, 1), execute(spec, 2));
}

TEST(EngineDeterminism, EveryBehaviourOnSmallWorld_OneAndTwoThreadsGiveSameBits) {
  const auto spec = every_behaviour("watts_strogatz");
  const auto one = execute(spec, 1);
  expect_same_bits(one, execute(spec, 2));
  EXPECT_EQ(one.results()[0].degree_counts, execute(spec, 2).results()[0].degree_counts);
}

TEST(EngineDeterminism, RunTaskOneByOne_GivesTheBitsOfExecute) {
  // sim::run_task is how the ranks of an MPI job run the runs they are handed.
  const auto spec = every_behaviour("watts_strogatz");
  const sim::Registry& registry = models::default_registry();
  sim::MemorySink one_by_one;
  const sim::PlanInfo plan = sim::plan_info(spec, registry);
  one_by_one.begin(plan);
  for (auto task = plan.tasks.rbegin(); task != plan.tasks.rend(); ++task)
    one_by_one.consume(sim::run_task(spec, registry, *task));
  const auto executed = execute(spec, 2);
  expect_same_bits(one_by_one, executed);
  EXPECT_EQ(one_by_one.results()[1].degree_counts, executed.results()[1].degree_counts);
}

TEST(EngineDeterminism, RunTaskAskedToStop_ThrowsInterrupted) {
  const std::atomic<bool> stop{true};
  const auto spec = noisy_fleet(100, 50, 1);
  const sim::Registry& registry = models::default_registry();
  EXPECT_THROW((void)sim::run_task(spec, registry, sim::plan_info(spec, registry).tasks[0], sim::RunControl(&stop, nullptr)),
               sim::Interrupted);
}

}  // namespace
}  // namespace commons
