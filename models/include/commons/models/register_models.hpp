// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Puts every model of this library into a registry under its scenario name.

#include <commons/sim/registry.hpp>

namespace commons::models {

/// Adds the resources, behaviours, rules and regimes of this library to `registry`.
void register_models(sim::Registry& registry);

/// A registry holding every model of this library, built once.
[[nodiscard]] const sim::Registry& default_registry();

}  // namespace commons::models
