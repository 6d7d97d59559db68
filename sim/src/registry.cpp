// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/registry.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <variant>

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

// A default as the loader fills it in from the schema: a whole number as an integer (the
// schema holds `1`, not `1.0`), anything else as declared.
ParameterValue parameter_value(const DefaultValue& fallback) {
  if (const double* number = std::get_if<double>(&fallback);
      number != nullptr && std::isfinite(*number) && *number == std::floor(*number) && std::abs(*number) < 9.0e15)
    return static_cast<std::int64_t>(*number);
  return std::visit([](const auto& held) { return ParameterValue(held); }, fallback);
}

// `spec` with its descriptor's default for every parameter it leaves out (and the value of the
// parameter named by default_from), so that a model reads its defaults from its descriptor
// whoever made the spec: the loader and ScenarioBuilder have filled them in already; a regime's
// bundled rules, the rules every governed run gets and specs built in code get them here.
ComponentSpec with_defaults(const ComponentSpec& spec, const ModelDescriptor& descriptor) {
  std::map<std::string, ParameterValue, std::less<>> values = spec.parameters.values();
  const auto absent = [&](const ParameterInfo& parameter) {
    return !values.contains(parameter.name) && spec.parameters.block(parameter.name) == nullptr;
  };
  bool filled = false;
  for (const ParameterInfo& parameter : descriptor.parameters) {
    if (!absent(parameter) || !parameter.default_value) continue;
    values.emplace(parameter.name, parameter_value(*parameter.default_value));
    filled = true;
  }
  for (const ParameterInfo& parameter : descriptor.parameters) {
    if (!absent(parameter) || parameter.default_from.empty()) continue;
    if (const auto source = values.find(parameter.default_from); source != values.end()) {
      const ParameterValue copy = source->second;
      values.emplace(parameter.name, copy);
      filled = true;
    }
  }
  if (!filled) return spec;
  ComponentSpec result{spec.model, Parameters(std::move(values)), spec.pointer};
  for (const ParameterInfo& parameter : descriptor.parameters)
    if (const Parameters* block = spec.parameters.block(parameter.name)) result.parameters.set_block(parameter.name, *block);
  return result;
}

}  // namespace

void Registry::add_resource(ModelDescriptor descriptor, ResourceFactory factory) {
  descriptor.kind = ModelKind::resource;
  std::string name = descriptor.name;
  resources_.insert_or_assign(std::move(name), Entry<ResourceFactory>{std::move(descriptor), std::move(factory)});
}
void Registry::add_behaviour(ModelDescriptor descriptor, BehaviourFactory factory, BehaviourCheck check) {
  descriptor.kind = ModelKind::behaviour;
  std::string name = descriptor.name;
  if (check)
    behaviour_checks_.insert_or_assign(name, std::move(check));
  else
    behaviour_checks_.erase(name);
  behaviours_.insert_or_assign(std::move(name), Entry<BehaviourFactory>{std::move(descriptor), std::move(factory)});
}
void Registry::add_rule(ModelDescriptor descriptor, RuleFactory factory) {
  descriptor.kind = ModelKind::rule;
  std::string name = descriptor.name;
  rules_.insert_or_assign(std::move(name), Entry<RuleFactory>{std::move(descriptor), std::move(factory)});
}
void Registry::add_resource(std::string name, ResourceFactory factory) {
  add_resource(ModelDescriptor{.name = std::move(name)}, std::move(factory));
}
void Registry::add_behaviour(std::string name, BehaviourFactory factory, BehaviourCheck check) {
  add_behaviour(ModelDescriptor{.name = std::move(name)}, std::move(factory), std::move(check));
}
void Registry::add_rule(std::string name, RuleFactory factory) {
  add_rule(ModelDescriptor{.name = std::move(name)}, std::move(factory));
}
void Registry::add_regime(Regime regime) {
  const auto same = std::find_if(regimes_.begin(), regimes_.end(), [&](const Regime& r) { return r.name == regime.name; });
  if (same != regimes_.end())
    *same = std::move(regime);
  else
    regimes_.push_back(std::move(regime));
}
void Registry::add_regime(std::string name, std::vector<ComponentSpec> rules) {
  add_regime(Regime{std::move(name), {}, std::move(rules)});
}

const ModelDescriptor* Registry::descriptor(ModelKind kind, std::string_view name) const {
  const auto find = [&](const auto& map) -> const ModelDescriptor* {
    const auto it = map.find(name);
    return it == map.end() ? nullptr : &it->second.descriptor;
  };
  switch (kind) {
    case ModelKind::resource: return find(resources_);
    case ModelKind::behaviour: return find(behaviours_);
    case ModelKind::rule: return find(rules_);
  }
  return nullptr;
}

std::vector<const ModelDescriptor*> Registry::descriptors(ModelKind kind) const {
  std::vector<const ModelDescriptor*> all;
  const auto collect = [&](const auto& map) {
    for (const auto& [name, entry] : map) all.push_back(&entry.descriptor);
  };
  switch (kind) {
    case ModelKind::resource: collect(resources_); break;
    case ModelKind::behaviour: collect(behaviours_); break;
    case ModelKind::rule: collect(rules_); break;
  }
  return all;
}

const Registry::Regime* Registry::regime(std::string_view name) const {
  const auto it = std::find_if(regimes_.begin(), regimes_.end(), [&](const Regime& r) { return r.name == name; });
  return it == regimes_.end() ? nullptr : &*it;
}

std::unique_ptr<Resource> Registry::make_resource(const ComponentSpec& spec) const {
  const Entry<ResourceFactory>& entry = find_or_throw(resources_, spec.model, "resource");
  return entry.factory(with_defaults(spec, entry.descriptor));
}

std::unique_ptr<Behaviour> Registry::make_behaviour(const ComponentSpec& spec, const GroupContext& group) const {
  const Entry<BehaviourFactory>& entry = find_or_throw(behaviours_, spec.model, "behaviour");
  return entry.factory(with_defaults(spec, entry.descriptor), group);
}

void Registry::check_behaviour(const ComponentSpec& spec, const CohortCheck& cohort) const {
  const Entry<BehaviourFactory>& entry = find_or_throw(behaviours_, spec.model, "behaviour");
  if (const auto it = behaviour_checks_.find(spec.model); it != behaviour_checks_.end())
    it->second(with_defaults(spec, entry.descriptor), cohort);
}

std::vector<Registry::ScheduledRule> Registry::make_rules(const GovernanceSpec& governance) const {
  std::vector<RuleSpec> specs;
  const Regime* regime_in_force = regime(governance.regime);
  if (regime_in_force == nullptr) throw SpecError("no regime named '" + governance.regime + "' is registered");
  for (const ComponentSpec& rule : regime_in_force->rules) specs.push_back({rule});
  for (const RuleSpec& own : governance.rules) {
    const auto same = std::find_if(specs.begin(), specs.end(),
                                   [&](const RuleSpec& bundled) { return bundled.rule.model == own.rule.model; });
    if (same != specs.end())
      *same = own;
    else
      specs.push_back(own);
  }
  // Limits need someone to weigh them: a governed run gets every rule that says so
  // (RuleOrder::implied_by_governance) with its default parameters (docs/governance.md#compliance).
  if (!specs.empty()) {
    for (const auto& named : rules_) {
      // By name, not a structured binding: Clang 14 (the fuzz build) cannot capture one.
      const std::string& name = named.first;
      if (!named.second.descriptor.order.implied_by_governance) continue;
      const bool listed =
          std::any_of(specs.begin(), specs.end(), [&](const RuleSpec& spec) { return spec.rule.model == name; });
      if (!listed) specs.push_back({ComponentSpec{name, {}, "/governance/" + name}});
    }
  }
  std::vector<ScheduledRule> rules;
  for (const RuleSpec& spec : specs) {
    const Entry<RuleFactory>& entry = find_or_throw(rules_, spec.rule.model, "rule");
    const RuleFactory& make = entry.factory;
    std::unique_ptr<Rule> rule;
    try {
      rule = make(with_defaults(spec.rule, entry.descriptor));
    } catch (const SpecError& error) {
      throw ComponentError(spec.rule.pointer, error.what());
    } catch (const std::invalid_argument& error) {
      throw ComponentError(spec.rule.pointer, error.what());
    }
    rules.push_back({spec.rule.model, std::move(rule), &entry.descriptor, spec.rule.pointer, spec.from, spec.until});
  }
  return rules;
}

std::vector<std::string> Registry::resource_names() const { return keys_of(resources_); }
std::vector<std::string> Registry::behaviour_names() const { return keys_of(behaviours_); }
std::vector<std::string> Registry::rule_names() const { return keys_of(rules_); }
std::vector<std::string> Registry::regime_names() const {
  std::vector<std::string> names;
  for (const Regime& regime : regimes_) names.push_back(regime.name);
  return names;
}

}  // namespace commons::sim
