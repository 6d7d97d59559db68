// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/quota_rules.hpp>

#include <commons/models/governance/free_entry.hpp>
#include <commons/models/governance/harvest_control_rule.hpp>
#include <commons/models/governance/individual_quota.hpp>
#include <commons/models/governance/reserve.hpp>
#include <commons/models/governance/sole_owner.hpp>
#include <commons/models/governance/tac.hpp>

namespace commons::models {

void register_quota_rules(sim::Registry& registry) {
  registry.add_rule("tac", [](const sim::ComponentSpec& spec) {
    return std::make_unique<Tac>(Tac::Parameters::from(spec.parameters));
  });
  registry.add_rule("individual_quota", [](const sim::ComponentSpec& spec) {
    return std::make_unique<IndividualQuota>(IndividualQuota::Parameters::from(spec.parameters));
  });
  registry.add_rule("reserve", [](const sim::ComponentSpec& spec) {
    return std::make_unique<Reserve>(Reserve::Parameters::from(spec.parameters));
  });
  registry.add_rule("harvest_control_rule", [](const sim::ComponentSpec& spec) {
    return std::make_unique<HarvestControlRule>(HarvestControlRule::Parameters::from(spec.parameters));
  });
  registry.add_rule("sole_owner", [](const sim::ComponentSpec& spec) {
    return std::make_unique<SoleOwner>(SoleOwner::Parameters::from(spec.parameters));
  });
  registry.add_rule("free_entry", [](const sim::ComponentSpec& spec) {
    return std::make_unique<FreeEntry>(FreeEntry::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
