// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Descriptor entries that several resources share: a plain number with a default, a logistic
/// stock's growth rate, a required positive number, a table read
/// from a CSV file, the agents' observation error, the collapse fraction.

#include <commons/sim/descriptor.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

/// `growth_rate`: the intrinsic growth rate r of a logistic stock, in (0, 2] per step.
[[nodiscard]] inline sim::ParameterInfo growth_rate_parameter(std::string meaning) {
  return {.name = "growth_rate",
          .type = sim::ParameterType::number,
          .meaning = std::move(meaning),
          .unit = "1/step",
          .required = true,
          .minimum = sim::Bound{0.0, true},
          .maximum = sim::Bound{2.0}};
}

/// A required quantity above zero: a carrying capacity K, a catchability q.
[[nodiscard]] inline sim::ParameterInfo positive_parameter(std::string name, std::string meaning, std::string unit) {
  return {.name = std::move(name),
          .type = sim::ParameterType::number,
          .meaning = std::move(meaning),
          .unit = std::move(unit),
          .required = true,
          .minimum = sim::Bound{0.0, true}};
}

/// A CSV file of numbers the loader reads into a sim::Table (Parameters::table): a header
/// naming columns among `columns`, every one of `required` among them. The loader finds such
/// parameters by the `x-table` their schema carries, and reports a bad file with its line.
[[nodiscard]] inline sim::ParameterInfo table_parameter(std::string name, std::string meaning,
                                                        const std::vector<std::string>& columns,
                                                        const std::vector<std::string>& required) {
  const auto list = [](const std::vector<std::string>& names) {
    std::string text = "[";
    for (const std::string& column : names) text += (text.size() > 1 ? ", \"" : "\"") + column + "\"";
    return text + "]";
  };
  return {.name = std::move(name),
          .type = sim::ParameterType::custom,
          .meaning = std::move(meaning),
          .schema = R"({"type": "string", "minLength": 1, "x-table": {"columns": )" + list(columns) +
                    R"(, "required": )" + list(required) + "}}"};
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
