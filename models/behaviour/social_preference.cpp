// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/social_preference.hpp>

#include <commons/sim/agent_parameters.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>

namespace commons::models {

namespace {

/// Largest guilt below one: beta = 1 would make an agent indifferent to giving its own payoff
/// away to the others, which Fehr & Schmidt (1999) exclude (beta < 1).
const double max_guilt = std::nextafter(1.0, 0.0);

SocialPreference::Model model_of(const sim::Parameters& block) {
  const std::string& name = block.text("model");
  if (name == "fehr_schmidt") return SocialPreference::Model::fehr_schmidt;
  if (name == "svo") return SocialPreference::Model::svo;
  throw sim::SpecError("social_preference model '" + name + "' is not fehr_schmidt or svo");
}

}  // namespace

SocialPreference SocialPreference::fehr_schmidt(double envy, double guilt) {
  if (!(envy >= 0.0)) throw sim::SpecError("social_preference envy must be >= 0");
  if (!(guilt >= 0.0 && guilt < 1.0)) throw sim::SpecError("social_preference guilt must lie in [0, 1)");
  SocialPreference p;
  p.model_ = Model::fehr_schmidt;
  p.envy_ = envy;
  p.guilt_ = guilt;
  return p;
}

SocialPreference SocialPreference::svo(double angle_degrees) {
  if (!(angle_degrees >= -90.0 && angle_degrees <= 90.0))
    throw sim::SpecError("social_preference angle must lie in [-90, 90] degrees");
  SocialPreference p;
  p.model_ = Model::svo;
  p.angle_degrees_ = angle_degrees;
  const double radians = angle_degrees * std::numbers::pi / 180.0;
  p.own_weight_ = std::cos(radians);
  p.other_weight_ = std::sin(radians);
  return p;
}

SocialPreference SocialPreference::from(const sim::Parameters* block) {
  if (block == nullptr) return {};
  switch (model_of(*block)) {
    case Model::fehr_schmidt:
      return fehr_schmidt(block->number_or("envy", 0.0), block->number_or("guilt", 0.0));
    case Model::svo:
      return svo(block->number_or("angle", 0.0));
    case Model::selfish:
      break;
  }
  return {};
}

std::vector<SocialPreference> SocialPreference::for_agents(const sim::Parameters* block,
                                                           std::span<const std::uint64_t> ids,
                                                           const sim::RandomStream& random) {
  if (block == nullptr) return std::vector<SocialPreference>(ids.size());
  std::vector<SocialPreference> out;
  out.reserve(ids.size());
  switch (model_of(*block)) {
    case Model::fehr_schmidt: {
      const auto envy = sim::per_agent(*block, "envy", ids, random, 0.0, 0.0);
      const auto guilt = sim::per_agent(*block, "guilt", ids, random, 0.0, 0.0, max_guilt);
      for (std::size_t i = 0; i < ids.size(); ++i) out.push_back(fehr_schmidt(envy[i], guilt[i]));
      break;
    }
    case Model::svo: {
      const auto angle = sim::per_agent(*block, "angle", ids, random, 0.0, -90.0, 90.0);
      for (std::size_t i = 0; i < ids.size(); ++i) out.push_back(svo(angle[i]));
      break;
    }
    case Model::selfish:
      out.resize(ids.size());
      break;
  }
  return out;
}

bool SocialPreference::selfish() const {
  switch (model_) {
    case Model::selfish:
      return true;
    case Model::fehr_schmidt:
      return envy_ == 0.0 && guilt_ == 0.0;
    case Model::svo:
      return angle_degrees_ == 0.0;
  }
  return true;
}

double SocialPreference::utility(double own, double others_mean) const {
  switch (model_) {
    case Model::selfish:
      return own;
    case Model::fehr_schmidt:
      // Fehr & Schmidt (1999) eq. (1) with the others summarised by their mean payoff: the
      // aggregate information subjects of CPR experiments receive.
      return own - envy_ * std::max(others_mean - own, 0.0) - guilt_ * std::max(own - others_mean, 0.0);
    case Model::svo:
      if (angle_degrees_ == 0.0) return own;
      // Ring measure: weight cos(theta) on own and sin(theta) on the other's payoff
      // (Liebrand 1984; Murphy, Ackermann & Handgraaf 2011).
      return own_weight_ * own + other_weight_ * others_mean;
  }
  return own;
}

double SocialPreference::payoff(const sim::Resource& resource, const sim::Economics& economics, double x,
                                double others_total, double own_cost) {
  return economics.price * resource.harvest_if(x, others_total) - own_cost * x;
}

double SocialPreference::utility_of_choice(const sim::Resource& resource, const sim::Economics& economics,
                                           double x, double others_total, std::size_t n,
                                           double own_cost) const {
  const double own = payoff(resource, economics, x, others_total, own_cost);
  if (model_ == Model::selfish || n <= 1) return own;
  // A representative other applies the others' mean effort y and faces everyone else:
  // the agent's x plus the remaining n - 2 others.
  const double y = others_total / static_cast<double>(n - 1);
  const double others_mean = payoff(resource, economics, y, x + others_total - y, own_cost);
  return utility(own, others_mean);
}

void SocialPreference::utilities_of_choice(const sim::Resource& resource, const sim::Economics& economics,
                                           std::span<const SocialPreference> preferences, std::span<const double> x,
                                           std::span<const double> others_total, std::size_t n,
                                           std::span<const double> own_cost, std::span<double> utility) {
  // Scratch for one block on the stack, small enough to stay in L1.
  constexpr std::size_t block = 256;
  std::array<double, block> harvest, other_effort, other_faces;
  const double price = economics.price;
  for (std::size_t begin = 0; begin < utility.size(); begin += block) {
    const std::size_t count = std::min(block, utility.size() - begin);
    const double* own = x.data() + begin;
    const double* others = others_total.data() + begin;
    const double* cost = own_cost.data() + begin;
    double* out = utility.data() + begin;
    resource.harvest_if_each({own, count}, {others, count}, {harvest.data(), count});
    for (std::size_t i = 0; i < count; ++i) out[i] = price * harvest[i] - cost[i] * own[i];
    if (preferences.empty() || n <= 1) continue;
    const SocialPreference* preference = preferences.data() + begin;
    if (std::all_of(preference, preference + count, [](const SocialPreference& p) { return p.model_ == Model::selfish; }))
      continue;
    // utility_of_choice's representative other: the others' mean effort y, facing x + Y - y.
    for (std::size_t i = 0; i < count; ++i) {
      other_effort[i] = others[i] / static_cast<double>(n - 1);
      other_faces[i] = own[i] + others[i] - other_effort[i];
    }
    resource.harvest_if_each({other_effort.data(), count}, {other_faces.data(), count}, {harvest.data(), count});
    for (std::size_t i = 0; i < count; ++i) {
      if (preference[i].model_ == Model::selfish) continue;
      out[i] = preference[i].utility(out[i], price * harvest[i] - cost[i] * other_effort[i]);
    }
  }
}

}  // namespace commons::models
