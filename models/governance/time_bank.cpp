// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/time_bank.hpp>

#include <commons/models/governance/shared_columns.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/parallel.hpp>

#include <array>
#include <limits>
#include <string_view>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "time_bank",
      .summary =
          "Time bank for co-production (principles 4 and 8): one monitoring hour earns one credit, paid back the next "
          "step in access (extra effort limit) or money, and spent when paid back.",
      .parameters = {{.name = "payback",
                      .type = sim::ParameterType::choice,
                      .meaning = "access: the effort limit rises by credits x effort_per_credit; fees: credits x "
                                 "money_per_credit is paid as a transfer",
                      .default_value = std::string("access"),
                      .choices = {"access", "fees"}},
                     {.name = "effort_per_credit",
                      .type = sim::ParameterType::number,
                      .meaning = "Extra effort allowed per credit with payback access",
                      .unit = "effort unit/credit",
                      .minimum = sim::Bound{0.0},
                      .default_value = 1.0},
                     {.name = "money_per_credit",
                      .type = sim::ParameterType::number,
                      .meaning = "Money paid per credit with payback fees",
                      .unit = "money/credit",
                      .minimum = sim::Bound{0.0},
                      .default_value = 1.0}},
      .variables = {{"credits_issued", "h",
                     "monitoring hours credited in the step, one credit per hour (time_bank rule)"},
                    {"credits_redeemed", "h", "credits (hours) paid back at the start of the step (time_bank rule)"}},
      .order = {.phases = {sim::Phase::announce, sim::Phase::settle}},
      .design_principles = {4, 8}};
  return described;
}

constexpr std::string_view rule_name = "time_bank";

}  // namespace

TimeBank::Parameters TimeBank::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  constexpr std::array<std::string_view, 2> paybacks{"access", "fees"};
  p.payback = detail::checked_choice(values, rule_name, "payback", "access", paybacks) == "fees" ? Payback::fees
                                                                                                  : Payback::access;
  p.effort_per_credit = detail::checked_number(values, rule_name, "effort_per_credit", 1.0, 0.0);
  p.money_per_credit = detail::checked_number(values, rule_name, "money_per_credit", 1.0, 0.0);
  return p;
}

TimeBank::TimeBank(Parameters parameters) : parameters_(parameters) {}

std::span<const sim::Phase> TimeBank::phases() const { return descriptor().order.phases; }

void TimeBank::apply(sim::Phase phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  const std::size_t n = agents.size();
  const sim::ExecutionPolicy& policy = context.step.policy;
  if (credits_.size() != n) credits_.assign(n, 0.0);
  if (phase == sim::Phase::announce) {
    const bool access = parameters_.payback == Parameters::Payback::access;
    const double rate = access ? parameters_.effort_per_credit : parameters_.money_per_credit;
    ledger.will_write({access ? sim::GovernanceLedger::Column::effort_limit : sim::GovernanceLedger::Column::transfer});
    redeemed_ = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double paid = 0.0;
      for (std::size_t i = first; i < last; ++i) {
        if (credits_[i] == 0.0) continue;
        // An unlimited agent gains nothing from more access: infinity stays infinity.
        (access ? ledger.effort_limit[i] : ledger.transfer[i]) += credits_[i] * rate;
        paid += credits_[i];
        credits_[i] = 0.0;
      }
      return paid;
    });
  } else if (phase == sim::Phase::settle) {
    const std::vector<double>& hours = ledger.shared(monitoring_hours_column);
    issued_ = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double issued = 0.0;
      for (std::size_t i = first; i < last; ++i) {
        credits_[i] += hours[i];
        issued += hours[i];
      }
      return issued;
    });
  }
}

std::vector<sim::VariableInfo> TimeBank::variables() const { return descriptor().variables; }

void TimeBank::sample(std::span<double> values) const {
  values[0] = issued_;
  values[1] = redeemed_;
  constexpr double none = std::numeric_limits<double>::quiet_NaN();
  issued_ = redeemed_ = none;
}

std::vector<int> TimeBank::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(time_bank) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<TimeBank>(TimeBank::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
