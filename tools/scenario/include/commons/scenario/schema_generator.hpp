// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The scenario JSON Schema, made from the scenario format's own keys and the registry's model
/// descriptors. The build runs it (tools/scenario/generate_schema.cpp) to make the schema the
/// loader embeds and that scenarios/schema/scenario.schema.json must equal; `commons describe
/// --schema` prints it.

#include <commons/sim/registry.hpp>

#include <string>
#include <string_view>

namespace commons::scenario {

/// `format_schema` (tools/scenario/schema/format.schema.json) completed from `registry`:
/// - `definitions/resource`, `behaviour` and `rule`: each model's keys, from its parameters;
///   the `*_component` definitions' name lists and their choice of the model's keys;
/// - a rule's `governance_key` block (`governance.compliance`);
/// - the regimes, and the series a run may record (`output.series`);
/// - `x-models`: what the loader's checks ask of models without building them (the series each
///   records, capabilities, the rules a regime bundles, which rules every governed run gets).
/// Returns the schema as JSON text, two-space indented, ending in a newline.
/// \throws std::invalid_argument when a descriptor's custom schema is not JSON, or a name is
/// registered twice across kinds in a way the schema cannot hold.
[[nodiscard]] std::string generate_scenario_schema(const sim::Registry& registry, std::string_view format_schema);

}  // namespace commons::scenario
