// SPDX-License-Identifier: Apache-2.0
#pragma once
// Growing the struct-of-arrays tables (agents, the governance ledger) column by column.

#include <commons/sim/run_control.hpp>

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace commons::sim::detail {

/// A column and the value its new rows take.
struct ColumnFill {
  std::vector<double>* values;
  double initial;
};

/// Grows every column to `size` rows. Each column of 1e8 rows takes a fraction of a second to
/// fill, so when `added` rows are many it reports `activity` to `control` after each column,
/// and a stop is seen between them.
void grow_columns(std::span<const ColumnFill> columns, std::size_t size, std::size_t added, std::string_view activity,
                  const RunControl& control);

}  // namespace commons::sim::detail
