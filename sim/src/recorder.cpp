// SPDX-License-Identifier: Apache-2.0
#include "recorder.hpp"

#include <commons/sim/descriptor.hpp>
#include <commons/sim/statistics.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

namespace commons::sim {
namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

using When = EngineVariable::When;

// Series every world offers whatever its resource; the resource adds its own.
constexpr EngineVariable engine_series[] = {
    {"harvest", "resource_unit", "total harvest of all agents in the step"},
    {"effort", "effort_unit", "total effort of all agents in the step"},
    {"rent", "money",
     "resource rent: total income, price x harvest - cost x effort (less trip costs where the resource charges "
     "them), in the step"},
    {"gini", "1", "Gini coefficient of agents' income in the step (NaN when total income <= 0)"},
    {"active_agents", "1", "number of agents with positive effort in the step"},
    {"trip_costs", "money",
     "what agents paid for trips to the sites they worked in the step (resources that charge for trips only)",
     When::trips},
    {"trust", "1", "mean over agents of the trust they place in the pledges they hear (communication only)",
     When::communication},
    {"pledges_kept", "1",
     "fraction of standing pledges kept in the step, effort <= pledge (1 + tolerance) (communication only)",
     When::communication},
    {"compliance", "1", "share of agents who broke no rule in the step (governed runs only)", When::governance},
    {"violations", "1", "rule breaches committed in the step, all agents (governed runs only)", When::governance},
    {"violations_detected", "1", "rule breaches detected in the step (governed runs only)", When::governance},
    {"fines", "money", "fines paid in the step (governed runs only)", When::governance},
    {"fees", "money", "fees, taxes and monitoring costs agents paid in the step (governed runs only)",
     When::governance},
    {"transfers", "money", "net money agents received from trades and rebates in the step (governed runs only)",
     When::governance},
    {"governance_cost", "money",
     "cost of governing in the step: inspections, monitoring hours, exclusion and sanctioning fees, all rules "
     "(governed runs only)",
     When::governance},
};

double mean(const std::vector<double>& values) {
  if (values.empty()) return not_a_number;
  double sum = 0.0;
  for (const double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

bool selected(const OutputSpec& output, std::string_view name) {
  return output.series.empty() ||
         std::find(output.series.begin(), output.series.end(), name) != output.series.end();
}

}  // namespace

std::span<const EngineVariable> engine_variables() { return engine_series; }

Recorder::Wiring Recorder::wire(const ScenarioSpec& spec, const Resource& resource,
                                const std::vector<const Rule*>& rules) {
  Wiring wiring;
  std::vector<Channel>& channels = wiring.channels;
  const std::vector<VariableInfo> resource_variables = resource.variables();
  for (std::size_t slot = 0; slot < resource_variables.size(); ++slot) {
    if (!selected(spec.output, resource_variables[slot].name)) continue;
    channels.push_back({Source::resource, slot, SeriesData{resource_variables[slot], {}}});
  }
  constexpr Source sources[] = {Source::harvest,    Source::effort,     Source::rent,
                                Source::gini,       Source::active_agents, Source::trip_costs, Source::trust,
                                Source::pledges_kept, Source::compliance, Source::violations,
                                Source::violations_detected, Source::fines, Source::fees,
                                Source::transfers, Source::governance_cost};
  static_assert(std::size(sources) == std::size(engine_series));
  const bool governed = !rules.empty();
  for (std::size_t i = 0; i < std::size(engine_series); ++i) {
    const EngineVariable& series = engine_series[i];
    if (!selected(spec.output, series.name)) continue;
    if (series.when == When::communication && !spec.communication.enabled()) continue;
    if (series.when == When::governance && !governed) continue;
    if (series.when == When::trips && !resource.trip_costs(0)) continue;
    channels.push_back({sources[i], 0,
                        SeriesData{{std::string(series.name), std::string(series.units),
                                    std::string(series.description)},
                                   {}}});
  }
  std::size_t rule_slot = 0;
  for (const Rule* rule : rules) {
    const std::vector<VariableInfo> variables = rule->variables();
    for (const VariableInfo& info : variables) {
      if (selected(spec.output, info.name)) channels.push_back({Source::rule, rule_slot, SeriesData{info, {}}});
      if (info.governance_cost) wiring.cost_slots.push_back(rule_slot);
      ++rule_slot;
    }
    wiring.rule_value_counts.push_back(variables.size());
  }
  for (const std::string& name : spec.output.series) {
    const bool known = std::any_of(channels.begin(), channels.end(),
                                   [&](const Channel& c) { return c.data.info.name == name; });
    if (!known) throw SpecError("series '" + name + "' is not offered by resource '" + spec.resource.model + "'");
  }
  const UnitSystem units = resource.units();
  for (Channel& channel : channels) channel.data.info.units = units.resolve(channel.data.info.units);
  return wiring;
}

std::vector<VariableInfo> Recorder::series_variables(const ScenarioSpec& spec, const Resource& resource,
                                                     const std::vector<const Rule*>& rules) {
  std::vector<VariableInfo> variables;
  for (const Channel& channel : wire(spec, resource, rules).channels) variables.push_back(channel.data.info);
  return variables;
}

std::vector<VariableInfo> Recorder::agent_variables(const UnitSystem& units) {
  return {{"effort", units.effort, "agent's effort in the step"},
          {"harvest", units.resource, "agent's harvest in the step"},
          {"income", units.money, "agent's income in the step"}};
}

std::vector<VariableInfo> Recorder::site_variables(const ScenarioSpec& spec, const Resource& resource) {
  if (!resource.sites().spatial() || !spec.output.sites) return {};
  std::vector<VariableInfo> variables = resource.site_variables();
  variables.push_back({"effort", "effort_unit", "total effort of the agents at the site in the step"});
  variables.push_back({"harvest", "resource_unit", "total harvest of the agents at the site in the step"});
  const UnitSystem units = resource.units();
  for (VariableInfo& variable : variables) variable.units = units.resolve(variable.units);
  return variables;
}

std::vector<VariableInfo> Recorder::summary_variables(bool network, const UnitSystem& units) {
  std::vector<VariableInfo> variables{
      {"final_stock", "resource_unit", "stock at the end of the last step"},
      {"final_effort", "effort_unit", "total effort in the last step"},
      {"final_harvest", "resource_unit", "total harvest in the last step"},
      {"final_rent", "money", "rent in the last step"},
      {"collapse_step", "1", "first step that starts with the stock below the collapse threshold; NaN if none"},
      {"discounted_rent", "money", "present value of the rent over all steps at the discount rate"},
      {"efficiency", "1", "discounted rent over the discounted rent of the social optimum (MEY) sustained every step"},
      {"equity", "1", "1 - Gini coefficient of agents' cumulative income (NaN when total <= 0)"},
      {"mean_compliance", "1", "share of agents who broke no rule, averaged over the steps; NaN without governance"},
      {"total_governance_cost", "money",
       "cost of governing (inspections, monitoring hours, exclusion and sanctioning fees) summed over all steps, "
       "undiscounted; 0 without governance"},
  };
  // Ostrom (1990, ch. 3) design principles; docs/governance.md#design-principles.
  static constexpr std::array<std::string_view, 8> principle_names{
      "1_boundaries",          "2_congruence",        "3_collective_choice", "4_monitoring",
      "5_graduated_sanctions", "6_conflict_resolution", "7_recognition",      "8_nested_enterprises"};
  for (std::size_t k = 0; k < principle_names.size(); ++k)
    variables.push_back({"design_principle_" + std::string(principle_names[k]), "1",
                         "1 if a rule realising Ostrom's design principle " + std::to_string(k + 1) +
                             " was in force in some step of the run, else 0"});
  if (network) {
    variables.push_back({"network_mean_degree", "1", "mean number of neighbours per agent in the social network"});
    variables.push_back({"network_average_clustering", "1",
                         "mean over agents of the local clustering coefficient of the social network"});
    variables.push_back(
        {"network_global_clustering", "1", "transitivity of the social network: 3 x triangles / connected triples"});
    // Counted exactly up to a work budget, estimated by sampling beyond it (docs/behaviour.md).
    variables.push_back({"network_average_clustering_standard_error", "1",
                         "standard error of network_average_clustering: 0 when counted exactly, else of the "
                         "sampled estimate"});
    variables.push_back({"network_global_clustering_standard_error", "1",
                         "standard error of network_global_clustering: 0 when counted exactly, else of the sampled "
                         "estimate"});
  }
  for (VariableInfo& variable : variables) variable.units = units.resolve(variable.units);
  return variables;
}

Recorder::Recorder(const ScenarioSpec& spec, const Resource& resource, std::size_t agent_count,
                   const ExecutionPolicy& policy, std::vector<const Rule*> rules)
    : rules_(std::move(rules)), record_agents_(spec.output.agents), policy_(policy), collapse_step_(not_a_number) {
  Wiring wiring = wire(spec, resource, rules_);
  channels_ = std::move(wiring.channels);
  cost_slots_ = std::move(wiring.cost_slots);
  for (const std::size_t count : wiring.rule_value_counts) {
    rule_offsets_.push_back(rule_values_.size());
    rule_values_.resize(rule_values_.size() + count, not_a_number);
  }
  resource_values_.resize(resource.variables().size());
  // Reserve for the whole run, but not absurdly far ahead for open-ended runs.
  const auto steps = std::min<std::size_t>(static_cast<std::size_t>(spec.steps), std::size_t{1} << 16);
  reserved_steps_ = steps;
  for (Channel& channel : channels_) channel.data.values.reserve(steps);
  rent_.reserve(steps);
  effort_.reserve(steps);
  harvest_.reserve(steps);
  if (std::vector<VariableInfo> sites = site_variables(spec, resource); !sites.empty()) {
    site_count_ = resource.sites().count;
    site_interval_ = static_cast<std::size_t>(spec.output.site_interval);
    site_values_.resize(resource.site_variables().size() * site_count_);
    site_effort_.resize(site_count_);
    site_harvest_.resize(site_count_);
    for (VariableInfo& info : sites) {
      site_data_.push_back({std::move(info), {}});
      site_data_.back().values.reserve(steps / site_interval_ * site_count_);
    }
  }
  if (record_agents_) {
    agent_stride_ = static_cast<std::size_t>(spec.output.agent_stride);
    agent_interval_ = static_cast<std::size_t>(spec.output.agent_interval);
    recorded_agent_count_ = (agent_count + agent_stride_ - 1) / agent_stride_;
    // Reserved when the first step is recorded, once it is known whether they stream.
    for (VariableInfo& info : agent_variables(resource.units())) agent_data_.push_back({std::move(info), {}});
  }
}

std::vector<std::uint64_t> Recorder::recorded_agents(std::uint64_t agents, std::int64_t stride) {
  const auto step = static_cast<std::uint64_t>(stride);
  std::vector<std::uint64_t> ids;
  ids.reserve((agents + step - 1) / step);
  for (std::uint64_t id = 0; id < agents; id += step) ids.push_back(id);
  return ids;
}

void Recorder::record(std::int64_t step, const StepTotals& totals, const Resource& resource,
                      const AgentTable& agents) {
  resource.sample(resource_values_);
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    const std::size_t end = r + 1 < rules_.size() ? rule_offsets_[r + 1] : rule_values_.size();
    rules_[r]->sample(std::span<double>(rule_values_.data() + rule_offsets_[r], end - rule_offsets_[r]));
  }
  // NaN marks a rule out of force in the step: it cost nothing.
  double cost = 0.0;
  for (const std::size_t slot : cost_slots_)
    if (!std::isnan(rule_values_[slot])) cost += rule_values_[slot];
  const double compliance =
      agents.size() > 0 ? totals.compliant / static_cast<double>(agents.size()) : not_a_number;
  if (!rules_.empty()) {
    governance_cost_total_ += cost;
    if (!std::isnan(compliance)) {
      compliance_sum_ += compliance;
      ++compliance_steps_;
    }
  }
  for (Channel& channel : channels_) {
    double value = 0.0;
    switch (channel.source) {
      case Source::resource: value = resource_values_[channel.slot]; break;
      case Source::harvest: value = totals.harvest; break;
      case Source::effort: value = totals.effort; break;
      case Source::rent: value = totals.rent; break;
      case Source::gini: value = gini_(agents.income, policy_); break;
      case Source::active_agents: value = totals.active_agents; break;
      case Source::trip_costs: value = totals.trip_costs; break;
      case Source::trust: value = mean(agents.trust); break;
      case Source::pledges_kept: value = totals.pledges_kept; break;
      case Source::compliance: value = compliance; break;
      case Source::violations: value = totals.violations; break;
      case Source::violations_detected: value = totals.detected; break;
      case Source::fines: value = totals.fines; break;
      case Source::fees: value = totals.fees; break;
      case Source::transfers: value = totals.transfers; break;
      case Source::governance_cost: value = cost; break;
      case Source::rule: value = rule_values_[channel.slot]; break;
    }
    channel.data.values.push_back(value);
  }
  rent_.push_back(totals.rent);
  effort_.push_back(totals.effort);
  harvest_.push_back(totals.harvest);
  // The stock after this step's growth is the stock at the start of the next step.
  if (std::isnan(collapse_step_) && resource.stock() < resource.collapse_threshold())
    collapse_step_ = static_cast<double>(step + 1);
  if (record_agents_ && (static_cast<std::size_t>(step) + 1) % agent_interval_ == 0) record_agents(agents);
  if (site_count_ > 0 && (static_cast<std::size_t>(step) + 1) % site_interval_ == 0) record_sites(resource, agents);
}

namespace {

/// Appends `count` recorded agents from recorded position `first` of `column` (every `stride`-th
/// slot) to `out`.
void append_recorded(const std::vector<double>& column, std::size_t first, std::size_t count, std::size_t stride,
                     std::vector<double>& out) {
  if (stride == 1) {
    const auto begin = column.begin() + static_cast<std::ptrdiff_t>(first);
    out.insert(out.end(), begin, begin + static_cast<std::ptrdiff_t>(count));
    return;
  }
  for (std::size_t k = 0, slot = first * stride; k < count; ++k, slot += stride) out.push_back(column[slot]);
}

}  // namespace

void Recorder::stream_agents(std::function<void(AgentRows&&)> handler, std::size_t piece_bytes) {
  agent_stream_ = std::move(handler);
  agent_piece_values_ = std::max<std::size_t>(1, piece_bytes / sizeof(double));
}

void Recorder::record_agents(const AgentTable& agents) {
  // In the order of agent_variables().
  const std::array<const std::vector<double>*, 3> columns{&agents.effort, &agents.harvest, &agents.income};
  const std::size_t width = recorded_agent_count_;
  if (!agent_stream_) {
    for (std::size_t v = 0; v < columns.size(); ++v) {
      std::vector<double>& values = agent_data_[v].values;
      // The whole run: a run that keeps its agents in memory holds them all anyway.
      if (values.capacity() == 0) values.reserve(width * std::max<std::size_t>(1, reserved_steps_ / agent_interval_));
      append_recorded(*columns[v], 0, width, agent_stride_, values);
    }
    ++agent_rows_recorded_;
    return;
  }
  const std::size_t piece_values = agent_piece_values_;
  if (width > piece_values) {
    // One step is more than a piece: it goes on in pieces along the agents.
    for (std::size_t first = 0; first < width; first += piece_values) {
      const std::size_t count = std::min(piece_values, width - first);
      AgentRows piece;
      piece.first = agent_rows_recorded_;
      piece.count = 1;
      piece.first_agent = static_cast<std::int64_t>(first);
      piece.agents = static_cast<std::int64_t>(count);
      piece.values.resize(columns.size());
      for (std::size_t v = 0; v < columns.size(); ++v) {
        piece.values[v].reserve(count);
        append_recorded(*columns[v], first, count, agent_stride_, piece.values[v]);
      }
      agent_stream_(std::move(piece));
    }
    ++agent_rows_recorded_;
    return;
  }
  AgentRows& pending = pending_agent_rows_;
  if (pending.count == 0) {
    pending.first = agent_rows_recorded_;
    pending.first_agent = 0;
    pending.agents = static_cast<std::int64_t>(width);
    pending.values.resize(columns.size());
    for (std::vector<double>& values : pending.values) values.reserve(piece_values / width * width);
  }
  for (std::size_t v = 0; v < columns.size(); ++v) append_recorded(*columns[v], 0, width, agent_stride_, pending.values[v]);
  ++pending.count;
  ++agent_rows_recorded_;
  if (pending.values.front().size() + width > piece_values) hand_on_agent_rows();
}

void Recorder::hand_on_agent_rows() {
  if (pending_agent_rows_.count == 0) return;
  agent_stream_(std::move(pending_agent_rows_));
  // Moved from: empty, to be filled afresh.
  pending_agent_rows_.count = 0;
  pending_agent_rows_.values.clear();
}

void Recorder::record_sites(const Resource& resource, const AgentTable& agents) {
  resource.sample_sites(site_values_);
  std::fill(site_effort_.begin(), site_effort_.end(), 0.0);
  std::fill(site_harvest_.begin(), site_harvest_.end(), 0.0);
  // In agent order, whatever the thread count, so that the sums are the same bits.
  for (std::size_t i = 0; i < agents.size(); ++i) {
    site_effort_[agents.site[i]] += agents.effort[i];
    site_harvest_[agents.site[i]] += agents.harvest[i];
  }
  const std::size_t own = site_values_.size() / site_count_;
  for (std::size_t v = 0; v < own; ++v)
    site_data_[v].values.insert(site_data_[v].values.end(), site_values_.begin() + static_cast<std::ptrdiff_t>(v * site_count_),
                                site_values_.begin() + static_cast<std::ptrdiff_t>((v + 1) * site_count_));
  site_data_[own].values.insert(site_data_[own].values.end(), site_effort_.begin(), site_effort_.end());
  site_data_[own + 1].values.insert(site_data_[own + 1].values.end(), site_harvest_.begin(), site_harvest_.end());
}

RunResult Recorder::finish(const RunTask& task, const ScenarioSpec& spec, const Resource& resource,
                           const AgentTable& agents, const Network* network,
                           const std::array<bool, 8>& principles_in_force, const RandomStream& random,
                           const RunControl& control) {
  RunResult result;
  result.task = task;
  result.steps = static_cast<std::int64_t>(rent_.size());
  for (Channel& channel : channels_) result.series.push_back(std::move(channel.data));
  channels_.clear();

  const Economics& economics = spec.economics;
  const double discounted_rent = present_value(rent_, economics.discount_rate);
  double efficiency = not_a_number;
  if (const std::optional<double> optimum = optimal_rent(resource, economics); optimum && *optimum > 0.0) {
    const std::vector<double> optimal_path(rent_.size(), *optimum);
    efficiency = discounted_rent / present_value(optimal_path, economics.discount_rate);
  }
  const auto last = [](const std::vector<double>& values) { return values.empty() ? not_a_number : values.back(); };
  // In the order of summary_variables().
  std::vector<double> values{
      resource.stock(),
      last(effort_),
      last(harvest_),
      last(rent_),
      collapse_step_,
      discounted_rent,
      efficiency,
      1.0 - gini_(agents.cumulative_income, policy_),
      compliance_steps_ > 0 ? compliance_sum_ / static_cast<double>(compliance_steps_) : not_a_number,
      governance_cost_total_,
  };
  for (const bool in_force : principles_in_force) values.push_back(in_force ? 1.0 : 0.0);
  if (network != nullptr) {
    const double n = static_cast<double>(network->node_count());
    values.push_back(n > 0.0 ? 2.0 * static_cast<double>(network->edge_count()) / n : not_a_number);
    const Clustering clustering = network->clustering(random, control);
    values.push_back(clustering.average);
    values.push_back(clustering.global);
    values.push_back(clustering.average_standard_error);
    values.push_back(clustering.global_standard_error);
    const std::vector<std::size_t> counts = network->degree_distribution();
    result.degree_counts.assign(counts.begin(), counts.end());
  }
  std::vector<VariableInfo> infos = summary_variables(network != nullptr, resource.units());
  if (infos.size() != values.size()) throw std::logic_error("recorder: summary values and variables differ in number");
  for (std::size_t k = 0; k < infos.size(); ++k) result.summary.push_back({std::move(infos[k]), values[k]});
  result.references = reference_points(resource, economics);
  const UnitSystem units = resource.units();
  for (ScalarData& point : result.references) point.info.units = units.resolve(point.info.units);
  if (record_agents_) {
    for (std::size_t slot = 0; slot < agents.id.size(); slot += agent_stride_)
      result.agent_ids.push_back(agents.id[slot]);
    if (agent_stream_) {
      hand_on_agent_rows();
      result.agent_rows_streamed = agent_rows_recorded_;
    } else {
      result.agents = std::move(agent_data_);
    }
  }
  result.sites = std::move(site_data_);
  return result;
}

}  // namespace commons::sim
