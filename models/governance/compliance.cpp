// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/compliance.hpp>

#include <commons/models/registration.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "compliance",
      .summary =
          "How agents decide whether to obey the limits rules set: each agent weighs the gain from a breach against "
          "the expected fine, its norm and its intrinsic motivation (Becker 1968; Sutinen & Kuperan 1999). Acts last "
          "in the comply phase; usually given as governance.compliance, which overrides the regime's.",
      .parameters = {{.name = "mode",
                      .type = sim::ParameterType::choice,
                      .meaning = "rational: an agent breaks a limit iff the gain exceeds the expected fine plus its "
                                 "norm cost; full: everyone obeys every limit",
                      .default_value = std::string("rational"),
                      .choices = {"rational", "full"}},
                     {.name = "norm",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Moral cost an agent feels per breach",
                      .unit = "money/breach",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0},
                     {.name = "intrinsic_motivation",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Weight m of the norm",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 1.0},
                     {.name = "crowding_out",
                      .type = sim::ParameterType::number,
                      .meaning =
                          "k: intrinsic motivation falls to m / (1 + k d) under the announced detection probability d, "
                          "external regulation crowding out intrinsic motivation (Cardenas, Stranlund & Willis 2000)",
                      .unit = "1",
                      .note = "0 switches it off",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0}},
      .variables = {{"intended_violations", "1", "agents who chose to break a limit in the step (compliance rule)"}},
      .order = {.phases = {sim::Phase::comply}, .last_in = {sim::Phase::comply}, .implied_by_governance = true},
      .governance_key = "compliance"};
  return described;
}

constexpr std::string_view rule_name = "compliance";

/// How far `value` goes past `limit`, with the engine's relative tolerance of 1e-12, so that
/// an agent counts exactly the breaches the engine will count after the harvest.
double over(double value, double limit) {
  return value > limit + 1e-12 * std::max(1.0, std::abs(limit)) ? value - limit : 0.0;
}

}  // namespace

Compliance::Parameters Compliance::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  constexpr std::array<std::string_view, 2> modes{"rational", "full"};
  p.mode = detail::checked_choice(values, rule_name, "mode", "rational", modes) == "full" ? Mode::full : Mode::rational;
  p.norm = detail::PerAgentNumber::read(values, rule_name, "norm", 0.0, 0.0);
  p.intrinsic_motivation = detail::PerAgentNumber::read(values, rule_name, "intrinsic_motivation", 1.0, 0.0, 1.0);
  p.crowding_out = detail::checked_number(values, rule_name, "crowding_out", 0.0, 0.0);
  return p;
}

Compliance::Compliance(Parameters parameters) : parameters_(std::move(parameters)) {}

std::span<const sim::Phase> Compliance::phases() const { return descriptor().order.phases; }

std::vector<sim::VariableInfo> Compliance::variables() const { return descriptor().variables; }

void Compliance::sample(std::span<double> values) const {
  values[0] = intended_violations_;
  intended_violations_ = std::numeric_limits<double>::quiet_NaN();
}

double Compliance::compliant_effort(const sim::Resource& resource, double intended, double effort_limit,
                                    double harvest_limit, double others_effort) {
  const double high = std::max(0.0, std::min(intended, effort_limit));
  if (std::isinf(harvest_limit) && harvest_limit > 0.0) return high;
  if (const std::optional<double> closed = resource.largest_effort_within(harvest_limit, others_effort, high))
    return *closed;
  return compliant_effort_by_search(resource, intended, effort_limit, harvest_limit, others_effort);
}

double Compliance::compliant_effort_by_search(const sim::Resource& resource, double intended, double effort_limit,
                                              double harvest_limit, double others_effort) {
  double high = std::max(0.0, std::min(intended, effort_limit));
  if (std::isinf(harvest_limit) && harvest_limit > 0.0) return high;
  const auto within = [&](double effort) { return resource.harvest_if(effort, others_effort) <= harvest_limit; };
  if (within(high)) return high;
  // A quota of nothing (or less than idle effort lands) allows no effort, not a denormal one
  // whose catch rounds to zero.
  if (!(resource.harvest_if(0.0, others_effort) < harvest_limit)) return 0.0;
  // Bracket [low, high] with low within the limit and high past it. Harvest proportional to
  // effort (the fishery below the stock) makes the linear guess exact up to rounding, so one
  // probe a relative 1e-12 to either side usually closes the bracket.
  double low = 0.0;
  const double guess = high * (harvest_limit / resource.harvest_if(high, others_effort));
  if (guess > low && guess < high) {
    if (within(guess)) {
      low = guess;
      const double above = guess * (1.0 + 1e-12);
      if (above < high) (within(above) ? low : high) = above;
    } else {
      high = guess;
      const double below = guess * (1.0 - 1e-12);
      if (below > low) (within(below) ? low : high) = below;
    }
  }
  // Bisection down to neighbouring doubles.
  for (int iteration = 0; iteration < 2000; ++iteration) {
    const double middle = low + 0.5 * (high - low);
    if (middle <= low || middle >= high) break;
    (within(middle) ? low : high) = middle;
  }
  return low;
}

void Compliance::apply(sim::Phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  const sim::GovernanceLedger& ledger = context.ledger;
  const std::size_t n = agents.size();
  const sim::ExecutionPolicy& policy = context.step.policy;
  if (norm_.size() != n) {
    norm_ = parameters_.norm.for_agents(agents.id, context.step.random);
    motivation_ = parameters_.intrinsic_motivation.for_agents(agents.id, context.step.random);
  }
  // Each agent weighs its choice against the others' intended efforts (Becker's rational
  // offender takes the others as given).
  const double total_effort = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i) sum += agents.effort[i];
    return sum;
  });
  const double price = context.step.economics.price;
  const bool full = parameters_.mode == Parameters::Mode::full;
  const double crowding_out = parameters_.crowding_out;
  const sim::Resource& resource = context.resource;
  intended_violations_ = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
    // First each agent's compliant effort; then, for a block where any limit binds, the
    // harvests of the intended and the compliant efforts through the resource's batch form of
    // harvest_if (bit for bit harvest_if, one virtual call a block instead of two an agent);
    // then each bound agent's choice.
    const std::size_t count = last - first;
    std::array<double, sim::agent_block_size> others, compliant, intended_harvest, compliant_harvest;
    const double* effort = agents.effort.data() + first;
    bool any_bound = false;
    for (std::size_t k = 0; k < count; ++k) {
      others[k] = total_effort - effort[k];
      compliant[k] = compliant_effort(resource, effort[k], ledger.effort_limit[first + k],
                                      ledger.harvest_limit[first + k], others[k]);
      any_bound = any_bound || !(effort[k] <= compliant[k]);
    }
    if (!any_bound) return 0.0;
    resource.harvest_if_each({effort, count}, {others.data(), count}, {intended_harvest.data(), count});
    resource.harvest_if_each({compliant.data(), count}, {others.data(), count}, {compliant_harvest.data(), count});
    double violators = 0.0;
    for (std::size_t i = first; i < last; ++i) {
      const std::size_t k = i - first;
      const double intended = agents.effort[i];
      if (intended <= compliant[k]) continue;
      const double limit_e = ledger.effort_limit[i];
      const double limit_h = ledger.harvest_limit[i];
      const double harvest = intended_harvest[k];
      const double excess_effort = over(intended, limit_e);
      const double excess_harvest = over(harvest, limit_h);
      const double breaches = (excess_effort > 0.0 ? 1.0 : 0.0) + (excess_harvest > 0.0 ? 1.0 : 0.0);
      // Past the limit by less than the tolerance only: no breach, nothing to weigh.
      if (breaches == 0.0) continue;
      if (full) {
        agents.effort[i] = compliant[k];
        continue;
      }
      const double cost = agents.cost_per_effort[i];
      const double gain = (price * harvest - cost * intended) - (price * compliant_harvest[k] - cost * compliant[k]);
      const double detection = ledger.detection_probability[i];
      const double penalty = detection * (ledger.fine_per_violation[i] * breaches +
                                          ledger.fine_per_excess[i] * (excess_effort + excess_harvest));
      // Crowding out (Cardenas, Stranlund & Willis 2000): external enforcement weakens the
      // weight an agent gives its own norm.
      const double motivation = motivation_[i] / (1.0 + crowding_out * detection);
      const double norm_cost = norm_[i] * motivation * breaches;
      if (gain > penalty + norm_cost) {
        violators += 1.0;
      } else {
        agents.effort[i] = compliant[k];
      }
    }
    return violators;
  });
}

COMMONS_REGISTER_MODELS(compliance) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<Compliance>(Compliance::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
