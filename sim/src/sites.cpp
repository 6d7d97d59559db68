// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/sites.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace commons::sim {

SiteLayout SiteLayout::graph(std::size_t count, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
  if (count == 0) throw std::invalid_argument("a graph of sites needs at least one site");
  std::vector<std::vector<std::uint32_t>> adjacent(count);
  for (const auto& [from, to] : edges) {
    if (from >= count || to >= count)
      throw std::invalid_argument("edge " + std::to_string(from) + " - " + std::to_string(to) +
                                  " names a site beyond the graph's " + std::to_string(count));
    if (from == to) throw std::invalid_argument("site " + std::to_string(from) + " cannot neighbour itself");
    adjacent[from].push_back(to);
    adjacent[to].push_back(from);
  }
  SiteLayout layout{Kind::graph, 0, 0, count, {0}, {}};
  for (std::vector<std::uint32_t>& list : adjacent) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
    layout.neighbours.insert(layout.neighbours.end(), list.begin(), list.end());
    layout.offsets.push_back(layout.neighbours.size());
  }
  return layout;
}

std::vector<std::uint32_t> SiteLayout::neighbours_of(std::uint32_t site) const {
  if (site >= count) throw std::out_of_range("site " + std::to_string(site) + " of " + std::to_string(count));
  if (kind == Kind::graph)
    return {neighbours.begin() + static_cast<std::ptrdiff_t>(offsets[site]),
            neighbours.begin() + static_cast<std::ptrdiff_t>(offsets[site + 1])};
  std::vector<std::uint32_t> found;
  if (kind != Kind::grid) return found;
  const std::size_t row = site / columns;
  const std::size_t column = site % columns;
  // Ascending site order: up, left, right, down.
  if (row > 0) found.push_back(static_cast<std::uint32_t>(site - columns));
  if (column > 0) found.push_back(site - 1);
  if (column + 1 < columns) found.push_back(site + 1);
  if (row + 1 < rows) found.push_back(static_cast<std::uint32_t>(site + columns));
  return found;
}

bool SiteLayout::adjacent(std::uint32_t from, std::uint32_t to) const {
  if (from >= count || to >= count || from == to) return false;
  if (kind == Kind::graph) {
    const auto first = neighbours.begin() + static_cast<std::ptrdiff_t>(offsets[from]);
    const auto last = neighbours.begin() + static_cast<std::ptrdiff_t>(offsets[from + 1]);
    return std::binary_search(first, last, to);
  }
  if (kind != Kind::grid) return false;
  const std::size_t from_row = from / columns, from_column = from % columns;
  const std::size_t to_row = to / columns, to_column = to % columns;
  const std::size_t rows_apart = from_row > to_row ? from_row - to_row : to_row - from_row;
  const std::size_t columns_apart = from_column > to_column ? from_column - to_column : to_column - from_column;
  return rows_apart + columns_apart == 1;
}

void TripCosts::check(std::size_t agents, std::size_t sites) const {
  if (site_count != sites || origin.size() != agents || cost.size() != origin_count * site_count)
    throw std::logic_error("the resource's trip costs cover " + std::to_string(origin.size()) + " agents and " +
                           std::to_string(site_count) + " sites, not " + std::to_string(agents) + " and " +
                           std::to_string(sites));
  for (const std::uint32_t o : origin)
    if (o >= origin_count) throw std::logic_error("an agent's origin is beyond the resource's trip cost table");
  for (const double c : cost)
    if (!(c >= 0.0) || !std::isfinite(c)) throw std::logic_error("the resource priced a trip at " + std::to_string(c));
}

std::size_t resolve_moves(const SiteLayout& layout, const SiteAccess& access, std::span<const std::uint32_t> before,
                          std::span<std::uint32_t> site, std::span<double> effort, std::span<std::uint32_t> occupancy,
                          std::size_t first_in_line) {
  const std::size_t n = site.size();
  std::size_t moved = 0;
  for (std::size_t turn = 0; turn < n; ++turn) {
    const std::size_t i = (first_in_line + turn) % n;
    const std::uint32_t from = before[i];
    const std::uint32_t to = site[i];
    if (to == from) continue;
    const bool allowed = to < layout.count && (!access.neighbours_only || layout.adjacent(from, to)) &&
                         (access.capacity == 0 || occupancy[to] < access.capacity);
    if (!allowed) {
      site[i] = from;
      continue;
    }
    --occupancy[from];
    ++occupancy[to];
    if (access.moving_takes_step) effort[i] = 0.0;
    ++moved;
  }
  return moved;
}

}  // namespace commons::sim
