// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/registry.hpp>

#include <algorithm>
#include <stdexcept>

namespace commons::sim {
namespace {

template <class Map>
std::vector<std::string> keys_of(const Map& map) {
  std::vector<std::string> keys;
  keys.reserve(map.size());
  for (const auto& [key, value] : map) keys.push_back(key);
  return keys;
}

template <class Map>
const typename Map::mapped_type& find_or_throw(const Map& map, std::string_view name, std::string_view kind) {
  const auto it = map.find(name);
  if (it == map.end()) throw SpecError("no " + std::string(kind) + " named '" + std::string(name) + "' is registered");
  return it->second;
}

}  // namespace

void Registry::add_resource(std::string name, ResourceFactory factory) {
  resources_.insert_or_assign(std::move(name), std::move(factory));
}
void Registry::add_behaviour(std::string name, BehaviourFactory factory, BehaviourCheck check) {
  if (check) behaviour_checks_.insert_or_assign(name, std::move(check));
  behaviours_.insert_or_assign(std::move(name), std::move(factory));
}
void Registry::add_rule(std::string name, RuleFactory factory) {
  rules_.insert_or_assign(std::move(name), std::move(factory));
}
void Registry::add_regime(std::string name, std::vector<ComponentSpec> rules) {
  regimes_.insert_or_assign(std::move(name), std::move(rules));
}

std::unique_ptr<Resource> Registry::make_resource(const ComponentSpec& spec) const {
  return find_or_throw(resources_, spec.model, "resource")(spec);
}

std::unique_ptr<Behaviour> Registry::make_behaviour(const ComponentSpec& spec, const GroupContext& group) const {
  return find_or_throw(behaviours_, spec.model, "behaviour")(spec, group);
}

void Registry::check_behaviour(const ComponentSpec& spec, const CohortCheck& cohort) const {
  find_or_throw(behaviours_, spec.model, "behaviour");
  if (const auto it = behaviour_checks_.find(spec.model); it != behaviour_checks_.end()) it->second(spec, cohort);
}

std::vector<Registry::ScheduledRule> Registry::make_rules(const GovernanceSpec& governance) const {
  std::vector<RuleSpec> specs;
  for (const ComponentSpec& rule : find_or_throw(regimes_, governance.regime, "regime")) specs.push_back({rule});
  for (const RuleSpec& own : governance.rules) {
    const auto same = std::find_if(specs.begin(), specs.end(),
                                   [&](const RuleSpec& bundled) { return bundled.rule.model == own.rule.model; });
    if (same != specs.end())
      *same = own;
    else
      specs.push_back(own);
  }
  // Limits need someone to weigh them: a governed run without a `compliance` rule gets the
  // registered one with its default parameters (docs/governance.md#compliance).
  const bool has_compliance =
      std::any_of(specs.begin(), specs.end(), [](const RuleSpec& spec) { return spec.rule.model == "compliance"; });
  if (!specs.empty() && !has_compliance && rules_.contains("compliance"))
    specs.push_back({ComponentSpec{"compliance", {}, "/governance/compliance"}});
  std::vector<ScheduledRule> rules;
  for (const RuleSpec& spec : specs) {
    const RuleFactory& make = find_or_throw(rules_, spec.rule.model, "rule");
    std::unique_ptr<Rule> rule;
    try {
      rule = make(spec.rule);
    } catch (const SpecError& error) {
      throw ComponentError(spec.rule.pointer, error.what());
    } catch (const std::invalid_argument& error) {
      throw ComponentError(spec.rule.pointer, error.what());
    }
    rules.push_back({spec.rule.model, std::move(rule), spec.rule.pointer, spec.from, spec.until});
  }
  return rules;
}

std::vector<std::string> Registry::resource_names() const { return keys_of(resources_); }
std::vector<std::string> Registry::behaviour_names() const { return keys_of(behaviours_); }
std::vector<std::string> Registry::rule_names() const { return keys_of(rules_); }
std::vector<std::string> Registry::regime_names() const { return keys_of(regimes_); }

}  // namespace commons::sim
