// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Behaviour parameters that may differ between agents: a number given in the scenario
/// applies to every agent; a distribution is drawn once per agent from the run's stream at
/// (step 0, agent id, initialise, draw = a hash of the parameter name), so an agent's value
/// depends on the seed, the run and its id only. docs/behaviour.md#heterogeneous-agents

#include <commons/sim/agent_table.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/spec.hpp>

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

namespace commons::sim {

/// One draw from `distribution` using the stream at (step 0, agent, initialise, `draw`...).
/// Beta draws use several consecutive counters starting at `draw`.
[[nodiscard]] double draw(const Distribution& distribution, const RandomStream& random, std::uint64_t agent,
                          std::uint64_t draw_index);

/// FNV-1a of the parameter name: the draw index that keeps parameters' streams apart.
[[nodiscard]] std::uint64_t parameter_draw_index(std::string_view name);

/// The value of parameter `name` for each agent of `ids`: the number, or a draw from the
/// distribution clamped to [low, high], or `fallback` when the parameter is absent.
[[nodiscard]] std::vector<double> per_agent(const Parameters& parameters, std::string_view name,
                                            std::span<const std::uint64_t> ids, const RandomStream& random,
                                            double fallback, double low = -std::numeric_limits<double>::infinity(),
                                            double high = std::numeric_limits<double>::infinity());

}  // namespace commons::sim
