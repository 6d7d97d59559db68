// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/sensitivity.hpp>

#include <commons/sim/random.hpp>

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>

namespace commons::sim {
namespace {

// Second key words of the bootstraps' streams, apart from runs' (seed, replicate) and designs'.
constexpr std::uint64_t base_sample_bootstrap_tag = 0x5E45'1700'0000'0001;
constexpr std::uint64_t replicate_bootstrap_tag = 0x5E45'1700'0000'0002;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void invalid(const std::string& message) { throw std::invalid_argument(message); }

void require_confidence(double confidence, const char* where) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    invalid(std::string(where) + ": confidence must lie in (0, 1) (got " + std::to_string(confidence) + ")");
  }
}

double mean_of(std::span<const double> values) {
  if (values.empty()) return nan;
  double sum = 0.0;
  for (const double value : values) sum += value;
  return sum / static_cast<double>(values.size());
}

// Variance with divisor n - ddof by Welford's update (stable without a second pass), so that
// equal values give exactly 0: a model whose replicates agree reports no noise at all.
double variance_of(std::span<const double> values, std::size_t ddof) {
  if (values.size() <= ddof) return nan;
  double mean = 0.0;
  double squares = 0.0;
  double n = 0.0;
  for (const double value : values) {
    n += 1.0;
    const double change = value - mean;
    mean += change / n;
    squares += change * (value - mean);
  }
  return squares / static_cast<double>(values.size() - ddof);
}

double sd_of(std::span<const double> values) {
  const double variance = variance_of(values, 1);
  return std::isfinite(variance) ? std::sqrt(variance) : nan;
}

std::vector<double> row_values(const Eigen::MatrixXd& outputs, Eigen::Index row) {
  std::vector<double> values(static_cast<std::size_t>(outputs.cols()));
  for (Eigen::Index c = 0; c < outputs.cols(); ++c) values[static_cast<std::size_t>(c)] = outputs(row, c);
  return values;
}

bool row_finite(const Eigen::MatrixXd& outputs, Eigen::Index row) {
  for (Eigen::Index c = 0; c < outputs.cols(); ++c) {
    if (!std::isfinite(outputs(row, c))) return false;
  }
  return true;
}

// True if every row in [first, first + count) is finite: a group or trajectory that can be used.
bool rows_finite(const Eigen::MatrixXd& outputs, std::size_t first, std::size_t count) {
  for (std::size_t r = first; r < first + count; ++r) {
    if (!row_finite(outputs, static_cast<Eigen::Index>(r))) return false;
  }
  return true;
}

std::vector<double> row_means(const Eigen::MatrixXd& outputs) {
  std::vector<double> means(static_cast<std::size_t>(outputs.rows()));
  for (Eigen::Index r = 0; r < outputs.rows(); ++r) means[static_cast<std::size_t>(r)] = mean_of(row_values(outputs, r));
  return means;
}

// Row means after drawing each row's R replicates R times with replacement; resample b, row r
// draws at counter (b, r, choose, ...).
std::vector<double> resampled_row_means(const Eigen::MatrixXd& outputs, const RandomStream& random, std::uint64_t b) {
  const auto replicates = static_cast<std::size_t>(outputs.cols());
  std::vector<std::uint64_t> picks(replicates);
  std::vector<double> means(static_cast<std::size_t>(outputs.rows()));
  for (Eigen::Index r = 0; r < outputs.rows(); ++r) {
    uniform_indices(random, replicates, b, static_cast<std::uint64_t>(r), Purpose::choose, picks);
    double sum = 0.0;
    for (const std::uint64_t c : picks) sum += outputs(r, static_cast<Eigen::Index>(c));
    means[static_cast<std::size_t>(r)] = sum / static_cast<double>(replicates);
  }
  return means;
}

// Mean within-row variance (divisor R - 1) of `rows`, over R: the noise left in a row mean.
double noise_variance_of_means(const Eigen::MatrixXd& outputs, std::span<const std::size_t> rows) {
  if (outputs.cols() < 2 || rows.empty()) return nan;
  std::vector<double> within(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    within[i] = variance_of(row_values(outputs, static_cast<Eigen::Index>(rows[i])), 1);
  }
  return mean_of(within) / static_cast<double>(outputs.cols());
}

// Quantile p of sorted values, interpolating linearly between order statistics (Hyndman & Fan
// type 7).
double sorted_quantile(std::span<const double> sorted, double p) {
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(h));
  if (below + 1 >= sorted.size()) return sorted.back();
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[below + 1] - sorted[below]);
}

struct Spread {
  double low = nan;
  double high = nan;
  double sd = nan;
};

// Percentile interval and standard deviation of resampled values, the undefined ones left out
// (NaN would also break the sort's ordering).
Spread spread_of(std::vector<double> values, double confidence) {
  std::erase_if(values, [](double value) { return !std::isfinite(value); });
  Spread spread;
  spread.sd = sd_of(values);
  if (values.empty()) return spread;
  std::sort(values.begin(), values.end());
  spread.low = sorted_quantile(values, (1.0 - confidence) / 2.0);
  spread.high = sorted_quantile(values, (1.0 + confidence) / 2.0);
  return spread;
}

// Outputs of the Saltelli groups used, in group order; ab[g k + i] is AB_i of group g.
struct GroupOutputs {
  std::size_t factors = 0;
  std::vector<double> a;
  std::vector<double> b;
  std::vector<double> ab;
};

GroupOutputs gather(std::span<const double> means, std::span<const std::size_t> groups, const SaltelliLayout& layout) {
  GroupOutputs y{layout.factors, {}, {}, {}};
  for (const std::size_t j : groups) {
    y.a.push_back(means[layout.row_a(j)]);
    y.b.push_back(means[layout.row_b(j)]);
    for (std::size_t i = 0; i < layout.factors; ++i) y.ab.push_back(means[layout.row_ab(j, i)]);
  }
  return y;
}

struct SobolEstimate {
  std::vector<double> first;
  std::vector<double> total;
  double variance = nan;
};

// Indices from the groups `picks` (indices into y, repeats allowed, as a bootstrap draws them).
SobolEstimate estimate_sobol(const GroupOutputs& y, std::span<const std::uint64_t> picks) {
  const std::size_t k = y.factors;
  SobolEstimate estimate{std::vector<double>(k, nan), std::vector<double>(k, nan), nan};
  if (picks.empty()) return estimate;
  const auto n = static_cast<double>(picks.size());
  // V(Y) from the A and B outputs together, as they are both plain samples of Y.
  double sum = 0.0;
  for (const std::uint64_t g : picks) sum += y.a[g] + y.b[g];
  const double mean = sum / (2.0 * n);
  double squares = 0.0;
  for (const std::uint64_t g : picks) {
    squares += (y.a[g] - mean) * (y.a[g] - mean) + (y.b[g] - mean) * (y.b[g] - mean);
  }
  estimate.variance = squares / (2.0 * n);
  if (!(estimate.variance > 0.0)) return estimate;
  for (std::size_t i = 0; i < k; ++i) {
    double first = 0.0;
    double total = 0.0;
    for (const std::uint64_t g : picks) {
      const double ab = y.ab[g * k + i];
      first += y.b[g] * (ab - y.a[g]);
      total += (y.a[g] - ab) * (y.a[g] - ab);
    }
    estimate.first[i] = first / n / estimate.variance;
    estimate.total[i] = total / (2.0 * n) / estimate.variance;
  }
  return estimate;
}

std::vector<std::uint64_t> all_of(std::size_t n) {
  std::vector<std::uint64_t> picks(n);
  std::iota(picks.begin(), picks.end(), std::uint64_t{0});
  return picks;
}

// Replicate-resampled values of each of `count` measures, resample by resample.
template <typename Measure>
std::vector<std::vector<double>> replicate_resamples(const Eigen::MatrixXd& outputs, std::size_t resamples,
                                                     std::uint64_t seed, std::size_t count, Measure measure) {
  std::vector<std::vector<double>> values(count);
  if (outputs.cols() < 2) return values;
  const RandomStream random(seed, replicate_bootstrap_tag);
  for (std::size_t b = 0; b < resamples; ++b) {
    const std::vector<double> measured = measure(resampled_row_means(outputs, random, b));
    for (std::size_t m = 0; m < count; ++m) values[m].push_back(measured[m]);
  }
  return values;
}

// mu, mu* and sigma of each factor in turn (3 k values) from the trajectories given.
std::vector<double> morris_measures(std::span<const double> means, const MorrisDesign& design,
                                    std::span<const std::size_t> trajectories) {
  const std::size_t k = design.factors;
  // effects[i][n]: elementary effect of factor i in the n-th trajectory used.
  std::vector<std::vector<double>> effects(k);
  for (const std::size_t t : trajectories) {
    for (std::size_t s = 0; s < k; ++s) {
      const MorrisStep& step = design.step(t, s);
      const double change = means[design.row(t, s + 1)] - means[design.row(t, s)];
      effects[step.factor].push_back(change / (step.direction * design.delta));
    }
  }
  std::vector<double> measures;
  for (std::size_t i = 0; i < k; ++i) {
    std::vector<double> absolute(effects[i].size());
    std::transform(effects[i].begin(), effects[i].end(), absolute.begin(), [](double e) { return std::abs(e); });
    measures.push_back(mean_of(effects[i]));
    measures.push_back(mean_of(absolute));
    measures.push_back(sd_of(effects[i]));
  }
  return measures;
}

}  // namespace

ReplicateSummary summarize_replicates(const Eigen::MatrixXd& outputs, double confidence) {
  require_confidence(confidence, "summarize_replicates");
  const Eigen::Index rows = outputs.rows();
  ReplicateSummary summary{confidence, std::vector<std::size_t>(static_cast<std::size_t>(rows)),
                           Eigen::VectorXd::Constant(rows, nan), Eigen::VectorXd::Constant(rows, nan),
                           Eigen::VectorXd::Constant(rows, nan), Eigen::VectorXd::Constant(rows, nan)};
  for (Eigen::Index r = 0; r < rows; ++r) {
    std::vector<double> values = row_values(outputs, r);
    std::erase_if(values, [](double value) { return !std::isfinite(value); });
    summary.count[static_cast<std::size_t>(r)] = values.size();
    summary.mean(r) = mean_of(values);
    if (values.size() < 2) continue;
    summary.sd(r) = std::sqrt(variance_of(values, 1));
    const boost::math::students_t_distribution<double> t(static_cast<double>(values.size() - 1));
    const double quantile = boost::math::quantile(boost::math::complement(t, (1.0 - confidence) / 2.0));
    const double half_width = quantile * summary.sd(r) / std::sqrt(static_cast<double>(values.size()));
    summary.low(r) = summary.mean(r) - half_width;
    summary.high(r) = summary.mean(r) + half_width;
  }
  return summary;
}

SobolIndices sobol_indices(std::size_t factors, const Eigen::MatrixXd& outputs, const SobolOptions& options) {
  if (factors == 0) invalid("sobol_indices: factors must be at least 1");
  if (outputs.cols() == 0) invalid("sobol_indices: outputs need at least one replicate column");
  const std::size_t group = factors + 2;
  const auto rows = static_cast<std::size_t>(outputs.rows());
  if (rows == 0 || rows % group != 0) {
    invalid("sobol_indices: " + std::to_string(rows) + " output rows are not a positive multiple of factors + 2 = " +
            std::to_string(group));
  }
  require_confidence(options.confidence, "sobol_indices");
  const SaltelliLayout layout{rows / group, factors};

  std::vector<std::size_t> used;
  std::vector<std::size_t> used_rows_ab;  // A and B rows of used groups, for noise_share
  for (std::size_t j = 0; j < layout.base_samples; ++j) {
    if (!rows_finite(outputs, layout.row_a(j), group)) continue;
    used.push_back(j);
    used_rows_ab.push_back(layout.row_a(j));
    used_rows_ab.push_back(layout.row_b(j));
  }
  SobolIndices result;
  result.groups_used = used.size();
  result.groups_dropped = layout.base_samples - used.size();

  const GroupOutputs y = gather(row_means(outputs), used, layout);
  const SobolEstimate point = estimate_sobol(y, all_of(used.size()));
  result.variance = point.variance;
  result.noise_share = noise_variance_of_means(outputs, used_rows_ab) / point.variance;

  // Bootstrap over base samples: resample b picks groups at counter (b, 0, choose, ...).
  std::vector<std::vector<double>> first(factors);
  std::vector<std::vector<double>> total(factors);
  if (!used.empty()) {
    const RandomStream random(options.seed, base_sample_bootstrap_tag);
    std::vector<std::uint64_t> picks(used.size());
    for (std::size_t b = 0; b < options.resamples; ++b) {
      uniform_indices(random, used.size(), b, 0, Purpose::choose, picks);
      const SobolEstimate resampled = estimate_sobol(y, picks);
      for (std::size_t i = 0; i < factors; ++i) {
        first[i].push_back(resampled.first[i]);
        total[i].push_back(resampled.total[i]);
      }
    }
  }

  // Replicate bootstrap: measures 0..k-1 are S_i, k..2k-1 are S_Ti.
  const auto by_replicates = replicate_resamples(
      outputs, used.empty() ? 0 : options.replicate_resamples, options.seed, 2 * factors,
      [&](const std::vector<double>& means) {
        const SobolEstimate resampled = estimate_sobol(gather(means, used, layout), all_of(used.size()));
        std::vector<double> measured = resampled.first;
        measured.insert(measured.end(), resampled.total.begin(), resampled.total.end());
        return measured;
      });

  for (std::size_t i = 0; i < factors; ++i) {
    const Spread first_spread = spread_of(first[i], options.confidence);
    const Spread total_spread = spread_of(total[i], options.confidence);
    result.first.push_back(
        {point.first[i], first_spread.low, first_spread.high, first_spread.sd, sd_of(by_replicates[i])});
    result.total.push_back(
        {point.total[i], total_spread.low, total_spread.high, total_spread.sd, sd_of(by_replicates[factors + i])});
  }
  return result;
}

MorrisEffects morris_effects(const MorrisDesign& design, const Eigen::MatrixXd& outputs, const MorrisOptions& options) {
  if (outputs.cols() == 0) invalid("morris_effects: outputs need at least one replicate column");
  const std::size_t k = design.factors;
  const std::size_t trajectory_rows = k + 1;
  const auto rows = static_cast<std::size_t>(outputs.rows());
  if (rows == 0 || rows % trajectory_rows != 0 || rows > static_cast<std::size_t>(design.points.rows())) {
    invalid("morris_effects: " + std::to_string(rows) + " output rows are not a positive multiple of factors + 1 = " +
            std::to_string(trajectory_rows) + " within the design's " + std::to_string(design.points.rows()) +
            " rows");
  }
  std::vector<std::size_t> used;
  std::vector<std::size_t> used_rows;
  for (std::size_t t = 0; t < rows / trajectory_rows; ++t) {
    if (!rows_finite(outputs, design.row(t, 0), trajectory_rows)) continue;
    used.push_back(t);
    for (std::size_t s = 0; s <= k; ++s) used_rows.push_back(design.row(t, s));
  }
  MorrisEffects result;
  result.trajectories_used = used.size();
  result.trajectories_dropped = rows / trajectory_rows - used.size();

  const std::vector<double> means = row_means(outputs);
  const std::vector<double> point = morris_measures(means, design, used);
  std::vector<double> used_means(used_rows.size());
  for (std::size_t n = 0; n < used_rows.size(); ++n) used_means[n] = means[used_rows[n]];
  result.noise_share = noise_variance_of_means(outputs, used_rows) / variance_of(used_means, 0);

  const auto by_replicates =
      replicate_resamples(outputs, used.empty() ? 0 : options.replicate_resamples, options.seed, 3 * k,
                          [&](const std::vector<double>& resampled) { return morris_measures(resampled, design, used); });
  for (std::size_t i = 0; i < k; ++i) {
    result.factors.push_back({point[3 * i], point[3 * i + 1], point[3 * i + 2], sd_of(by_replicates[3 * i]),
                              sd_of(by_replicates[3 * i + 1]), sd_of(by_replicates[3 * i + 2])});
  }
  return result;
}

}  // namespace commons::sim
