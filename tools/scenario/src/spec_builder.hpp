// SPDX-License-Identifier: Apache-2.0
#pragma once
// Turns a validated document with its defaults filled in into the engine's plain spec.

#include "attached_files.hpp"
#include "document.hpp"

#include <commons/sim/registry.hpp>
#include <commons/sim/spec.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace commons::scenario::detail {

/// Builds the spec; the document must have passed validation and check_rules, and `files`
/// hold what read_attached_files read for it.
[[nodiscard]] sim::ScenarioSpec build_spec(const Json& root, std::string_view source, const AttachedFiles& files);

/// The steps from a validated document (a scenario, or one variant of a comparison) to its spec,
/// as the loader and ScenarioBuilder take them: the checks in code, the defaults, the files it
/// names (relative to `directory`) and build_spec. Throws ScenarioError.
[[nodiscard]] sim::ScenarioSpec build_scenario(Document& document, const std::string& source,
                                               const std::filesystem::path& directory);

/// With a registry, makes the checks a run makes before its first step (sim::preflight) and
/// reports a component that cannot work in its world at its key in `document`; returns `spec`.
[[nodiscard]] sim::ScenarioSpec preflight_at_keys(sim::ScenarioSpec spec, const Document& document,
                                                  const sim::Registry* registry);

/// The document as ScenarioSpec::resolved_text records it.
[[nodiscard]] std::string resolved_text(const Json& root);

}  // namespace commons::scenario::detail
