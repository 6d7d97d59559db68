// SPDX-License-Identifier: Apache-2.0
#include "site_rules.hpp"

#include <commons/sim/spec.hpp>

#include <string>

namespace commons::models::detail::sites {

std::size_t require_sites(std::string_view rule, const sim::Resource& resource) {
  const std::size_t count = resource.sites().count;
  if (count == 0)
    throw sim::SpecError(std::string(rule) + ": needs a resource with sites (a grid or a graph of them); this one "
                                             "has none");
  return count;
}

void check_within(std::string_view rule, std::string_view key, std::span<const std::uint32_t> sites,
                  std::size_t count) {
  for (const std::uint32_t site : sites)
    if (site >= count)
      throw sim::SpecError(std::string(rule) + ": " + std::string(key) + " names site " + std::to_string(site) +
                           " but the resource has " + std::to_string(count) + " sites (0 to " +
                           std::to_string(count - 1) + ")");
}

double count(std::span<const std::uint8_t> found, std::uint8_t kind, const sim::ExecutionPolicy& policy) {
  return sim::sum_over_blocks(found.size(), policy, [&](std::size_t first, std::size_t last) {
    double total = 0.0;
    for (std::size_t i = first; i < last; ++i) total += (found[i] & kind) == kind ? 1.0 : 0.0;
    return total;
  });
}

}  // namespace commons::models::detail::sites
