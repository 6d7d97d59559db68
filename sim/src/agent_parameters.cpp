// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/agent_parameters.hpp>

#include "columns.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace commons::sim {
namespace {

// Counters of one agent's parameter draws: (0, agent, initialise, base + k), k = 0, 1, ...
struct Draws {
  const RandomStream& random;
  std::uint64_t agent;
  std::uint64_t next;
  double uniform() { return random.uniform(0, agent, Purpose::initialise, next++); }
  double normal() { return random.normal(0, agent, Purpose::initialise, next++); }
};

// Marsaglia and Tsang (2000), "A simple method for generating gamma variables", with the
// boost U^(1/shape) for shape < 1. Rejection loops consume counters in sequence; the
// acceptance rate is above 95 %, so a hard cap of 1000 tries is never reached in practice and
// only guards against an infinite loop.
double gamma(Draws& draws, double shape) {
  if (shape < 1.0) return gamma(draws, shape + 1.0) * std::pow(draws.uniform(), 1.0 / shape);
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const double z = draws.normal();
    const double v = std::pow(1.0 + c * z, 3);
    if (v <= 0.0) continue;
    const double u = draws.uniform();
    if (std::log(u) < 0.5 * z * z + d - d * v + d * std::log(v)) return d * v;
  }
  return d;
}

}  // namespace

std::uint64_t parameter_draw_index(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  // Leave room below for the consecutive counters a beta or gamma draw consumes.
  return hash & ~std::uint64_t{0xFFFF};
}

double draw(const Distribution& distribution, const RandomStream& random, std::uint64_t agent,
            std::uint64_t draw_index) {
  Draws draws{random, agent, draw_index};
  switch (distribution.kind) {
    case Distribution::Kind::uniform:
      return distribution.first + (distribution.second - distribution.first) * draws.uniform();
    case Distribution::Kind::normal:
      return distribution.first + distribution.second * draws.normal();
    case Distribution::Kind::lognormal:
      return std::exp(distribution.first + distribution.second * draws.normal());
    case Distribution::Kind::beta: {
      const double x = gamma(draws, distribution.first);
      const double y = gamma(draws, distribution.second);
      return x / (x + y);
    }
    case Distribution::Kind::discrete: {
      const double total = std::accumulate(distribution.weights.begin(), distribution.weights.end(), 0.0);
      const double target = draws.uniform() * total;
      double cumulative = 0.0;
      for (std::size_t k = 0; k < distribution.values.size(); ++k) {
        cumulative += distribution.weights[k];
        if (target < cumulative) return distribution.values[k];
      }
      return distribution.values.back();
    }
  }
  return distribution.first;
}

std::vector<double> per_agent(const Parameters& parameters, std::string_view name,
                              std::span<const std::uint64_t> ids, const RandomStream& random, double fallback,
                              double low, double high) {
  if (const Distribution* distribution = parameters.distribution(name)) {
    const std::uint64_t index = parameter_draw_index(name);
    std::vector<double> values;
    detail::reserve_rows(values, ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
      values.push_back(std::clamp(draw(*distribution, random, ids[i], index), low, high));
    return values;
  }
  return detail::filled_column(ids.size(), parameters.contains(name) ? parameters.number(name) : fallback);
}

}  // namespace commons::sim
