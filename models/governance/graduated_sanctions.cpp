// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/graduated_sanctions.hpp>

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <limits>
#include <vector>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "graduated_sanctions",
      .summary =
          "Graduated sanctions (principle 5): a ladder from warning to rising fines to exclusion; each step an agent "
          "is detected it pays the fine of its rung and climbs one, detected past the top it is excluded for "
          "exclusion_steps, and forgive_after clean steps in a row drop it one rung.",
      .parameters = {{.name = "fines",
                      .type = sim::ParameterType::numbers,
                      .meaning = "The ladder: fine of each rung, first rung first (0 is a warning)",
                      .unit = "money",
                      .required = true,
                      .minimum = sim::Bound{0.0},
                      .min_items = 1,
                      .max_items = 1000},
                     {.name = "exclusion_steps",
                      .type = sim::ParameterType::integer,
                      .meaning = "Steps an agent detected past the top of the ladder may not fish (effort limit 0); 0 "
                                 "never excludes",
                      .unit = "step",
                      .minimum = sim::Bound{0.0},
                      .default_value = std::int64_t{0}},
                     {.name = "forgive_after",
                      .type = sim::ParameterType::integer,
                      .meaning =
                          "Clean steps in a row (not detected) after which an agent drops one rung; 0 never forgives",
                      .unit = "step",
                      .minimum = sim::Bound{0.0},
                      .default_value = std::int64_t{0}}},
      .variables = {{"warnings", "1",
                     "detected agents let off with a warning (fine 0) in the step (graduated_sanctions rule)"},
                    {"exclusions", "1", "agents sentenced to exclusion in the step (graduated_sanctions rule)"}},
      .order = {.phases = {sim::Phase::announce, sim::Phase::sanction}},
      .design_principles = {5}};
  return described;
}

constexpr std::string_view rule_name = "graduated_sanctions";

}  // namespace

GraduatedSanctions::Parameters GraduatedSanctions::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  if (!values.contains("fines")) throw sim::SpecError("graduated_sanctions: fines is required");
  try {
    p.fines = values.numbers("fines");
  } catch (const sim::SpecError&) {
    throw sim::SpecError("graduated_sanctions: fines must be a list of numbers");
  }
  if (p.fines.empty()) throw sim::SpecError("graduated_sanctions: fines must list at least one fine");
  for (const double fine : p.fines)
    if (!(fine >= 0.0))
      throw sim::SpecError("graduated_sanctions: fines must be at least 0, got " + detail::number_text(fine));
  p.exclusion_steps = detail::checked_count(values, rule_name, "exclusion_steps", 0, 0);
  p.forgive_after = detail::checked_count(values, rule_name, "forgive_after", 0, 0);
  return p;
}

GraduatedSanctions::GraduatedSanctions(Parameters parameters) : parameters_(std::move(parameters)) {}

std::span<const sim::Phase> GraduatedSanctions::phases() const { return descriptor().order.phases; }

double GraduatedSanctions::fine_at(std::int64_t rung) const {
  const auto top = static_cast<std::int64_t>(parameters_.fines.size()) - 1;
  return parameters_.fines[static_cast<std::size_t>(std::min(rung, top))];
}

void GraduatedSanctions::apply(sim::Phase phase, sim::RuleContext& context) {
  if (phase == sim::Phase::announce) {
    announce(context);
  } else if (phase == sim::Phase::sanction) {
    sanction(context);
  }
}

void GraduatedSanctions::announce(sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::effort_limit, sim::GovernanceLedger::Column::fine_per_violation});
  const std::size_t n = agents.size();
  if (rung_.size() != n) {
    // Everyone starts on the bottom rung with a clean record (agents who joined later too).
    rung_.resize(n, 0);
    clean_.resize(n, 0);
    excluded_until_.resize(n, std::numeric_limits<std::int64_t>::min());
  }
  announced_rows_ = n;
  const std::int64_t step = context.step.step;
  sim::for_each_block(n, context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      ledger.fine_per_violation[i] += fine_at(rung_[i]);
      if (step < excluded_until_[i]) ledger.effort_limit[i] = 0.0;
    }
  });
}

void GraduatedSanctions::sanction(sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::fine});
  const std::size_t n = agents.size();
  // The rule may come into force in a step whose announce phase it missed.
  if (announced_rows_ != n) return;
  const std::int64_t step = context.step.step;
  const auto past_end = static_cast<std::int64_t>(parameters_.fines.size());
  const std::int64_t exclusion_steps = parameters_.exclusion_steps;
  const std::int64_t forgive_after = parameters_.forgive_after;
  // The step's warnings and exclusions are counted as they happen, per block, and the blocks'
  // counts added in block order.
  struct Counts {
    double warnings = 0.0;
    double exclusions = 0.0;
  };
  std::vector<Counts> partial(sim::block_count(n));
  sim::for_each_block(n, context.step.policy, [&](std::size_t first, std::size_t last) {
    Counts& counts = partial[first / sim::agent_block_size];
    for (std::size_t i = first; i < last; ++i) {
      if (ledger.detected[i] > 0.0) {
        clean_[i] = 0;
        const double fine = fine_at(rung_[i]);
        ledger.fine[i] += fine;
        if (fine == 0.0) counts.warnings += 1.0;
        if (rung_[i] < past_end) {
          ++rung_[i];
        } else if (exclusion_steps > 0) {
          // Excluded in steps step + 1 .. step + exclusion_steps.
          excluded_until_[i] = step + 1 + exclusion_steps;
          counts.exclusions += 1.0;
        }
        continue;
      }
      ++clean_[i];
      if (forgive_after > 0 && clean_[i] >= forgive_after) {
        rung_[i] = std::max<std::int64_t>(0, rung_[i] - 1);
        clean_[i] = 0;
      }
    }
  });
  warnings_ = exclusions_ = 0.0;
  for (const Counts& counts : partial) {
    warnings_ += counts.warnings;
    exclusions_ += counts.exclusions;
  }
}

std::vector<sim::VariableInfo> GraduatedSanctions::variables() const { return descriptor().variables; }

void GraduatedSanctions::sample(std::span<double> values) const {
  values[0] = warnings_;
  values[1] = exclusions_;
  warnings_ = std::numeric_limits<double>::quiet_NaN();
  exclusions_ = std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> GraduatedSanctions::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(graduated_sanctions) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<GraduatedSanctions>(GraduatedSanctions::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
