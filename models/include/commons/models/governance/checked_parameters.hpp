// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The parameter checks rules share: every impossible value is refused with a `sim::SpecError`
/// naming the rule, the parameter and the value. docs/governance.md

#include <commons/sim/random.hpp>
#include <commons/sim/spec.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace commons::models {

namespace detail {

/// `value` in its shortest form ("1.5", "-2", "inf"), for messages.
[[nodiscard]] std::string number_text(double value);

/// Reads the number `name` of rule `rule` (`fallback` when absent; required when there is no
/// fallback) and checks low <= value <= high. Throws SpecError, e.g.
/// "inspection: probability must be between 0 and 1, got 1.5".
[[nodiscard]] double checked_number(const sim::Parameters& values, std::string_view rule, std::string_view name,
                                    std::optional<double> fallback, double low,
                                    double high = std::numeric_limits<double>::infinity());

/// Like checked_number, and the value must also be a whole number (YAML `4` or `4.0`).
[[nodiscard]] std::int64_t checked_count(const sim::Parameters& values, std::string_view rule, std::string_view name,
                                         std::optional<std::int64_t> fallback, std::int64_t low,
                                         std::int64_t high = std::numeric_limits<std::int64_t>::max());

/// Reads the text `name` (`fallback` when absent) and checks it is one of `choices`. Throws
/// SpecError, e.g. "compliance: mode must be one of \"rational\", \"full\"; got \"lazy\"".
[[nodiscard]] std::string checked_choice(const sim::Parameters& values, std::string_view rule, std::string_view name,
                                         std::string_view fallback, std::span<const std::string_view> choices);

/// A rule parameter that may differ between agents: one number for everyone, or a
/// distribution drawn once per agent. Draws use the run's stream at (step 0, agent id,
/// initialise, index of "<rule>.<name>"), so an agent keeps its value whatever the thread
/// count and whenever the rule comes into force, and a rule's draws never coincide with a
/// behaviour's parameter of the same name.
struct PerAgentNumber {
  /// The value for every agent when there is no distribution.
  double value = 0.0;
  std::optional<sim::Distribution> distribution;
  /// Draws are clamped to [low, high]; a plain number must lie in it.
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  /// parameter_draw_index("<rule>.<name>").
  std::uint64_t draw_index = 0;

  /// Reads `name` as a number or a distribution; checks a number against [low, high].
  [[nodiscard]] static PerAgentNumber read(const sim::Parameters& values, std::string_view rule, std::string_view name,
                                           double fallback, double low,
                                           double high = std::numeric_limits<double>::infinity());
  /// The value of each agent of `ids`.
  [[nodiscard]] std::vector<double> for_agents(std::span<const std::uint64_t> ids,
                                               const sim::RandomStream& random) const;
};

}  // namespace detail
}  // namespace commons::models
