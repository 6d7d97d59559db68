// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Where a spatial resource keeps its state: sites, each with its own stock, laid out as the
/// cells of a grid or the nodes of a graph. A non-spatial resource has no sites and pays
/// nothing for them: no site column, no per-site buffers, no site dimension in its results.

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace commons::sim {

/// The sites of a resource and how they neighbour each other. Site s of a grid is the cell in
/// row s / columns, column s % columns (row-major, so that results store it as [y, x]).
struct SiteLayout {
  enum class Kind { none, grid, graph };
  Kind kind = Kind::none;
  /// A grid's rows (the y dimension of results) and columns (x); 0 for a graph.
  std::size_t rows = 0;
  std::size_t columns = 0;
  /// A graph's nodes; a grid's rows x columns.
  std::size_t count = 0;
  /// A graph's adjacency in compressed rows: the neighbours of site s are
  /// neighbours[offsets[s] .. offsets[s + 1]). Empty for a grid, whose neighbours are the four
  /// cells sharing an edge (von Neumann), computed rather than stored.
  std::vector<std::size_t> offsets{};
  std::vector<std::uint32_t> neighbours{};

  [[nodiscard]] static SiteLayout grid(std::size_t rows, std::size_t columns) {
    if (rows == 0 || columns == 0) throw std::invalid_argument("a grid of sites needs at least one row and column");
    return {Kind::grid, rows, columns, rows * columns, {}, {}};
  }
  /// A graph over `count` sites from undirected edges (each pair once); neighbours in
  /// ascending order, so that what iterates over them is reproducible.
  [[nodiscard]] static SiteLayout graph(std::size_t count,
                                        const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges);

  [[nodiscard]] bool spatial() const { return kind != Kind::none; }
  /// The sites next to `site`, ascending.
  [[nodiscard]] std::vector<std::uint32_t> neighbours_of(std::uint32_t site) const;
  /// Whether `from` and `to` are neighbours (a site is not its own neighbour).
  [[nodiscard]] bool adjacent(std::uint32_t from, std::uint32_t to) const;

  friend bool operator==(const SiteLayout&, const SiteLayout&) = default;
};

/// How agents may move between a resource's sites, as the resource rules it. Behaviours say
/// where their agents go (the `site` column); the engine then moves them in turn, and an agent
/// whose move the resource does not allow stays where it was. The default allows anything.
struct SiteAccess {
  /// Most agents at one site at once (an avatar per cell of the foraging grid); 0 for no limit.
  std::uint32_t capacity = 0;
  /// An agent may only stay or step to a neighbouring site in one step (a walk on the grid)
  /// rather than go anywhere (a boat choosing a ground).
  bool neighbours_only = false;
  /// Moving takes the agent's step: an agent that moves applies no effort in it (a forager
  /// collects a token only where it stands).
  bool moving_takes_step = false;

  [[nodiscard]] bool unrestricted() const { return capacity == 0 && !neighbours_only && !moving_takes_step; }
  friend bool operator==(const SiteAccess&, const SiteAccess&) = default;
};

/// Applies `access` to the moves of one step. `site` holds where each agent asked to be, and
/// `before` where it stood; `occupancy` counts the agents at each site as they stood. Agents
/// move one at a time in agent order, starting at `first_in_line` and wrapping around, so that
/// no agent always has the right of way. A move that leaves the layout, jumps past the
/// neighbours when only neighbours are allowed, or enters a full site is refused: the agent
/// stays at `before`. With `moving_takes_step`, an agent that did move has its effort set to
/// 0. Serial, in a fixed order, so the same on every thread count. Returns the agents moved.
std::size_t resolve_moves(const SiteLayout& layout, const SiteAccess& access, std::span<const std::uint32_t> before,
                          std::span<std::uint32_t> site, std::span<double> effort, std::span<std::uint32_t> occupancy,
                          std::size_t first_in_line);

/// What agents pay to work a site beyond their effort: a trip from a home port (a village, a
/// landing) along the cheapest route. The engine charges it in the steps an agent applies
/// effort, in settle; behaviours that choose sites weigh it. The resource prices the routes
/// once, when it is built, so asking for the table again is cheap.
struct TripCosts {
  std::size_t site_count = 0;
  /// The number of distinct origins (home ports).
  std::size_t origin_count = 0;
  /// Each agent's origin, in agent order.
  std::vector<std::uint32_t> origin{};
  /// cost[o * site_count + s]: a trip from origin o to site s and back [money].
  std::vector<double> cost{};

  /// A trip of agent `agent` to `site` [money].
  [[nodiscard]] double of(std::size_t agent, std::uint32_t site) const {
    return cost[static_cast<std::size_t>(origin[agent]) * site_count + site];
  }
  /// What a trip from agent `agent`'s origin to each site costs, by site [money].
  [[nodiscard]] std::span<const double> from_origin_of(std::size_t agent) const {
    return {cost.data() + static_cast<std::size_t>(origin[agent]) * site_count, site_count};
  }
  /// Throws std::logic_error unless the table covers `agents` agents over `sites` sites with
  /// finite, non-negative costs: what the engine asks of a resource before trusting it.
  void check(std::size_t agents, std::size_t sites) const;
};

/// What the agents do in one step: effort, and where a resource asks for them a site and a
/// discrete choice (a gear, a crop). Spans over all agents, indexed like the agent table;
/// `site` and `choice` are empty when the resource has no sites or no choices.
struct Actions {
  std::span<const double> effort;
  std::span<const std::uint32_t> site{};
  std::span<const std::uint32_t> choice{};
};

}  // namespace commons::sim
