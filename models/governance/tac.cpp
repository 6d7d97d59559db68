// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/tac.hpp>

#include <commons/models/governance/common_parameters.hpp>
#include <commons/models/registration.hpp>

#include "group_limit.hpp"

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "tac",
      .summary =
          "Total allowable catch with closure: when the harvest the agents intend would exceed the TAC, the season "
          "closes as the TAC is reached, each agent's harvest limit being its share of the predicted catch times the "
          "TAC. Give exactly one of total or fraction_of_msy.",
      .parameters = {catch_limit_total_parameter(), fraction_of_msy_parameter()},
      .exactly_one_of = {{"total", "fraction_of_msy"}},
      .variables = {{"tac", "resource_unit", "total allowable catch in force in the step"}},
      .order = {.phases = {sim::Phase::comply}},
      .design_principles = {2}};
  return described;
}

}  // namespace

namespace quota = detail::quota;

Tac::Parameters Tac::Parameters::from(const sim::Parameters& values) {
  const quota::CatchTotal total = quota::CatchTotal::from(values, "tac");
  return {total.total, total.fraction_of_msy};
}

Tac::Tac(const Parameters& parameters) : parameters_(parameters) {}

std::span<const sim::Phase> Tac::phases() const { return descriptor().order.phases; }

double Tac::total(const sim::Resource& resource, const sim::Economics& economics) const {
  return quota::CatchTotal{parameters_.total, parameters_.fraction_of_msy}.resolve(resource, economics, "tac");
}

void Tac::check(const sim::RuleCheck& world) const { static_cast<void>(total(world.resource, world.economics)); }

void Tac::apply(sim::Phase, sim::RuleContext& context) {
  // The MSY reference point does not change within a run, but a scheduled rule may first act
  // in any step, so the total is resolved when the rule first acts.
  if (!resolved_) {
    tac_ = total(context.resource, context.step.economics);
    resolved_ = true;
  }
  quota::close_at_group_limit(context, tac_, predicted_);
  acted_ = true;
}

std::vector<sim::VariableInfo> Tac::variables() const { return descriptor().variables; }

void Tac::sample(std::span<double> values) const {
  values[0] = quota::recorded(acted_, tac_);
  acted_ = false;
}

std::vector<int> Tac::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(tac) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<Tac>(Tac::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
