// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `fishery_age`: an age-structured fish stock with Beverton-Holt recruitment, von Bertalanffy
/// weight at age, logistic maturity and selectivity and the Baranov catch equation;
/// docs/models.md#fishery_age.

#include <commons/models/resources/steady_state.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/spec.hpp>

#include <Eigen/Core>

#include <cstdint>

namespace commons::models {

/// Numbers at age N_a, a = 0..A (A the plus group), at the start of each step (a year).
/// Effort E of all agents sets fishing mortality F_a = q E s_a; the catch is Baranov's,
/// C_a = F_a / Z_a (1 - exp(-Z_a)) N_a with Z_a = M + F_a, so no age loses more fish than it
/// holds. Recruits N_0[t+1] = 4 h R0 S / (S0 (1 - h) + S (5h - 1)) come from the spawning
/// biomass S[t] = sum_a m_a W_a N_a[t] at the start of the step. The total catch in weight is
/// shared among agents in proportion to their effort. `stock()` is the spawning biomass.
class FisheryAge final : public sim::Resource, public sim::ResourceEconomics {
 public:
  struct Parameters {
    /// A, the oldest age class; it collects every older fish (the plus group) [year].
    std::int64_t max_age = 20;
    /// M, instantaneous natural mortality [1/year].
    double natural_mortality = 0.2;
    /// h, steepness: recruits at 20 % of the unfished spawning biomass over R0, in (0.2, 1] [1].
    double steepness = 0.75;
    /// R0, recruits of the unfished stock [thousand fish / year].
    double unfished_recruitment = 1000.0;
    /// w_inf, asymptotic weight of the von Bertalanffy curve [kg].
    double asymptotic_weight = 5.0;
    /// k, von Bertalanffy growth coefficient [1/year].
    double growth_coefficient = 0.3;
    /// t0, age at which the von Bertalanffy length is zero [year].
    double age_at_zero_length = -0.5;
    /// b, exponent of weight in length (W = w_inf (L/L_inf)^b) [1].
    double weight_exponent = 3.0;
    /// Age at which half the fish are mature [year].
    double maturity_age = 3.0;
    /// Slope of the logistic maturity ogive; a large slope makes it knife-edge [1/year].
    double maturity_slope = 2.0;
    /// a50, age at which half the fish are selected by the gear [year].
    double selectivity_age = 2.0;
    /// Slope of the logistic selectivity curve [1/year].
    double selectivity_slope = 2.0;
    /// q, fishing mortality of fully selected fish per unit of effort [1/effort unit].
    double catchability = 0.002;
    /// Numbers at age at the start, as a fraction of the unfished equilibrium [1].
    double initial_fraction = 1.0;
    /// Standard deviation of the log of agents' observation error [1].
    double observation_noise = 0.0;
    /// A spawning biomass below this fraction of the unfished one counts as collapsed [1].
    double collapse_fraction = 0.2;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// A sustained state at constant fishing: spawning biomass, effort, yield, rent per step.
  using SteadyState = models::SteadyState;

  /// Per-recruit quantities of the equilibrium at a constant fully-selected F.
  struct PerRecruit {
    /// Spawning biomass per recruit phi(F) [t / thousand fish].
    double spawning_biomass = 0.0;
    /// Yield (catch weight) per recruit [t / thousand fish].
    double yield = 0.0;
  };

  explicit FisheryAge(const Parameters& parameters);

  /// Reference points found numerically from the exact equilibrium (docs/models.md#fishery_age).
  [[nodiscard]] const sim::ResourceEconomics* economics() const override { return this; }
  /// Spawning biomass, and the catch per unit of effort the fleet would get at today's numbers
  /// with last step's total effort (its limit at zero effort before anyone fished).
  [[nodiscard]] sim::Observation observe() const override;
  /// Baranov catch at F = q E s_a, shared in proportion to effort. The numbers at age change
  /// only in grow(), where the survivors age.
  double harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) override;
  /// The share own / (own + others) of the Baranov catch at the numbers the step started with.
  [[nodiscard]] double harvest_if(double own_effort, double others_effort) const override;
  /// Survivors age by one year, the plus group keeps its own, recruits enter at age 0.
  void grow() override;
  /// Spawning biomass S = sum_a m_a W_a N_a [t].
  [[nodiscard]] double stock() const override;
  /// collapse_fraction x S0, the unfished spawning biomass [t].
  [[nodiscard]] double collapse_threshold() const override;
  /// Effort at the maximum economic yield (numerical maximum of sustained rent).
  [[nodiscard]] std::optional<double> optimal_total_effort(const sim::Economics& economics) const override;
  [[nodiscard]] std::optional<double> optimal_rent(const sim::Economics& economics) const override;
  /// msy, mey and open_access (stock, effort, harvest, rent) and the unfished spawning biomass.
  [[nodiscard]] std::vector<sim::ScalarData> reference_points(const sim::Economics& economics) const override;
  /// Biomass and catch in tonnes, effort in boat-days (numbers in thousands, weights in kg).
  [[nodiscard]] sim::UnitSystem units() const override { return {"t", "day", "money"}; }
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;

  /// Weight at age W_a = w_inf (1 - exp(-k (a - t0)))^b, 0 before t0 [kg].
  [[nodiscard]] const Eigen::ArrayXd& weight_at_age() const { return weight_; }
  /// Share mature at age m_a [1].
  [[nodiscard]] const Eigen::ArrayXd& maturity_at_age() const { return maturity_; }
  /// Selectivity at age s_a [1].
  [[nodiscard]] const Eigen::ArrayXd& selectivity_at_age() const { return selectivity_; }
  /// Numbers at age now [thousand fish].
  [[nodiscard]] const Eigen::ArrayXd& numbers_at_age() const { return numbers_; }
  /// Total biomass sum_a W_a N_a [t].
  [[nodiscard]] double biomass() const;

  /// Survivorship l_a to each age at constant fully-selected F, l_0 = 1; the plus group's entry
  /// sums its geometric tail: l_A = l_{A-1} e^{-Z_{A-1}} / (1 - e^{-Z_A}).
  [[nodiscard]] Eigen::ArrayXd survivorship(double fishing_mortality) const;
  /// Spawning biomass and yield per recruit at constant fully-selected F.
  [[nodiscard]] PerRecruit per_recruit(double fishing_mortality) const;
  /// Equilibrium recruitment at F: R0 (4 h phi(F) - (1 - h) phi(0)) / ((5h - 1) phi(F)), not below 0.
  [[nodiscard]] double equilibrium_recruitment(double fishing_mortality) const;
  /// The sustained state at total effort E (F = q E).
  [[nodiscard]] SteadyState steady_state_at_effort(double total_effort, const sim::Economics& economics) const;
  /// Effort at which equilibrium recruitment falls to zero (the stock cannot replace itself);
  /// infinity when it does not fall to zero up to F = 50/year (fish spawn before they are caught).
  [[nodiscard]] double crash_effort() const;
  /// Maximum sustainable yield: the largest R_eq(F) YPR(F), found by golden-section search.
  [[nodiscard]] SteadyState maximum_sustainable_yield(const sim::Economics& economics) const;
  /// Maximum economic yield: the largest sustained rent p Y(E) - c E, by golden-section search.
  [[nodiscard]] SteadyState maximum_economic_yield(const sim::Economics& economics) const;
  /// Open access: the effort beyond the MEY where sustained rent is zero, by bisection.
  [[nodiscard]] SteadyState open_access(const sim::Economics& economics) const;
  /// Unfished spawning biomass S0 = R0 phi(0) [t].
  [[nodiscard]] double unfished_spawning_biomass() const { return unfished_spawning_biomass_; }
  /// Beverton-Holt recruits from spawning biomass S [thousand fish].
  [[nodiscard]] double recruitment(double spawning_biomass) const;
  /// Catch in weight the whole fleet takes with total effort E at today's numbers [t].
  [[nodiscard]] double catch_weight(double total_effort) const;

  [[nodiscard]] const Parameters& parameters() const { return parameters_; }

 private:
  /// Golden-section maximum of `value` over effort in [0, crash_effort()].
  template <typename Value>
  [[nodiscard]] double maximising_effort(const Value& value) const;

  Parameters parameters_;
  Eigen::ArrayXd weight_;
  Eigen::ArrayXd maturity_;
  Eigen::ArrayXd selectivity_;
  /// W_a m_a: spawning biomass per fish at age [kg].
  Eigen::ArrayXd spawning_weight_;
  double unfished_spawning_biomass_ = 0.0;
  Eigen::ArrayXd numbers_;
  /// exp(-Z_a) of the current step, set in harvest and used in grow.
  Eigen::ArrayXd survival_;
  double total_effort_ = 0.0;
  double previous_effort_ = 0.0;
  // What the step started with, for sample() (called after grow).
  double spawning_biomass_at_start_ = 0.0;
  double biomass_at_start_ = 0.0;
  double catch_numbers_ = 0.0;
  double recruits_ = 0.0;
};

}  // namespace commons::models
