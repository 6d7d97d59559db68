// SPDX-License-Identifier: Apache-2.0
#include "commons/sim/network_generators.hpp"

#include "commons/sim/random.hpp"
#include "commons/sim/spec.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <istream>
#include <memory_resource>
#include <numeric>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace commons::sim {
namespace {

using Node = Network::Node;
using Edge = Network::Edge;

// Share of building_network_activity that a generator working through an edge list reports for
// drawing its edges; the Network constructor (bucketing, sorting and copying the arcs) reports
// the rest. Drawing took 35-60% of the time for Erdos-Renyi, Barabasi-Albert and Watts-Strogatz
// graphs of 1e7-1e8 edges.
constexpr double edge_generation_share = 0.5;

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
  std::size_t below(std::size_t m) { return static_cast<std::size_t>(detail::below(next(), m)); }

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
std::vector<Edge> ring_edges(std::size_t n, std::size_t k, detail::WorkTally& tally) {
  std::vector<Edge> edges;
  edges.reserve(n * (k / 2));
  for (std::size_t j = 1; j <= k / 2; ++j) {
    for (std::size_t v = 0; v < n; ++v) {
      edges.push_back({static_cast<Node>(v), static_cast<Node>((v + j) % n)});
      tally.add(1);
    }
  }
  return edges;
}

// Capacity of a node's neighbour list while Watts-Strogatz rewires: k plus three standard
// deviations of the rise above k. A node gains rewired far ends as a Poisson variable of mean
// lambda = p k / 2 and loses its own far ends at about the same rate, so the rise is a
// zero-drift walk whose maximum is of order sqrt(lambda).
std::size_t rewiring_capacity(std::size_t k, double p) {
  return k + static_cast<std::size_t>(std::ceil(3.0 * std::sqrt(p * static_cast<double>(k) / 2.0))) + 1;
}

// Row v of the ring lattice: the k / 2 nodes on each side of v.
void ring_row(std::size_t n, std::size_t k, Node v, std::vector<Node>& row) {
  for (std::size_t j = 1; j <= k / 2; ++j) {
    row.push_back(static_cast<Node>((v + j) % n));
    row.push_back(static_cast<Node>((v + n - j) % n));
  }
}

// Removes one occurrence of `value` from an unordered list.
template <class List>
void erase_one(List& list, Node value) {
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

// A width x height grid whose cells link to all others within Chebyshev distance `radius`.
struct Grid {
  Grid(std::size_t width_, std::size_t height_, std::size_t radius, bool torus_)
      : width(width_),
        height(height_),
        torus(torus_),
        // Beyond the grid's extent a larger radius links nothing new; clamping per axis keeps the
        // loops proportional to the output.
        rx(std::min(radius, width_ - 1)),
        ry(std::min(radius, height_ - 1)) {}

  // Sum over the cells c of an axis of `size` cells of the number within r of c (c included).
  [[nodiscard]] std::size_t span_sum(std::size_t size, std::size_t r) const {
    if (torus) return size * (2 * r + 1);
    std::size_t sum = 0;
    for (std::size_t c = 0; c < size; ++c) sum += std::min(c + r, size - 1) - (c >= r ? c - r : 0) + 1;
    return sum;
  }

  // The neighbours of cell v = y width + x, in row-major order before wrapping.
  void row(Node v, std::vector<Node>& out) const {
    const auto w = static_cast<std::int64_t>(width);
    const auto h = static_cast<std::int64_t>(height);
    const auto x = static_cast<std::int64_t>(v) % w;
    const auto y = static_cast<std::int64_t>(v) / w;
    const auto dx = static_cast<std::int64_t>(rx);
    const auto dy = static_cast<std::int64_t>(ry);
    const std::int64_t y_first = torus ? y - dy : std::max<std::int64_t>(y - dy, 0);
    const std::int64_t y_last = torus ? y + dy : std::min(y + dy, h - 1);
    const std::int64_t x_first = torus ? x - dx : std::max<std::int64_t>(x - dx, 0);
    const std::int64_t x_last = torus ? x + dx : std::min(x + dx, w - 1);
    for (std::int64_t yy = y_first; yy <= y_last; ++yy) {
      const std::int64_t ny = (yy + h) % h;  // wraps on a torus; identity otherwise
      for (std::int64_t xx = x_first; xx <= x_last; ++xx) {
        const std::int64_t other = ny * w + (xx + w) % w;
        if (other != static_cast<std::int64_t>(v)) out.push_back(static_cast<Node>(other));
      }
    }
  }

  std::size_t width;
  std::size_t height;
  bool torus;
  std::size_t rx;
  std::size_t ry;
};

// Reads an edge list CSV line by line (see from_edge_list_csv), from a stream or from text in
// memory alike. One unit of work per byte.
class EdgeListReader {
 public:
  EdgeListReader(const std::string& name, std::size_t n, detail::WorkMeter& meter)
      : name_(name), n_(n), tally_(meter) {}

  // One line, without its '\n'.
  void line(std::string_view text) {
    ++line_;
    tally_.add(text.size() + 1);
    std::string_view content = text;
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    // Spreadsheets often save CSV with a UTF-8 byte order mark; it is not part of the header.
    if (line_ == 1 && content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
    content = trim(content);
    if (content.empty() || content.front() == '#') return;
    const auto comma = content.find(',');
    const bool two_fields = comma != std::string_view::npos && content.find(',', comma + 1) == std::string_view::npos;
    const std::string_view first = two_fields ? trim(content.substr(0, comma)) : std::string_view{};
    const std::string_view second = two_fields ? trim(content.substr(comma + 1)) : std::string_view{};
    if (!header_seen_) {
      if (!two_fields || first != "source" || second != "target") {
        fail("expected header \"source,target\", got \"" + std::string(content) + "\"");
      }
      header_seen_ = true;
      return;
    }
    if (!two_fields) fail("expected two fields \"source,target\", got \"" + std::string(content) + "\"");
    const Node source = parse_id(first);
    const Node target = parse_id(second);
    if (source == target) fail("self loop on node " + std::to_string(source));
    edges_.push_back({source, target});
  }

  // Throws NetworkError at the current line.
  [[noreturn]] void fail(const std::string& message) const { throw NetworkError(name_, line_, message); }

  // The edges read, once the text has ended.
  std::vector<Edge> finish() {
    if (!header_seen_) throw NetworkError(name_, line_ + 1, "expected header \"source,target\", got end of file");
    tally_.flush();
    return std::move(edges_);
  }

 private:
  [[nodiscard]] Node parse_id(std::string_view field) const {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (error == std::errc::result_out_of_range && end == field.data() + field.size()) {
      fail("node id " + std::string(field) + " out of range [0, " + std::to_string(n_) + ")");
    }
    if (error != std::errc{} || end != field.data() + field.size() || field.empty()) {
      fail("node id \"" + std::string(field) + "\" is not an integer");
    }
    if (value < 0 || static_cast<std::uint64_t>(value) >= n_) {
      fail("node id " + std::to_string(value) + " out of range [0, " + std::to_string(n_) + ")");
    }
    return static_cast<Node>(value);
  }

  const std::string& name_;
  std::size_t n_;
  detail::WorkTally tally_;
  std::size_t line_ = 0;
  bool header_seen_ = false;
  std::vector<Edge> edges_;
};

}  // namespace

Network complete(std::size_t n, const RunControl& control) {
  check_node_count("complete", n);
  // Written row by row: an edge list of K_n would hold n (n - 1) / 2 edges only to be bucketed.
  const auto row = [n](Node v, std::vector<Node>& out) {
    out.resize(n - 1);
    std::iota(out.begin(), out.begin() + v, Node{0});
    std::iota(out.begin() + v, out.end(), static_cast<Node>(v + 1));
  };
  return {Network::symmetric_rows, n, n * (n - (n > 0 ? 1 : 0)), row, control};
}

Network ring_lattice(std::size_t n, std::size_t k, const RunControl& control) {
  check_ring("ring_lattice", n, k);
  return {Network::symmetric_rows, n, n * k, [n, k](Node v, std::vector<Node>& row) { ring_row(n, k, v, row); },
          control};
}

Network watts_strogatz(std::size_t n, std::size_t k, double p, const RandomStream& random,
                       const RunControl& control) {
  check_ring("watts_strogatz", n, k);
  check_probability("watts_strogatz", p);
  if (p == 0.0) return ring_lattice(n, k, control);
  // Three passes over the n k / 2 edges: laying the ring, listing neighbours, rewiring.
  detail::WorkMeter meter(control, building_network_activity, 1.5 * static_cast<double>(n * k), 0.0,
                          edge_generation_share);
  detail::WorkTally tally(meter);
  std::vector<Edge> edges = ring_edges(n, k, tally);

  {
    // Current adjacency, unordered; degrees stay near k, so linear membership tests are cheap.
    // Each list has room for its degree to rise a little above k, so few ever reallocate; all
    // live in one arena, which returns its memory to the system as a whole before the Network is
    // built (small heap blocks freed one by one would stay resident).
    const std::size_t room = rewiring_capacity(k, p);
    std::pmr::monotonic_buffer_resource arena(n * room * sizeof(Node));
    std::vector<std::pmr::vector<Node>> adjacent;
    adjacent.reserve(n);
    for (std::size_t v = 0; v < n; ++v) adjacent.emplace_back(&arena).reserve(room);
    for (const Edge& e : edges) {
      adjacent[e.source].push_back(e.target);
      adjacent[e.target].push_back(e.source);
      tally.add(1);
    }
    // Sequential by design: whether a rewiring is allowed depends on the edges rewired before it.
    for (std::size_t e = 0; e < edges.size(); ++e) {
      tally.add(1);
      Words words(random, e);
      if (words.uniform() >= p) continue;
      const Node v = edges[e].source;
      std::pmr::vector<Node>& near = adjacent[v];
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
  }
  tally.flush();
  meter.finish();
  return {n, std::move(edges), control, edge_generation_share};
}

Network barabasi_albert(std::size_t n, std::size_t m, const RandomStream& random, const RunControl& control) {
  check_node_count("barabasi_albert", n);
  if (m < 1 || m >= n) {
    throw std::invalid_argument("barabasi_albert: m = " + std::to_string(m) + " must satisfy 1 <= m < n = " +
                                std::to_string(n));
  }
  const std::size_t seed_nodes = m + 1;
  const std::size_t edge_total = seed_nodes * m / 2 + (n - seed_nodes) * m;
  detail::WorkMeter meter(control, building_network_activity, static_cast<double>(edge_total), 0.0,
                          edge_generation_share);
  detail::WorkTally tally(meter);
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
    tally.add(seed_nodes - v);
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
    tally.add(m);
  }
  ends = std::vector<Node>();  // freed before the Network is built: a lower peak
  tally.flush();
  meter.finish();
  return {n, std::move(edges), control, edge_generation_share};
}

Network erdos_renyi(std::size_t n, double p, const RandomStream& random, const RunControl& control) {
  check_node_count("erdos_renyi", n);
  check_probability("erdos_renyi", p);
  if (p == 1.0) return complete(n, control);
  std::vector<Edge> edges;
  if (p == 0.0) return {n, std::move(edges), control};
  const double mean_edges = p * static_cast<double>(n) * static_cast<double>(n - 1) / 2.0;
  edges.reserve(static_cast<std::size_t>(mean_edges * 1.1) + 16);
  detail::WorkMeter meter(control, building_network_activity, mean_edges + static_cast<double>(n), 0.0,
                          edge_generation_share);
  detail::WorkTally tally(meter);
  const double log_q = std::log1p(-p);
  for (std::size_t v = 1; v < n; ++v) {
    // Row v holds the pairs (v, w) for w = 0..v-1. The gap before the next linked w is
    // geometric: P(gap = g) = (1 - p)^g p, drawn as floor(log U / log(1 - p)).
    Words words(random, v);
    const double row = static_cast<double>(v);
    double w = -1.0;  // exact: every value stays below 2^32
    const std::size_t before = edges.size();
    while (true) {
      w += 1.0 + std::floor(std::log(words.uniform()) / log_q);
      if (w >= row) break;
      edges.push_back({static_cast<Node>(v), static_cast<Node>(w)});
    }
    tally.add(edges.size() - before + 1);
  }
  tally.flush();
  meter.finish();
  return {n, std::move(edges), control, edge_generation_share};
}

Network spatial_neighbourhood(std::size_t width, std::size_t height, std::size_t radius, bool torus,
                              const RunControl& control) {
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
  const Grid grid{width, height, radius, torus};
  const std::size_t cells = width * height;
  // A neighbourhood is an x interval times a y interval and holds its own cell.
  const std::size_t arcs = grid.span_sum(width, grid.rx) * grid.span_sum(height, grid.ry) - cells;
  const auto row = [&grid](Node v, std::vector<Node>& out) { grid.row(v, out); };
  return {Network::symmetric_rows, cells, arcs, row, control};
}

Network from_edge_list_csv(std::istream& in, const std::string& name, std::size_t n, const RunControl& control) {
  check_node_count("from_edge_list_csv", n);
  detail::WorkMeter meter(control, building_network_activity, 0.0, 0.0, edge_generation_share);
  EdgeListReader reader(name, n, meter);
  std::string text;
  while (std::getline(in, text)) reader.line(text);
  if (in.bad()) reader.fail("read error");
  std::vector<Edge> edges = reader.finish();
  meter.finish();
  return {n, std::move(edges), control, edge_generation_share};
}

}  // namespace commons::sim

namespace commons::sim {
namespace {

// A `network` block's generator and parameters, read and checked once for build_network and for
// the two estimates (the generators check their own arguments again).
struct Generator {
  std::string_view model;
  std::size_t degree = 0;  // ring_lattice, watts_strogatz
  double probability = 0.0;  // rewire (watts_strogatz) or link (erdos_renyi)
  std::size_t links_per_node = 0;  // barabasi_albert
  std::size_t width = 0;  // spatial_neighbourhood
  std::size_t height = 0;
  std::size_t radius = 0;
  bool torus = false;
};

Generator read_generator(const NetworkSpec& spec, std::size_t n) {
  const Parameters& p = spec.generator.parameters;
  const auto count = [&](std::string_view name) { return static_cast<std::size_t>(p.integer(name)); };
  Generator g{spec.generator.model};
  if (g.model == "complete" || g.model == "edge_list") return g;
  if (g.model == "ring_lattice") {
    g.degree = count("degree");
  } else if (g.model == "watts_strogatz") {
    g.degree = count("degree");
    g.probability = p.number("rewire_probability");
  } else if (g.model == "barabasi_albert") {
    g.links_per_node = count("links_per_node");
  } else if (g.model == "erdos_renyi") {
    g.probability = p.number("link_probability");
  } else if (g.model == "spatial_neighbourhood") {
    g.width = count("width");
    if (g.width == 0 || n % g.width != 0)
      throw std::invalid_argument("spatial_neighbourhood: width " + std::to_string(g.width) + " does not divide the " +
                                  std::to_string(n) + " agents into full rows");
    g.height = n / g.width;
    g.radius = count("radius");
    g.torus = p.flag_or("torus", false);
  } else {
    throw SpecError("network generator '" + spec.generator.model + "' is not known");
  }
  return g;
}

// The edges of an edge_list block's text, as the generator reads them (duplicates kept).
std::vector<Edge> edge_list_edges(const NetworkSpec& spec, std::size_t n, detail::WorkMeter& meter) {
  const Parameters& p = spec.generator.parameters;
  check_node_count("from_edge_list_csv", n);
  EdgeListReader reader(p.text("file"), n, meter);
  // Line by line over the scenario's copy of the text: an istringstream would copy it again.
  std::string_view text = p.text("text");
  while (!text.empty()) {
    const auto end = text.find('\n');
    reader.line(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return reader.finish();
}

// Distinct undirected edges and the largest degree of an edge list with repeats.
struct EdgeListShape {
  std::size_t raw_edges = 0;
  std::size_t edges = 0;
  std::size_t max_degree = 0;
};

EdgeListShape edge_list_shape(const NetworkSpec& spec, std::size_t n) {
  detail::WorkMeter meter(RunControl{}, building_network_activity, 0.0);
  std::vector<Edge> edges = edge_list_edges(spec, n, meter);
  EdgeListShape shape{edges.size(), 0, 0};
  for (Edge& e : edges) {
    if (e.target < e.source) std::swap(e.source, e.target);
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) {
    return a.source != b.source ? a.source < b.source : a.target < b.target;
  });
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  shape.edges = edges.size();
  std::vector<std::size_t> degree(n, 0);
  for (const Edge& e : edges) {
    shape.max_degree = std::max({shape.max_degree, ++degree[e.source], ++degree[e.target]});
  }
  return shape;
}

// Peak resident heap of a network written row by row (Network's SymmetricRows constructor):
// Boost's column (4 bytes per arc) and row starts (8 bytes per node), and one row. (Boost also
// allocates a std::vector<no_property> of one byte per arc and per node, which is never written
// and so never resident.)
double row_built_bytes(double nodes, double edges, double max_degree) {
  return 8.0 * edges + 8.0 * nodes + 4.0 * max_degree;
}

// Peak resident heap of a network built from an edge list of `raw_edges` edges (repeats
// included) with `edges` distinct ones. Two moments compete: while the arcs are bucketed, the
// edge list (8 bytes per edge), the bucketed arcs (8) and two row-start arrays (16 per node);
// while Boost copies the sorted rows, the bucketed arcs, the row lengths and starts (12 per
// node) and the graph (8 per edge, 8 per node).
double edge_list_built_bytes(double nodes, double raw_edges, double edges) {
  return std::max(16.0 * raw_edges + 16.0 * nodes, 8.0 * raw_edges + 8.0 * edges + 20.0 * nodes);
}

}  // namespace

Network build_network(const NetworkSpec& spec, std::size_t n, const RandomStream& random,
                      const RunControl& control) {
  const Generator g = read_generator(spec, n);
  if (g.model == "complete") return complete(n, control);
  if (g.model == "ring_lattice") return ring_lattice(n, g.degree, control);
  if (g.model == "watts_strogatz") return watts_strogatz(n, g.degree, g.probability, random, control);
  if (g.model == "barabasi_albert") return barabasi_albert(n, g.links_per_node, random, control);
  if (g.model == "erdos_renyi") return erdos_renyi(n, g.probability, random, control);
  if (g.model == "spatial_neighbourhood") {
    return spatial_neighbourhood(g.width, g.height, g.radius, g.torus, control);
  }
  // edge_list
  detail::WorkMeter meter(control, building_network_activity,
                          static_cast<double>(spec.generator.parameters.text("text").size()), 0.0,
                          edge_generation_share);
  std::vector<Edge> edges = edge_list_edges(spec, n, meter);
  meter.finish();
  return {n, std::move(edges), control, edge_generation_share};
}

std::size_t max_degree_bound(const NetworkSpec& spec, std::size_t n) {
  const Generator g = read_generator(spec, n);
  if (n <= 1) return 0;
  const std::size_t anyone = n - 1;
  if (g.model == "ring_lattice") return std::min(g.degree, anyone);
  // Rewiring may land any number of far ends on one node; only p = 0 keeps the lattice.
  if (g.model == "watts_strogatz") return g.probability == 0.0 ? std::min(g.degree, anyone) : anyone;
  if (g.model == "erdos_renyi" && g.probability == 0.0) return 0;
  if (g.model == "spatial_neighbourhood") {
    const Grid grid{g.width, g.height, g.radius, g.torus};
    return std::min((2 * grid.rx + 1) * (2 * grid.ry + 1) - 1, anyone);
  }
  if (g.model == "edge_list") return edge_list_shape(spec, n).max_degree;
  return anyone;  // complete, barabasi_albert (hubs), erdos_renyi
}

}  // namespace commons::sim

namespace commons::sim {

std::uint64_t network_bytes_estimate(const NetworkSpec& spec, std::size_t n) {
  const Generator g = read_generator(spec, n);
  if (n == 0) return 0;
  const auto nodes = static_cast<double>(n);
  const double anyone = nodes - 1.0;
  double bytes = 0.0;
  if (g.model == "complete") {
    bytes = row_built_bytes(nodes, nodes * anyone / 2.0, anyone);
  } else if (g.model == "ring_lattice" || (g.model == "watts_strogatz" && g.probability == 0.0)) {
    const auto k = static_cast<double>(g.degree);
    bytes = row_built_bytes(nodes, nodes * k / 2.0, k);
  } else if (g.model == "watts_strogatz") {
    const auto k = static_cast<double>(g.degree);
    const double edges = nodes * k / 2.0;
    // While rewiring: the edge list and a std::pmr::vector of neighbours per node (32 bytes, and
    // rewiring_capacity neighbours in the arena; the few lists that outgrow it are not counted).
    const double adjacency = nodes * (32.0 + 4.0 * static_cast<double>(rewiring_capacity(g.degree, g.probability)));
    bytes = std::max(8.0 * edges + adjacency, edge_list_built_bytes(nodes, edges, edges));
  } else if (g.model == "barabasi_albert") {
    const auto m = static_cast<double>(g.links_per_node);
    const double edges = m * (m + 1.0) / 2.0 + (nodes - m - 1.0) * m;
    // While attaching: the edge list and the list of edge ends (8 bytes per edge each), below the
    // bucketing moment.
    bytes = edge_list_built_bytes(nodes, edges, edges);
  } else if (g.model == "erdos_renyi") {
    const double pairs = nodes * anyone / 2.0;
    // Four standard deviations above the mean edge count.
    const double p = g.probability;
    const double edges = std::min(pairs, p * pairs + 4.0 * std::sqrt(pairs * p * (1.0 - p)));
    // p = 1 is handed to complete().
    bytes = p == 1.0 ? row_built_bytes(nodes, pairs, anyone) : edge_list_built_bytes(nodes, edges, edges);
  } else if (g.model == "spatial_neighbourhood") {
    const Grid grid{g.width, g.height, g.radius, g.torus};
    const auto arcs = static_cast<double>(grid.span_sum(g.width, grid.rx)) *
                          static_cast<double>(grid.span_sum(g.height, grid.ry)) - nodes;
    bytes = row_built_bytes(nodes, arcs / 2.0, static_cast<double>((2 * grid.rx + 1) * (2 * grid.ry + 1) - 1));
  } else {  // edge_list
    const EdgeListShape shape = edge_list_shape(spec, n);
    bytes = edge_list_built_bytes(nodes, static_cast<double>(shape.raw_edges), static_cast<double>(shape.edges));
  }
  return static_cast<std::uint64_t>(std::ceil(bytes));
}

}  // namespace commons::sim
