// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/time_bank.hpp>

#include <commons/sim/parallel.hpp>

#include <array>
#include <limits>
#include <string_view>

namespace commons::models {
namespace {

constexpr std::string_view rule_name = "time_bank";
constexpr sim::Phase time_bank_phases[] = {sim::Phase::announce, sim::Phase::settle};

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

std::span<const sim::Phase> TimeBank::phases() const { return time_bank_phases; }

void TimeBank::apply(sim::Phase phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  const std::size_t n = agents.size();
  const sim::ExecutionPolicy& policy = context.step.policy;
  if (credits_.size() != n) credits_.assign(n, 0.0);
  if (phase == sim::Phase::announce) {
    const bool access = parameters_.payback == Parameters::Payback::access;
    const double rate = access ? parameters_.effort_per_credit : parameters_.money_per_credit;
    redeemed_ = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double paid = 0.0;
      for (std::size_t i = first; i < last; ++i) {
        if (credits_[i] == 0.0) continue;
        // An unlimited agent gains nothing from more access: infinity stays infinity.
        (access ? agents.effort_limit[i] : agents.transfer[i]) += credits_[i] * rate;
        paid += credits_[i];
        credits_[i] = 0.0;
      }
      return paid;
    });
  } else if (phase == sim::Phase::settle) {
    issued_ = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double issued = 0.0;
      for (std::size_t i = first; i < last; ++i) {
        credits_[i] += agents.monitoring_hours[i];
        issued += agents.monitoring_hours[i];
      }
      return issued;
    });
  }
}

std::vector<sim::VariableInfo> TimeBank::variables() const {
  return {{"credits_issued", "h", "monitoring hours credited in the step, one credit per hour (time_bank rule)"},
          {"credits_redeemed", "h", "credits (hours) paid back at the start of the step (time_bank rule)"}};
}

void TimeBank::sample(std::span<double> values) const {
  values[0] = issued_;
  values[1] = redeemed_;
  constexpr double none = std::numeric_limits<double>::quiet_NaN();
  issued_ = redeemed_ = none;
}

}  // namespace commons::models
