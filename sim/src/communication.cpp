// SPDX-License-Identifier: Apache-2.0
#include "communication.hpp"

#include <cmath>
#include <limits>
#include <vector>

namespace commons::sim::detail {
namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

struct Tally {
  double sum = 0.0;
  double count = 0.0;
};

bool kept(double effort, double pledge, double tolerance) { return effort <= pledge * (1.0 + tolerance); }

// Sums over all agents in block order, so the "everyone hears everyone" totals are
// bit-identical on any thread count.
template <class Value>
Tally tally_all(std::size_t n, const ExecutionPolicy& policy, Value value) {
  std::vector<Tally> partial(block_count(n));
  for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
    Tally t;
    for (std::size_t i = first; i < last; ++i) {
      if (const double v = value(i); !std::isnan(v)) {
        t.sum += v;
        t.count += 1.0;
      }
    }
    partial[first / agent_block_size] = t;
  });
  Tally total;
  for (const Tally& t : partial) {
    total.sum += t.sum;
    total.count += t.count;
  }
  return total;
}

}  // namespace

void hear_pledges(AgentTable& agents, const Network* network, const ExecutionPolicy& policy) {
  const std::size_t n = agents.size();
  const double* pledge = agents.pledge.data();
  double* heard = agents.heard_pledge.data();
  if (network == nullptr) {
    const Tally all = tally_all(n, policy, [&](std::size_t i) { return pledge[i]; });
    for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
      for (std::size_t i = first; i < last; ++i) {
        const bool spoke = !std::isnan(pledge[i]);
        const double count = all.count - (spoke ? 1.0 : 0.0);
        heard[i] = count > 0.0 ? (all.sum - (spoke ? pledge[i] : 0.0)) / count : not_a_number;
      }
    });
    return;
  }
  for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      Tally t;
      for (const Network::Node j : network->neighbours(static_cast<Network::Node>(i))) {
        if (!std::isnan(pledge[j])) {
          t.sum += pledge[j];
          t.count += 1.0;
        }
      }
      heard[i] = t.count > 0.0 ? t.sum / t.count : not_a_number;
    }
  });
}

double update_trust(AgentTable& agents, const Network* network, const CommunicationSpec& communication,
                    const ExecutionPolicy& policy) {
  const std::size_t n = agents.size();
  const double* pledge = agents.pledge.data();
  const double* effort = agents.effort.data();
  double* trust = agents.trust.data();
  const double lambda = communication.trust_rate;
  const double tolerance = communication.tolerance;
  const auto kept_value = [&](std::size_t j) {
    return std::isnan(pledge[j]) ? not_a_number : (kept(effort[j], pledge[j], tolerance) ? 1.0 : 0.0);
  };
  const Tally all = tally_all(n, policy, kept_value);
  if (all.count == 0.0) return not_a_number;
  for_each_block(n, policy, [&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      Tally heard;
      if (network == nullptr) {
        const double own = kept_value(i);
        heard = all;
        if (!std::isnan(own)) {
          heard.sum -= own;
          heard.count -= 1.0;
        }
      } else {
        for (const Network::Node j : network->neighbours(static_cast<Network::Node>(i))) {
          if (const double v = kept_value(j); !std::isnan(v)) {
            heard.sum += v;
            heard.count += 1.0;
          }
        }
      }
      if (heard.count > 0.0) trust[i] = (1.0 - lambda) * trust[i] + lambda * (heard.sum / heard.count);
    }
  });
  return all.sum / all.count;
}

}  // namespace commons::sim::detail
