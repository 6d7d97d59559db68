// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Parameters that several behaviours share, described once (docs/behaviour.md#shared-parameters).

#include <commons/sim/descriptor.hpp>

#include <vector>

namespace commons::models {

/// `max_effort`: the agent's own cap on its effort, per agent.
[[nodiscard]] sim::ParameterInfo max_effort_parameter();
/// `initial_effort`: the effort of the first step, per agent.
[[nodiscard]] sim::ParameterInfo initial_effort_parameter();
/// `choices`: the discrete efforts a learning agent chooses among.
[[nodiscard]] sim::ParameterInfo choices_parameter();
/// `social_preference`: what an agent feels about others' payoffs (docs/behaviour.md).
[[nodiscard]] sim::ParameterInfo social_preference_parameter();

/// `own` followed by what every learning behaviour (best_response, ewa, imitation, aspiration)
/// also takes: choices, social_preference, max_effort and initial_effort, in that order.
[[nodiscard]] std::vector<sim::ParameterInfo> learning_parameters(std::vector<sim::ParameterInfo> own);

}  // namespace commons::models
