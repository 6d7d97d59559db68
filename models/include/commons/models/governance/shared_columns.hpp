// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The per-agent columns community rules share through the governance ledger, each defined
/// once so that every rule using it agrees on its start value and lifetime.
/// docs/governance.md#shared-columns

#include <commons/sim/governance_ledger.hpp>

namespace commons::models {

/// 1 for a member of the community that governs itself, 0 for an outsider. Everyone is a
/// member until `membership` says otherwise; kept from step to step, also after `membership`
/// leaves force. Written by `membership`; read by `appropriation_rule`, `collective_choice`,
/// `peer_monitoring`, `peer_sanction` and `state_recognition`.
inline constexpr sim::SharedColumn member_column{.name = "member", .initial = 1.0, .lapses = false};

/// Hours the agent spent monitoring others in the step [hour]. Written by `peer_monitoring`;
/// credited by `time_bank`.
inline constexpr sim::SharedColumn monitoring_hours_column{.name = "monitoring_hours", .initial = 0.0, .lapses = true};

}  // namespace commons::models
