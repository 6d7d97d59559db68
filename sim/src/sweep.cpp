// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/sweep.hpp>

#include <commons/sim/design.hpp>

#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace commons::sim {
namespace {

std::string number_text(double value) {
  // The shortest text that reads back as the same number.
  std::array<char, 64> text{};
  const auto [end, error] = std::to_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} ? std::string(text.data(), end) : std::to_string(value);
}

FactorDistribution distribution_of(const FactorSpec& factor) {
  if (factor.categorical()) return FactorDistribution::discrete(factor.levels.size());
  if (factor.distribution == "uniform") return FactorDistribution::uniform(factor.low, factor.high);
  if (factor.distribution == "log_uniform") return FactorDistribution::log_uniform(factor.low, factor.high);
  if (factor.distribution == "triangular") return FactorDistribution::triangular(factor.low, factor.mode, factor.high);
  if (factor.distribution == "normal") {
    if (std::isinf(factor.low) && std::isinf(factor.high)) return FactorDistribution::normal(factor.mean, factor.sd);
    return FactorDistribution::normal(factor.mean, factor.sd, factor.low, factor.high);
  }
  throw std::invalid_argument("factor " + factor.path + ": unknown distribution '" + factor.distribution + "'");
}

// The unit coordinates of a factor's levels in a factorial design.
std::vector<double> factorial_coordinates(const FactorSpec& factor) {
  std::vector<double> coordinates;
  if (factor.categorical()) {
    const auto n = factor.levels.size();
    for (std::size_t i = 0; i < n; ++i) coordinates.push_back((static_cast<double>(i) + 0.5) / static_cast<double>(n));
    return coordinates;
  }
  const std::int64_t n = factor.factorial_levels;
  if (n < 1) throw std::invalid_argument("factor " + factor.path + " needs levels in a factorial design");
  for (std::int64_t i = 0; i < n; ++i) {
    // A uniform range is cut evenly from end to end, as one would by hand; other distributions
    // at the midpoints of n equally likely intervals.
    if (factor.distribution == "uniform")
      coordinates.push_back(n == 1 ? 0.5 : static_cast<double>(i) / static_cast<double>(n - 1));
    else
      coordinates.push_back((static_cast<double>(i) + 0.5) / static_cast<double>(n));
  }
  return coordinates;
}

// Every combination of the factors' coordinates, the last factor changing fastest.
std::vector<std::vector<double>> cross(const std::vector<std::vector<double>>& axes) {
  std::vector<std::vector<double>> rows{{}};
  for (const std::vector<double>& axis : axes) {
    std::vector<std::vector<double>> next;
    next.reserve(rows.size() * axis.size());
    for (const std::vector<double>& row : rows)
      for (const double coordinate : axis) {
        next.push_back(row);
        next.back().push_back(coordinate);
      }
    rows = std::move(next);
  }
  return rows;
}

std::size_t level_index(const FactorSpec& factor, const Level& level) {
  const auto found = std::find(factor.levels.begin(), factor.levels.end(), level);
  if (found == factor.levels.end())
    throw std::invalid_argument("factor " + factor.path + ": '" + level.to_string() + "' is not one of its levels");
  return static_cast<std::size_t>(found - factor.levels.begin());
}

// What a run records and the loader sets for a level: its number, or its index.
double recorded(const FactorSpec& factor, std::size_t index) {
  return factor.numeric() ? factor.levels[index].number : static_cast<double>(index);
}

}  // namespace

std::string Level::to_string() const {
  switch (type) {
    case Type::number: return number_text(number);
    case Type::flag: return flag ? "true" : "false";
    case Type::text: break;
  }
  return text;
}

bool FactorSpec::numeric() const {
  return std::all_of(levels.begin(), levels.end(), [](const Level& level) { return level.type == Level::Type::number; });
}

double FactorSpec::value_at(double u) const {
  const double value = distribution_of(*this).value(u);
  if (!categorical()) return integer ? std::nearbyint(value) : value;
  const auto index = std::min(static_cast<std::size_t>(value), levels.size() - 1);
  return recorded(*this, index);
}

std::string FactorSpec::describe() const {
  if (categorical()) {
    std::string text = "one of";
    for (const Level& level : levels) text += " " + level.to_string();
    return text;
  }
  const std::string bounds = "[" + number_text(low) + ", " + number_text(high) + "]";
  if (distribution == "uniform") return "uniform on " + bounds;
  if (distribution == "log_uniform") return "log-uniform on " + bounds;
  if (distribution == "triangular") return "triangular on " + bounds + " with mode " + number_text(mode);
  std::string text = "normal with mean " + number_text(mean) + " and sd " + number_text(sd);
  if (!std::isinf(low) || !std::isinf(high)) text += ", truncated to " + bounds;
  return text;
}

std::vector<const FactorSpec*> SweepSpec::factors() const {
  std::vector<const FactorSpec*> all;
  for (const FactorSpec& factor : parameters) all.push_back(&factor);
  for (const FactorSpec& factor : levers) all.push_back(&factor);
  return all;
}

std::int64_t SweepSpec::variant_at(std::span<const double> values) const {
  const std::vector<const FactorSpec*> all = factors();
  for (std::size_t f = 0; f < all.size() && f < values.size(); ++f)
    if (all[f]->path == "variant") return variant_of_level.at(static_cast<std::size_t>(values[f]));
  return 0;
}

std::string design_name(SweepSpec::Design design) {
  switch (design) {
    case SweepSpec::Design::factorial: return "factorial";
    case SweepSpec::Design::list: return "list";
    case SweepSpec::Design::latin_hypercube: return "latin_hypercube";
    case SweepSpec::Design::sobol: return "sobol";
    case SweepSpec::Design::saltelli: return "saltelli";
    case SweepSpec::Design::morris: return "morris";
  }
  return "unknown";
}

SweepDesign expand(const SweepSpec& sweep) {
  SweepDesign design;
  const std::size_t p = sweep.parameters.size();
  using Design = SweepSpec::Design;
  if (p == 0 && sweep.design != Design::factorial)
    throw std::invalid_argument("a " + design_name(sweep.design) + " design needs at least one parameter");

  // The parameters' design, first in the unit hypercube.
  Eigen::MatrixXd unit;
  const auto samples = static_cast<std::size_t>(sweep.samples);
  switch (sweep.design) {
    case Design::factorial: {
      std::vector<std::vector<double>> axes;
      for (const FactorSpec& factor : sweep.parameters) axes.push_back(factorial_coordinates(factor));
      const std::vector<std::vector<double>> rows = cross(axes);
      unit.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(p));
      for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t f = 0; f < p; ++f) unit(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(f)) = rows[r][f];
      break;
    }
    case Design::list:
      unit = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(sweep.points.size()), static_cast<Eigen::Index>(p),
                                       std::numeric_limits<double>::quiet_NaN());
      break;
    case Design::latin_hypercube: unit = latin_hypercube(samples, p, sweep.design_seed); break;
    case Design::sobol: unit = sobol_sequence(samples, p); break;
    case Design::saltelli: {
      SaltelliDesign saltelli_design = saltelli(samples, p);
      design.group_size = static_cast<std::int64_t>(saltelli_design.layout.group_size());
      unit = std::move(saltelli_design.points);
      break;
    }
    case Design::morris: {
      MorrisDesign morris_design =
          morris(samples, p, static_cast<std::size_t>(sweep.grid_levels), sweep.design_seed);
      design.group_size = static_cast<std::int64_t>(p + 1);
      unit = std::move(morris_design.points);
      break;
    }
  }

  design.points = static_cast<std::int64_t>(unit.rows());
  design.unit.resize(static_cast<std::size_t>(unit.rows()) * p);
  design.parameter_values.resize(design.unit.size());
  for (Eigen::Index r = 0; r < unit.rows(); ++r) {
    for (std::size_t f = 0; f < p; ++f) {
      const FactorSpec& factor = sweep.parameters[f];
      const std::size_t at = static_cast<std::size_t>(r) * p + f;
      const double u = unit(r, static_cast<Eigen::Index>(f));
      design.unit[at] = u;
      design.parameter_values[at] = sweep.design == Design::list
                                        ? recorded(factor, level_index(factor, sweep.points[static_cast<std::size_t>(r)][f]))
                                        : factor.value_at(u);
    }
  }

  // Every combination of the levers' levels.
  std::vector<std::vector<double>> axes;
  for (const FactorSpec& lever : sweep.levers) {
    if (!lever.categorical()) throw std::invalid_argument("lever " + lever.path + " needs values");
    std::vector<double> axis;
    for (std::size_t i = 0; i < lever.levels.size(); ++i) axis.push_back(recorded(lever, i));
    axes.push_back(std::move(axis));
  }
  const std::vector<std::vector<double>> policies = cross(axes);
  design.policies = static_cast<std::int64_t>(policies.size());
  for (const std::vector<double>& policy : policies)
    design.lever_values.insert(design.lever_values.end(), policy.begin(), policy.end());
  return design;
}

std::uint64_t stream_word(const SweepSpec& sweep, std::span<const double> parameter_values) {
  // FNV-1a over each parameter's path and the bits of its value: a function of what the point
  // is, not of where it stands in the design.
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  const auto mix = [&hash](std::uint64_t byte) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  };
  for (std::size_t f = 0; f < sweep.parameters.size() && f < parameter_values.size(); ++f) {
    for (const char c : sweep.parameters[f].path) mix(static_cast<unsigned char>(c));
    mix(0);
    // +0.0 and -0.0 are the same value.
    const double value = parameter_values[f] == 0.0 ? 0.0 : parameter_values[f];
    const auto bits = std::bit_cast<std::uint64_t>(value);
    for (int shift = 0; shift < 64; shift += 8) mix((bits >> shift) & 0xffU);
  }
  return hash == 0 ? 1 : hash;
}

std::pair<std::uint64_t, std::uint64_t> stream_key(std::uint64_t seed, std::uint64_t replicate, std::uint64_t stream) {
  if (stream == 0) return {seed, replicate};
  // Philox as a keyed hash of (seed, replicate, stream) to a 128-bit key: distinct inputs give
  // unrelated keys, and no sweep key equals an unswept (seed, replicate) key but by chance
  // (2^-128).
  constexpr std::uint64_t tag = 0x5357454550ULL;  // "SWEEP"
  const r123::Philox4x64::ctr_type counter{{seed, replicate, stream, tag}};
  const r123::Philox4x64::key_type key{{tag, 0}};
  const auto out = r123::Philox4x64{}(counter, key);
  return {out.v[0], out.v[1]};
}

}  // namespace commons::sim
