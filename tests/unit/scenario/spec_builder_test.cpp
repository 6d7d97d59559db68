// SPDX-License-Identifier: Apache-2.0
// The constructs for behaviour models become the expected spec values: mixed groups,
// per-agent distributions, social preferences, CSV tables, networks and communication.
#include "test_support.hpp"

#include <commons/scenario/loader.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

namespace commons::scenario {
namespace {

namespace fs = std::filesystem;
using Kind = sim::Distribution::Kind;

const fs::path good_dir = fs::path(COMMONS_SCENARIO_TEST_DIR) / "good";

template <typename T>
const T& get(const sim::Parameters& parameters, const std::string& name) {
  static const T missing{};
  const auto it = parameters.values().find(name);
  if (it == parameters.values().end()) {
    ADD_FAILURE() << "no parameter " << name;
    return missing;
  }
  const T* value = std::get_if<T>(&it->second);
  if (value == nullptr) {
    ADD_FAILURE() << "parameter " << name << " has another type";
    return missing;
  }
  return *value;
}

sim::Distribution two(Kind kind, double first, double second) {
  sim::Distribution result;
  result.kind = kind;
  result.first = first;
  result.second = second;
  return result;
}

std::string file_text(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

// A cpr_quadratic scenario of 8 agents with `rest` appended (group behaviour left open).
std::string cpr_scenario(std::string_view behaviour, std::string_view rest = "") {
  return std::string(R"(name: cpr
resource: {model: cpr_quadratic, production_linear: 23, production_quadratic: 0.25, endowment: 25}
agents:
  - group: lab
    count: 8
    behaviour: )") + std::string(behaviour) + "\nsteps: 10\n" + std::string(rest);
}

class BehaviourConstructs : public testing::Test {
 protected:
  static void SetUpTestSuite() { spec_ = new sim::ScenarioSpec(load_scenario_file(good_dir / "behaviours.yaml")); }
  static void TearDownTestSuite() {
    delete spec_;
    spec_ = nullptr;
  }
  static const sim::ScenarioSpec& spec() { return *spec_; }

 private:
  static inline sim::ScenarioSpec* spec_ = nullptr;
};

TEST_F(BehaviourConstructs, CprResource_KeepsItsParameters) {
  EXPECT_EQ(spec().resource.model, "cpr_quadratic");
  EXPECT_EQ(get<std::int64_t>(spec().resource.parameters, "production_linear"), 23);
  EXPECT_DOUBLE_EQ(get<double>(spec().resource.parameters, "production_quadratic"), 0.25);
  EXPECT_EQ(get<std::int64_t>(spec().resource.parameters, "endowment"), 25);
}

TEST_F(BehaviourConstructs, ScriptedDecisions_BecomeTable) {
  const auto& group = spec().groups.at(0);
  ASSERT_EQ(group.behaviours.size(), 1U);
  EXPECT_DOUBLE_EQ(group.behaviours[0].share, 1.0);
  const sim::Parameters& parameters = group.behaviours[0].behaviour.parameters;
  const sim::Table& table = parameters.table("decisions");
  EXPECT_EQ(table.source, "data/decisions.csv") << "the file as the scenario names it";
  EXPECT_EQ(table.columns, (std::vector<std::string>{"step", "agent", "effort", "pledge"}));
  EXPECT_EQ(table.lines, (std::vector<std::size_t>{3, 4, 5, 7})) << "comment and blank lines are counted";
  ASSERT_EQ(table.rows.size(), 4U);
  EXPECT_EQ(table.rows[0], (std::vector<double>{0, 0, 10, 8}));
  EXPECT_EQ(table.rows[1][2], 12.0);
  EXPECT_TRUE(std::isnan(table.rows[1][3])) << "an empty pledge cell is no pledge";
  EXPECT_EQ(table.rows[2], (std::vector<double>{1, 0, 9.5, 8}));
  EXPECT_EQ(table.rows[3], (std::vector<double>{1, 1, 11, 10}));
}

TEST_F(BehaviourConstructs, Mix_GivesSharesAndPointers) {
  const auto& behaviours = spec().groups.at(1).behaviours;
  ASSERT_EQ(behaviours.size(), 3U);
  EXPECT_DOUBLE_EQ(behaviours[0].share, 0.5);
  EXPECT_DOUBLE_EQ(behaviours[1].share, 0.25);
  EXPECT_DOUBLE_EQ(behaviours[2].share, 0.25);
  EXPECT_EQ(behaviours[0].behaviour.model, "best_response");
  EXPECT_EQ(behaviours[1].behaviour.model, "ewa");
  EXPECT_EQ(behaviours[2].behaviour.model, "imitation");
  EXPECT_EQ(behaviours[0].behaviour.pointer, "/agents/1/mix/0/behaviour");
  EXPECT_EQ(behaviours[2].behaviour.pointer, "/agents/1/mix/2/behaviour");
}

TEST_F(BehaviourConstructs, Distributions_BecomeSpecDistributions) {
  const sim::Parameters& best = spec().groups.at(1).behaviours.at(0).behaviour.parameters;
  EXPECT_EQ(get<sim::Distribution>(best, "belief_weight"), two(Kind::uniform, 0.2, 0.8));
  EXPECT_EQ(get<sim::Distribution>(best, "inertia"), two(Kind::beta, 2, 5));
  const sim::Parameters& ewa = spec().groups.at(1).behaviours.at(1).behaviour.parameters;
  sim::Distribution discrete;
  discrete.kind = Kind::discrete;
  discrete.values = {0, 1};
  discrete.weights = {3, 1};
  EXPECT_EQ(get<sim::Distribution>(ewa, "delta"), discrete);
  EXPECT_EQ(get<sim::Distribution>(ewa, "lambda"), two(Kind::lognormal, 0, 0.5));
  EXPECT_EQ(get<std::vector<double>>(ewa, "choices"), (std::vector<double>{0, 5, 10}));
  EXPECT_DOUBLE_EQ(ewa.number("phi"), 0.9);
  EXPECT_EQ(ewa.distribution("phi"), nullptr) << "a plain number stays a number";
}

TEST_F(BehaviourConstructs, Defaults_AreFilledPerBehaviour) {
  const sim::Parameters& ewa = spec().groups.at(1).behaviours.at(1).behaviour.parameters;
  EXPECT_EQ(get<std::int64_t>(ewa, "initial_attraction"), 0);
  EXPECT_EQ(get<std::int64_t>(ewa, "initial_experience"), 1);
  EXPECT_FALSE(ewa.contains("max_effort")) << "no default cap";
  const sim::Parameters& imitation = spec().groups.at(1).behaviours.at(2).behaviour.parameters;
  EXPECT_EQ(get<std::int64_t>(imitation, "mutation"), 0);
}

TEST_F(BehaviourConstructs, SocialPreference_IsNestedBlock) {
  const sim::Parameters& best = spec().groups.at(1).behaviours.at(0).behaviour.parameters;
  EXPECT_FALSE(best.contains("social_preference")) << "a block, not a value";
  const sim::Parameters* fairness = best.block("social_preference");
  ASSERT_NE(fairness, nullptr);
  EXPECT_EQ(fairness->text("model"), "fehr_schmidt");
  EXPECT_EQ(get<sim::Distribution>(*fairness, "envy"), two(Kind::normal, 0.8, 0.2));
  EXPECT_DOUBLE_EQ(fairness->number("guilt"), 0.3);
  const sim::Parameters* svo = spec().groups.at(1).behaviours.at(2).behaviour.parameters.block("social_preference");
  ASSERT_NE(svo, nullptr);
  EXPECT_EQ(svo->text("model"), "svo");
  EXPECT_DOUBLE_EQ(svo->number("angle"), 45.0);
}

TEST_F(BehaviourConstructs, EdgeList_CarriesFileText) {
  ASSERT_TRUE(spec().network.present());
  const sim::ComponentSpec& generator = spec().network.generator;
  EXPECT_EQ(generator.model, "edge_list");
  EXPECT_EQ(generator.pointer, "/network");
  EXPECT_EQ(generator.parameters.text("file"), "data/edges.csv");
  EXPECT_EQ(generator.parameters.text("text"), file_text(good_dir / "data/edges.csv"));
}

TEST_F(BehaviourConstructs, Communication_FillsSpecWithDefaults) {
  const sim::CommunicationSpec& talk = spec().communication;
  EXPECT_EQ(talk.mode, sim::CommunicationSpec::Mode::repeated);
  EXPECT_EQ(talk.start_step, 2);
  EXPECT_DOUBLE_EQ(talk.trust_rate, 0.3);
  EXPECT_DOUBLE_EQ(talk.initial_trust, 0.5);
  EXPECT_DOUBLE_EQ(talk.tolerance, 0.0);
}

TEST_F(BehaviourConstructs, DefaultSeries_FollowResourceAndCommunication) {
  EXPECT_EQ(spec().output.series,
            (std::vector<std::string>{"group_investment", "group_output", "net_yield", "yield_efficiency", "harvest",
                                      "effort", "rent", "gini", "active_agents", "trust", "pledges_kept"}));
}

TEST(LoadBehaviours, OverriddenCsvPaths_AreRelativeToCurrentDirectory) {
  const sim::ScenarioSpec first = load_scenario_file(good_dir / "behaviours.yaml");
  // The provenance record is a loadable scenario once its CSV paths point at the files again.
  const auto previous = fs::current_path();
  fs::current_path(good_dir);
  std::string error;
  sim::ScenarioSpec second;
  try {
    second = load_scenario_text(first.resolved_text, "resolved.json");
  } catch (const ScenarioError& problem) {
    error = problem.what();
  }
  fs::current_path(fs::temp_directory_path());
  const std::string relative_to_good = fs::relative(good_dir / "data/decisions.csv").string();
  try {
    // A --set path is typed at a shell: relative to the current directory, not the scenario's.
    static_cast<void>(load_scenario_file(good_dir / "behaviours.yaml",
                                         std::vector<Override>{parse_override("agents.0.behaviour.decisions=" +
                                                                              relative_to_good)}));
  } catch (const ScenarioError& problem) {
    error += problem.what();
  }
  fs::current_path(previous);
  EXPECT_EQ(error, "");
  EXPECT_EQ(second.groups.at(0).behaviours.at(0).behaviour.parameters.table("decisions").rows.size(), 4U);
  EXPECT_EQ(second.network.generator.parameters.text("text"), first.network.generator.parameters.text("text"));
}

TEST(LoadBehaviours, DiscreteWithoutWeights_HasEqualWeights) {
  const auto spec = load_scenario_text(cpr_scenario("{model: cooperative, share_of_optimum: {discrete: {values: [0.5, 1, 2]}}}"), "t.yaml");
  const sim::Distribution* share = spec.groups.at(0).behaviours.at(0).behaviour.parameters.distribution("share_of_optimum");
  ASSERT_NE(share, nullptr);
  EXPECT_EQ(share->kind, Kind::discrete);
  EXPECT_EQ(share->values, (std::vector<double>{0.5, 1, 2}));
  EXPECT_EQ(share->weights, (std::vector<double>{1, 1, 1}));
}

TEST(LoadBehaviours, HumanDefaults_AreFilled) {
  const auto spec = load_scenario_text(cpr_scenario("{model: human}"), "t.yaml");
  const sim::Parameters& human = spec.groups.at(0).behaviours.at(0).behaviour.parameters;
  EXPECT_EQ(human.text("default"), "repeat");
  EXPECT_DOUBLE_EQ(human.number("default_effort"), 0.0);
  EXPECT_DOUBLE_EQ(human.number("deadline_seconds"), 60.0);
}

TEST(LoadBehaviours, MixSharesWithinRounding_SumToOne) {
  // 0.1 + 0.2 + 0.7 is 1 only up to rounding in binary.
  std::string text = cpr_scenario("{model: cooperative}");
  const std::string uniform = "behaviour: {model: cooperative}";
  text.replace(text.find(uniform), uniform.size(),
               "mix: [{share: 0.1, behaviour: {model: cooperative}}, {share: 0.2, behaviour: {model: conditional}}, "
               "{share: 0.7, behaviour: {model: human}}]");
  const auto spec = load_scenario_text(text, "t.yaml");
  ASSERT_EQ(spec.groups.at(0).behaviours.size(), 3U);
  EXPECT_DOUBLE_EQ(spec.groups.at(0).behaviours[2].share, 0.7);
  EXPECT_EQ(spec.groups.at(0).behaviours[2].behaviour.model, "human");
}

TEST(LoadBehaviours, NetworkGenerators_KeepParametersAndDefaults) {
  const auto ring = load_scenario_text(cpr_scenario("{model: cooperative}", "network: {model: ring_lattice, degree: 4}\n"), "t.yaml");
  EXPECT_EQ(ring.network.generator.model, "ring_lattice");
  EXPECT_EQ(ring.network.generator.parameters.integer("degree"), 4);
  const auto grid = load_scenario_text(
      cpr_scenario("{model: cooperative}", "network: {model: spatial_neighbourhood, width: 4}\n"), "t.yaml");
  EXPECT_EQ(grid.network.generator.parameters.integer("width"), 4);
  EXPECT_EQ(grid.network.generator.parameters.integer("radius"), 1);
  EXPECT_FALSE(grid.network.generator.parameters.flag_or("torus", true));
  const auto small_world = load_scenario_text(
      cpr_scenario("{model: cooperative}", "network: {model: watts_strogatz, degree: 2, rewire_probability: 0.1}\n"),
      "t.yaml");
  EXPECT_DOUBLE_EQ(small_world.network.generator.parameters.number("rewire_probability"), 0.1);
  const auto none = load_scenario_text(cpr_scenario("{model: cooperative}"), "t.yaml");
  EXPECT_FALSE(none.network.present());
  EXPECT_FALSE(none.communication.enabled());
}

TEST(LoadBehaviours, DefaultSeriesWithoutCommunication_LeaveOutTalk) {
  const auto spec = load_scenario_text(cpr_scenario("{model: cooperative}", "communication: {mode: none}\n"), "t.yaml");
  EXPECT_EQ(spec.output.series.size(), 9U);
  EXPECT_EQ(spec.output.series.front(), "group_investment");
  EXPECT_EQ(spec.output.series.back(), "active_agents");
}

TEST(LoadBehaviours, OneShotCommunication_IsBuilt) {
  const auto spec = load_scenario_text(
      cpr_scenario("{model: conditional}",
                   "communication: {mode: one_shot, start_step: 3, trust_rate: 1, initial_trust: 0, tolerance: 0.1}\n"),
      "t.yaml");
  EXPECT_EQ(spec.communication.mode, sim::CommunicationSpec::Mode::one_shot);
  EXPECT_EQ(spec.communication.start_step, 3);
  EXPECT_DOUBLE_EQ(spec.communication.trust_rate, 1.0);
  EXPECT_DOUBLE_EQ(spec.communication.initial_trust, 0.0);
  EXPECT_DOUBLE_EQ(spec.communication.tolerance, 0.1);
}

TEST(LoadBehaviours, ExampleLabSession_IsEightAgentsThreeSteps) {
  // scenarios/data/cpr_lab_session.csv is illustrative (not real data) and must stay loadable.
  const std::string csv = (fs::path(COMMONS_SOURCE_DIR) / "scenarios/data/cpr_lab_session.csv").string();
  const auto spec = load_scenario_text(cpr_scenario("{model: scripted, decisions: \"" + csv + "\"}"), "t.yaml");
  const sim::Table& table = spec.groups.at(0).behaviours.at(0).behaviour.parameters.table("decisions");
  EXPECT_EQ(table.columns, (std::vector<std::string>{"step", "agent", "effort"}));
  ASSERT_EQ(table.rows.size(), 24U);
  EXPECT_EQ(table.rows.back()[0], 2.0);
  EXPECT_EQ(table.rows.back()[1], 7.0);
}

}  // namespace
}  // namespace commons::scenario
