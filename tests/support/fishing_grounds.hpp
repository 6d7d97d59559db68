// SPDX-License-Identifier: Apache-2.0
#pragma once
// A toy spatial fishery built only from the engine's interfaces, for testing and timing
// behaviours that choose sites: grounds whose catch per unit of effort is fixed (nothing
// depletes, so choice probabilities stay in closed form step after step), boats in home ports
// that pay a fixed price per trip from their port to each ground (sim::TripCosts), and
// optional observation noise.

#include <commons/sim/registry.hpp>
#include <commons/sim/resource.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace commons::testing {

class FishingGrounds final : public sim::Resource {
 public:
  struct Setup {
    /// Catch per unit of effort at each ground [resource units / effort unit].
    std::vector<double> catch_per_effort;
    /// ports x grounds: what a trip from each port to each ground costs [money]; empty for free
    /// trips. Agent k sails from port k mod ports.
    std::vector<double> trip_cost{};
    std::size_t ports = 1;
    double noise_sd = 0.0;
    std::optional<double> effort_limit{};
  };

  explicit FishingGrounds(Setup setup) : setup_(std::move(setup)), stock_(setup_.catch_per_effort.size(), 1.0) {
    if (!setup_.trip_cost.empty() && setup_.trip_cost.size() != setup_.ports * grounds())
      throw std::invalid_argument("a trip cost per port and ground");
  }

  [[nodiscard]] std::size_t grounds() const { return setup_.catch_per_effort.size(); }

  sim::Observation observe() const override {
    sim::Observation observation{stock(), 0.0, setup_.noise_sd, nullptr, 0};
    observation.site_stock = stock_;
    observation.site_harvest_per_effort = setup_.catch_per_effort;
    return observation;
  }
  double harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy&) override {
    double total = 0.0;
    for (std::size_t i = 0; i < actions.effort.size(); ++i) {
      harvest[i] = actions.effort[i] * setup_.catch_per_effort[actions.site[i]];
      total += harvest[i];
    }
    return total;
  }
  double harvest_if(double own, double) const override { return own * setup_.catch_per_effort.front(); }
  std::optional<double> effort_limit() const override { return setup_.effort_limit; }
  void grow() override {}
  double stock() const override { return static_cast<double>(grounds()); }
  double collapse_threshold() const override { return 0.0; }
  std::vector<sim::VariableInfo> variables() const override { return {{"stock", "resource_unit", "grounds"}}; }
  void sample(std::span<double> values) const override { values[0] = stock(); }
  sim::SiteLayout sites() const override { return sim::SiteLayout::graph(grounds(), {}); }
  std::optional<sim::TripCosts> trip_costs(std::size_t agents) const override {
    if (setup_.trip_cost.empty()) return std::nullopt;
    sim::TripCosts trips{grounds(), setup_.ports, std::vector<std::uint32_t>(agents), setup_.trip_cost};
    for (std::size_t k = 0; k < agents; ++k) trips.origin[k] = static_cast<std::uint32_t>(k % setup_.ports);
    return trips;
  }

 private:
  Setup setup_;
  std::vector<double> stock_;
};

/// The library's models and `fishing_grounds`, built from `setup` whatever the scenario says.
inline sim::Registry registry_with_grounds(const sim::Registry& models, FishingGrounds::Setup setup) {
  sim::Registry registry = models;
  registry.add_resource("fishing_grounds",
                        [setup](const sim::ComponentSpec&) { return std::make_unique<FishingGrounds>(setup); });
  return registry;
}

}  // namespace commons::testing
