// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/fixed.hpp>

#include <algorithm>

namespace commons::models {

Fixed::Parameters Fixed::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.schedule = values.contains("schedule") ? values.numbers("schedule") : values.numbers("effort");
  if (p.schedule.empty()) throw sim::SpecError("fixed behaviour needs an effort or a non-empty schedule");
  return p;
}

Fixed::Fixed(Parameters parameters, const sim::GroupContext&) : parameters_(std::move(parameters)) {}

void Fixed::decide(const sim::StepContext& context, sim::AgentSpan agents) {
  const auto last = static_cast<std::int64_t>(parameters_.schedule.size()) - 1;
  const double effort = parameters_.schedule[static_cast<std::size_t>(std::min(context.step, last))];
  std::ranges::fill(agents.effort(), effort);
}

}  // namespace commons::models
