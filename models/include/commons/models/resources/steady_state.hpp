// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// A resource's sustained state and the reference points that report it, shared by the
/// resources with steady states (docs/models.md).

#include <commons/sim/run_result.hpp>

#include <string>
#include <vector>

namespace commons::models {

/// A sustained state of a resource: stock, total effort, harvest and rent per step.
struct SteadyState {
  double stock = 0.0;
  double effort = 0.0;
  double harvest = 0.0;
  double rent = 0.0;
};

/// Appends `<prefix>_stock`, `_effort`, `_harvest` and `_rent` of `state` to `values`, each
/// described as at the `label` ("maximum sustainable yield"); `stock_meaning` says what the
/// stock is ("stock", "spawning biomass").
inline void append_reference_points(std::vector<sim::ScalarData>& values, const std::string& prefix,
                                    const std::string& label, const std::string& stock_meaning,
                                    const SteadyState& state) {
  const std::string at = " at the " + label;
  values.push_back({{prefix + "_stock", "resource_unit", stock_meaning + at}, state.stock});
  values.push_back({{prefix + "_effort", "effort_unit", "total effort sustaining the " + label}, state.effort});
  values.push_back({{prefix + "_harvest", "resource_unit", "harvest per step" + at}, state.harvest});
  values.push_back({{prefix + "_rent", "money", "rent per step" + at}, state.rent});
}

}  // namespace commons::models
