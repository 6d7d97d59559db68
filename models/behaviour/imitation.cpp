// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/imitation.hpp>

#include <commons/models/behaviour/agent_efforts.hpp>
#include <commons/models/behaviour/common_parameters.hpp>
#include <commons/models/registration.hpp>
#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/fast_math.hpp>
#include <commons/sim/network.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "imitation",
      .summary =
          "Pairwise-comparison imitation: each step an agent picks one neighbour (any other agent without a network) "
          "and copies its effort with probability 1 / (1 + exp(-selection_strength (u_other - u_own))), u being last "
          "step's income (or utility); then with probability mutation it takes a random effort.",
      .parameters = learning_parameters({
          {.name = "selection_strength",
           .type = sim::ParameterType::per_agent_number,
           .meaning = "Selection strength beta of the Fermi rule",
           .unit = "1/money",
           .note = "0 copies by coin flip",
           .required = true,
           .minimum = sim::Bound{0.0}},
          {.name = "mutation",
           .type = sim::ParameterType::per_agent_number,
           .meaning = "Probability of a random effort after imitation: uniform among choices, or on [0, cap]",
           .unit = "1",
           .minimum = sim::Bound{0.0},
           .maximum = sim::Bound{1.0},
           .default_value = 0.0}})};
  return described;
}

/// An index in [0, m) from a uniform draw in (0, 1); the guard catches u * m rounding up to m.
std::size_t index_of(double u, std::size_t m) {
  return std::min(m - 1, static_cast<std::size_t>(u * static_cast<double>(m)));
}

/// Agents per batch of learn's pipeline (see there). 32 was fastest on 1e6 agents of a
/// Barabasi-Albert network (16 to 128 measured).
constexpr std::size_t batch = 32;

/// Bounds of the fast path of the Fermi rule: for x = -beta (u_j - u_i) beyond them the copy
/// probability 1 / (1 + exp(x)) is below the smallest draw (2^-54) or rounds to exactly 1.
constexpr double fermi_bound = 40.0;
/// Half-width of the band around u (1 + exp(x)) = 1 in which the fast exponential
/// (sim::exp_near, within 1e-14) does not decide: far wider than its error and the rounding
/// of the exact expression.
constexpr double fermi_margin = 1e-9;

/// x limited to [-fermi_bound, fermi_bound], NaN kept. The rule decides the same for the
/// limited x: beyond x = 40 no draw is below 1 / (1 + exp(40)) ~ 4e-18, and below x = -40 the
/// probability 1 / (1 + exp(x)) rounds to 1 as it does at x = -40.
double fermi_clamp(double x) {
  x = x < -fermi_bound ? -fermi_bound : x;
  return x > fermi_bound ? fermi_bound : x;
}

/// The Fermi rule's copy decision u < 1 / (1 + exp(x)), evaluated as written (the slow path).
[[gnu::noinline]] bool fermi_copies_exactly(double u, double x) { return u < 1.0 / (1.0 + std::exp(x)); }

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
  selfish_ = std::all_of(preference_.begin(), preference_.end(), [](const SocialPreference& p) { return p.selfish(); });
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
  const double* income = table.income.data();
  const double* effort = table.effort.data();

  // The partner's income and effort sit at random rows: on a large run each is a cache (and
  // TLB) miss. The agents go through a three-stage pipeline of batches so that both arrive
  // before they are needed: stage 1 draws batch b and prefetches the partners' incomes, stage 2
  // decides batch b - 1 and prefetches the effort each agent will take (the partner's only
  // when it copies), stage 3 plans batch b - 2.
  struct Batch {
    std::size_t begin = 0, count = 0;
    /// The partner, or n when the agent has nobody to look at.
    std::array<std::size_t, batch> partner{};
    /// The copy draw u and the test value u (1 + exp(x)), x = -beta (u_j - u_i).
    std::array<double, batch> draw{}, test{};
    /// Words 2 and 3 of the agent's Philox block: the mutation decision and the mutant's effort.
    std::array<std::array<std::uint64_t, 2>, batch> words{};
    /// The row whose effort the agent takes before mutation (the partner's, or its own).
    std::array<std::size_t, batch> source{};
  };
  std::array<Batch, 3> ring;

  // Stage 1. One Philox block gives the four uniforms an agent may need (partner, copy,
  // mutation and the mutant's effort): a quarter of the generator's work of four draws.
  const auto draw = [&](Batch& out, std::size_t begin) {
    out.begin = begin;
    out.count = std::min(batch, agents.last - begin);
    for (std::size_t k = 0; k < out.count; ++k) {
      const std::size_t row = begin + k;
      const sim::RandomStream::Bits bits = context.random.bits(step, table.id[row], sim::Purpose::learn, 0);
      const double pick = sim::RandomStream::to_open_unit(bits[0]);
      // The partner: uniform among network neighbours (node = agent row), or among all other
      // agents of the run.
      std::size_t j = n;
      if (network != nullptr) {
        const auto neighbours = network->neighbours(static_cast<sim::Network::Node>(row));
        if (!neighbours.empty()) j = neighbours[index_of(pick, neighbours.size())];
      } else if (n > 1) {
        const std::size_t i = index_of(pick, n - 1);
        j = i >= row ? i + 1 : i;
      }
      out.partner[k] = j;
      out.draw[k] = sim::RandomStream::to_open_unit(bits[1]);
      out.words[k] = {bits[2], bits[3]};
      __builtin_prefetch(income + (j == n ? row : j));
    }
  };

  // Stage 2. Fermi rule (Szabo & Toke 1998): copy with probability 1 / (1 + exp(x)). An agent
  // with nobody to look at compares itself with itself here and keeps its effort.
  std::array<double, batch> exponent{};
  const auto decide = [&](Batch& b) {
    const std::size_t local0 = b.begin - first_;
    if (selfish_) {
      for (std::size_t k = 0; k < b.count; ++k) {
        const std::size_t row = b.begin + k;
        const std::size_t j = b.partner[k] == n ? row : b.partner[k];
        exponent[k] = fermi_clamp(-beta_[local0 + k] * (income[j] - income[row]));
      }
    } else {
      for (std::size_t k = 0; k < b.count; ++k) {
        const std::size_t row = b.begin + k;
        const std::size_t j = b.partner[k] == n ? row : b.partner[k];
        const double gain = utility(local0 + k, income[j], rent, n) - utility(local0 + k, income[row], rent, n);
        exponent[k] = fermi_clamp(-beta_[local0 + k] * gain);
      }
    }
    // u (1 + exp(x)) < 1 is the rule: one branch-free loop, which the compiler vectorises.
    const std::size_t count = b.count;
    const double* u = b.draw.data();
    const double* x = exponent.data();
    double* test = b.test.data();
    for (std::size_t k = 0; k < count; ++k) test[k] = u[k] * (1.0 + sim::exp_near(x[k]));
    for (std::size_t k = 0; k < count; ++k) {
      const bool copies =
          std::fabs(test[k] - 1.0) > fermi_margin ? test[k] < 1.0 : fermi_copies_exactly(u[k], x[k]);
      // Branch-free choice of the row (copies is a coin flip for the branch predictor).
      const std::size_t row = b.begin + k;
      const std::size_t j = b.partner[k];
      const auto take = static_cast<std::size_t>(copies & (j != n));
      const std::size_t source = row ^ ((row ^ j) & (std::size_t{0} - take));
      b.source[k] = source;
      __builtin_prefetch(effort + source);
    }
  };

  // Stage 3. With probability `mutation` the agent takes a random effort instead.
  const auto plan = [&](const Batch& b) {
    const std::size_t local0 = b.begin - first_;
    for (std::size_t k = 0; k < b.count; ++k) {
      const std::size_t local = local0 + k;
      double next = effort[b.source[k]];
      const double mutation = mutation_[local];
      if (mutation > 0.0 && b.partner[k] != n && sim::RandomStream::to_open_unit(b.words[k][0]) < mutation) {
        const double u = sim::RandomStream::to_open_unit(b.words[k][1]);
        next = choices_.empty() ? u * cap_[local] : choices_[index_of(u, choices_.size())];
      }
      planned_[local] = std::clamp(next, 0.0, cap_[local]);
    }
  };

  const std::size_t batches = (agents.size() + batch - 1) / batch;
  for (std::size_t i = 0; i < batches + 2; ++i) {
    if (i < batches) draw(ring[i % 3], agents.first + i * batch);
    if (i >= 1 && i - 1 < batches) decide(ring[(i - 1) % 3]);
    if (i >= 2) plan(ring[(i - 2) % 3]);
  }
}

COMMONS_REGISTER_MODELS(imitation) {
  registry.add_behaviour(descriptor(), [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
    return std::make_unique<Imitation>(spec.parameters, group);
  });
}

}  // namespace commons::models
