// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `human`: seats taken by people, as in the classroom and laboratory versions of the CPR
/// games (Walker, Gardner and Ostrom). Each step every seat is asked for its effort through
/// the run's sim::SeatBroker; the engine waits until a deadline and gives a seat that has not
/// answered its default. A run with human seats depends on the people in them, so it is
/// reproducible only when a scripted stand-in answers. docs/behaviour.md#human

#include <commons/sim/behaviour.hpp>
#include <commons/sim/human_seat.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace commons::models {

class Human final : public sim::Behaviour {
 public:
  /// What a seat that has not answered by the deadline plays.
  enum class Default {
    /// Its own last effort (`default_effort` before its first decision).
    repeat,
    /// `default_effort` every time.
    fixed,
  };

  /// The scalar parameters; `max_effort` and `default_effort` may differ between agents and
  /// are read per agent by the constructor.
  struct Parameters {
    Default fallback = Default::repeat;
    /// How long a step waits for the seats' answers after asking them [s].
    double deadline_seconds = 60.0;

    /// Reads `default` ("repeat" or "fixed") and `deadline_seconds` (> 0); throws
    /// sim::SpecError for other values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// Reads the parameters and draws the per-agent ones (`max_effort`, `default_effort`).
  Human(const sim::Parameters& values, const sim::GroupContext& group);

  /// Asks every seat of `agents`, waits for the answers until one deadline common to the
  /// span (deadline_seconds after the last question), and sets each effort to the answer
  /// clamped to [0, cap], or to the seat's default when no usable answer came: none before the
  /// deadline, a broken promise, an exception in the future or from the broker, NaN, or no
  /// broker at all (then nobody is waited for).
  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  void learn(const sim::StepContext&, sim::AgentSpan) override {}
  /// Silence (NaN): the seat interface asks people for efforts only, and a pledge nobody made
  /// must not be put in their mouths.
  void pledge(const sim::StepContext& context, sim::AgentSpan agents) override;

  /// How often each seat of the cohort (in row order) has been given its default so far.
  [[nodiscard]] std::span<const std::uint64_t> defaults_applied() const { return defaults_applied_; }
  [[nodiscard]] const Parameters& parameters() const { return parameters_; }

 private:
  Parameters parameters_;
  sim::SeatBroker* seats_;
  std::string group_name_;
  std::int64_t run_;
  std::size_t first_;
  /// Sites of the resource; 0 without.
  std::size_t site_count_ = 0;
  /// Most effort each seat may choose: min(max_effort, the resource's effort limit)
  /// [effort units]; infinity when unbounded.
  std::vector<double> cap_;
  /// `default_effort` of each seat, within [0, cap] [effort units].
  std::vector<double> default_effort_;
  /// Effort each seat was given in its last decision, the `repeat` default [effort units].
  std::vector<double> last_decision_;
  std::vector<std::uint64_t> defaults_applied_;
};

}  // namespace commons::models
