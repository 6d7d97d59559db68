// SPDX-License-Identifier: Apache-2.0
#include "spec_builder.hpp"

#include "model_facts.hpp"
#include "semantic_checks.hpp"

#include <commons/sim/preflight.hpp>

#include <stdexcept>

namespace commons::scenario::detail {
namespace {

// A per-agent distribution, validated by the schema and check_rules: a mapping of one key.
sim::Distribution distribution(const Json& value) {
  using Kind = sim::Distribution::Kind;
  // Through a named iterator: a binding to `*value.items().begin()` would outlive the
  // temporary proxy whose key it refers to (AddressSanitizer: stack-use-after-scope).
  const Json::const_iterator only = value.cbegin();
  const std::string name = only.key();
  const Json& arguments = only.value();
  sim::Distribution result;
  if (name == "discrete") {
    result.kind = Kind::discrete;
    result.values = arguments.at("values").get<std::vector<double>>();
    // Without weights every value is equally likely.
    result.weights = arguments.contains("weights") ? arguments.at("weights").get<std::vector<double>>()
                                                   : std::vector<double>(result.values.size(), 1.0);
    return result;
  }
  if (name == "uniform") {
    result.kind = Kind::uniform;
  } else if (name == "normal") {
    result.kind = Kind::normal;
  } else if (name == "lognormal") {
    result.kind = Kind::lognormal;
  } else if (name == "beta") {
    result.kind = Kind::beta;
  } else {
    throw std::logic_error("scenario loader: unknown distribution '" + name + "'");
  }
  result.first = arguments.at(0).get<double>();
  result.second = arguments.at(1).get<double>();
  return result;
}

// After validation every parameter is a scalar, a list of numbers or a distribution; anything
// else means the schema allows a shape this code was not taught, an internal error.
sim::ParameterValue to_parameter(const std::string& name, const Json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) return value.get<std::string>();
  if (value.is_object() && value.size() == 1) return distribution(value);
  if (value.is_array()) {
    std::vector<double> numbers;
    numbers.reserve(value.size());
    for (const Json& item : value) {
      if (!item.is_number()) throw std::logic_error("scenario loader: parameter '" + name + "' is not a list of numbers");
      numbers.push_back(item.get<double>());
    }
    return numbers;
  }
  throw std::logic_error("scenario loader: parameter '" + name + "' has a shape the spec cannot hold");
}

// Nested blocks (a behaviour's social_preference) keep their own `model` as a text parameter.
sim::Parameters parameters_of(const Json& object, const std::string& pointer, const AttachedFiles& files,
                              bool keep_model) {
  std::map<std::string, sim::ParameterValue, std::less<>> values;
  std::vector<std::pair<std::string, sim::Parameters>> blocks;
  for (const auto& [key, value] : object.items()) {
    if (key == "model" && !keep_model) continue;
    const std::string at = child_pointer(pointer, key);
    if (const auto table = files.tables.find(at); table != files.tables.end()) {
      values.emplace(key, table->second);
    } else if (value.is_object() && value.contains("model")) {
      blocks.emplace_back(key, parameters_of(value, at, files, true));
    } else {
      values.emplace(key, to_parameter(key, value));
    }
    if (const auto text = files.texts.find(at); text != files.texts.end()) values.emplace("text", text->second);
  }
  sim::Parameters result(std::move(values));
  for (auto& [key, block] : blocks) result.set_block(key, std::move(block));
  return result;
}

sim::ComponentSpec component(const Json& object, std::string pointer, const AttachedFiles& files) {
  sim::Parameters parameters = parameters_of(object, pointer, files, false);
  return sim::ComponentSpec{object.at("model").get<std::string>(), std::move(parameters), std::move(pointer)};
}

// A rule item: its name and schedule are the RuleSpec's own fields, the other keys its parameters.
sim::RuleSpec rule_spec(const std::string& name, const Json& object, std::string pointer, const AttachedFiles& files) {
  Json parameters = Json::object();
  for (const auto& [key, value] : object.items()) {
    if (key != "rule" && key != "from" && key != "until") parameters[key] = value;
  }
  sim::RuleSpec result;
  result.rule = sim::ComponentSpec{name, parameters_of(parameters, pointer, files, false), std::move(pointer)};
  result.from = object.value("from", result.from);
  result.until = object.value("until", result.until);
  return result;
}

sim::GovernanceSpec governance(const Json& object, const AttachedFiles& files) {
  sim::GovernanceSpec result;
  result.regime = object.at("regime").get<std::string>();
  result.pointer = "/governance";
  if (const auto rules = object.find("rules"); rules != object.end()) {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      const Json& rule = (*rules)[i];
      result.rules.push_back(
          rule_spec(rule.at("rule").get<std::string>(), rule, child_pointer("/governance/rules", i), files));
    }
  }
  // A rule's governance block (governance.compliance) is that rule, overriding the regime's; the
  // loader rejects the same rule among the rules.
  for (const ModelFacts::Rule& rule : ModelFacts::scenario().rules()) {
    if (rule.governance_key.empty()) continue;
    if (const auto block = object.find(rule.governance_key); block != object.end())
      result.rules.push_back(rule_spec(rule.name, *block, "/governance/" + rule.governance_key, files));
  }
  return result;
}

sim::CommunicationSpec communication(const Json& object) {
  sim::CommunicationSpec result;
  const auto mode = object.value("mode", std::string("none"));
  result.mode = mode == "one_shot"   ? sim::CommunicationSpec::Mode::one_shot
                : mode == "repeated" ? sim::CommunicationSpec::Mode::repeated
                                     : sim::CommunicationSpec::Mode::none;
  result.start_step = object.value("start_step", result.start_step);
  result.trust_rate = object.value("trust_rate", result.trust_rate);
  result.initial_trust = object.value("initial_trust", result.initial_trust);
  result.tolerance = object.value("tolerance", result.tolerance);
  return result;
}

}  // namespace

std::string resolved_text(const Json& root) {
  // Text was checked to be UTF-8; `replace` only guards the provenance record against a bug.
  return root.dump(2, ' ', false, Json::error_handler_t::replace);
}

sim::ScenarioSpec build_spec(const Json& root, std::string_view source, const AttachedFiles& files) {
  sim::ScenarioSpec spec;
  spec.name = root.at("name").get<std::string>();
  spec.description = root.value("description", std::string{});
  spec.resource = component(root.at("resource"), "/resource", files);

  const Json& economics = root.at("economics");
  spec.economics.price = economics.at("price").get<double>();
  spec.economics.cost_per_effort = economics.at("cost_per_effort").get<double>();
  spec.economics.discount_rate = economics.at("discount_rate").get<double>();

  const Json& groups = root.at("agents");
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const Json& group = groups[i];
    sim::GroupSpec out;
    out.name = group.at("group").get<std::string>();
    out.count = group.at("count").get<std::int64_t>();
    const std::string group_pointer = child_pointer("/agents", i);
    if (const auto behaviour = group.find("behaviour"); behaviour != group.end()) {
      out.behaviours.push_back({1.0, component(*behaviour, group_pointer + "/behaviour", files)});
    } else {
      const Json& mix = group.at("mix");
      for (std::size_t j = 0; j < mix.size(); ++j) {
        out.behaviours.push_back({mix[j].at("share").get<double>(),
                                  component(mix[j].at("behaviour"),
                                            child_pointer(group_pointer + "/mix", j) + "/behaviour", files)});
      }
    }
    out.cost_per_effort = group.contains("cost_per_effort") ? group.at("cost_per_effort").get<double>()
                                                            : spec.economics.cost_per_effort;
    spec.groups.push_back(std::move(out));
  }

  spec.governance = governance(root.at("governance"), files);
  if (const auto network = root.find("network"); network != root.end()) {
    spec.network.generator = component(*network, "/network", files);
  }
  if (const auto talk = root.find("communication"); talk != root.end()) spec.communication = communication(*talk);
  spec.steps = root.at("steps").get<std::int64_t>();
  // Not filled in by default, like output.sites: absent means one tick per step.
  if (const auto clock = root.find("clock"); clock != root.end()) {
    if (const auto ticks = clock->find("ticks_per_step"); ticks != clock->end())
      spec.clock.ticks_per_step = ticks->get<std::int64_t>();
    if (const auto steps = clock->find("steps_per_tick"); steps != clock->end())
      spec.clock.steps_per_tick = steps->get<std::int64_t>();
  }
  spec.replicates = root.at("replicates").get<std::int64_t>();
  // The schema bounds the seed to [0, 2^53 - 1].
  spec.seed = static_cast<std::uint64_t>(root.at("seed").get<std::int64_t>());

  const Json& output = root.at("output");
  spec.output.series = output.at("series").get<std::vector<std::string>>();
  spec.output.agents = output.at("agents").get<bool>();
  // Not filled in by default (format.schema.json says why): absent means true.
  if (const auto sites = output.find("sites"); sites != output.end()) spec.output.sites = sites->get<bool>();
  if (const auto interval = output.find("agent_interval"); interval != output.end())
    spec.output.agent_interval = interval->get<std::int64_t>();
  if (const auto interval = output.find("site_interval"); interval != output.end())
    spec.output.site_interval = interval->get<std::int64_t>();
  if (const auto stride = output.find("agent_stride"); stride != output.end())
    spec.output.agent_stride = stride->get<std::int64_t>();

  spec.resolved_text = resolved_text(root);
  spec.source = std::string(source);
  spec.attachments = files.attachments;
  return spec;
}

sim::ScenarioSpec build_scenario(Document& document, const std::string& source, const std::filesystem::path& directory) {
  check_rules(document);
  fill_defaults(document);
  std::int64_t agents = 0;
  for (const Json& group : document.root.at("agents")) agents += group.at("count").get<std::int64_t>();
  const auto files = read_attached_files(document, directory, agents);
  return build_spec(document.root, source, files);
}

sim::ScenarioSpec preflight_at_keys(sim::ScenarioSpec spec, const Document& document, const sim::Registry* registry) {
  if (registry == nullptr) return spec;
  try {
    sim::preflight(spec, *registry);
  } catch (const sim::ComponentError& error) {
    raise(document, document.locate(error.pointer(), false), error.pointer(), error.what());
  }
  return spec;
}

}  // namespace commons::scenario::detail
