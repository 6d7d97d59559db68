// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// What every decision behaviour needs before its first step: each agent's effort cap and
/// its opening effort, read the same way everywhere (docs/behaviour.md#payoffs).

#include <commons/sim/behaviour.hpp>
#include <commons/sim/spec.hpp>

#include <vector>

namespace commons::models {

/// Each agent's most effort: its `max_effort` (a number or a per-agent draw; unbounded when
/// absent) and never more than the resource's limit (a game's endowment).
[[nodiscard]] std::vector<double> effort_caps(const sim::Parameters& parameters, const sim::GroupContext& group);

/// An agent's equal share of the resource's social optimum, the opening a laboratory subject
/// who has thought about the group would choose; 0 when the resource has no optimum.
[[nodiscard]] double optimum_share(const sim::GroupContext& group);

/// Each agent's `initial_effort` (a number or a per-agent draw; the optimum share when
/// absent), within [0, cap].
[[nodiscard]] std::vector<double> opening_efforts(const sim::Parameters& parameters, const sim::GroupContext& group,
                                                  const std::vector<double>& caps);

}  // namespace commons::models
