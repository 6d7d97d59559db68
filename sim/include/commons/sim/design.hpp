// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Experimental designs for parameter sweeps, on the unit hypercube, and the maps from a unit
/// coordinate to a parameter value. A design is an Eigen::MatrixXd with one row per design point
/// and one column per factor. Every design is a pure function of its arguments: random ones draw
/// from a RandomStream keyed by (seed, a tag private to the design), with counters addressed by
/// factor or trajectory and index, so a design never depends on threads, call order or platform
/// (integers only, then one exact division; no std::*_distribution, no std::shuffle).
/// Sensitivity estimators that read these designs: sensitivity.hpp.

#include <commons/sim/random.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace commons::sim {

/// Uniform integers in [0, n), unbiased, one per element of `out`: the 64-bit words of the
/// stream's blocks at counter (step, agent, purpose, draw = 0, 1, ...) are taken in order, and
/// each word at or above 2^64 mod n gives the next integer, word mod n (a word is rejected with
/// probability below n / 2^64). A pure function of its arguments; four words per Philox block.
/// \throws std::invalid_argument if n is 0
void uniform_indices(const RandomStream& random, std::uint64_t n, std::uint64_t step, std::uint64_t agent,
                     Purpose purpose, std::span<std::uint64_t> out);

/// One uniform integer in [0, n): the first of uniform_indices at the same counter.
/// \throws std::invalid_argument if n is 0
[[nodiscard]] std::uint64_t uniform_index(const RandomStream& random, std::uint64_t n, std::uint64_t step,
                                          std::uint64_t agent, Purpose purpose);

/// Latin hypercube (McKay, Beckman & Conover 1979): in every column each of the `points` strata
/// [s / points, (s + 1) / points) holds exactly one point. Column c puts row i in stratum
/// perm_c(i), a Fisher-Yates permutation, and jitters it uniformly within the stratum; values lie
/// in the open interval (0, 1), so quantiles of unbounded distributions stay finite.
/// \throws std::invalid_argument if points or factors is 0
[[nodiscard]] Eigen::MatrixXd latin_hypercube(std::size_t points, std::size_t factors, std::uint64_t seed);

/// Most factors sobol_sequence accepts: the size of Boost.Random's direction-number table
/// (Boost 1.74). saltelli() needs two columns per factor, so it accepts half as many.
inline constexpr std::size_t sobol_max_dimension = 3667;

/// The Sobol low-discrepancy sequence (Boost.Random `sobol`, Bratley & Fox 1988 with Gray-code
/// order, Antonov & Saleev 1979), rows `skip` .. `skip + points - 1`. Values lie in (0, 1).
///
/// The all-zeros point that opens the mathematical sequence is never returned (Boost skips it):
/// it maps to -infinity through the quantile of an unbounded distribution. Row 0 is therefore
/// (0.5, 0.5, ...). No later coordinate is 0 either, because each column's generator matrix is
/// invertible. The price (Owen 2020, "On dropping the first Sobol' point") is that the first 2^m
/// rows are not a perfectly balanced net; with thousands of points the effect on an estimate is
/// far below its sampling error.
///
/// Prefix property: the sequence is deterministic, so asking for more points never changes the
/// earlier ones, and sobol_sequence(n, k, s) equals rows s .. s + n - 1 of sobol_sequence(s + n, k).
/// A sweep can therefore be extended, or continued with `skip`, without discarding runs.
/// \throws std::invalid_argument if points or factors is 0, or factors > sobol_max_dimension
[[nodiscard]] Eigen::MatrixXd sobol_sequence(std::size_t points, std::size_t factors, std::uint64_t skip = 0);

/// Where each row of a Saltelli design lies. Rows are grouped by base sample j: group j holds
/// A_j, then AB_1j .. AB_kj (A_j with column i taken from B_j), then B_j, so row
/// j (k + 2) + 0 is A_j, j (k + 2) + 1 + i is AB_ij and j (k + 2) + k + 1 is B_j.
/// Why grouped, not block by block: the estimators need all k + 2 outputs of a base sample, so a
/// sweep stopped early, run in row order, holds complete groups and still gives estimates; and
/// more base samples are appended without renumbering earlier rows.
struct SaltelliLayout {
  /// What a row is.
  enum class Block { a, ab, b };
  /// The meaning of one row.
  struct Row {
    Block block = Block::a;
    /// The base sample j.
    std::size_t base_sample = 0;
    /// For Block::ab, the factor i whose column came from B; otherwise 0.
    std::size_t factor = 0;
  };

  /// N, the number of base samples (groups).
  std::size_t base_samples = 0;
  /// k, the number of factors.
  std::size_t factors = 0;

  /// Rows per base sample: k + 2.
  [[nodiscard]] std::size_t group_size() const { return factors + 2; }
  /// All rows: N (k + 2).
  [[nodiscard]] std::size_t rows() const { return base_samples * group_size(); }
  /// Row of A_j.
  [[nodiscard]] std::size_t row_a(std::size_t j) const { return j * group_size(); }
  /// Row of AB_ij, A_j with factor i's column from B_j.
  [[nodiscard]] std::size_t row_ab(std::size_t j, std::size_t i) const { return j * group_size() + 1 + i; }
  /// Row of B_j.
  [[nodiscard]] std::size_t row_b(std::size_t j) const { return j * group_size() + factors + 1; }
  /// The meaning of row `index` (the inverse of row_a, row_ab and row_b).
  [[nodiscard]] Row row(std::size_t index) const;
};

/// A Saltelli design and its layout.
struct SaltelliDesign {
  SaltelliLayout layout;
  /// layout.rows() x k points in [0, 1).
  Eigen::MatrixXd points;
};

/// Saltelli sampling for first-order and total Sobol indices (Saltelli 2002; Saltelli et al.
/// 2010): row j of a 2k-dimensional sobol_sequence(N, 2k, skip) gives A_j (its first k columns)
/// and B_j (its last k); rows laid out as SaltelliLayout says; values in (0, 1). N (k + 2)
/// model runs. Powers of two for N are customary but not required.
/// \throws std::invalid_argument if N or k is 0, or 2k > sobol_max_dimension
[[nodiscard]] SaltelliDesign saltelli(std::size_t base_samples, std::size_t factors, std::uint64_t skip = 0);

/// One move of a Morris trajectory: `factor` changes by direction * delta.
struct MorrisStep {
  std::size_t factor = 0;
  /// +1 or -1.
  int direction = 1;
};

/// A Morris screening design and what changes where.
struct MorrisDesign {
  std::size_t trajectories = 0;
  std::size_t factors = 0;
  /// p, the number of grid levels 0, 1/(p-1), ..., 1.
  std::size_t levels = 0;
  /// p / (2 (p - 1)), in unit-hypercube scale.
  double delta = 0.0;
  /// trajectories (k + 1) x k points on the grid, in [0, 1] (both ends included).
  Eigen::MatrixXd points;
  /// steps[t k + s] is the move from row(t, s) to row(t, s + 1).
  std::vector<MorrisStep> steps;

  /// Row of point s (0..k) of trajectory t: trajectories are consecutive blocks of k + 1 rows.
  [[nodiscard]] std::size_t row(std::size_t t, std::size_t s) const { return t * (factors + 1) + s; }
  /// The move between points s and s + 1 (s < k) of trajectory t.
  [[nodiscard]] const MorrisStep& step(std::size_t t, std::size_t s) const { return steps[t * factors + s]; }
};

/// Morris (1991) one-at-a-time trajectories on a p-level grid with delta = p / (2 (p - 1)):
/// for each trajectory a base point x* with every coordinate drawn uniformly from the levels
/// 0 .. 1 - delta, a direction +1 or -1 per factor (fair coin) and a random order of the factors
/// (Fisher-Yates). A factor moving up starts at x*_i, one moving down starts at x*_i + delta; then
/// the factors move by +-delta one at a time in that order, so each of the k + 1 points is on the
/// grid, consecutive points differ in exactly one factor, and every factor moves exactly once.
/// This is Morris's B* = (J x* + delta/2 ((2B - J) D* + J)) P*, written as moves; every level
/// is visited equally often in expectation. Note the grid includes 0 and 1: give unbounded
/// factors a truncated distribution.
/// Draws: stream (seed, tag per use), counter (t, factor or position, choose, draw).
/// \throws std::invalid_argument if trajectories or factors is 0, or levels is odd or below 2
[[nodiscard]] MorrisDesign morris(std::size_t trajectories, std::size_t factors, std::size_t levels,
                                  std::uint64_t seed);

/// The distribution of one sweep factor: maps a unit coordinate u to a parameter value through
/// its quantile function, so a design on the unit hypercube becomes parameter values with these
/// marginals. Named constructors validate their parameters and throw std::invalid_argument naming
/// the distribution and the problem. (Not the per-agent `Distribution` of spec.hpp.)
class FactorDistribution {
 public:
  enum class Kind { uniform, log_uniform, normal, truncated_normal, triangular, discrete };

  /// Uniform on [low, high]; both finite, low < high.
  [[nodiscard]] static FactorDistribution uniform(double low, double high);
  /// log(value) uniform on [log low, log high]; 0 < low < high, both finite. For factors that
  /// span orders of magnitude (rates, costs).
  [[nodiscard]] static FactorDistribution log_uniform(double low, double high);
  /// Normal(mean, sd), sd > 0, unbounded: value(0) and value(1) would be infinite and throw.
  [[nodiscard]] static FactorDistribution normal(double mean, double sd);
  /// Normal(mean, sd) truncated to [low, high]; finite low < high (one-sided truncation is not
  /// offered), and the interval must hold probability mass in double precision.
  [[nodiscard]] static FactorDistribution normal(double mean, double sd, double low, double high);
  /// Triangular on [low, high] with mode `mode`; low <= mode <= high, low < high, all finite.
  [[nodiscard]] static FactorDistribution triangular(double low, double mode, double high);
  /// Discrete over `count` values (count >= 1), equally likely: value(u) is the index
  /// floor(u count) (count - 1 at u = 1), which the caller uses to pick its value.
  [[nodiscard]] static FactorDistribution discrete(std::size_t count);

  /// The quantile at u in [0, 1] (an untruncated normal needs u in (0, 1)); the result lies
  /// within the distribution's bounds. Uses Boost.Math for the normal and triangular quantiles.
  /// Bitwise results depend on the platform's libm (log, exp) where those are used.
  /// \throws std::invalid_argument if u is NaN or outside that range
  [[nodiscard]] double value(double u) const;

  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  FactorDistribution(Kind kind, double a, double b, double c, double d) : kind_(kind), a_(a), b_(b), c_(c), d_(d) {}

  Kind kind_;
  // uniform, log_uniform: low, high. normal: mean, sd. truncated_normal: mean, sd, low, high.
  // triangular: low, mode, high. discrete: count.
  double a_;
  double b_;
  double c_;
  double d_;
};

/// Maps every column c of `unit` through factors[c].value.
/// \throws std::invalid_argument if the column count differs from factors.size(), or from value()
[[nodiscard]] Eigen::MatrixXd to_values(const Eigen::MatrixXd& unit, std::span<const FactorDistribution> factors);

}  // namespace commons::sim
