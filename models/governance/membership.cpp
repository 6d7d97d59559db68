// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/membership.hpp>

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/models/governance/shared_columns.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "membership",
      .summary =
          "Boundaries (Ostrom's principle 1): the first share of agents (lowest ids) are members; outsiders may not "
          "fish (effort limit 0), and an outsider's intrusion is detected with exclusion_probability, at a cost the "
          "members share.",
      .parameters = {{.name = "members",
                      .type = sim::ParameterType::number,
                      .meaning = "Share of the agents who are members, lowest ids first",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 1.0},
                     {.name = "exclusion_probability",
                      .type = sim::ParameterType::number,
                      .meaning = "p_x, probability that an outsider's intrusion is detected",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 0.0},
                     {.name = "exclusion_cost",
                      .type = sim::ParameterType::number,
                      .meaning = "Cost of each detected intrusion, paid by the members in equal shares as a fee",
                      .unit = "money/intrusion",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0},
                     {.name = "fine",
                      .type = sim::ParameterType::number,
                      .meaning = "Fine a detected intruder pays",
                      .unit = "money/intrusion",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0}},
      .variables = {{"intrusions", "1", "outsiders who appropriated in the step, detected or not (membership rule)"},
                    {"exclusion_cost", "money",
                     "cost of the detected intrusions, paid by the members (membership rule)", true}},
      .order = {.phases = {sim::Phase::announce, sim::Phase::monitor, sim::Phase::sanction}},
      .design_principles = {1}};
  return described;
}

constexpr std::string_view rule_name = "membership";

}  // namespace

Membership::Parameters Membership::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.members = detail::checked_number(values, rule_name, "members", 1.0, 0.0, 1.0);
  p.exclusion_probability = detail::checked_number(values, rule_name, "exclusion_probability", 0.0, 0.0, 1.0);
  p.exclusion_cost = detail::checked_number(values, rule_name, "exclusion_cost", 0.0, 0.0);
  p.fine = detail::checked_number(values, rule_name, "fine", 0.0, 0.0);
  return p;
}

Membership::Membership(Parameters parameters) : parameters_(parameters) {}

std::span<const sim::Phase> Membership::phases() const { return descriptor().order.phases; }

std::size_t Membership::member_count(double share, std::size_t agents) {
  return static_cast<std::size_t>(std::floor(share * static_cast<double>(agents) + 0.5));
}

std::uint64_t Membership::draw_index() {
  static const std::uint64_t index = sim::parameter_draw_index("membership.exclusion");
  return index;
}

void Membership::apply(sim::Phase phase, sim::RuleContext& context) {
  if (phase == sim::Phase::announce) {
    announce(context);
  } else if (phase == sim::Phase::monitor) {
    monitor(context);
  } else if (phase == sim::Phase::sanction) {
    sanction(context);
  }
}

void Membership::announce(sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::effort_limit, sim::GovernanceLedger::Column::detection_probability,
                     sim::GovernanceLedger::Column::fine_per_violation});
  std::vector<double>& member = ledger.shared(member_column);
  const std::size_t n = agents.size();
  if (is_member_.size() != n) {
    // The members are the agents with the lowest ids, whatever the order of the rows.
    member_total_ = std::min(n, member_count(parameters_.members, n));
    is_member_.assign(n, 0);
    if (member_total_ > 0) {
      std::vector<std::uint64_t> ids = agents.id;
      std::nth_element(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(member_total_ - 1), ids.end());
      const std::uint64_t last_member = ids[member_total_ - 1];
      for (std::size_t i = 0; i < n; ++i) is_member_[i] = agents.id[i] <= last_member ? 1 : 0;
    }
  }
  // Catches belong to the step they were made in.
  caught_.clear();
  const Parameters& p = parameters_;
  sim::for_each_block(n, context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      if (is_member_[i] != 0) {
        member[i] = 1.0;
        continue;
      }
      // Outsiders may not appropriate at all; they hear the chance and the price of being caught.
      member[i] = 0.0;
      ledger.effort_limit[i] = 0.0;
      ledger.detection_probability[i] =
          1.0 - (1.0 - ledger.detection_probability[i]) * (1.0 - p.exclusion_probability);
      ledger.fine_per_violation[i] += p.fine;
    }
  });
}

void Membership::monitor(sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::detected, sim::GovernanceLedger::Column::fee});
  const std::size_t n = agents.size();
  // The rule may come into force in a step whose announce phase it missed: no boundaries yet.
  if (is_member_.size() != n) return;
  caught_.assign(n, 0);
  const auto step = static_cast<std::uint64_t>(context.step.step);
  const double p_x = parameters_.exclusion_probability;
  const std::uint64_t index = draw_index();
  intrusions_ = sim::sum_over_blocks(n, context.step.policy, [&](std::size_t first, std::size_t last) {
    double intrusions = 0.0;
    for (std::size_t i = first; i < last; ++i) {
      if (is_member_[i] != 0 || !(ledger.excess_effort[i] > 0.0)) continue;
      intrusions += 1.0;
      if (!(context.step.random.uniform(step, agents.id[i], sim::Purpose::monitor, index) < p_x)) continue;
      caught_[i] = 1;
      // The intrusion is one breach (of the effort limit 0); another monitor may have found it too.
      ledger.detected[i] = std::max(ledger.detected[i], 1.0);
    }
    return intrusions;
  });
  const double caught = sim::sum_over_blocks(n, context.step.policy, [&](std::size_t first, std::size_t last) {
    double count = 0.0;
    for (std::size_t i = first; i < last; ++i) count += caught_[i] != 0 ? 1.0 : 0.0;
    return count;
  });
  exclusion_cost_ = parameters_.exclusion_cost * caught;
  // Keeping outsiders out is the members' business: they share its cost equally.
  if (member_total_ == 0 || exclusion_cost_ == 0.0) return;
  const double share = exclusion_cost_ / static_cast<double>(member_total_);
  sim::for_each_block(n, context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i)
      if (is_member_[i] != 0) ledger.fee[i] += share;
  });
}

void Membership::sanction(sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::fine});
  if (caught_.size() != agents.size() || parameters_.fine == 0.0) return;
  const double fine = parameters_.fine;
  sim::for_each_block(agents.size(), context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i)
      if (caught_[i] != 0) ledger.fine[i] += fine;
  });
}

std::vector<sim::VariableInfo> Membership::variables() const { return descriptor().variables; }

void Membership::sample(std::span<double> values) const {
  values[0] = intrusions_;
  values[1] = exclusion_cost_;
  intrusions_ = std::numeric_limits<double>::quiet_NaN();
  exclusion_cost_ = std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> Membership::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(membership) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<Membership>(Membership::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
