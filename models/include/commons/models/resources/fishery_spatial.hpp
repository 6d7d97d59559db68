// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `fishery_spatial`: fishing grounds on a graph, each a Schaefer stock, fish diffusing between
/// neighbouring grounds, boats sailing from home ports; docs/models.md#fishery_spatial.

#include <commons/sim/resource.hpp>
#include <commons/sim/spec.hpp>

#include <Eigen/SparseCore>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace commons::models {

/// The grounds as a network: per ground its growth rate, carrying capacity and initial stock;
/// routes between grounds with their lengths. Made from the grid generator or from the grounds
/// and routes tables a scenario names.
struct FishingGrounds {
  struct Route {
    std::uint32_t from = 0;
    std::uint32_t to = 0;
    /// Sailing distance [distance unit].
    double length = 1.0;
  };
  std::vector<double> growth_rate;
  std::vector<double> carrying_capacity;
  std::vector<double> initial_stock;
  /// Each pair of grounds at most once, from < to.
  std::vector<Route> routes;

  [[nodiscard]] std::size_t count() const { return carrying_capacity.size(); }
};

/// A problem in the grounds or routes table, "FILE:LINE: column 'c': ..."; `key` is the
/// scenario key that named the file (`grounds` or `routes`).
class FishingGroundsError : public std::invalid_argument {
 public:
  FishingGroundsError(std::string key, const std::string& message)
      : std::invalid_argument(message), key_(std::move(key)) {}
  [[nodiscard]] const std::string& key() const noexcept { return key_; }

 private:
  std::string key_;
};

/// Per ground g: X_g <- X_g + r_g X_g (1 - X_g / K_g) - H_g, the harvest q E X_g of the boats
/// there rationed so that no ground gives more than it holds (as fishery_logistic for one
/// stock); then the fish diffuse, X <- M X with M = I - (m / W_max) L, L the Laplacian of the
/// route conductances 1/length and W_max the largest total conductance of a ground. A boat's
/// trip from its home port to ground g and back costs 2 d(port, g) x cost_per_distance, with d
/// the shortest sailing distance (Dijkstra, once, when the resource is built).
class FisherySpatial final : public sim::Resource {
 public:
  struct Parameters {
    /// The grid generator: rows x columns grounds, 4-neighbour routes of `edge_length`.
    std::size_t rows = 1;
    std::size_t columns = 1;
    double edge_length = 1.0;
    /// Or the network read from tables (columns id [, x, y, carrying_capacity, initial_stock,
    /// growth_rate]; from, to, length); when `grounds` is given the grid is not used.
    std::optional<sim::Table> grounds;
    std::optional<sim::Table> routes;
    /// r [1/tick], K [t], q [1/(day tick)] of every ground a grounds table does not override.
    double growth_rate = 0.5;
    double carrying_capacity = 1000.0;
    double catchability = 0.01;
    /// X0 of every ground a table does not override [t]; none: each ground's K.
    std::optional<double> initial_stock;
    /// m, the share of its stock the best-connected ground sends to its neighbours per tick [1].
    double migration = 0.0;
    /// Grounds where boats are based; boat k sails from ports[k mod P].
    std::vector<std::uint32_t> ports{0};
    /// What a boat pays per unit of distance sailed [money/distance unit].
    double cost_per_distance = 0.0;
    double observation_noise = 0.0;
    /// Stock below this fraction of the grounds' total K counts as collapsed [1].
    double collapse_fraction = 0.1;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// \throws FishingGroundsError for a bad grounds or routes table, std::invalid_argument for a
  /// port beyond the grounds or a ground no route reaches from a port.
  explicit FisherySpatial(const Parameters& parameters);

  [[nodiscard]] sim::Observation observe() const override;
  /// Each boat fishes q E X at its ground; claims at a ground are rationed in proportion when
  /// together they exceed its stock, settled in agent order.
  double harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) override;
  /// q own X-bar at the mean ground stock the step started with, as if effort were spread
  /// evenly over the grounds, rationed when the total claim exceeds the whole stock.
  [[nodiscard]] double harvest_if(double own_effort, double others_effort) const override;
  /// Logistic growth of every ground, then one migration step X <- M X.
  void grow() override;
  [[nodiscard]] double stock() const override;
  [[nodiscard]] double collapse_threshold() const override;
  [[nodiscard]] sim::UnitSystem units() const override { return {"t", "day", "money"}; }
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] sim::SiteLayout sites() const override { return layout_; }
  /// Boats start at their home port.
  [[nodiscard]] std::vector<std::uint32_t> starting_sites(std::size_t agents) const override;
  [[nodiscard]] std::optional<sim::TripCosts> trip_costs(std::size_t agents) const override;
  [[nodiscard]] std::vector<sim::VariableInfo> site_variables() const override;
  void sample_sites(std::span<double> values) const override;

  /// Stock of each ground now [t].
  [[nodiscard]] const std::vector<double>& stocks() const { return stock_; }
  /// Sets every ground's stock (tests, and states a scenario cannot reach).
  void set_stocks(std::span<const double> stocks);
  /// M, column-stochastic: column g says where the fish of ground g are after one migration step.
  [[nodiscard]] const Eigen::SparseMatrix<double>& migration_matrix() const { return migration_; }
  /// Shortest sailing distance from port p (index into Parameters::ports) to each ground.
  [[nodiscard]] std::span<const double> distances_from_port(std::size_t port) const;
  [[nodiscard]] const FishingGrounds& grounds() const { return grounds_; }
  [[nodiscard]] const Parameters& parameters() const { return parameters_; }

 private:
  Parameters parameters_;
  FishingGrounds grounds_;
  sim::SiteLayout layout_;
  Eigen::SparseMatrix<double> migration_;
  /// distance_[p * grounds + g]: shortest route from port p to ground g [distance unit].
  std::vector<double> distance_;
  std::vector<double> stock_;
  /// Stocks at the start of the step, what the step's harvest and first growth tick start from.
  std::vector<double> start_;
  std::vector<double> per_effort_;
  std::vector<double> demand_;
  std::vector<double> caught_at_;
  /// Scratch for X <- M X.
  Eigen::VectorXd moved_;
  double stock_at_start_ = 0.0;
  double stock_for_payoffs_ = 0.0;
  double caught_ = 0.0;
  double growth_in_step_ = 0.0;
  double migrated_in_step_ = 0.0;
  int ticks_in_step_ = 0;
};

/// The grid generator's network: rows x columns grounds with r, K and X0 from `parameters`,
/// a route of `edge_length` between grounds that share a side.
[[nodiscard]] FishingGrounds grid_grounds(const FisherySpatial::Parameters& parameters);
/// The network of a grounds table (ids 0..N-1, each once) and an optional routes table, r, K
/// and X0 defaulting to `parameters`. \throws FishingGroundsError naming file, line and column.
[[nodiscard]] FishingGrounds table_grounds(const FisherySpatial::Parameters& parameters);

}  // namespace commons::models
