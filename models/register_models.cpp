// SPDX-License-Identifier: Apache-2.0
// register_models() itself is generated from the model files (models/cmake/collect_registrations.cmake).
#include <commons/models/register_models.hpp>

namespace commons::models {

const sim::Registry& default_registry() {
  static const sim::Registry registry = [] {
    sim::Registry built;
    register_models(built);
    return built;
  }();
  return registry;
}

}  // namespace commons::models
