// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/agent_efforts.hpp>

#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <limits>

namespace commons::models {

std::vector<double> effort_caps(const sim::Parameters& parameters, const sim::GroupContext& group) {
  constexpr double unbounded = std::numeric_limits<double>::infinity();
  std::vector<double> caps = sim::per_agent(parameters, "max_effort", group.ids, group.random, unbounded, 0.0);
  const double limit = group.resource.effort_limit().value_or(unbounded);
  for (double& cap : caps) cap = std::min(cap, limit);
  return caps;
}

double optimum_share(const sim::GroupContext& group) {
  const auto optimum = sim::optimal_total_effort(group.resource, group.economics);
  return optimum && group.agent_count > 0 ? *optimum / static_cast<double>(group.agent_count) : 0.0;
}

std::vector<double> opening_efforts(const sim::Parameters& parameters, const sim::GroupContext& group,
                                    const std::vector<double>& caps) {
  std::vector<double> efforts =
      sim::per_agent(parameters, "initial_effort", group.ids, group.random, optimum_share(group), 0.0);
  for (std::size_t k = 0; k < efforts.size(); ++k) efforts[k] = std::clamp(efforts[k], 0.0, caps[k]);
  return efforts;
}

}  // namespace commons::models
