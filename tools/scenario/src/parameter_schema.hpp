// SPDX-License-Identifier: Apache-2.0
#pragma once
// One parameter's JSON Schema, made from its descriptor: what the generated scenario schema
// holds for it, and what ScenarioBuilder checks a value against when it is set.

#include <commons/sim/descriptor.hpp>

#include <nlohmann/json.hpp>

namespace commons::scenario::detail {

/// The schema of `parameter` of `model` (type, bounds, choices, lengths, default); a
/// per-agent number refers to `#/definitions/per_agent_number` of the scenario schema.
/// \throws std::invalid_argument when a custom schema is not a JSON object.
[[nodiscard]] nlohmann::ordered_json parameter_schema(const sim::ModelDescriptor& model,
                                                      const sim::ParameterInfo& parameter);

}  // namespace commons::scenario::detail
