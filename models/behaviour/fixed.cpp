// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/fixed.hpp>

#include <commons/models/registration.hpp>

#include <algorithm>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "fixed",
      .summary =
          "Every agent exerts a given effort: a constant (`effort`) or a per-step `schedule`; exactly one of the two.",
      .parameters = {{.name = "effort",
                      .type = sim::ParameterType::number,
                      .meaning = "Constant effort of each agent in every step",
                      .unit = "effort unit",
                      .minimum = sim::Bound{0.0}},
                     {.name = "schedule",
                      .type = sim::ParameterType::numbers,
                      .meaning = "Effort of each agent in steps 0, 1, 2, ...",
                      .unit = "effort unit",
                      .note = "the last value holds after the list ends",
                      .minimum = sim::Bound{0.0},
                      .min_items = 1}}};
  return described;
}

}  // namespace

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

COMMONS_REGISTER_MODELS(fixed) {
  registry.add_behaviour(descriptor(), [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Fixed>(Fixed::Parameters::from(spec.parameters), group);
  });
}

}  // namespace commons::models
