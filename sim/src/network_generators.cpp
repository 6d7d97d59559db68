// SPDX-License-Identifier: Apache-2.0
#include "commons/sim/network_generators.hpp"

#include "commons/sim/random.hpp"
#include "commons/sim/spec.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <istream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace commons::sim {
namespace {

using Node = Network::Node;
using Edge = Network::Edge;

// High 64 bits of the 128-bit product a x b, in portable C++ (no __int128 under -Wpedantic).
std::uint64_t high_product(std::uint64_t a, std::uint64_t b) {
  constexpr std::uint64_t low_half = 0xFFFF'FFFFU;
  const std::uint64_t a_low = a & low_half;
  const std::uint64_t a_high = a >> 32;
  const std::uint64_t b_low = b & low_half;
  const std::uint64_t b_high = b >> 32;
  const std::uint64_t low_low = a_low * b_low;
  const std::uint64_t high_low = a_high * b_low;
  const std::uint64_t low_high = a_low * b_high;
  // At most 3 (2^32 - 1) + (2^32 - 1)^2 < 2^64: no overflow.
  const std::uint64_t middle = (low_low >> 32) + (high_low & low_half) + low_high;
  return a_high * b_high + (high_low >> 32) + (middle >> 32);
}

// The 64-bit words of the counters (0, address, network, 0), (0, address, network, 1), ...
// read four per Philox block, so a generator's draws for one node or edge are a fixed sequence.
class Words {
 public:
  Words(const RandomStream& random, std::uint64_t address) : random_(random), address_(address) {}

  std::uint64_t next() {
    if (index_ % 4 == 0) block_ = random_.bits(0, address_, Purpose::network, index_ / 4);
    return block_[index_++ % 4];
  }
  /// Uniform on (0, 1).
  double uniform() { return RandomStream::to_open_unit(next()); }
  /// Uniform integer in [0, m), m >= 1: multiply-shift (Lemire 2019), bias < m / 2^64.
  std::size_t below(std::size_t m) { return static_cast<std::size_t>(high_product(next(), m)); }

 private:
  const RandomStream& random_;
  std::uint64_t address_;
  std::uint64_t index_ = 0;
  RandomStream::Bits block_{};
};

void check_node_count(const char* generator, std::size_t n) {
  if (n > max_network_nodes) {
    throw std::invalid_argument(std::string(generator) + ": n = " + std::to_string(n) + " exceeds " +
                                std::to_string(max_network_nodes) + " nodes");
  }
}

void check_probability(const char* generator, double p) {
  // Written so that NaN fails too.
  if (!(p >= 0.0 && p <= 1.0)) {
    throw std::invalid_argument(std::string(generator) + ": p = " + std::to_string(p) +
                                " must be in [0, 1]");
  }
}

void check_ring(const char* generator, std::size_t n, std::size_t k) {
  check_node_count(generator, n);
  if (k % 2 != 0) {
    throw std::invalid_argument(std::string(generator) + ": k = " + std::to_string(k) +
                                " must be even (k / 2 neighbours on each side)");
  }
  if (k >= n) {
    throw std::invalid_argument(std::string(generator) + ": k = " + std::to_string(k) +
                                " must be less than n = " + std::to_string(n));
  }
}

// Undirected edges of the ring lattice, lap by lap: offset j = 1..k/2 outer, node v inner, so
// edge index (j - 1) n + v is the position in this list.
std::vector<Edge> ring_edges(std::size_t n, std::size_t k) {
  std::vector<Edge> edges;
  edges.reserve(n * (k / 2));
  for (std::size_t j = 1; j <= k / 2; ++j) {
    for (std::size_t v = 0; v < n; ++v) {
      edges.push_back({static_cast<Node>(v), static_cast<Node>((v + j) % n)});
    }
  }
  return edges;
}

// Removes one occurrence of `value` from an unordered list.
void erase_one(std::vector<Node>& list, Node value) {
  const auto it = std::find(list.begin(), list.end(), value);
  *it = list.back();
  list.pop_back();
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

Network complete(std::size_t n) {
  check_node_count("complete", n);
  std::vector<Edge> edges;
  edges.reserve(n * (n - (n > 0 ? 1 : 0)) / 2);
  for (std::size_t v = 0; v < n; ++v) {
    for (std::size_t w = v + 1; w < n; ++w) edges.push_back({static_cast<Node>(v), static_cast<Node>(w)});
  }
  return {n, std::move(edges)};
}

Network ring_lattice(std::size_t n, std::size_t k) {
  check_ring("ring_lattice", n, k);
  return {n, ring_edges(n, k)};
}

Network watts_strogatz(std::size_t n, std::size_t k, double p, const RandomStream& random) {
  check_ring("watts_strogatz", n, k);
  check_probability("watts_strogatz", p);
  std::vector<Edge> edges = ring_edges(n, k);
  if (p == 0.0) return {n, std::move(edges)};

  // Current adjacency, unordered; degrees stay near k, so linear membership tests are cheap.
  std::vector<std::vector<Node>> adjacent(n);
  for (std::size_t v = 0; v < n; ++v) adjacent[v].reserve(k);
  for (const Edge& e : edges) {
    adjacent[e.source].push_back(e.target);
    adjacent[e.target].push_back(e.source);
  }
  // Sequential by design: whether a rewiring is allowed depends on the edges rewired before it.
  for (std::size_t e = 0; e < edges.size(); ++e) {
    Words words(random, e);
    if (words.uniform() >= p) continue;
    const Node v = edges[e].source;
    std::vector<Node>& near = adjacent[v];
    if (near.size() + 1 >= n) continue;  // linked to everyone: nowhere to go
    Node w = 0;
    do {
      w = static_cast<Node>(words.below(n));
    } while (w == v || std::find(near.begin(), near.end(), w) != near.end());
    const Node old = edges[e].target;
    erase_one(near, old);
    erase_one(adjacent[old], v);
    near.push_back(w);
    adjacent[w].push_back(v);
    edges[e].target = w;
  }
  return {n, std::move(edges)};
}

Network barabasi_albert(std::size_t n, std::size_t m, const RandomStream& random) {
  check_node_count("barabasi_albert", n);
  if (m < 1 || m >= n) {
    throw std::invalid_argument("barabasi_albert: m = " + std::to_string(m) + " must satisfy 1 <= m < n = " +
                                std::to_string(n));
  }
  const std::size_t seed_nodes = m + 1;
  const std::size_t edge_total = seed_nodes * m / 2 + (n - seed_nodes) * m;
  std::vector<Edge> edges;
  edges.reserve(edge_total);
  // Every edge end, in order of creation: a uniform pick from it chooses a node with probability
  // proportional to its degree.
  std::vector<Node> ends;
  ends.reserve(2 * edge_total);
  for (std::size_t v = 0; v < seed_nodes; ++v) {
    for (std::size_t w = v + 1; w < seed_nodes; ++w) {
      edges.push_back({static_cast<Node>(v), static_cast<Node>(w)});
      ends.push_back(static_cast<Node>(v));
      ends.push_back(static_cast<Node>(w));
    }
  }
  std::vector<Node> chosen;
  chosen.reserve(m);
  for (std::size_t v = seed_nodes; v < n; ++v) {
    Words words(random, v);
    chosen.clear();
    // Picks come only from the ends present before v arrives, so v never links to itself.
    const std::size_t pool = ends.size();
    while (chosen.size() < m) {
      const Node target = ends[words.below(pool)];
      if (std::find(chosen.begin(), chosen.end(), target) == chosen.end()) chosen.push_back(target);
    }
    for (const Node target : chosen) {
      edges.push_back({static_cast<Node>(v), target});
      ends.push_back(static_cast<Node>(v));
      ends.push_back(target);
    }
  }
  return {n, std::move(edges)};
}

Network erdos_renyi(std::size_t n, double p, const RandomStream& random) {
  check_node_count("erdos_renyi", n);
  check_probability("erdos_renyi", p);
  if (p == 1.0) return complete(n);
  std::vector<Edge> edges;
  if (p == 0.0) return {n, std::move(edges)};
  edges.reserve(static_cast<std::size_t>(p * static_cast<double>(n) * static_cast<double>(n) / 2.0 * 1.1) + 16);
  const double log_q = std::log1p(-p);
  for (std::size_t v = 1; v < n; ++v) {
    // Row v holds the pairs (v, w) for w = 0..v-1. The gap before the next linked w is
    // geometric: P(gap = g) = (1 - p)^g p, drawn as floor(log U / log(1 - p)).
    Words words(random, v);
    const double row = static_cast<double>(v);
    double w = -1.0;  // exact: every value stays below 2^32
    while (true) {
      w += 1.0 + std::floor(std::log(words.uniform()) / log_q);
      if (w >= row) break;
      edges.push_back({static_cast<Node>(v), static_cast<Node>(w)});
    }
  }
  return {n, std::move(edges)};
}

Network spatial_neighbourhood(std::size_t width, std::size_t height, std::size_t radius, bool torus) {
  if (width == 0 || height == 0) {
    throw std::invalid_argument("spatial_neighbourhood: width and height must be positive");
  }
  if (width > max_network_nodes / height) {
    throw std::invalid_argument("spatial_neighbourhood: width x height = " + std::to_string(width) + " x " +
                                std::to_string(height) + " exceeds " + std::to_string(max_network_nodes) +
                                " nodes");
  }
  if (torus && (radius > (width - 1) / 2 || radius > (height - 1) / 2)) {
    throw std::invalid_argument("spatial_neighbourhood: on a torus 2 radius + 1 = " + std::to_string(2 * radius + 1) +
                                " must not exceed width " + std::to_string(width) + " or height " +
                                std::to_string(height) + " (the neighbourhood would wrap onto itself)");
  }
  const auto w = static_cast<std::int64_t>(width);
  const auto h = static_cast<std::int64_t>(height);
  // Beyond the grid's extent a larger radius links nothing new; clamping per axis keeps the
  // loops proportional to the output.
  const auto rx = static_cast<std::int64_t>(std::min(radius, width - 1));
  const auto ry = static_cast<std::int64_t>(std::min(radius, height - 1));
  const auto cells = width * height;
  const auto degree_bound = static_cast<std::size_t>((2 * rx + 1) * (2 * ry + 1) - 1);
  std::vector<Edge> edges;
  edges.reserve(cells * std::min(degree_bound, cells - 1) / 2);
  for (std::int64_t y = 0; y < h; ++y) {
    const std::int64_t y_first = torus ? y - ry : std::max<std::int64_t>(y - ry, 0);
    const std::int64_t y_last = torus ? y + ry : std::min(y + ry, h - 1);
    for (std::int64_t x = 0; x < w; ++x) {
      const std::int64_t x_first = torus ? x - rx : std::max<std::int64_t>(x - rx, 0);
      const std::int64_t x_last = torus ? x + rx : std::min(x + rx, w - 1);
      const std::int64_t self = y * w + x;
      for (std::int64_t yy = y_first; yy <= y_last; ++yy) {
        const std::int64_t ny = (yy + h) % h;  // wraps on a torus; identity otherwise
        for (std::int64_t xx = x_first; xx <= x_last; ++xx) {
          const std::int64_t nx = (xx + w) % w;
          const std::int64_t other = ny * w + nx;
          // Neighbourhoods are symmetric: emit each pair once, from its smaller end (this also
          // skips the cell itself).
          if (other > self) edges.push_back({static_cast<Node>(self), static_cast<Node>(other)});
        }
      }
    }
  }
  return {width * height, std::move(edges)};
}

Network from_edge_list_csv(std::istream& in, const std::string& name, std::size_t n) {
  check_node_count("from_edge_list_csv", n);
  std::vector<Edge> edges;
  std::string text;
  std::size_t line = 0;
  bool header_seen = false;

  const auto parse_id = [&](std::string_view field) -> Node {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error == std::errc::result_out_of_range && end == field.data() + field.size()) {
      throw NetworkError(name, line, "node id " + std::string(field) + " out of range [0, " + std::to_string(n) + ")");
    }
    if (error != std::errc{} || end != field.data() + field.size() || field.empty()) {
      throw NetworkError(name, line, "node id \"" + std::string(field) + "\" is not an integer");
    }
    if (value < 0 || static_cast<std::uint64_t>(value) >= n) {
      throw NetworkError(name, line, "node id " + std::to_string(value) + " out of range [0, " + std::to_string(n) + ")");
    }
    return static_cast<Node>(value);
  };

  while (std::getline(in, text)) {
    ++line;
    std::string_view content = text;
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    // Spreadsheets often save CSV with a UTF-8 byte order mark; it is not part of the header.
    if (line == 1 && content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
    content = trim(content);
    if (content.empty() || content.front() == '#') continue;
    const auto comma = content.find(',');
    const bool two_fields = comma != std::string_view::npos && content.find(',', comma + 1) == std::string_view::npos;
    const std::string_view first = two_fields ? trim(content.substr(0, comma)) : std::string_view{};
    const std::string_view second = two_fields ? trim(content.substr(comma + 1)) : std::string_view{};
    if (!header_seen) {
      if (!two_fields || first != "source" || second != "target") {
        throw NetworkError(name, line, "expected header \"source,target\", got \"" + std::string(content) + "\"");
      }
      header_seen = true;
      continue;
    }
    if (!two_fields) {
      throw NetworkError(name, line, "expected two fields \"source,target\", got \"" + std::string(content) + "\"");
    }
    const Node source = parse_id(first);
    const Node target = parse_id(second);
    if (source == target) throw NetworkError(name, line, "self loop on node " + std::to_string(source));
    edges.push_back({source, target});
  }
  if (in.bad()) throw NetworkError(name, line, "read error");
  if (!header_seen) {
    throw NetworkError(name, line + 1, "expected header \"source,target\", got end of file");
  }
  return {n, std::move(edges)};
}

}  // namespace commons::sim

namespace commons::sim {

Network build_network(const NetworkSpec& spec, std::size_t n, const RandomStream& random) {
  const std::string& model = spec.generator.model;
  const Parameters& p = spec.generator.parameters;
  const auto count = [&](std::string_view name) { return static_cast<std::size_t>(p.integer(name)); };
  if (model == "complete") return complete(n);
  if (model == "ring_lattice") return ring_lattice(n, count("degree"));
  if (model == "watts_strogatz") return watts_strogatz(n, count("degree"), p.number("rewire_probability"), random);
  if (model == "barabasi_albert") return barabasi_albert(n, count("links_per_node"), random);
  if (model == "erdos_renyi") return erdos_renyi(n, p.number("link_probability"), random);
  if (model == "spatial_neighbourhood") {
    const std::size_t width = count("width");
    if (width == 0 || n % width != 0)
      throw std::invalid_argument("spatial_neighbourhood: width " + std::to_string(width) + " does not divide the " +
                                  std::to_string(n) + " agents into full rows");
    return spatial_neighbourhood(width, n / width, count("radius"), p.flag_or("torus", false));
  }
  if (model == "edge_list") {
    std::istringstream text(p.text("text"));
    return from_edge_list_csv(text, p.text("file"), n);
  }
  throw SpecError("network generator '" + model + "' is not known");
}

}  // namespace commons::sim
