// SPDX-License-Identifier: Apache-2.0
#pragma once
// The readable report `commons run` prints: the scenario, closed-form reference points and
// the outcome over replicates.

#include <commons/sim/sink.hpp>
#include <commons/sim/spec.hpp>

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace commons::cli {

/// Passes runs on to another sink and keeps their summary and reference values for the report.
class SummarySink final : public sim::Sink {
 public:
  explicit SummarySink(sim::Sink& next) : next_(next) {}
  void begin(const sim::PlanInfo& plan) override;
  void consume(sim::RunResult&& result) override;
  [[nodiscard]] bool streams_agents() const override { return next_.streams_agents(); }
  void consume_agents(sim::AgentRows&& rows) override { next_.consume_agents(std::move(rows)); }
  void fail(const sim::RunTask& task, const std::string& message) override { next_.fail(task, message); }
  void sync() override { next_.sync(); }
  [[nodiscard]] std::vector<std::int64_t> resumed_runs() const override { return next_.resumed_runs(); }
  void finish() override { next_.finish(); }

  /// Runs received so far, by run index; runs not received have no summary.
  [[nodiscard]] const std::vector<sim::RunResult>& runs() const { return runs_; }

 private:
  sim::Sink& next_;
  std::vector<sim::RunResult> runs_;
};

/// Writes the report for `spec` and its finished runs to `out`.
void print_summary(std::ostream& out, const sim::ScenarioSpec& spec, const std::vector<sim::RunResult>& runs,
                   const std::filesystem::path& results_file);

}  // namespace commons::cli
