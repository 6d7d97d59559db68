// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Registration of the rules of local self-governance (Ostrom 1990, ch. 3): `membership`,
/// `appropriation_rule`, `collective_choice`, `graduated_sanctions` and
/// `conflict_resolution`. docs/governance.md

#include <commons/sim/registry.hpp>

namespace commons::models {

/// Registers `membership`, `appropriation_rule`, `collective_choice`, `graduated_sanctions`
/// and `conflict_resolution`.
void register_local_rules(sim::Registry& registry);

}  // namespace commons::models
