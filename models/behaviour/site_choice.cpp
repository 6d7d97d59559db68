// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/site_choice.hpp>

#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/governance_ledger.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "site_choice",
      .summary =
          "Random utility site choice (Eales and Wilen 1986; Holland and Sutinen 1999): each step every agent "
          "takes a trip to site j with the multinomial logit probability exp(U_j / scale) / sum_k exp(U_k / "
          "scale), U_j = price x the harvest per effort it sees at j x effort - cost x effort - the trip's cost - "
          "the expected fine where it may not work - switching_cost when j is not last step's site; with "
          "stay_home it may stay in port (U = 0). A law_abiding share never works where it may not.",
      .parameters = {{.name = "effort",
                      .type = sim::ParameterType::number,
                      .meaning = "Effort an agent applies on a trip",
                      .unit = "effort unit",
                      .required = true,
                      .minimum = sim::Bound{0.0, true}},
                     {.name = "scale",
                      .type = sim::ParameterType::number,
                      .meaning = "Logit scale s: utilities s apart make one choice e times as likely as the other; "
                                 "small s picks the best site, large s any site alike",
                      .unit = "money",
                      .required = true,
                      .minimum = sim::Bound{0.0, true}},
                     {.name = "switching_cost",
                      .type = sim::ParameterType::number,
                      .meaning = "What working another site than last step's costs in the agent's utility (habit, "
                                 "knowledge of a ground); not charged as money",
                      .unit = "money",
                      .minimum = sim::Bound{0.0},
                      .default_value = 0.0},
                     {.name = "law_abiding",
                      .type = sim::ParameterType::number,
                      .meaning = "Share of agents who never work a site they may not work (closed, or held by "
                                 "others); the others weigh the expected fine",
                      .unit = "1",
                      .note = "each agent's type is drawn once, by its id",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 0.0},
                     {.name = "expectation",
                      .type = sim::ParameterType::choice,
                      .meaning = "The harvest per effort an agent expects at a site: observed (what one unit of "
                                 "effort would take there now, blind to how many others go) or fleet_catch (what "
                                 "the whole fleet caught there per unit of effort last step, crowding included; "
                                 "the observed rate at sites nobody worked)",
                      .default_value = std::string("observed"),
                      .choices = {"observed", "fleet_catch"}},
                     {.name = "stay_home",
                      .type = sim::ParameterType::boolean,
                      .meaning = "Whether an agent may stay in port (utility 0, no effort, no trip cost) instead of "
                                 "taking a trip",
                      .default_value = false}}};
  return described;
}

/// The draw of a trip within an agent's decision in a step: past the draws forager (0 to 2),
/// ewa and best_response (0) take in the decide phase.
constexpr std::uint64_t trip_draw = 3;

/// Shared distributions are made only while they take at most this many doubles, or eight per
/// agent of the cohort if that is more: beyond, as many origins as agents, one per agent is
/// no dearer to compute, and memory stays of the order of the agent table's.
constexpr std::size_t shared_size_floor = std::size_t{1} << 20;

std::string format(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return {buffer, result.ptr};
}

/// The alternative whose share of `cumulative` holds u x the total; cumulative.size() when
/// the total is 0 (nothing to choose).
std::size_t pick(std::span<const double> cumulative, double u) {
  const double total = cumulative.back();
  if (!(total > 0.0)) return cumulative.size();
  const auto above = std::upper_bound(cumulative.begin(), cumulative.end(), u * total);
  auto chosen = static_cast<std::size_t>(above - cumulative.begin());
  // u x total rounds up to the total at most: then the last alternative with weight.
  if (chosen == cumulative.size()) {
    chosen = cumulative.size() - 1;
    while (chosen > 0 && cumulative[chosen - 1] == cumulative[chosen]) --chosen;
  }
  return chosen;
}

}  // namespace

SiteChoice::Parameters SiteChoice::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.effort = values.number("effort");
  p.scale = values.number("scale");
  p.switching_cost = values.number("switching_cost");
  p.law_abiding = values.number("law_abiding");
  p.stay_home = values.flag_or("stay_home", false);
  if (values.contains("expectation")) {
    const std::string& expectation = values.text("expectation");
    if (expectation == "fleet_catch")
      p.expectation = Expectation::fleet_catch;
    else if (expectation != "observed")
      throw sim::SpecError("site_choice: unknown expectation '" + expectation + "'; allowed: observed, fleet_catch");
  }
  return p;
}

void SiteChoice::check(const Parameters& parameters, const sim::Resource& resource) {
  if (resource.sites().count == 0)
    throw sim::SpecError("site_choice picks a site for every trip, and this resource has no sites");
  if (const std::optional<double> limit = resource.effort_limit(); limit && parameters.effort > *limit)
    throw sim::SpecError("site_choice's effort of a trip, " + format(parameters.effort) +
                         ", is above the resource's effort limit of " + format(*limit));
}

SiteChoice::SiteChoice(const Parameters& parameters, const sim::GroupContext& group)
    : parameters_(parameters), first_(group.first), count_(group.count), group_(group.group_index) {
  check(parameters_, group.resource);
  site_count_ = group.resource.sites().count;
  trips_ = group.resource.trip_costs(group.agent_count);
  law_abiding_.resize(count_);
  const std::uint64_t type_draw = sim::parameter_draw_index("law_abiding");
  for (std::size_t k = 0; k < count_; ++k)
    law_abiding_[k] =
        group.random.uniform(0, group.ids[k], sim::Purpose::initialise, type_draw) < parameters_.law_abiding;
  // Agents from the same origin and of the same type share a distribution whenever their
  // terms agree; number the pairs the cohort holds in the order of their first agent.
  std::map<std::pair<std::uint32_t, std::uint8_t>, std::uint32_t> row_of;
  distribution_of_.resize(count_);
  for (std::size_t k = 0; k < count_; ++k) {
    const std::uint32_t origin = trips_ ? trips_->origin[first_ + k] : 0;
    const auto [found, added] =
        row_of.try_emplace({origin, law_abiding_[k]}, static_cast<std::uint32_t>(representative_.size()));
    if (added) representative_.push_back(first_ + k);
    distribution_of_[k] = found->second;
  }
  shared_fits_ = representative_.size() * alternatives() <= std::max(shared_size_floor, 8 * count_);
}

void SiteChoice::cumulate(const sim::StepContext& context, sim::AgentSpan agents, std::size_t row,
                          std::span<double> cumulative) const {
  const sim::AgentTable& table = *agents.table;
  const sim::Observation& seen = context.observation;
  const double factor = seen.error_factor(table.id[row]);
  const double price = context.economics.price;
  const double effort = parameters_.effort;
  const double effort_cost = table.cost_per_effort[row] * effort;
  const std::span<const double> trips = trips_ ? trips_->from_origin_of(row) : std::span<const double>{};
  const sim::GovernanceLedger* ledger = agents.ledger;
  const sim::SiteRights* rights = ledger != nullptr && ledger->sites.size() > 0 ? &ledger->sites : nullptr;
  const bool abiding = law_abiding_[row - first_] != 0;
  // Read only when it counts: in the shared path this row may be another block's, moving.
  const std::uint32_t previous = parameters_.switching_cost != 0.0 ? table.site[row] : 0;
  constexpr double excluded = -std::numeric_limits<double>::infinity();
  double best = excluded;
  for (std::size_t j = 0; j < site_count_; ++j) {
    const auto site = static_cast<std::uint32_t>(j);
    const bool barred = rights != nullptr && !rights->may_work(row, table.group[row], site);
    double utility = excluded;
    if (!(barred && abiding)) {
      double penalty = 0.0;
      if (barred) {
        const double detected = 1.0 - (1.0 - ledger->detection_probability[row]) * (1.0 - rights->detection[j]);
        penalty = detected * (ledger->fine_per_violation[row] + ledger->fine_per_excess[row] * effort);
      }
      const double switching = site != previous ? parameters_.switching_cost : 0.0;
      const double trip = trips.empty() ? 0.0 : trips[j];
      utility = price * (expected_rate(seen, j) * factor) * effort - effort_cost - trip - penalty - switching;
    }
    cumulative[j] = utility;
    best = std::max(best, utility);
  }
  if (parameters_.stay_home) {
    cumulative[site_count_] = 0.0;
    best = std::max(best, 0.0);
  }
  if (best == excluded) {
    std::fill(cumulative.begin(), cumulative.end(), 0.0);
    return;
  }
  // Weights relative to the best alternative, exp((U - max U) / s) <= 1: no overflow at any s.
  double total = 0.0;
  for (double& value : cumulative) {
    total += std::exp((value - best) / parameters_.scale);
    value = total;
  }
}

double SiteChoice::expected_rate(const sim::Observation& seen, std::size_t site) const {
  if (parameters_.expectation == Expectation::fleet_catch && fleet_step_ >= 0 && fleet_effort_[site] > 0.0)
    return fleet_harvest_[site] / fleet_effort_[site];
  return seen.site_harvest_per_effort[site];
}

void SiteChoice::learn(const sim::StepContext& context, sim::AgentSpan agents) {
  if (parameters_.expectation != Expectation::fleet_catch) return;
  // The first block of the step sums the whole fleet's catch and effort by site, in agent
  // order, after every agent has harvested; the others find it done.
  const std::lock_guard lock(shared_mutex_);
  if (fleet_step_ == context.step) return;
  fleet_step_ = context.step;
  const sim::AgentTable& table = *agents.table;
  fleet_harvest_.assign(site_count_, 0.0);
  fleet_effort_.assign(site_count_, 0.0);
  for (std::size_t row = 0; row < table.size(); ++row) {
    if (!(table.effort[row] > 0.0)) continue;
    fleet_harvest_[table.site[row]] += table.harvest[row];
    fleet_effort_[table.site[row]] += table.effort[row];
  }
}

bool SiteChoice::cohort_is_uniform(sim::AgentSpan agents) const {
  const sim::AgentTable& table = *agents.table;
  const std::size_t last = first_ + count_;
  for (std::size_t row = first_ + 1; row < last; ++row)
    if (table.cost_per_effort[row] != table.cost_per_effort[first_]) return false;
  const sim::GovernanceLedger* ledger = agents.ledger;
  if (ledger == nullptr || ledger->sites.size() == 0) return true;
  const sim::SiteRights& rights = ledger->sites;
  bool any_barred = false;
  for (std::size_t j = 0; j < site_count_; ++j) {
    const std::size_t holder = rights.holder_agent[j];
    if (holder != sim::SiteRights::no_agent && holder >= first_ && holder < last) return false;
    any_barred = any_barred || !rights.may_work(first_, group_, static_cast<std::uint32_t>(j));
  }
  if (!any_barred) return true;
  for (std::size_t row = first_ + 1; row < last; ++row)
    if (ledger->detection_probability[row] != ledger->detection_probability[first_] ||
        ledger->fine_per_violation[row] != ledger->fine_per_violation[first_] ||
        ledger->fine_per_excess[row] != ledger->fine_per_excess[first_])
      return false;
  return true;
}

const SiteChoice::SharedDistributions& SiteChoice::shared(const sim::StepContext& context, sim::AgentSpan agents) {
  // Blocks of the cohort decide on several threads; the first of the step makes the
  // distributions and the others read them once it lets go of the lock.
  const std::lock_guard lock(shared_mutex_);
  if (shared_.step == context.step) return shared_;
  shared_.step = context.step;
  shared_.usable = shared_allowed_ && shared_fits_ && context.observation.noise_sd == 0.0 &&
                   parameters_.switching_cost == 0.0 && cohort_is_uniform(agents);
  if (!shared_.usable) return shared_;
  const std::size_t width = alternatives();
  shared_.cumulative.resize(representative_.size() * width);
  for (std::size_t r = 0; r < representative_.size(); ++r)
    cumulate(context, agents, representative_[r], std::span<double>(shared_.cumulative).subspan(r * width, width));
  return shared_;
}

std::vector<double> SiteChoice::probabilities(const sim::StepContext& context, sim::AgentSpan agents,
                                              std::size_t row) const {
  std::vector<double> shares(alternatives());
  cumulate(context, agents, row, shares);
  const double total = shares.back();
  if (!(total > 0.0)) return shares;
  double below = 0.0;
  for (double& share : shares) {
    const double cumulative = share;
    share = (cumulative - below) / total;
    below = cumulative;
  }
  return shares;
}

void SiteChoice::decide(const sim::StepContext& context, sim::AgentSpan agents) {
  const SharedDistributions& distributions = shared(context, agents);
  const std::size_t width = alternatives();
  std::vector<double> own(distributions.usable ? 0 : width);
  const std::span<double> effort = agents.effort();
  const std::span<std::uint32_t> site = agents.site();
  const std::span<const std::uint64_t> id = agents.id();
  const auto step = static_cast<std::uint64_t>(context.step);
  for (std::size_t k = 0; k < agents.size(); ++k) {
    const std::size_t row = agents.first + k;
    std::span<const double> cumulative = own;
    if (distributions.usable)
      cumulative =
          std::span<const double>(distributions.cumulative).subspan(distribution_of_[row - first_] * width, width);
    else
      cumulate(context, agents, row, own);
    const std::size_t chosen = pick(cumulative, context.random.uniform(step, id[k], sim::Purpose::decide, trip_draw));
    if (chosen < site_count_) {
      site[k] = static_cast<std::uint32_t>(chosen);
      effort[k] = parameters_.effort;
    } else {
      effort[k] = 0.0;
    }
  }
}

COMMONS_REGISTER_MODELS(site_choice) {
  registry.add_behaviour(
      descriptor(),
      [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
        return std::make_unique<SiteChoice>(SiteChoice::Parameters::from(spec.parameters), group);
      },
      [](const sim::ComponentSpec& spec, const sim::CohortCheck& cohort) {
        SiteChoice::check(SiteChoice::Parameters::from(spec.parameters), cohort.resource);
      });
}

}  // namespace commons::models
