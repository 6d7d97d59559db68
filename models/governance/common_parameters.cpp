// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/common_parameters.hpp>

namespace commons::models {

sim::ParameterInfo catch_limit_total_parameter() {
  return {.name = "total",
          .type = sim::ParameterType::number,
          .meaning = "Total allowable catch per step",
          .unit = "resource unit/step",
          .note = "give this or fraction_of_msy",
          .minimum = sim::Bound{0.0}};
}

sim::ParameterInfo fraction_of_msy_parameter() {
  return {.name = "fraction_of_msy",
          .type = sim::ParameterType::number,
          .meaning =
              "Total allowable catch as a fraction of the resource's maximum sustainable yield (its "
              "msy_harvest reference point, which only some resources have)",
          .unit = "1",
          .note = "give this or total",
          .minimum = sim::Bound{0.0}};
}

sim::ParameterInfo season_period_parameter(bool required, std::string note) {
  return {.name = "period",
          .type = sim::ParameterType::integer,
          .meaning = "Length of the cycle, e.g. 12 for a year of monthly steps",
          .unit = "step",
          .note = std::move(note),
          .required = required,
          .minimum = sim::Bound{1.0}};
}

sim::ParameterInfo season_closed_parameter(bool required, std::string note) {
  return {.name = "closed",
          .type = sim::ParameterType::integers,
          .meaning = "Offsets within the cycle that are closed, each less than period",
          .unit = "step",
          .note = std::move(note),
          .required = required,
          .minimum = sim::Bound{0.0},
          .min_items = 1,
          .max_items = 100000,
          .unique_items = true};
}

sim::ParameterInfo site_detection_parameter(std::string meaning) {
  return {.name = "detection_probability",
          .type = sim::ParameterType::number,
          .meaning = std::move(meaning),
          .unit = "1",
          .minimum = sim::Bound{0.0},
          .maximum = sim::Bound{1.0},
          .default_value = 0.0};
}

}  // namespace commons::models
