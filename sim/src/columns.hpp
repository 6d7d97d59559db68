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

/// Bytes a column must hold before it is worth backing with huge pages: one huge page.
inline constexpr std::size_t huge_page_bytes = std::size_t{2} << 20;

/// Capacity, in bytes, to ask of the allocator for `bytes` of column so that glibc maps it
/// alone in a mapping whose length is a whole number of huge pages (which Linux places on a
/// huge-page boundary): `bytes` itself below huge_page_bytes.
[[nodiscard]] std::size_t huge_page_capacity(std::size_t bytes);

/// Asks the kernel to back [data, data + bytes) with transparent huge pages, where it offers
/// them on request (`madvise` mode) or always. A column of 1e6 doubles then takes 4 page faults
/// to map instead of 2048, which on a virtual machine costs microseconds each; the values and
/// the results are the same either way. Does nothing below huge_page_bytes or where the system
/// has no such advice.
void advise_huge_pages(const void* data, std::size_t bytes);

/// Reserves room for `rows` rows in `column` (empty, or already holding that many), backed by
/// huge pages when large: no row is written, so the pages are first touched by whoever fills
/// them.
template <class T>
void reserve_rows(std::vector<T>& column, std::size_t rows) {
  if (column.capacity() >= rows) return;
  column.reserve(huge_page_capacity(rows * sizeof(T)) / sizeof(T));
  advise_huge_pages(column.data(), column.capacity() * sizeof(T));
}

/// A column of `rows` copies of `value`, backed by huge pages when large.
template <class T>
[[nodiscard]] std::vector<T> filled_column(std::size_t rows, T value) {
  std::vector<T> column;
  reserve_rows(column, rows);
  column.resize(rows, value);
  return column;
}

}  // namespace commons::sim::detail
