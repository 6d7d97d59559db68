// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/licence.hpp>

#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <utility>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "licence",
      .summary =
          "Limited entry: only licence holders may fish (the others' effort limit is 0); holders pay a fee per step.",
      .parameters = {{.name = "licences",
                      .type = sim::ParameterType::integer,
                      .meaning = "Number of licences; every agent holds one when there are more licences than agents",
                      .unit = "1",
                      .required = true,
                      .minimum = sim::Bound{0.0}},
                     {.name = "allocation",
                      .type = sim::ParameterType::choice,
                      .meaning = "Who holds the licences: the agents with the lowest ids (the first groups of the "
                                 "scenario), or a lottery drawn from the run's stream",
                      .default_value = std::string("lowest_ids"),
                      .choices = {"lowest_ids", "random"}},
                     {.name = "fee",
                      .type = sim::ParameterType::number,
                      .meaning = "Fee per licence per step",
                      .unit = "money",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0}},
      .variables = {{"licence_revenue", "money", "licence fees paid by holders in the step (licence rule)"}},
      .order = {.phases = {sim::Phase::announce}},
      .design_principles = {1}};
  return described;
}

}  // namespace

Licence::Parameters Licence::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.licences = detail::checked_count(values, "licence", "licences", std::nullopt, 0);
  constexpr std::array<std::string_view, 2> allocations{"lowest_ids", "random"};
  p.allocation = detail::checked_choice(values, "licence", "allocation", "lowest_ids", allocations) == "random"
                     ? Allocation::random
                     : Allocation::lowest_ids;
  p.fee = detail::checked_number(values, "licence", "fee", 0.0, 0.0);
  return p;
}

Licence::Licence(Parameters parameters) : parameters_(std::move(parameters)) {}

std::span<const sim::Phase> Licence::phases() const { return descriptor().order.phases; }

void Licence::allocate(const sim::RuleContext& context) {
  const sim::AgentTable& agents = context.agents;
  const std::size_t n = agents.size();
  const auto k = static_cast<std::size_t>(std::min<std::int64_t>(parameters_.licences, static_cast<std::int64_t>(n)));
  // Rank agents by id (lowest_ids) or by a lottery draw, ties by id; the first k hold.
  std::vector<std::pair<double, std::uint64_t>> rank(n);
  std::vector<std::size_t> row(n);
  const std::uint64_t index = sim::parameter_draw_index("licence.allocation");
  for (std::size_t i = 0; i < n; ++i) {
    // The lottery draws at step 0 whatever step the rule starts in, so an agent's luck is a
    // property of the run, not of the schedule.
    const double key = parameters_.allocation == Parameters::Allocation::random
                           ? context.step.random.uniform(0, agents.id[i], sim::Purpose::initialise, index)
                           : 0.0;
    rank[i] = {key, agents.id[i]};
    row[i] = i;
  }
  std::ranges::sort(row, [&](std::size_t a, std::size_t b) { return rank[a] < rank[b]; });
  holds_.assign(n, 0);
  for (std::size_t j = 0; j < k; ++j) holds_[row[j]] = 1;
  holders_ = static_cast<double>(k);
}

void Licence::apply(sim::Phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::effort_limit, sim::GovernanceLedger::Column::fee});
  if (holds_.size() != agents.size()) allocate(context);
  const double fee = parameters_.fee;
  sim::for_each_block(agents.size(), context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      if (holds_[i] != 0) {
        ledger.fee[i] += fee;
      } else {
        ledger.effort_limit[i] = 0.0;
      }
    }
  });
  revenue_ = fee * holders_;
}

std::vector<sim::VariableInfo> Licence::variables() const { return descriptor().variables; }

void Licence::sample(std::span<double> values) const {
  values[0] = revenue_;
  revenue_ = std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> Licence::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(licence) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<Licence>(Licence::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
