// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Descriptor entries that several resources share: a plain number with a default, the agents'
/// observation error, the collapse fraction.

#include <commons/sim/descriptor.hpp>

#include <optional>
#include <string>
#include <utility>

namespace commons::models {

/// An optional number parameter with its default and bounds.
[[nodiscard]] inline sim::ParameterInfo number_parameter(std::string name, std::string meaning, std::string unit,
                                                         double default_value, std::optional<sim::Bound> minimum,
                                                         std::optional<sim::Bound> maximum = std::nullopt) {
  return {.name = std::move(name),
          .type = sim::ParameterType::number,
          .meaning = std::move(meaning),
          .unit = std::move(unit),
          .minimum = minimum,
          .maximum = maximum,
          .default_value = default_value};
}

/// `observation_noise`: the sd of the log-normal error with which agents observe `what`.
[[nodiscard]] inline sim::ParameterInfo observation_noise_parameter(const std::string& what) {
  sim::ParameterInfo info = number_parameter(
      "observation_noise", "Standard deviation of the log-normal error with which agents observe " + what, "1", 0.0,
      sim::Bound{0.0}, sim::Bound{3.0});
  info.note = "0 means exact observation";
  return info;
}

/// `collapse_fraction`: below this fraction of `reference` the resource counts as collapsed.
[[nodiscard]] inline sim::ParameterInfo collapse_fraction_parameter(const std::string& measure,
                                                                    const std::string& reference,
                                                                    double default_value) {
  return number_parameter("collapse_fraction",
                          "A " + measure + " below this fraction of " + reference + " counts as collapsed", "1",
                          default_value, sim::Bound{0.0, true}, sim::Bound{1.0, true});
}

}  // namespace commons::models
