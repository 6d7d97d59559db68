// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/inspection.hpp>

#include <commons/models/registration.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <limits>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "inspection",
      .summary =
          "State enforcement: each agent is inspected with a probability each step; inspected agents' breaches are "
          "detected and fined.",
      .parameters = {{.name = "probability",
                      .type = sim::ParameterType::number,
                      .meaning = "p, probability that an agent is inspected in a step",
                      .unit = "1",
                      .required = true,
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0}},
                     {.name = "fine_per_violation",
                      .type = sim::ParameterType::number,
                      .meaning = "Fine per detected breach",
                      .unit = "money/breach",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0},
                     {.name = "fine_per_excess",
                      .type = sim::ParameterType::number,
                      .meaning = "Fine per unit of excess effort or harvest of a detected agent",
                      .unit = "money/unit",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0},
                     {.name = "cost_per_inspection",
                      .type = sim::ParameterType::number,
                      .meaning = "What one inspection costs the state",
                      .unit = "money",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0}},
      .variables = {{"enforcement_cost", "money", "cost of the step's inspections to the state (inspection rule)",
                     true},
                    {"inspections", "1", "agents inspected in the step (inspection rule)"}},
      .order = {.phases = {sim::Phase::announce, sim::Phase::monitor, sim::Phase::sanction}},
      .design_principles = {4, 5}};
  return described;
}

}  // namespace

Inspection::Parameters Inspection::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.probability = detail::checked_number(values, "inspection", "probability", std::nullopt, 0.0, 1.0);
  p.fine_per_violation = detail::checked_number(values, "inspection", "fine_per_violation", 0.0, 0.0);
  p.fine_per_excess = detail::checked_number(values, "inspection", "fine_per_excess", 0.0, 0.0);
  p.cost_per_inspection = detail::checked_number(values, "inspection", "cost_per_inspection", 0.0, 0.0);
  return p;
}

Inspection::Inspection(Parameters parameters) : parameters_(parameters) {}

std::span<const sim::Phase> Inspection::phases() const { return descriptor().order.phases; }

void Inspection::apply(sim::Phase phase, sim::RuleContext& context) {
  if (phase == sim::Phase::announce) {
    sim::GovernanceLedger& ledger = context.ledger;
    ledger.will_write({sim::GovernanceLedger::Column::detection_probability,
                       sim::GovernanceLedger::Column::fine_per_violation,
                       sim::GovernanceLedger::Column::fine_per_excess});
    const Parameters& p = parameters_;
    // Independent chances of detection combine as 1 - (1 - d)(1 - p); fines add up.
    sim::for_each_block(ledger.size(), context.step.policy, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) {
        ledger.detection_probability[i] = 1.0 - (1.0 - ledger.detection_probability[i]) * (1.0 - p.probability);
        ledger.fine_per_violation[i] += p.fine_per_violation;
        ledger.fine_per_excess[i] += p.fine_per_excess;
      }
    });
  } else if (phase == sim::Phase::monitor) {
    monitor(context);
  } else if (phase == sim::Phase::sanction) {
    sanction(context);
  }
}

void Inspection::monitor(sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::detected});
  const std::size_t n = agents.size();
  // Every row is written below, in the blocks that later read it.
  found_.resize(n);
  const auto step = static_cast<std::uint64_t>(context.step.step);
  const double p = parameters_.probability;
  // Without a branch on the draw: whether an agent is inspected is a coin toss the processor
  // cannot predict. Adding 0 for an agent not inspected leaves the count's bits as they were.
  inspections_ = sim::sum_over_blocks(n, context.step.policy, [&](std::size_t first, std::size_t last) {
    double inspected = 0.0;
    for (std::size_t i = first; i < last; ++i) {
      const bool is_inspected = context.step.random.uniform(step, agents.id[i], sim::Purpose::monitor, 0) < p;
      const double violations = ledger.violations[i];
      inspected += is_inspected ? 1.0 : 0.0;
      found_[i] = is_inspected ? violations : 0.0;
      // Another enforcement rule may have found the same breaches: a breach is detected once.
      ledger.detected[i] = is_inspected ? std::max(ledger.detected[i], violations) : ledger.detected[i];
    }
    return inspected;
  });
}

void Inspection::sanction(sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::fine});
  // The rule may come into force in a step whose monitor phase it missed.
  if (found_.size() != agents.size()) return;
  const Parameters& p = parameters_;
  sim::for_each_block(agents.size(), context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      if (found_[i] <= 0.0) continue;
      ledger.fine[i] +=
          p.fine_per_violation * found_[i] + p.fine_per_excess * (ledger.excess_effort[i] + ledger.excess_harvest[i]);
    }
  });
}

std::vector<sim::VariableInfo> Inspection::variables() const { return descriptor().variables; }

void Inspection::sample(std::span<double> values) const {
  values[0] = inspections_ * parameters_.cost_per_inspection;
  values[1] = inspections_;
  inspections_ = std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> Inspection::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(inspection) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<Inspection>(Inspection::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
