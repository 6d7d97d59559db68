// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/licence.hpp>

#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <utility>

namespace commons::models {
namespace {

constexpr sim::Phase licence_phases[] = {sim::Phase::announce};

}  // namespace

Licence::Parameters Licence::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.licences = detail::checked_count(values, "licence", "licences", std::nullopt, 0);
  constexpr std::array<std::string_view, 2> allocations{"lowest_ids", "random"};
  p.allocation = detail::checked_choice(values, "licence", "allocation", "lowest_ids", allocations) == "random"
                     ? Allocation::random
                     : Allocation::lowest_ids;
  p.fee = detail::checked_number(values, "licence", "fee", 0.0, 0.0);
  return p;
}

Licence::Licence(Parameters parameters) : parameters_(std::move(parameters)) {}

std::span<const sim::Phase> Licence::phases() const { return licence_phases; }

void Licence::allocate(const sim::RuleContext& context) {
  const sim::AgentTable& agents = context.agents;
  const std::size_t n = agents.size();
  const auto k = static_cast<std::size_t>(std::min<std::int64_t>(parameters_.licences, static_cast<std::int64_t>(n)));
  // Rank agents by id (lowest_ids) or by a lottery draw, ties by id; the first k hold.
  std::vector<std::pair<double, std::uint64_t>> rank(n);
  std::vector<std::size_t> row(n);
  const std::uint64_t index = sim::parameter_draw_index("licence.allocation");
  for (std::size_t i = 0; i < n; ++i) {
    // The lottery draws at step 0 whatever step the rule starts in, so an agent's luck is a
    // property of the run, not of the schedule.
    const double key = parameters_.allocation == Parameters::Allocation::random
                           ? context.step.random.uniform(0, agents.id[i], sim::Purpose::initialise, index)
                           : 0.0;
    rank[i] = {key, agents.id[i]};
    row[i] = i;
  }
  std::ranges::sort(row, [&](std::size_t a, std::size_t b) { return rank[a] < rank[b]; });
  holds_.assign(n, 0);
  for (std::size_t j = 0; j < k; ++j) holds_[row[j]] = 1;
  holders_ = static_cast<double>(k);
}

void Licence::apply(sim::Phase, sim::RuleContext& context) {
  sim::AgentTable& agents = context.agents;
  if (holds_.size() != agents.size()) allocate(context);
  const double fee = parameters_.fee;
  sim::for_each_block(agents.size(), context.step.policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      if (holds_[i] != 0) {
        agents.fee[i] += fee;
      } else {
        agents.effort_limit[i] = 0.0;
      }
    }
  });
  revenue_ = fee * holders_;
}

std::vector<sim::VariableInfo> Licence::variables() const {
  return {{"licence_revenue", "money", "licence fees paid by holders in the step (licence rule)"}};
}

void Licence::sample(std::span<double> values) const {
  values[0] = revenue_;
  revenue_ = std::numeric_limits<double>::quiet_NaN();
}

}  // namespace commons::models
