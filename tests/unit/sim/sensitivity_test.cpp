// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/sensitivity.hpp>

#include <commons/sim/random.hpp>

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numbers>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace commons::sim {
namespace {

using Model = std::function<double(const Eigen::RowVectorXd&)>;

// Outputs [rows x replicates] of `model` at `points`, plus Gaussian noise of `noise_sd` drawn
// from the stream (noise_seed, replicate) at (row, 0, observe): a stochastic model's replicates.
Eigen::MatrixXd evaluate(const Eigen::MatrixXd& points, const Model& model, Eigen::Index replicates = 1,
                         double noise_sd = 0.0, std::uint64_t noise_seed = 99) {
  Eigen::MatrixXd outputs(points.rows(), replicates);
  for (Eigen::Index r = 0; r < points.rows(); ++r) {
    const double clean = model(points.row(r));
    for (Eigen::Index c = 0; c < replicates; ++c) {
      const RandomStream noise(noise_seed, static_cast<std::uint64_t>(c));
      outputs(r, c) = clean + noise_sd * noise.normal(static_cast<std::uint64_t>(r), 0, Purpose::observe);
    }
  }
  return outputs;
}

// Ishigami & Homma (1990), a = 7, b = 0.1, inputs uniform on [-pi, pi] mapped from [0, 1).
constexpr double ishigami_a = 7.0;
constexpr double ishigami_b = 0.1;

double ishigami(const Eigen::RowVectorXd& u) {
  const double pi = std::numbers::pi;
  const double x1 = -pi + 2 * pi * u(0);
  const double x2 = -pi + 2 * pi * u(1);
  const double x3 = -pi + 2 * pi * u(2);
  return std::sin(x1) + ishigami_a * std::sin(x2) * std::sin(x2) + ishigami_b * std::pow(x3, 4) * std::sin(x1);
}

// Analytic partial variances of the Ishigami function (Sobol' & Levitan 1999; Saltelli et al.
// 2008, section 4.9).
struct IshigamiVariances {
  double v1, v2, v13, total;
};

IshigamiVariances ishigami_variances() {
  const double pi4 = std::pow(std::numbers::pi, 4);
  const double v1 = 0.5 * std::pow(1 + ishigami_b * pi4 / 5, 2);
  const double v2 = ishigami_a * ishigami_a / 8;
  const double v13 = 8 * ishigami_b * ishigami_b * pi4 * pi4 / 225;
  return {v1, v2, v13, v1 + v2 + v13};
}

// Sobol' G function g(x) = prod_i (|4 x_i - 2| + a_i) / (1 + a_i): V_i = 1 / (3 (1 + a_i)^2),
// V = prod (1 + V_i) - 1, S_i = V_i / V, S_Ti = V_i prod_{j != i} (1 + V_j) / V.
const std::array<double, 6> g_a{0, 1, 4.5, 9, 99, 99};

double g_function(const Eigen::RowVectorXd& u) {
  double product = 1.0;
  for (std::size_t i = 0; i < g_a.size(); ++i) {
    product *= (std::abs(4 * u(static_cast<Eigen::Index>(i)) - 2) + g_a[i]) / (1 + g_a[i]);
  }
  return product;
}

struct Truth {
  std::vector<double> first, total;
};

Truth g_truth() {
  std::vector<double> partial;
  double all = 1.0;
  for (const double a : g_a) {
    partial.push_back(1.0 / (3.0 * (1 + a) * (1 + a)));
    all *= 1 + partial.back();
  }
  const double v = all - 1;
  Truth truth;
  for (const double vi : partial) {
    truth.first.push_back(vi / v);
    truth.total.push_back(vi * (all / (1 + vi)) / v);
  }
  return truth;
}

Truth ishigami_truth() {
  const IshigamiVariances v = ishigami_variances();
  return {{v.v1 / v.total, v.v2 / v.total, 0.0}, {(v.v1 + v.v13) / v.total, v.v2 / v.total, v.v13 / v.total}};
}

template <typename F>
std::string invalid_argument_message(F f) {
  try {
    f();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

// Estimate within `sds` bootstrap standard deviations of the truth.
void expect_within(const std::vector<IndexEstimate>& estimates, const std::vector<double>& truth, double sds,
                   const char* what) {
  ASSERT_EQ(estimates.size(), truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) {
    EXPECT_NEAR(estimates[i].value, truth[i], sds * estimates[i].bootstrap_sd) << what << ' ' << i;
  }
}

TEST(SensitivitySummary, KnownSample_MeanSdAndStudentInterval) {
  Eigen::MatrixXd outputs(1, 4);
  outputs << 1, 2, 3, 4;
  const ReplicateSummary summary = summarize_replicates(outputs);
  EXPECT_EQ(summary.count[0], 4u);
  EXPECT_DOUBLE_EQ(summary.mean(0), 2.5);
  EXPECT_DOUBLE_EQ(summary.sd(0), std::sqrt(5.0 / 3.0));
  // t_{3, 0.975} = 3.182446305284263 (Student's t table); half width t sd / sqrt(4).
  const double half_width = 3.182446305284263 * std::sqrt(5.0 / 3.0) / 2.0;
  EXPECT_NEAR(summary.low(0), 2.5 - half_width, 1e-12);
  EXPECT_NEAR(summary.high(0), 2.5 + half_width, 1e-12);
}

TEST(SensitivitySummary, OneReplicate_HasMeanAndNaNSpread) {
  Eigen::MatrixXd outputs(2, 1);
  outputs << 7, std::nan("");
  const ReplicateSummary summary = summarize_replicates(outputs, 0.9);
  EXPECT_EQ(summary.count[0], 1u);
  EXPECT_EQ(summary.mean(0), 7.0);
  EXPECT_TRUE(std::isnan(summary.sd(0)));
  EXPECT_TRUE(std::isnan(summary.low(0)));
  EXPECT_TRUE(std::isnan(summary.high(0)));
  EXPECT_EQ(summary.count[1], 0u);
  EXPECT_TRUE(std::isnan(summary.mean(1)));
  EXPECT_EQ(invalid_argument_message([&] { (void)summarize_replicates(outputs, 1.0); }),
            "summarize_replicates: confidence must lie in (0, 1) (got 1.000000)");
}

TEST(SensitivitySummary, NonFiniteReplicates_AreIgnoredAndCounted) {
  Eigen::MatrixXd outputs(1, 4);
  outputs << 1, std::nan(""), 3, HUGE_VAL;
  const ReplicateSummary summary = summarize_replicates(outputs);
  EXPECT_EQ(summary.count[0], 2u);
  EXPECT_DOUBLE_EQ(summary.mean(0), 2.0);
  EXPECT_DOUBLE_EQ(summary.sd(0), std::sqrt(2.0));
}

TEST(SensitivitySobol, IshigamiTruth_MatchesPublishedIndices) {
  // Guards the analytic formulas the next tests rely on (values as published to 4 decimals).
  const Truth truth = ishigami_truth();
  const std::vector<double> first{0.3139, 0.4424, 0.0};
  const std::vector<double> total{0.5576, 0.4424, 0.2437};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(truth.first[i], first[i], 5e-5);
    EXPECT_NEAR(truth.total[i], total[i], 5e-5);
  }
}

// Tolerances of the recovery tests: 4 bootstrap SDs (a normal estimate strays that far with
// probability 6e-5), provided the bootstrap SD itself shows the estimate is informative (below
// 0.05; the iid variance bound sqrt(E[f^2] E[(f_AB - f_A)^2] / N) / V gives about 0.03 for
// Ishigami at N = 4096, and Sobol points do better). The 99 % intervals must hold the truth: a
// family of 6 or 12 such intervals misses somewhere with probability at most 6 or 12 % by
// Bonferroni, less with Sobol points, whose errors are smaller than the iid bootstrap assumes.
TEST(SensitivitySobol, Ishigami_RecoversAnalyticIndices) {
  const SaltelliDesign design = saltelli(4096, 3);
  const SobolIndices indices = sobol_indices(3, evaluate(design.points, ishigami), {500, 0.99, 0, 1});
  const Truth truth = ishigami_truth();
  EXPECT_EQ(indices.groups_used, 4096u);
  EXPECT_EQ(indices.groups_dropped, 0u);
  EXPECT_NEAR(indices.variance, ishigami_variances().total, 0.05 * ishigami_variances().total);
  expect_within(indices.first, truth.first, 4, "S");
  expect_within(indices.total, truth.total, 4, "ST");
  for (std::size_t i = 0; i < 3; ++i) {
    for (const IndexEstimate& e : {indices.first[i], indices.total[i]}) {
      EXPECT_LT(e.bootstrap_sd, 0.05) << i;
      EXPECT_TRUE(std::isnan(e.replicate_sd)) << "one replicate has no replicate noise to report";
    }
    EXPECT_LE(indices.first[i].low, truth.first[i]) << i;
    EXPECT_GE(indices.first[i].high, truth.first[i]) << i;
    EXPECT_LE(indices.total[i].low, truth.total[i]) << i;
    EXPECT_GE(indices.total[i].high, truth.total[i]) << i;
  }
  EXPECT_TRUE(std::isnan(indices.noise_share));
}

TEST(SensitivitySobol, GFunction_RecoversAnalyticIndices) {
  const SaltelliDesign design = saltelli(4096, 6);
  const SobolIndices indices = sobol_indices(6, evaluate(design.points, g_function), {500, 0.99, 0, 2});
  const Truth truth = g_truth();
  expect_within(indices.first, truth.first, 4, "S");
  expect_within(indices.total, truth.total, 4, "ST");
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_LT(indices.first[i].bootstrap_sd, 0.05) << i;
    EXPECT_LT(indices.total[i].bootstrap_sd, 0.05) << i;
    EXPECT_LE(indices.first[i].low, truth.first[i]) << i;
    EXPECT_GE(indices.first[i].high, truth.first[i]) << i;
    EXPECT_LE(indices.total[i].low, truth.total[i]) << i;
    EXPECT_GE(indices.total[i].high, truth.total[i]) << i;
  }
}

TEST(SensitivitySobol, BootstrapIntervals_CoverTruthAtLeastAtNominalRate) {
  // 20 disjoint stretches of the Sobol sequence (skip), N = 512 each, six Ishigami indices: 120
  // nominal 95 % intervals. Nominal coverage gives 114 hits, binomial SD 2.4; 104 is 4 SD below.
  const Truth truth = ishigami_truth();
  int covered = 0;
  for (std::uint64_t chunk = 0; chunk < 20; ++chunk) {
    const SaltelliDesign design = saltelli(512, 3, chunk * 512);
    const SobolIndices indices = sobol_indices(3, evaluate(design.points, ishigami), {200, 0.95, 0, chunk});
    for (std::size_t i = 0; i < 3; ++i) {
      covered += indices.first[i].low <= truth.first[i] && truth.first[i] <= indices.first[i].high;
      covered += indices.total[i].low <= truth.total[i] && truth.total[i] <= indices.total[i].high;
    }
  }
  EXPECT_GE(covered, 104);
}

TEST(SensitivitySobol, NoisyIshigami_ReportsNoiseAndKeepsIndices) {
  // Gaussian noise of variance s2 = 1 on every run, R = 4 replicates: the means carry noise
  // s2 / R = 0.25. It adds to V(Y) and to each sum of squares (f(A) - f(AB_i))^2 / 2, but not to
  // E[f(B) (f(AB_i) - f(A))], so the estimators converge to S_i = V_i / (V + s2/R) and
  // S_Ti = (V_Ti + s2/R) / (V + s2/R); those are compared within 4 bootstrap SDs.
  const double noise = 0.25;
  const SaltelliDesign design = saltelli(2048, 3);
  const SobolIndices indices = sobol_indices(3, evaluate(design.points, ishigami, 4, 1.0), {300, 0.95, 100, 3});
  const IshigamiVariances v = ishigami_variances();
  const double variance = v.total + noise;
  expect_within(indices.first, {v.v1 / variance, v.v2 / variance, 0.0}, 4, "S");
  expect_within(indices.total,
                {(v.v1 + v.v13 + noise) / variance, (v.v2 + noise) / variance, (v.v13 + noise) / variance}, 4,
                "ST");
  // noise_share estimates 0.25 / (V + 0.25) = 0.0177. Its error: the mean of 4096 within-point
  // variances (3 df each) is off by sqrt(2 / 12288) = 1.3 %, V(Y) from 4096 values by about
  // sqrt((kurtosis - 1) / 4096) = 2-3 %; 10 % is over 3 SDs.
  EXPECT_NEAR(indices.noise_share, noise / variance, 0.1 * noise / variance);
  for (std::size_t i = 0; i < 3; ++i) {
    for (const IndexEstimate& e : {indices.first[i], indices.total[i]}) {
      // Replicate noise is real but only part of the index's error, which the base-sample
      // bootstrap measures in full (noise and design together).
      EXPECT_GT(e.replicate_sd, 0.0) << i;
      EXPECT_LT(e.replicate_sd, e.bootstrap_sd) << i;
    }
  }
}

TEST(SensitivitySobol, IdenticalReplicates_ReportNoNoise) {
  const SaltelliDesign design = saltelli(128, 3);
  const SobolIndices once = sobol_indices(3, evaluate(design.points, ishigami), {50, 0.95, 0, 1});
  const SobolIndices thrice = sobol_indices(3, evaluate(design.points, ishigami, 3), {50, 0.95, 20, 1});
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(thrice.first[i].replicate_sd, 0.0);
    EXPECT_EQ(thrice.total[i].replicate_sd, 0.0);
    // A mean of three equal doubles may differ from them in the last bit.
    EXPECT_NEAR(thrice.first[i].value, once.first[i].value, 1e-12);
  }
  EXPECT_EQ(thrice.noise_share, 0.0);
}

TEST(SensitivitySobol, FailedRuns_DropTheirBaseSampleAndAreCounted) {
  const std::size_t k = 3;
  const SaltelliDesign design = saltelli(256, k);
  Eigen::MatrixXd outputs = evaluate(design.points, ishigami, 2, 0.5);
  outputs(static_cast<Eigen::Index>(design.layout.row_ab(3, 1)), 1) = std::nan("");
  outputs(static_cast<Eigen::Index>(design.layout.row_b(10)), 0) = HUGE_VAL;
  const SobolOptions options{100, 0.95, 10, 4};
  const SobolIndices indices = sobol_indices(k, outputs, options);
  EXPECT_EQ(indices.groups_used, 254u);
  EXPECT_EQ(indices.groups_dropped, 2u);

  // The same as never having run those base samples.
  Eigen::MatrixXd kept(static_cast<Eigen::Index>(254 * (k + 2)), 2);
  Eigen::Index next = 0;
  for (std::size_t j = 0; j < 256; ++j) {
    if (j == 3 || j == 10) continue;
    kept.middleRows(next, static_cast<Eigen::Index>(k + 2)) =
        outputs.middleRows(static_cast<Eigen::Index>(design.layout.row_a(j)), static_cast<Eigen::Index>(k + 2));
    next += static_cast<Eigen::Index>(k + 2);
  }
  const SobolIndices reference = sobol_indices(k, kept, options);
  for (std::size_t i = 0; i < k; ++i) {
    EXPECT_TRUE(same_bits(indices.first[i].value, reference.first[i].value));
    EXPECT_TRUE(same_bits(indices.total[i].value, reference.total[i].value));
    EXPECT_TRUE(same_bits(indices.first[i].low, reference.first[i].low));
    EXPECT_TRUE(same_bits(indices.total[i].high, reference.total[i].high));
    EXPECT_TRUE(std::isfinite(indices.first[i].replicate_sd));
  }
}

TEST(SensitivitySobol, AllRunsFailed_GiveNaNIndices) {
  const Eigen::MatrixXd outputs = Eigen::MatrixXd::Constant(10, 2, std::nan(""));
  const SobolIndices indices = sobol_indices(3, outputs);
  EXPECT_EQ(indices.groups_used, 0u);
  EXPECT_EQ(indices.groups_dropped, 2u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(std::isnan(indices.first[i].value));
    EXPECT_TRUE(std::isnan(indices.total[i].low));
    EXPECT_TRUE(std::isnan(indices.total[i].replicate_sd));
  }
}

TEST(SensitivitySobol, PartialGroups_Throw) {
  const Eigen::MatrixXd outputs = Eigen::MatrixXd::Zero(11, 1);
  EXPECT_EQ(invalid_argument_message([&] { (void)sobol_indices(3, outputs); }),
            "sobol_indices: 11 output rows are not a positive multiple of factors + 2 = 5");
}

TEST(SensitivitySobol, SameInputsAndSeed_SameBits) {
  const SaltelliDesign design = saltelli(256, 3);
  const Eigen::MatrixXd outputs = evaluate(design.points, ishigami, 3, 1.0);
  const SobolIndices a = sobol_indices(3, outputs, {100, 0.95, 20, 8});
  const SobolIndices b = sobol_indices(3, outputs, {100, 0.95, 20, 8});
  const SobolIndices other = sobol_indices(3, outputs, {100, 0.95, 20, 9});
  for (std::size_t i = 0; i < 3; ++i) {
    for (const auto& [x, y] : {std::pair{a.first[i], b.first[i]}, std::pair{a.total[i], b.total[i]}}) {
      EXPECT_TRUE(same_bits(x.value, y.value) && same_bits(x.low, y.low) && same_bits(x.high, y.high) &&
                  same_bits(x.bootstrap_sd, y.bootstrap_sd) && same_bits(x.replicate_sd, y.replicate_sd));
    }
    EXPECT_TRUE(same_bits(a.first[i].value, other.first[i].value));
    EXPECT_FALSE(same_bits(a.first[i].bootstrap_sd, other.first[i].bootstrap_sd));
  }
}

// Morris: a linear model in unit-hypercube scale has every elementary effect equal to its
// coefficient, so mu = c, mu* = |c| and sigma = 0 up to rounding: outputs of size ~5 differ by
// ~1e-15, divided by delta = 2/3; 1e-12 is far above that and far below any real effect.
double linear(const Eigen::RowVectorXd& u) { return 2 * u(0) - 3 * u(1) + 0 * u(2) + 0.5 * u(3); }
const std::vector<double> linear_coefficients{2, -3, 0, 0.5};

TEST(SensitivityMorris, Linear_MuIsCoefficientAndMuStarItsSize) {
  const MorrisDesign design = morris(10, 4, 4, 21);
  const MorrisEffects effects = morris_effects(design, evaluate(design.points, linear));
  EXPECT_EQ(effects.trajectories_used, 10u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(effects.factors[i].mu, linear_coefficients[i], 1e-12) << i;
    EXPECT_NEAR(effects.factors[i].mu_star, std::abs(linear_coefficients[i]), 1e-12) << i;
    EXPECT_NEAR(effects.factors[i].sigma, 0.0, 1e-12) << i;
    EXPECT_TRUE(std::isnan(effects.factors[i].mu_star_replicate_sd));
  }
  // A factor without effect leaves the output's bits unchanged.
  EXPECT_EQ(effects.factors[2].mu_star, 0.0);
}

TEST(SensitivityMorris, Interaction_ShowsInSigma) {
  // f = u0 u1 + u2: the effect of u0 is u1, which varies over the grid (levels 0..1, SD about
  // 0.37), so sigma is large for u0 and u1 and zero for the additive u2.
  const MorrisDesign design = morris(20, 3, 4, 5);
  const MorrisEffects effects =
      morris_effects(design, evaluate(design.points, [](const Eigen::RowVectorXd& u) { return u(0) * u(1) + u(2); }));
  EXPECT_GT(effects.factors[0].sigma, 0.1);
  EXPECT_GT(effects.factors[1].sigma, 0.1);
  EXPECT_NEAR(effects.factors[2].sigma, 0.0, 1e-12);
  EXPECT_NEAR(effects.factors[2].mu_star, 1.0, 1e-12);
}

TEST(SensitivityMorris, NoisyLinear_AveragesReplicatesAndReportsTheirNoise) {
  // Noise sd s = 0.1, R = 5: a mean carries s^2 / R; an elementary effect, the difference of two
  // means over delta, has SD sqrt(2 s^2 / R) / delta, and mu, the mean of r = 50 independent
  // ones, that over sqrt(r). mu within 4 of those SDs; its replicate_sd estimates the same SD
  // times sqrt((R - 1) / R) (the bootstrap's shrinkage), from 300 within-point variances with
  // 4 df (about 4 % error) and 200 resamples (5 %): within 30 %.
  const std::size_t r = 50;
  const double s = 0.1;
  const Eigen::Index replicates = 5;
  const MorrisDesign design = morris(r, 4, 4, 8);
  const Eigen::MatrixXd outputs = evaluate(design.points, linear, replicates, s);
  const MorrisEffects effects = morris_effects(design, outputs, {200, 6});
  const double mu_sd = std::sqrt(2 * s * s / replicates) / design.delta / std::sqrt(static_cast<double>(r));
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(effects.factors[i].mu, linear_coefficients[i], 4 * mu_sd) << i;
    EXPECT_NEAR(effects.factors[i].mu_replicate_sd, mu_sd * std::sqrt(0.8), 0.3 * mu_sd * std::sqrt(0.8)) << i;
    EXPECT_GT(effects.factors[i].sigma_replicate_sd, 0.0) << i;
  }
  // noise_share against (s^2 / R) / (variance of the noise-free outputs + s^2 / R); the noise
  // variance is estimated within about 5 %, so 30 % is generous and still tells 0 from the truth.
  const Eigen::MatrixXd clean = evaluate(design.points, linear);
  const double mean = clean.mean();
  const double clean_variance = (clean.array() - mean).square().mean();
  const double expected = s * s / replicates / (clean_variance + s * s / replicates);
  EXPECT_NEAR(effects.noise_share, expected, 0.3 * expected);
}

TEST(SensitivityMorris, FailedRun_DropsItsTrajectory) {
  const MorrisDesign design = morris(10, 4, 4, 21);
  Eigen::MatrixXd outputs = evaluate(design.points, linear, 2);
  outputs(static_cast<Eigen::Index>(design.row(2, 3)), 1) = std::nan("");
  const MorrisEffects effects = morris_effects(design, outputs);
  EXPECT_EQ(effects.trajectories_used, 9u);
  EXPECT_EQ(effects.trajectories_dropped, 1u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(effects.factors[i].mu, linear_coefficients[i], 1e-12) << i;
}

TEST(SensitivityMorris, FirstTrajectoriesOfASweep_AreAnalysed) {
  const MorrisDesign design = morris(10, 4, 4, 21);
  const Eigen::MatrixXd outputs = evaluate(design.points, linear);
  EXPECT_EQ(morris_effects(design, outputs.topRows(15)).trajectories_used, 3u);
  EXPECT_EQ(invalid_argument_message([&] { (void)morris_effects(design, outputs.topRows(7)); }),
            "morris_effects: 7 output rows are not a positive multiple of factors + 1 = 5 within the design's 50 "
            "rows");
}

TEST(SensitivityMorris, SameInputsAndSeed_SameBits) {
  const MorrisDesign design = morris(10, 4, 4, 21);
  const Eigen::MatrixXd outputs = evaluate(design.points, linear, 3, 0.2);
  const MorrisEffects a = morris_effects(design, outputs, {50, 1});
  const MorrisEffects b = morris_effects(design, outputs, {50, 1});
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(same_bits(a.factors[i].mu_star, b.factors[i].mu_star));
    EXPECT_TRUE(same_bits(a.factors[i].sigma, b.factors[i].sigma));
    EXPECT_TRUE(same_bits(a.factors[i].mu_star_replicate_sd, b.factors[i].mu_star_replicate_sd));
  }
}

}  // namespace
}  // namespace commons::sim
