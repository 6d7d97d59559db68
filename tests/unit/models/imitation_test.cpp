// SPDX-License-Identifier: Apache-2.0
// Pairwise-comparison imitation (Szabo & Toke 1998; Traulsen, Nowak & Pacheco 2006): the
// expected one-step change on a complete graph, the mean-field trajectory, neighbourhoods,
// mutation and determinism.

#include <commons/models/behaviour/imitation.hpp>
#include <commons/models/register_models.hpp>
#include <commons/sim/network.hpp>
#include <commons/sim/run.hpp>

#include <cpr_spec.hpp>

#include <gtest/gtest.h>

#include <oneapi/tbb/task_arena.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace commons::models {
namespace {

using testing::CprParameters;

sim::ComponentSpec imitation(double beta, double initial_effort, double mutation = 0.0) {
  return {"imitation",
          sim::Parameters({{"selection_strength", beta}, {"initial_effort", initial_effort}, {"mutation", mutation}}),
          "/groups/0/behaviour"};
}

/// Two groups of imitators on a cpr_quadratic: `count_a` start at effort x_a (strategy A),
/// `count_b` at x_b (strategy B). Imitation looks across groups: the whole run is one population.
sim::ScenarioSpec two_strategies(std::int64_t count_a, double x_a, std::int64_t count_b, double x_b, double beta,
                                 std::int64_t steps) {
  const CprParameters cpr;
  auto spec = testing::cpr_scenario(cpr, imitation(beta, x_a), count_a, steps);
  spec.groups.push_back({"b", count_b, {{1.0, imitation(beta, x_b)}}, cpr.cost_per_effort});
  return spec;
}

/// Income of effort x when the group invests X in total: x (a - b X) - w x (cpr_quadratic).
double lab_income(double x, double total) { return x * (23.0 - 0.25 * total) - 5.0 * x; }

double fermi(double beta, double gain) { return 1.0 / (1.0 + std::exp(-beta * gain)); }

double share_of(const std::vector<double>& effort, double x) {
  double count = 0.0;
  for (double e : effort) count += e == x ? 1.0 : 0.0;
  return count / static_cast<double>(effort.size());
}

TEST(Imitation, CompleteGraph_OneStepChangeMatchesPairwiseComparisonDrift) {
  // n = 100, 30 play x_A = 1 and 70 play x_B = 0.5: X = 65, a - b X = 6.75,
  // u_A = 6.75 - 5 = 1.75, u_B = 3.375 - 2.5 = 0.875, u_A - u_B = 0.875.
  // E[dp] = p (1 - p) n / (n - 1) tanh(beta (u_A - u_B) / 2) with p = 0.3, beta = 1.
  const std::int64_t na = 30, nb = 70, n = na + nb;
  const double xa = 1.0, xb = 0.5, beta = 1.0, p = 0.3;
  const double total = static_cast<double>(na) * xa + static_cast<double>(nb) * xb;
  const double gain = lab_income(xa, total) - lab_income(xb, total);
  ASSERT_DOUBLE_EQ(gain, 0.875);
  const double nd = static_cast<double>(n);
  const double drift = p * (1.0 - p) * nd / (nd - 1.0) * std::tanh(beta * gain / 2.0);
  // Given the state, agents switch independently: a B player becomes A with probability
  // q_B = n_A / (n - 1) * Fermi(gain), an A player becomes B with q_A = n_B / (n - 1) * Fermi(-gain).
  // Var(change in n_A) = n_B q_B (1 - q_B) + n_A q_A (1 - q_A), the binomial variances.
  const double qb = static_cast<double>(na) / (nd - 1.0) * fermi(beta, gain);
  const double qa = static_cast<double>(nb) / (nd - 1.0) * fermi(beta, -gain);
  const double variance = static_cast<double>(nb) * qb * (1.0 - qb) + static_cast<double>(na) * qa * (1.0 - qa);
  const int replicates = 1000;
  const double se = std::sqrt(variance) / nd / std::sqrt(static_cast<double>(replicates));
  for (const bool with_network : {false, true}) {
    auto spec = two_strategies(na, xa, nb, xb, beta, 2);
    if (with_network) spec.network.generator = {"complete", sim::Parameters{}, "/network"};
    double sum = 0.0;
    for (int r = 0; r < replicates; ++r) {
      sim::Run run(spec, default_registry(), sim::RunTask{r, r, spec.seed, {}});
      run.step();
      ASSERT_EQ(share_of(run.agents().effort, xa), p);
      run.step();  // applies the efforts planned in step 1's learn phase
      sum += share_of(run.agents().effort, xa) - p;
    }
    EXPECT_NEAR(sum / replicates, drift, 4.0 * se) << (with_network ? "complete network" : "no network");
  }
}

TEST(Imitation, CompleteNetwork_SameDrawsAsNoNetwork) {
  // The complete graph's sorted neighbour list of i is every other agent in row order, which is
  // exactly how an agent without a network indexes the others: the runs agree bit for bit.
  sim::Parameters parameters({{"selection_strength", 0.5},
                              {"mutation", 0.1},
                              {"initial_effort", sim::Distribution{sim::Distribution::Kind::uniform, 0.0, 3.0, {}, {}}}});
  auto plain = testing::cpr_scenario(CprParameters{}, {"imitation", parameters, "/groups/0/behaviour"}, 40, 8);
  auto complete = plain;
  complete.network.generator = {"complete", sim::Parameters{}, "/network"};
  sim::Run a(plain, default_registry(), sim::RunTask{0, 0, plain.seed, {}});
  sim::Run b(complete, default_registry(), sim::RunTask{0, 0, complete.seed, {}});
  while (!a.done()) {
    a.step();
    b.step();
    ASSERT_EQ(a.agents().effort, b.agents().effort) << "step " << a.steps_done();
  }
}

TEST(Imitation, MeanTrajectory_FollowsMeanFieldMap) {
  // n = 1000 agents, 100 start at x_A = 0.1 and 900 at x_B = 0.05, beta = 4. Here
  // u_A - u_B = (x_A - x_B) (a - w - b X(p)) with X(p) = n (p x_A + (1 - p) x_B) = 50 + 50 p,
  // positive below p = 0.44 and negative above: the map has a stable interior point.
  // Mean-field map: p' = p + p (1 - p) n / (n - 1) tanh(beta (u_A - u_B) / 2).
  // Tolerance at step t: 4 standard errors of the replicate mean (sample sd / sqrt(R)) plus 1/n.
  // The 1/n covers the mean-field bias: the map is applied to E[p], whereas E[p'] = E[map(p)];
  // the difference is about half the map's curvature times Var(p_t), and Var(p_t) = O(1/n)
  // for this density-dependent chain (Kurtz 1970); here curvature x variance is ~1e-4 < 1/n.
  const std::int64_t na = 100, nb = 900, n = na + nb;
  const double xa = 0.1, xb = 0.05, beta = 4.0;
  const std::int64_t steps = 15;
  const int replicates = 200;
  const double nd = static_cast<double>(n);
  std::vector<double> sum(steps, 0.0), sum_squares(steps, 0.0);
  const auto spec = two_strategies(na, xa, nb, xb, beta, steps);
  for (int r = 0; r < replicates; ++r) {
    sim::Run run(spec, default_registry(), sim::RunTask{r, r, spec.seed, {}});
    for (std::int64_t t = 0; t < steps; ++t) {
      run.step();
      const double p = share_of(run.agents().effort, xa);
      sum[static_cast<std::size_t>(t)] += p;
      sum_squares[static_cast<std::size_t>(t)] += p * p;
    }
  }
  double map = static_cast<double>(na) / nd;
  const double rd = static_cast<double>(replicates);
  for (std::size_t t = 0; t < static_cast<std::size_t>(steps); ++t) {
    const double mean = sum[t] / rd;
    const double variance = (sum_squares[t] - rd * mean * mean) / (rd - 1.0);
    const double se = std::sqrt(std::max(variance, 0.0) / rd);
    EXPECT_NEAR(mean, map, 4.0 * se + 1.0 / nd) << "step " << t;
    const double total = nd * (map * xa + (1.0 - map) * xb);
    const double gain = lab_income(xa, total) - lab_income(xb, total);
    map += map * (1.0 - map) * nd / (nd - 1.0) * std::tanh(beta * gain / 2.0);
  }
  // The map moves far from its start within the horizon, so the comparison is not vacuous.
  EXPECT_GT(sum[static_cast<std::size_t>(steps) - 1] / rd, 0.35);
}

/// Mean number of A -> B and B -> A switches in the first learn phase over `replicates` runs of
/// two_strategies (complete mixing, no mutation).
struct Switches {
  double a_to_b = 0.0, b_to_a = 0.0;
};
Switches mean_switches(std::int64_t na, double xa, std::int64_t nb, double xb, double beta, int replicates) {
  const auto spec = two_strategies(na, xa, nb, xb, beta, 2);
  Switches sum;
  for (int r = 0; r < replicates; ++r) {
    sim::Run run(spec, default_registry(), sim::RunTask{r, r, spec.seed, {}});
    run.step();
    const std::vector<double> before = run.agents().effort;
    run.step();
    const std::vector<double>& after = run.agents().effort;
    for (std::size_t i = 0; i < before.size(); ++i) {
      sum.a_to_b += before[i] == xa && after[i] == xb ? 1.0 : 0.0;
      sum.b_to_a += before[i] == xb && after[i] == xa ? 1.0 : 0.0;
    }
  }
  return {sum.a_to_b / replicates, sum.b_to_a / replicates};
}

TEST(Imitation, HugeSelectionStrength_CopiesOnlyTheBetterOff) {
  // beta (u_A - u_B) = 1000 x 0.875: the Fermi probability is 1 towards the better strategy and
  // 0 (about e^-875) away from it. A players never switch; a B player switches exactly when its
  // partner plays A, with probability n_A / (n - 1): Binomial(n_B, n_A / (n - 1)) switches.
  const std::int64_t na = 30, nb = 70;
  const double q = 30.0 / 99.0;
  const int replicates = 300;
  const Switches s = mean_switches(na, 1.0, nb, 0.5, 1000.0, replicates);
  EXPECT_EQ(s.a_to_b, 0.0);
  const double se = std::sqrt(70.0 * q * (1.0 - q) / replicates);
  EXPECT_NEAR(s.b_to_a, 70.0 * q, 4.0 * se);
}

TEST(Imitation, ZeroSelectionStrength_CopiesWithProbabilityOneHalf) {
  // beta = 0: the Fermi probability is 1/2 whatever the payoffs. A B player switches with
  // probability n_A / (n - 1) / 2, an A player with n_B / (n - 1) / 2.
  const std::int64_t na = 30, nb = 70;
  const double qb = 30.0 / 99.0 / 2.0, qa = 70.0 / 99.0 / 2.0;
  const int replicates = 300;
  const Switches s = mean_switches(na, 1.0, nb, 0.5, 0.0, replicates);
  EXPECT_NEAR(s.b_to_a, 70.0 * qb, 4.0 * std::sqrt(70.0 * qb * (1.0 - qb) / replicates));
  EXPECT_NEAR(s.a_to_b, 30.0 * qa, 4.0 * std::sqrt(30.0 * qa * (1.0 - qa) / replicates));
}

TEST(Imitation, IsolatedAgents_KeepTheirEffort) {
  // A ring lattice of degree 0 has no edges: nobody has anyone to imitate, not even with mutation.
  sim::Parameters parameters({{"selection_strength", 10.0},
                              {"mutation", 0.5},
                              {"initial_effort", sim::Distribution{sim::Distribution::Kind::uniform, 0.0, 10.0, {}, {}}}});
  auto spec = testing::cpr_scenario(CprParameters{}, {"imitation", parameters, "/groups/0/behaviour"}, 30, 6);
  spec.network.generator = {"ring_lattice", sim::Parameters({{"degree", std::int64_t{0}}}), "/network"};
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  const std::vector<double> first = run.agents().effort;
  EXPECT_NE(first[0], first[1]);
  while (!run.done()) {
    run.step();
    EXPECT_EQ(run.agents().effort, first) << "step " << run.steps_done();
  }
}

TEST(Imitation, RingLattice_CopiesOnlyNeighbours) {
  // Degree 2: agent i may only take the effort of i - 1 or i + 1 (mod n), or keep its own.
  sim::Parameters parameters({{"selection_strength", 50.0},
                              {"initial_effort", sim::Distribution{sim::Distribution::Kind::uniform, 0.0, 10.0, {}, {}}}});
  const std::size_t n = 60;
  auto spec = testing::cpr_scenario(CprParameters{}, {"imitation", parameters, "/groups/0/behaviour"},
                                    static_cast<std::int64_t>(n), 2);
  spec.network.generator = {"ring_lattice", sim::Parameters({{"degree", std::int64_t{2}}}), "/network"};
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  run.step();
  const std::vector<double> before = run.agents().effort;
  run.step();
  const std::vector<double>& after = run.agents().effort;
  std::size_t copied = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double left = before[(i + n - 1) % n], right = before[(i + 1) % n];
    EXPECT_TRUE(after[i] == before[i] || after[i] == left || after[i] == right) << "agent " << i;
    copied += after[i] != before[i] ? 1U : 0U;
  }
  EXPECT_GT(copied, 0U);
}

TEST(Imitation, FullMutation_MakesEffortsUniform) {
  // mutation = 1: every agent draws its next effort afresh, from `choices` or from [0, cap].
  const std::int64_t n = 20000;
  const double nd = static_cast<double>(n);
  {
    sim::Parameters parameters(
        {{"selection_strength", 1.0}, {"mutation", 1.0}, {"choices", std::vector<double>{0.0, 2.0, 4.0, 6.0, 8.0}}});
    auto spec = testing::cpr_scenario(CprParameters{}, {"imitation", parameters, "/groups/0/behaviour"}, n, 2);
    sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
    run.step();
    run.step();
    const double se = std::sqrt(0.2 * 0.8 / nd);
    for (double c : {0.0, 2.0, 4.0, 6.0, 8.0}) EXPECT_NEAR(share_of(run.agents().effort, c), 0.2, 4.0 * se) << c;
  }
  {
    // No choices: uniform on [0, e] = [0, 10]; ten bins of width 1 each hold 1/10.
    auto spec = testing::cpr_scenario(CprParameters{}, imitation(1.0, 3.0, 1.0), n, 2);
    sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
    run.step();
    run.step();
    std::vector<double> bins(10, 0.0);
    for (double e : run.agents().effort) {
      ASSERT_GE(e, 0.0);
      ASSERT_LE(e, 10.0);
      bins[std::min<std::size_t>(9, static_cast<std::size_t>(e))] += 1.0;
    }
    const double se = std::sqrt(0.1 * 0.9 / nd);
    for (std::size_t k = 0; k < 10; ++k) EXPECT_NEAR(bins[k] / nd, 0.1, 4.0 * se) << "bin " << k;
  }
}

std::vector<std::vector<double>> run_efforts(const sim::ScenarioSpec& spec, sim::ExecutionPolicy policy) {
  sim::Run run(spec, default_registry(), sim::RunTask{5, 0, spec.seed, {}}, policy);
  std::vector<std::vector<double>> out;
  while (!run.done()) {
    run.step();
    out.push_back(run.agents().effort);
    out.push_back(run.agents().income);
  }
  return out;
}

TEST(Imitation, SerialAndParallel_GiveIdenticalRuns) {
  // 9000 agents span three engine blocks; with and without a small-world network.
  sim::Parameters parameters({{"selection_strength", 20.0},
                              {"mutation", 0.05},
                              {"initial_effort", sim::Distribution{sim::Distribution::Kind::uniform, 0.0, 0.02, {}, {}}}});
  parameters.set_block("social_preference", sim::Parameters({{"model", std::string("svo")}, {"angle", 20.0}}));
  auto spec = testing::cpr_scenario(CprParameters{}, {"imitation", parameters, "/groups/0/behaviour"}, 9000, 5);
  for (const bool with_network : {false, true}) {
    if (with_network)
      spec.network.generator = {"watts_strogatz",
                                sim::Parameters({{"degree", std::int64_t{4}}, {"rewire_probability", 0.1}}),
                                "/network"};
    const auto serial = run_efforts(spec, sim::ExecutionPolicy{false});
    std::vector<std::vector<double>> parallel;
    tbb::task_arena(2).execute([&] { parallel = run_efforts(spec, sim::ExecutionPolicy{true}); });
    EXPECT_EQ(serial, parallel) << (with_network ? "network" : "no network");
    EXPECT_NE(serial.front(), serial[serial.size() - 2]);
  }
}

}  // namespace
}  // namespace commons::models
