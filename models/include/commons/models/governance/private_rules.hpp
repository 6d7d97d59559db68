// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Registration of the private-property rules written in this file group (`itq`).

#include <commons/sim/registry.hpp>

namespace commons::models {

/// Registers the rule `itq` (individual transferable quotas); docs/governance.md#itq.
void register_private_rules(sim::Registry& registry);

}  // namespace commons::models
