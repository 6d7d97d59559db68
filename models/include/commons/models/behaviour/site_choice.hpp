// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `site_choice`: each step every agent picks the site of its trip from a multinomial logit over
/// the expected profit of a trip to each site, net of the trip's cost, the expected fine where it
/// may not work and the cost of switching; the random utility model of fishery location choice
/// (Eales and Wilen 1986; Holland and Sutinen 1999, 2000). docs/behaviour.md#site_choice

#include <commons/sim/behaviour.hpp>
#include <commons/sim/sites.hpp>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace commons::models {

/// Agent i takes a trip to site j with probability P_ij = exp(U_ij / s) / sum_k exp(U_ik / s),
///   U_ij = p h_ij e - c_i e - trip_ij - penalty_ij - switching_ij,
/// h_ij the harvest per unit effort the agent sees at j, e the effort of a trip, trip_ij what the
/// resource charges for it, penalty_ij the expected fine at a site the agent may not work and
/// switching_ij the cost of leaving last step's site; with `stay_home` it may also stay in port
/// (U = 0, no effort). Law-abiding agents never pick a site they may not work.
class SiteChoice final : public sim::Behaviour {
 public:
  /// Where an agent's expected harvest per unit of effort at a site comes from.
  enum class Expectation {
    /// What one unit of effort would take there at the step's start (the resource's
    /// observation), blind to how many others go there.
    observed,
    /// What the whole fleet caught there per unit of effort in the last step, crowding and
    /// rationing included; the observed rate at a site nobody worked.
    fleet_catch,
  };

  struct Parameters {
    /// Effort an agent applies on a trip [effort units].
    double effort = 0.0;
    /// Logit scale s: how far apart utilities must be for the choice to favour one [money].
    double scale = 0.0;
    /// Cost of working another site than last step's [money].
    double switching_cost = 0.0;
    /// Share of agents who never work a site they may not work [1].
    double law_abiding = 0.0;
    /// Whether staying in port (utility 0) is among the choices.
    bool stay_home = false;
    Expectation expectation = Expectation::observed;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// \throws sim::SpecError as check() does.
  SiteChoice(const Parameters& parameters, const sim::GroupContext& group);

  /// Each agent draws its trip: one uniform at (step, agent id, decide, 3) inverted through the
  /// cumulative probabilities over the sites in site order, then staying in port. A trip sets
  /// the agent's site and applies `effort`; staying in port applies none and keeps the site.
  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  /// With `expectation: fleet_catch`, sums the step's catch and effort of the whole fleet by site.
  void learn(const sim::StepContext& context, sim::AgentSpan agents) override;

  /// Throws SpecError unless the resource has sites and, where it bounds an agent's effort,
  /// the effort of a trip is within the bound.
  static void check(const Parameters& parameters, const sim::Resource& resource);

  /// The probabilities with which the agent at agent-table row `row` picks each site this step,
  /// in site order, then staying in port when `stay_home`: what decide draws from, to rounding.
  /// All zero when no choice is open to the agent (a law-abiding agent barred from every site,
  /// with no port to stay in). `agents` gives the table and the ledger.
  [[nodiscard]] std::vector<double> probabilities(const sim::StepContext& context, sim::AgentSpan agents,
                                                  std::size_t row) const;
  /// Whether the agent at agent-table row `row` is one of the law-abiding share (drawn once, by
  /// its id, when the behaviour is built).
  [[nodiscard]] bool law_abiding(std::size_t row) const { return law_abiding_[row - first_] != 0; }

  /// For tests and benchmarks: with false, every agent builds its own distribution even in steps
  /// where one per origin would do. Both ways give the same bits.
  void allow_shared_distributions(bool allowed) { shared_allowed_ = allowed; }
  /// Whether decide drew from one distribution per origin in the last step it ran.
  [[nodiscard]] bool used_shared_distributions() const { return shared_.usable; }

 private:
  /// The distributions of agents whose utilities differ only by origin and type, made once a step.
  struct SharedDistributions {
    std::int64_t step = -1;
    bool usable = false;
    /// Cumulative weights over the alternatives, one row per (origin, law-abiding) pair.
    std::vector<double> cumulative;
  };

  [[nodiscard]] std::size_t alternatives() const { return site_count_ + (parameters_.stay_home ? 1 : 0); }
  /// Cumulative logit weights over the alternatives of the agent at agent-table row `row`; all
  /// zero when no alternative is open to it.
  void cumulate(const sim::StepContext& context, sim::AgentSpan agents, std::size_t row,
                std::span<double> cumulative) const;
  /// The step's shared distributions, made by the first block of the step to ask; not usable
  /// when the agents' utilities differ by more than their origin and type.
  const SharedDistributions& shared(const sim::StepContext& context, sim::AgentSpan agents);
  /// Whether the cohort's agents have the same cost of effort and, when a site is barred to
  /// them, the same chance of detection and fines; false when a site is held by one of them.
  [[nodiscard]] bool cohort_is_uniform(sim::AgentSpan agents) const;
  /// The harvest per unit of effort the agents expect at `site`, before their observation error.
  [[nodiscard]] double expected_rate(const sim::Observation& seen, std::size_t site) const;

  Parameters parameters_;
  std::size_t first_ = 0;
  std::size_t count_ = 0;
  std::uint32_t group_ = 0;
  std::size_t site_count_ = 0;
  std::optional<sim::TripCosts> trips_;
  std::vector<std::uint8_t> law_abiding_;
  /// Per cohort agent: its row of the shared distributions.
  std::vector<std::uint32_t> distribution_of_;
  /// Per row of the shared distributions: the first agent (table row) it serves.
  std::vector<std::size_t> representative_;
  /// Whether the shared distributions take little enough memory to be made.
  bool shared_fits_ = false;
  bool shared_allowed_ = true;
  std::mutex shared_mutex_;
  SharedDistributions shared_;
  /// The fleet's catch and effort by site in step fleet_step_ (expectation: fleet_catch); -1
  /// before the first step has been learnt from.
  std::int64_t fleet_step_ = -1;
  std::vector<double> fleet_harvest_;
  std::vector<double> fleet_effort_;
};

}  // namespace commons::models
