// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/state_recognition.hpp>

#include <commons/models/governance/shared_columns.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <limits>
#include <string_view>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "state_recognition",
      .summary =
          "Recognition by the state (principles 7 and 8, nested institutions): detected breaches by members also pay a "
          "state fine, and outsiders' intrusions are detected at least with backing_probability.",
      .parameters = {{.name = "state_fine",
                      .type = sim::ParameterType::number,
                      .meaning = "Fine the state adds per detected breach, by members and by intruding outsiders alike",
                      .unit = "money/breach",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0},
                     {.name = "backing_probability",
                      .type = sim::ParameterType::number,
                      .meaning = "Least probability with which an outsider's intrusion is detected",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 0.0}},
      .variables = {{"state_fines", "money",
                     "fines the state added to detected breaches in the step (state_recognition rule)"},
                    {"state_detections", "1",
                     "outsiders' intrusions the state detected in the step (state_recognition rule)"}},
      .order = {.phases = {sim::Phase::announce, sim::Phase::monitor, sim::Phase::sanction}},
      .design_principles = {7, 8}};
  return described;
}

constexpr std::string_view rule_name = "state_recognition";

}  // namespace

StateRecognition::Parameters StateRecognition::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.state_fine = detail::checked_number(values, rule_name, "state_fine", 0.0, 0.0);
  p.backing_probability = detail::checked_number(values, rule_name, "backing_probability", 0.0, 0.0, 1.0);
  return p;
}

StateRecognition::StateRecognition(Parameters parameters) : parameters_(parameters) {}

std::span<const sim::Phase> StateRecognition::phases() const { return descriptor().order.phases; }

void StateRecognition::apply(sim::Phase phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  const std::vector<double>& member = ledger.shared(member_column);
  const std::size_t n = agents.size();
  const sim::ExecutionPolicy& policy = context.step.policy;
  const double b = parameters_.backing_probability;
  using Column = sim::GovernanceLedger::Column;
  if (phase == sim::Phase::announce) {
    ledger.will_write({Column::fine_per_violation, Column::detection_probability});
    backing_.assign(n, 0.0);
    sim::for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) {
        ledger.fine_per_violation[i] += parameters_.state_fine;
        if (member[i] != 0.0) continue;
        const double d = ledger.detection_probability[i];
        if (!(d < b)) continue;
        // 1 - (1 - d)(1 - q) = b: the state finds what the others would miss.
        backing_[i] = (b - d) / (1.0 - d);
        ledger.detection_probability[i] = b;
      }
    });
  } else if (phase == sim::Phase::monitor) {
    // Guard only: a rule in force in a step acts in all its phases of that step.
    if (backing_.size() != n) backing_.assign(n, 0.0);
    ledger.will_write({Column::detected});
    const auto step = static_cast<std::uint64_t>(context.step.step);
    detections_ = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double found = 0.0;
      for (std::size_t i = first; i < last; ++i) {
        if (member[i] != 0.0 || !(ledger.violations[i] > 0.0) || !(backing_[i] > 0.0)) continue;
        if (!(context.step.random.uniform(step, agents.id[i], sim::Purpose::monitor, backing_draw) < backing_[i]))
          continue;
        found += 1.0;
        ledger.detected[i] = std::max(ledger.detected[i], ledger.violations[i]);
      }
      return found;
    });
  } else if (phase == sim::Phase::sanction) {
    ledger.will_write({Column::fine});
    const double state_fine = parameters_.state_fine;
    fines_ = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double fines = 0.0;
      for (std::size_t i = first; i < last; ++i) {
        if (!(ledger.detected[i] > 0.0)) continue;
        ledger.fine[i] += state_fine * ledger.detected[i];
        fines += state_fine * ledger.detected[i];
      }
      return fines;
    });
  }
}

std::vector<sim::VariableInfo> StateRecognition::variables() const { return descriptor().variables; }

void StateRecognition::sample(std::span<double> values) const {
  values[0] = fines_;
  values[1] = detections_;
  constexpr double none = std::numeric_limits<double>::quiet_NaN();
  fines_ = detections_ = none;
}

std::vector<int> StateRecognition::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(state_recognition) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<StateRecognition>(StateRecognition::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
