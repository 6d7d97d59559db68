// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/agent_table.hpp>

#include <commons/sim/governance_ledger.hpp>

#include "columns.hpp"

#include <limits>

namespace commons::sim {

void AgentTable::reserve(std::size_t agents, bool talks) {
  detail::reserve_rows(id, agents);
  detail::reserve_rows(group, agents);
  for (std::vector<double>* column : {&effort, &harvest, &cost_per_effort, &income, &cumulative_income})
    detail::reserve_rows(*column, agents);
  if (talks)
    for (std::vector<double>* column : {&pledge, &heard_pledge, &trust}) detail::reserve_rows(*column, agents);
}

void AgentTable::append_group(std::uint32_t group_index, std::size_t count, double unit_cost,
                              std::optional<double> initial_trust, const RunControl& control) {
  constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
  const std::uint64_t next_id = id.empty() ? 0 : id.back() + 1;
  const std::size_t new_size = size() + count;
  detail::reserve_rows(id, new_size);
  for (std::size_t i = 0; i < count; ++i) id.push_back(next_id + i);
  detail::reserve_rows(group, new_size);
  group.resize(new_size, group_index);
  std::vector<detail::ColumnFill> columns{
      {&effort, 0.0}, {&harvest, 0.0}, {&cost_per_effort, unit_cost}, {&income, 0.0}, {&cumulative_income, 0.0},
  };
  if (initial_trust)
    columns.insert(columns.end(), {{&pledge, not_a_number}, {&heard_pledge, not_a_number}, {&trust, *initial_trust}});
  detail::grow_columns(columns, new_size, count, "creating agents", control);
}

std::optional<std::span<const double>> AgentSpan::effort_limit() const {
  if (ledger == nullptr) return std::nullopt;
  return std::span<const double>(ledger->effort_limit.data() + first, size());
}

std::optional<std::span<const double>> AgentSpan::harvest_limit() const {
  if (ledger == nullptr) return std::nullopt;
  return std::span<const double>(ledger->harvest_limit.data() + first, size());
}

void AgentTable::equip(std::size_t site_count, std::size_t choice_count) {
  site.clear();
  choice.clear();
  if (site_count > 0) {
    site.resize(size());
    for (std::size_t k = 0; k < site.size(); ++k) site[k] = static_cast<std::uint32_t>(k % site_count);
  }
  if (choice_count > 0) choice.assign(size(), 0);
}

}  // namespace commons::sim
