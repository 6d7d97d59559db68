// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/private_rules.hpp>

#include <commons/models/governance/itq.hpp>

#include <memory>

namespace commons::models {

void register_private_rules(sim::Registry& registry) {
  registry.add_rule("itq", [](const sim::ComponentSpec& spec) {
    return std::make_unique<Itq>(Itq::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
