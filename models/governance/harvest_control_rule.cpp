// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/harvest_control_rule.hpp>

#include <commons/models/registration.hpp>

#include "group_limit.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "harvest_control_rule",
      .summary =
          "Management strategy evaluation loop (ICES-style hockey stick): every interval steps a noisy assessment B = "
          "stock x exp(sigma z - sigma^2/2) sets the TAC = target_harvest_rate x B x min(1, B / trigger_stock), "
          "applied as tac does.",
      .parameters = {{.name = "interval",
                      .type = sim::ParameterType::integer,
                      .meaning = "Steps between assessments",
                      .unit = "step",
                      .minimum = sim::Bound{1.0},
                      .default_value = std::int64_t{1}},
                     {.name = "assessment_error",
                      .type = sim::ParameterType::number,
                      .meaning = "sigma, standard deviation of the log assessment error",
                      .unit = "1",
                      .note = "0 assesses exactly",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0},
                     {.name = "target_harvest_rate",
                      .type = sim::ParameterType::number,
                      .meaning = "F_target, share of the assessed stock taken at or above the trigger",
                      .unit = "1/step",
                      .note = "default: the resource's MSY harvest / MSY stock",
                      .minimum = sim::Bound{0.0}},
                     {.name = "trigger_stock",
                      .type = sim::ParameterType::number,
                      .meaning = "B_trigger, assessed stock below which the harvest rate falls linearly to 0",
                      .unit = "resource unit",
                      .note = "default: the resource's MSY stock",
                      .minimum = sim::Bound{0.0, true}}},
      .variables = {{"hcr_tac", "resource_unit", "total allowable catch the harvest control rule set for the step"},
                    {"assessed_stock", "resource_unit", "stock estimate of the latest assessment"}},
      .order = {.phases = {sim::Phase::announce, sim::Phase::comply}},
      .design_principles = {2}};
  return described;
}

}  // namespace

namespace quota = detail::quota;

namespace {
/// The state's draws use an agent id no agent has (ids count up from 0).
constexpr std::uint64_t state_id = std::uint64_t{1} << 63;
}  // namespace

HarvestControlRule::Parameters HarvestControlRule::Parameters::from(const sim::Parameters& values) {
  constexpr const char* rule = "harvest_control_rule";
  Parameters p;
  if (values.contains("interval")) {
    // YAML may give a whole number as 3 or 3.0.
    const double interval = values.number("interval");
    if (!(interval >= 1.0 && interval <= 1e15 && std::floor(interval) == interval))
      throw sim::SpecError(std::string(rule) + ": interval must be a whole number at least 1, got " +
                           quota::number_text(interval));
    p.interval = static_cast<std::int64_t>(interval);
  }
  p.assessment_error = quota::number_at_least(values, "assessment_error", 0.0, rule, 0.0);
  if (values.contains("target_harvest_rate"))
    p.target_harvest_rate = quota::number_at_least(values, "target_harvest_rate", 0.0, rule);
  if (values.contains("trigger_stock")) {
    p.trigger_stock = quota::number_at_least(values, "trigger_stock", 0.0, rule);
    if (!(*p.trigger_stock > 0.0)) throw sim::SpecError(std::string(rule) + ": trigger_stock must be greater than 0");
  }
  return p;
}

HarvestControlRule::HarvestControlRule(const Parameters& parameters) : parameters_(parameters) {}

std::span<const sim::Phase> HarvestControlRule::phases() const { return descriptor().order.phases; }

double HarvestControlRule::advised_catch(double assessed_stock, double harvest_rate, double trigger_stock) {
  // ICES (2021) advice rule: constant F above B_trigger, F falling linearly to zero below it.
  return harvest_rate * assessed_stock * std::min(1.0, assessed_stock / trigger_stock);
}

void HarvestControlRule::assess(const sim::RuleContext& context) {
  const double sigma = parameters_.assessment_error;
  double error = 1.0;
  if (sigma > 0.0) {
    // Log-normal error with mean one: the assessment is unbiased on the natural scale.
    const double z = context.step.random.normal(static_cast<std::uint64_t>(context.step.step), state_id,
                                                sim::Purpose::monitor, 0);
    error = std::exp(sigma * z - 0.5 * sigma * sigma);
  }
  // In the announce phase the resource holds the stock the step starts with.
  assessed_stock_ = context.resource.stock() * error;
  tac_ = advised_catch(assessed_stock_, harvest_rate_, trigger_);
  assessed_ = true;
  last_assessment_ = context.step.step;
}

HarvestControlRule::Targets HarvestControlRule::targets(const sim::Resource& resource,
                                                       const sim::Economics& economics) const {
  constexpr const char* rule = "harvest_control_rule";
  Targets result;
  result.trigger =
      parameters_.trigger_stock ? *parameters_.trigger_stock : quota::reference_point(resource, economics, "msy_stock", rule);
  result.harvest_rate = parameters_.target_harvest_rate
                            ? *parameters_.target_harvest_rate
                            : quota::reference_point(resource, economics, "msy_harvest", rule) /
                                  quota::reference_point(resource, economics, "msy_stock", rule);
  if (!(result.trigger > 0.0)) throw sim::SpecError(std::string(rule) + ": the trigger stock must be greater than 0");
  return result;
}

void HarvestControlRule::check(const sim::RuleCheck& world) const {
  static_cast<void>(targets(world.resource, world.economics));
}

void HarvestControlRule::apply(sim::Phase phase, sim::RuleContext& context) {
  if (!resolved_) {
    const Targets resolved = targets(context.resource, context.step.economics);
    trigger_ = resolved.trigger;
    harvest_rate_ = resolved.harvest_rate;
    resolved_ = true;
  }
  if (phase == sim::Phase::announce) {
    if (!assessed_ || context.step.step - last_assessment_ >= parameters_.interval) assess(context);
    return;
  }
  quota::close_at_group_limit(context, tac_, predicted_);
  acted_ = true;
}

std::vector<sim::VariableInfo> HarvestControlRule::variables() const { return descriptor().variables; }

void HarvestControlRule::sample(std::span<double> values) const {
  values[0] = quota::recorded(acted_, tac_);
  values[1] = quota::recorded(acted_, assessed_stock_);
  acted_ = false;
}

std::vector<int> HarvestControlRule::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(harvest_control_rule) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<HarvestControlRule>(HarvestControlRule::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
