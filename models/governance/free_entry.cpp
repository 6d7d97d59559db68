// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/free_entry.hpp>

#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/resource.hpp>

#include "group_limit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "free_entry",
      .summary =
          "Open access with entry and exit: an agent is in or out of the fishery; an outsider (effort limit 0) enters "
          "with probability min(1, entry_rate x max(0, mean income of those in) / cost scale), an insider exits with "
          "probability min(1, entry_rate x max(0, -own income) / cost scale).",
      .parameters = {{.name = "entry_rate",
                      .type = sim::ParameterType::number,
                      .meaning = "a, response of entry and exit to the profit per money spent on effort",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.1},
                     {.name = "initial_share",
                      .type = sim::ParameterType::number,
                      .meaning =
                          "Share of the agents in the fishery when the rule comes into force, the first in agent order",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 1.0}},
      .variables = {{"agents_in", "1", "agents in the fishery in the step (free entry)"},
                    {"entries", "1", "agents deciding at the end of the step to enter the fishery"},
                    {"exits", "1", "agents deciding at the end of the step to leave the fishery"}},
      .order = {.phases = {sim::Phase::announce, sim::Phase::comply, sim::Phase::choose}},
      .design_principles = {}};
  return described;
}

}  // namespace

namespace quota = detail::quota;

namespace {

/// min(1, rate x max(0, ratio)), with 0 for a zero rate even when the ratio is infinite.
double chance(double rate, double ratio) {
  if (rate == 0.0 || !(ratio > 0.0)) return 0.0;
  return std::min(1.0, rate * ratio);
}
}  // namespace

FreeEntry::Parameters FreeEntry::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.entry_rate = quota::number_at_least(values, "entry_rate", 0.0, "free_entry", p.entry_rate);
  p.initial_share = quota::number_at_least(values, "initial_share", 0.0, "free_entry", p.initial_share);
  if (p.initial_share > 1.0)
    throw sim::SpecError("free_entry: initial_share must lie in [0, 1], got " + quota::number_text(p.initial_share));
  return p;
}

FreeEntry::FreeEntry(const Parameters& parameters) : parameters_(parameters) {}

std::span<const sim::Phase> FreeEntry::phases() const { return descriptor().order.phases; }

void FreeEntry::apply(sim::Phase phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::effort_limit});
  const std::size_t n = agents.size();
  const sim::ExecutionPolicy& policy = context.step.policy;
  if (in_.size() != n) {
    // First step in force: the first round(share n) agents are in.
    const auto initial = static_cast<std::size_t>(std::llround(parameters_.initial_share * static_cast<double>(n)));
    in_.assign(n, 0);
    std::fill(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(std::min(initial, n)), char{1});
  }
  switch (phase) {
    case sim::Phase::announce:
      agents_in_ = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
        double count = 0.0;
        for (std::size_t i = first; i < last; ++i) {
          if (in_[i] == 0) ledger.effort_limit[i] = 0.0;
          count += in_[i] != 0 ? 1.0 : 0.0;
        }
        return count;
      });
      entries_ = 0.0;
      exits_ = 0.0;
      acted_ = true;
      break;
    case sim::Phase::comply:
      sim::for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i)
          if (in_[i] == 0) agents.effort[i] = 0.0;
      });
      break;
    case sim::Phase::choose:
      enter_and_exit(context);
      break;
    default:
      break;
  }
}

void FreeEntry::enter_and_exit(const sim::RuleContext& context) {
  const sim::AgentTable& agents = context.agents;
  const std::size_t n = agents.size();
  const sim::ExecutionPolicy& policy = context.step.policy;
  const double rate = parameters_.entry_rate;
  // Profit per money spent on effort by those in the fishery this step (Smith 1968: vessels
  // follow the fleet's profit).
  const auto insiders_sum = [&](auto&& term) {
    return sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double sum = 0.0;
      for (std::size_t i = first; i < last; ++i)
        if (in_[i] != 0) sum += term(i);
      return sum;
    });
  };
  const double profit = insiders_sum([&](std::size_t i) { return agents.income[i]; });
  const double spent = insiders_sum([&](std::size_t i) { return agents.cost_per_effort[i] * agents.effort[i]; });
  double ratio = 0.0;
  if (spent > 0.0) {
    ratio = profit / spent;
  } else {
    // Nobody fished: an entrant prices one unit of effort at the stock of this step.
    const double insider_effort = insiders_sum([&](std::size_t i) { return agents.effort[i]; });
    const double revenue = context.step.economics.price * context.resource.harvest_if(1.0, insider_effort);
    const double mean_cost = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double sum = 0.0;
      for (std::size_t i = first; i < last; ++i) sum += agents.cost_per_effort[i];
      return sum;
    }) / static_cast<double>(std::max<std::size_t>(n, 1));
    ratio = mean_cost > 0.0 ? (revenue - mean_cost) / mean_cost
                            : (revenue > 0.0 ? std::numeric_limits<double>::infinity() : 0.0);
  }
  const double enter = chance(rate, ratio);
  const auto step = static_cast<std::uint64_t>(context.step.step);
  // Its own draw index keeps these draws apart from other rules' choose-phase draws.
  const std::uint64_t draw_index = sim::parameter_draw_index("free_entry");
  std::vector<char> next(in_);
  const auto moved = [&](bool entering) {
    return sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double count = 0.0;
      for (std::size_t i = first; i < last; ++i) {
        if ((in_[i] != 0) == entering) continue;
        double p = enter;
        if (!entering) {
          const double own_cost = agents.cost_per_effort[i] * agents.effort[i];
          const double loss = -agents.income[i];
          p = own_cost > 0.0 ? chance(rate, loss / own_cost) : (loss > 0.0 && rate > 0.0 ? 1.0 : 0.0);
        }
        if (p > 0.0 && context.step.random.uniform(step, agents.id[i], sim::Purpose::choose, draw_index) < p) {
          next[i] = entering ? char{1} : char{0};
          count += 1.0;
        }
      }
      return count;
    });
  };
  entries_ = moved(true);
  exits_ = moved(false);
  in_.swap(next);
}

std::vector<sim::VariableInfo> FreeEntry::variables() const { return descriptor().variables; }

void FreeEntry::sample(std::span<double> values) const {
  values[0] = quota::recorded(acted_, agents_in_);
  values[1] = quota::recorded(acted_, entries_);
  values[2] = quota::recorded(acted_, exits_);
  acted_ = false;
}

std::vector<int> FreeEntry::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(free_entry) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<FreeEntry>(FreeEntry::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
