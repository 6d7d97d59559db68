// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/itq.hpp>

#include <commons/models/governance/call_auction.hpp>
#include <commons/models/governance/common_parameters.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "itq",
      .summary =
          "Individual transferable quotas: the TAC (total or fraction_of_msy, exactly one) is held as quota and traded "
          "every step in a uniform-price call auction that clears before the harvest; each agent's harvest limit is "
          "its holding after trade.",
      .parameters =
          {catch_limit_total_parameter(),
           fraction_of_msy_parameter(),
           {.name = "allocation",
            .type = sim::ParameterType::choice,
            .meaning =
                "Initial holdings: equal; history (in proportion to each agent's harvest in the step before the rule "
                "starts, equal if none); auction (sold by the state in the first clearing to the highest bids)",
            .default_value = std::string("equal"),
            .choices = {"equal", "history", "auction"}},
           {.name = "history_steps",
            .type = sim::ParameterType::integer,
            .meaning = "Steps of catch history a history allocation weighs; only 1 (the engine keeps the last step's "
                       "catches only)",
            .unit = "step",
            .minimum = sim::Bound{1.0},
            .maximum = sim::Bound{1.0},
            .default_value = std::int64_t{1}},
           {.name = "max_holding",
            .type = sim::ParameterType::number,
            .meaning = "Most an agent may hold, as a fraction of the TAC",
            .unit = "1",
            .note = "1 is no cap",
            .minimum = sim::Bound{0.0, true},
            .maximum = sim::Bound{1.0},
            .default_value = 1.0},
           {.name = "market",
            .type = sim::ParameterType::choice,
            .meaning = "lease: holdings revert to the allocation every step, only the step's use is traded; sale: "
                       "trades are permanent and holdings persist",
            .default_value = std::string("lease"),
            .choices = {"lease", "sale"}}},
      .exactly_one_of = {{"total", "fraction_of_msy"}},
      .variables = {{"quota_price", "money / resource_unit",
                     "uniform price of the step's quota call auction (NaN when the book is empty)"},
                    {"quota_traded", "resource_unit", "quota units that changed hands in the step's auction"},
                    {"holdings_gini", "1",
                     "Gini coefficient of agents' quota holdings after the market (NaN when none)"},
                    {"auction_revenue", "money", "money the state received for quota it sold in the step"}},
      // The market clears in comply, before the harvest, so that the quota binds on this step's
      // catch; docs/governance.md#itq explains why not in the trade phase.
      .order = {.phases = {sim::Phase::comply}},
      .design_principles = {1, 2}};
  return described;
}

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
/// The state's place in the order book (it sells auctioned and unallocated quota); the same
/// id the state's random draws use, above every agent id.
constexpr std::uint64_t state_id = std::uint64_t{1} << 63;

[[noreturn]] void fail(const std::string& message) { throw sim::SpecError("itq: " + message); }

}  // namespace

Itq::Parameters Itq::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  const bool has_total = values.contains("total");
  const bool has_fraction = values.contains("fraction_of_msy");
  if (has_total == has_fraction) fail("give exactly one of 'total' and 'fraction_of_msy'");
  if (has_total) {
    p.total = values.number("total");
    if (!std::isfinite(*p.total) || *p.total < 0.0) fail("'total' must be a finite number >= 0");
  } else {
    p.fraction_of_msy = values.number("fraction_of_msy");
    if (!std::isfinite(*p.fraction_of_msy) || *p.fraction_of_msy < 0.0)
      fail("'fraction_of_msy' must be a finite number >= 0");
  }
  if (values.contains("allocation")) {
    const std::string& allocation = values.text("allocation");
    if (allocation == "equal")
      p.allocation = Allocation::equal;
    else if (allocation == "history")
      p.allocation = Allocation::history;
    else if (allocation == "auction")
      p.allocation = Allocation::auction;
    else
      fail("'allocation' must be \"equal\", \"history\" or \"auction\", not \"" + allocation + "\"");
  }
  if (values.contains("history_steps")) {
    p.history_steps = values.integer("history_steps");
    // The engine skips a rule before it is in force and keeps each agent's harvest of the
    // last step only, so one step of history is all the rule can see.
    if (p.history_steps != 1) fail("'history_steps' must be 1 (only the last step's catches are known)");
  }
  p.max_holding = values.number_or("max_holding", 1.0);
  if (!(p.max_holding > 0.0 && p.max_holding <= 1.0)) fail("'max_holding' must be in (0, 1]");
  if (values.contains("market")) {
    const std::string& market = values.text("market");
    if (market == "lease")
      p.market = Market::lease;
    else if (market == "sale")
      p.market = Market::sale;
    else
      fail("'market' must be \"lease\" or \"sale\", not \"" + market + "\"");
  }
  return p;
}

Itq::Itq(const Parameters& parameters) : parameters_(parameters), tac_(not_a_number) {}

std::span<const sim::Phase> Itq::phases() const { return descriptor().order.phases; }

void Itq::apply(sim::Phase phase, sim::RuleContext& context) {
  if (phase != sim::Phase::comply) return;
  if (!initialised_ || holdings_.size() != context.agents.size()) initialise(context);
  clear_market(context);
}

std::vector<double> Itq::divide(std::span<const double> weights, double total, double cap) {
  const std::size_t n = weights.size();
  std::vector<double> shares(n, 0.0);
  if (n == 0 || !(total > 0.0)) return shares;
  double weight_sum = 0.0;
  for (double w : weights) weight_sum += std::max(0.0, w);
  const bool equal = !(weight_sum > 0.0);
  const auto weight = [&](std::size_t i) { return equal ? 1.0 : std::max(0.0, weights[i]); };
  if (equal) weight_sum = static_cast<double>(n);
  // Largest weights first: if any share exceeds the cap, the largest does.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return weight(a) > weight(b); });
  double left = total;
  double weight_left = weight_sum;
  std::size_t k = 0;
  for (; k < n && weight_left > 0.0 && left * weight(order[k]) / weight_left > cap; ++k) {
    shares[order[k]] = cap;
    left -= cap;
    weight_left -= weight(order[k]);
  }
  if (weight_left > 0.0 && left > 0.0)
    for (std::size_t m = k; m < n; ++m) shares[order[m]] = std::min(cap, left * weight(order[m]) / weight_left);
  return shares;
}

double Itq::total(const sim::Resource& resource, const sim::Economics& economics) const {
  if (parameters_.total) return *parameters_.total;
  const std::vector<sim::ScalarData> points = sim::reference_points(resource, economics);
  const auto msy = std::find_if(points.begin(), points.end(),
                                [](const sim::ScalarData& point) { return point.info.name == "msy_harvest"; });
  if (msy == points.end()) fail("'fraction_of_msy' needs a resource with an 'msy_harvest' reference point");
  return *parameters_.fraction_of_msy * msy->value;
}

void Itq::check(const sim::RuleCheck& world) const { static_cast<void>(total(world.resource, world.economics)); }

void Itq::initialise(sim::RuleContext& context) {
  const sim::AgentTable& agents = context.agents;
  const std::size_t n = agents.size();
  tac_ = total(context.resource, context.step.economics);
  const double cap = parameters_.max_holding * tac_;
  std::vector<double> weights(n, 1.0);
  // In the comply phase the harvest column still holds each agent's catch of the last step
  // (zero before the first): the catch history a grandfathered allocation rewards.
  if (parameters_.allocation == Allocation::history) weights = agents.harvest;
  if (parameters_.allocation == Allocation::auction)
    allocation_.assign(n, 0.0);
  else
    allocation_ = divide(weights, tac_, cap);
  double allocated = 0.0;
  for (double a : allocation_) allocated += a;
  state_allocation_ = std::max(0.0, tac_ - allocated);
  holdings_ = allocation_;
  state_holding_ = state_allocation_;
  wanted_.assign(n, 0.0);
  value_.assign(n, 0.0);
  initialised_ = true;
  auctioned_ = false;
}

void Itq::clear_market(sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::harvest_limit, sim::GovernanceLedger::Column::transfer});
  const sim::StepContext& step = context.step;
  const sim::Resource& resource = context.resource;
  const std::size_t n = agents.size();
  if (parameters_.market == Market::lease) {
    std::copy(allocation_.begin(), allocation_.end(), holdings_.begin());
    state_holding_ = state_allocation_;
  }
  const double cap = parameters_.max_holding * tac_;
  const double price = step.economics.price;
  const double total_effort = sim::sum_over_blocks(n, step.policy, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i) sum += agents.effort[i];
    return sum;
  });
  const double mean_effort = n > 0 ? total_effort / static_cast<double>(n) : 0.0;

  // Each agent wants the harvest its intended effort would take (Resource::harvest_if, the
  // others applying their intended efforts). It bids for what it lacks at its marginal value
  // of quota v = p - c_i dE/dh there (in Gordon-Schaefer without rationing p - c_i/(qX), the
  // marginal rent; Newell, Sanchirico & Kerr 2005), never above its cap; it offers what it
  // will not use at 0, the value of a unit it will not fish. wanted > 0: a bid; < 0: an ask.
  sim::for_each_block(n, step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      const double effort = agents.effort[i];
      const double others = total_effort - effort;
      const double harvest = resource.harvest_if(effort, others);
      const double lacking = harvest - holdings_[i];
      if (lacking > 0.0) {
        wanted_[i] = std::max(0.0, std::min(lacking, cap - holdings_[i]));
        // Forward difference: exact up to rounding where the harvest is linear in effort.
        const double step_size = 1e-6 * (effort > 0.0 ? effort : (mean_effort > 0.0 ? mean_effort : 1.0));
        const double gained = resource.harvest_if(effort + step_size, others) - harvest;
        value_[i] = gained > 0.0 ? std::max(0.0, price - agents.cost_per_effort[i] * step_size / gained) : 0.0;
      } else {
        wanted_[i] = lacking;
        value_[i] = 0.0;
      }
    }
  });

  // The book lists orders in row order, so in ascending agent id (the state's id comes after
  // every agent's): blocks count their orders, then write them at offsets summed in block order.
  const std::size_t blocks = sim::block_count(n);
  block_bids_.assign(blocks + 1, 0);
  block_asks_.assign(blocks + 1, 0);
  sim::for_each_block(n, step.policy, [&](std::size_t first, std::size_t last) {
    std::size_t buying = 0;
    std::size_t selling = 0;
    for (std::size_t i = first; i < last; ++i) {
      buying += wanted_[i] > 0.0 ? 1 : 0;
      selling += wanted_[i] < 0.0 ? 1 : 0;
    }
    block_bids_[first / sim::agent_block_size + 1] = buying;
    block_asks_[first / sim::agent_block_size + 1] = selling;
  });
  for (std::size_t b = 0; b < blocks; ++b) {
    block_bids_[b + 1] += block_bids_[b];
    block_asks_[b + 1] += block_asks_[b];
  }
  const bool state_sells = state_holding_ > 0.0;
  bids_.resize(block_bids_[blocks]);
  bid_row_.resize(block_bids_[blocks]);
  asks_.resize(block_asks_[blocks] + (state_sells ? 1 : 0));
  ask_row_.resize(block_asks_[blocks]);
  sim::for_each_block(n, step.policy, [&](std::size_t first, std::size_t last) {
    std::size_t bid = block_bids_[first / sim::agent_block_size];
    std::size_t ask = block_asks_[first / sim::agent_block_size];
    for (std::size_t i = first; i < last; ++i) {
      if (wanted_[i] > 0.0) {
        bids_[bid] = {agents.id[i], value_[i], wanted_[i]};
        bid_row_[bid++] = i;
      } else if (wanted_[i] < 0.0) {
        asks_[ask] = {agents.id[i], 0.0, -wanted_[i]};
        ask_row_[ask++] = i;
      }
    }
  });
  if (state_sells) asks_.back() = {state_id, 0.0, state_holding_};
  const AuctionResult& cleared = market_.clear(bids_, asks_);

  // Every unit changes hands at the one price: holdings and money move by the same amounts
  // in opposite directions, so quota and money are conserved. Each order is one agent's.
  const auto settle = [&](const std::vector<std::size_t>& rows, const std::vector<double>& units, double sign) {
    sim::for_each_block(rows.size(), step.policy, [&](std::size_t first, std::size_t last) {
      for (std::size_t k = first; k < last; ++k) {
        if (units[k] == 0.0) continue;
        holdings_[rows[k]] += sign * units[k];
        ledger.transfer[rows[k]] -= sign * (cleared.price * units[k]);
      }
    });
  };
  settle(bid_row_, cleared.bought, 1.0);
  settle(ask_row_, cleared.sold, -1.0);
  double revenue = 0.0;
  if (state_sells) {
    const double sold = cleared.sold.back();
    state_holding_ -= sold;
    revenue = sold > 0.0 ? cleared.price * sold : 0.0;
  }
  // Auctioned quota leased out: the first clearing's result is what holdings revert to.
  if (parameters_.market == Market::lease && parameters_.allocation == Allocation::auction && !auctioned_) {
    allocation_ = holdings_;
    state_allocation_ = state_holding_;
  }
  auctioned_ = true;

  sim::for_each_block(n, step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) ledger.harvest_limit[i] = std::min(ledger.harvest_limit[i], holdings_[i]);
  });

  report_.price = cleared.price;
  report_.traded = cleared.volume;
  report_.gini = holdings_gini_(holdings_, step.policy);
  report_.revenue = revenue;
  fresh_ = true;
}

std::vector<sim::VariableInfo> Itq::variables() const { return descriptor().variables; }

void Itq::sample(std::span<double> values) const {
  // Values belong to the step the market cleared in; a step without the rule reports none.
  values[0] = fresh_ ? report_.price : not_a_number;
  values[1] = fresh_ ? report_.traded : not_a_number;
  values[2] = fresh_ ? report_.gini : not_a_number;
  values[3] = fresh_ ? report_.revenue : not_a_number;
  fresh_ = false;
}

std::vector<int> Itq::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(itq) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<Itq>(Itq::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
