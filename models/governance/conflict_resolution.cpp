// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/conflict_resolution.hpp>

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/parallel.hpp>

#include <vector>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "conflict_resolution",
      .summary =
          "Low-cost conflict resolution (principle 6): an agent fined although wrongly accused appeals at appeal_cost, "
          "and the fine is refunded with probability overturn_probability.",
      .parameters = {{.name = "appeal_cost",
                      .type = sim::ParameterType::number,
                      .meaning = "What an appeal costs the appellant, paid as a fee",
                      .unit = "money/appeal",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0},
                     {.name = "overturn_probability",
                      .type = sim::ParameterType::number,
                      .meaning = "Probability that an appeal overturns the fine",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 1.0}},
      .variables = {{"appeals", "1",
                     "wrongly accused agents who appealed their fine in the step (conflict_resolution rule)"},
                    {"overturned", "1", "appeals that had the fine refunded in the step (conflict_resolution rule)"}},
      .order = {.phases = {sim::Phase::trade}},
      .design_principles = {6}};
  return described;
}

constexpr std::string_view rule_name = "conflict_resolution";

}  // namespace

ConflictResolution::Parameters ConflictResolution::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.appeal_cost = detail::checked_number(values, rule_name, "appeal_cost", 0.0, 0.0);
  p.overturn_probability = detail::checked_number(values, rule_name, "overturn_probability", 1.0, 0.0, 1.0);
  return p;
}

ConflictResolution::ConflictResolution(Parameters parameters) : parameters_(parameters) {}

std::span<const sim::Phase> ConflictResolution::phases() const { return descriptor().order.phases; }

std::uint64_t ConflictResolution::draw_index() {
  static const std::uint64_t index = sim::parameter_draw_index("conflict_resolution.overturn");
  return index;
}

void ConflictResolution::apply(sim::Phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::fine, sim::GovernanceLedger::Column::fee});
  const std::size_t n = agents.size();
  // Appeals and refunds are counted as they happen, per block, the blocks' counts added in
  // block order.
  struct Counts {
    double appeals = 0.0;
    double overturned = 0.0;
  };
  std::vector<Counts> partial(sim::block_count(n));
  const auto step = static_cast<std::uint64_t>(context.step.step);
  const std::uint64_t index = draw_index();
  const Parameters& p = parameters_;
  sim::for_each_block(n, context.step.policy, [&](std::size_t first, std::size_t last) {
    Counts& counts = partial[first / sim::agent_block_size];
    for (std::size_t i = first; i < last; ++i) {
      // Only the wrongly accused appeal: a rightful fine would be upheld, the appeal wasted.
      if (!(ledger.fine[i] > 0.0 && ledger.detected[i] > ledger.violations[i])) continue;
      counts.appeals += 1.0;
      ledger.fee[i] += p.appeal_cost;
      if (!(context.step.random.uniform(step, agents.id[i], sim::Purpose::sanction, index) < p.overturn_probability))
        continue;
      counts.overturned += 1.0;
      ledger.fine[i] = 0.0;
    }
  });
  appeals_ = overturned_ = 0.0;
  for (const Counts& counts : partial) {
    appeals_ += counts.appeals;
    overturned_ += counts.overturned;
  }
}

std::vector<sim::VariableInfo> ConflictResolution::variables() const { return descriptor().variables; }

void ConflictResolution::sample(std::span<double> values) const {
  values[0] = appeals_;
  values[1] = overturned_;
  appeals_ = std::numeric_limits<double>::quiet_NaN();
  overturned_ = std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> ConflictResolution::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(conflict_resolution) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<ConflictResolution>(ConflictResolution::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
