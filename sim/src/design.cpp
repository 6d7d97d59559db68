// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/design.hpp>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace commons::sim {
namespace {

// Second key words of the designs' streams. Runs key their streams with (seed, replicate), and
// replicates are small numbers, so tags with high bits set keep a design's draws apart from any
// run's with the same seed, and each use apart from the others.
constexpr std::uint64_t latin_order_tag = 0xD35'1600'0000'0001;
constexpr std::uint64_t latin_jitter_tag = 0xD35'1600'0000'0002;
constexpr std::uint64_t morris_base_tag = 0xD35'1600'0000'0003;
constexpr std::uint64_t morris_direction_tag = 0xD35'1600'0000'0004;
constexpr std::uint64_t morris_order_tag = 0xD35'1600'0000'0005;

// Largest double below 1: where rounding would reach 1, a half-open design stays half-open.
constexpr double below_one = 1.0 - 0x1.0p-53;

static_assert(sobol_max_dimension == BOOST_RANDOM_SOBOL_MAX_DIMENSION, "sobol_max_dimension must follow Boost's table");

[[noreturn]] void invalid(const std::string& message) { throw std::invalid_argument(message); }

// "name: message (got a = 1, b = 2)" with default stream formatting of the numbers.
std::string got(const char* name, const char* message, std::initializer_list<std::pair<const char*, double>> values) {
  std::ostringstream text;
  text << name << ": " << message << " (got ";
  const char* separator = "";
  for (const auto& [label, number] : values) {
    text << separator << label << " = " << number;
    separator = ", ";
  }
  text << ')';
  return text.str();
}

void require_positive(std::size_t count, const char* design, const char* what) {
  if (count == 0) invalid(std::string(design) + ": " + what + " must be at least 1");
}

// Fisher-Yates (Durstenfeld) shuffle of 0..n-1: position i - 1 swaps with a uniform index below
// i, drawn at counter (step, i - 1); the permutation is a pure function of (stream, step).
std::vector<std::size_t> random_permutation(std::size_t n, const RandomStream& random, std::uint64_t step) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) {
    const auto j = static_cast<std::size_t>(uniform_index(random, i, step, i - 1, Purpose::choose));
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

// Boost's 64-bit Sobol words are m / 2^64 with m < 2^64; the first 2^53 points have at most 53
// significant bits, so the product is exact and below 1.
double sobol_to_unit(std::uint64_t word) { return std::min(static_cast<double>(word) * 0x1.0p-64, below_one); }

double normal_value(double mean, double sd, double u) {
  const boost::math::normal_distribution<double> standard;
  return mean + sd * boost::math::quantile(standard, u);
}

// Inverse-CDF sampling of the standard normal truncated to [a, b]: Phi^-1(Phi(a) + u (Phi(b) -
// Phi(a))). An interval in the upper tail is reflected into the lower one, where Phi keeps its
// relative precision (1 - Phi(a) would cancel).
double truncated_standard_normal(double a, double b, double u) {
  if (a > 0.0) return -truncated_standard_normal(-b, -a, 1.0 - u);
  const boost::math::normal_distribution<double> standard;
  const double lower = boost::math::cdf(standard, a);
  const double upper = boost::math::cdf(standard, b);
  const double p = lower + u * (upper - lower);
  // p can only be 0 when lower is (u = 0 or a far in the tail): the value is then a itself.
  if (!(p > 0.0)) return a;
  return std::clamp(boost::math::quantile(standard, std::min(p, below_one)), a, b);
}

}  // namespace

void uniform_indices(const RandomStream& random, std::uint64_t n, std::uint64_t step, std::uint64_t agent,
                     Purpose purpose, std::span<std::uint64_t> out) {
  if (n == 0) invalid("uniform_indices: n must be at least 1");
  // 2^64 mod n, computed in 64 bits: the words below it are the incomplete last copy of [0, n).
  const std::uint64_t threshold = (std::uint64_t{0} - n) % n;
  std::size_t filled = 0;
  for (std::uint64_t draw = 0; filled < out.size(); ++draw) {
    for (const std::uint64_t word : random.bits(step, agent, purpose, draw)) {
      if (word < threshold) continue;
      out[filled++] = word % n;
      if (filled == out.size()) break;
    }
  }
}

std::uint64_t uniform_index(const RandomStream& random, std::uint64_t n, std::uint64_t step, std::uint64_t agent,
                            Purpose purpose) {
  std::uint64_t index = 0;
  uniform_indices(random, n, step, agent, purpose, std::span<std::uint64_t>(&index, 1));
  return index;
}

Eigen::MatrixXd latin_hypercube(std::size_t points, std::size_t factors, std::uint64_t seed) {
  require_positive(points, "latin_hypercube", "points");
  require_positive(factors, "latin_hypercube", "factors");
  const RandomStream order_stream(seed, latin_order_tag);
  const RandomStream jitter_stream(seed, latin_jitter_tag);
  const auto n = static_cast<double>(points);
  Eigen::MatrixXd design(static_cast<Eigen::Index>(points), static_cast<Eigen::Index>(factors));
  for (std::size_t c = 0; c < factors; ++c) {
    const std::vector<std::size_t> stratum = random_permutation(points, order_stream, c);
    for (std::size_t i = 0; i < points; ++i) {
      const double jitter = jitter_stream.uniform(c, i, Purpose::choose);
      // jitter is in (0, 1) but (n - 1 + jitter) / n can round up to 1.
      const double value = std::min((static_cast<double>(stratum[i]) + jitter) / n, below_one);
      design(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = value;
    }
  }
  return design;
}

Eigen::MatrixXd sobol_sequence(std::size_t points, std::size_t factors, std::uint64_t skip) {
  require_positive(points, "sobol_sequence", "points");
  require_positive(factors, "sobol_sequence", "factors");
  if (factors > sobol_max_dimension) {
    invalid("sobol_sequence: " + std::to_string(factors) + " factors exceed the " +
            std::to_string(sobol_max_dimension) + " dimensions of Boost.Random's Sobol table");
  }
  boost::random::sobol engine(factors);
  // seed(s) positions the engine so that its next point is row s of the sequence.
  if (skip > 0) engine.seed(skip);
  Eigen::MatrixXd design(static_cast<Eigen::Index>(points), static_cast<Eigen::Index>(factors));
  // Boost hands out a point's coordinates one call at a time, in column order.
  for (Eigen::Index row = 0; row < design.rows(); ++row) {
    for (Eigen::Index column = 0; column < design.cols(); ++column) design(row, column) = sobol_to_unit(engine());
  }
  return design;
}

SaltelliLayout::Row SaltelliLayout::row(std::size_t index) const {
  const std::size_t j = index / group_size();
  const std::size_t position = index % group_size();
  if (position == 0) return {Block::a, j, 0};
  if (position == factors + 1) return {Block::b, j, 0};
  return {Block::ab, j, position - 1};
}

SaltelliDesign saltelli(std::size_t base_samples, std::size_t factors, std::uint64_t skip) {
  require_positive(base_samples, "saltelli", "base_samples");
  require_positive(factors, "saltelli", "factors");
  if (2 * factors > sobol_max_dimension) {
    invalid("saltelli: " + std::to_string(factors) + " factors need " + std::to_string(2 * factors) +
            " Sobol dimensions, more than the " + std::to_string(sobol_max_dimension) + " available");
  }
  const Eigen::MatrixXd base = sobol_sequence(base_samples, 2 * factors, skip);
  const auto k = static_cast<Eigen::Index>(factors);
  SaltelliDesign design{{base_samples, factors}, Eigen::MatrixXd(static_cast<Eigen::Index>(0), k)};
  design.points.resize(static_cast<Eigen::Index>(design.layout.rows()), k);
  for (std::size_t j = 0; j < base_samples; ++j) {
    const auto a = base.row(static_cast<Eigen::Index>(j)).head(k);
    const auto b = base.row(static_cast<Eigen::Index>(j)).tail(k);
    design.points.row(static_cast<Eigen::Index>(design.layout.row_a(j))) = a;
    design.points.row(static_cast<Eigen::Index>(design.layout.row_b(j))) = b;
    for (std::size_t i = 0; i < factors; ++i) {
      const auto row = static_cast<Eigen::Index>(design.layout.row_ab(j, i));
      design.points.row(row) = a;
      design.points(row, static_cast<Eigen::Index>(i)) = b(static_cast<Eigen::Index>(i));
    }
  }
  return design;
}

MorrisDesign morris(std::size_t trajectories, std::size_t factors, std::size_t levels, std::uint64_t seed) {
  require_positive(trajectories, "morris", "trajectories");
  require_positive(factors, "morris", "factors");
  if (levels < 2 || levels % 2 != 0) {
    // With odd p, delta = p / (2 (p - 1)) is not a whole number of grid steps.
    invalid("morris: levels must be even and at least 2 (got " + std::to_string(levels) + ")");
  }
  // Work in integer level indices 0..p-1 so that every point is exactly on the grid; delta is
  // half = p / 2 grid steps.
  const std::size_t half = levels / 2;
  const auto spacing = static_cast<double>(levels - 1);
  const RandomStream base_stream(seed, morris_base_tag);
  const RandomStream direction_stream(seed, morris_direction_tag);
  const RandomStream order_stream(seed, morris_order_tag);

  MorrisDesign design{trajectories, factors, levels, static_cast<double>(half) / spacing, {}, {}};
  design.points.resize(static_cast<Eigen::Index>(trajectories * (factors + 1)), static_cast<Eigen::Index>(factors));
  design.steps.reserve(trajectories * factors);
  std::vector<std::size_t> level(factors);
  std::vector<int> direction(factors);
  for (std::size_t t = 0; t < trajectories; ++t) {
    for (std::size_t i = 0; i < factors; ++i) {
      direction[i] = uniform_index(direction_stream, 2, t, i, Purpose::choose) == 0 ? 1 : -1;
      // Base level in 0 .. p/2 - 1 (x* in 0 .. 1 - delta); a factor moving down starts delta above.
      const auto base = static_cast<std::size_t>(uniform_index(base_stream, half, t, i, Purpose::choose));
      level[i] = direction[i] > 0 ? base : base + half;
    }
    const std::vector<std::size_t> order = random_permutation(factors, order_stream, t);
    for (std::size_t s = 0; s <= factors; ++s) {
      if (s > 0) {
        const std::size_t moved = order[s - 1];
        level[moved] = direction[moved] > 0 ? level[moved] + half : level[moved] - half;
        design.steps.push_back({moved, direction[moved]});
      }
      const auto row = static_cast<Eigen::Index>(design.row(t, s));
      for (std::size_t i = 0; i < factors; ++i) {
        design.points(row, static_cast<Eigen::Index>(i)) = static_cast<double>(level[i]) / spacing;
      }
    }
  }
  return design;
}

FactorDistribution FactorDistribution::uniform(double low, double high) {
  if (!std::isfinite(low) || !std::isfinite(high)) {
    invalid(got("uniform", "low and high must be finite", {{"low", low}, {"high", high}}));
  }
  if (!(low < high)) invalid(got("uniform", "low must be below high", {{"low", low}, {"high", high}}));
  return {Kind::uniform, low, high, 0.0, 0.0};
}

FactorDistribution FactorDistribution::log_uniform(double low, double high) {
  if (!std::isfinite(low) || !std::isfinite(high)) {
    invalid(got("log_uniform", "low and high must be finite", {{"low", low}, {"high", high}}));
  }
  if (!(low > 0.0)) invalid(got("log_uniform", "low must be positive", {{"low", low}}));
  if (!(low < high)) invalid(got("log_uniform", "low must be below high", {{"low", low}, {"high", high}}));
  return {Kind::log_uniform, low, high, 0.0, 0.0};
}

FactorDistribution FactorDistribution::normal(double mean, double sd) {
  if (!std::isfinite(mean)) invalid(got("normal", "mean must be finite", {{"mean", mean}}));
  if (!std::isfinite(sd) || !(sd > 0.0)) invalid(got("normal", "sd must be positive and finite", {{"sd", sd}}));
  return {Kind::normal, mean, sd, 0.0, 0.0};
}

FactorDistribution FactorDistribution::normal(double mean, double sd, double low, double high) {
  const FactorDistribution untruncated = normal(mean, sd);
  if (!std::isfinite(low) || !std::isfinite(high)) {
    invalid(got("truncated normal", "low and high must be finite", {{"low", low}, {"high", high}}));
  }
  if (!(low < high)) invalid(got("truncated normal", "low must be below high", {{"low", low}, {"high", high}}));
  // Mass of [a, b] for the standard normal, in the tail where it is computed accurately.
  double a = (low - mean) / sd;
  double b = (high - mean) / sd;
  if (a > 0.0) std::tie(a, b) = std::pair{-b, -a};
  const boost::math::normal_distribution<double> standard;
  if (!(boost::math::cdf(standard, b) > boost::math::cdf(standard, a))) {
    invalid(got("truncated normal", "[low, high] holds no probability mass in double precision",
                {{"mean", mean}, {"sd", sd}, {"low", low}, {"high", high}}));
  }
  return {Kind::truncated_normal, untruncated.a_, untruncated.b_, low, high};
}

FactorDistribution FactorDistribution::triangular(double low, double mode, double high) {
  if (!std::isfinite(low) || !std::isfinite(mode) || !std::isfinite(high)) {
    invalid(got("triangular", "low, mode and high must be finite", {{"low", low}, {"mode", mode}, {"high", high}}));
  }
  if (!(low < high)) invalid(got("triangular", "low must be below high", {{"low", low}, {"high", high}}));
  if (!(low <= mode && mode <= high)) {
    invalid(got("triangular", "mode must lie in [low, high]", {{"low", low}, {"mode", mode}, {"high", high}}));
  }
  return {Kind::triangular, low, mode, high, 0.0};
}

FactorDistribution FactorDistribution::discrete(std::size_t count) {
  if (count == 0) invalid("discrete: count must be at least 1");
  return {Kind::discrete, static_cast<double>(count), 0.0, 0.0, 0.0};
}

double FactorDistribution::value(double u) const {
  if (!(u >= 0.0 && u <= 1.0)) invalid(got("FactorDistribution::value", "u must lie in [0, 1]", {{"u", u}}));
  switch (kind_) {
    case Kind::uniform:
      return std::clamp(a_ + u * (b_ - a_), a_, b_);
    case Kind::log_uniform:
      return std::clamp(std::exp(std::log(a_) + u * (std::log(b_) - std::log(a_))), a_, b_);
    case Kind::normal:
      if (u == 0.0 || u == 1.0) {
        invalid(got("normal", "u = 0 or 1 maps to infinity; truncate the distribution or use a design in (0, 1)",
                    {{"u", u}}));
      }
      return normal_value(a_, b_, u);
    case Kind::truncated_normal:
      return std::clamp(a_ + b_ * truncated_standard_normal((c_ - a_) / b_, (d_ - a_) / b_, u), c_, d_);
    case Kind::triangular:
      return boost::math::quantile(boost::math::triangular_distribution<double>(a_, b_, c_), u);
    case Kind::discrete:
      return std::min(std::floor(u * a_), a_ - 1.0);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

Eigen::MatrixXd to_values(const Eigen::MatrixXd& unit, std::span<const FactorDistribution> factors) {
  if (static_cast<std::size_t>(unit.cols()) != factors.size()) {
    invalid("to_values: the design has " + std::to_string(unit.cols()) + " columns but " +
            std::to_string(factors.size()) + " distributions were given");
  }
  Eigen::MatrixXd values(unit.rows(), unit.cols());
  for (Eigen::Index c = 0; c < unit.cols(); ++c) {
    for (Eigen::Index r = 0; r < unit.rows(); ++r) values(r, c) = factors[static_cast<std::size_t>(c)].value(unit(r, c));
  }
  return values;
}

}  // namespace commons::sim
