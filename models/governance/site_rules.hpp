// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the spatial rules (no_take_area, territorial_use_rights) share: the checks against the
// resource's sites, and the patrol that detects work where the rule forbids it.

#include <commons/sim/parallel.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/rule.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace commons::models::detail::sites {

/// The number of the resource's sites; throws sim::SpecError naming `rule` when it has none.
[[nodiscard]] std::size_t require_sites(std::string_view rule, const sim::Resource& resource);

/// Throws sim::SpecError naming `rule` and `key` unless every site of `sites` is below `count`.
void check_within(std::string_view rule, std::string_view key, std::span<const std::uint32_t> sites,
                  std::size_t count);

/// Independent chances of detection combine: 1 - (1 - a)(1 - b).
[[nodiscard]] inline double either(double a, double b) { return 1.0 - (1.0 - a) * (1.0 - b); }

/// Bits of what a patrol found of an agent in a step.
inline constexpr std::uint8_t intruded = 1;
inline constexpr std::uint8_t caught = 2;

/// Monitor phase: every agent whose effort the engine counted as excess (excess_effort > 0) at
/// a site where `forbidden(row, site)` says this rule kept it out has intruded; it is caught
/// iff uniform(step, id, monitor, `draw`) < `probability`, and a caught agent's breach is
/// detected once, whoever else found it (detected <- max(detected, 1)). Writes the bits per
/// agent row to `found`, so the same on every thread count.
template <class Forbidden>
void patrol(sim::RuleContext& context, double probability, std::uint64_t draw, Forbidden&& forbidden,
            std::vector<std::uint8_t>& found) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  ledger.will_write({sim::GovernanceLedger::Column::detected});
  found.assign(agents.size(), 0);
  const auto step = static_cast<std::uint64_t>(context.step.step);
  sim::for_each_block(agents.size(), context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      if (!(ledger.excess_effort[i] > 0.0) || !forbidden(i, agents.site[i])) continue;
      found[i] = intruded;
      if (!(context.step.random.uniform(step, agents.id[i], sim::Purpose::monitor, draw) < probability)) continue;
      found[i] |= caught;
      ledger.detected[i] = std::max(ledger.detected[i], 1.0);
    }
  });
}

/// The agents of `found` with all the bits of `kind`, summed in block order.
[[nodiscard]] double count(std::span<const std::uint8_t> found, std::uint8_t kind, const sim::ExecutionPolicy& policy);

}  // namespace commons::models::detail::sites
