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

  friend bool operator==(const SiteLayout&, const SiteLayout&) = default;
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
