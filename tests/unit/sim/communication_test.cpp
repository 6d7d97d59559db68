// SPDX-License-Identifier: Apache-2.0
// The communicate phase and mixed groups, with toy behaviours whose choices are known in
// advance: even agent ids keep their pledge, odd ones break it.
#include <commons/sim/network.hpp>
#include <commons/sim/run.hpp>

#include "toy_world.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace commons::sim {
namespace {

/// Pledges `pledge` (or, if `pledge_own_id`, its own id) and applies `keep` effort on even
/// ids and `keep + 2 * (pledge - keep)` on odd ids, so odd agents break their word.
class Promiser final : public Behaviour {
 public:
  Promiser(double pledge, double keep, bool pledge_own_id) : pledge_(pledge), keep_(keep), own_id_(pledge_own_id) {}
  void decide(const StepContext&, AgentSpan agents) override {
    for (std::size_t i = agents.first; i < agents.last; ++i)
      agents.table->effort[i] = agents.table->id[i] % 2 == 0 ? keep_ : keep_ + 2.0 * (pledge_ - keep_) + 1.0;
  }
  void learn(const StepContext&, AgentSpan) override {}
  void pledge(const StepContext&, AgentSpan agents) override {
    for (std::size_t i = agents.first; i < agents.last; ++i)
      agents.table->pledge[i] = own_id_ ? static_cast<double>(agents.table->id[i]) : pledge_;
  }

 private:
  double pledge_;
  double keep_;
  bool own_id_;
};

/// Applies the effort given as its parameter; reveals where each cohort of a mix starts.
class Constant final : public Behaviour {
 public:
  explicit Constant(double effort) : effort_(effort) {}
  void decide(const StepContext&, AgentSpan agents) override { std::ranges::fill(agents.effort(), effort_); }
  void learn(const StepContext&, AgentSpan) override {}

 private:
  double effort_;
};

Registry talk_registry() {
  Registry r = toy::registry();
  r.add_behaviour("promiser", [](const ComponentSpec& spec, const GroupContext&) {
    return std::make_unique<Promiser>(spec.parameters.number("pledge"), spec.parameters.number("keep"),
                                      spec.parameters.flag_or("own_id", false));
  });
  r.add_behaviour("constant", [](const ComponentSpec& spec, const GroupContext&) {
    return std::make_unique<Constant>(spec.parameters.number("effort"));
  });
  return r;
}

ScenarioSpec talk_scenario(std::int64_t agents, CommunicationSpec::Mode mode, bool own_id = false) {
  ScenarioSpec spec = toy::scenario(agents, 4, 1);
  spec.groups.resize(1);
  spec.groups[0].count = agents;
  spec.groups[0].behaviours = {
      {1.0, {"promiser", Parameters({{"pledge", 1.0}, {"keep", 0.5}, {"own_id", own_id}}), ""}}};
  spec.communication.mode = mode;
  spec.communication.start_step = 1;
  spec.communication.trust_rate = 0.25;
  spec.communication.initial_trust = 0.5;
  return spec;
}

const std::vector<double>& series(const RunResult& result, const std::string& name) {
  for (const SeriesData& s : result.series)
    if (s.info.name == name) return s.values;
  throw std::out_of_range(name);
}

TEST(Communication, BeforeStartStep_NoPledgesAndTrustUnchanged) {
  const Registry registry = talk_registry();
  const ScenarioSpec spec = talk_scenario(10, CommunicationSpec::Mode::repeated);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  run.step();
  EXPECT_TRUE(std::ranges::all_of(run.agents().pledge, [](double p) { return std::isnan(p); }));
  EXPECT_TRUE(std::ranges::all_of(run.agents().trust, [](double t) { return t == 0.5; }));
}

TEST(Communication, EveryoneHearsEveryone_TrustMovesTowardOthersKeptShare) {
  const Registry registry = talk_registry();
  const ScenarioSpec spec = talk_scenario(10, CommunicationSpec::Mode::repeated);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  run.step();
  run.step();  // step 1: the first talk
  const AgentTable& agents = run.agents();
  // Five of ten keep; an even (keeping) agent hears 4 of 9 others keep, an odd one 5 of 9.
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const double kept = agents.id[i] % 2 == 0 ? 4.0 / 9.0 : 5.0 / 9.0;
    EXPECT_DOUBLE_EQ(agents.trust[i], 0.75 * 0.5 + 0.25 * kept) << i;
    EXPECT_EQ(agents.pledge[i], 1.0);
    EXPECT_DOUBLE_EQ(agents.heard_pledge[i], 1.0);
  }
}

TEST(Communication, HeardPledge_MeanOfTheOthers) {
  const Registry registry = talk_registry();
  const ScenarioSpec spec = talk_scenario(6, CommunicationSpec::Mode::repeated, true);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  run.step();
  run.step();
  // Pledges are ids 0..5, summing to 15; each agent hears the other five.
  for (std::size_t i = 0; i < 6; ++i)
    EXPECT_DOUBLE_EQ(run.agents().heard_pledge[i], (15.0 - static_cast<double>(i)) / 5.0) << i;
}

TEST(Communication, RingNetwork_ListenersHearOnlyNeighbours) {
  const Registry registry = talk_registry();
  ScenarioSpec spec = talk_scenario(8, CommunicationSpec::Mode::repeated);
  spec.network.generator = {"ring_lattice", Parameters({{"degree", std::int64_t{2}}}), "/network"};
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  run.step();
  run.step();
  // On a ring the two neighbours of an even agent are odd (breakers), and vice versa.
  for (std::size_t i = 0; i < 8; ++i) {
    const double kept = i % 2 == 0 ? 0.0 : 1.0;
    EXPECT_DOUBLE_EQ(run.agents().trust[i], 0.75 * 0.5 + 0.25 * kept) << i;
  }
}

TEST(Communication, OneShot_PledgesStandAndTrustKeepsLearning) {
  const Registry registry = talk_registry();
  const ScenarioSpec spec = talk_scenario(10, CommunicationSpec::Mode::one_shot);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  for (int s = 0; s < 4; ++s) run.step();
  // Talk in step 1 only; the pledges stand through steps 2 and 3, so trust updates three
  // times toward the share each agent hears kept (4/9 for keepers, 5/9 for breakers).
  const double decay = 0.75 * 0.75 * 0.75;
  for (std::size_t i = 0; i < 10; ++i) {
    const double kept = i % 2 == 0 ? 4.0 / 9.0 : 5.0 / 9.0;
    EXPECT_NEAR(run.agents().trust[i], decay * 0.5 + (1.0 - decay) * kept, 1e-15) << i;
    EXPECT_EQ(run.agents().pledge[i], 1.0);
  }
  const RunResult result = run.take_result();
  const std::vector<double>& kept = series(result, "pledges_kept");
  EXPECT_TRUE(std::isnan(kept[0]));
  EXPECT_EQ(kept[1], 0.5);
  EXPECT_EQ(kept[3], 0.5) << "the step-1 pledges still stand and are still broken by half";
}

TEST(Communication, Off_NoTalkSeries) {
  const Registry registry = talk_registry();
  const ScenarioSpec spec = talk_scenario(10, CommunicationSpec::Mode::none);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  for (int s = 0; s < 4; ++s) run.step();
  const RunResult result = run.take_result();
  EXPECT_EQ(std::ranges::count_if(result.series, [](const SeriesData& s) { return s.info.name == "trust"; }), 0);
}

TEST(Communication, ManyAgents_SameTrustOnOneOrManyThreads) {
  const Registry registry = talk_registry();
  ScenarioSpec spec = talk_scenario(3 * 4096 + 17, CommunicationSpec::Mode::repeated, true);
  const auto trust_after = [&](bool parallel) {
    sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}}, ExecutionPolicy{parallel});
    for (int s = 0; s < 4; ++s) run.step();
    return std::pair(run.agents().trust, run.agents().heard_pledge);
  };
  EXPECT_EQ(trust_after(false), trust_after(true));
}

TEST(Communication, DefaultPledge_EqualShareOfTheSocialOptimum) {
  Registry registry = talk_registry();
  ScenarioSpec spec = talk_scenario(8, CommunicationSpec::Mode::repeated);
  spec.groups[0].behaviours = {{1.0, {"constant", Parameters({{"effort", 0.1}}), ""}}};
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  run.step();
  run.step();
  // The toy pool's optimum total effort is its inflow, 0.4 per agent.
  EXPECT_TRUE(std::ranges::all_of(run.agents().pledge, [](double p) { return p == 0.4 * 8 / 8; }));
}

TEST(MixedGroup, SharesRoundedByLargestRemainderInListedOrder) {
  const Registry registry = talk_registry();
  ScenarioSpec spec = toy::scenario(7, 1, 1);
  spec.groups.resize(1);
  spec.groups[0].count = 7;
  // 7 x (0.5, 0.3, 0.2) = 3.5, 2.1, 1.4: floors 3, 2, 1 and the one left goes to the largest
  // remainder, the first cohort.
  spec.groups[0].behaviours = {{0.5, {"constant", Parameters({{"effort", 1.0}}), ""}},
                               {0.3, {"constant", Parameters({{"effort", 2.0}}), ""}},
                               {0.2, {"constant", Parameters({{"effort", 3.0}}), ""}}};
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  run.step();
  EXPECT_EQ(run.agents().effort, (std::vector<double>{1, 1, 1, 1, 2, 2, 3}));
  EXPECT_TRUE(std::ranges::all_of(run.agents().group, [](std::uint32_t g) { return g == 0; }));
}

TEST(MixedGroup, TinyShare_MayGetNoAgent) {
  const Registry registry = talk_registry();
  ScenarioSpec spec = toy::scenario(3, 1, 1);
  spec.groups.resize(1);
  spec.groups[0].count = 3;
  spec.groups[0].behaviours = {{0.9, {"constant", Parameters({{"effort", 1.0}}), ""}},
                               {0.1, {"constant", Parameters({{"effort", 2.0}}), ""}}};
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  run.step();
  // 2.7 and 0.3: floors 2 and 0, the remaining agent to the larger remainder 0.7.
  EXPECT_EQ(run.agents().effort, (std::vector<double>{1, 1, 1}));
}

TEST(RunNetwork, BuiltFromSpecAndRecorded) {
  const Registry registry = talk_registry();
  ScenarioSpec spec = toy::scenario(20, 2, 1);
  spec.network.generator = {"ring_lattice", Parameters({{"degree", std::int64_t{4}}}), "/network"};
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  ASSERT_NE(run.network(), nullptr);
  EXPECT_EQ(run.network()->edge_count(), 40U);
  run.step();
  run.step();
  const RunResult result = run.take_result();
  std::vector<std::uint64_t> expected(5, 0);
  expected[4] = 20;
  EXPECT_EQ(result.degree_counts, expected);
  const auto summary = [&](const std::string& name) {
    for (const ScalarData& s : result.summary)
      if (s.info.name == name) return s.value;
    return std::nan("");
  };
  EXPECT_EQ(summary("network_mean_degree"), 4.0);
  // Ring lattice with k = 4: C = 3 (k - 2) / (4 (k - 1)) = 0.5 for every node.
  EXPECT_DOUBLE_EQ(summary("network_average_clustering"), 0.5);
}

}  // namespace
}  // namespace commons::sim
