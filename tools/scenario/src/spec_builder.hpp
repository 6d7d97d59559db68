// SPDX-License-Identifier: Apache-2.0
#pragma once
// Turns a validated document with its defaults filled in into the engine's plain spec.

#include "attached_files.hpp"
#include "document.hpp"

#include <commons/sim/spec.hpp>

#include <string>
#include <string_view>

namespace commons::scenario::detail {

/// Builds the spec; the document must have passed validation and check_rules, and `files`
/// hold what read_attached_files read for it.
[[nodiscard]] sim::ScenarioSpec build_spec(const Json& root, std::string_view source, const AttachedFiles& files);

/// The document as ScenarioSpec::resolved_text records it.
[[nodiscard]] std::string resolved_text(const Json& root);

}  // namespace commons::scenario::detail
