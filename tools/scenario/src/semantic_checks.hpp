// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a scenario means beyond its schema: the checks across fields that JSON Schema cannot
// express, and the defaults that depend on other keys. Both ask the models' facts
// (model_facts.hpp) rather than naming models.

#include "document.hpp"

namespace commons::scenario::detail {

/// The rules JSON Schema cannot say neatly (unique group names, exactly one of effort or
/// schedule, mix shares summing to 1, distributions, what a behaviour needs from the resource,
/// network sizes, communication, governance rules and their schedule, series); throws
/// ScenarioError in the same format as validate().
void check_rules(const Document& document);

/// Fills in every default the schema declares, and the defaults that depend on other keys.
void fill_defaults(Document& document);

}  // namespace commons::scenario::detail
