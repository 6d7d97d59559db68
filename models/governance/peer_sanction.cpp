// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/peer_sanction.hpp>

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
      .name = "peer_sanction",
      .summary =
          "Peer sanctioning, the 'sword' of Ostrom, Walker & Gardner (1992) (principle 5): after the harvest, each "
          "member with probability propensity pays fee to fine by fine the member with the highest effort above the "
          "reference (the appropriation limit, else the members' mean effort), never itself.",
      .parameters = {{.name = "propensity",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Probability that a member punishes in a step",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 1.0},
                     {.name = "fee",
                      .type = sim::ParameterType::number,
                      .meaning = "What a sanction costs the punisher",
                      .unit = "money/sanction",
                      .minimum = sim::Bound{0.0},
                      .default_value = 5.0},
                     {.name = "fine",
                      .type = sim::ParameterType::number,
                      .meaning = "What a sanction costs the punished",
                      .unit = "money/sanction",
                      .note = "the laboratory used fee:fine 1:2 and 1:4",
                      .minimum = sim::Bound{0.0},
                      .default_value = 10.0},
                     {.name = "max_sanctions",
                      .type = sim::ParameterType::integer,
                      .meaning = "Most sanctions one punisher imposes per step",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .default_value = std::int64_t{1}}},
      .variables = {{"sanctions", "1", "sanctions members imposed on each other in the step (peer_sanction rule)"},
                    {"sanction_fees", "money",
                     "fees punishers paid for their sanctions in the step (peer_sanction rule)", true},
                    {"sanction_fines", "money", "fines the sanctioned members paid in the step (peer_sanction rule)"}},
      .order = {.phases = {sim::Phase::sanction}},
      .design_principles = {5}};
  return described;
}

constexpr std::string_view rule_name = "peer_sanction";

struct Target {
  double effort = 0.0;
  std::uint64_t id = 0;
  std::size_t row = 0;
};

/// Highest effort first; among equal efforts the lowest id (a total order: ids are unique).
bool ranks_before(const Target& a, const Target& b) { return a.effort > b.effort || (a.effort == b.effort && a.id < b.id); }

/// Keeps the `keep` best of `targets` in rank order.
void keep_best(std::vector<Target>& targets, std::size_t keep) {
  const auto middle = targets.begin() + static_cast<std::ptrdiff_t>(std::min(keep, targets.size()));
  std::partial_sort(targets.begin(), middle, targets.end(), ranks_before);
  targets.erase(middle, targets.end());
}

/// Offers `target` to `best`, the at most `keep` best so far in rank order: what keep_best
/// gives over everything offered (the ranks are a total order, so the best are one set in one
/// order), without sorting. Most targets rank below the worst kept (boats of equal effort come
/// in id order) and cost one comparison.
void offer(std::vector<Target>& best, std::size_t keep, const Target& target) {
  if (best.size() == keep && !ranks_before(target, best.back())) return;
  if (best.size() == keep) best.pop_back();
  best.insert(std::upper_bound(best.begin(), best.end(), target, ranks_before), target);
}

}  // namespace

PeerSanction::Parameters PeerSanction::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.propensity = detail::PerAgentNumber::read(values, rule_name, "propensity", 1.0, 0.0, 1.0);
  p.fee = detail::checked_number(values, rule_name, "fee", 5.0, 0.0);
  p.fine = detail::checked_number(values, rule_name, "fine", 10.0, 0.0);
  p.max_sanctions = detail::checked_count(values, rule_name, "max_sanctions", 1, 0);
  return p;
}

PeerSanction::PeerSanction(Parameters parameters) : parameters_(std::move(parameters)) {}

std::span<const sim::Phase> PeerSanction::phases() const { return descriptor().order.phases; }

void PeerSanction::apply(sim::Phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::fine, sim::GovernanceLedger::Column::fee});
  const std::vector<double>& member = ledger.shared(member_column);
  const std::size_t n = agents.size();
  const sim::ExecutionPolicy& policy = context.step.policy;
  if (propensity_.size() != n) propensity_ = parameters_.propensity.for_agents(agents.id, context.step.random);
  sanctions_ = fees_ = fines_ = 0.0;

  // The reference: the community's appropriation limit, or else what members put in on average.
  double reference = 0.0;
  if (const auto limit = context.settings.find("appropriation_limit"); limit != context.settings.end()) {
    reference = limit->second;
  } else {
    const double members = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double count = 0.0;
      for (std::size_t i = first; i < last; ++i) count += member[i] != 0.0 ? 1.0 : 0.0;
      return count;
    });
    if (members == 0.0) return;
    reference = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
      double sum = 0.0;
      for (std::size_t i = first; i < last; ++i) sum += member[i] != 0.0 ? agents.effort[i] : 0.0;
      return sum;
    }) / members;
  }

  // A punisher fines the first `max_sanctions` targets in rank order other than itself, so
  // the best max_sanctions + 1 targets are all anyone can pick. Best per block, then merged.
  const auto most = static_cast<std::size_t>(parameters_.max_sanctions);
  if (most == 0) return;
  const std::size_t keep = most + 1;
  std::vector<std::vector<Target>> best(sim::block_count(n));
  sim::for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
    std::vector<Target>& mine = best[first / sim::agent_block_size];
    mine.reserve(keep);
    for (std::size_t i = first; i < last; ++i) {
      if (member[i] == 0.0 || !(agents.effort[i] > reference)) continue;
      offer(mine, keep, {agents.effort[i], agents.id[i], i});
    }
  });
  std::vector<Target> targets;
  for (const std::vector<Target>& block : best) targets.insert(targets.end(), block.begin(), block.end());
  keep_best(targets, keep);
  if (targets.empty()) return;

  // Each member decides whether to punish; count the sanctions each target receives.
  const auto step = static_cast<std::uint64_t>(context.step.step);
  const double fee = parameters_.fee;
  struct Partial {
    std::vector<double> received;
    double sanctions = 0.0;
  };
  std::vector<Partial> partial(sim::block_count(n));
  sim::for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
    Partial& mine = partial[first / sim::agent_block_size];
    mine.received.assign(targets.size(), 0.0);
    for (std::size_t i = first; i < last; ++i) {
      if (member[i] == 0.0) continue;
      // Draws lie in (0, 1): a propensity of 1 always punishes, 0 never, without drawing. The
      // choice is applied without a branch on the draw, whether a member punishes being a coin
      // toss the processor cannot predict. Adding 0 where a member does not punish keeps the
      // sums' bits.
      const double propensity = propensity_[i];
      const bool draws = propensity > 0.0 && propensity < 1.0;
      const double u =
          draws ? context.step.random.uniform(step, agents.id[i], sim::Purpose::sanction, propensity_draw) : 0.5;
      const bool punishes = !(propensity < 1.0) || (propensity > 0.0 && u < propensity);
      const double counted = punishes ? 1.0 : 0.0;
      double imposed = 0.0;
      for (std::size_t t = 0; t < targets.size() && imposed < static_cast<double>(most); ++t) {
        if (targets[t].row == i) continue;  // never itself
        mine.received[t] += counted;
        imposed += 1.0;
      }
      imposed *= counted;
      ledger.fee[i] = punishes ? ledger.fee[i] + fee * imposed : ledger.fee[i];
      mine.sanctions += imposed;
    }
  });
  std::vector<double> received(targets.size(), 0.0);
  for (const Partial& block : partial) {
    sanctions_ += block.sanctions;
    for (std::size_t t = 0; t < block.received.size(); ++t) received[t] += block.received[t];
  }
  for (std::size_t t = 0; t < targets.size(); ++t) ledger.fine[targets[t].row] += parameters_.fine * received[t];
  fees_ = fee * sanctions_;
  fines_ = parameters_.fine * sanctions_;
}

std::vector<sim::VariableInfo> PeerSanction::variables() const { return descriptor().variables; }

void PeerSanction::sample(std::span<double> values) const {
  values[0] = sanctions_;
  values[1] = fees_;
  values[2] = fines_;
  constexpr double none = std::numeric_limits<double>::quiet_NaN();
  sanctions_ = fees_ = fines_ = none;
}

std::vector<int> PeerSanction::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(peer_sanction) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<PeerSanction>(PeerSanction::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
