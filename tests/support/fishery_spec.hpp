// SPDX-License-Identifier: Apache-2.0
#pragma once
// Scenario specs built in code for tests that exercise the engine and models without YAML.

#include <commons/sim/spec.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace commons::testing {

struct FisheryParameters {
  double growth_rate = 0.5;
  double carrying_capacity = 1000.0;
  double catchability = 0.01;
  double initial_stock = 1000.0;
  double observation_noise = 0.0;
  double price = 10.0;
  double cost_per_effort = 25.0;
  double discount_rate = 0.0;
};

inline sim::ComponentSpec fishery(const FisheryParameters& p) {
  return {"fishery_logistic",
          sim::Parameters({{"growth_rate", p.growth_rate},
                           {"carrying_capacity", p.carrying_capacity},
                           {"catchability", p.catchability},
                           {"initial_stock", p.initial_stock},
                           {"observation_noise", p.observation_noise}}),
          "/resource"};
}

inline sim::ComponentSpec fixed_effort(double effort) {
  return {"fixed", sim::Parameters({{"effort", effort}}), "/agents/0/behaviour"};
}

inline sim::ComponentSpec fleet(double initial_effort, double adjustment_rate, double max_effort = 1e9) {
  return {"fleet",
          sim::Parameters({{"initial_effort", initial_effort},
                           {"adjustment_rate", adjustment_rate},
                           {"max_effort", max_effort}}),
          "/agents/0/behaviour"};
}

/// A one-group fishery scenario.
inline sim::ScenarioSpec fishery_scenario(const FisheryParameters& p, sim::ComponentSpec behaviour,
                                          std::int64_t agents, std::int64_t steps,
                                          std::int64_t replicates = 1, std::uint64_t seed = 7) {
  sim::ScenarioSpec spec;
  spec.name = "test_fishery";
  spec.resource = fishery(p);
  spec.economics = {p.price, p.cost_per_effort, p.discount_rate};
  spec.groups.push_back({"boats", agents, {{1.0, std::move(behaviour)}}, p.cost_per_effort});
  spec.steps = steps;
  spec.replicates = replicates;
  spec.seed = seed;
  spec.resolved_text = "{}";
  spec.source = "test";
  return spec;
}

}  // namespace commons::testing
