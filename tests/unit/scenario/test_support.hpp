// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the loader tests: a valid scenario to start from and a way to get an error's text.

#include <commons/scenario/loader.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace commons::scenario::test {

/// A small valid scenario using every required key and nothing else.
inline constexpr std::string_view minimal_scenario = R"(name: minimal
resource:
  model: fishery_logistic
  growth_rate: 0.5
  carrying_capacity: 1000
  catchability: 0.01
agents:
  - group: fleet
    count: 20
    behaviour:
      model: fleet
      initial_effort: 1
      adjustment_rate: 0.002
steps: 200
)";

/// what() of the ScenarioError that loading `text` as "test.yaml" throws; "" when it loads.
inline std::string error_of(std::string_view text, std::span<const Override> overrides = {}) {
  try {
    static_cast<void>(load_scenario_text(text, "test.yaml", overrides));
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

/// `minimal_scenario` with the first occurrence of `from` replaced by `to`.
inline std::string edited(std::string_view from, std::string_view to) {
  std::string text(minimal_scenario);
  const auto at = text.find(from);
  if (at == std::string::npos) ADD_FAILURE() << "fixture text lacks '" << from << "'";
  else text.replace(at, from.size(), to);
  return text;
}

}  // namespace commons::scenario::test
