// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/landing_tax.hpp>

#include <commons/models/registration.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "landing_tax",
      .summary =
          "A tax on the value landed, paid as a fee in the settle phase; the revenue is kept by the state or returned "
          "in equal shares.",
      .parameters =
          {{.name = "rate",
            .type = sim::ParameterType::number,
            .meaning = "Share of the landed value (price x harvest) paid as tax",
            .unit = "1",
            .required = true,
            .minimum = sim::Bound{0.0},
            .maximum = sim::Bound{1.0}},
           {.name = "rebate",
            .type = sim::ParameterType::choice,
            .meaning =
                "none: the state keeps the revenue; equal: it returns to all agents in equal shares (as a transfer)",
            .default_value = std::string("none"),
            .choices = {"none", "equal"}}},
      .variables = {{"tax_revenue", "money", "landing tax collected in the step (landing_tax rule)"}},
      .order = {.phases = {sim::Phase::settle}}};
  return described;
}

}  // namespace

LandingTax::Parameters LandingTax::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.rate = detail::checked_number(values, "landing_tax", "rate", std::nullopt, 0.0, 1.0);
  constexpr std::array<std::string_view, 2> rebates{"none", "equal"};
  p.rebate = detail::checked_choice(values, "landing_tax", "rebate", "none", rebates) == "equal" ? Rebate::equal
                                                                                                 : Rebate::none;
  return p;
}

LandingTax::LandingTax(Parameters parameters) : parameters_(parameters) {}

std::span<const sim::Phase> LandingTax::phases() const { return descriptor().order.phases; }

void LandingTax::apply(sim::Phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::fee, sim::GovernanceLedger::Column::transfer});
  const std::size_t n = agents.size();
  const sim::ExecutionPolicy& policy = context.step.policy;
  const double rate = parameters_.rate;
  const double price = context.step.economics.price;
  // Acts at the start of settle, so the engine's settlement subtracts the tax from income.
  // Only what is landed is taxed: a negative return (cpr_quadratic past the optimum) is not
  // subsidised.
  revenue_ = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i) {
      const double tax = rate * std::max(0.0, price * agents.harvest[i]);
      ledger.fee[i] += tax;
      sum += tax;
    }
    return sum;
  });
  if (parameters_.rebate == Parameters::Rebate::equal && n > 0) {
    const double share = revenue_ / static_cast<double>(n);
    sim::for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) ledger.transfer[i] += share;
    });
  }
}

std::vector<sim::VariableInfo> LandingTax::variables() const { return descriptor().variables; }

void LandingTax::sample(std::span<double> values) const {
  values[0] = revenue_;
  revenue_ = std::numeric_limits<double>::quiet_NaN();
}

COMMONS_REGISTER_MODELS(landing_tax) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<LandingTax>(LandingTax::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
