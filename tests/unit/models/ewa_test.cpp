// SPDX-License-Identifier: Apache-2.0
// Experience-weighted attraction (Camerer & Ho 1999): hand-worked attractions in its
// reinforcement and belief-learning corners, the logit choice rule, and determinism.

#include <commons/models/behaviour/ewa.hpp>
#include <commons/models/register_models.hpp>
#include <commons/sim/run.hpp>

#include <behaviour_bench.hpp>
#include <cpr_spec.hpp>
#include <plain_resource.hpp>

#include <gtest/gtest.h>

#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace commons::models {
namespace {

using testing::BehaviourBench;
using testing::CprParameters;

// Laboratory payoff with a = 23, b = 0.25, w = 5, p = 1 (cpr_quadratic):
// pi(x, Y) = x (23 - 0.25 (x + Y)) - 5 x = x (18 - 0.25 (x + Y)).
double lab_payoff(double x, double others) { return x * (18.0 - 0.25 * (x + others)); }

sim::Parameters ewa_parameters(double phi, double delta, double rho, double lambda, double experience) {
  return sim::Parameters({{"phi", phi},
                          {"delta", delta},
                          {"rho", rho},
                          {"lambda", lambda},
                          {"initial_experience", experience},
                          {"choices", std::vector<double>{0.0, 4.0, 8.0}}});
}

// The history every hand-worked test replays: three players, agent 0 first.
//   step 1: efforts (4, 8, 4), agent 0 faces Y = 12 and chose 4
//   step 2: efforts (8, 4, 4), agent 0 faces Y = 8  and chose 8
//   step 3: efforts (0, 8, 8), agent 0 faces Y = 16 and chose 0
// Payoffs of the three choices (0, 4, 8) for agent 0, pi(x, Y) = x (18 - 0.25 (x + Y)):
//   u(1) = (0, 4 (18 - 4) = 56, 8 (18 - 5) = 104)
//   u(2) = (0, 4 (18 - 3) = 60, 8 (18 - 4) = 112)
//   u(3) = (0, 4 (18 - 5) = 52, 8 (18 - 6) = 96)
const std::vector<std::vector<double>> history = {{4.0, 8.0, 4.0}, {8.0, 4.0, 4.0}, {0.0, 8.0, 8.0}};

TEST(Ewa, ReinforcementCorner_MatchesHandWorkedAttractions) {
  // delta = 0, rho = 0, N(0) = 1: N stays 1 and A_j(t) = phi A_j(t-1) + [j chosen] u_j(t).
  BehaviourBench<Ewa> bench(CprParameters{}, 3, ewa_parameters(0.5, 0.0, 0.0, 1.0, 1.0));
  bench.play(history[0]);
  // A(1) = 0.5 (0, 0, 0) + (0, 56, 0) = (0, 56, 0)
  auto a = bench.behaviour().attractions(0);
  EXPECT_DOUBLE_EQ(a[0], 0.0);
  EXPECT_DOUBLE_EQ(a[1], 56.0);
  EXPECT_DOUBLE_EQ(a[2], 0.0);
  EXPECT_DOUBLE_EQ(bench.behaviour().experience(0), 1.0);
  bench.play(history[1]);
  // A(2) = 0.5 (0, 56, 0) + (0, 0, 112) = (0, 28, 112)
  a = bench.behaviour().attractions(0);
  EXPECT_DOUBLE_EQ(a[0], 0.0);
  EXPECT_DOUBLE_EQ(a[1], 28.0);
  EXPECT_DOUBLE_EQ(a[2], 112.0);
  bench.play(history[2]);
  // A(3) = 0.5 (0, 28, 112) + (0 [chosen, pays 0], 0, 0) = (0, 14, 56)
  a = bench.behaviour().attractions(0);
  EXPECT_DOUBLE_EQ(a[0], 0.0);
  EXPECT_DOUBLE_EQ(a[1], 14.0);
  EXPECT_DOUBLE_EQ(a[2], 56.0);
  EXPECT_DOUBLE_EQ(bench.behaviour().experience(0), 1.0);
  // Agent 1 played (8, 4, 8) against Y = (8, 12, 8):
  //   A(1) = (0, 0, 8 (18 - 4) = 112); A(2) = (0, 4 (18 - 4) = 56, 56);
  //   A(3) = (0, 28, 28 + 8 (18 - 4) = 140)
  a = bench.behaviour().attractions(1);
  EXPECT_DOUBLE_EQ(a[0], 0.0);
  EXPECT_DOUBLE_EQ(a[1], 28.0);
  EXPECT_DOUBLE_EQ(a[2], 140.0);
}

TEST(Ewa, BeliefCorner_EqualsWeightedFictitiousPlay) {
  // delta = 1, rho = phi = 0.5, N(0) = 0 (no prior): N(t) = 0.5 N(t-1) + 1 = 1, 1.5, 1.75 and
  // A_j(t) is the expected payoff of j against the others' totals seen so far, weighted
  // phi^(t-s) (Fudenberg & Levine 1998, weighted fictitious play).
  BehaviourBench<Ewa> bench(CprParameters{}, 3, ewa_parameters(0.5, 1.0, 0.5, 1.0, 0.0));
  const std::vector<double> seen = {12.0, 8.0, 16.0};  // agent 0's Y in steps 1..3
  const double choices[] = {0.0, 4.0, 8.0};
  // Hand-worked: A(1) = u(1) = (0, 56, 104); A(2) = (0.5 u(1) + u(2)) / 1.5 = (0, 88/1.5, 164/1.5);
  // A(3) = (0.25 u(1) + 0.5 u(2) + u(3)) / 1.75 = (0, 96/1.75, 178/1.75).
  const double hand[3][3] = {{0.0, 56.0, 104.0}, {0.0, 88.0 / 1.5, 164.0 / 1.5}, {0.0, 96.0 / 1.75, 178.0 / 1.75}};
  const double experience[3] = {1.0, 1.5, 1.75};
  for (std::size_t t = 0; t < 3; ++t) {
    bench.play(history[t]);
    EXPECT_DOUBLE_EQ(bench.behaviour().experience(0), experience[t]);
    const auto a = bench.behaviour().attractions(0);
    for (std::size_t j = 0; j < 3; ++j) {
      // Belief: the discounted empirical distribution of Y, weight 0.5^(t - s) on step s.
      double expected = 0.0, weight = 0.0;
      for (std::size_t s = 0; s <= t; ++s) {
        const double w = std::pow(0.5, static_cast<double>(t - s));
        expected += w * lab_payoff(choices[j], seen[s]);
        weight += w;
      }
      EXPECT_DOUBLE_EQ(a[j], expected / weight) << "step " << t + 1 << " choice " << j;
      EXPECT_DOUBLE_EQ(a[j], hand[t][j]) << "step " << t + 1 << " choice " << j;
    }
  }
}

TEST(Ewa, ChoiceProbabilities_AreLogitOfAttractions) {
  BehaviourBench<Ewa> bench(CprParameters{}, 3, ewa_parameters(0.5, 0.0, 0.0, 0.1, 1.0));
  for (const auto& efforts : history) bench.play(efforts);
  // Attractions (0, 14, 56) from the reinforcement test; P_j = exp(0.1 A_j) / sum_k exp(0.1 A_k).
  const double z = 1.0 + std::exp(1.4) + std::exp(5.6);
  const std::vector<double> p = bench.behaviour().probabilities(0);
  ASSERT_EQ(p.size(), 3U);
  EXPECT_NEAR(p[0], 1.0 / z, 1e-15);
  EXPECT_NEAR(p[1], std::exp(1.4) / z, 1e-15);
  EXPECT_NEAR(p[2], std::exp(5.6) / z, 1e-15);
}

TEST(Ewa, HugeAttractions_ProbabilitiesStayFinite) {
  // lambda A of order 1e5 would overflow exp() without subtracting the largest exponent.
  BehaviourBench<Ewa> bench(CprParameters{}, 3, ewa_parameters(0.5, 0.0, 0.0, 1000.0, 1.0));
  bench.play(history[0]);  // A(0) = (0, 56, 0): lambda A = (0, 56000, 0)
  const std::vector<double> p = bench.behaviour().probabilities(0);
  EXPECT_EQ(p[0], 0.0);
  EXPECT_EQ(p[1], 1.0);
  EXPECT_EQ(p[2], 0.0);
}

TEST(Ewa, Decide_DrawsChoicesWithLogitFrequencies) {
  // Every agent applies 0 in step 1, so each faces Y = 0 and, with delta = 1 and N(0) = 0,
  // holds A = u = (0, 4 (18 - 1) = 68, 8 (18 - 2) = 128); lambda = 0.01 gives
  // P proportional to (1, e^0.68, e^1.28). Frequencies of the next draw lie within 4 SE.
  const std::size_t n = 40000;
  BehaviourBench<Ewa> bench(CprParameters{}, n, ewa_parameters(0.5, 1.0, 0.5, 0.01, 0.0));
  bench.play(std::vector<double>(n, 0.0));
  ASSERT_DOUBLE_EQ(bench.behaviour().attractions(17)[2], 128.0);
  bench.decide();
  const double z = 1.0 + std::exp(0.68) + std::exp(1.28);
  const double expected[3] = {1.0 / z, std::exp(0.68) / z, std::exp(1.28) / z};
  const double choices[3] = {0.0, 4.0, 8.0};
  for (std::size_t j = 0; j < 3; ++j) {
    double count = 0.0;
    for (double e : bench.table().effort) count += e == choices[j] ? 1.0 : 0.0;
    const double se = std::sqrt(expected[j] * (1.0 - expected[j]) / static_cast<double>(n));
    EXPECT_NEAR(count / static_cast<double>(n), expected[j], 4.0 * se) << "choice " << choices[j];
  }
}

sim::ComponentSpec ewa_spec(double lambda) {
  return {"ewa",
          sim::Parameters({{"phi", 0.9}, {"delta", 0.5}, {"rho", 0.9}, {"lambda", lambda}}),
          "/groups/0/behaviour"};
}

TEST(Ewa, ZeroLambda_ChoosesUniformlyAmongEndowmentIntegers) {
  // Without `choices` the set is the integers 0..e = 0..10 (cpr_quadratic's endowment); with
  // lambda = 0 each is drawn with probability 1/11 whatever the attractions.
  const std::int64_t n = 33000;
  auto spec = testing::cpr_scenario(CprParameters{}, ewa_spec(0.0), n, 3);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  const double p = 1.0 / 11.0;
  const double se = std::sqrt(p * (1.0 - p) / static_cast<double>(n));
  while (!run.done()) {
    run.step();
    std::vector<double> count(11, 0.0);
    for (double e : run.agents().effort) {
      ASSERT_EQ(e, std::floor(e));
      ASSERT_GE(e, 0.0);
      ASSERT_LE(e, 10.0);
      count[static_cast<std::size_t>(e)] += 1.0;
    }
    for (std::size_t k = 0; k < 11; ++k)
      EXPECT_NEAR(count[k] / static_cast<double>(n), p, 4.0 * se) << "effort " << k << " step " << run.steps_done();
  }
}

TEST(Ewa, GivenInitialEffort_OpensThenLogitTakesOver) {
  // Step 0 applies initial_effort = 3 (a choice), step 1 draws uniformly (lambda = 0) from 0..10.
  sim::Parameters parameters({{"phi", 0.9}, {"delta", 0.5}, {"rho", 0.9}, {"lambda", 0.0}, {"initial_effort", 3.0}});
  auto spec = testing::cpr_scenario(CprParameters{}, {"ewa", parameters, "/groups/0/behaviour"}, 200, 2);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  for (double e : run.agents().effort) ASSERT_EQ(e, 3.0);
  run.step();
  const auto& effort = run.agents().effort;
  EXPECT_GT(std::count_if(effort.begin(), effort.end(), [](double e) { return e != 3.0; }), 150);
}

TEST(Ewa, MissingChoicesWithoutCap_Throws) {
  // The fishery has no effort limit, so the integers 0..cap are undefined.
  sim::Parameters parameters({{"phi", 0.9}, {"delta", 0.5}, {"rho", 0.9}, {"lambda", 1.0}});
  auto spec = testing::cpr_scenario(CprParameters{}, {"ewa", parameters, "/groups/0/behaviour"}, 4, 1);
  spec.resource = {"fishery_logistic",
                   sim::Parameters({{"growth_rate", 0.5},
                                    {"carrying_capacity", 1000.0},
                                    {"catchability", 0.01},
                                    {"initial_stock", 1000.0},
                                    {"observation_noise", 0.0}}),
                   "/resource"};
  EXPECT_THROW(sim::Run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}), sim::SpecError);
}

std::vector<std::vector<double>> run_efforts(const sim::ScenarioSpec& spec, sim::ExecutionPolicy policy) {
  sim::Run run(spec, default_registry(), sim::RunTask{3, 0, spec.seed, {}}, policy);
  std::vector<std::vector<double>> out;
  while (!run.done()) {
    run.step();
    out.push_back(run.agents().effort);
    out.push_back(run.agents().income);
  }
  return out;
}

TEST(Ewa, SerialAndParallel_GiveIdenticalRuns) {
  // 9000 agents: three blocks of the engine's 4096, so the parallel policy really splits the
  // cohort. Heterogeneous lambda and an inequity-averse utility exercise every path.
  sim::Parameters parameters({{"phi", 0.8},
                              {"delta", 0.4},
                              {"rho", 0.7},
                              {"lambda", sim::Distribution{sim::Distribution::Kind::uniform, 0.0, 0.5, {}, {}}},
                              {"choices", std::vector<double>{0.0, 0.005, 0.01, 0.02}}});
  parameters.set_block("social_preference",
                       sim::Parameters({{"model", std::string("fehr_schmidt")}, {"envy", 0.6}, {"guilt", 0.3}}));
  auto spec = testing::cpr_scenario(CprParameters{}, {"ewa", parameters, "/groups/0/behaviour"}, 9000, 6);
  const auto serial = run_efforts(spec, sim::ExecutionPolicy{false});
  std::vector<std::vector<double>> parallel;
  tbb::task_arena(2).execute([&] { parallel = run_efforts(spec, sim::ExecutionPolicy{true}); });
  EXPECT_EQ(serial, parallel);
  // The learning did something: efforts are not all equal in the last step.
  const auto& last = serial[serial.size() - 2];
  EXPECT_NE(*std::min_element(last.begin(), last.end()), *std::max_element(last.begin(), last.end()));
}

TEST(Ewa, PickIfClear_DecidesOnlyWhereTheFastWeightsCannotMislead) {
  const std::vector<double> weights{1.0, 1.0, 1.0};
  EXPECT_EQ(Ewa::pick_if_clear(weights, 3.0, 0.5), std::optional<std::size_t>{0});
  EXPECT_EQ(Ewa::pick_if_clear(weights, 3.0, 1.5), std::optional<std::size_t>{1});
  EXPECT_EQ(Ewa::pick_if_clear(weights, 3.0, 2.9), std::optional<std::size_t>{2});
  // Within 1e-9 of the total of a boundary, on either side, or beyond the last: the exact
  // weights decide.
  EXPECT_EQ(Ewa::pick_if_clear(weights, 3.0, 1.0 - 1e-12), std::nullopt);
  EXPECT_EQ(Ewa::pick_if_clear(weights, 3.0, 2.0), std::nullopt);
  EXPECT_EQ(Ewa::pick_if_clear(weights, 3.0, 3.0 - 1e-12), std::nullopt);
  EXPECT_EQ(Ewa::pick_if_clear(weights, 3.0, 3.0), std::nullopt);
  EXPECT_EQ(Ewa::pick(weights, 2.0), 2U);
  EXPECT_EQ(Ewa::pick(weights, 3.0), 2U);
}

/// The choice the logit rule makes as Ewa::decide made it before its fast exponentials:
/// std::exp of lambda A - max lambda A, the cumulative sum inverted at u times the total.
std::size_t reference_choice(std::span<const double> attractions, double lambda, double u) {
  double top = -std::numeric_limits<double>::infinity();
  for (const double a : attractions) top = std::max(top, lambda * a);
  std::vector<double> weights;
  double total = 0.0;
  for (const double a : attractions) {
    weights.push_back(std::exp(lambda * a - top));
    total += weights.back();
  }
  const double target = u * total;
  double cumulative = 0.0;
  for (std::size_t j = 0; j < weights.size(); ++j) {
    cumulative += weights[j];
    if (target < cumulative) return j;
  }
  return weights.size() - 1;
}

TEST(Ewa, FastPaths_SameChoicesAndAttractionsAsTheExactRule) {
  // 2000 players of the lab game scaled up, 11 token choices, 15 rounds: every decide is
  // checked against reference_choice (std::exp) and every learn against the same behaviour on
  // a resource without batch payoffs (a harvest_if call per agent and choice).
  CprParameters p;
  p.production_quadratic = 0.25 / 250.0;
  const double lambda = 0.2;
  const sim::Parameters parameters({{"phi", 0.9}, {"delta", 0.5}, {"rho", 0.9}, {"lambda", lambda}});
  constexpr std::size_t n = 2000;
  BehaviourBench<Ewa> fast(p, n, parameters);
  BehaviourBench<Ewa, testing::PlainResource<CprQuadratic>> plain(p, n, parameters);
  const sim::RandomStream random(11, 0);  // the bench's stream
  for (int round = 0; round < 15; ++round) {
    fast.decide();
    plain.decide();
    const auto step = static_cast<std::uint64_t>(fast.step_index());
    for (std::size_t i = 0; i < n; ++i) {
      const double u = random.uniform(step, fast.table().id[i], sim::Purpose::decide, 0);
      const auto choices = fast.behaviour().choices();
      ASSERT_EQ(fast.table().effort[i], choices[reference_choice(fast.behaviour().attractions(i), lambda, u)])
          << "round " << round << " agent " << i;
    }
    fast.settle_and_learn();
    plain.settle_and_learn();
    for (std::size_t i = 0; i < n; ++i) {
      const auto a = fast.behaviour().attractions(i);
      const auto b = plain.behaviour().attractions(i);
      ASSERT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end())) << "round " << round << " agent " << i;
      ASSERT_EQ(fast.behaviour().experience(i), plain.behaviour().experience(i));
    }
  }
  // Attractions spread the choices: not every player made the same one.
  const auto& effort = fast.table().effort;
  EXPECT_NE(*std::min_element(effort.begin(), effort.end()), *std::max_element(effort.begin(), effort.end()));
}

}  // namespace
}  // namespace commons::models
