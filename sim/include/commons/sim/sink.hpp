// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Where finished runs go. The executor calls a sink from one thread only, in the order runs
/// finish; a sink never sees a model, only samples and the layout they come in.

#include <commons/sim/run_result.hpp>
#include <commons/sim/sites.hpp>
#include <commons/sim/spec.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace commons::sim {

/// What every run of one variant records, known before the first run starts. A sink lays out
/// its file from the layouts of all variants once, in begin(), and never changes the file's
/// structure afterwards; a run's result holds exactly these variables, in this order.
struct RunLayout {
  std::vector<VariableInfo> series;
  std::vector<VariableInfo> summary;
  std::vector<VariableInfo> references;
  /// Per-agent variables; empty unless the scenario records agents.
  std::vector<VariableInfo> agent_variables;
  /// Ids along the agent dimension when agents are recorded.
  std::vector<std::uint64_t> agent_ids;
  /// With a social network: the largest degree any node can have, so the degree distribution
  /// of every run fits `max_degree + 1` counts. Absent without a network.
  std::optional<std::size_t> max_degree;
  /// Per-site variables; empty unless the resource has sites and the scenario records them.
  std::vector<VariableInfo> site_variables{};
  /// The sites along the site dimension (or the y and x dimensions of a grid) when site
  /// variables are recorded.
  SiteLayout sites{};
  /// Site variables are sampled every `site_interval` steps, at the end of each interval
  /// (steps interval - 1, 2 interval - 1, ...): a 1000 x 1000 grid every step would be terabytes.
  std::int64_t site_interval = 1;
  /// Agent variables are sampled every `agent_interval` steps, at the end of each interval, as
  /// the sites are.
  std::int64_t agent_interval = 1;
};

/// One factor of a sweep, as results record it.
struct FactorInfo {
  /// Dotted scenario path ("economics.cost_per_effort"), or "variant".
  std::string path;
  /// "parameter" (an uncertainty the design covers) or "lever" (a policy choice).
  std::string role;
  /// The levels as text when the factor is recorded as text (a model name, a variant); empty
  /// when it is recorded as numbers.
  std::vector<std::string> labels;
  /// How its values are chosen ("uniform on [15, 35]").
  std::string description;
};

/// The sweep a plan comes from; absent for a plan without one.
struct SweepInfo {
  /// "factorial", "list", "latin_hypercube", "sobol", "saltelli" or "morris".
  std::string design;
  std::int64_t points = 0;
  std::int64_t policies = 1;
  std::int64_t replicates = 1;
  /// Saltelli's base samples, Morris's trajectories, or the points of a sampled design.
  std::int64_t samples = 0;
  /// Levels of a Morris grid.
  std::int64_t grid_levels = 0;
  /// Points that belong together (a Saltelli base sample, a Morris trajectory).
  std::int64_t group_size = 1;
  /// Parameters, then levers.
  std::vector<FactorInfo> factors;
  /// Design points in the unit hypercube, points x parameters, row-major.
  std::vector<double> unit;
};

/// What a sink learns before the first run arrives.
struct PlanInfo {
  std::string scenario_name;
  /// The resolved scenario text, stored for provenance.
  std::string scenario_text;
  std::int64_t steps = 0;
  /// The largest number of agents in a run of the plan.
  std::int64_t agents = 0;
  std::vector<RunTask> tasks;
  /// Names of the variants of a comparison, indexed by RunTask::variant; empty without one.
  std::vector<std::string> variants;
  /// What runs record, indexed by RunTask::layout: one per variant (one entry without a
  /// comparison), or in a sweep one per distinct layout of its points and policies.
  std::vector<RunLayout> layouts;
  /// Files the scenario (or any variant) names.
  std::vector<Attachment> attachments;
  /// The sweep, when the scenario has one.
  std::optional<SweepInfo> sweep;
};

/// Receives finished runs. The executor calls a sink from one thread only.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void begin(const PlanInfo& plan) = 0;
  virtual void consume(RunResult&& result) = 0;
  /// Whether the sink takes per-agent variables as they are recorded (consume_agents) rather
  /// than in the result: a sink that writes them away keeps memory bounded however many agents
  /// and steps a run records. Asked once, after begin().
  [[nodiscard]] virtual bool streams_agents() const { return false; }
  /// Recorded steps of a run's per-agent variables, in order and before the run's result; only
  /// when streams_agents(). The run may still fail or be interrupted, so they vouch for nothing
  /// until consume() takes its result.
  virtual void consume_agents(AgentRows&& /*rows*/) {}
  /// Run `task` failed with `message` and will not be consumed.
  virtual void fail(const RunTask& /*task*/, const std::string& /*message*/) {}
  /// Makes every run consumed so far durable; the executor calls it whenever no finished run
  /// is waiting, so a sink may batch the work of making runs durable while runs keep coming.
  virtual void sync() {}
  /// Runs of the plan that an earlier, interrupted execution already made durable (a resumed
  /// results file); the executor does not run them again. Asked after begin().
  [[nodiscard]] virtual std::vector<std::int64_t> resumed_runs() const { return {}; }
  /// Called once after every run was consumed or failed; a sink that writes a file completes
  /// it here. Not called when execution was interrupted.
  virtual void finish() = 0;
};

/// Keeps every run in memory, indexed by run; for tests and small interactive runs.
class MemorySink final : public Sink {
 public:
  void begin(const PlanInfo& plan) override;
  void consume(RunResult&& result) override;
  void fail(const RunTask& task, const std::string& message) override;
  void finish() override { finished_ = true; }

  [[nodiscard]] const PlanInfo& plan() const { return plan_; }
  /// Results by run index (not arrival order).
  [[nodiscard]] const std::vector<RunResult>& results() const { return results_; }
  [[nodiscard]] bool finished() const { return finished_; }
  /// Messages of failed runs, by run index.
  [[nodiscard]] const std::map<std::int64_t, std::string>& failures() const { return failures_; }

 private:
  PlanInfo plan_;
  std::vector<RunResult> results_;
  std::map<std::int64_t, std::string> failures_;
  bool finished_ = false;
};

}  // namespace commons::sim
