// SPDX-License-Identifier: Apache-2.0
#pragma once
// Specs of the Walker-Gardner-Ostrom CPR game built in code, for tests without YAML.
// Defaults are the laboratory design: F(X) = 23X - 0.25X^2 cents, w = 5 cents, 8 players.

#include <commons/sim/spec.hpp>

#include <cstdint>
#include <string>
#include <utility>

namespace commons::testing {

struct CprParameters {
  double production_linear = 23.0;
  double production_quadratic = 0.25;
  double endowment = 10.0;
  /// Value of one unit of group output [money / resource unit]: 1 = one cent.
  double price = 1.0;
  /// w, the outside market's return per token [money / token].
  double cost_per_effort = 5.0;
};

inline sim::ComponentSpec cpr(const CprParameters& p) {
  return {"cpr_quadratic",
          sim::Parameters({{"production_linear", p.production_linear},
                           {"production_quadratic", p.production_quadratic},
                           {"endowment", p.endowment}}),
          "/resource"};
}

inline sim::Economics cpr_economics(const CprParameters& p) { return {p.price, p.cost_per_effort, 0.0}; }

/// One group of `players` following `behaviour` for `rounds` rounds.
inline sim::ScenarioSpec cpr_scenario(const CprParameters& p, sim::ComponentSpec behaviour, std::int64_t players = 8,
                                      std::int64_t rounds = 20, std::uint64_t seed = 7) {
  sim::ScenarioSpec spec;
  spec.name = "test_cpr";
  spec.resource = cpr(p);
  spec.economics = cpr_economics(p);
  spec.groups.push_back({"players", players, {{1.0, std::move(behaviour)}}, p.cost_per_effort});
  spec.steps = rounds;
  spec.replicates = 1;
  spec.seed = seed;
  spec.resolved_text = "{}";
  spec.source = "test";
  return spec;
}

}  // namespace commons::testing
