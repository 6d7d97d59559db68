// SPDX-License-Identifier: Apache-2.0
#pragma once
// The steps between reading a scenario and building its spec, in the order the loader runs them.

#include "document.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace commons::scenario::detail {

/// Types scalars by the schema, where the document's own typing guessed wrong: a number or
/// boolean written as a plain scalar where the schema wants text becomes that text again
/// (`name: 2024`), and a whole real number where it wants an integer becomes one (`count: 2.0`).
/// Also rejects what would make validation slow (over-long strings under a pattern, over-long
/// lists that must hold unique items).
void prepare(Document& document);

/// Validates against the schema; on failure throws ScenarioError for the deepest problem.
void validate(const Document& document);

/// The rules JSON Schema cannot say neatly (unique group names, exactly one of effort or
/// schedule, mix shares summing to 1, distributions, what a behaviour needs from the resource,
/// network sizes, communication, governance rules and their schedule, series); throws
/// ScenarioError in the same format.
void check_rules(const Document& document);

/// Fills in every default the schema declares, and the defaults that depend on other keys.
void fill_defaults(Document& document);

/// The closest of `candidates` to `word` when it is close enough to be a likely typo.
[[nodiscard]] std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace commons::scenario::detail
