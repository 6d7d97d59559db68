// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/human.hpp>

#include <commons/models/behaviour/common_parameters.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <limits>
#include <optional>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "human",
      .summary =
          "A person in a seat (classroom game): each step asks the seat for an effort and waits at most "
          "deadline_seconds; an unanswered seat takes the default. Without a seat server every seat takes its default.",
      .parameters = {
          {.name = "default",
           .type = sim::ParameterType::choice,
           .meaning =
               "What an unanswered seat does: repeat its last effort, or play default_effort; the same for every agent",
           .default_value = std::string("repeat"),
           .choices = {"repeat", "fixed"}},
          {.name = "default_effort",
           .type = sim::ParameterType::per_agent_number,
           .meaning = "Effort of an unanswered seat with default fixed, and before the seat's first answer",
           .unit = "effort unit",
           .minimum = sim::Bound{0.0},
           .default_value = 0.0},
          {.name = "deadline_seconds",
           .type = sim::ParameterType::number,
           .meaning = "How long a step waits for answers [s], the same for every agent",
           .minimum = sim::Bound{0.0, true},
           .maximum = sim::Bound{86400.0},
           .default_value = 60.0},
          max_effort_parameter()}};
  return described;
}

constexpr double infinity = std::numeric_limits<double>::infinity();

// Longer than any class or experiment lasts, short enough that now + wait cannot overflow the
// clock's 64-bit nanosecond count [s].
constexpr double longest_wait_seconds = 1e9;

// The seat's answer if one came in time and is usable, clamped to [0, cap]. A seat that fails
// (a broken promise, an exception in the future) is treated like one that stayed silent: one
// person's lost connection must not stop the group's game.
std::optional<sim::SeatAnswer> usable_answer(std::future<sim::SeatAnswer>& answer,
                                             std::chrono::steady_clock::time_point deadline, double cap) {
  if (!answer.valid()) return std::nullopt;
  try {
    // A deferred future (std::launch::deferred) computes its value in get(): it has no wait.
    if (answer.wait_until(deadline) == std::future_status::timeout) return std::nullopt;
    sim::SeatAnswer value = answer.get();
    if (std::isnan(value.effort)) return std::nullopt;
    value.effort = std::clamp(value.effort, 0.0, cap);
    // +infinity with no cap has no effort to clamp to.
    if (!std::isfinite(value.effort)) return std::nullopt;
    return value;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

Human::Parameters Human::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  if (values.contains("default")) {
    const std::string& fallback = values.text("default");
    if (fallback == "repeat") {
      p.fallback = Default::repeat;
    } else if (fallback == "fixed") {
      p.fallback = Default::fixed;
    } else {
      throw sim::SpecError("human behaviour: default must be 'repeat' or 'fixed', not '" + fallback + "'");
    }
  }
  p.deadline_seconds = values.number_or("deadline_seconds", p.deadline_seconds);
  if (!(p.deadline_seconds > 0.0) || !std::isfinite(p.deadline_seconds))
    throw sim::SpecError("human behaviour: deadline_seconds must be a finite number > 0");
  return p;
}

Human::Human(const sim::Parameters& values, const sim::GroupContext& group)
    : parameters_(Parameters::from(values)),
      seats_(group.seats),
      group_name_(group.group_name),
      run_(group.run_index),
      first_(group.first),
      site_count_(group.resource.sites().count),
      defaults_applied_(group.count, 0) {
  const double limit = group.resource.effort_limit().value_or(infinity);
  cap_ = sim::per_agent(values, "max_effort", group.ids, group.random, infinity, 0.0, infinity);
  default_effort_ = sim::per_agent(values, "default_effort", group.ids, group.random, 0.0, 0.0, infinity);
  for (std::size_t k = 0; k < group.count; ++k) {
    if (!(cap_[k] >= 0.0)) throw sim::SpecError("human behaviour: max_effort must be >= 0");
    if (!(default_effort_[k] >= 0.0) || !std::isfinite(default_effort_[k]))
      throw sim::SpecError("human behaviour: default_effort must be a finite number >= 0");
    cap_[k] = std::min(cap_[k], limit);
    default_effort_[k] = std::min(default_effort_[k], cap_[k]);
  }
  last_decision_ = default_effort_;
}

void Human::decide(const sim::StepContext& context, sim::AgentSpan agents) {
  const std::size_t n = agents.size();
  const std::size_t offset = agents.first - first_;
  const std::span<double> effort = agents.effort();
  const double* cap = cap_.data() + offset;
  double* last = last_decision_.data() + offset;
  std::uint64_t* defaults = defaults_applied_.data() + offset;

  std::vector<double> fallback(n);
  for (std::size_t i = 0; i < n; ++i)
    fallback[i] = parameters_.fallback == Default::fixed ? default_effort_[offset + i] : last[i];

  std::vector<std::future<sim::SeatAnswer>> answers(n);
  const std::span<std::uint32_t> site = agents.site();
  if (seats_ != nullptr) {
    const sim::StepOutcome& previous = context.previous;
    const bool known = previous.known();
    const std::span<const std::uint64_t> id = agents.id();
    const std::span<const double> income = agents.income();
    sim::SeatRequest request;
    request.run = run_;
    request.step = context.step;
    request.group = group_name_;
    request.total_effort_last = known ? previous.effort : 0.0;
    request.agent_count = known ? previous.agent_count : 0;
    request.site_count = site_count_;
    for (std::size_t i = 0; i < n; ++i) {
      if (!site.empty()) request.site = site[i];
      request.agent_id = id[i];
      request.last_effort = known ? effort[i] : 0.0;
      request.last_income = known ? income[i] : 0.0;
      request.effort_limit = cap[i];
      request.default_effort = fallback[i];
      try {
        answers[i] = seats_->ask(request);
      } catch (...) {
        // A broker that cannot reach the seat leaves it unanswered (an invalid future).
      }
    }
  }

  // One deadline for the whole span: seats are asked together, as a class is, and the
  // slowest answer bounds the step's wait.
  const auto wait = std::chrono::duration<double>(std::min(parameters_.deadline_seconds, longest_wait_seconds));
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(wait);
  for (std::size_t i = 0; i < n; ++i) {
    const std::optional<sim::SeatAnswer> answer = usable_answer(answers[i], deadline, cap[i]);
    if (!answer) ++defaults[i];
    effort[i] = answer ? answer->effort : fallback[i];
    last[i] = effort[i];
    // A site off the map is ignored here; whether the seat may go there the engine decides.
    if (answer && answer->site && !site.empty() && *answer->site < site_count_) site[i] = *answer->site;
  }
}

void Human::pledge(const sim::StepContext&, sim::AgentSpan agents) {
  std::ranges::fill(agents.pledge(), std::numeric_limits<double>::quiet_NaN());
}

COMMONS_REGISTER_MODELS(human) {
  registry.add_behaviour(descriptor(), [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Human>(spec.parameters, group);
  });
}

}  // namespace commons::models
