// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/closed_season.hpp>

#include <commons/models/governance/common_parameters.hpp>
#include <commons/models/registration.hpp>

#include <algorithm>
#include <limits>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "closed_season",
      .summary =
          "In closed steps every agent's effort limit is 0: step t is closed when t mod period is listed in closed "
          "(counted from step 0 of the run).",
      .parameters = {season_period_parameter(true), season_closed_parameter(true)},
      .variables = {{"season_closed", "1", "1 if the step falls in the closed season, else 0 (closed_season rule)"}},
      .order = {.phases = {sim::Phase::announce}},
      .design_principles = {2}};
  return described;
}

}  // namespace

ClosedSeason::Parameters ClosedSeason::Parameters::from(const sim::Parameters& values, std::string_view rule) {
  const std::string name(rule);
  Parameters p;
  p.period = detail::checked_count(values, rule, "period", std::nullopt, 1);
  if (!values.contains("closed")) throw sim::SpecError(name + ": closed is required");
  std::vector<double> offsets;
  try {
    offsets = values.numbers("closed");
  } catch (const sim::SpecError&) {
    throw sim::SpecError(name + ": closed must be a list of step offsets");
  }
  if (offsets.empty()) throw sim::SpecError(name + ": closed must list at least one step offset");
  for (const double offset : offsets) {
    if (!(offset >= 0.0 && offset < static_cast<double>(p.period) &&
          offset == static_cast<double>(static_cast<std::int64_t>(offset))))
      throw sim::SpecError(name + ": closed offsets must be whole numbers in [0, period) = [0, " +
                           std::to_string(p.period) + "), got " + detail::number_text(offset));
    p.closed.push_back(static_cast<std::int64_t>(offset));
  }
  return p;
}

ClosedSeason::ClosedSeason(Parameters parameters)
    : parameters_(std::move(parameters)), closed_(static_cast<std::size_t>(parameters_.period), false) {
  for (const std::int64_t offset : parameters_.closed) closed_[static_cast<std::size_t>(offset)] = true;
}

std::span<const sim::Phase> ClosedSeason::phases() const { return descriptor().order.phases; }

bool ClosedSeason::closed_at(std::int64_t step) const {
  return closed_[static_cast<std::size_t>(step % parameters_.period)];
}

void ClosedSeason::apply(sim::Phase, sim::RuleContext& context) {
  const bool closed = closed_at(context.step.step);
  season_closed_ = closed ? 1.0 : 0.0;
  if (!closed) return;
  context.ledger.will_write({sim::GovernanceLedger::Column::effort_limit});
  std::ranges::fill(context.ledger.effort_limit, 0.0);
}

std::vector<sim::VariableInfo> ClosedSeason::variables() const { return descriptor().variables; }

void ClosedSeason::sample(std::span<double> values) const {
  values[0] = season_closed_;
  season_closed_ = std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> ClosedSeason::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(closed_season) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<ClosedSeason>(ClosedSeason::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
