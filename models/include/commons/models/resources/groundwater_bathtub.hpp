// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `groundwater_bathtub`: a single-cell aquifer with recharge, return flow and a pumping cost
/// rising with the depth to water (Gisser and Sanchez 1980); docs/models.md#groundwater_bathtub.

#include <commons/models/resources/steady_state.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/spec.hpp>

namespace commons::models {

/// Water table H above the aquifer's bottom (H = 0), below the surface at H = SL. Storage
/// V = A S H; each step V gains the recharge R and the return flow alpha W and loses the water
/// W pumped, so A S dH = R + (alpha - 1) W. Effort is pumping energy: lifting a unit of water
/// from depth SL - H takes c(H) = c0 + c1 (SL - H) units of effort, so an agent's effort E_i
/// pumps E_i / c(H) of water, all claims cut in proportion when together they exceed the
/// storage. With economics.cost_per_effort the price of energy and economics.price the value of
/// water, the engine's rent is Gisser and Sanchez's net benefit p W - cost(H) W.
class GroundwaterBathtub final : public sim::Resource, public sim::ResourceEconomics {
 public:
  struct Parameters {
    /// A, area of the aquifer [km^2].
    double area = 1000.0;
    /// S, storativity (specific yield): water released per unit volume of aquifer per metre of
    /// head [1].
    double storativity = 0.1;
    /// R, natural recharge per step [hm^3 / step].
    double recharge = 50.0;
    /// alpha, share of the water pumped that returns to the aquifer [1].
    double return_flow = 0.25;
    /// SL, height of the land surface above the aquifer's bottom [m].
    double surface_level = 100.0;
    /// H0, water table at the start [m above the bottom].
    double initial_water_table = 100.0;
    /// c0, effort to pump a unit of water whatever the depth [effort unit / hm^3].
    double pumping_cost_fixed = 100.0;
    /// c1, effort to lift a unit of water one metre more [effort unit / (hm^3 m)].
    double pumping_cost_per_depth = 14.0;
    /// Standard deviation of the log of agents' observation error [1].
    double observation_noise = 0.0;
    /// Storage below this fraction of the full aquifer's counts as collapsed [1].
    double collapse_fraction = 0.1;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// A steady state of the aquifer: water table, pumping, the effort it takes and its rent.
  struct AquiferState {
    /// Water table [m above the bottom].
    double water_table = 0.0;
    /// Water in storage A S H [hm^3].
    double storage = 0.0;
    /// Water pumped per step [hm^3].
    double pumping = 0.0;
    /// Energy spent pumping it [effort units].
    double effort = 0.0;
    /// (p - w c(H)) W [money / step].
    double rent = 0.0;
  };

  explicit GroundwaterBathtub(const Parameters& parameters);

  /// Closed-form steady states, competitive and optimal.
  [[nodiscard]] const sim::ResourceEconomics* economics() const override { return this; }
  /// Storage, and the water a unit of energy lifts at today's depth, 1 / c(H).
  [[nodiscard]] sim::Observation observe() const override;
  /// E_i / c(H) each, cut in proportion when the total exceeds the storage.
  double harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) override;
  /// own / c(H) at the step's starting water table, cut as harvest cuts it.
  [[nodiscard]] double harvest_if(double own_effort, double others_effort) const override;
  /// Recharge and return flow enter; what would lift the table above the surface runs off.
  void grow() override;
  /// Water in storage A S H [hm^3].
  [[nodiscard]] double stock() const override { return storage_; }
  /// collapse_fraction x A S SL [hm^3].
  [[nodiscard]] double collapse_threshold() const override;
  /// Energy at the optimal steady state.
  [[nodiscard]] std::optional<double> optimal_total_effort(const sim::Economics& economics) const override;
  /// Rent per step at the optimal steady state.
  [[nodiscard]] std::optional<double> optimal_rent(const sim::Economics& economics) const override;
  /// msy (the safe yield), competitive and optimal steady states.
  [[nodiscard]] std::vector<sim::ScalarData> reference_points(const sim::Economics& economics) const override;
  /// Water in cubic hectometres (10^6 m^3), effort as energy in gigajoules.
  [[nodiscard]] sim::UnitSystem units() const override { return {"hm3", "GJ", "money"}; }
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;

  /// A S: storage per metre of head [hm^3 / m].
  [[nodiscard]] double storage_per_metre() const;
  /// Water table of a storage, V / (A S) [m].
  [[nodiscard]] double water_table() const { return storage_ / storage_per_metre(); }
  /// c(H) = c0 + c1 (SL - H): effort to pump a unit of water at water table H [effort unit / hm^3].
  [[nodiscard]] double pumping_cost(double water_table) const;
  /// Safe yield R / (1 - alpha): the only pumping that holds any water table (the most the
  /// aquifer sustains) [hm^3 / step].
  [[nodiscard]] double safe_yield() const;
  /// The water table a constant total effort E holds: where (1 - alpha) E / c(H) = R,
  /// H = SL - ((1 - alpha) E / R - c0) / c1, within [0, SL].
  [[nodiscard]] double steady_water_table(double total_effort) const;
  /// The steady state at water table H with the safe yield pumped.
  [[nodiscard]] AquiferState steady_state_at(double water_table, const sim::Economics& economics) const;
  /// Myopic open access: pumping until its marginal cost w c(H) equals the price p.
  [[nodiscard]] AquiferState competitive(const sim::Economics& economics) const;
  /// The present-value optimum at discount rate r: p - w c(H) = w c1 R / (r A S), so the
  /// optimal table stands R / (r A S) above the competitive one (the surface if r = 0).
  [[nodiscard]] AquiferState optimal(const sim::Economics& economics) const;

  [[nodiscard]] const Parameters& parameters() const { return parameters_; }

 private:
  Parameters parameters_;
  /// Water in storage above the bottom [hm^3].
  double storage_;
  /// Storage when the current step started; harvest_if prices choices at it.
  double storage_at_step_start_;
  /// Storage when the step just recorded started; sample() reports it.
  double storage_for_sample_;
  double pumped_ = 0.0;
  double returned_ = 0.0;
  double runoff_ = 0.0;
};

}  // namespace commons::models
