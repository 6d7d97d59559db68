// SPDX-License-Identifier: Apache-2.0
#pragma once
// A comparison (`compare:`): each variant is the scenario with some whole blocks replaced. The
// loader turns each into a document of its own, without `compare`, and checks and builds it
// exactly as it does the scenario; messages still name where the user wrote each part.

#include "document.hpp"

#include <commons/sim/spec.hpp>

#include <array>
#include <cstdint>
#include <string_view>

namespace commons::scenario::detail {

/// The blocks a variant may replace, in the order a scenario usually gives them.
inline constexpr std::array<std::string_view, 6> variant_blocks{"resource", "economics", "agents",
                                                                  "governance", "network",  "communication"};

/// Checks across the variants of `document` (validated, with its `compare` list): names are
/// unique, and when per-agent series are recorded (`agent_output`) every variant has the
/// scenario's `agents` agents. Throws ScenarioError at the variant.
void check_variants(const Document& document, bool agent_output, std::int64_t agents);

/// The document of variant `index` of `document` (validated, defaults not yet filled in): the
/// scenario without `compare`, the variant's blocks and description in place of its own, with
/// the variant's node locations and aliases that map its blocks back to /compare/index.
[[nodiscard]] Document variant_document(const Document& document, std::size_t index);

/// Rewrites the component pointers of a spec built from `variant` (a variant_document) to
/// pointers in the file, so that the engine's messages name what the user wrote.
void point_into_file(sim::ScenarioSpec& spec, const Document& variant);

}  // namespace commons::scenario::detail
