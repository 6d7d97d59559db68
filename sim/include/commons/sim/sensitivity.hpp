// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Estimators for parameter sweeps: per-point summaries over replicates, Sobol indices from a
/// Saltelli design, Morris elementary effects. Outputs arrive as a matrix [design points x
/// replicates] in the design's row order (one column for a deterministic model).
///
/// Stochastic models: indices are computed from the replicate means of each design point. The
/// replicate noise that remains in those means is reported beside each index as its
/// `replicate_sd`: the standard deviation of the index over bootstrap resamples of the replicates
/// within every design point (each point's R outputs drawn R times with replacement), the design
/// held fixed. It estimates how much the index would move if the sweep were run again with other
/// replicate seeds, which is the part of its error that more replicates (not more design points)
/// reduce. The bootstrap of R values understates the variance of their mean by (R - 1) / R. With
/// one replicate it is NaN. `noise_share` says the same for the output as a whole: the mean
/// within-point variance divided by R, over the variance of the replicate means; near 0 the means
/// are as good as noise-free outputs, near 1 they are mostly noise.
///
/// Failed runs (NaN policy): a design point whose outputs contain any non-finite value (NaN, or
/// an infinity) in any replicate is a failed point. A Saltelli group (base sample) or a Morris
/// trajectory with a failed point is dropped whole, because its estimator terms need every point
/// of it; the number dropped is reported. Dropping is not ignorable when failures depend on the
/// parameters: read the count. Per-point summaries instead ignore non-finite replicates and
/// report how many remain.
///
/// Determinism: every sum runs in a fixed order (plain loops, not vectorised reductions) and all
/// resampling draws from a RandomStream keyed by the `seed` option, so the same inputs give the
/// same bits on any machine.

#include <commons/sim/design.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace commons::sim {

/// Per design point: count, mean, standard deviation and confidence interval of the mean.
struct ReplicateSummary {
  /// Confidence level of [low, high].
  double confidence = 0.95;
  /// Finite replicates of each point (non-finite ones are ignored).
  std::vector<std::size_t> count;
  /// Mean of the finite replicates; NaN with none.
  Eigen::VectorXd mean;
  /// Sample standard deviation (divisor n - 1); NaN for n < 2.
  Eigen::VectorXd sd;
  /// mean -+ t_{n-1} sd / sqrt(n), Student's t quantile at (1 + confidence) / 2; NaN for n < 2.
  Eigen::VectorXd low;
  Eigen::VectorXd high;
};

/// Summarises each row of `outputs` [design points x replicates].
/// \throws std::invalid_argument unless 0 < confidence < 1
[[nodiscard]] ReplicateSummary summarize_replicates(const Eigen::MatrixXd& outputs, double confidence = 0.95);

/// How Sobol indices are estimated.
struct SobolOptions {
  /// Bootstrap resamples of the base samples for `low`, `high` and `bootstrap_sd` (0: NaN).
  std::size_t resamples = 1000;
  /// Confidence level of the percentile interval, in (0, 1).
  double confidence = 0.95;
  /// Bootstrap resamples of the replicates for `replicate_sd` (0: NaN).
  std::size_t replicate_resamples = 200;
  /// Keys both bootstraps' draws.
  std::uint64_t seed = 0;
};

/// One sensitivity index with its uncertainty.
struct IndexEstimate {
  /// The estimate from all base samples used.
  double value = 0.0;
  /// Percentile bootstrap interval over base samples (Efron's percentile method; quantiles
  /// interpolated linearly between order statistics). Resamples whose index is undefined (NaN)
  /// are left out.
  double low = 0.0;
  double high = 0.0;
  /// Standard deviation of the index over the base-sample resamples: its sampling error.
  /// The bootstrap treats base samples as independent draws; on Sobol points, whose errors
  /// shrink faster than 1 / sqrt(N), it overstates the error, so intervals are conservative
  /// (Ishigami at N = 4096: bootstrap SD about 0.02, actual errors below 0.001).
  double bootstrap_sd = 0.0;
  /// Standard deviation of the index over replicate resamples (see the file comment).
  double replicate_sd = 0.0;
};

/// First-order and total Sobol indices, one entry per factor.
struct SobolIndices {
  /// S_i, Saltelli et al. (2010): V_i = (1/N) sum_j f(B)_j (f(AB_i)_j - f(A)_j).
  std::vector<IndexEstimate> first;
  /// S_Ti, Jansen (1999): V_Ti = (1/2N) sum_j (f(A)_j - f(AB_i)_j)^2.
  std::vector<IndexEstimate> total;
  /// V(Y), the denominator of both: variance (divisor 2N) of the replicate means of the A and B
  /// points of the groups used.
  double variance = 0.0;
  /// Mean within-point variance (divisor R - 1) of those A and B points, divided by R, over
  /// `variance`. NaN with one replicate.
  double noise_share = 0.0;
  /// Base samples (groups) used and dropped for a failed point.
  std::size_t groups_used = 0;
  std::size_t groups_dropped = 0;
};

/// Sobol indices of a model with `factors` inputs from its outputs [rows x replicates] on a
/// saltelli() design, rows in SaltelliLayout order. Any whole number of groups is accepted, so
/// the first rows of a sweep stopped early can be analysed. Indices are NaN where undefined
/// (no group used, or zero output variance).
/// \throws std::invalid_argument if factors is 0, outputs has no column, or its rows are not a
/// positive multiple of factors + 2, or confidence is not in (0, 1)
[[nodiscard]] SobolIndices sobol_indices(std::size_t factors, const Eigen::MatrixXd& outputs,
                                         const SobolOptions& options = {});

/// How Morris measures are estimated.
struct MorrisOptions {
  /// Bootstrap resamples of the replicates for the *_replicate_sd fields (0: NaN).
  std::size_t replicate_resamples = 200;
  /// Keys the replicate bootstrap's draws.
  std::uint64_t seed = 0;
};

/// Morris (1991) measures of one factor from its elementary effects EE = (y(x + delta e_i) -
/// y(x)) / delta, one per trajectory, in unit-hypercube scale: delta is the design's step on
/// [0, 1], so a factor mapped linearly to [low, high] with slope c on the parameter has
/// EE = c (high - low).
struct MorrisEffect {
  /// Mean elementary effect.
  double mu = 0.0;
  /// Mean absolute elementary effect (Campolongo et al. 2007): not cancelled by effects of
  /// opposite sign, the measure to screen with.
  double mu_star = 0.0;
  /// Standard deviation (divisor r - 1) of the elementary effects: non-linearity or
  /// interaction. NaN with one trajectory.
  double sigma = 0.0;
  /// Standard deviations of mu, mu_star and sigma over replicate resamples (file comment).
  double mu_replicate_sd = 0.0;
  double mu_star_replicate_sd = 0.0;
  double sigma_replicate_sd = 0.0;
};

/// Morris measures, one entry per factor.
struct MorrisEffects {
  std::vector<MorrisEffect> factors;
  /// Mean within-point variance / R over the variance (divisor n) of the replicate means, over
  /// all points of the trajectories used. NaN with one replicate.
  double noise_share = 0.0;
  /// Trajectories used and dropped for a failed point.
  std::size_t trajectories_used = 0;
  std::size_t trajectories_dropped = 0;
};

/// Morris measures from outputs [rows x replicates] on `design`, rows in the design's order.
/// The first outputs.rows() / (k + 1) trajectories are analysed, so a sweep stopped early can be.
/// Measures are NaN where undefined (no trajectory used).
/// \throws std::invalid_argument if outputs has no column, or its rows are not a positive
/// multiple of k + 1 no larger than the design's
[[nodiscard]] MorrisEffects morris_effects(const MorrisDesign& design, const Eigen::MatrixXd& outputs,
                                           const MorrisOptions& options = {});

}  // namespace commons::sim
