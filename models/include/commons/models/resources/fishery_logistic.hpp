// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `fishery_logistic`: the discrete-time Schaefer surplus-production fishery with the
/// Gordon-Schaefer economics; docs/models.md#fishery_logistic.

#include <commons/models/resources/steady_state.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/spec.hpp>

namespace commons::models {

/// X[t+1] = X[t] + r X[t] (1 - X[t]/K) - H[t], agent i's catch q E_i X[t], all catches scaled
/// down in proportion when together they would exceed X[t]. Growth and catch both use the
/// stock at the start of the step, so the steady states are the textbook ones.
class FisheryLogistic final : public sim::Resource, public sim::ResourceEconomics {
 public:
  struct Parameters {
    /// r, intrinsic growth rate [1/step].
    double growth_rate = 0.5;
    /// K, carrying capacity [resource units].
    double carrying_capacity = 1.0;
    /// q, catchability: share of the stock one unit of effort takes [1/effort unit].
    double catchability = 0.01;
    /// X0, stock at the start of the first step [resource units].
    double initial_stock = 1.0;
    /// Standard deviation of the log of agents' observation error [1].
    double observation_noise = 0.0;
    /// Stock below this fraction of K counts as collapsed [1].
    double collapse_fraction = 0.1;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// A sustained state of the fishery: stock, effort, harvest and rent per step.
  using SteadyState = models::SteadyState;

  explicit FisheryLogistic(const Parameters& parameters);

  /// Its closed forms: optimum, optimal rent and reference points, below.
  [[nodiscard]] const sim::ResourceEconomics* economics() const override { return this; }
  [[nodiscard]] sim::Observation observe() const override;
  double harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) override;
  void grow() override;
  [[nodiscard]] double stock() const override { return stock_; }
  [[nodiscard]] double collapse_threshold() const override;
  [[nodiscard]] std::vector<sim::ScalarData> reference_points(const sim::Economics& economics) const override;
  [[nodiscard]] std::optional<double> optimal_rent(const sim::Economics& economics) const override;
  /// q x X at the current stock, cut in proportion when the total claim exceeds the stock.
  [[nodiscard]] double harvest_if(double own_effort, double others_effort) const override;
  /// harvest_if's expression over spans, vectorised.
  void harvest_if_each(std::span<const double> own_effort, std::span<const double> others_effort,
                       std::span<double> harvest) const override;
  /// The effort that maximises p harvest_if(x, Y) - c x on [0, cap]: 0 when an unrationed unit
  /// of effort loses money, otherwise the larger of the effort at which the claims reach the
  /// stock and the vertex sqrt(p X Y / c) - Y of the rationed payoff, capped. None without a
  /// positive price, cap, stock or cost, or where the payoff is flat.
  [[nodiscard]] std::optional<double> best_response_effort(double others_effort, double price, double own_cost,
                                                           double cap) const override;
  /// harvest_if inverted: h / (q X) below the stock, h Y / (X - h) where claims are rationed.
  [[nodiscard]] std::optional<double> largest_effort_within(double harvest_limit, double others_effort,
                                                            double most) const override;
  /// Total effort at the maximum economic yield (the steady-state social optimum).
  [[nodiscard]] std::optional<double> optimal_total_effort(const sim::Economics& economics) const override;
  /// Stock and harvest in tonnes ("t"), effort in boat-days ("day": the fishing time of one
  /// boat), as the model's parameters are documented (docs/models.md#fishery_logistic).
  [[nodiscard]] sim::UnitSystem units() const override { return {"t", "day", "money"}; }
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;

  /// Surplus production r X (1 - X/K) [resource units / step].
  [[nodiscard]] double surplus(double stock) const;
  /// The steady state sustained at `stock` (effort that holds it there, its yield and rent).
  [[nodiscard]] SteadyState steady_state_at_stock(double stock, const sim::Economics& economics) const;
  /// Maximum sustainable yield: X = K/2.
  [[nodiscard]] SteadyState maximum_sustainable_yield(const sim::Economics& economics) const;
  /// Maximum economic yield (static optimum): X = (K + c/(pq)) / 2, capped at K.
  [[nodiscard]] SteadyState maximum_economic_yield(const sim::Economics& economics) const;
  /// Open-access (bionomic, Gordon) equilibrium: X = c/(pq), capped at K; rent zero.
  [[nodiscard]] SteadyState open_access(const sim::Economics& economics) const;
  /// Clark's golden rule at the economics' discount rate (continuous-time closed form).
  [[nodiscard]] SteadyState golden_rule(const sim::Economics& economics) const;
  /// The stock a constant total effort E holds in the long run: K (1 - qE/r), never below 0.
  [[nodiscard]] double equilibrium_stock(double total_effort) const;

  [[nodiscard]] const Parameters& parameters() const { return parameters_; }

 private:
  Parameters parameters_;
  double stock_;
  double stock_at_step_start_;
  /// The stock the current step started with, from the start of the step until its growth;
  /// harvest_if prices choices at it.
  double stock_for_payoffs_;
  /// Surplus production summed over the ticks of the current step, and those ticks.
  double growth_in_step_ = 0.0;
  int ticks_in_step_ = 0;
};

}  // namespace commons::models
