// SPDX-License-Identifier: Apache-2.0
#include <commons/models/register_models.hpp>

#include <commons/models/behaviour/aspiration.hpp>
#include <commons/models/behaviour/best_response.hpp>
#include <commons/models/behaviour/conditional.hpp>
#include <commons/models/behaviour/cooperative.hpp>
#include <commons/models/behaviour/ewa.hpp>
#include <commons/models/behaviour/fixed.hpp>
#include <commons/models/behaviour/fleet.hpp>
#include <commons/models/behaviour/human.hpp>
#include <commons/models/behaviour/imitation.hpp>
#include <commons/models/behaviour/scripted.hpp>
#include <commons/models/governance/comanagement_rules.hpp>
#include <commons/models/governance/local_rules.hpp>
#include <commons/models/governance/open_access.hpp>
#include <commons/models/governance/regimes.hpp>
#include <commons/models/governance/private_rules.hpp>
#include <commons/models/governance/quota_rules.hpp>
#include <commons/models/governance/state_rules.hpp>
#include <commons/models/resources/cpr_quadratic.hpp>
#include <commons/models/resources/fishery_logistic.hpp>

namespace commons::models {

void register_models(sim::Registry& registry) {
  registry.add_resource("cpr_quadratic", [](const sim::ComponentSpec& spec) {
    return std::make_unique<CprQuadratic>(CprQuadratic::Parameters::from(spec.parameters));
  });
  registry.add_resource("fishery_logistic", [](const sim::ComponentSpec& spec) {
    return std::make_unique<FisheryLogistic>(FisheryLogistic::Parameters::from(spec.parameters));
  });
  registry.add_behaviour("aspiration", [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Aspiration>(spec.parameters, group);
  });
  registry.add_behaviour("best_response", [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<BestResponse>(spec.parameters, group);
  });
  registry.add_behaviour("conditional", [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Conditional>(spec.parameters, group);
  });
  registry.add_behaviour("cooperative", [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Cooperative>(spec.parameters, group);
  });
  registry.add_behaviour("ewa", [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Ewa>(spec.parameters, group);
  });
  registry.add_behaviour("fixed", [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Fixed>(Fixed::Parameters::from(spec.parameters), group);
  });
  registry.add_behaviour("fleet", [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Fleet>(Fleet::Parameters::from(spec.parameters), group);
  });
  registry.add_behaviour("human", [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Human>(spec.parameters, group);
  });
  registry.add_behaviour("imitation", [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Imitation>(spec.parameters, group);
  });
  registry.add_behaviour(
      "scripted",
      [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
        return std::make_unique<Scripted>(spec.parameters, group);
      },
      [](const sim::ComponentSpec& spec, const sim::CohortCheck& cohort) {
        try {
          static_cast<void>(Scripted::check(spec.parameters, cohort));
        } catch (const sim::SpecError& error) {
          throw sim::ComponentError(spec.pointer + "/decisions", error.what());
        }
      });
  register_open_access(registry);
  register_regimes(registry);
  register_local_rules(registry);
  register_comanagement_rules(registry);
  register_private_rules(registry);
  register_quota_rules(registry);
  register_state_rules(registry);
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
