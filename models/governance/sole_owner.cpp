// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/sole_owner.hpp>

#include <commons/models/registration.hpp>
#include <commons/sim/parallel.hpp>

#include "group_limit.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "sole_owner",
      .summary =
          "One owner decides the total effort and directs it in equal parts to the agents (its crew), who comply by "
          "construction.",
      .parameters = {{.name = "target",
                      .type = sim::ParameterType::choice,
                      .meaning = "mey: the effort of the maximum economic yield (the rent-maximising optimum); msy: "
                                 "the effort of the maximum sustainable yield; golden_rule: the effort that sustains "
                                 "Clark's golden-rule stock, the optimum when future rent is discounted at "
                                 "economics.discount_rate",
                      .default_value = std::string("mey"),
                      .choices = {"mey", "msy", "golden_rule"}}},
      .variables = {{"owner_effort", "effort_unit", "total effort the sole owner directs in the step"}},
      .order = {.phases = {sim::Phase::announce, sim::Phase::comply}},
      .design_principles = {1}};
  return described;
}

}  // namespace

namespace quota = detail::quota;

SoleOwner::Parameters SoleOwner::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  if (!values.contains("target")) return p;
  // In the order of the descriptor's choices.
  constexpr Target targets[] = {Target::mey, Target::msy, Target::golden_rule};
  const std::vector<std::string>& names = descriptor().parameters.front().choices;
  const std::string& target = values.text("target");
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] != target) continue;
    p.target = targets[i];
    return p;
  }
  throw sim::SpecError("sole_owner: target must be 'mey', 'msy' or 'golden_rule', not '" + target + "'");
}

SoleOwner::SoleOwner(const Parameters& parameters) : parameters_(parameters) {}

std::span<const sim::Phase> SoleOwner::phases() const { return descriptor().order.phases; }

double SoleOwner::target_effort(const sim::Resource& resource, const sim::Economics& economics) const {
  if (parameters_.target == Parameters::Target::msy)
    return quota::reference_point(resource, economics, "msy_effort", "sole_owner");
  // Clark (1990): the discounted optimum's steady state; with no discounting, the MEY.
  if (parameters_.target == Parameters::Target::golden_rule)
    return quota::reference_point(resource, economics, "golden_rule_effort", "sole_owner");
  // Scott (1955): the owner maximises the rent the resource sustains, the MEY.
  const std::optional<double> optimal = sim::optimal_total_effort(resource, economics);
  return optimal ? *optimal : quota::reference_point(resource, economics, "mey_effort", "sole_owner");
}

void SoleOwner::check(const sim::RuleCheck& world) const {
  static_cast<void>(target_effort(world.resource, world.economics));
}

void SoleOwner::apply(sim::Phase phase, sim::RuleContext& context) {
  if (!resolved_) {
    total_effort_ = target_effort(context.resource, context.step.economics);
    resolved_ = true;
  }
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::effort_limit});
  const std::size_t n = agents.size();
  if (n == 0) return;
  const double per_agent = total_effort_ / static_cast<double>(n);
  if (phase == sim::Phase::announce) {
    sim::for_each_block(n, context.step.policy, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) ledger.effort_limit[i] = std::min(ledger.effort_limit[i], per_agent);
    });
    return;
  }
  // The crew fishes what the owner directs, whatever it intended; other rules' effort limits
  // still bind.
  sim::for_each_block(n, context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) agents.effort[i] = std::min(per_agent, ledger.effort_limit[i]);
  });
  acted_ = true;
}

std::vector<sim::VariableInfo> SoleOwner::variables() const { return descriptor().variables; }

void SoleOwner::sample(std::span<double> values) const {
  values[0] = quota::recorded(acted_, total_effort_);
  acted_ = false;
}

std::vector<int> SoleOwner::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(sole_owner) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<SoleOwner>(SoleOwner::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
