// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/agent_table.hpp>

#include <limits>

namespace commons::sim {

void AgentTable::append_group(std::uint32_t group_index, std::size_t count, double unit_cost, double initial_trust) {
  const std::uint64_t next_id = id.empty() ? 0 : id.back() + 1;
  const std::size_t new_size = size() + count;
  id.reserve(new_size);
  for (std::size_t i = 0; i < count; ++i) id.push_back(next_id + i);
  group.resize(new_size, group_index);
  effort.resize(new_size, 0.0);
  harvest.resize(new_size, 0.0);
  cost_per_effort.resize(new_size, unit_cost);
  income.resize(new_size, 0.0);
  cumulative_income.resize(new_size, 0.0);
  pledge.resize(new_size, std::numeric_limits<double>::quiet_NaN());
  heard_pledge.resize(new_size, std::numeric_limits<double>::quiet_NaN());
  trust.resize(new_size, initial_trust);
  effort_limit.resize(new_size, std::numeric_limits<double>::infinity());
  harvest_limit.resize(new_size, std::numeric_limits<double>::infinity());
  detection_probability.resize(new_size, 0.0);
  fine_per_violation.resize(new_size, 0.0);
  fine_per_excess.resize(new_size, 0.0);
  excess_effort.resize(new_size, 0.0);
  excess_harvest.resize(new_size, 0.0);
  violations.resize(new_size, 0.0);
  detected.resize(new_size, 0.0);
  fine.resize(new_size, 0.0);
  fee.resize(new_size, 0.0);
  transfer.resize(new_size, 0.0);
  member.resize(new_size, 1.0);
  monitoring_hours.resize(new_size, 0.0);
}

}  // namespace commons::sim
