// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The Moore neighbourhood of a cell of a row-major grid (the eight cells around it that lie in
/// the grid): what the foraging grid regrows from, and what a restrained forager counts before
/// it takes a token. One definition, so that both see the same neighbours.

#include <algorithm>
#include <cstddef>
#include <span>

namespace commons::models {

/// Cells of the Moore neighbourhood of `cell` inside a rows x columns grid: 8 inside, 5 on an
/// edge, 3 in a corner (fewer on a grid one cell wide).
[[nodiscard]] inline int moore_neighbours_in_grid(std::size_t rows, std::size_t columns, std::size_t cell) {
  const std::size_t row = cell / columns;
  const std::size_t column = cell % columns;
  const std::size_t rows_in = std::min(row + 1, rows - 1) - (row > 0 ? row - 1 : 0) + 1;
  const std::size_t columns_in = std::min(column + 1, columns - 1) - (column > 0 ? column - 1 : 0) + 1;
  return static_cast<int>(rows_in * columns_in) - 1;
}

/// Cells of the Moore neighbourhood of `cell` where `tokens` (1 or 0 per cell) holds a token.
[[nodiscard]] inline int moore_tokens(std::span<const double> tokens, std::size_t rows, std::size_t columns,
                                      std::size_t cell) {
  const std::size_t row = cell / columns;
  const std::size_t column = cell % columns;
  double found = 0.0;
  for (std::size_t y = row > 0 ? row - 1 : 0; y <= std::min(row + 1, rows - 1); ++y)
    for (std::size_t x = column > 0 ? column - 1 : 0; x <= std::min(column + 1, columns - 1); ++x)
      found += tokens[y * columns + x];
  return static_cast<int>(found - tokens[cell]);
}

}  // namespace commons::models
