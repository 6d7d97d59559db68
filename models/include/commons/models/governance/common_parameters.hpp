// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Parameters that several rules share, described once.

#include <commons/sim/descriptor.hpp>

namespace commons::models {

/// `total`: a total allowable catch per step (tac, individual_quota, itq).
[[nodiscard]] sim::ParameterInfo catch_limit_total_parameter();
/// `fraction_of_msy`: the same as a fraction of the resource's MSY.
[[nodiscard]] sim::ParameterInfo fraction_of_msy_parameter();

}  // namespace commons::models
