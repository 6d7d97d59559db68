// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/peer_monitoring.hpp>

#include <commons/models/governance/shared_columns.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/network.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "peer_monitoring",
      .summary =
          "Peer monitoring (principle 4): members spend hours watching each other, at a cost; a watcher sees a watched "
          "member's breach with probability accuracy and wrongly flags an innocent one with probability "
          "false_positive. Watchers watch their member neighbours in the network, or without one, watched members "
          "drawn at random.",
      .parameters = {{.name = "hours",
                      .type = sim::ParameterType::per_agent_number,
                      .meaning = "Hours each member spends watching per step",
                      .unit = "hour/step",
                      .minimum = sim::Bound{0.0},
                      .default_value = 1.0},
                     {.name = "cost_per_hour",
                      .type = sim::ParameterType::number,
                      .meaning = "What an hour of watching costs the watcher, paid as a fee",
                      .unit = "money/hour",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0},
                     {.name = "watched",
                      .type = sim::ParameterType::integer,
                      .meaning = "Without a network: members each watcher draws to watch per step",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .default_value = std::int64_t{1}},
                     {.name = "accuracy",
                      .type = sim::ParameterType::number,
                      .meaning = "Probability that one watcher sees a watched member's breach",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 1.0},
                     {.name = "false_positive",
                      .type = sim::ParameterType::number,
                      .meaning = "Probability that one watcher wrongly flags a watched member who broke nothing",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 0.0}},
      .variables = {{"monitoring_cost", "money",
                     "what members paid for their monitoring hours in the step (peer_monitoring rule)", true},
                    {"detections", "1", "members whose breaches peers caught in the step (peer_monitoring rule)"},
                    {"false_accusations", "1",
                     "members without breaches whom peers flagged in the step (peer_monitoring rule)"}},
      .order = {.phases = {sim::Phase::announce, sim::Phase::monitor}},
      .design_principles = {4}};
  return described;
}

constexpr std::string_view rule_name = "peer_monitoring";

bool is_member(std::span<const double> member, std::size_t i) { return member[i] != 0.0; }

/// The network when it covers the agent table, else nullptr (then watchers draw at random).
const sim::Network* usable_network(const sim::RuleContext& context) {
  const sim::Network* network = context.network;
  return network != nullptr && network->node_count() == context.agents.size() ? network : nullptr;
}

}  // namespace

PeerMonitoring::Parameters PeerMonitoring::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.hours = detail::PerAgentNumber::read(values, rule_name, "hours", 1.0, 0.0);
  p.cost_per_hour = detail::checked_number(values, rule_name, "cost_per_hour", 0.0, 0.0);
  p.watched = detail::checked_count(values, rule_name, "watched", 1, 0);
  p.accuracy = detail::checked_number(values, rule_name, "accuracy", 1.0, 0.0, 1.0);
  p.false_positive = detail::checked_number(values, rule_name, "false_positive", 0.0, 0.0, 1.0);
  return p;
}

PeerMonitoring::PeerMonitoring(Parameters parameters) : parameters_(std::move(parameters)) {}

std::span<const sim::Phase> PeerMonitoring::phases() const { return descriptor().order.phases; }

void PeerMonitoring::apply(sim::Phase phase, sim::RuleContext& context) {
  // Hours are drawn once per agent, whenever the rule first comes into force.
  if (hours_.size() != context.agents.size())
    hours_ = parameters_.hours.for_agents(context.agents.id, context.step.random);
  if (phase == sim::Phase::announce) {
    announce(context);
  } else if (phase == sim::Phase::monitor) {
    monitor(context);
  }
}

void PeerMonitoring::find_members(std::span<const double> member) {
  members_.clear();
  watchers_ = 0;
  for (std::size_t i = 0; i < member.size(); ++i) {
    if (!is_member(member, i)) continue;
    members_.push_back(static_cast<std::uint32_t>(i));
    if (hours_[i] > 0.0) ++watchers_;
  }
}

void PeerMonitoring::announce(sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::detection_probability});
  const std::vector<double>& member = ledger.shared(member_column);
  const double miss = 1.0 - parameters_.accuracy;
  const sim::Network* network = usable_network(context);
  if (network == nullptr) find_members(member);
  // Without a network each of the W watchers other than j draws `watched` of the m - 1 members
  // other than itself, so j expects watched x W_{-j} / (m - 1) watchers: only two chances
  // occur, for a watcher (W_{-j} = W - 1) and for a member who does not watch (W_{-j} = W).
  double chance_watcher = 0.0, chance_idle = 0.0;
  if (network == nullptr && members_.size() > 1) {
    const double others = static_cast<double>(members_.size() - 1);
    const auto watched = static_cast<double>(parameters_.watched);
    const auto watchers = static_cast<double>(watchers_);
    chance_watcher = 1.0 - std::pow(miss, watched * (watchers - 1.0) / others);
    chance_idle = 1.0 - std::pow(miss, watched * watchers / others);
  }
  if (network != nullptr) {
    prepare_powers(*network);
    find_watchers(member, context.step.policy);
  }
  sim::for_each_block(agents.size(), context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t j = first; j < last; ++j) {
      if (!is_member(member, j)) continue;
      const double chance = network != nullptr ? 1.0 - miss_power_[watchers_of(*network, j)]
                            : hours_[j] > 0.0  ? chance_watcher
                                               : chance_idle;
      if (!(chance > 0.0)) continue;
      ledger.detection_probability[j] = 1.0 - (1.0 - ledger.detection_probability[j]) * (1.0 - chance);
    }
  });
}

std::size_t PeerMonitoring::watchers_of(const sim::Network& network, std::size_t j) const {
  std::size_t count = 0;
  for (sim::Network::Node w : network.neighbours(static_cast<sim::Network::Node>(j))) count += is_watcher_[w];
  return count;
}

void PeerMonitoring::find_watchers(std::span<const double> member, const sim::ExecutionPolicy& policy) {
  // One byte per agent: neighbour lookups jump around the table, and a dense byte array keeps
  // those jumps in cache where the member and hours columns (8 bytes each) would not.
  is_watcher_.resize(member.size());
  sim::for_each_block(member.size(), policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) is_watcher_[i] = is_member(member, i) && hours_[i] > 0.0 ? 1 : 0;
  });
}

void PeerMonitoring::prepare_powers(const sim::Network& network) {
  if (powers_for_ == &network) return;
  // (1 - accuracy)^w and (1 - false_positive)^w for every possible count of watchers w.
  std::size_t most = 0;
  for (std::size_t v = 0; v < network.node_count(); ++v)
    most = std::max(most, network.degree(static_cast<sim::Network::Node>(v)));
  miss_power_.assign(most + 1, 1.0);
  clean_power_.assign(most + 1, 1.0);
  for (std::size_t w = 1; w <= most; ++w) {
    miss_power_[w] = std::pow(1.0 - parameters_.accuracy, static_cast<double>(w));
    clean_power_[w] = std::pow(1.0 - parameters_.false_positive, static_cast<double>(w));
  }
  powers_for_ = &network;
}

void PeerMonitoring::monitor(sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::detected, sim::GovernanceLedger::Column::fee});
  const std::vector<double>& member = ledger.shared(member_column);
  const std::size_t n = agents.size();
  const sim::ExecutionPolicy& policy = context.step.policy;
  const sim::RandomStream& random = context.step.random;
  const auto step = static_cast<std::uint64_t>(context.step.step);
  const double accuracy = parameters_.accuracy;
  const double false_positive = parameters_.false_positive;

  // Watchers give their time and pay for it.
  std::vector<double>& hours_given = ledger.shared(monitoring_hours_column);
  const double cost_per_hour = parameters_.cost_per_hour;
  monitoring_cost_ = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
    double cost = 0.0;
    for (std::size_t i = first; i < last; ++i) {
      if (!is_member(member, i) || !(hours_[i] > 0.0)) continue;
      hours_given[i] += hours_[i];
      ledger.fee[i] += hours_[i] * cost_per_hour;
      cost += hours_[i] * cost_per_hour;
    }
    return cost;
  });

  seen_.assign(n, 0);
  if (const sim::Network* network = usable_network(context)) {
    // Member j is watched by its w neighbours who are members with hours. At least one of w
    // independent watchers sees with chance 1 - (1 - accuracy)^w (or flags with
    // 1 - (1 - false_positive)^w): one draw per member stands for all of them.
    prepare_powers(*network);
    find_watchers(member, policy);
    sim::for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
      for (std::size_t j = first; j < last; ++j) {
        if (!is_member(member, j)) continue;
        const std::size_t w = watchers_of(*network, j);
        if (w == 0) continue;
        const double chance = 1.0 - (ledger.violations[j] > 0.0 ? miss_power_[w] : clean_power_[w]);
        // A select, not a branch on the draw (a coin toss the processor cannot predict).
        const bool seen = random.uniform(step, agents.id[j], sim::Purpose::monitor, seen_draw) < chance;
        seen_[j] = seen ? 3 : seen_[j];
      }
    });
  } else {
    // The membership may have changed since announce (a rule later in the list).
    find_members(member);
    const std::size_t m = members_.size();
    const std::uint64_t picks = m > 1 ? static_cast<std::uint64_t>(parameters_.watched) : 0;
    // Picks are drawn in parallel into a buffer, then marked in one pass: many watchers may
    // pick the same member, and marking in order needs no atomics.
    pick_target_.assign(m * picks, 0);
    // When everyone is a member (no membership rule), member r is row r: skip the lookup.
    const bool everyone = m == n;
    pick_flags_.assign(m * picks, 0);
    sim::for_each_block(m, policy, [&](std::size_t first, std::size_t last) {
      for (std::size_t r = first; r < last; ++r) {
        const std::size_t w = members_[r];
        if (!(hours_[w] > 0.0)) continue;
        for (std::uint64_t k = 0; k < picks; ++k) {
          const sim::RandomStream::Bits bits = random.bits(step, agents.id[w], sim::Purpose::monitor, pick_draw + k);
          // Uniform over the m - 1 other members: skip over the watcher's own place.
          auto pick = static_cast<std::size_t>(sim::RandomStream::to_open_unit(bits[0]) * static_cast<double>(m - 1));
          pick = std::min(pick, m - 2);
          if (pick >= r) ++pick;
          // Record what the watcher would see either way (bit 0: a breach, bit 1: a breach that
          // is not there), so the pass below reads violations in order, not at random.
          const double u = sim::RandomStream::to_open_unit(bits[1]);
          pick_target_[r * picks + k] = everyone ? static_cast<std::uint32_t>(pick) : members_[pick];
          pick_flags_[r * picks + k] = static_cast<unsigned char>((u < accuracy ? 1 : 0) | (u < false_positive ? 2 : 0));
        }
      }
    });
    for (std::size_t p = 0; p < pick_target_.size(); ++p) seen_[pick_target_[p]] |= pick_flags_[p];
  }

  struct Found {
    double caught = 0.0;
    double flagged = 0.0;
  };
  std::vector<Found> partial(sim::block_count(n));
  sim::for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
    Found found;
    for (std::size_t j = first; j < last; ++j) {
      if (seen_[j] == 0) continue;
      if (ledger.violations[j] > 0.0) {
        if ((seen_[j] & 1) == 0) continue;
        found.caught += 1.0;
        ledger.detected[j] = std::max(ledger.detected[j], ledger.violations[j]);
      } else {
        if ((seen_[j] & 2) == 0) continue;
        // A false accusation: detected with no breach, which conflict resolution can tell.
        found.flagged += 1.0;
        ledger.detected[j] = std::max(ledger.detected[j], 1.0);
      }
    }
    partial[first / sim::agent_block_size] = found;
  });
  detections_ = 0.0;
  false_accusations_ = 0.0;
  for (const Found& found : partial) {
    detections_ += found.caught;
    false_accusations_ += found.flagged;
  }
}

std::vector<sim::VariableInfo> PeerMonitoring::variables() const { return descriptor().variables; }

void PeerMonitoring::sample(std::span<double> values) const {
  values[0] = monitoring_cost_;
  values[1] = detections_;
  values[2] = false_accusations_;
  constexpr double none = std::numeric_limits<double>::quiet_NaN();
  monitoring_cost_ = detections_ = false_accusations_ = none;
}

std::vector<int> PeerMonitoring::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(peer_monitoring) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<PeerMonitoring>(PeerMonitoring::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
