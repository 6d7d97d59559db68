// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Registration of the peer and co-management rules: `peer_monitoring`, `peer_sanction`,
/// `state_recognition` and `time_bank`. docs/governance.md

#include <commons/sim/registry.hpp>

namespace commons::models {

/// Registers `peer_monitoring`, `peer_sanction`, `state_recognition` and `time_bank`.
void register_comanagement_rules(sim::Registry& registry);

}  // namespace commons::models
