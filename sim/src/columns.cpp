// SPDX-License-Identifier: Apache-2.0
#include "columns.hpp"

namespace commons::sim::detail {

void grow_columns(std::span<const ColumnFill> columns, std::size_t size, std::size_t added, std::string_view activity,
                  const RunControl& control) {
  const auto total = static_cast<double>(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    columns[c].values->resize(size, columns[c].initial);
    if (added >= (std::size_t{1} << 20)) control.report(activity, static_cast<double>(c + 1) / total);
  }
  control.check();
}

}  // namespace commons::sim::detail
