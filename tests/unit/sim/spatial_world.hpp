// SPDX-License-Identifier: Apache-2.0
#pragma once
// A spatial world built only from the engine's interfaces, for testing the spatial seam: pools
// on the sites of a grid or a ring, each refilled by a fixed inflow, and agents that move to the
// richest site they can see next to them.

#include <commons/sim/registry.hpp>

#include <algorithm>
#include <vector>

namespace commons::sim::toy {

/// One pool per site, refilled by `inflow` each step; an agent's harvest is its effort at its
/// site, rationed in proportion among the agents of a site when they ask for more than it holds.
class Patches final : public Resource {
 public:
  /// With `trip_cost` > 0, agent k sails from site k mod 2 and a trip to site s costs
  /// trip_cost x |s - origin|.
  Patches(SiteLayout layout, double inflow, double trip_cost = 0.0)
      : layout_(std::move(layout)), inflow_(inflow), trip_cost_(trip_cost), stock_(layout_.count, inflow),
        start_(layout_.count, inflow), per_effort_(layout_.count, 1.0), claimed_(layout_.count) {}

  Observation observe() const override {
    Observation observation{stock(), 1.0, 0.0, nullptr, 0};
    observation.site_stock = stock_;
    observation.site_harvest_per_effort = per_effort_;
    return observation;
  }
  double harvest(const Actions& actions, std::span<double> harvest, const ExecutionPolicy&) override {
    start_ = stock_;
    std::fill(claimed_.begin(), claimed_.end(), 0.0);
    for (std::size_t i = 0; i < actions.effort.size(); ++i) claimed_[actions.site[i]] += actions.effort[i];
    double total = 0.0;
    for (std::size_t i = 0; i < actions.effort.size(); ++i) {
      const std::uint32_t site = actions.site[i];
      const double scale = claimed_[site] > start_[site] ? start_[site] / claimed_[site] : 1.0;
      harvest[i] = actions.effort[i] * scale;
      total += harvest[i];
    }
    for (std::size_t s = 0; s < stock_.size(); ++s) stock_[s] = std::max(0.0, start_[s] - std::min(claimed_[s], start_[s]));
    return total;
  }
  double harvest_if(double own, double) const override { return own; }
  void grow() override {
    for (double& s : stock_) s += inflow_;
  }
  double stock() const override {
    double total = 0.0;
    for (const double s : stock_) total += s;
    return total;
  }
  double collapse_threshold() const override { return 0.0; }
  std::vector<VariableInfo> variables() const override { return {{"stock", "resource_unit", "total stock"}}; }
  void sample(std::span<double> values) const override { values[0] = stock(); }
  SiteLayout sites() const override { return layout_; }
  std::optional<TripCosts> trip_costs(std::size_t agents) const override {
    if (trip_cost_ == 0.0) return std::nullopt;
    TripCosts trips{layout_.count, 2, std::vector<std::uint32_t>(agents), std::vector<double>(2 * layout_.count)};
    for (std::size_t k = 0; k < agents; ++k) trips.origin[k] = static_cast<std::uint32_t>(k % 2);
    for (std::size_t o = 0; o < 2; ++o)
      for (std::size_t s = 0; s < layout_.count; ++s)
        trips.cost[o * layout_.count + s] = trip_cost_ * static_cast<double>(s > o ? s - o : o - s);
    return trips;
  }
  std::vector<VariableInfo> site_variables() const override {
    return {{"stock", "resource_unit", "stock at the site after the step"}};
  }
  void sample_sites(std::span<double> values) const override { std::copy(stock_.begin(), stock_.end(), values.begin()); }

  /// The stock of each site at the start of the last harvest.
  [[nodiscard]] const std::vector<double>& stock_at_harvest() const { return start_; }
  [[nodiscard]] const std::vector<double>& site_stock() const { return stock_; }

 private:
  SiteLayout layout_;
  double inflow_;
  double trip_cost_;
  std::vector<double> stock_;
  std::vector<double> start_;
  std::vector<double> per_effort_;
  std::vector<double> claimed_;
};

/// Each agent applies `effort` and moves to the neighbouring site (or stays) where it sees the
/// most stock, ties to the lower site index.
class Roaming final : public Behaviour {
 public:
  Roaming(double effort, SiteLayout layout) : effort_(effort), layout_(std::move(layout)) {}
  void decide(const StepContext& context, AgentSpan agents) override {
    const Observation& seen = context.observation;
    const std::span<std::uint32_t> site = agents.site();
    const std::span<double> effort = agents.effort();
    for (std::size_t k = 0; k < agents.size(); ++k) {
      std::uint32_t best = site[k];
      for (const std::uint32_t next : layout_.neighbours_of(site[k]))
        if (seen.site_stock[next] > seen.site_stock[best] ||
            (seen.site_stock[next] == seen.site_stock[best] && next < best))
          best = next;
      site[k] = best;
      effort[k] = effort_;
    }
  }
  void learn(const StepContext&, AgentSpan) override {}

 private:
  double effort_;
  SiteLayout layout_;
};

/// A ring of `count` sites: site s neighbours s - 1 and s + 1 (mod count).
inline SiteLayout ring(std::uint32_t count) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  for (std::uint32_t s = 0; s < count; ++s) edges.emplace_back(s, (s + 1) % count);
  return SiteLayout::graph(count, edges);
}

/// `patches` on a grid (rows x columns) or, with rows 0, a ring of `columns` sites.
inline Registry spatial_registry() {
  Registry r;
  const auto layout_of = [](const Parameters& parameters) {
    const auto rows = static_cast<std::size_t>(parameters.number("rows"));
    const auto columns = static_cast<std::size_t>(parameters.number("columns"));
    return rows > 0 ? SiteLayout::grid(rows, columns) : ring(static_cast<std::uint32_t>(columns));
  };
  r.add_resource("patches", [layout_of](const ComponentSpec& spec) {
    const double trip_cost = spec.parameters.contains("trip_cost") ? spec.parameters.number("trip_cost") : 0.0;
    return std::make_unique<Patches>(layout_of(spec.parameters), spec.parameters.number("inflow"), trip_cost);
  });
  r.add_behaviour("roaming", [](const ComponentSpec& spec, const GroupContext& group) {
    return std::make_unique<Roaming>(spec.parameters.number("effort"), group.resource.sites());
  });
  r.add_regime("open_access", {});
  return r;
}

inline ScenarioSpec spatial_scenario(double rows, double columns, std::int64_t agents, std::int64_t steps) {
  ScenarioSpec spec;
  spec.name = "patches";
  spec.resource = {"patches", Parameters({{"rows", rows}, {"columns", columns}, {"inflow", 3.0}}), "/resource"};
  spec.economics = {1.0, 0.1, 0.0};
  spec.groups.push_back({"roamers", agents, {{1.0, {"roaming", Parameters({{"effort", 2.0}}), ""}}}, 0.1});
  spec.steps = steps;
  spec.replicates = 1;
  spec.seed = 5;
  return spec;
}

}  // namespace commons::sim::toy
