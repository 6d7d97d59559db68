// SPDX-License-Identifier: Apache-2.0
// Every model's descriptor is complete, and the docs have a section for every model the
// registry holds: a model described in its file and nowhere else fails here. (That the
// scenario schema follows the descriptors is test ScenarioSchema.Generated_MatchesCheckedIn.)
#include <commons/models/register_models.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/rule.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <variant>
#include <set>
#include <sstream>
#include <string>

namespace commons::models {
namespace {

using sim::ModelDescriptor;
using sim::ModelKind;
using sim::ParameterType;

std::string read_doc(const std::string& name) {
  std::ifstream in(std::string(COMMONS_SOURCE_DIR) + "/docs/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<const ModelDescriptor*> every_model() {
  std::vector<const ModelDescriptor*> all;
  for (ModelKind kind : {ModelKind::resource, ModelKind::behaviour, ModelKind::rule})
    for (const ModelDescriptor* model : default_registry().descriptors(kind)) all.push_back(model);
  return all;
}

TEST(Descriptor, EveryModelSaysWhatItIsAndWhatEachParameterMeans) {
  const std::vector<const ModelDescriptor*> models = every_model();
  ASSERT_GE(models.size(), 30U);
  for (const ModelDescriptor* model : models) {
    SCOPED_TRACE(model->name);
    EXPECT_EQ(default_registry().descriptor(model->kind, model->name), model);
    EXPECT_GT(model->summary.size(), 20U) << "a summary of what the model is";
    std::set<std::string> names;
    for (const sim::ParameterInfo& parameter : model->parameters) {
      SCOPED_TRACE(parameter.name);
      EXPECT_TRUE(names.insert(parameter.name).second) << "parameter named twice";
      EXPECT_FALSE(parameter.meaning.empty());
      EXPECT_FALSE(parameter.required && parameter.default_value) << "required parameters have no default";
      if (parameter.type == ParameterType::choice) {
        EXPECT_FALSE(parameter.choices.empty());
      }
      if (parameter.type == ParameterType::custom) {
        EXPECT_FALSE(parameter.schema.empty());
      }
      if (parameter.minimum && parameter.maximum) {
        EXPECT_LE(parameter.minimum->value, parameter.maximum->value);
      }
      if (parameter.default_value && (parameter.type == ParameterType::number ||
                                      parameter.type == ParameterType::per_agent_number)) {
        const double fallback = std::get<double>(*parameter.default_value);
        if (parameter.minimum) {
          EXPECT_TRUE(parameter.minimum->exclusive ? fallback > parameter.minimum->value
                                                   : fallback >= parameter.minimum->value);
        }
        if (parameter.maximum) {
          EXPECT_TRUE(parameter.maximum->exclusive ? fallback < parameter.maximum->value
                                                   : fallback <= parameter.maximum->value);
        }
      }
    }
    for (const std::vector<std::string>& group : model->exactly_one_of)
      for (const std::string& name : group) EXPECT_TRUE(names.contains(name)) << name;
    std::set<std::string> recorded;
    for (const sim::VariableInfo& variable : model->variables) {
      EXPECT_TRUE(recorded.insert(variable.name).second) << variable.name << " recorded twice";
      EXPECT_FALSE(variable.units.empty()) << variable.name;
      EXPECT_FALSE(variable.description.empty()) << variable.name;
    }
    if (model->kind == ModelKind::rule) {
      EXPECT_FALSE(model->order.phases.empty()) << "a rule acts in some phase";
      for (sim::Phase phase : model->order.last_in)
        EXPECT_NE(std::find(model->order.phases.begin(), model->order.phases.end(), phase), model->order.phases.end());
      for (int principle : model->design_principles) {
        EXPECT_GE(principle, 1);
        EXPECT_LE(principle, 8);
      }
    }
  }
}

TEST(Descriptor, EveryRegimeBundlesRegisteredRules) {
  for (const std::string& name : default_registry().regime_names()) {
    const sim::Registry::Regime& regime = *default_registry().regime(name);
    EXPECT_FALSE(regime.summary.empty()) << name;
    for (const sim::ComponentSpec& rule : regime.rules)
      EXPECT_NE(default_registry().descriptor(ModelKind::rule, rule.model), nullptr) << name << ": " << rule.model;
  }
}

// A model without its section in the docs is a model users cannot learn; the headings are
// `## \`name\`` in models.md and behaviour.md and `### name` in governance.md.
TEST(Descriptor, EveryModelHasItsSectionInTheDocs) {
  const std::string resources = read_doc("models.md");
  const std::string behaviours = read_doc("behaviour.md");
  const std::string governance = read_doc("governance.md");
  ASSERT_FALSE(resources.empty());
  ASSERT_FALSE(behaviours.empty());
  ASSERT_FALSE(governance.empty());
  for (const ModelDescriptor* model : every_model()) {
    switch (model->kind) {
      case ModelKind::resource:
        EXPECT_NE(resources.find("\n## `" + model->name + "`\n"), std::string::npos) << model->name;
        break;
      case ModelKind::behaviour:
        EXPECT_NE(behaviours.find("\n## `" + model->name + "`\n"), std::string::npos) << model->name;
        break;
      case ModelKind::rule:
        EXPECT_NE(governance.find("\n### " + model->name + "\n"), std::string::npos) << model->name;
        break;
    }
  }
  for (const std::string& regime : default_registry().regime_names())
    EXPECT_NE(governance.find("`" + regime + "`"), std::string::npos) << regime;
}

// What a rule builds says the same as what it declared: the engine schedules rules by their
// phases() and records their variables(); both come from the descriptor.
TEST(Descriptor, BuiltRulesActAndRecordAsDeclared) {
  const sim::Registry& registry = default_registry();
  for (const std::string& name : registry.regime_names()) {
    for (const sim::ComponentSpec& spec : registry.regime(name)->rules) {
      SCOPED_TRACE(name + ": " + spec.model);
      sim::GovernanceSpec governance;
      governance.regime = "open_access";
      governance.rules.push_back({spec});
      for (const sim::Registry::ScheduledRule& built : registry.make_rules(governance)) {
        const ModelDescriptor& declared = *built.descriptor;
        const std::span<const sim::Phase> phases = built.rule->phases();
        EXPECT_EQ(std::vector<sim::Phase>(phases.begin(), phases.end()), declared.order.phases);
        const std::vector<sim::VariableInfo> variables = built.rule->variables();
        ASSERT_EQ(variables.size(), declared.variables.size());
        for (std::size_t k = 0; k < variables.size(); ++k) EXPECT_EQ(variables[k].name, declared.variables[k].name);
        EXPECT_EQ(built.rule->design_principles(), declared.design_principles);
      }
    }
  }
}

/// Parameters a model can be built with: every default filled in, and a number within its
/// bounds for a required number without one; nullopt when it requires something else.
std::optional<sim::Parameters> example_parameters(const ModelDescriptor& model) {
  std::map<std::string, sim::ParameterValue, std::less<>> values;
  for (const sim::ParameterInfo& parameter : model.parameters) {
    if (parameter.default_value) {
      std::visit([&](const auto& value) { values[parameter.name] = value; }, *parameter.default_value);
    } else if (parameter.required) {
      if (parameter.type != ParameterType::number && parameter.type != ParameterType::integer) return std::nullopt;
      const double low = parameter.minimum ? parameter.minimum->value : 0.0;
      const double value = parameter.maximum ? (low + parameter.maximum->value) / 2.0 : low + 1.0;
      if (parameter.type == ParameterType::integer)
        values[parameter.name] = static_cast<std::int64_t>(value);
      else
        values[parameter.name] = value;
    }
  }
  for (const sim::ParameterInfo& parameter : model.parameters)
    if (!parameter.default_from.empty() && !values.contains(parameter.name))
      values[parameter.name] = values.at(parameter.default_from);
  return sim::Parameters(std::move(values));
}

TEST(Descriptor, BuiltResourcesHaveTheCapabilitiesTheyDeclare) {
  const sim::Registry& registry = default_registry();
  std::size_t checked = 0;
  for (const ModelDescriptor* model : registry.descriptors(ModelKind::resource)) {
    SCOPED_TRACE(model->name);
    const std::optional<sim::Parameters> parameters = example_parameters(*model);
    if (!parameters) continue;
    const std::unique_ptr<sim::Resource> resource = registry.make_resource({model->name, *parameters, "/resource"});
    const sim::Capabilities& declared = model->capabilities;
    EXPECT_EQ(resource->economics() != nullptr, declared.closed_forms);
    EXPECT_EQ(resource->effort_limit().has_value(), declared.effort_limit);
    EXPECT_EQ(resource->sites().spatial(), declared.sites);
    EXPECT_EQ(!resource->choices().empty(), declared.choices);
    EXPECT_EQ(resource->trip_costs(3).has_value(), declared.trip_costs);
    bool msy = false;
    for (const sim::ScalarData& point : sim::reference_points(*resource, sim::Economics{}))
      msy = msy || point.info.name == "msy_harvest";
    EXPECT_EQ(msy, declared.maximum_sustainable_yield);
    const std::vector<sim::VariableInfo> variables = resource->variables();
    ASSERT_EQ(variables.size(), model->variables.size());
    for (std::size_t k = 0; k < variables.size(); ++k) EXPECT_EQ(variables[k].name, model->variables[k].name);
    ++checked;
  }
  // Every resource bundled today can be built this way.
  EXPECT_EQ(checked, registry.descriptors(ModelKind::resource).size());
}

}  // namespace
}  // namespace commons::models
