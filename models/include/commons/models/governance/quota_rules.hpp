// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Registration of the group-limit and management rules: `tac`, `individual_quota`, `reserve`,
/// `harvest_control_rule`, `sole_owner` and `free_entry`.

#include <commons/sim/registry.hpp>

namespace commons::models {

/// Adds the rules named above to `registry`.
void register_quota_rules(sim::Registry& registry);

}  // namespace commons::models
