// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/governance_ledger.hpp>

#include "columns.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

namespace commons::sim {

namespace {
constexpr double unlimited = std::numeric_limits<double>::infinity();
}  // namespace

GovernanceLedger::GovernanceLedger(std::size_t agents, const RunControl& control) {
  const detail::ColumnFill columns[] = {
      {&effort_limit, unlimited}, {&harvest_limit, unlimited}, {&detection_probability, 0.0},
      {&fine_per_violation, 0.0}, {&fine_per_excess, 0.0},     {&excess_effort, 0.0},
      {&excess_harvest, 0.0},     {&violations, 0.0},          {&detected, 0.0},
      {&fine, 0.0},               {&fee, 0.0},                 {&transfer, 0.0},
      {&member, 1.0},             {&monitoring_hours, 0.0},
  };
  detail::grow_columns(columns, agents, agents, "creating the governance ledger", control);
}

void GovernanceLedger::clear(std::size_t first, std::size_t last) {
  const auto from = static_cast<std::ptrdiff_t>(first);
  const auto to = static_cast<std::ptrdiff_t>(last);
  for (std::vector<double>* column : {&effort_limit, &harvest_limit})
    std::fill(column->begin() + from, column->begin() + to, unlimited);
  for (std::vector<double>* column : {&detection_probability, &fine_per_violation, &fine_per_excess, &excess_effort,
                                      &excess_harvest, &violations, &detected, &fine, &fee, &transfer, &monitoring_hours})
    std::fill(column->begin() + from, column->begin() + to, 0.0);
}

}  // namespace commons::sim
