// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The validated scenario as plain, immutable data. The scenario loader builds it once; the
/// engine reads it and never edits it. Nothing here knows YAML, JSON or files.

#include <commons/sim/sweep.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace commons::sim {

/// A behaviour parameter drawn once per agent, so that a population is heterogeneous
/// (docs/behaviour.md#heterogeneous-agents). Draws come from the run's stream addressed by the
/// agent's id, so an agent keeps its value whatever the thread count.
struct Distribution {
  enum class Kind { uniform, normal, lognormal, beta, discrete };
  Kind kind = Kind::uniform;
  /// uniform: low; normal: mean; lognormal: mean of the log; beta: alpha.
  double first = 0.0;
  /// uniform: high; normal: standard deviation; lognormal: sd of the log; beta: beta.
  double second = 0.0;
  /// discrete: the values and their weights (weights need not sum to one).
  std::vector<double> values{};
  std::vector<double> weights{};
  friend bool operator==(const Distribution&, const Distribution&) = default;
};

/// A numeric table the scenario loader read from a CSV file the scenario names (recorded
/// decisions, an edge list). The engine never opens files; it receives the numbers.
struct Table {
  /// The file as the scenario named it, for messages.
  std::string source;
  std::vector<std::string> columns;
  /// Row-major values: rows[r][c] is column `columns[c]` of data row r.
  std::vector<std::vector<double>> rows;
  /// 1-based line in `source` of each data row, for messages.
  std::vector<std::size_t> lines;

  /// Position of `name` in `columns`, or columns.size() when absent.
  [[nodiscard]] std::size_t column(std::string_view name) const;
  friend bool operator==(const Table&, const Table&) = default;
};

/// A parameter as the scenario gives it, after schema validation.
using ParameterValue =
    std::variant<double, std::int64_t, bool, std::string, std::vector<double>, Distribution, Table>;

/// Thrown when a spec asks for something the validated data does not hold; after schema
/// validation this means a model and the schema disagree, an internal error.
class SpecError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// A component (resource, behaviour or rule) that the scenario describes validly but that cannot
/// work in the world the scenario makes: an effort in a behaviour's file above the resource's
/// limit, a reference point the resource does not have, shares for another number of agents.
/// Found before the first step (preflight()); `pointer` names the scenario key concerned (a
/// JSON pointer into the file), so that the loader can say on which line it is.
class ComponentError : public std::runtime_error {
 public:
  ComponentError(std::string pointer, const std::string& message)
      : std::runtime_error(message), pointer_(std::move(pointer)) {}
  [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }

 private:
  std::string pointer_;
};

/// Named parameters of one component (a resource, a behaviour, a rule).
class Parameters {
 public:
  Parameters() = default;
  explicit Parameters(std::map<std::string, ParameterValue, std::less<>> values)
      : values_(std::move(values)) {}

  [[nodiscard]] bool contains(std::string_view name) const { return values_.find(name) != values_.end(); }
  /// A real number; integers widen. Throws SpecError when absent or of another type.
  [[nodiscard]] double number(std::string_view name) const;
  [[nodiscard]] double number_or(std::string_view name, double fallback) const;
  [[nodiscard]] std::int64_t integer(std::string_view name) const;
  [[nodiscard]] bool flag_or(std::string_view name, bool fallback) const;
  [[nodiscard]] const std::string& text(std::string_view name) const;
  /// A list of numbers; a single number reads as a list of one.
  [[nodiscard]] std::vector<double> numbers(std::string_view name) const;
  /// A per-agent distribution, or nullptr when the parameter is a plain number or absent.
  [[nodiscard]] const Distribution* distribution(std::string_view name) const;
  [[nodiscard]] const Table& table(std::string_view name) const;
  /// A nested block of parameters (e.g. `social_preference`), or nullptr when absent.
  [[nodiscard]] const Parameters* block(std::string_view name) const;
  /// Stores a nested block; the loader uses it for sub-mappings such as `social_preference`.
  void set_block(std::string name, Parameters block);
  [[nodiscard]] const std::map<std::string, ParameterValue, std::less<>>& values() const { return values_; }
  friend bool operator==(const Parameters&, const Parameters&) = default;

 private:
  [[nodiscard]] const ParameterValue& at(std::string_view name) const;
  std::map<std::string, ParameterValue, std::less<>> values_;
  std::map<std::string, Parameters, std::less<>> blocks_;
};

/// A pluggable component named in the scenario (`model: fishery_logistic`) with its parameters.
struct ComponentSpec {
  std::string model;
  Parameters parameters;
  /// JSON pointer of the component in the scenario file, for messages.
  std::string pointer;
  friend bool operator==(const ComponentSpec&, const ComponentSpec&) = default;
};

/// One behaviour of a group and the share of the group's agents that follow it.
struct BehaviourShare {
  /// Fraction of the group's agents [1]; the shares of a group sum to one.
  double share = 1.0;
  ComponentSpec behaviour;
  friend bool operator==(const BehaviourShare&, const BehaviourShare&) = default;
};

/// A group of agents: a name, a size, and the behaviours its agents follow in given shares
/// (one behaviour with share one for a uniform group).
struct GroupSpec {
  std::string name;
  std::int64_t count = 0;
  std::vector<BehaviourShare> behaviours;
  /// Cost of one unit of effort for this group [money / effort]; the scenario's economics
  /// value unless the group overrides it.
  double cost_per_effort = 0.0;

  /// Agents per behaviour: shares times the group size, rounded by largest remainder (ties to
  /// the earlier behaviour) so that the counts sum to the group size.
  [[nodiscard]] std::vector<std::size_t> cohort_sizes() const;
  friend bool operator==(const GroupSpec&, const GroupSpec&) = default;
};

/// Prices and costs that turn harvest and effort into income.
struct Economics {
  /// Price of one unit of harvest [money / resource unit].
  double price = 1.0;
  /// Cost of one unit of effort [money / effort unit].
  double cost_per_effort = 0.0;
  /// Discount rate per step used for present values [1 / step].
  double discount_rate = 0.0;
  friend bool operator==(const Economics&, const Economics&) = default;
};

/// A rule and the steps in which it is in force, [from, until): a policy schedule ("ten
/// baseline rounds, then communication") switches rules on and off at given steps.
struct RuleSpec {
  ComponentSpec rule;
  std::int64_t from = 0;
  std::int64_t until = std::numeric_limits<std::int64_t>::max();
  [[nodiscard]] bool in_force_at(std::int64_t step) const { return step >= from && step < until; }
  friend bool operator==(const RuleSpec&, const RuleSpec&) = default;
};

/// The institutions: a named regime (a bundle of rules) and the scenario's own rules, which
/// override the regime's rule of the same name or add to the bundle.
struct GovernanceSpec {
  std::string regime = "open_access";
  std::vector<RuleSpec> rules;
  /// JSON pointer of the governance block in the scenario file, for messages about the
  /// regime's own rules.
  std::string pointer = "/governance";
  friend bool operator==(const GovernanceSpec&, const GovernanceSpec&) = default;
};

/// The social network over all agents of a run (nodes are agent positions in scenario
/// order). `model` names the generator: complete, ring_lattice, watts_strogatz,
/// barabasi_albert, erdos_renyi, spatial_neighbourhood or edge_list.
struct NetworkSpec {
  ComponentSpec generator;
  [[nodiscard]] bool present() const { return !generator.model.empty(); }
  friend bool operator==(const NetworkSpec&, const NetworkSpec&) = default;
};

/// Cheap talk in the communicate phase (docs/behaviour.md#communication): agents announce
/// pledges to those who hear them (network neighbours, or everyone without a network), and
/// listeners update their trust from how the pledges they heard were kept.
struct CommunicationSpec {
  enum class Mode { none, one_shot, repeated };
  Mode mode = Mode::none;
  /// First step with communication; a one-shot talk happens in this step only [step].
  std::int64_t start_step = 0;
  /// Weight of the latest observation in the trust update, lambda in
  /// trust <- (1 - lambda) trust + lambda kept [1].
  double trust_rate = 0.3;
  /// Trust every agent starts with [1].
  double initial_trust = 0.5;
  /// Effort above a pledge by at most this fraction still counts as keeping it [1].
  double tolerance = 0.0;
  [[nodiscard]] bool enabled() const { return mode != Mode::none; }
  /// Pledges are made in `step`.
  [[nodiscard]] bool talks_at(std::int64_t step) const {
    return mode == Mode::repeated ? step >= start_step : mode == Mode::one_shot && step == start_step;
  }
  friend bool operator==(const CommunicationSpec&, const CommunicationSpec&) = default;
};

/// What the recorder samples.
struct OutputSpec {
  /// Names of the aggregate series to record; empty means every series the world offers.
  std::vector<std::string> series;
  /// Record per-agent variables `[run, step, agent]` as well.
  bool agents = false;
  /// Of the agents, record every this many: ids 0, m, 2m, ... in group order, a systematic
  /// sample across the groups (1e7 agents every step would be 240 MB a step and run).
  std::int64_t agent_stride = 1;
  /// Record the per-agent variables every this many steps, at the end of each interval (steps
  /// interval - 1, 2 interval - 1, ...), as the sites are.
  std::int64_t agent_interval = 1;
  /// Record per-site variables `[run, step, site]` (`[run, step, y, x]` on a grid) when the
  /// resource has sites; a resource without sites has nothing to record.
  bool sites = true;
  /// Record the per-site variables every this many steps, at the end of each interval.
  std::int64_t site_interval = 1;
  friend bool operator==(const OutputSpec&, const OutputSpec&) = default;
};

/// How the resource's time runs against the agents' decision steps: `ticks_per_step /
/// steps_per_tick` resource ticks (calls of Resource::grow) per step. A forest that regrows
/// each second under foragers who move five times a second has steps_per_tick 5; a stand that
/// grows monthly under yearly decisions has ticks_per_step 12.
struct ClockSpec {
  std::int64_t ticks_per_step = 1;
  std::int64_t steps_per_tick = 1;

  /// Ticks at the end of step `step`: floor((step + 1) a / b) - floor(step a / b), so that
  /// after any number of steps the ticks done are the rate times the steps, rounded down.
  [[nodiscard]] std::int64_t ticks_after(std::int64_t step) const {
    return (step + 1) * ticks_per_step / steps_per_tick - step * ticks_per_step / steps_per_tick;
  }
  [[nodiscard]] bool is_default() const { return ticks_per_step == 1 && steps_per_tick == 1; }
  friend bool operator==(const ClockSpec&, const ClockSpec&) = default;
};

/// A file the scenario names (recorded decisions, an edge list), kept so that the results
/// carry their inputs wherever they go.
struct Attachment {
  /// JSON pointer of the scenario key that names the file (`/agents/0/behaviour/decisions`).
  std::string pointer;
  /// The path as the scenario wrote it.
  std::string path;
  /// Where it was read from: `path` resolved against the scenario's directory (or the current
  /// directory for a --set override). Output is never written over it.
  std::string location;
  /// The file's bytes as read.
  std::string bytes;
  friend bool operator==(const Attachment&, const Attachment&) = default;
};

/// A whole validated scenario.
struct ScenarioSpec {
  std::string name;
  std::string description;
  ComponentSpec resource;
  std::vector<GroupSpec> groups;
  Economics economics;
  GovernanceSpec governance;
  NetworkSpec network;
  CommunicationSpec communication;
  std::int64_t steps = 0;
  std::int64_t replicates = 1;
  /// Base seed; each run draws from the stream keyed by (seed, replicate), so replicate k of
  /// every variant sees the same draws. Below 2^53.
  std::uint64_t seed = 0;
  OutputSpec output;
  /// The resolved scenario (after overrides) as text, stored in results for provenance.
  std::string resolved_text;
  /// Where the scenario came from, for messages and provenance.
  std::string source;
  /// The files the scenario and its variants name, as read; results embed them.
  std::vector<Attachment> attachments;
  /// The variants of a comparison (`compare:` in the scenario file): each is this scenario
  /// with some of its blocks replaced, and shares its steps, replicates, seed and output.
  /// Empty when the scenario compares nothing; then it is its own single variant.
  std::vector<ScenarioSpec> variants;
  /// This spec's name as a variant of a comparison; "" for the scenario itself.
  std::string variant;
  /// The sweep over some of the scenario's parameters (`sweep:`); without one, the plan is every
  /// replicate of every variant.
  std::optional<SweepSpec> sweep;
  /// The resource's ticks per decision step; shared by the variants, like steps.
  ClockSpec clock;

  [[nodiscard]] std::int64_t agent_count() const;
  /// Variants the plan runs: variants.size(), or 1 without a comparison.
  [[nodiscard]] std::int64_t variant_count() const;
  /// The spec a run of variant `index` follows: variants[index], or this spec itself.
  [[nodiscard]] const ScenarioSpec& variant_spec(std::int64_t index) const;
  /// Runs of each design point and policy: the sweep's replicates, or the scenario's.
  [[nodiscard]] std::int64_t runs_per_point() const { return sweep ? sweep->replicates : replicates; }
};

}  // namespace commons::sim
