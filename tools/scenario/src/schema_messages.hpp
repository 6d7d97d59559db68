// SPDX-License-Identifier: Apache-2.0
#pragma once
// The scenario held against its JSON Schema: scalars typed by the schema, then validated, and a
// failure turned into a message a user can act on (the deepest problem, at the key or value the
// user wrote, with the allowed keys or values and a "did you mean"). Also how every message of
// the loader shows what the user wrote, so that the checks in code read alike.

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

/// Why `value`, to be placed at `pointer`, breaks `schema` by the schema's own keywords (type,
/// allowed values, length, pattern, range, multiple, list size and unique items), in the words
/// validate() uses; references and subschemas are not followed. For checks made before the
/// document is whole (ScenarioBuilder).
[[nodiscard]] std::optional<std::string> own_problem(const Json& schema, const Json& value, const Document& document,
                                                     const std::string& pointer);

/// The closest of `candidates` to `word` when it is close enough to be a likely typo.
[[nodiscard]] std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

/// The value at `pointer` as a message shows it: numbers and booleans as written, text quoted.
[[nodiscard]] std::string show(const Json& value, const Document& document, const std::string& pointer);
/// Words separated by ", ", each made printable.
[[nodiscard]] std::string join(const std::vector<std::string>& words);
/// "1 entry", "3 entries".
[[nodiscard]] std::string entries(std::size_t count);
/// Numeric order of two JSON numbers, exact between integers.
[[nodiscard]] bool less_than(const Json& a, const Json& b);

}  // namespace commons::scenario::detail
