// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/imitation.hpp>
#include <commons/models/behaviour/agent_efforts.hpp>

#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/network.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace commons::models {
namespace {

/// An index in [0, m) from a uniform draw in (0, 1); the guard catches u * m rounding up to m.
std::size_t index_of(double u, std::size_t m) {
  return std::min(m - 1, static_cast<std::size_t>(u * static_cast<double>(m)));
}

}  // namespace

Imitation::Imitation(const sim::Parameters& parameters, const sim::GroupContext& group) : first_(group.first) {
  if (!parameters.contains("selection_strength")) throw sim::SpecError("imitation needs `selection_strength`");
  const auto ids = group.ids;
  const auto& random = group.random;
  if (parameters.contains("choices")) {
    choices_ = parameters.numbers("choices");
    if (choices_.empty()) throw sim::SpecError("imitation: `choices` must not be empty");
  }
  beta_ = sim::per_agent(parameters, "selection_strength", ids, random, 0.0, 0.0);
  mutation_ = sim::per_agent(parameters, "mutation", ids, random, 0.0, 0.0, 1.0);
  cap_ = effort_caps(parameters, group);
  if (choices_.empty())
    for (std::size_t i = 0; i < group.count; ++i)
      if (mutation_[i] > 0.0 && !std::isfinite(cap_[i]))
        throw sim::SpecError("imitation with `mutation` needs `choices` or a finite effort cap");
  planned_ = opening_efforts(parameters, group, cap_);
  preference_ = SocialPreference::for_agents(parameters.block("social_preference"), ids, random);
}

void Imitation::decide(const sim::StepContext&, sim::AgentSpan agents) {
  const double* planned = planned_.data() + (agents.first - first_);
  std::copy(planned, planned + agents.size(), agents.effort().begin());
}

double Imitation::utility(std::size_t local, double income, double rent, std::size_t n) const {
  const SocialPreference& preference = preference_[local];
  if (preference.selfish() || n <= 1) return income;
  return preference.utility(income, (rent - income) / static_cast<double>(n - 1));
}

void Imitation::learn(const sim::StepContext& context, sim::AgentSpan agents) {
  if (context.current == nullptr) return;
  const sim::AgentTable& table = *agents.table;
  const std::size_t n = table.size();
  const double rent = context.current->rent;
  const sim::Network* network = context.network;
  const auto step = static_cast<std::uint64_t>(context.step);
  for (std::size_t row = agents.first; row < agents.last; ++row) {
    const std::size_t local = row - first_;
    const std::uint64_t id = table.id[row];
    const double own = table.effort[row];
    double next = own;
    // The partner: uniform among network neighbours (node = agent row), or among all other
    // agents of the run. An agent with nobody to look at keeps its effort.
    std::size_t partner = n;
    // One Philox block gives the four uniforms an agent may need (partner, copy, mutation and
    // the mutant's effort): a quarter of the generator's work of four separate draws.
    const sim::RandomStream::Bits bits = context.random.bits(step, id, sim::Purpose::learn, 0);
    const double pick = sim::RandomStream::to_open_unit(bits[0]);
    if (network != nullptr) {
      const auto neighbours = network->neighbours(static_cast<sim::Network::Node>(row));
      if (!neighbours.empty()) partner = neighbours[index_of(pick, neighbours.size())];
    } else if (n > 1) {
      const std::size_t k = index_of(pick, n - 1);
      partner = k >= row ? k + 1 : k;
    }
    if (partner == n) {
      planned_[local] = std::clamp(own, 0.0, cap_[local]);
      continue;
    }
    // Fermi rule (Szabo & Toke 1998): 1 / (1 + exp(-beta (u_j - u_i))); exp overflowing to
    // infinity gives probability 0, as the limit demands.
    const double gain = utility(local, table.income[partner], rent, n) - utility(local, table.income[row], rent, n);
    const double copy = 1.0 / (1.0 + std::exp(-beta_[local] * gain));
    if (sim::RandomStream::to_open_unit(bits[1]) < copy) next = table.effort[partner];
    const double mutation = mutation_[local];
    if (mutation > 0.0 && sim::RandomStream::to_open_unit(bits[2]) < mutation) {
      const double u = sim::RandomStream::to_open_unit(bits[3]);
      next = choices_.empty() ? u * cap_[local] : choices_[index_of(u, choices_.size())];
    }
    planned_[local] = std::clamp(next, 0.0, cap_[local]);
  }
}

}  // namespace commons::models
