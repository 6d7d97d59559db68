// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Parameters that several rules share, described once.

#include <commons/sim/descriptor.hpp>

#include <string>

namespace commons::models {

/// `total`: a total allowable catch per step (tac, individual_quota, itq).
[[nodiscard]] sim::ParameterInfo catch_limit_total_parameter();
/// `fraction_of_msy`: the same as a fraction of the resource's MSY.
[[nodiscard]] sim::ParameterInfo fraction_of_msy_parameter();

/// `period` and `closed`: a repeating calendar of closed steps (closed_season, a seasonal
/// no_take_area); `required` where the rule cannot do without one, else `note` says when.
[[nodiscard]] sim::ParameterInfo season_period_parameter(bool required, std::string note = {});
[[nodiscard]] sim::ParameterInfo season_closed_parameter(bool required, std::string note = {});
/// `detection_probability`: the chance a breach of the rule's sites is detected in a step
/// (no_take_area, territorial_use_rights); `meaning` says by whom.
[[nodiscard]] sim::ParameterInfo site_detection_parameter(std::string meaning);

}  // namespace commons::models
