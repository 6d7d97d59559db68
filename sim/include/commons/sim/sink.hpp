// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Where finished runs go. The executor calls a sink from one thread only, in the order runs
/// finish; a sink never sees a model, only samples.

#include <commons/sim/run_result.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace commons::sim {

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
};

/// Receives finished runs.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void begin(const PlanInfo& plan) = 0;
  virtual void consume(RunResult&& result) = 0;
  /// Called once after the last run; a sink that writes a file completes it here.
  virtual void finish() = 0;
};

/// Keeps every run in memory, indexed by run; for tests and small interactive runs.
class MemorySink final : public Sink {
 public:
  void begin(const PlanInfo& plan) override;
  void consume(RunResult&& result) override;
  void finish() override { finished_ = true; }

  [[nodiscard]] const PlanInfo& plan() const { return plan_; }
  /// Results by run index (not arrival order).
  [[nodiscard]] const std::vector<RunResult>& results() const { return results_; }
  [[nodiscard]] bool finished() const { return finished_; }

 private:
  PlanInfo plan_;
  std::vector<RunResult> results_;
  bool finished_ = false;
};

}  // namespace commons::sim
