// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/local_rules.hpp>

#include <commons/models/governance/appropriation_rule.hpp>
#include <commons/models/governance/collective_choice.hpp>
#include <commons/models/governance/conflict_resolution.hpp>
#include <commons/models/governance/graduated_sanctions.hpp>
#include <commons/models/governance/membership.hpp>

#include <memory>

namespace commons::models {

void register_local_rules(sim::Registry& registry) {
  registry.add_rule("membership", [](const sim::ComponentSpec& spec) {
    return std::make_unique<Membership>(Membership::Parameters::from(spec.parameters));
  });
  registry.add_rule("appropriation_rule", [](const sim::ComponentSpec& spec) {
    return std::make_unique<AppropriationRule>(AppropriationRule::Parameters::from(spec.parameters));
  });
  registry.add_rule("collective_choice", [](const sim::ComponentSpec& spec) {
    return std::make_unique<CollectiveChoice>(CollectiveChoice::Parameters::from(spec.parameters));
  });
  registry.add_rule("graduated_sanctions", [](const sim::ComponentSpec& spec) {
    return std::make_unique<GraduatedSanctions>(GraduatedSanctions::Parameters::from(spec.parameters));
  });
  registry.add_rule("conflict_resolution", [](const sim::ComponentSpec& spec) {
    return std::make_unique<ConflictResolution>(ConflictResolution::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
