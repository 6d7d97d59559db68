// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `pasture`: Hardin's commons, grass on a grid of cells grazed by herders' animals;
/// docs/models.md#pasture.

#include <commons/sim/resource.hpp>
#include <commons/sim/spec.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace commons::models {

/// Each cell c holds grass G_c [kg] that regrows logistically toward the cap K from what the
/// animals leave. A herder's effort is its herd, grazing at its site: every animal asks for a
/// ration R a step, and when the animals of a cell ask for more than the cell holds, every
/// animal there gets the same share. Harvest is the grass eaten; at price p per kg and cost c per
/// animal, a fed animal earns p R - c and an unfed one loses its upkeep c. Overgrazing, leaving
/// less than theta K standing, degrades a cell: its degradation D_c rises by delta per
/// overgrazed step and falls by rho per step otherwise, and it regrows at r (1 - D_c).
class Pasture final : public sim::Resource, public sim::ResourceEconomics {
 public:
  struct Parameters {
    /// Rows and columns of the grid of cells [1].
    std::size_t rows = 1;
    std::size_t columns = 1;
    /// r, intrinsic regrowth rate of an undegraded cell [1/step].
    double growth_rate = 0.5;
    /// K, the most grass a cell holds [kg].
    double carrying_capacity = 1000.0;
    /// G_0, grass in every cell at the start [kg].
    double initial_biomass = 1000.0;
    /// R, grass one animal eats in a step when it can [kg/(head step)].
    double ration = 10.0;
    /// theta, share of K below which what is left standing after grazing counts as overgrazed [1].
    double overgrazing_threshold = 0.25;
    /// delta, degradation added by a step of overgrazing [1/step].
    double degradation_rate = 0.1;
    /// rho, degradation removed by a step without overgrazing [1/step].
    double recovery_rate = 0.02;
    /// Grass below this fraction of the grid's total cap counts as collapsed [1].
    double collapse_fraction = 0.1;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// A sustained state of one cell: grass at the start of the step, herd, grass eaten, rent.
  struct SteadyState {
    double biomass = 0.0;
    double herd = 0.0;
    double eaten = 0.0;
    double rent = 0.0;
  };

  explicit Pasture(const Parameters& parameters);

  [[nodiscard]] const sim::ResourceEconomics* economics() const override { return this; }
  [[nodiscard]] sim::Observation observe() const override;
  /// Each agent's animals eat at its site: effort x R, all claims at a cell cut in the same
  /// proportion when together they exceed its grass. Claims are settled in agent order.
  double harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) override;
  /// own x R, rationed as if all the grid's grass were one cell shared with others' animals,
  /// at the grass the step started with.
  [[nodiscard]] double harvest_if(double own_effort, double others_effort) const override;
  /// Degradation follows what is left standing; then each cell regrows from it.
  void grow() override;
  /// Grass on the whole grid [kg].
  [[nodiscard]] double stock() const override;
  [[nodiscard]] double collapse_threshold() const override;
  /// The herd at the maximum sustainable yield, where the rent is highest when p R > c.
  [[nodiscard]] std::optional<double> optimal_total_effort(const sim::Economics& economics) const override;
  [[nodiscard]] std::optional<double> optimal_rent(const sim::Economics& economics) const override;
  /// msy_* and mey_* for the whole grid.
  [[nodiscard]] std::vector<sim::ScalarData> reference_points(const sim::Economics& economics) const override;
  /// Grass in kilograms, animals counted ("1").
  [[nodiscard]] sim::UnitSystem units() const override { return {"kg", "1", "money"}; }
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] sim::SiteLayout sites() const override;
  [[nodiscard]] std::vector<sim::VariableInfo> site_variables() const override;
  void sample_sites(std::span<double> values) const override;

  /// Logistic regrowth of grass `left` standing at degradation `degradation`:
  /// r (1 - D) G (1 - G/K) [kg/step].
  [[nodiscard]] double regrowth(double left, double degradation) const;
  /// Grass left standing at the maximum sustainable yield: K/2, or theta K when grazing to K/2
  /// would degrade the cell [kg].
  [[nodiscard]] double msy_residual() const;
  /// One cell grazed forever at the maximum sustainable yield.
  [[nodiscard]] SteadyState maximum_sustainable_yield(const sim::Economics& economics) const;
  /// The most animals a cell can feed forever: r G*(1 - G*/K) / R at G* = msy_residual() [head].
  [[nodiscard]] double sustainable_herd_per_cell() const;
  /// Grass left standing when a cell feeds `herd` animals forever, the upper (stable) root of
  /// r G (1 - G/K) = herd R; none when the herd exceeds sustainable_herd_per_cell() [kg].
  [[nodiscard]] std::optional<double> steady_residual(double herd) const;

  /// Grass of each cell now, and at the start of the last harvest [kg].
  [[nodiscard]] const std::vector<double>& biomass() const { return biomass_; }
  [[nodiscard]] const std::vector<double>& biomass_at_harvest() const { return start_; }
  [[nodiscard]] const std::vector<double>& degradation() const { return degradation_; }
  [[nodiscard]] const Parameters& parameters() const { return parameters_; }

 private:
  [[nodiscard]] double cells() const { return static_cast<double>(biomass_.size()); }

  Parameters parameters_;
  std::vector<double> biomass_;
  std::vector<double> start_;
  std::vector<double> degradation_;
  /// Grass asked for at each cell in the last harvest [kg].
  std::vector<double> demand_;
  /// Grass eaten at each cell in the last harvest, summed in agent order [kg].
  std::vector<double> eaten_at_;
  /// What one animal would eat at each cell at the start of the step, at last step's demand.
  std::vector<double> per_animal_;
  /// Grass on the grid at the start of the last harvest, and at the start of the current step
  /// (what harvest_if prices choices at, in decide and learn alike) [kg].
  double total_at_start_ = 0.0;
  double total_for_payoffs_ = 0.0;
  double eaten_ = 0.0;
  double animals_ = 0.0;
  double regrown_ = 0.0;
  /// The execution policy of the last harvest, which grow and stock use too (the engine gives
  /// them none).
  sim::ExecutionPolicy policy_{};
};

}  // namespace commons::models
