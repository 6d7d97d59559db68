// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// What agents may see of the resource at the start of a step, with optional noise.

#include <commons/sim/fast_math.hpp>
#include <commons/sim/random.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

namespace commons::sim {

/// The resource as agents perceive it. Values are true; each agent sees them through its own
/// multiplicative log-normal error (mean one), drawn from the run's stream so that every agent
/// errs independently and reproducibly.
struct Observation {
  /// Stock at the start of the step [resource units].
  double stock = 0.0;
  /// Harvest one unit of effort would take at this stock, before rationing
  /// [resource units / effort unit].
  double harvest_per_effort = 0.0;
  /// Standard deviation of the log of the observation error; 0 means agents see truth.
  double noise_sd = 0.0;
  const RandomStream* random = nullptr;
  std::int64_t step = 0;
  /// With sites: the stock and the harvest per unit of effort at each site, by site index;
  /// empty for a resource without sites, whose `stock` and `harvest_per_effort` say it all.
  std::span<const double> site_stock{};
  std::span<const double> site_harvest_per_effort{};

  /// The error factor agent `agent_id` applies to everything it observes this step:
  /// exp(sd z - sd^2 / 2) of the agent's normal draw z at (step, agent id, observe), through
  /// the polynomials of fast_math.hpp (within 1e-13 of libm's value; the test bounds it).
  [[nodiscard]] double error_factor(std::uint64_t agent_id) const {
    if (noise_sd == 0.0) return 1.0;
    const double z = random->fast_normal(static_cast<std::uint64_t>(step), agent_id, Purpose::observe);
    return exp_near(noise_sd * z - 0.5 * noise_sd * noise_sd);
  }
  /// `error_factor` of every agent of `agent_ids` into `factors` (same length), bit for bit,
  /// at a fraction of the cost: the normal draws and the exponentials run as vector loops.
  void error_factors(std::span<const std::uint64_t> agent_ids, std::span<double> factors) const {
    if (noise_sd == 0.0) {
      std::fill(factors.begin(), factors.end(), 1.0);
      return;
    }
    random->fast_normals(static_cast<std::uint64_t>(step), agent_ids, Purpose::observe, factors);
    const double sd = noise_sd;
    const double shift = 0.5 * noise_sd * noise_sd;
    double* factor = factors.data();
    const std::size_t count = factors.size();
    for (std::size_t i = 0; i < count; ++i) factor[i] = exp_near(sd * factor[i] - shift);
  }
  [[nodiscard]] double seen_stock(std::uint64_t agent_id) const { return stock * error_factor(agent_id); }
  [[nodiscard]] double seen_harvest_per_effort(std::uint64_t agent_id) const {
    return harvest_per_effort * error_factor(agent_id);
  }
  /// Site values as agent `agent_id` sees them: one error factor per agent and step, so an
  /// agent that overrates one site overrates them all (it misjudges the fish, not the map).
  [[nodiscard]] double seen_site_stock(std::uint64_t agent_id, std::size_t site) const {
    return site_stock[site] * error_factor(agent_id);
  }
  [[nodiscard]] double seen_site_harvest_per_effort(std::uint64_t agent_id, std::size_t site) const {
    return site_harvest_per_effort[site] * error_factor(agent_id);
  }
};

}  // namespace commons::sim
