// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `compliance`: each agent weighs what breaking the rules gains against the expected penalty
/// and its own norms (Becker 1968; Sutinen & Kuperan 1999), with intrinsic motivation that
/// external enforcement can crowd out (Cardenas, Stranlund & Willis 2000).
/// docs/governance.md#compliance

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/rule.hpp>

#include <cstdint>
#include <limits>
#include <vector>

namespace commons::models {

/// Acts in the comply phase, after every other rule (the engine orders it last), on the
/// effort the behaviours intend. An agent whose intended effort e breaks a limit compares the
/// gain G = payoff(e) - payoff(e_c) over the compliant effort e_c with the expected penalty
/// P = d (f_v b + f_x x) plus the norm cost N = norm m b, where d, f_v, f_x are the detection
/// probability and fines the enforcement rules announced, b the breaches and x the excess e
/// would cause, and m = m0 / (1 + k d) the intrinsic motivation left after crowding out. It
/// keeps e iff G > P + N and otherwise cuts to e_c.
class Compliance final : public sim::Rule {
 public:
  struct Parameters {
    enum class Mode {
      /// Weigh gain against penalty and norms (Becker 1968).
      rational,
      /// Everyone obeys every limit.
      full,
    };
    Mode mode = Mode::rational;
    /// Moral cost an agent feels per breach [money / breach], >= 0, per agent.
    detail::PerAgentNumber norm;
    /// Weight m0 of the norm [1], in [0, 1], per agent.
    detail::PerAgentNumber intrinsic_motivation;
    /// k >= 0: motivation falls to m0 / (1 + k d) under detection probability d [1]; 0 (the
    /// default) switches crowding out off.
    double crowding_out = 0.0;

    /// Reads `mode`, `norm`, `intrinsic_motivation` and `crowding_out`; throws
    /// sim::SpecError for impossible values.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit Compliance(Parameters parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `intended_violations`: agents who chose to break a limit this step; NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;

  /// The largest effort x <= min(intended, effort_limit) whose harvest harvest_if(x, others)
  /// stays within harvest_limit [effort units]: the resource's closed form
  /// (Resource::largest_effort_within) where it has one, compliant_effort_by_search otherwise.
  [[nodiscard]] static double compliant_effort(const sim::Resource& resource, double intended, double effort_limit,
                                               double harvest_limit, double others_effort);
  /// The same found by bisection of harvest_if down to neighbouring doubles, after a linear
  /// first guess; assumes harvest does not fall as own effort rises. The fallback, and the
  /// reference the closed forms are tested against.
  [[nodiscard]] static double compliant_effort_by_search(const sim::Resource& resource, double intended,
                                                         double effort_limit, double harvest_limit,
                                                         double others_effort);

 private:
  Parameters parameters_;
  /// Each agent's norm and motivation, drawn when the rule first acts.
  std::vector<double> norm_;
  std::vector<double> motivation_;
  /// Agents who chose to violate in the step the rule last acted in; NaN once recorded, so that
  /// a step the rule sits out records NaN.
  mutable double intended_violations_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
