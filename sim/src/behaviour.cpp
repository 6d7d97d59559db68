// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/behaviour.hpp>

#include <commons/sim/resource.hpp>

#include <algorithm>
#include <limits>

namespace commons::sim {

void Behaviour::pledge(const StepContext& context, AgentSpan agents) {
  double share = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = agents.table->size();
  if (const auto optimum = optimal_total_effort(context.resource, context.economics); optimum && n > 0)
    share = *optimum / static_cast<double>(n);
  std::ranges::fill(agents.pledge(), share);
}

}  // namespace commons::sim
