// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/individual_quota.hpp>

#include <commons/models/governance/common_parameters.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>

#include "group_limit.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "individual_quota",
      .summary =
          "Non-tradable individual quotas: the TAC (total or fraction_of_msy, exactly one) split equally or by shares; "
          "each agent's harvest limit is its quota.",
      .parameters =
          {catch_limit_total_parameter(),
           fraction_of_msy_parameter(),
           {.name = "split",
            .type = sim::ParameterType::choice,
            .meaning = "equal: every agent gets the same quota; shares: quotas in proportion to shares. Default: "
                       "shares when shares is given, else equal",
            .choices = {"equal", "shares"}},
           {.name = "shares",
            .type = sim::ParameterType::custom,
            .meaning =
                "Relative shares of the TAC [1]: a list with one number per agent in agent order (a single number is "
                "an equal split), or a distribution drawn once per agent (negative draws count as 0); not all zero",
            .schema =
                R"json({"type": ["number", "array", "object"], "minimum": 0, "minItems": 1, "maxItems": 100000000, "items": {"type": "number", "minimum": 0}, "additionalProperties": false, "minProperties": 1, "maxProperties": 1, "properties": {"uniform": {"$ref": "#/definitions/per_agent_number/properties/uniform"}, "normal": {"$ref": "#/definitions/per_agent_number/properties/normal"}, "lognormal": {"$ref": "#/definitions/per_agent_number/properties/lognormal"}, "beta": {"$ref": "#/definitions/per_agent_number/properties/beta"}, "discrete": {"$ref": "#/definitions/per_agent_number/properties/discrete"}}})json"}},
      .exactly_one_of = {{"total", "fraction_of_msy"}},
      .variables = {{"quota_total", "resource_unit", "total of the individual quotas in force in the step"}},
      .order = {.phases = {sim::Phase::announce}},
      .design_principles = {2}};
  return described;
}

}  // namespace

namespace quota = detail::quota;

IndividualQuota::Parameters IndividualQuota::Parameters::from(const sim::Parameters& values) {
  const quota::CatchTotal total = quota::CatchTotal::from(values, "individual_quota");
  Parameters p;
  p.total = total.total;
  p.fraction_of_msy = total.fraction_of_msy;
  const bool has_shares = values.contains("shares");
  const std::string split = values.contains("split") ? values.text("split") : (has_shares ? "shares" : "equal");
  if (split != "equal" && split != "shares")
    throw sim::SpecError("individual_quota: split must be 'equal' or 'shares', not '" + split + "'");
  if (split == "equal") {
    if (has_shares) throw sim::SpecError("individual_quota: shares given but split is 'equal'");
    return p;
  }
  if (!has_shares) throw sim::SpecError("individual_quota: split 'shares' needs shares");
  if (const sim::Distribution* distribution = values.distribution("shares")) {
    p.share_distribution = *distribution;
    return p;
  }
  p.share_list = values.numbers("shares");
  if (p.share_list.empty()) throw sim::SpecError("individual_quota: shares must not be empty");
  double sum = 0.0;
  for (double s : p.share_list) {
    if (!std::isfinite(s) || s < 0.0)
      throw sim::SpecError("individual_quota: every share must be a finite number at least 0");
    sum += s;
  }
  if (!(sum > 0.0)) throw sim::SpecError("individual_quota: the shares must not all be zero");
  return p;
}

IndividualQuota::IndividualQuota(Parameters parameters) : parameters_(std::move(parameters)) {}

std::span<const sim::Phase> IndividualQuota::phases() const { return descriptor().order.phases; }

double IndividualQuota::total(const sim::Resource& resource, const sim::Economics& economics) const {
  return quota::CatchTotal{parameters_.total, parameters_.fraction_of_msy}.resolve(resource, economics,
                                                                                  "individual_quota");
}

void IndividualQuota::check_shares(std::size_t agents) const {
  // A single number reads as a list of one: an equal split whatever the agent count.
  const std::size_t listed = parameters_.share_list.size();
  if (listed > 1 && listed != agents)
    throw sim::SpecError("individual_quota: shares lists " + std::to_string(listed) + " values but the run has " +
                         std::to_string(agents) + " agents");
}

void IndividualQuota::check(const sim::RuleCheck& world) const {
  static_cast<void>(total(world.resource, world.economics));
  check_shares(world.agent_count);
}

void IndividualQuota::allocate(const sim::RuleContext& context) {
  const sim::AgentTable& agents = context.agents;
  const std::size_t n = agents.size();
  std::vector<double> shares(n, 1.0);
  if (!parameters_.share_list.empty()) {
    check_shares(n);
    if (parameters_.share_list.size() == 1) {
      shares.assign(n, parameters_.share_list.front());
    } else {
      shares = parameters_.share_list;
    }
  } else if (parameters_.share_distribution) {
    // Drawn like a behaviour parameter: at (step 0, agent id, initialise, hash of the name),
    // so an agent's share depends on the seed, the run and its id only.
    const std::uint64_t index = sim::parameter_draw_index("individual_quota.shares");
    for (std::size_t i = 0; i < n; ++i)
      shares[i] = std::max(0.0, sim::draw(*parameters_.share_distribution, context.step.random, agents.id[i], index));
  }
  double sum = 0.0;
  for (double s : shares) sum += s;  // agent order: independent of threads
  if (!(sum > 0.0)) throw sim::SpecError("individual_quota: the agents' shares sum to zero");
  quotas_.resize(n);
  for (std::size_t i = 0; i < n; ++i) quotas_[i] = total_ * (shares[i] / sum);
}

void IndividualQuota::apply(sim::Phase, sim::RuleContext& context) {
  if (quotas_.size() != context.agents.size()) {
    // First step in force: the split is made once and holds for the rest of the run.
    total_ = total(context.resource, context.step.economics);
    allocate(context);
  }
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::harvest_limit});
  sim::for_each_block(agents.size(), context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) ledger.harvest_limit[i] = std::min(ledger.harvest_limit[i], quotas_[i]);
  });
  acted_ = true;
}

std::vector<sim::VariableInfo> IndividualQuota::variables() const { return descriptor().variables; }

void IndividualQuota::sample(std::span<double> values) const {
  values[0] = quota::recorded(acted_, total_);
  acted_ = false;
}

std::vector<int> IndividualQuota::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(individual_quota) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<IndividualQuota>(IndividualQuota::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
