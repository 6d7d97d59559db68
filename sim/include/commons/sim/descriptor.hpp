// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// What a model says about itself, in its own source file: the parameters a scenario gives it,
/// the variables it records, what it can do, and, for a rule, when it acts. The registry keeps
/// a model's descriptor beside its factory; the scenario schema, `commons describe`, the
/// loader's checks and the docs' tables are all read from here, so that a model is described
/// once (docs/extending.md).

#include <commons/sim/phases.hpp>
#include <commons/sim/run_result.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace commons::sim {

/// The shape of a parameter's value in a scenario file.
enum class ParameterType {
  number,
  integer,
  boolean,
  /// One of `choices`.
  choice,
  /// Free text (a name, a file path).
  text,
  /// A list of numbers; `minimum`/`maximum` bound each item.
  numbers,
  /// A list of integers; `minimum`/`maximum` bound each item.
  integers,
  /// A number, or a distribution each agent draws its own value from
  /// (docs/scenario-format.md#distributions); `minimum`/`maximum` bound the number and clamp
  /// the draws.
  per_agent_number,
  /// Anything else: `schema` holds the JSON Schema of the value, written in the model's file.
  custom,
};

/// A bound on a number; `exclusive` when the bound itself is not allowed.
struct Bound {
  double value = 0.0;
  bool exclusive = false;
};

/// A default, in the type of the parameter.
using DefaultValue = std::variant<double, std::int64_t, bool, std::string, std::vector<double>>;

/// One parameter of a model.
struct ParameterInfo {
  std::string name{};
  ParameterType type = ParameterType::number;
  /// One line: what the parameter is, with its symbol ("Intrinsic growth rate r").
  std::string meaning{};
  /// UDUNITS-style or symbolic unit ("1/step", "effort unit", "money"); "1" when dimensionless;
  /// empty when the value has none (a choice, a text, a count of things named in `meaning`).
  std::string unit{};
  /// Said after the unit: how the default is found when it is not a constant, what 0 means.
  std::string note{};
  bool required = false;
  std::optional<Bound> minimum{};
  std::optional<Bound> maximum{};
  std::optional<DefaultValue> default_value{};
  /// When absent, the parameter takes the value of this other parameter of the model
  /// (`initial_stock` defaults to `carrying_capacity`); empty when it does not.
  std::string default_from{};
  /// choice: the allowed values, in the order `describe` lists them.
  std::vector<std::string> choices{};
  /// numbers/integers: bounds on the list's length, and whether items must differ.
  std::optional<std::int64_t> min_items{};
  std::optional<std::int64_t> max_items{};
  bool unique_items = false;
  /// text: bounds on its length.
  std::optional<std::int64_t> min_length{};
  std::optional<std::int64_t> max_length{};
  /// custom: the JSON Schema of the value (without its description).
  std::string schema{};
};

/// One variable a model may record, per step unless said otherwise.
using RecordedVariable = VariableInfo;

/// What kind of model a descriptor describes.
enum class ModelKind { resource, behaviour, rule };

[[nodiscard]] constexpr const char* model_kind_name(ModelKind kind) {
  switch (kind) {
    case ModelKind::resource: return "resource";
    case ModelKind::behaviour: return "behaviour";
    case ModelKind::rule: return "rule";
  }
  return "";
}

/// Things a model can do that others ask about before a run.
struct Capabilities {
  /// resource: a closed-form maximum sustainable yield (its `msy_harvest` reference point):
  /// rules that set limits as a fraction of the MSY, or default to it, need one.
  bool maximum_sustainable_yield = false;
  /// resource: a bound on one agent's effort per step (an endowment of tokens).
  bool effort_limit = false;
  /// resource: closed-form economics (Resource::economics(): an optimum, reference points).
  bool closed_forms = false;
  /// resource: sites with their own state (Resource::sites()), so results have a site dimension.
  bool sites = false;
  /// resource: a discrete choice besides effort and site (Resource::choices()).
  bool choices = false;
  /// resource: trips to its sites cost money (Resource::trip_costs()), recorded as `trip_costs`.
  bool trip_costs = false;
};

/// When a rule acts, said as properties rather than by naming other rules.
struct RuleOrder {
  /// The phases the rule acts in, in phase order (what Rule::phases returns).
  std::vector<Phase> phases{};
  /// Acts after every other rule in these phases: the rule that weighs the limits the others
  /// set must see them all.
  std::vector<Phase> last_in{};
  /// A run with any rule in force gets this rule, with its defaults, unless it lists it: limits
  /// mean nothing until someone weighs them.
  bool implied_by_governance = false;
};

/// Everything a model declares about itself.
struct ModelDescriptor {
  ModelKind kind = ModelKind::resource;
  std::string name{};
  /// A paragraph: the model, its equations, its source in the literature.
  std::string summary{};
  std::vector<ParameterInfo> parameters{};
  /// Groups of parameters of which a scenario must give exactly one.
  std::vector<std::vector<std::string>> exactly_one_of{};
  std::vector<RecordedVariable> variables{};
  Capabilities capabilities{};
  /// rule: when it acts.
  RuleOrder order{};
  /// rule: Ostrom's (1990) design principles (1..8) it realises.
  std::vector<int> design_principles{};
  /// rule: the key of the scenario's `governance` block that holds this rule's parameters as a
  /// shortcut (`governance.compliance`); empty when none.
  std::string governance_key{};

  [[nodiscard]] const ParameterInfo* parameter(std::string_view parameter_name) const;
};

/// A series the engine records itself, whatever the models, in the runs `when` names.
struct EngineVariable {
  enum class When { always, communication, governance, trips };
  std::string_view name;
  std::string_view units;
  std::string_view description;
  When when = When::always;
};

/// The engine's own series, in the order it records them.
[[nodiscard]] std::span<const EngineVariable> engine_variables();

}  // namespace commons::sim
