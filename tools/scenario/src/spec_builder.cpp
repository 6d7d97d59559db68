// SPDX-License-Identifier: Apache-2.0
#include "spec_builder.hpp"

#include <stdexcept>

namespace commons::scenario::detail {
namespace {

// After validation every parameter is a scalar or a list of numbers; anything else means the
// schema allows a shape this code was not taught, an internal error.
sim::ParameterValue to_parameter(const std::string& name, const Json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) return value.get<std::string>();
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

sim::ComponentSpec component(const Json& object, std::string pointer) {
  std::map<std::string, sim::ParameterValue, std::less<>> parameters;
  for (const auto& [key, value] : object.items()) {
    if (key != "model") parameters.emplace(key, to_parameter(key, value));
  }
  return sim::ComponentSpec{object.at("model").get<std::string>(), sim::Parameters(std::move(parameters)),
                            std::move(pointer)};
}

}  // namespace

sim::ScenarioSpec build_spec(const Json& root, std::string_view source) {
  sim::ScenarioSpec spec;
  spec.name = root.at("name").get<std::string>();
  spec.description = root.value("description", std::string{});
  spec.resource = component(root.at("resource"), "/resource");

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
    out.behaviours.push_back({1.0, component(group.at("behaviour"), "/agents/" + std::to_string(i) + "/behaviour")});
    out.cost_per_effort = group.contains("cost_per_effort") ? group.at("cost_per_effort").get<double>()
                                                            : spec.economics.cost_per_effort;
    spec.groups.push_back(std::move(out));
  }

  spec.governance.regime = root.at("governance").at("regime").get<std::string>();
  spec.steps = root.at("steps").get<std::int64_t>();
  spec.replicates = root.at("replicates").get<std::int64_t>();
  // The schema bounds the seed to [0, 2^53 - 1].
  spec.seed = static_cast<std::uint64_t>(root.at("seed").get<std::int64_t>());

  const Json& output = root.at("output");
  spec.output.series = output.at("series").get<std::vector<std::string>>();
  spec.output.agents = output.at("agents").get<bool>();

  // Text was checked to be UTF-8; `replace` only guards the provenance record against a bug.
  spec.resolved_text = root.dump(2, ' ', false, Json::error_handler_t::replace);
  spec.source = std::string(source);
  return spec;
}

}  // namespace commons::scenario::detail
