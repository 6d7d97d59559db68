// SPDX-License-Identifier: Apache-2.0
#include <commons/scenario/scenario_builder.hpp>

#include "document.hpp"
#include "parameter_schema.hpp"
#include "schema_messages.hpp"
#include "spec_builder.hpp"

#include <commons/scenario/scenario_error.hpp>

#include <cmath>
#include <utility>

namespace commons::scenario {

using detail::Json;

struct ScenarioBuilder::State {
  const sim::Registry* registry = nullptr;
  std::string source = "ScenarioBuilder";
  /// The scenario as its file would hold it, keys in the order they were given.
  Json root = Json::object();
  /// JSON pointer of the component `set` gives parameters to; empty before there is one.
  std::string target;
  /// Its descriptor; null for the network and communication, which no descriptor describes.
  const sim::ModelDescriptor* descriptor = nullptr;
  /// JSON pointers of the group and the rule named last; empty before there is one.
  std::string group;
  std::string rule;

  [[noreturn]] void fail(std::string pointer, std::string message) const {
    throw ScenarioError(source, 1, 1, std::move(pointer), std::move(message));
  }

  Json& at(const std::string& pointer) { return root[Json::json_pointer(pointer)]; }

  /// `value`, unless it is NaN or infinite: JSON would keep those as numbers no file can hold.
  double finite(double value, const std::string& pointer) const {
    if (!std::isfinite(value)) fail(pointer, "must be a finite number (got " + std::to_string(value) + ")");
    return value;
  }

  /// Throws the loader's message when `value` breaks `schema` (a registry's names, a parameter's
  /// descriptor); `pointer` is where the value stands in the scenario.
  void check(const Json& schema, const Json& value, const std::string& pointer) const {
    static const detail::Document nowhere;
    if (auto message = detail::own_problem(schema, value, nowhere, pointer)) fail(pointer, std::move(*message));
    const auto items = schema.find("items");
    if (!value.is_array() || items == schema.end()) return;
    for (std::size_t i = 0; i < value.size(); ++i) check(*items, value[i], detail::child_pointer(pointer, i));
  }

  /// The descriptor of model `name` of `kind`, or the loader's "unknown value" message at `pointer`.
  const sim::ModelDescriptor& model(sim::ModelKind kind, std::string_view name, const std::string& pointer) const {
    if (const sim::ModelDescriptor* found = registry->descriptor(kind, name)) return *found;
    const std::vector<std::string> names = kind == sim::ModelKind::resource    ? registry->resource_names()
                                           : kind == sim::ModelKind::behaviour ? registry->behaviour_names()
                                                                               : registry->rule_names();
    check(Json{{"enum", names}}, Json(name), pointer);
    fail(pointer, "unknown " + std::string(sim::model_kind_name(kind)) + " '" + std::string(name) + "'");
  }

  void aim(std::string pointer, const sim::ModelDescriptor* described) {
    target = std::move(pointer);
    descriptor = described;
  }

  const std::string& current_group() const {
    if (group.empty()) fail("/agents", "name a group first: group(name, count)");
    return group;
  }

  /// Sets `parameter` of the component named last, checked against its descriptor.
  void put(std::string_view parameter, Json value) {
    const std::string name(parameter);
    if (target.empty())
      fail("", "set('" + name + "'): name a resource, behaviour, mix, rule, network or communication first");
    const std::string pointer = detail::child_pointer(target, name);
    if (descriptor != nullptr) {
      const sim::ParameterInfo* info = descriptor->parameter(name);
      if (info == nullptr) {
        std::vector<std::string> names;
        for (const sim::ParameterInfo& known : descriptor->parameters) names.push_back(known.name);
        const auto guess = detail::nearest(name, names);
        fail(pointer, "unknown parameter '" + detail::printable(name) + "' of " + descriptor->name +
                          (names.empty() ? "; it has none" : "; its parameters: " + detail::join(names)) +
                          (guess ? "; did you mean '" + *guess + "'?" : ""));
      }
      check(detail::parameter_schema(*descriptor, *info), value, pointer);
    }
    at(target)[name] = std::move(value);
  }
};

namespace {

// How many items the list `key` of `object` holds so far.
std::size_t items_in(const Json& object, const char* key) {
  const auto list = object.find(key);
  return list != object.end() && list->is_array() ? list->size() : 0;
}

Json distribution_json(const sim::Distribution& distribution) {
  using Kind = sim::Distribution::Kind;
  const Json pair = Json::array({distribution.first, distribution.second});
  switch (distribution.kind) {
    case Kind::uniform: return Json{{"uniform", pair}};
    case Kind::normal: return Json{{"normal", pair}};
    case Kind::lognormal: return Json{{"lognormal", pair}};
    case Kind::beta: return Json{{"beta", pair}};
    case Kind::discrete: {
      Json discrete = Json{{"values", distribution.values}};
      if (!distribution.weights.empty()) discrete["weights"] = distribution.weights;
      return Json{{"discrete", std::move(discrete)}};
    }
  }
  return Json::object();
}

}  // namespace

ScenarioBuilder::ScenarioBuilder(const sim::Registry& registry, std::string name) : state_(std::make_unique<State>()) {
  state_->registry = &registry;
  state_->root["name"] = std::move(name);
}

ScenarioBuilder::~ScenarioBuilder() = default;
ScenarioBuilder::ScenarioBuilder(ScenarioBuilder&&) noexcept = default;
ScenarioBuilder& ScenarioBuilder::operator=(ScenarioBuilder&&) noexcept = default;

ScenarioBuilder& ScenarioBuilder::source(std::string name) {
  state_->source = std::move(name);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::description(std::string text) {
  state_->root["description"] = std::move(text);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::steps(std::int64_t count) {
  state_->root["steps"] = count;
  return *this;
}

ScenarioBuilder& ScenarioBuilder::replicates(std::int64_t count) {
  state_->root["replicates"] = count;
  return *this;
}

ScenarioBuilder& ScenarioBuilder::seed(std::int64_t seed) {
  state_->root["seed"] = seed;
  return *this;
}

ScenarioBuilder& ScenarioBuilder::price(double value) {
  state_->root["economics"]["price"] = state_->finite(value, "/economics/price");
  return *this;
}

ScenarioBuilder& ScenarioBuilder::cost_per_effort(double value) {
  state_->root["economics"]["cost_per_effort"] = state_->finite(value, "/economics/cost_per_effort");
  return *this;
}

ScenarioBuilder& ScenarioBuilder::discount_rate(double rate) {
  state_->root["economics"]["discount_rate"] = state_->finite(rate, "/economics/discount_rate");
  return *this;
}

ScenarioBuilder& ScenarioBuilder::resource(std::string_view model) {
  const sim::ModelDescriptor& described = state_->model(sim::ModelKind::resource, model, "/resource/model");
  state_->root["resource"] = Json{{"model", model}};
  state_->aim("/resource", &described);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::group(std::string name, std::int64_t count) {
  Json& agents = state_->root["agents"];
  state_->group = detail::child_pointer("/agents", agents.size());
  agents.push_back(Json{{"group", std::move(name)}, {"count", count}});
  state_->aim("", nullptr);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::group_cost_per_effort(double value) {
  const std::string pointer = state_->current_group() + "/cost_per_effort";
  state_->at(state_->group)["cost_per_effort"] = state_->finite(value, pointer);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::behaviour(std::string_view model) {
  const std::string pointer = state_->current_group() + "/behaviour";
  const sim::ModelDescriptor& described = state_->model(sim::ModelKind::behaviour, model, pointer + "/model");
  state_->at(state_->group)["behaviour"] = Json{{"model", model}};
  state_->aim(pointer, &described);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::mix(double share, std::string_view model) {
  Json& group = state_->at(state_->current_group());
  const std::string entry = detail::child_pointer(state_->group + "/mix", items_in(group, "mix"));
  const sim::ModelDescriptor& described = state_->model(sim::ModelKind::behaviour, model, entry + "/behaviour/model");
  group["mix"].push_back(Json{{"share", state_->finite(share, entry + "/share")}, {"behaviour", {{"model", model}}}});
  state_->aim(entry + "/behaviour", &described);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::governance(std::string_view regime) {
  if (state_->registry->regime(regime) == nullptr) {
    state_->check(Json{{"enum", state_->registry->regime_names()}}, Json(regime), "/governance/regime");
    state_->fail("/governance/regime", "unknown regime '" + std::string(regime) + "'");
  }
  state_->root["governance"]["regime"] = regime;
  state_->aim("", nullptr);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::rule(std::string_view name) {
  const auto governance = state_->root.find("governance");
  const std::size_t index = governance == state_->root.end() ? 0 : items_in(*governance, "rules");
  const std::string pointer = detail::child_pointer("/governance/rules", index);
  const sim::ModelDescriptor& described = state_->model(sim::ModelKind::rule, name, pointer + "/rule");
  state_->root["governance"]["rules"].push_back(Json{{"rule", name}});
  state_->rule = pointer;
  state_->aim(pointer, &described);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::from(std::int64_t step) {
  if (state_->rule.empty()) state_->fail("/governance/rules", "name a rule first: rule(name)");
  state_->at(state_->rule)["from"] = step;
  return *this;
}

ScenarioBuilder& ScenarioBuilder::until(std::int64_t step) {
  if (state_->rule.empty()) state_->fail("/governance/rules", "name a rule first: rule(name)");
  state_->at(state_->rule)["until"] = step;
  return *this;
}

ScenarioBuilder& ScenarioBuilder::network(std::string_view model) {
  state_->root["network"] = Json{{"model", model}};
  state_->aim("/network", nullptr);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::communication(std::string_view mode) {
  state_->root["communication"] = Json{{"mode", mode}};
  state_->aim("/communication", nullptr);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::series(std::vector<std::string> names) {
  state_->root["output"]["series"] = std::move(names);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::record_agents(bool on) {
  state_->root["output"]["agents"] = on;
  return *this;
}

ScenarioBuilder& ScenarioBuilder::set(std::string_view parameter, double value) {
  const std::string pointer = detail::child_pointer(state_->target, parameter);
  state_->put(parameter, state_->finite(value, pointer));
  return *this;
}

ScenarioBuilder& ScenarioBuilder::set(std::string_view parameter, std::int64_t value) {
  state_->put(parameter, value);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::set(std::string_view parameter, bool value) {
  state_->put(parameter, value);
  return *this;
}

ScenarioBuilder& ScenarioBuilder::set(std::string_view parameter, std::string value) {
  state_->put(parameter, std::move(value));
  return *this;
}

ScenarioBuilder& ScenarioBuilder::set(std::string_view parameter, std::vector<double> values) {
  const std::string pointer = detail::child_pointer(state_->target, parameter);
  for (std::size_t i = 0; i < values.size(); ++i) state_->finite(values[i], detail::child_pointer(pointer, i));
  state_->put(parameter, std::move(values));
  return *this;
}

ScenarioBuilder& ScenarioBuilder::set(std::string_view parameter, const sim::Distribution& distribution) {
  const std::string pointer = detail::child_pointer(state_->target, parameter);
  state_->finite(distribution.first, pointer);
  state_->finite(distribution.second, pointer);
  for (const double value : distribution.values) state_->finite(value, pointer);
  for (const double weight : distribution.weights) state_->finite(weight, pointer);
  state_->put(parameter, distribution_json(distribution));
  return *this;
}

sim::ScenarioSpec ScenarioBuilder::build() const {
  detail::Document document;
  document.sources.push_back(state_->source);
  document.root = state_->root;
  detail::prepare(document);
  detail::validate(document);
  sim::ScenarioSpec spec = detail::build_scenario(document, state_->source, {});
  return detail::preflight_at_keys(std::move(spec), document, state_->registry);
}

}  // namespace commons::scenario
