// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/appropriation_rule.hpp>

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/models/governance/shared_columns.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <array>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "appropriation_rule",
      .summary =
          "Appropriation rule the group sets (principle 2): each member's effort or harvest limit is the community's "
          "appropriation limit, which starts at limit and changes by collective_choice.",
      .parameters = {{.name = "limit",
                      .type = sim::ParameterType::number,
                      .meaning = "Initial limit per member per step [effort unit or resource unit, as unit says]; "
                                 "default: each member's equal share of the resource's social optimum (the harvest "
                                 "that share takes, for unit harvest)",
                      .minimum = sim::Bound{0.0}},
                     {.name = "unit",
                      .type = sim::ParameterType::choice,
                      .meaning = "What the limit bounds: effort (the effort limit) or harvest (the harvest limit)",
                      .default_value = std::string("effort"),
                      .choices = {"effort", "harvest"}}},
      // The unit is the one the rule's `unit` parameter chooses (variables() says which).
      .variables = {{"appropriation_limit", "effort_unit",
                     "the community's limit per member in force in the step (appropriation_rule)"}},
      .order = {.phases = {sim::Phase::announce}},
      .design_principles = {2}};
  return described;
}

constexpr std::string_view rule_name = "appropriation_rule";

}  // namespace

AppropriationRule::Parameters AppropriationRule::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  // Without a limit the community starts from each member's equal share of the social
  // optimum, the agreement laboratory groups reach when they talk (docs/governance.md).
  if (values.contains("limit")) p.limit = detail::checked_number(values, rule_name, "limit", std::nullopt, 0.0);
  constexpr std::array<std::string_view, 2> units{"effort", "harvest"};
  p.unit = detail::checked_choice(values, rule_name, "unit", "effort", units) == "harvest" ? Unit::harvest
                                                                                            : Unit::effort;
  return p;
}

AppropriationRule::AppropriationRule(Parameters parameters) : parameters_(parameters) {}

std::span<const sim::Phase> AppropriationRule::phases() const { return descriptor().order.phases; }

void AppropriationRule::apply(sim::Phase, sim::RuleContext& context) {
  sim::GovernanceLedger& ledger = context.ledger;
  const std::vector<double>& member = ledger.shared(member_column);
  // The parameter is only the starting point: once a limit is set (by this rule or a vote) it
  // is the community's, and it persists.
  auto found = context.settings.find(setting);
  if (found == context.settings.end()) {
    double start = parameters_.limit.value_or(0.0);
    if (!parameters_.limit) {
      const auto optimum = sim::optimal_total_effort(context.resource, context.step.economics);
      const double members =
          static_cast<double>(std::count_if(member.begin(), member.end(), [](double m) { return m > 0.0; }));
      if (optimum && members > 0.0) {
        // Shared among members, in the rule's unit: the optimum effort, or the harvest that
        // effort would take at the stock the step started with.
        const double share = *optimum / members;
        start = parameters_.unit == Parameters::Unit::effort
                    ? share
                    : context.resource.harvest_if(share, *optimum - share);
      } else {
        start = std::numeric_limits<double>::infinity();
      }
    }
    found = context.settings.emplace(std::string(setting), start).first;
  }
  const double limit = found->second;
  limit_ = limit;
  std::vector<double>& column =
      parameters_.unit == Parameters::Unit::effort ? ledger.effort_limit : ledger.harvest_limit;
  ledger.will_write({parameters_.unit == Parameters::Unit::effort ? sim::GovernanceLedger::Column::effort_limit
                                                                  : sim::GovernanceLedger::Column::harvest_limit});
  // Limits combine by minimum: the strictest rule in force binds.
  sim::for_each_block(ledger.size(), context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i)
      if (member[i] > 0.0) column[i] = std::min(column[i], limit);
  });
}

std::vector<sim::VariableInfo> AppropriationRule::variables() const {
  std::vector<sim::VariableInfo> variables = descriptor().variables;
  variables[0].units = parameters_.unit == Parameters::Unit::effort ? "effort_unit" : "resource_unit";
  return variables;
}

void AppropriationRule::sample(std::span<double> values) const {
  values[0] = limit_;
  limit_ = std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> AppropriationRule::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(appropriation_rule) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<AppropriationRule>(AppropriationRule::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
