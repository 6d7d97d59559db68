// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/governance_ledger.hpp>

#include <commons/sim/parallel.hpp>

#include "columns.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace commons::sim {

namespace {
constexpr double unlimited = std::numeric_limits<double>::infinity();

using Column = GovernanceLedger::Column;
constexpr std::size_t column_count = static_cast<std::size_t>(Column::transfer) + 1;

/// Each declared column, in the order of Column, and the value a step's start gives it.
template <class Ledger>
auto declared_columns(Ledger& ledger) {
  struct Fill {
    decltype(&ledger.fine) values;
    double initial;
  };
  return std::array<Fill, column_count>{{{&ledger.effort_limit, unlimited},
                                         {&ledger.harvest_limit, unlimited},
                                         {&ledger.detection_probability, 0.0},
                                         {&ledger.fine_per_violation, 0.0},
                                         {&ledger.fine_per_excess, 0.0},
                                         {&ledger.violations, 0.0},
                                         {&ledger.detected, 0.0},
                                         {&ledger.fine, 0.0},
                                         {&ledger.fee, 0.0},
                                         {&ledger.transfer, 0.0}}};
}

constexpr std::uint32_t bit(Column column) { return std::uint32_t{1} << static_cast<unsigned>(column); }
}  // namespace

GovernanceLedger::GovernanceLedger(std::size_t agents, const RunControl& control) {
  const detail::ColumnFill columns[] = {
      {&effort_limit, unlimited}, {&harvest_limit, unlimited}, {&detection_probability, 0.0},
      {&fine_per_violation, 0.0}, {&fine_per_excess, 0.0},     {&excess_effort, 0.0},
      {&excess_harvest, 0.0},     {&violations, 0.0},          {&detected, 0.0},
      {&fine, 0.0},               {&fee, 0.0},                 {&transfer, 0.0},
  };
  detail::grow_columns(columns, agents, agents, "creating the governance ledger", control);
}

void SiteRights::reset(std::size_t sites) {
  closed.assign(sites, 0);
  holder_group.assign(sites, no_group);
  holder_agent.assign(sites, no_agent);
  detection.assign(sites, 0.0);
}

void GovernanceLedger::clear(std::size_t first, std::size_t last) {
  const auto from = static_cast<std::ptrdiff_t>(first);
  const auto to = static_cast<std::ptrdiff_t>(last);
  for (std::vector<double>* column : {&effort_limit, &harvest_limit})
    std::fill(column->begin() + from, column->begin() + to, unlimited);
  for (std::vector<double>* column : {&detection_probability, &fine_per_violation, &fine_per_excess, &excess_effort,
                                      &excess_harvest, &violations, &detected, &fine, &fee, &transfer})
    std::fill(column->begin() + from, column->begin() + to, 0.0);
  for (auto& entry : shared_) {
    Shared& column = entry.second;
    if (column.lapses) std::fill(column.values.begin() + from, column.values.begin() + to, column.initial);
  }
}

void GovernanceLedger::will_write(std::initializer_list<Column> columns) {
  for (const Column column : columns) declared_ |= bit(column);
}

void GovernanceLedger::start_step(const ExecutionPolicy& policy) {
#ifndef NDEBUG
  // Debug builds (the sanitizer presets) hold every run of every test to the contract; release
  // builds pay nothing for it.
  if (!undeclared_columns_at_rest())
    throw std::logic_error("a governance ledger column was written without GovernanceLedger::will_write");
#endif
  const auto columns = declared_columns(*this);
  auto to_reset = columns;
  std::size_t count = 0;
  for (std::size_t c = 0; c < column_count; ++c)
    if ((declared_ & bit(static_cast<Column>(c))) != 0) to_reset[count++] = columns[c];
  const bool lapsing =
      std::any_of(shared_.begin(), shared_.end(), [](const auto& entry) { return entry.second.lapses; });
  if (count > 0 || lapsing) {
    for_each_block(size(), policy, [&](std::size_t first, std::size_t last) {
      const auto from = static_cast<std::ptrdiff_t>(first);
      const auto to = static_cast<std::ptrdiff_t>(last);
      for (std::size_t c = 0; c < count; ++c)
        std::fill(to_reset[c].values->begin() + from, to_reset[c].values->begin() + to, to_reset[c].initial);
      for (auto& entry : shared_) {
        Shared& column = entry.second;
        if (column.lapses) std::fill(column.values.begin() + from, column.values.begin() + to, column.initial);
      }
    });
  }
  declared_ = 0;
}

bool GovernanceLedger::undeclared_columns_at_rest() const {
  const auto columns = declared_columns(*this);
  for (std::size_t c = 0; c < column_count; ++c) {
    if ((declared_ & bit(static_cast<Column>(c))) != 0) continue;
    const std::uint64_t initial = std::bit_cast<std::uint64_t>(columns[c].initial);
    for (const double value : *columns[c].values)
      if (std::bit_cast<std::uint64_t>(value) != initial) return false;
  }
  return true;
}

std::vector<double>& GovernanceLedger::shared(const SharedColumn& column) {
  auto found = shared_.find(column.name);
  if (found == shared_.end()) {
    Shared made{column.initial, column.lapses, std::vector<double>(size(), column.initial)};
    return shared_.emplace(std::string(column.name), std::move(made)).first->second.values;
  }
  // Initial values compare bitwise, so that NaN matches itself.
  const Shared& kept = found->second;
  if (std::bit_cast<std::uint64_t>(kept.initial) != std::bit_cast<std::uint64_t>(column.initial) ||
      kept.lapses != column.lapses)
    throw std::logic_error("shared column '" + std::string(column.name) + "' is described two ways");
  return found->second.values;
}

const std::vector<double>* GovernanceLedger::find_shared(std::string_view name) const {
  const auto found = shared_.find(name);
  return found == shared_.end() ? nullptr : &found->second.values;
}

}  // namespace commons::sim
