// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `forest_stand`: a timber forest for community forestry, standing volume on a grid of cells
/// with Chapman-Richards (or logistic) growth, recolonisation of cleared cells from stocked
/// neighbours, and loggers allowed to cut only cells above a minimum size;
/// docs/models.md#forest_stand.

#include <commons/models/resources/steady_state.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/spec.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace commons::models {

/// Each cell c of a rows x columns grid is either stocked with trees of standing volume V_c
/// [m3] or cleared. A stocked cell grows each tick along the Chapman-Richards yield curve
/// V(t) = A (1 - e^{-k t})^p, in its state form: with u = (V/A)^{1/p},
/// V' = A (1 - (1 - u) e^{-k})^p, so an uncut cell follows the curve exactly; or, with
/// growth_model logistic, V' = V + k V (1 - V/A). A logger's effort asks for q timber a step at
/// its site; only a cell holding at least the minimum cutting volume M at the start of the step
/// may be cut (the community's or the state's rule, fixed for the run), and when the claims at a
/// cell exceed its volume every logger there gets the same share of it. A cell cut bare is
/// cleared; each tick a cleared cell is recolonised with probability
/// r_c x (stocked Moore neighbours) / (Moore neighbours in the grid) and restarts from a
/// seedling volume.
class ForestStand final : public sim::Resource, public sim::ResourceEconomics {
 public:
  enum class GrowthModel { chapman_richards, logistic };

  struct Parameters {
    /// Rows and columns of the grid of cells [cell].
    std::size_t rows = 10;
    std::size_t columns = 10;
    GrowthModel growth_model = GrowthModel::chapman_richards;
    /// A, the asymptotic standing volume of a cell [m3].
    double asymptotic_volume = 400.0;
    /// k, the growth rate [1/tick].
    double growth_rate = 0.03;
    /// p, the Chapman-Richards shape exponent (> 1: a sigmoid yield curve) [1].
    double shape_exponent = 3.0;
    /// V_0, standing volume of every cell at the start [m3].
    double initial_volume = 400.0;
    /// M, the least volume a cell must hold at the start of a step to be cut [m3].
    double minimum_cut_volume = 0.0;
    /// q, timber one unit of logging effort asks for in a step [m3/(logger step)].
    double cut_per_effort = 10.0;
    /// r_c, the recolonisation probability of a cleared cell surrounded by stocked cells [1/tick].
    double recolonisation_rate = 0.1;
    /// Standing volume a recolonised cell starts from [m3].
    double seedling_volume = 0.0;
    /// Volume below this fraction of the grid's asymptotic volume counts as collapsed [1].
    double collapse_fraction = 0.1;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit ForestStand(const Parameters& parameters);

  [[nodiscard]] const sim::ResourceEconomics* economics() const override { return this; }
  [[nodiscard]] sim::Observation observe() const override;
  /// Each logger claims effort x q at its site; claims at a cell below M get nothing, and
  /// claims exceeding a cell's volume are cut in the same proportion, settled in agent order.
  double harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) override;
  /// own x q, rationed as if all the timber that may be cut were one cell shared with the
  /// others' effort, at the state the step started in.
  [[nodiscard]] double harvest_if(double own_effort, double others_effort) const override;
  /// Stochastic draws for recolonisation, addressed by tick and cell.
  void set_random(const sim::RandomStream& random) override;
  /// One tick: cleared cells are recolonised from the grid as the tick found it, then every
  /// cell stocked before the tick grows.
  void grow() override;
  /// Standing volume on the whole grid [m3].
  [[nodiscard]] double stock() const override;
  [[nodiscard]] double collapse_threshold() const override;
  [[nodiscard]] std::optional<double> optimal_total_effort(const sim::Economics& economics) const override;
  [[nodiscard]] std::optional<double> optimal_rent(const sim::Economics& economics) const override;
  /// msy_* and mey_* for the whole grid, each cell cut every step at its maximum sustained yield.
  [[nodiscard]] std::vector<sim::ScalarData> reference_points(const sim::Economics& economics) const override;
  /// Timber in cubic metres, effort in loggers.
  [[nodiscard]] sim::UnitSystem units() const override { return {"m3", "logger", "money"}; }
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] sim::SiteLayout sites() const override;
  [[nodiscard]] std::vector<sim::VariableInfo> site_variables() const override;
  void sample_sites(std::span<double> values) const override;

  /// Volume a stocked cell holding `volume` holds one tick later [m3].
  [[nodiscard]] double grown(double volume) const;
  /// Chapman-Richards yield curve: volume of a cell of age `ticks` grown from bare ground,
  /// A (1 - e^{-k t})^p [m3].
  [[nodiscard]] double yield_curve(double ticks) const;
  /// Volume left standing after the cut at the maximum sustained yield of one cell cut every
  /// step (one tick a step): the residual maximising grown(R) - R, raised where needed so that
  /// the cell regrows to at least M by the next step's cut [m3].
  [[nodiscard]] double msy_residual() const;
  /// One cell cut every step forever at its maximum sustained yield: stock at the start of the
  /// step, loggers, timber cut and rent.
  [[nodiscard]] SteadyState maximum_sustainable_yield(const sim::Economics& economics) const;

  /// Volume of each cell now, and at the start of the last harvest [m3].
  [[nodiscard]] const std::vector<double>& volume() const { return volume_; }
  [[nodiscard]] const std::vector<double>& volume_at_harvest() const { return start_; }
  /// 1 where a cell is stocked with trees, 0 where it is cleared.
  [[nodiscard]] const std::vector<double>& stocked() const { return stocked_; }
  /// Volume grown (seedlings included) in the ticks since the last harvest [m3].
  [[nodiscard]] double growth_since_harvest() const { return grown_; }
  [[nodiscard]] const Parameters& parameters() const { return parameters_; }
  /// Sets the volume of every cell; a cell of volume 0 is cleared, any other stocked.
  void set_volume(const std::vector<double>& volume);

 private:
  [[nodiscard]] double cells() const { return static_cast<double>(volume_.size()); }
  /// Timber that may be cut now: volume summed over cells holding at least M [m3].
  [[nodiscard]] double cuttable_volume() const;
  /// Whether a cell holding `volume` may be cut under the rule: it holds timber, and at least M.
  [[nodiscard]] bool cuttable(double volume) const;
  /// Cleared cells on the grid now.
  [[nodiscard]] std::size_t cleared_now() const;

  Parameters parameters_;
  std::vector<double> volume_;
  std::vector<double> start_;
  /// 1 where a cell is stocked, 0 where it is cleared: numbers, so that the Moore count of the
  /// foraging grid (moore_neighbourhood.hpp) counts stocked neighbours as it counts tokens.
  std::vector<double> stocked_;
  /// The stocked flags as the tick found them, which recolonisation judges from.
  std::vector<double> stocked_before_;
  /// Timber asked for and cut at each cell in the last harvest, summed in agent order [m3].
  std::vector<double> demand_;
  std::vector<double> cut_at_;
  /// What one unit of effort would get at each cell at the start of the step [m3/logger].
  std::vector<double> per_effort_;
  std::optional<sim::RandomStream> random_;
  std::uint64_t ticks_ = 0;
  /// Standing volume at the start of the last harvest, and timber that may be cut at the start
  /// of the current step (what harvest_if prices choices at) [m3].
  double volume_at_start_ = 0.0;
  double cuttable_for_payoffs_ = 0.0;
  /// Standing volume now, at the start of the coming step [m3].
  double volume_at_start_now_ = 0.0;
  /// e^{-k}, the Chapman-Richards step of 1 - u over one tick [1].
  double decay_ = 1.0;
  /// Total effort of the last harvest [loggers].
  double efforts_ = 0.0;
  double cut_ = 0.0;
  double grown_ = 0.0;
  double cuttable_cells_ = 0.0;
  double cleared_ = 0.0;
  double recolonised_ = 0.0;
  /// The execution policy of the last harvest, which grow and stock use too.
  sim::ExecutionPolicy policy_{};
};

}  // namespace commons::models
