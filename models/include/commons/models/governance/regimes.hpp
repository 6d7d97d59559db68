// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The regimes other than open access: named bundles of rules (docs/governance.md#regimes).
/// Their parameters suit the bundled fishery; a scenario overrides any bundled rule by listing
/// a rule of the same name, and adds rules by listing others.

#include <commons/sim/registry.hpp>

namespace commons::models {

/// Registers `state`, `private`, `local` and `co_management`. The scenario loader keeps a
/// copy of the rule names in each bundle (tools/scenario/src/checks.cpp, regime_rules) to
/// know which rule variables a scenario records; keep the two in step.
void register_regimes(sim::Registry& registry);

}  // namespace commons::models
