// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Where finished runs go. The executor calls a sink from one thread only, in the order runs
/// finish; a sink never sees a model, only samples and the layout they come in.

#include <commons/sim/run_result.hpp>
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
  /// What the runs of each variant record, indexed by RunTask::variant (one entry without a
  /// comparison).
  std::vector<RunLayout> layouts;
  /// Files the scenario (or any variant) names.
  std::vector<Attachment> attachments;
};

/// Receives finished runs. The executor calls a sink from one thread only.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void begin(const PlanInfo& plan) = 0;
  virtual void consume(RunResult&& result) = 0;
  /// Run `task` failed with `message` and will not be consumed.
  virtual void fail(const RunTask& /*task*/, const std::string& /*message*/) {}
  /// Makes every run consumed so far durable; the executor calls it whenever no finished run
  /// is waiting, so a sink may batch the work of making runs durable while runs keep coming.
  virtual void sync() {}
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
