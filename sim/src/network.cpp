// SPDX-License-Identifier: Apache-2.0
#include "commons/sim/network.hpp"

#include "commons/sim/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace commons::sim {
namespace {

// |a ∩ b| for sorted ranges without repeats; linear merge, O(|a| + |b|).
std::uint64_t count_common(std::span<const Network::Node> a, std::span<const Network::Node> b) {
  std::uint64_t common = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return common;
}

}  // namespace

NetworkError::NetworkError(std::string file, std::size_t line, std::string message)
    : std::runtime_error(file + ":" + std::to_string(line) + ": " + message),
      file_(std::move(file)),
      line_(line),
      message_(std::move(message)) {}

Network::Network() = default;

Network::Network(std::size_t node_count, std::vector<Edge> edges) : node_count_(node_count) {
  if (node_count > max_network_nodes) {
    throw std::invalid_argument("Network: node count " + std::to_string(node_count) + " exceeds " +
                                std::to_string(max_network_nodes));
  }
  // Bucket the arcs by source (counting sort), then sort and de-duplicate each row: O(arcs +
  // sum of deg log deg) instead of one global sort of all arcs.
  std::vector<std::size_t> start(node_count + 1, 0);
  for (const Edge& e : edges) {
    if (e.source >= node_count || e.target >= node_count) {
      throw std::invalid_argument("Network: edge (" + std::to_string(e.source) + ", " +
                                  std::to_string(e.target) + ") has an end outside [0, " +
                                  std::to_string(node_count) + ")");
    }
    if (e.source == e.target) {
      throw std::invalid_argument("Network: self loop on node " + std::to_string(e.source));
    }
    ++start[e.source + 1];
    ++start[e.target + 1];
  }
  for (std::size_t v = 0; v < node_count; ++v) start[v + 1] += start[v];
  std::vector<Node> targets(start.back());
  {
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (const Edge& e : edges) {
      targets[fill[e.source]++] = e.target;
      targets[fill[e.target]++] = e.source;
    }
  }
  edges.clear();
  edges.shrink_to_fit();

  std::vector<std::pair<Node, Node>> arcs;
  arcs.reserve(targets.size());
  for (std::size_t v = 0; v < node_count; ++v) {
    const auto first = targets.begin() + static_cast<std::ptrdiff_t>(start[v]);
    const auto last = targets.begin() + static_cast<std::ptrdiff_t>(start[v + 1]);
    std::sort(first, last);
    const auto unique_end = std::unique(first, last);
    for (auto it = first; it != unique_end; ++it) arcs.emplace_back(static_cast<Node>(v), *it);
  }
  graph_ = Graph(boost::edges_are_sorted, arcs.begin(), arcs.end(), static_cast<Node>(node_count), arcs.size());
}

std::vector<std::size_t> Network::degree_distribution() const {
  std::vector<std::size_t> counts;
  for (std::size_t v = 0; v < node_count_; ++v) {
    const std::size_t d = degree(static_cast<Node>(v));
    if (d >= counts.size()) counts.resize(d + 1, 0);
    ++counts[d];
  }
  return counts;
}

std::vector<std::uint64_t> Network::triangles() const {
  std::vector<std::uint64_t> result(node_count_, 0);
  // Each node writes only its own slot, and the counts are integers, so any schedule gives the
  // same result.
  for_each_block(node_count_, ExecutionPolicy{}, [&](std::size_t first, std::size_t last) {
    for (std::size_t v = first; v < last; ++v) {
      const auto nv = neighbours(static_cast<Node>(v));
      std::uint64_t t = 0;
      // Triangles through v = edges among v's neighbours. Count each such edge {u, w} once, at
      // its smaller end u, by intersecting the part of N(v) after u with the part of N(u)
      // after u.
      for (std::size_t i = 0; i < nv.size(); ++i) {
        const Node u = nv[i];
        const auto nu = neighbours(u);
        const auto after_u = std::upper_bound(nu.begin(), nu.end(), u);
        t += count_common(nv.subspan(i + 1), std::span<const Node>(after_u, nu.end()));
      }
      result[v] = t;
    }
  });
  return result;
}

double Network::average_clustering() const {
  if (node_count_ == 0) return 0.0;
  const std::vector<std::uint64_t> t = triangles();
  // Fixed node order, so the sum is bit-identical whatever the thread count; Neumaier's
  // compensation keeps 1e6 terms accurate to a few ulp instead of ~1e-12 relative.
  double sum = 0.0;
  double compensation = 0.0;
  for (std::size_t v = 0; v < node_count_; ++v) {
    const std::size_t d = degree(static_cast<Node>(v));
    if (d < 2) continue;  // C_v = 0 by convention (see header)
    const double pairs = static_cast<double>(d) * static_cast<double>(d - 1) / 2.0;
    const double term = static_cast<double>(t[v]) / pairs;
    const double next = sum + term;
    compensation += std::abs(sum) >= std::abs(term) ? (sum - next) + term : (term - next) + sum;
    sum = next;
  }
  return (sum + compensation) / static_cast<double>(node_count_);
}

double Network::global_clustering() const {
  const std::vector<std::uint64_t> t = triangles();
  std::uint64_t closed = 0;   // sum of triangles(v) = 3 x number of triangles
  std::uint64_t triples = 0;  // connected triples centred on each node: deg (deg - 1) / 2
  for (std::size_t v = 0; v < node_count_; ++v) {
    const std::uint64_t d = degree(static_cast<Node>(v));
    closed += t[v];
    if (d >= 2) triples += d * (d - 1) / 2;
  }
  return triples == 0 ? 0.0 : static_cast<double>(closed) / static_cast<double>(triples);
}

}  // namespace commons::sim
