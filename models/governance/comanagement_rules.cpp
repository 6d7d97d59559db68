// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/comanagement_rules.hpp>

#include <commons/models/governance/peer_monitoring.hpp>
#include <commons/models/governance/peer_sanction.hpp>
#include <commons/models/governance/state_recognition.hpp>
#include <commons/models/governance/time_bank.hpp>

#include <memory>

namespace commons::models {

void register_comanagement_rules(sim::Registry& registry) {
  registry.add_rule("peer_monitoring", [](const sim::ComponentSpec& spec) {
    return std::make_unique<PeerMonitoring>(PeerMonitoring::Parameters::from(spec.parameters));
  });
  registry.add_rule("peer_sanction", [](const sim::ComponentSpec& spec) {
    return std::make_unique<PeerSanction>(PeerSanction::Parameters::from(spec.parameters));
  });
  registry.add_rule("state_recognition", [](const sim::ComponentSpec& spec) {
    return std::make_unique<StateRecognition>(StateRecognition::Parameters::from(spec.parameters));
  });
  registry.add_rule("time_bank", [](const sim::ComponentSpec& spec) {
    return std::make_unique<TimeBank>(TimeBank::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
