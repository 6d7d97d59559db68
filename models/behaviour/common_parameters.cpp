// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/common_parameters.hpp>

namespace commons::models {

sim::ParameterInfo max_effort_parameter() {
  return {.name = "max_effort",
          .type = sim::ParameterType::per_agent_number,
          .meaning = "Upper bound on the agent's effort",
          .unit = "effort unit",
          .note =
              "the cap is the smaller of this and the resource's effort limit (cpr_quadratic: the endowment); "
              "default: the resource's limit, else no bound",
          .minimum = sim::Bound{0.0, true}};
}

sim::ParameterInfo initial_effort_parameter() {
  return {.name = "initial_effort",
          .type = sim::ParameterType::per_agent_number,
          .meaning = "Effort in the first step",
          .unit = "effort unit",
          .note = "default: the agent's equal share of the social optimum when the resource has one, else 0",
          .minimum = sim::Bound{0.0}};
}

sim::ParameterInfo choices_parameter() {
  return {.name = "choices",
          .type = sim::ParameterType::numbers,
          .meaning =
              "The efforts the agent chooses among, the same for every agent; without it the agent chooses "
              "any effort in [0, cap]",
          .unit = "effort unit",
          .minimum = sim::Bound{0.0},
          .min_items = 1,
          .max_items = 10000,
          .unique_items = true};
}

sim::ParameterInfo social_preference_parameter() {
  // The block's own keys (model, its weights) are the scenario format's definition
  // `social_preference`, shared with the scenario's top-level social preferences.
  return {.name = "social_preference",
          .type = sim::ParameterType::custom,
          .meaning =
              "What the agent feels about the others' payoffs: Fehr-Schmidt inequity aversion or a social "
              "value orientation",
          .schema = R"json({"allOf": [{"$ref": "#/definitions/social_preference"}]})json"};
}

std::vector<sim::ParameterInfo> learning_parameters(std::vector<sim::ParameterInfo> own) {
  for (sim::ParameterInfo shared :
       {choices_parameter(), social_preference_parameter(), max_effort_parameter(), initial_effort_parameter()})
    own.push_back(std::move(shared));
  return own;
}

}  // namespace commons::models
