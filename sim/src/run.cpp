// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/run.hpp>

#include <commons/sim/behaviour.hpp>
#include <commons/sim/governance_ledger.hpp>
#include <commons/sim/observation.hpp>
#include <commons/sim/phases.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/rule.hpp>
#include <commons/sim/step_context.hpp>

#include <commons/sim/network.hpp>
#include <commons/sim/network_generators.hpp>

#include "communication.hpp"
#include "recorder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include <array>
#include <optional>
#include <stdexcept>

namespace commons::sim {

struct Run::World {
  /// A contiguous share of a group's rows that follows one behaviour.
  struct Cohort {
    std::size_t first = 0;
    std::size_t count = 0;
    std::unique_ptr<Behaviour> behaviour;
  };

  World(const ScenarioSpec& scenario, const Registry& registry, RunTask run_task, ExecutionPolicy execution,
        SeatBroker* seats, RunControl run_control)
      : spec(&scenario),
        task(std::move(run_task)),
        policy(execution),
        control(run_control),
        random(stream_key(task.seed, static_cast<std::uint64_t>(task.replicate), task.stream)),
        resource(registry.make_resource(scenario.resource)),
        rules(registry.make_rules(scenario.governance)) {
    resource->set_economics(scenario.economics);
    // Only agents that talk carry the pledge columns.
    const std::optional<double> initial_trust =
        scenario.communication.enabled() ? std::optional<double>(scenario.communication.initial_trust) : std::nullopt;
    agents.reserve(static_cast<std::size_t>(scenario.agent_count()), initial_trust.has_value());
    for (std::size_t g = 0; g < scenario.groups.size(); ++g) {
      const GroupSpec& group = scenario.groups[g];
      agents.append_group(static_cast<std::uint32_t>(g), static_cast<std::size_t>(group.count), group.cost_per_effort,
                          initial_trust, control);
    }
    resource->set_random(random);
    agents.equip(resource->sites().count, resource->choices().size());
    if (!agents.site.empty()) place_agents();
    // The ledger is made with the agents, before the network and the models' state, as the
    // governance columns were when they were agent columns: made after them, a co-managed step
    // of 1e6 agents (governance_step_bench) took about 10 % longer (measured, not explained).
    governed = !rules.empty();
    if (governed) ledger.emplace(agents.size(), control);
    if (governed && !agents.site.empty()) ledger->sites.reset(resource->sites().count);
    trips = resource->trip_costs(agents.size());
    if (trips) {
      if (agents.site.empty()) throw std::logic_error("a resource without sites charged for trips to them");
      trips->check(agents.size(), resource->sites().count);
    }
    if (scenario.network.present()) network.emplace(build_network(scenario.network, agents.size(), random, control));
    std::size_t first = 0;
    for (std::size_t g = 0; g < scenario.groups.size(); ++g) {
      const GroupSpec& group = scenario.groups[g];
      const std::vector<std::size_t> counts = group.cohort_sizes();
      for (std::size_t c = 0; c < counts.size(); ++c) {
        const GroupContext context{static_cast<std::uint32_t>(g),
                                   group.name,
                                   first,
                                   counts[c],
                                   scenario.steps,
                                   scenario.economics,
                                   random,
                                   std::span<const std::uint64_t>(agents.id.data() + first, counts[c]),
                                   agents.size(),
                                   *resource,
                                   network ? &*network : nullptr,
                                   seats,
                                   task.index};
        if (counts[c] > 0)
          cohorts.push_back({first, counts[c], registry.make_behaviour(group.behaviours[c].behaviour, context)});
        first += counts[c];
        control.check();
      }
    }
    for (const Registry::ScheduledRule& scheduled : rules)
      for (Phase phase : scheduled.rule->phases()) rules_by_phase[static_cast<std::size_t>(phase)].push_back(&scheduled);
    // A rule that weighs the limits the others set (compliance) says it acts last in a phase.
    for (Phase phase : step_phases) {
      auto& hooked = rules_by_phase[static_cast<std::size_t>(phase)];
      std::stable_partition(hooked.begin(), hooked.end(), [phase](const Registry::ScheduledRule* scheduled) {
        const std::vector<Phase>& last = scheduled->descriptor->order.last_in;
        return std::find(last.begin(), last.end(), phase) == last.end();
      });
    }
    std::vector<const Rule*> recorded_rules;
    for (const Registry::ScheduledRule& scheduled : rules) recorded_rules.push_back(scheduled.rule.get());
    recorder.emplace(scenario, *resource, agents.size(), policy, recorded_rules);
    previous.agent_count = agents.size();
  }

  /// Puts the agents where the resource wants them to start, and prepares to hold their moves
  /// to the resource's access rules.
  void place_agents() {
    const SiteLayout layout = resource->sites();
    const std::vector<std::uint32_t> start = resource->starting_sites(agents.size());
    if (!start.empty()) {
      if (start.size() != agents.size())
        throw std::logic_error("the resource placed " + std::to_string(start.size()) + " agents of " +
                               std::to_string(agents.size()));
      agents.site = start;
    }
    access = resource->site_access();
    if (access.unrestricted()) return;
    sites = layout;
    occupancy.assign(layout.count, 0);
    for (const std::uint32_t site : agents.site) {
      if (site >= layout.count || (access.capacity > 0 && occupancy[site] >= access.capacity))
        throw std::logic_error("the resource's starting sites break its own access rules");
      ++occupancy[site];
    }
  }

  /// Holds the moves behaviours and rules asked for this step to the resource's access rules.
  void resolve_site_moves() {
    if (access.unrestricted() || agents.site.empty()) return;
    const auto first_in_line = static_cast<std::size_t>(step_index) % agents.size();
    resolve_moves(sites, access, sites_before, agents.site, agents.effort, occupancy, first_in_line);
  }

  void apply_rules(Phase phase, const StepContext& context) {
    auto& hooked = rules_by_phase[static_cast<std::size_t>(phase)];
    if (hooked.empty()) return;
    RuleContext rule_context{context, agents, *ledger, *resource, network ? &*network : nullptr, institution_settings};
    for (const Registry::ScheduledRule* scheduled : hooked)
      if (context.step >= scheduled->from && context.step < scheduled->until) scheduled->rule->apply(phase, rule_context);
  }

  /// Limits lapse and money owed clears at the start of each step; rules in force announce
  /// them again.
  void reset_governance_columns() {
    ledger->start_step(policy);
    if (ledger->sites.size() > 0) ledger->sites.reset(ledger->sites.size());
  }

  template <class Method>
  void for_each_cohort_block(const StepContext& context, Method method) {
    for (Cohort& cohort : cohorts) {
      for_each_block(cohort.count, policy, [&](std::size_t first, std::size_t last) {
        ((*cohort.behaviour).*method)(context, AgentSpan{&agents, cohort.first + first, cohort.first + last,
                                                         ledger ? &*ledger : nullptr});
      });
    }
  }

  /// income = price x harvest - cost x effort - the trip to the agent's site when it worked one
  /// (the agent's share of the resource rent), less fines and fees, plus transfers in a
  /// governed run; returns the step's totals in block order.
  StepTotals settle() {
    struct Partial {
      double effort = 0.0, rent = 0.0, active = 0.0, trip_costs = 0.0;
      double violations = 0.0, detected = 0.0, compliant = 0.0, fines = 0.0, fees = 0.0, transfers = 0.0;
    };
    const double price = spec->economics.price;
    const std::size_t n = agents.size();
    std::vector<Partial> partial(block_count(n));
    for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
      Partial sums;
      const double* effort = agents.effort.data();
      const double* harvest = agents.harvest.data();
      const double* cost = agents.cost_per_effort.data();
      double* income = agents.income.data();
      double* cumulative = agents.cumulative_income.data();
      for (std::size_t i = first; i < last; ++i) {
        const double earned = price * harvest[i] - cost[i] * effort[i];
        income[i] = earned;
        sums.effort += effort[i];
        sums.rent += earned;
        sums.active += effort[i] > 0.0 ? 1.0 : 0.0;
      }
      if (trips) {
        const std::uint32_t* site = agents.site.data();
        double paid = 0.0;
        for (std::size_t i = first; i < last; ++i) {
          if (!(effort[i] > 0.0)) continue;
          const double trip = trips->of(i, site[i]);
          income[i] -= trip;
          paid += trip;
        }
        sums.rent -= paid;
        sums.trip_costs = paid;
      }
      if (governed) {
        const GovernanceLedger& book = *ledger;
        for (std::size_t i = first; i < last; ++i) {
          income[i] += book.transfer[i] - book.fine[i] - book.fee[i];
          sums.violations += book.violations[i];
          sums.detected += book.detected[i];
          sums.compliant += book.violations[i] == 0.0 ? 1.0 : 0.0;
          sums.fines += book.fine[i];
          sums.fees += book.fee[i];
          sums.transfers += book.transfer[i];
        }
      }
      for (std::size_t i = first; i < last; ++i) cumulative[i] += income[i];
      partial[first / agent_block_size] = sums;
    });
    StepTotals totals;
    for (const Partial& p : partial) {
      totals.effort += p.effort;
      totals.rent += p.rent;
      totals.trip_costs += p.trip_costs;
      totals.active_agents += p.active;
      totals.violations += p.violations;
      totals.detected += p.detected;
      totals.compliant += p.compliant;
      totals.fines += p.fines;
      totals.fees += p.fees;
      totals.transfers += p.transfers;
    }
    return totals;
  }

  /// After the harvest: how far each agent went past its limits, and the breaches that makes.
  /// Limits are met within a relative 1e-12, so that rounding in a rule's own arithmetic
  /// (a quota turned into effort and back) is not a breach. Work at a site the agent may not
  /// work (SiteRights) is effort above a limit of 0 there.
  void measure_breaches() {
    GovernanceLedger& book = *ledger;
    book.will_write({GovernanceLedger::Column::violations});
    const SiteRights& rights = book.sites;
    const auto over = [](double value, double limit) {
      return value > limit + 1e-12 * std::max(1.0, std::abs(limit)) ? value - limit : 0.0;
    };
    const auto measure = [&](std::size_t i, double effort_limit) {
      book.excess_effort[i] = over(agents.effort[i], effort_limit);
      book.excess_harvest[i] = over(agents.harvest[i], book.harvest_limit[i]);
      book.violations[i] += (book.excess_effort[i] > 0.0 ? 1.0 : 0.0) + (book.excess_harvest[i] > 0.0 ? 1.0 : 0.0);
    };
    // Without site rights (most runs) the loop reads neither sites nor groups.
    for_each_block(agents.size(), policy, [&](std::size_t first, std::size_t last) {
      if (rights.size() == 0) {
        for (std::size_t i = first; i < last; ++i) measure(i, book.effort_limit[i]);
        return;
      }
      for (std::size_t i = first; i < last; ++i)
        measure(i, rights.may_work(i, agents.group[i], agents.site[i]) ? book.effort_limit[i] : 0.0);
    });
  }

  void step() {
    if (step_index >= spec->steps) throw std::logic_error("the run has already completed every step");
    Observation observation = resource->observe();
    observation.random = &random;
    observation.step = step_index;
    const Network* social = network ? &*network : nullptr;
    StepContext context{step_index, random, spec->economics, observation, policy, *resource, previous, nullptr, social};
    const CommunicationSpec& talk = spec->communication;

    // A rule hooked to a phase acts at its start, before the engine's own work in it.
    if (governed) reset_governance_columns();
    if (!access.unrestricted()) sites_before = agents.site;
    apply_rules(Phase::announce, context);
    apply_rules(Phase::communicate, context);
    if (talk.talks_at(step_index)) {
      for_each_cohort_block(context, &Behaviour::pledge);
      detail::hear_pledges(agents, social, policy);
    }
    apply_rules(Phase::decide, context);
    for_each_cohort_block(context, &Behaviour::decide);
    apply_rules(Phase::comply, context);
    resolve_site_moves();
    apply_rules(Phase::harvest, context);
    const double total_harvest =
        resource->harvest(Actions{agents.effort, agents.site, agents.choice}, agents.harvest, policy);
    if (governed) measure_breaches();
    apply_rules(Phase::monitor, context);
    apply_rules(Phase::sanction, context);
    apply_rules(Phase::trade, context);
    apply_rules(Phase::settle, context);
    StepTotals totals = settle();
    totals.harvest = total_harvest;
    totals.pledges_kept = talk.enabled() && step_index >= talk.start_step
                              ? detail::update_trust(agents, social, talk, policy)
                              : std::numeric_limits<double>::quiet_NaN();
    const StepOutcome outcome{step_index, agents.size(), totals.effort, totals.harvest, totals.rent,
                              totals.active_agents};
    context.current = &outcome;
    apply_rules(Phase::learn, context);
    for_each_cohort_block(context, &Behaviour::learn);
    apply_rules(Phase::choose, context);
    apply_rules(Phase::grow, context);
    for (std::int64_t tick = spec->clock.ticks_after(step_index); tick > 0; --tick) resource->grow();
    apply_rules(Phase::record, context);
    recorder->record(step_index, totals, *resource, agents);
    previous = outcome;
    ++step_index;
  }

  const ScenarioSpec* spec;
  RunTask task;
  ExecutionPolicy policy;
  RunControl control;
  RandomStream random;
  AgentTable agents;
  std::unique_ptr<Resource> resource;
  std::optional<Network> network;
  std::vector<Cohort> cohorts;
  std::vector<Registry::ScheduledRule> rules;
  std::array<std::vector<const Registry::ScheduledRule*>, step_phases.size()> rules_by_phase;
  bool governed = false;
  /// What the institutions hold about each agent; only a governed run has one.
  std::optional<GovernanceLedger> ledger;
  /// Settings rules share and keep from step to step (the appropriation limit a vote sets).
  std::map<std::string, double, std::less<>> institution_settings;
  std::optional<Recorder> recorder;
  /// The resource's rules for moving between sites and, when they restrict anything, what
  /// enforcing them needs: the layout, where agents stood at the step's start, and how many
  /// stand at each site.
  SiteAccess access;
  /// What trips to the sites cost the agents, when the resource charges for them.
  std::optional<TripCosts> trips;
  SiteLayout sites;
  std::vector<std::uint32_t> sites_before;
  std::vector<std::uint32_t> occupancy;
  StepOutcome previous;
  std::int64_t step_index = 0;
};

Run::Run(const ScenarioSpec& spec, const Registry& registry, RunTask task, ExecutionPolicy policy, SeatBroker* seats,
         RunControl control)
    : world_(std::make_unique<World>(spec, registry, std::move(task), policy, seats, control)) {}
Run::Run(Run&&) noexcept = default;
Run& Run::operator=(Run&&) noexcept = default;
Run::~Run() = default;

void Run::stream_agent_rows(std::function<void(AgentRows&&)> handler, std::size_t piece_bytes) {
  if (world_->step_index > 0) throw std::logic_error("per-agent rows are streamed from the first step or not at all");
  world_->recorder->stream_agents([task = world_->task, handler = std::move(handler)](AgentRows&& rows) {
    rows.task = task;
    handler(std::move(rows));
  }, piece_bytes);
}

void Run::step() { world_->step(); }
bool Run::done() const { return world_->step_index >= world_->spec->steps; }
std::int64_t Run::steps_done() const { return world_->step_index; }
const AgentTable& Run::agents() const { return world_->agents; }
const GovernanceLedger* Run::ledger() const { return world_->ledger ? &*world_->ledger : nullptr; }
const Resource& Run::resource() const { return *world_->resource; }
const Network* Run::network() const { return world_->network ? &*world_->network : nullptr; }

RunResult Run::take_result() {
  if (!done()) throw std::logic_error("the run has not completed its steps");
  std::array<bool, 8> principles{};
  for (const Registry::ScheduledRule& scheduled : world_->rules) {
    if (scheduled.from >= world_->spec->steps || scheduled.until <= 0 || scheduled.from >= scheduled.until) continue;
    for (const int principle : scheduled.rule->design_principles())
      if (principle >= 1 && principle <= 8) principles[static_cast<std::size_t>(principle - 1)] = true;
  }
  return world_->recorder->finish(world_->task, *world_->spec, *world_->resource, world_->agents,
                                   world_->network ? &*world_->network : nullptr, principles, world_->random,
                                   world_->control);
}

RunLayout describe_run(const ScenarioSpec& spec, const Registry& registry) {
  RunLayout layout;
  const std::unique_ptr<Resource> resource = registry.make_resource(spec.resource);
  resource->set_economics(spec.economics);
  const std::vector<Registry::ScheduledRule> rules = registry.make_rules(spec.governance);
  std::vector<const Rule*> recorded_rules;
  for (const Registry::ScheduledRule& scheduled : rules) recorded_rules.push_back(scheduled.rule.get());
  const UnitSystem units = resource->units();
  layout.series = Recorder::series_variables(spec, *resource, recorded_rules);
  layout.summary = Recorder::summary_variables(spec.network.present(), units);
  for (ScalarData& point : reference_points(*resource, spec.economics)) {
    point.info.units = units.resolve(point.info.units);
    layout.references.push_back(std::move(point.info));
  }
  const auto agents = static_cast<std::uint64_t>(spec.agent_count());
  if (spec.output.agents) {
    layout.agent_variables = Recorder::agent_variables(units);
    // AgentTable::append_group numbers agents 0, 1, ... in group order.
    layout.agent_ids = Recorder::recorded_agents(agents, spec.output.agent_stride);
    layout.agent_interval = spec.output.agent_interval;
  }
  layout.site_variables = Recorder::site_variables(spec, *resource);
  if (!layout.site_variables.empty()) {
    layout.sites = resource->sites();
    layout.site_interval = spec.output.site_interval;
  }
  if (spec.network.present()) layout.max_degree = max_degree_bound(spec.network, static_cast<std::size_t>(agents));
  return layout;
}

}  // namespace commons::sim
