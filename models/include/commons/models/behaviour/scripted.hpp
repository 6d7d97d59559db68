// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `scripted`: replays recorded decisions, for instance the choices of laboratory subjects in
/// the CPR games of Walker, Gardner and Ostrom, or a test's exact schedule. The scenario names
/// a CSV file (`decisions`) with columns `step,agent,effort` and optionally `pledge`; the
/// loader reads it into a sim::Table and this behaviour turns it into a dense schedule once,
/// when the run is built. docs/behaviour.md#scripted

#include <commons/sim/behaviour.hpp>
#include <commons/sim/registry.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace commons::models {

class Scripted final : public sim::Behaviour {
 public:
  /// Checks `parameters.table("decisions")` against the cohort and builds the schedule.
  /// Throws sim::SpecError "FILE:LINE: ..." for a row that cannot be replayed: an agent
  /// outside the cohort, a step or agent that is not a whole number >= 0, a second row for the
  /// same step and agent, a negative or non-finite effort, or an effort above the resource's
  /// effort limit; and "FILE: ..." when a required column is missing.
  Scripted(const sim::Parameters& parameters, const sim::GroupContext& group);

  /// The checks the constructor makes, without building the schedule: every row of the file
  /// against a cohort of `cohort.count` agents and the resource's effort limit. Returns the
  /// steps the schedule spans. Throws as the constructor.
  static std::size_t check(const sim::Parameters& parameters, const sim::CohortCheck& cohort);

  /// Effort of each agent at this step: its row for the step, else its last row before it
  /// (0 before its first row); after the last scripted step the last values hold.
  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  void learn(const sim::StepContext&, sim::AgentSpan) override {}
  /// With a `pledge` column, announces the scripted pledge under the same rules as the effort
  /// (NaN, silence, before the agent's first row and for an empty cell); without it, the
  /// default pledge of sim::Behaviour.
  void pledge(const sim::StepContext& context, sim::AgentSpan agents) override;

  /// Steps the schedule spans (the last scripted step + 1, at most the run's steps).
  [[nodiscard]] std::size_t scripted_steps() const { return steps_; }

 private:
  /// Row of the schedule that applies at `step`: the step itself, or the last one.
  [[nodiscard]] std::size_t schedule_row(std::int64_t step) const;

  std::size_t first_;
  std::size_t count_;
  std::size_t steps_ = 0;
  bool has_pledge_ = false;
  /// effort_[s * count_ + k]: effort of cohort agent k at step s [effort units].
  std::vector<double> effort_;
  /// pledge_[s * count_ + k]: pledge of cohort agent k at step s [effort units]; empty
  /// without a `pledge` column.
  std::vector<double> pledge_;
};

}  // namespace commons::models
