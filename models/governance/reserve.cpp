// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/reserve.hpp>

#include "group_limit.hpp"

#include <string>

namespace commons::models {

namespace quota = detail::quota;

namespace {
constexpr sim::Phase reserve_phases[] = {sim::Phase::comply};
}  // namespace

Reserve::Parameters Reserve::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.share = quota::number_at_least(values, "share", 0.0, "reserve");
  if (!(p.share < 1.0))
    throw sim::SpecError("reserve: share must lie in [0, 1), got " + quota::number_text(p.share));
  return p;
}

Reserve::Reserve(const Parameters& parameters) : parameters_(parameters) {}

std::span<const sim::Phase> Reserve::phases() const { return reserve_phases; }

void Reserve::apply(sim::Phase, sim::RuleContext& context) {
  // Before the harvest the resource still holds the stock the step started with.
  limit_ = (1.0 - parameters_.share) * context.resource.stock();
  quota::close_at_group_limit(context, limit_, predicted_);
  acted_ = true;
}

std::vector<sim::VariableInfo> Reserve::variables() const {
  return {{"reserve_limit", "resource_unit", "most harvest the reserve leaves open in the step, (1 - share) x stock"}};
}

void Reserve::sample(std::span<double> values) const {
  values[0] = quota::recorded(acted_, limit_);
  acted_ = false;
}

}  // namespace commons::models
