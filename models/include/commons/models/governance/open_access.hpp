// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `open_access`: the regime with no rules; anyone harvests as much as they like.

#include <commons/sim/registry.hpp>

namespace commons::models {

/// Registers the `open_access` regime: an empty bundle of rules.
void register_open_access(sim::Registry& registry);

}  // namespace commons::models
