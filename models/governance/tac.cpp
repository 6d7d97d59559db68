// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/tac.hpp>

#include "group_limit.hpp"

namespace commons::models {

namespace quota = detail::quota;

namespace {
constexpr sim::Phase tac_phases[] = {sim::Phase::comply};
}  // namespace

Tac::Parameters Tac::Parameters::from(const sim::Parameters& values) {
  const quota::CatchTotal total = quota::CatchTotal::from(values, "tac");
  return {total.total, total.fraction_of_msy};
}

Tac::Tac(const Parameters& parameters) : parameters_(parameters) {}

std::span<const sim::Phase> Tac::phases() const { return tac_phases; }

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

std::vector<sim::VariableInfo> Tac::variables() const {
  return {{"tac", "resource_unit", "total allowable catch in force in the step"}};
}

void Tac::sample(std::span<double> values) const {
  values[0] = quota::recorded(acted_, tac_);
  acted_ = false;
}

}  // namespace commons::models
