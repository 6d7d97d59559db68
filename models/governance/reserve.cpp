// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/reserve.hpp>

#include <commons/models/registration.hpp>

#include "group_limit.hpp"

#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "reserve",
      .summary =
          "A protected share of the stock: at most (1 - share) x the stock at the start of the step may be harvested, "
          "a group limit applied like tac. (Spatial no-take zones: no_take_area.)",
      .parameters = {{.name = "share",
                      .type = sim::ParameterType::number,
                      .meaning = "s, share of the stock that is protected",
                      .unit = "1",
                      .required = true,
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0, true}}},
      .variables = {{"reserve_limit", "resource_unit",
                     "most harvest the reserve leaves open in the step, (1 - share) x stock"}},
      .order = {.phases = {sim::Phase::comply}},
      .design_principles = {2}};
  return described;
}

}  // namespace

namespace quota = detail::quota;

Reserve::Parameters Reserve::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.share = quota::number_at_least(values, "share", 0.0, "reserve");
  if (!(p.share < 1.0))
    throw sim::SpecError("reserve: share must lie in [0, 1), got " + quota::number_text(p.share));
  return p;
}

Reserve::Reserve(const Parameters& parameters) : parameters_(parameters) {}

std::span<const sim::Phase> Reserve::phases() const { return descriptor().order.phases; }

void Reserve::apply(sim::Phase, sim::RuleContext& context) {
  // Before the harvest the resource still holds the stock the step started with.
  limit_ = (1.0 - parameters_.share) * context.resource.stock();
  quota::close_at_group_limit(context, limit_, predicted_);
  acted_ = true;
}

std::vector<sim::VariableInfo> Reserve::variables() const { return descriptor().variables; }

void Reserve::sample(std::span<double> values) const {
  values[0] = quota::recorded(acted_, limit_);
  acted_ = false;
}

std::vector<int> Reserve::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(reserve) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<Reserve>(Reserve::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
