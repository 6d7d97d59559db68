// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Claims on the cells of a grid settled in agent order: each agent asks for effort x a fixed
/// amount at its site, and when the claims at a cell exceed what it holds every claimant there
/// gets the same share of it. What the pasture's animals eat and the timber stand's loggers cut.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace commons::models {

/// Writes to `demand` what the agents ask for at each cell (effort[i] x per_effort_at(site[i])),
/// to `harvest[i]` what agent i gets, and to `taken_at` what was taken at each cell; returns
/// the total taken. Only cells for which `may_take(cell)` holds give anything (a cutting rule).
/// Sums run in agent order, so that per-cell totals never depend on threads; each claim is
/// bounded by what is left, so that whatever the rounding no cell gives more than `held`.
/// A unit of effort asks for as much at every cell (a ration) or for a share of what the cell
/// holds (a fishing ground's q X), hence `per_effort_at`.
template <class PerEffortAt, class MayTake>
double settle_claims_at(std::span<const double> effort, std::span<const std::uint32_t> site,
                        PerEffortAt&& per_effort_at, std::span<const double> held, std::vector<double>& demand,
                        std::vector<double>& taken_at, std::span<double> harvest, MayTake&& may_take) {
  std::fill(demand.begin(), demand.end(), 0.0);
  for (std::size_t i = 0; i < effort.size(); ++i) demand[site[i]] += effort[i] * per_effort_at(site[i]);
  std::fill(taken_at.begin(), taken_at.end(), 0.0);
  double total = 0.0;
  for (std::size_t i = 0; i < effort.size(); ++i) {
    const std::uint32_t cell = site[i];
    harvest[i] = 0.0;
    if (!may_take(cell)) continue;
    const double claim = effort[i] * per_effort_at(cell);
    const double share = demand[cell] > held[cell] ? claim * (held[cell] / demand[cell]) : claim;
    double taken = std::min(share, held[cell] - taken_at[cell]);
    while (taken > 0.0 && taken_at[cell] + taken > held[cell]) taken = std::nextafter(taken, 0.0);
    harvest[i] = taken;
    taken_at[cell] += taken;
    total += taken;
  }
  return total;
}

/// settle_claims_at with the same `per_effort` at every cell.
template <class MayTake>
double settle_claims(std::span<const double> effort, std::span<const std::uint32_t> site, double per_effort,
                     std::span<const double> held, std::vector<double>& demand, std::vector<double>& taken_at,
                     std::span<double> harvest, MayTake&& may_take) {
  return settle_claims_at(
      effort, site, [per_effort](std::uint32_t /*cell*/) { return per_effort; }, held, demand, taken_at, harvest,
      std::forward<MayTake>(may_take));
}

}  // namespace commons::models
