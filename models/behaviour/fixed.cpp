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

double Fixed::effort_at(std::int64_t step) const {
  const auto last = static_cast<std::int64_t>(parameters_.schedule.size()) - 1;
  return parameters_.schedule[static_cast<std::size_t>(std::clamp<std::int64_t>(step, 0, last))];
}

void Fixed::decide(const sim::StepContext& context, sim::AgentSpan agents) {
  std::ranges::fill(agents.effort(), effort_at(context.step));
}

void Fixed::pledge(const sim::StepContext& context, sim::AgentSpan agents) {
  std::ranges::fill(agents.pledge(), effort_at(context.step));
}

}  // namespace commons::models
