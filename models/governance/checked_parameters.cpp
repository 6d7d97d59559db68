// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/checked_parameters.hpp>

#include <commons/sim/agent_parameters.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace commons::models {

namespace detail {
namespace {

std::string range_text(double low, double high) {
  if (std::isinf(high)) return "at least " + number_text(low);
  if (std::isinf(low)) return "at most " + number_text(high);
  return "between " + number_text(low) + " and " + number_text(high);
}

[[noreturn]] void refuse(std::string_view rule, std::string_view name, const std::string& what) {
  throw sim::SpecError(std::string(rule) + ": " + std::string(name) + " " + what);
}

}  // namespace

std::string number_text(double value) {
  std::ostringstream out;
  out.precision(15);
  out << value;
  return out.str();
}

double checked_number(const sim::Parameters& values, std::string_view rule, std::string_view name,
                      std::optional<double> fallback, double low, double high) {
  if (!values.contains(name)) {
    if (!fallback) refuse(rule, name, "is required");
    return *fallback;
  }
  double value = 0.0;
  try {
    value = values.number(name);
  } catch (const sim::SpecError&) {
    refuse(rule, name, "must be a number");
  }
  // Written so that NaN fails too.
  if (!(value >= low && value <= high))
    refuse(rule, name, "must be " + range_text(low, high) + ", got " + number_text(value));
  return value;
}

std::int64_t checked_count(const sim::Parameters& values, std::string_view rule, std::string_view name,
                           std::optional<std::int64_t> fallback, std::int64_t low, std::int64_t high) {
  const double value = checked_number(
      values, rule, name, fallback ? std::optional<double>(static_cast<double>(*fallback)) : std::nullopt,
      static_cast<double>(low),
      high == std::numeric_limits<std::int64_t>::max() ? std::numeric_limits<double>::infinity()
                                                       : static_cast<double>(high));
  if (std::isinf(value) || value != std::floor(value) || std::abs(value) > 9.0e15)
    refuse(rule, name, "must be a whole number, got " + number_text(value));
  return static_cast<std::int64_t>(value);
}

std::string checked_choice(const sim::Parameters& values, std::string_view rule, std::string_view name,
                           std::string_view fallback, std::span<const std::string_view> choices) {
  std::string value(fallback);
  if (values.contains(name)) {
    try {
      value = values.text(name);
    } catch (const sim::SpecError&) {
      refuse(rule, name, "must be a text");
    }
  }
  if (std::ranges::find(choices, std::string_view(value)) != choices.end()) return value;
  std::string listed;
  for (std::string_view choice : choices) listed += (listed.empty() ? "\"" : ", \"") + std::string(choice) + "\"";
  refuse(rule, name, "must be one of " + listed + "; got \"" + value + "\"");
}

PerAgentNumber PerAgentNumber::read(const sim::Parameters& values, std::string_view rule, std::string_view name,
                                    double fallback, double low, double high) {
  PerAgentNumber result;
  result.low = low;
  result.high = high;
  result.draw_index = sim::parameter_draw_index(std::string(rule) + "." + std::string(name));
  if (const sim::Distribution* distribution = values.distribution(name)) {
    // The schema checks a distribution's own arguments; its draws are clamped to the range.
    result.distribution = *distribution;
    result.value = fallback;
    return result;
  }
  result.value = checked_number(values, rule, name, fallback, low, high);
  return result;
}

std::vector<double> PerAgentNumber::for_agents(std::span<const std::uint64_t> ids,
                                               const sim::RandomStream& random) const {
  if (!distribution) return std::vector<double>(ids.size(), value);
  std::vector<double> drawn(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i)
    drawn[i] = std::clamp(sim::draw(*distribution, random, ids[i], draw_index), low, high);
  return drawn;
}

}  // namespace detail
}  // namespace commons::models
