// SPDX-License-Identifier: Apache-2.0
#include <commons/models/resources/irrigation_game.hpp>

#include <commons/models/registration.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace commons::models {

namespace {

// The gate rules as scenarios name them, in GateRule order; choice k > 0 of an agent is rule k - 1.
const std::vector<std::string>& gate_rule_names() {
  static const std::vector<std::string> names{"fill_to_peak", "equal_share", "open_whole_round"};
  return names;
}

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::resource,
      .name = "irrigation_game",
      .summary =
          "The ASU irrigation game (virtualcommons/irrigation): five players A (upstream) to E share a canal; each "
          "invests 0..10 tokens in its infrastructure, whose efficiency decays each round, rises one point per token "
          "and is capped at 100; the canal's capacity follows from the efficiency by a table, the water in it is at "
          "most the supply, and every second the open gates take min(gate capacity, what is left) upstream first. "
          "Crop tokens follow from the water collected by a table; harvest = crop tokens, effort = tokens invested, "
          "choice = gate rule. Agents 5c..5c+4 share canal c.",
      .parameters = {{.name = "initial_efficiency",
                      .type = sim::ParameterType::number,
                      .meaning = "Infrastructure efficiency in the first round, before investment",
                      .unit = "percent",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{100.0},
                      .default_value = 75.0},
                     {.name = "efficiency_decay",
                      .type = sim::ParameterType::number,
                      .meaning = "Points of efficiency lost at the start of every round after the first",
                      .unit = "percent",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{100.0},
                      .default_value = 25.0},
                     {.name = "water_supply",
                      .type = sim::ParameterType::number,
                      .meaning = "Water entering the canal per second: the most it carries whatever its capacity",
                      .unit = "water unit/s",
                      .minimum = sim::Bound{0.0},
                      .default_value = 30.0},
                     {.name = "gate_capacity",
                      .type = sim::ParameterType::number,
                      .meaning = "Most water one open gate takes per second",
                      .unit = "water unit/s",
                      .minimum = sim::Bound{0.0},
                      .default_value = 25.0},
                     {.name = "round_seconds",
                      .type = sim::ParameterType::integer,
                      .meaning = "Length of a round: the seconds in which water is allocated",
                      .unit = "s",
                      .minimum = sim::Bound{1.0},
                      .default_value = std::int64_t{50}},
                     {.name = "endowment",
                      .type = sim::ParameterType::number,
                      .meaning = "Tokens each player holds in a round: the most it can invest",
                      .unit = "effort unit",
                      .minimum = sim::Bound{0.0, true},
                      .default_value = 10.0},
                     {.name = "gate_rule",
                      .type = sim::ParameterType::choice,
                      .meaning = "When a player whose behaviour makes no gate choice closes its gate: fill_to_peak "
                                 "(at 500 units, the least water earning the crop's maximum), equal_share (at flow x "
                                 "seconds / players of the canal), open_whole_round (never)",
                      .default_value = std::string("fill_to_peak"),
                      .choices = gate_rule_names()}},
      .variables = {{"infrastructure_efficiency", "percent",
                     "infrastructure efficiency after the round's investment, mean over canals"},
                    {"efficiency_before_investment", "percent",
                     "infrastructure efficiency after the round's decay and before investment, mean over canals"},
                    {"canal_capacity", "1/s", "canal capacity from the efficiency table, water units per second, "
                                              "mean over canals"},
                    {"water_delivered", "1", "water units collected by all players in the round"},
                    {"total_crop", "resource_unit", "crop tokens earned by all players in the round"}},
      .capabilities = {.effort_limit = true, .sites = true, .choices = true}};
  return described;
}

IrrigationGame::GateRule gate_rule_named(const std::string& name) {
  const std::vector<std::string>& names = gate_rule_names();
  const auto found = std::find(names.begin(), names.end(), name);
  if (found == names.end()) throw sim::SpecError("irrigation_game: unknown gate_rule '" + name + "'");
  return static_cast<IrrigationGame::GateRule>(found - names.begin());
}

}  // namespace

IrrigationGame::Parameters IrrigationGame::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.initial_efficiency = values.number_or("initial_efficiency", p.initial_efficiency);
  p.efficiency_decay = values.number_or("efficiency_decay", p.efficiency_decay);
  p.water_supply = values.number_or("water_supply", p.water_supply);
  p.gate_capacity = values.number_or("gate_capacity", p.gate_capacity);
  if (values.contains("round_seconds")) p.round_seconds = values.integer("round_seconds");
  p.endowment = values.number_or("endowment", p.endowment);
  if (values.contains("gate_rule")) p.gate_rule = gate_rule_named(values.text("gate_rule"));
  return p;
}

IrrigationGame::IrrigationGame(const Parameters& parameters) : parameters_(parameters) {}

double IrrigationGame::canal_capacity(double efficiency) {
  // GroupDataModel.calculateIrrigationCapacity: upper bounds inclusive.
  constexpr std::array<std::pair<double, double>, 8> table{
      {{45, 0}, {51, 5}, {55, 10}, {58, 15}, {61, 20}, {65, 25}, {70, 30}, {80, 35}}};
  for (const auto& [upper, capacity] : table)
    if (efficiency <= upper) return capacity;
  return 40.0;
}

double IrrigationGame::crop_tokens(double water) {
  // ServerConfiguration.getTokensEarned: upper bounds exclusive; too much water spoils the crop.
  constexpr std::array<std::pair<double, double>, 14> table{{{150, 0},
                                                             {200, 1},
                                                             {250, 4},
                                                             {300, 10},
                                                             {350, 15},
                                                             {400, 18},
                                                             {500, 19},
                                                             {550, 20},
                                                             {650, 19},
                                                             {700, 18},
                                                             {750, 15},
                                                             {800, 10},
                                                             {850, 4},
                                                             {900, 1}}};
  for (const auto& [upper, tokens] : table)
    if (water < upper) return tokens;
  return 0.0;
}

void IrrigationGame::allocate_water(double flow, double gate_capacity, std::int64_t seconds,
                                    std::span<const double> targets, std::span<double> water) {
  // IrrigationServer.process once a second: the canal's flow is reset, then each open gate in
  // position order takes the gate's capacity or what is left (GroupDataModel.allocateWater).
  for (std::int64_t second = 0; second < seconds; ++second) {
    double left = flow;
    for (std::size_t k = 0; k < targets.size(); ++k) {
      if (!(water[k] < targets[k])) continue;
      const double taken = std::min(gate_capacity, left);
      water[k] += taken;
      left -= taken;
    }
  }
}

IrrigationGame::CanalRound IrrigationGame::infrastructure(std::optional<double> previous_efficiency,
                                                          double invested) const {
  // GroupDataModel.updateInfrastructureEfficiency: the first round starts at the initial
  // efficiency; later rounds decay, never below 0; tokens add one point each, up to 100.
  CanalRound round;
  round.efficiency_before_investment = previous_efficiency
                                           ? std::max(*previous_efficiency - parameters_.efficiency_decay, 0.0)
                                           : parameters_.initial_efficiency;
  round.efficiency = std::min(maximum_efficiency, round.efficiency_before_investment + invested);
  round.capacity = canal_capacity(round.efficiency);
  // getActualWaterDeliveryCapacity: the canal never carries more than the supply.
  round.flow = std::min(round.capacity, parameters_.water_supply);
  return round;
}

double IrrigationGame::gate_target(GateRule rule, double flow, std::size_t players) const {
  switch (rule) {
    case GateRule::fill_to_peak: return peak_water;
    case GateRule::equal_share:
      return flow * static_cast<double>(parameters_.round_seconds) / static_cast<double>(std::max<std::size_t>(1, players));
    case GateRule::open_whole_round: return std::numeric_limits<double>::infinity();
  }
  return peak_water;
}

IrrigationGame::GateRule IrrigationGame::rule_of_choice(std::uint32_t choice) const {
  if (choice == 0 || choice > gate_rule_names().size()) return parameters_.gate_rule;
  return static_cast<GateRule>(choice - 1);
}

sim::Observation IrrigationGame::observe() const {
  // Subjects are shown the efficiency after this round's decay before they invest.
  sim::Observation observation;
  if (canals_.empty()) {
    observation.stock = parameters_.initial_efficiency;
  } else {
    double decayed = 0.0;
    for (const CanalRound& canal : canals_) decayed += std::max(canal.efficiency - parameters_.efficiency_decay, 0.0);
    observation.stock = decayed / static_cast<double>(canals_.size());
  }
  double invested = 0.0;
  for (const CanalRound& canal : canals_) invested += canal.efficiency - canal.efficiency_before_investment;
  observation.harvest_per_effort = invested > 0.0 ? total_crop_ / invested : 0.0;
  observation.site_stock = site_water_;
  observation.site_harvest_per_effort = site_crop_per_token_;
  return observation;
}

double IrrigationGame::play_canal(std::size_t canal, std::size_t first, std::size_t last, const sim::Actions& actions,
                                  std::span<double> harvest) {
  const std::size_t players = last - first;
  // Upstream first: the players in order of position, ties by agent row.
  std::array<std::size_t, positions> order{};
  std::iota(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(players), first);
  const auto position = [&](std::size_t i) { return actions.site.empty() ? i % positions : actions.site[i]; };
  std::stable_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(players),
                   [&](std::size_t a, std::size_t b) { return position(a) < position(b); });
  double invested = 0.0;
  for (std::size_t k = 0; k < players; ++k)
    invested += std::clamp(actions.effort[order[k]], 0.0, parameters_.endowment);
  const std::optional<double> previous =
      canals_[canal].efficiency >= 0.0 ? std::optional(canals_[canal].efficiency) : std::nullopt;
  const CanalRound round = infrastructure(previous, invested);
  canals_[canal] = round;
  std::array<double, positions> targets{};
  std::array<double, positions> water{};
  for (std::size_t k = 0; k < players; ++k) {
    const std::uint32_t choice = actions.choice.empty() ? 0 : actions.choice[order[k]];
    targets[k] = gate_target(rule_of_choice(choice), round.flow, players);
  }
  allocate_water(round.flow, parameters_.gate_capacity, parameters_.round_seconds,
                 std::span<const double>(targets.data(), players), std::span<double>(water.data(), players));
  double crop = 0.0;
  for (std::size_t k = 0; k < players; ++k) {
    water_[order[k]] = water[k];
    harvest[order[k]] = crop_tokens(water[k]);
    crop += harvest[order[k]];
  }
  return crop;
}

double IrrigationGame::harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) {
  const std::size_t n = actions.effort.size();
  const std::size_t canal_count = (n + positions - 1) / positions;
  // A canal not yet played (the first round, or one opened by agents who entered) starts at
  // the initial efficiency; a negative efficiency marks it.
  canals_.resize(canal_count, CanalRound{-1.0, -1.0, 0.0, 0.0});
  water_.assign(n, 0.0);
  total_crop_ = sim::sum_over_blocks(canal_count, policy, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t c = first; c < last; ++c)
      sum += play_canal(c, c * positions, std::min(n, (c + 1) * positions), actions, harvest);
    return sum;
  });
  // Per-position sums in agent order.
  site_water_.fill(0.0);
  std::array<double, positions> site_crop{};
  std::array<double, positions> site_invested{};
  total_water_ = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t site = actions.site.empty() ? i % positions : actions.site[i];
    site_water_[site] += water_[i];
    site_crop[site] += harvest[i];
    site_invested[site] += std::clamp(actions.effort[i], 0.0, parameters_.endowment);
    total_water_ += water_[i];
  }
  for (std::size_t s = 0; s < positions; ++s)
    site_crop_per_token_[s] = site_invested[s] > 0.0 ? site_crop[s] / site_invested[s] : 0.0;
  players_ = n;
  return total_crop_;
}

double IrrigationGame::harvest_if(double own_effort, double others_effort) const {
  // The others' effort spread evenly over the canals of the last harvest: a canal's other
  // players hold positions - 1 of the others' n - 1 seats.
  const double others_in_canal =
      players_ > positions ? others_effort * static_cast<double>(positions - 1) / static_cast<double>(players_ - 1)
                           : others_effort;
  const std::size_t players = players_ > 0 ? std::min(players_, positions) : positions;
  const CanalRound round = infrastructure(efficiency_for_payoffs_, std::clamp(own_effort, 0.0, parameters_.endowment) + others_in_canal);
  std::array<double, positions> targets{};
  std::array<double, positions> water{};
  targets.fill(gate_target(parameters_.gate_rule, round.flow, players));
  allocate_water(round.flow, parameters_.gate_capacity, parameters_.round_seconds,
                 std::span<const double>(targets.data(), players), std::span<double>(water.data(), players));
  double crop = 0.0;
  for (std::size_t k = 0; k < players; ++k) crop += crop_tokens(water[k]);
  return crop / static_cast<double>(players);
}

double IrrigationGame::collapse_threshold() const {
  return std::nextafter(45.0, std::numeric_limits<double>::infinity());
}

double IrrigationGame::stock() const {
  if (canals_.empty()) return parameters_.initial_efficiency;
  double sum = 0.0;
  for (const CanalRound& canal : canals_) sum += canal.efficiency;
  return sum / static_cast<double>(canals_.size());
}

std::vector<sim::VariableInfo> IrrigationGame::variables() const { return descriptor().variables; }

void IrrigationGame::sample(std::span<double> values) const {
  double before = 0.0;
  double capacity = 0.0;
  for (const CanalRound& canal : canals_) {
    before += canal.efficiency_before_investment;
    capacity += canal.capacity;
  }
  const double count = static_cast<double>(std::max<std::size_t>(1, canals_.size()));
  values[0] = stock();
  values[1] = canals_.empty() ? parameters_.initial_efficiency : before / count;
  values[2] = canals_.empty() ? canal_capacity(parameters_.initial_efficiency) : capacity / count;
  values[3] = total_water_;
  values[4] = total_crop_;
}

sim::SiteLayout IrrigationGame::sites() const {
  return sim::SiteLayout::graph(positions, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
}

std::vector<std::string> IrrigationGame::choices() const {
  std::vector<std::string> names{"default"};
  names.insert(names.end(), gate_rule_names().begin(), gate_rule_names().end());
  return names;
}

std::vector<sim::VariableInfo> IrrigationGame::site_variables() const {
  return {{"water", "1", "water units collected at the position in the round, summed over canals"}};
}

void IrrigationGame::sample_sites(std::span<double> values) const {
  std::copy(site_water_.begin(), site_water_.end(), values.begin());
}

COMMONS_REGISTER_MODELS(irrigation_game) {
  registry.add_resource(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<IrrigationGame>(IrrigationGame::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
