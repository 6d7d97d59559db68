// SPDX-License-Identifier: Apache-2.0
#pragma once
// Command-line overrides (`--set resource.growth_rate=0.7`) applied to the parsed document
// before validation, so that they are checked exactly like the file.

#include "document.hpp"

#include <commons/scenario/loader.hpp>

namespace commons::scenario::detail {

/// Sets the value at `change.path`, creating missing parent mappings. The value is parsed as
/// YAML under the strict profile. Throws ScenarioError located in the argument ("--set").
void apply_override(Document& document, const Override& change);

}  // namespace commons::scenario::detail
