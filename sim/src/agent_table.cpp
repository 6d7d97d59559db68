// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/agent_table.hpp>

#include <limits>
#include <string_view>

namespace commons::sim {

void AgentTable::append_group(std::uint32_t group_index, std::size_t count, double unit_cost, double initial_trust,
                              const RunControl& control) {
  constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
  constexpr double unlimited = std::numeric_limits<double>::infinity();
  constexpr std::string_view activity = "creating agents";
  const std::uint64_t next_id = id.empty() ? 0 : id.back() + 1;
  const std::size_t new_size = size() + count;
  id.reserve(new_size);
  for (std::size_t i = 0; i < count; ++i) id.push_back(next_id + i);
  group.resize(new_size, group_index);
  // Each column of 1e8 agents takes a fraction of a second to fill; a stop is seen between them.
  struct Column {
    std::vector<double>* values;
    double initial;
  };
  const Column columns[] = {
      {&effort, 0.0},           {&harvest, 0.0},        {&cost_per_effort, unit_cost},
      {&income, 0.0},           {&cumulative_income, 0.0}, {&pledge, not_a_number},
      {&heard_pledge, not_a_number}, {&trust, initial_trust}, {&effort_limit, unlimited},
      {&harvest_limit, unlimited}, {&detection_probability, 0.0}, {&fine_per_violation, 0.0},
      {&fine_per_excess, 0.0},  {&excess_effort, 0.0},  {&excess_harvest, 0.0},
      {&violations, 0.0},       {&detected, 0.0},       {&fine, 0.0},
      {&fee, 0.0},              {&transfer, 0.0},       {&member, 1.0},
      {&monitoring_hours, 0.0},
  };
  const auto total = static_cast<double>(std::size(columns));
  for (std::size_t c = 0; c < std::size(columns); ++c) {
    columns[c].values->resize(new_size, columns[c].initial);
    if (count >= (std::size_t{1} << 20)) control.report(activity, static_cast<double>(c + 1) / total);
  }
  control.check();
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
