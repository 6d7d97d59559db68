// SPDX-License-Identifier: Apache-2.0
#include <commons/scenario/schema_generator.hpp>

#include "parameter_schema.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace commons::scenario {
namespace {

using Json = nlohmann::ordered_json;
using sim::ModelDescriptor;
using sim::ModelKind;
using sim::ParameterInfo;
using sim::ParameterType;

// How each kind of model appears in a scenario: under which definition, chosen by which key.
struct KindLayout {
  ModelKind kind;
  const char* definitions;
  const char* component;
  const char* key;
  const char* key_description;
};

constexpr KindLayout kinds[] = {
    {ModelKind::resource, "resource", "resource_component", "model", "Name of the resource model."},
    {ModelKind::behaviour, "behaviour", "behaviour_component", "model", "Name of the behaviour model."},
    {ModelKind::rule, "rule", "rule_component", "rule", "Name of the rule."},
};

// A whole number as a JSON integer ("minimum": 0, not 0.0), anything else as a real.
Json number(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::abs(value) < 9.0e15)
    return static_cast<std::int64_t>(value);
  return value;
}

Json default_json(const sim::DefaultValue& value) {
  return std::visit(
      [](const auto& held) -> Json {
        using T = std::decay_t<decltype(held)>;
        if constexpr (std::is_same_v<T, double>)
          return number(held);
        else
          return held;
      },
      value);
}

std::string description(const ParameterInfo& parameter) {
  std::string text = parameter.meaning;
  if (!parameter.unit.empty()) text += " [" + parameter.unit + "]";
  if (!parameter.note.empty()) text += "; " + parameter.note;
  return text + ".";
}

void add_bounds(Json& schema, const ParameterInfo& parameter) {
  if (parameter.minimum) schema[parameter.minimum->exclusive ? "exclusiveMinimum" : "minimum"] = number(parameter.minimum->value);
  if (parameter.maximum) schema[parameter.maximum->exclusive ? "exclusiveMaximum" : "maximum"] = number(parameter.maximum->value);
}

}  // namespace

namespace detail {

Json parameter_schema(const ModelDescriptor& model, const ParameterInfo& parameter) {
  Json schema = Json::object();
  if (!parameter.meaning.empty()) schema["description"] = description(parameter);
  switch (parameter.type) {
    case ParameterType::number:
    case ParameterType::integer:
      schema["type"] = parameter.type == ParameterType::number ? "number" : "integer";
      add_bounds(schema, parameter);
      break;
    case ParameterType::boolean: schema["type"] = "boolean"; break;
    case ParameterType::choice:
      schema["type"] = "string";
      schema["enum"] = parameter.choices;
      break;
    case ParameterType::text:
      schema["type"] = "string";
      if (parameter.min_length) schema["minLength"] = *parameter.min_length;
      if (parameter.max_length) schema["maxLength"] = *parameter.max_length;
      break;
    case ParameterType::numbers:
    case ParameterType::integers: {
      schema["type"] = "array";
      if (parameter.min_items) schema["minItems"] = *parameter.min_items;
      if (parameter.max_items) schema["maxItems"] = *parameter.max_items;
      if (parameter.unique_items) schema["uniqueItems"] = true;
      Json items = {{"type", parameter.type == ParameterType::numbers ? "number" : "integer"}};
      add_bounds(items, parameter);
      schema["items"] = std::move(items);
      break;
    }
    case ParameterType::per_agent_number:
      schema["allOf"] = Json::array({{{"$ref", "#/definitions/per_agent_number"}}});
      add_bounds(schema, parameter);
      break;
    case ParameterType::custom: {
      Json custom;
      try {
        custom = Json::parse(parameter.schema);
      } catch (const Json::parse_error& error) {
        throw std::invalid_argument(model.name + "." + parameter.name + ": its schema is not JSON: " + error.what());
      }
      if (!custom.is_object())
        throw std::invalid_argument(model.name + "." + parameter.name + ": its schema is not a JSON object");
      for (auto& [key, value] : custom.items()) schema[key] = value;
      break;
    }
  }
  if (parameter.default_value) schema["default"] = default_json(*parameter.default_value);
  // Not a JSON Schema keyword: the loader fills the default from the named key (fill_defaults).
  if (!parameter.default_from.empty()) schema["x-default-from"] = parameter.default_from;
  return schema;
}

}  // namespace detail

namespace {

Json parameters_schema(const ModelDescriptor& model) {
  Json properties = Json::object();
  for (const ParameterInfo& parameter : model.parameters) properties[parameter.name] = detail::parameter_schema(model, parameter);
  return properties;
}

Json model_schema(const KindLayout& layout, const ModelDescriptor& model) {
  Json required = Json::array({layout.key});
  for (const ParameterInfo& parameter : model.parameters)
    if (parameter.required) required.push_back(parameter.name);
  Json properties = Json::object();
  properties[layout.key] = {{"description", layout.key_description}, {"const", model.name}};
  if (layout.kind == ModelKind::rule) {
    properties["from"] = {{"$ref", "#/definitions/schedule/from"}};
    properties["until"] = {{"$ref", "#/definitions/schedule/until"}};
  }
  const Json parameters = parameters_schema(model);
  for (const auto& [name, schema] : parameters.items()) properties[name] = schema;
  Json schema = {{"description", model.summary},
                 {"type", "object"},
                 {"additionalProperties", false},
                 {"required", std::move(required)},
                 {"properties", std::move(properties)}};
  if (!model.exactly_one_of.empty()) {
    if (model.exactly_one_of.size() != 1)
      throw std::invalid_argument(model.name + ": only one exactly_one_of group is supported");
    Json choices = Json::array();
    for (const std::string& name : model.exactly_one_of.front()) choices.push_back({{"required", {name}}});
    schema["oneOf"] = std::move(choices);
  }
  return schema;
}

std::vector<std::string> names_of(const std::vector<sim::VariableInfo>& variables) {
  std::vector<std::string> names;
  for (const sim::VariableInfo& variable : variables) names.push_back(variable.name);
  return names;
}

std::string joined(const std::vector<std::string>& words, const char* separator = ", ") {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : separator) + word;
  return text;
}

void fill_models(Json& definitions, const sim::Registry& registry) {
  for (const KindLayout& layout : kinds) {
    Json models = Json::object();
    Json names = Json::array();
    Json choices = Json::array();
    for (const ModelDescriptor* model : registry.descriptors(layout.kind)) {
      models[model->name] = model_schema(layout, *model);
      names.push_back(model->name);
      choices.push_back({{"if", {{"required", {layout.key}}, {"properties", {{layout.key, {{"const", model->name}}}}}}},
                         {"then", {{"$ref", std::string("#/definitions/") + layout.definitions + "/" + model->name}}}});
    }
    Json& component = definitions.at(layout.component);
    component.at("properties").at(layout.key)["enum"] = std::move(names);
    component["allOf"] = std::move(choices);
    definitions[layout.definitions] = std::move(models);
  }
}

void fill_governance(Json& definitions, const sim::Registry& registry) {
  Json& governance = definitions.at("governance").at("properties");
  Json& regime = governance.at("regime");
  Json names = Json::array();
  std::string bundles;
  for (const std::string& name : registry.regime_names()) {
    const sim::Registry::Regime& bundle = *registry.regime(name);
    names.push_back(name);
    std::vector<std::string> rules;
    for (const sim::ComponentSpec& rule : bundle.rules) rules.push_back(rule.model);
    bundles += (bundles.empty() ? "" : ", ") + name + " (" + (rules.empty() ? "none" : joined(rules)) + ")";
  }
  regime["description"] = "The governance regime, a named bundle of rules: " + bundles + ".";
  regime["enum"] = std::move(names);
  // The rules' shortcut blocks (governance.compliance) come right after the regime.
  Json reordered = Json::object();
  for (auto& [key, value] : governance.items()) {
    reordered[key] = value;
    if (key != "regime") continue;
    for (const ModelDescriptor* rule : registry.descriptors(ModelKind::rule)) {
      if (rule->governance_key.empty()) continue;
      reordered[rule->governance_key] = {{"$ref", "#/definitions/" + rule->governance_key}};
      definitions[rule->governance_key] = {{"description", rule->summary},
                                           {"type", "object"},
                                           {"additionalProperties", false},
                                           {"properties", parameters_schema(*rule)}};
    }
  }
  governance = std::move(reordered);
}

void fill_series(Json& definitions, const sim::Registry& registry) {
  std::vector<std::string> all;
  const auto add = [&](const std::string& name) {
    if (std::find(all.begin(), all.end(), name) == all.end()) all.push_back(name);
  };
  std::string resources;
  for (const ModelDescriptor* resource : registry.descriptors(ModelKind::resource)) {
    for (const sim::VariableInfo& variable : resource->variables) add(variable.name);
    resources += (resources.empty() ? "" : "; ") + resource->name + ": " + joined(names_of(resource->variables));
  }
  using When = sim::EngineVariable::When;
  std::vector<std::string> engine[4];
  for (const sim::EngineVariable& variable : sim::engine_variables()) {
    add(std::string(variable.name));
    engine[static_cast<int>(variable.when)].emplace_back(variable.name);
  }
  for (const ModelDescriptor* rule : registry.descriptors(ModelKind::rule))
    for (const sim::VariableInfo& variable : rule->variables) add(variable.name);
  Json& series = definitions.at("output").at("properties").at("series");
  series["description"] =
      "Aggregate series to record per run and step [run, step]; default: every series of the resource (" + resources +
      "), then " + joined(engine[static_cast<int>(When::always)]) + ", on a resource that charges for trips " +
      joined(engine[static_cast<int>(When::trips)]) + ", with communication " +
      joined(engine[static_cast<int>(When::communication)], " and ") +
      ", in a governed run (a regime other than open_access, or rules) " +
      joined(engine[static_cast<int>(When::governance)]) +
      ", and then the variables of the rules in force (docs/scenario-format.md#governance).";
  series["maxItems"] = all.size();
  series.at("items")["enum"] = all;
}

// What the loader's checks ask of models without building them.
Json model_facts(const sim::Registry& registry) {
  Json resources = Json::object();
  for (const ModelDescriptor* resource : registry.descriptors(ModelKind::resource)) {
    resources[resource->name] = {{"records", names_of(resource->variables)},
                                 {"maximum_sustainable_yield", resource->capabilities.maximum_sustainable_yield},
                                 {"effort_limit", resource->capabilities.effort_limit},
                                 {"closed_forms", resource->capabilities.closed_forms},
                                 {"sites", resource->capabilities.sites},
                                 {"choices", resource->capabilities.choices},
                                 {"trip_costs", resource->capabilities.trip_costs}};
  }
  Json rules = Json::object();
  for (const ModelDescriptor* rule : registry.descriptors(ModelKind::rule)) {
    rules[rule->name] = {{"records", names_of(rule->variables)},
                         {"implied_by_governance", rule->order.implied_by_governance},
                         {"governance_key", rule->governance_key}};
  }
  Json regimes = Json::object();
  for (const std::string& name : registry.regime_names()) {
    Json bundle = Json::array();
    for (const sim::ComponentSpec& rule : registry.regime(name)->rules) bundle.push_back(rule.model);
    regimes[name] = std::move(bundle);
  }
  Json engine = {{"always", Json::array()},
                 {"communication", Json::array()},
                 {"governance", Json::array()},
                 {"trips", Json::array()}};
  constexpr const char* when_names[] = {"always", "communication", "governance", "trips"};
  for (const sim::EngineVariable& variable : sim::engine_variables())
    engine[when_names[static_cast<int>(variable.when)]].push_back(std::string(variable.name));
  return {{"description",
           "Not a JSON Schema keyword: facts about the registered models that the scenario loader checks scenarios "
           "against, generated from the models' descriptors."},
          {"resources", std::move(resources)},
          {"rules", std::move(rules)},
          {"regimes", std::move(regimes)},
          {"engine_series", std::move(engine)}};
}

}  // namespace

std::string generate_scenario_schema(const sim::Registry& registry, std::string_view format_schema) {
  Json schema = Json::parse(format_schema);
  schema.erase("$comment");
  Json& definitions = schema.at("definitions");
  fill_models(definitions, registry);
  fill_governance(definitions, registry);
  fill_series(definitions, registry);
  schema["x-models"] = model_facts(registry);
  return schema.dump(2, ' ', false) + "\n";
}

}  // namespace commons::scenario
