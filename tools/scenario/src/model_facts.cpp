// SPDX-License-Identifier: Apache-2.0
#include "model_facts.hpp"

#include "schema.hpp"

#include <algorithm>

namespace commons::scenario::detail {
namespace {

const std::vector<std::string> none;

std::vector<std::string> strings(const Json& list) { return list.get<std::vector<std::string>>(); }

}  // namespace

const ModelFacts& ModelFacts::scenario() {
  static const ModelFacts facts;
  return facts;
}

ModelFacts::ModelFacts() {
  const Json& facts = Schema::scenario().root().at("x-models");
  for (const auto& [name, resource] : facts.at("resources").items()) {
    resources_.push_back({name, strings(resource.at("records")), resource.at("maximum_sustainable_yield").get<bool>(),
                          resource.at("effort_limit").get<bool>(), resource.at("trip_costs").get<bool>()});
  }
  for (const auto& [name, rule] : facts.at("rules").items()) {
    rules_.push_back({name, strings(rule.at("records")), rule.at("implied_by_governance").get<bool>(),
                      rule.at("governance_key").get<std::string>()});
  }
  for (const auto& [name, rules] : facts.at("regimes").items()) regimes_.emplace_back(name, strings(rules));
  const Json& engine = facts.at("engine_series");
  engine_ = strings(engine.at("always"));
  talk_ = strings(engine.at("communication"));
  governance_ = strings(engine.at("governance"));
  trips_ = strings(engine.at("trips"));
}

const ModelFacts::Resource* ModelFacts::resource(std::string_view model) const {
  const auto it = std::find_if(resources_.begin(), resources_.end(), [&](const Resource& r) { return r.name == model; });
  return it == resources_.end() ? nullptr : &*it;
}

const std::vector<std::string>& ModelFacts::resource_series(std::string_view model) const {
  const Resource* found = resource(model);
  return found ? found->records : none;
}

bool ModelFacts::has_maximum_sustainable_yield(std::string_view model) const {
  const Resource* found = resource(model);
  return found && found->maximum_sustainable_yield;
}

bool ModelFacts::charges_trips(std::string_view model) const {
  const Resource* found = resource(model);
  return found && found->trip_costs;
}

std::vector<std::string> ModelFacts::resources_charging_trips() const {
  std::vector<std::string> names;
  for (const Resource& resource : resources_)
    if (resource.trip_costs) names.push_back(resource.name);
  return names;
}

bool ModelFacts::has_effort_limit(std::string_view model) const {
  const Resource* found = resource(model);
  return found && found->effort_limit;
}

std::vector<std::string> ModelFacts::resources_with_effort_limit() const {
  std::vector<std::string> names;
  for (const Resource& candidate : resources_)
    if (candidate.effort_limit) names.push_back(candidate.name);
  return names;
}

const std::vector<std::string>& ModelFacts::rule_series(std::string_view name) const {
  const auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Rule& r) { return r.name == name; });
  return it == rules_.end() ? none : it->records;
}

const std::vector<std::string>& ModelFacts::regime_rules(std::string_view name) const {
  const auto it = std::find_if(regimes_.begin(), regimes_.end(), [&](const auto& r) { return r.first == name; });
  return it == regimes_.end() ? none : it->second;
}

}  // namespace commons::scenario::detail
