// SPDX-License-Identifier: Apache-2.0
#include "group_limit.hpp"

#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <string>

namespace commons::models::detail::quota {

std::string number_text(double value) {
  std::ostringstream text;
  text.precision(15);
  text << value;
  return text.str();
}

double number_at_least(const sim::Parameters& values, std::string_view name, double low, std::string_view rule,
                       double fallback) {
  if (!values.contains(name)) {
    if (std::isnan(fallback)) throw sim::SpecError(std::string(rule) + ": " + std::string(name) + " is required");
    return fallback;
  }
  double value = 0.0;
  try {
    value = values.number(name);
  } catch (const sim::SpecError& error) {
    throw sim::SpecError(std::string(rule) + ": " + error.what());  // names the rule too
  }
  if (!std::isfinite(value) || value < low)
    throw sim::SpecError(std::string(rule) + ": " + std::string(name) + " must be a finite number at least " +
                         number_text(low) + ", got " + number_text(value));
  return value;
}

CatchTotal CatchTotal::from(const sim::Parameters& values, std::string_view rule) {
  const bool has_total = values.contains("total");
  const bool has_fraction = values.contains("fraction_of_msy");
  if (has_total == has_fraction)
    throw sim::SpecError(std::string(rule) + ": give exactly one of total [resource units per step] and " +
                         "fraction_of_msy" + (has_total ? ", not both" : ""));
  CatchTotal result;
  if (has_total) result.total = number_at_least(values, "total", 0.0, rule);
  if (has_fraction) result.fraction_of_msy = number_at_least(values, "fraction_of_msy", 0.0, rule);
  return result;
}

double CatchTotal::resolve(const sim::Resource& resource, const sim::Economics& economics,
                           std::string_view rule) const {
  if (total) return *total;
  return *fraction_of_msy * reference_point(resource, economics, "msy_harvest", rule);
}

double reference_point(const sim::Resource& resource, const sim::Economics& economics, std::string_view name,
                       std::string_view rule) {
  for (const sim::ScalarData& point : sim::reference_points(resource, economics))
    if (point.info.name == name) return point.value;
  throw sim::SpecError(std::string(rule) + ": the resource has no reference point " + std::string(name) +
                       "; give the value explicitly");
}

double close_at_group_limit(sim::RuleContext& context, double limit, std::vector<double>& predicted_harvest) {
  sim::AgentTable& agents = context.agents;
  sim::GovernanceLedger& ledger = context.ledger;
  const sim::ExecutionPolicy& policy = context.step.policy;
  const std::size_t n = agents.size();
  const double total_effort = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i) sum += agents.effort[i];
    return sum;
  });
  predicted_harvest.resize(n);
  const double predicted = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
    // The resource's batch form of harvest_if, bit for bit the same values: one virtual call a
    // block instead of one an agent, and a loop the compiler vectorises where the resource has one.
    const std::size_t count = last - first;
    std::array<double, sim::agent_block_size> others;
    for (std::size_t k = 0; k < count; ++k) others[k] = total_effort - agents.effort[first + k];
    context.resource.harvest_if_each({agents.effort.data() + first, count}, {others.data(), count},
                                     {predicted_harvest.data() + first, count});
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i) sum += predicted_harvest[i];
    return sum;
  });
  if (predicted > limit) {
    const double share = limit / predicted;
    ledger.will_write({sim::GovernanceLedger::Column::harvest_limit});
    sim::for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i)
        ledger.harvest_limit[i] = std::min(ledger.harvest_limit[i], share * predicted_harvest[i]);
    });
  }
  return predicted;
}

}  // namespace commons::models::detail::quota
