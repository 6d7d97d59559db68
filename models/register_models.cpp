// SPDX-License-Identifier: Apache-2.0
#include <commons/models/register_models.hpp>

#include <commons/models/behaviour/fixed.hpp>
#include <commons/models/behaviour/fleet.hpp>
#include <commons/models/governance/open_access.hpp>
#include <commons/models/resources/fishery_logistic.hpp>

namespace commons::models {

void register_models(sim::Registry& registry) {
  registry.add_resource("fishery_logistic", [](const sim::ComponentSpec& spec) {
    return std::make_unique<FisheryLogistic>(FisheryLogistic::Parameters::from(spec.parameters));
  });
  registry.add_behaviour("fixed", [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Fixed>(Fixed::Parameters::from(spec.parameters), group);
  });
  registry.add_behaviour("fleet", [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Fleet>(Fleet::Parameters::from(spec.parameters), group);
  });
  register_open_access(registry);
}

const sim::Registry& default_registry() {
  static const sim::Registry registry = [] {
    sim::Registry built;
    register_models(built);
    return built;
  }();
  return registry;
}

}  // namespace commons::models
