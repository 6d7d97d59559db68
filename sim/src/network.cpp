// SPDX-License-Identifier: Apache-2.0
#include "commons/sim/network.hpp"

#include "commons/sim/parallel.hpp"
#include "commons/sim/random.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace commons::sim {
namespace {

using Node = Network::Node;

void check_node_count(std::size_t node_count) {
  if (node_count > max_network_nodes) {
    throw std::invalid_argument("Network: node count " + std::to_string(node_count) + " exceeds " +
                                std::to_string(max_network_nodes));
  }
}

// The rows of a graph as the (source, target) pairs, in order, that Boost's sorted-edges CSR
// constructor reads; `Rows::row(v)` gives row v sorted. Rows are fetched one at a time, so a
// generator's rows need never exist all at once outside the graph. The tally counts one unit
// per arc, so a stop request is answered while Boost copies.
template <class Rows>
class ArcIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = std::pair<Node, Node>;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = const value_type&;

  // The end: past the last row.
  ArcIterator(Rows& rows, detail::WorkTally& tally, std::size_t node_count)
      : rows_(&rows), tally_(&tally), node_count_(node_count), row_index_(node_count) {}
  // The first arc of the first non-empty row.
  ArcIterator(Rows& rows, detail::WorkTally& tally, std::size_t node_count, std::size_t first_row)
      : rows_(&rows), tally_(&tally), node_count_(node_count), row_index_(first_row) {
    enter_row();
  }

  reference operator*() const { return arc_; }
  pointer operator->() const { return &arc_; }
  ArcIterator& operator++() {
    if (++position_ < row_.size()) {
      arc_.second = row_[position_];
    } else {
      ++row_index_;
      enter_row();
    }
    return *this;
  }
  friend bool operator==(const ArcIterator& a, const ArcIterator& b) {
    return a.row_index_ == b.row_index_ && a.position_ == b.position_;
  }

 private:
  // Moves to the first arc of row row_index_ or, if it is empty, of the next non-empty row.
  void enter_row() {
    position_ = 0;
    for (; row_index_ < node_count_; ++row_index_) {
      row_ = rows_->row(static_cast<Node>(row_index_));
      tally_->add(row_.size() + 1);
      if (!row_.empty()) {
        arc_ = {static_cast<Node>(row_index_), row_[0]};
        return;
      }
    }
  }

  Rows* rows_;
  detail::WorkTally* tally_;
  std::size_t node_count_;
  std::size_t row_index_;
  std::size_t position_ = 0;
  std::span<const Node> row_;
  value_type arc_{};
};

// Builds the Boost graph from sorted rows, allocating its column array once (arc_count).
template <class Rows>
Network::Graph graph_from_rows(Rows& rows, std::size_t node_count, std::size_t arc_count,
                               detail::WorkTally& tally) {
  ArcIterator<Rows> first(rows, tally, node_count, 0);
  ArcIterator<Rows> last(rows, tally, node_count);
  return {boost::edges_are_sorted, first, last, static_cast<Node>(node_count), arc_count};
}

// Rows already sorted and de-duplicated in one array: (start, length) per node.
struct StoredRows {
  const Node* targets;
  const std::vector<std::size_t>& start;
  const std::vector<Node>& length;
  std::span<const Node> row(Node v) const { return {targets + start[v], length[v]}; }
};

// Rows written on demand by a generator, sorted and checked here.
struct WrittenRows {
  const Network::RowWriter& write;
  std::size_t node_count;
  std::vector<Node> buffer;
  std::size_t total = 0;

  std::span<const Node> row(Node v) {
    buffer.clear();
    write(v, buffer);
    if (!std::is_sorted(buffer.begin(), buffer.end())) std::sort(buffer.begin(), buffer.end());
    if (!buffer.empty() && buffer.back() >= node_count) {
      throw std::invalid_argument("Network: row " + std::to_string(v) + " holds " + std::to_string(buffer.back()) +
                                  ", outside [0, " + std::to_string(node_count) + ")");
    }
    if (std::binary_search(buffer.begin(), buffer.end(), v)) {
      throw std::invalid_argument("Network: self loop on node " + std::to_string(v));
    }
    if (std::adjacent_find(buffer.begin(), buffer.end()) != buffer.end()) {
      throw std::invalid_argument("Network: row " + std::to_string(v) + " holds a neighbour twice");
    }
    total += buffer.size();
    return buffer;
  }
};

// Work units of the edge-list constructor, weighted by the time each pass was seen to take:
// one per edge validating, one per edge bucketing, one per edge (half an arc) sorting rows, which
// are often already in order, and one per arc and per node copying them into the graph.
double edge_list_units(std::size_t node_count, std::size_t edges) {
  return 5.0 * static_cast<double>(edges) + 2.0 * static_cast<double>(node_count);
}

// --- triangle counting -------------------------------------------------------------------

// Share of measuring_clustering_activity given to the first pass (out-degrees and work), which
// is one read of the arcs; the counting or the sampling after it gets the rest.
constexpr double orientation_share = 0.1;

// Nodes per block of the passes below. Much smaller than agent_block_size because the work
// per node is very uneven (low-ranked nodes of a dense graph do most of it). The counts are
// integers, so blocks never change a result.
constexpr std::size_t triangle_block_size = 64;

// Calls `body(first, last, tally)` for each fixed block of triangle_block_size nodes, on TBB;
// the tally reports to `meter`. A stop request throws Interrupted out of a block, which cancels
// the loop and is rethrown here by TBB.
template <class Body>
void for_each_node_block(std::size_t n, detail::WorkMeter& meter, Body&& body) {
  const std::size_t blocks = (n + triangle_block_size - 1) / triangle_block_size;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, blocks), [&](const tbb::blocked_range<std::size_t>& range) {
    detail::WorkTally tally(meter);
    for (std::size_t b = range.begin(); b != range.end(); ++b) {
      const std::size_t first = b * triangle_block_size;
      body(first, std::min(n, first + triangle_block_size), tally);
    }
    tally.flush();
  });
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return b > std::numeric_limits<std::uint64_t>::max() - a ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

struct Orientation {
  // Rank order of the forward algorithm, (degree, index) packed as degree x 2^32 + index: edges
  // point up this order, which bounds every out-degree by sqrt(2 m).
  std::vector<std::uint64_t> rank;
  std::vector<Node> out_degree;  // neighbours ranked above each node
  std::uint64_t work = 0;        // Network::triangle_work(), saturating
};

// One pass over the arcs.
Orientation orient(const Network& network, detail::WorkMeter& meter) {
  const std::size_t n = network.node_count();
  Orientation result;
  result.rank.resize(n);
  for_each_node_block(n, meter, [&](std::size_t first, std::size_t last, detail::WorkTally& tally) {
    for (std::size_t v = first; v < last; ++v) {
      result.rank[v] = std::uint64_t{network.degree(static_cast<Node>(v))} << 32 | v;
    }
    tally.add(last - first);
  });
  result.out_degree.assign(n, 0);
  const std::size_t blocks = (n + triangle_block_size - 1) / triangle_block_size;
  std::vector<std::uint64_t> block_work(blocks, 0);
  for_each_node_block(n, meter, [&](std::size_t first, std::size_t last, detail::WorkTally& tally) {
    std::uint64_t work = 0;
    for (std::size_t v = first; v < last; ++v) {
      const auto near = network.neighbours(static_cast<Node>(v));
      const std::uint64_t own = result.rank[v];
      Node out = 0;
      for (const Node w : near) out += result.rank[w] > own ? 1U : 0U;
      result.out_degree[v] = out;
      // Both factors are below 2^32 + 32: the product fits.
      work = saturating_add(work, std::uint64_t{out} * (near.size() + triangle_edge_work));
      tally.add(near.size() + 1);
    }
    block_work[first / triangle_block_size] = work;
  });
  for (const std::uint64_t w : block_work) result.work = saturating_add(result.work, w);
  return result;
}

// Exact triangles through every node by the forward algorithm (see Network::triangles).
std::vector<std::uint64_t> count_triangles(const Network& network, const Orientation& orientation,
                                           detail::WorkMeter& meter) {
  const std::size_t n = network.node_count();
  // Out-lists: each node's neighbours ranked above it, in index order (a filter of the sorted
  // neighbour list), so two out-lists intersect by a merge.
  std::vector<std::size_t> out_start(n + 1, 0);
  for (std::size_t v = 0; v < n; ++v) out_start[v + 1] = out_start[v] + orientation.out_degree[v];
  // Not zero-filled: every entry is written below, in blocks that check for a stop.
  const auto out_column = std::make_unique_for_overwrite<Node[]>(out_start[n]);
  for_each_node_block(n, meter, [&](std::size_t first, std::size_t last, detail::WorkTally& tally) {
    for (std::size_t v = first; v < last; ++v) {
      const std::uint64_t own = orientation.rank[v];
      std::size_t k = out_start[v];
      for (const Node w : network.neighbours(static_cast<Node>(v))) {
        if (orientation.rank[w] > own) out_column[k++] = w;
      }
      tally.add(network.degree(static_cast<Node>(v)) + 1);
    }
  });
  const auto out = [&](Node v) {
    return std::span<const Node>(out_column.get() + out_start[v], out_start[v + 1] - out_start[v]);
  };

  std::vector<std::uint64_t> triangles(n, 0);
  for_each_node_block(n, meter, [&](std::size_t first, std::size_t last, detail::WorkTally& tally) {
    // hits[i]: triangles with lowest node u that contain out(u)[i]; below |out(u)|, so 32 bits.
    std::vector<std::uint32_t> hits;
    for (std::size_t i = first; i < last; ++i) {
      const auto u = static_cast<Node>(i);
      const auto out_u = out(u);
      if (out_u.size() < 2) continue;
      hits.assign(out_u.size(), 0);
      std::uint64_t at_u = 0;
      for (std::size_t j = 0; j < out_u.size(); ++j) {
        const auto out_v = out(out_u[j]);
        // Every common member w closes the triangle (u, v, w), ranked in that order.
        std::uint32_t closed = 0;
        std::size_t a = 0;
        std::size_t b = 0;
        while (a < out_u.size() && b < out_v.size()) {
          const Node x = out_u[a];
          const Node y = out_v[b];
          // Common members are rare in sparse graphs and the rule in dense ones, so this branch
          // is well predicted; the two steps below are not, and are taken without branching.
          if (x == y) {
            ++hits[a];
            ++closed;
          }
          a += x <= y ? 1U : 0U;
          b += y <= x ? 1U : 0U;
        }
        hits[j] += closed;
        at_u += closed;
        tally.add(out_u.size() + out_v.size());
      }
      // Other blocks add to the same nodes; integer additions commute, so the counts do not
      // depend on the schedule.
      std::atomic_ref<std::uint64_t>(triangles[u]).fetch_add(at_u, std::memory_order_relaxed);
      for (std::size_t j = 0; j < out_u.size(); ++j) {
        if (hits[j] != 0) {
          std::atomic_ref<std::uint64_t>(triangles[out_u[j]]).fetch_add(hits[j], std::memory_order_relaxed);
        }
      }
    }
  });
  return triangles;
}

// orient() as the first part of measuring_clustering_activity: units are nodes and arcs.
Orientation orient_reporting(const Network& network, const RunControl& control) {
  const double arcs = 2.0 * static_cast<double>(network.edge_count());
  detail::WorkMeter meter(control, measuring_clustering_activity,
                          arcs + 2.0 * static_cast<double>(network.node_count()), 0.0, orientation_share);
  Orientation orientation = orient(network, meter);
  meter.finish();
  return orientation;
}

// count_triangles() as the rest of measuring_clustering_activity: units are arcs and nodes
// (listing the out-lists) and merge steps.
std::vector<std::uint64_t> count_reporting(const Network& network, const Orientation& orientation,
                                           const RunControl& control) {
  const double arcs = 2.0 * static_cast<double>(network.edge_count());
  detail::WorkMeter meter(control, measuring_clustering_activity,
                          arcs + static_cast<double>(network.node_count()) + static_cast<double>(orientation.work),
                          orientation_share, 1.0);
  std::vector<std::uint64_t> triangles = count_triangles(network, orientation, meter);
  meter.finish();
  return triangles;
}

// Sum in fixed node order with Neumaier's compensation: bit-identical on any thread count, and
// 1e6 terms stay accurate to a few ulp instead of ~1e-12 relative.
class CompensatedSum {
 public:
  void add(double term) {
    const double next = sum_ + term;
    compensation_ += std::abs(sum_) >= std::abs(term) ? (sum_ - next) + term : (term - next) + sum_;
    sum_ = next;
  }
  [[nodiscard]] double value() const { return sum_ + compensation_; }

 private:
  double sum_ = 0.0;
  double compensation_ = 0.0;
};

// Both measures from exact per-node triangle counts.
Clustering exact_clustering(const Network& network, const std::vector<std::uint64_t>& triangles) {
  const std::size_t n = network.node_count();
  Clustering result;
  if (n == 0) return result;
  CompensatedSum local;
  std::uint64_t closed = 0;   // sum of triangles(v) = 3 x number of triangles
  std::uint64_t triples = 0;  // connected triples centred on each node: deg (deg - 1) / 2
  for (std::size_t v = 0; v < n; ++v) {
    const std::size_t d = network.degree(static_cast<Node>(v));
    closed += triangles[v];
    if (d < 2) continue;  // C_v = 0 by convention (see header)
    triples += std::uint64_t{d} * (d - 1) / 2;
    const double pairs = static_cast<double>(d) * static_cast<double>(d - 1) / 2.0;
    local.add(static_cast<double>(triangles[v]) / pairs);
  }
  result.average = local.value() / static_cast<double>(n);
  result.global = triples == 0 ? 0.0 : static_cast<double>(closed) / static_cast<double>(triples);
  return result;
}

// --- sampling ------------------------------------------------------------------------------

// Counter steps of the two estimators under Purpose::network; the generators use step 0.
constexpr std::uint64_t average_sample_step = 1;
constexpr std::uint64_t global_sample_step = 2;

bool linked(const Network& network, Node x, Node y) {
  // Search the shorter list: O(log min degree).
  if (network.degree(x) > network.degree(y)) std::swap(x, y);
  const auto near = network.neighbours(x);
  return std::binary_search(near.begin(), near.end(), y);
}

// Hits among clustering_samples samples: sample i draws the block (step, i, network, 0), picks
// a node from word 0 with `choose`, and a uniform pair of distinct neighbours from words 1 and 2.
// Counted in fixed blocks of samples, so the total does not depend on the threads.
template <class Choose>
std::uint64_t sample_hits(const Network& network, const RandomStream& random, std::uint64_t step, Choose choose,
                          detail::WorkMeter& meter) {
  std::vector<std::uint64_t> block_hits(block_count(clustering_samples), 0);
  for_each_block(clustering_samples, ExecutionPolicy{}, [&](std::size_t first, std::size_t last) {
    std::uint64_t hits = 0;
    for (std::size_t i = first; i < last; ++i) {
      const RandomStream::Bits bits = random.bits(step, i, Purpose::network, 0);
      const Node v = choose(bits[0]);
      const std::size_t d = network.degree(v);
      if (d < 2) continue;
      const auto near = network.neighbours(v);
      const std::uint64_t a = detail::below(bits[1], d);
      std::uint64_t b = detail::below(bits[2], d - 1);
      if (b >= a) ++b;  // uniform over the d - 1 neighbours other than the first
      hits += linked(network, near[a], near[b]) ? 1U : 0U;
    }
    block_hits[first / agent_block_size] = hits;
    meter.add(last - first);
  });
  std::uint64_t total = 0;
  for (const std::uint64_t h : block_hits) total += h;
  return total;
}

// A Bernoulli estimate and its estimated standard error sqrt(p (1 - p) / k).
std::pair<double, double> proportion(std::uint64_t hits) {
  const double k = static_cast<double>(clustering_samples);
  const double p = static_cast<double>(hits) / k;
  return {p, std::sqrt(p * (1.0 - p) / k)};
}

Clustering sampled_clustering(const Network& network, const RandomStream& random, detail::WorkMeter& meter) {
  const std::size_t n = network.node_count();
  Clustering result;
  result.exact = false;
  // Average: nodes uniform among all n, so a node of degree < 2 is a miss, as C_v = 0 is.
  const auto uniform_node = [&](std::uint64_t word) { return static_cast<Node>(detail::below(word, n)); };
  std::tie(result.average, result.average_standard_error) =
      proportion(sample_hits(network, random, average_sample_step, uniform_node, meter));

  // Global: nodes in proportion to their connected triples, deg (deg - 1) / 2; prefix[v] holds
  // the triples of nodes 0..v, and the node of triple r is the first v with prefix[v] > r.
  std::vector<std::uint64_t> prefix(n);
  std::uint64_t triples = 0;
  for (std::size_t v = 0; v < n; ++v) {
    const std::uint64_t d = network.degree(static_cast<Node>(v));
    const std::uint64_t centred = d < 2 ? 0 : d * (d - 1) / 2;  // d < 2^32: no overflow
    if (centred > std::numeric_limits<std::uint64_t>::max() - triples) {
      throw std::overflow_error("Network::clustering: more than 2^64 connected triples to sample from");
    }
    triples += centred;
    prefix[v] = triples;
  }
  if (triples == 0) {
    meter.add(clustering_samples);
    return result;  // no connected triple: the transitivity is 0, exactly
  }
  const auto weighted_node = [&](std::uint64_t word) {
    const std::uint64_t r = detail::below(word, triples);
    return static_cast<Node>(std::upper_bound(prefix.begin(), prefix.end(), r) - prefix.begin());
  };
  std::tie(result.global, result.global_standard_error) =
      proportion(sample_hits(network, random, global_sample_step, weighted_node, meter));
  return result;
}

}  // namespace

namespace detail {

WorkMeter::WorkMeter(const RunControl& control, std::string_view activity, double total, double first, double last)
    : control_(control),
      activity_(activity),
      total_(total),
      first_(first),
      last_(last),
      reported_(first),
      reported_at_(std::chrono::steady_clock::now()) {}

void WorkMeter::add(std::uint64_t units) {
  done_.fetch_add(units, std::memory_order_relaxed);
  control_.check();
  if (control_.progress() == nullptr) return;
  // Whoever holds the lock is about to report; the others need not wait for it.
  const std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - reported_at_ < report_interval) return;
  reported_at_ = now;
  const double done = static_cast<double>(done_.load(std::memory_order_relaxed));
  report(total_ > 0.0 ? first_ + (last_ - first_) * std::min(1.0, done / total_) : first_);
}

void WorkMeter::finish() {
  const std::lock_guard lock(mutex_);
  report(last_);
}

void WorkMeter::report(double fraction) {
  // Under the lock, and done_ only grows: reports never go backwards.
  reported_ = std::max(reported_, fraction);
  control_.report(activity_, reported_);
}

std::uint64_t below(std::uint64_t word, std::uint64_t m) noexcept {
  // High 64 bits of the 128-bit product, in portable C++ (no __int128 under -Wpedantic).
  constexpr std::uint64_t low_half = 0xFFFF'FFFFU;
  const std::uint64_t a_low = word & low_half;
  const std::uint64_t a_high = word >> 32;
  const std::uint64_t b_low = m & low_half;
  const std::uint64_t b_high = m >> 32;
  const std::uint64_t low_low = a_low * b_low;
  const std::uint64_t high_low = a_high * b_low;
  const std::uint64_t low_high = a_low * b_high;
  // At most 3 (2^32 - 1) + (2^32 - 1)^2 < 2^64: no overflow.
  const std::uint64_t middle = (low_low >> 32) + (high_low & low_half) + low_high;
  return a_high * b_high + (high_low >> 32) + (middle >> 32);
}

}  // namespace detail

NetworkError::NetworkError(std::string file, std::size_t line, std::string message)
    : std::runtime_error(file + ":" + std::to_string(line) + ": " + message),
      file_(std::move(file)),
      line_(line),
      message_(std::move(message)) {}

Network::Network() = default;

Network::Network(std::size_t node_count, std::vector<Edge> edges, const RunControl& control, double progress_start)
    : node_count_(node_count) {
  check_node_count(node_count);
  detail::WorkMeter meter(control, building_network_activity, edge_list_units(node_count, edges.size()),
                          progress_start, 1.0);
  detail::WorkTally tally(meter);
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
    tally.add(1);
  }
  for (std::size_t v = 0; v < node_count; ++v) start[v + 1] += start[v];
  // Not zero-filled (that would touch all its pages with no look at the stop flag): every entry
  // is written by the bucketing pass.
  const auto targets = std::make_unique_for_overwrite<Node[]>(start.back());
  {
    std::vector<std::size_t> fill(start.begin(), start.end() - 1);
    for (const Edge& e : edges) {
      targets[fill[e.source]++] = e.target;
      targets[fill[e.target]++] = e.source;
      tally.add(1);
    }
  }
  tally.flush();
  // Freed before the graph's arrays are allocated, to lower the peak (`edges = {}` would pick
  // the initializer-list assignment, which keeps the capacity).
  edges = std::vector<Edge>();

  // Rows are independent: sort them on TBB in fixed blocks. Some generators emit rows already
  // in order (Erdos-Renyi), which a linear check finds.
  std::vector<Node> length(node_count, 0);
  for_each_block(node_count, ExecutionPolicy{}, [&](std::size_t first, std::size_t last) {
    detail::WorkTally block_tally(meter);
    for (std::size_t v = first; v < last; ++v) {
      Node* const row_first = targets.get() + start[v];
      Node* const row_last = targets.get() + start[v + 1];
      if (!std::is_sorted(row_first, row_last)) std::sort(row_first, row_last);
      length[v] = static_cast<Node>(std::unique(row_first, row_last) - row_first);
      block_tally.add((start[v + 1] - start[v]) / 2 + 1);
    }
    block_tally.flush();
  });
  std::size_t arc_count = 0;
  for (const Node l : length) arc_count += l;
  StoredRows rows{targets.get(), start, length};
  graph_ = graph_from_rows(rows, node_count, arc_count, tally);
  tally.flush();
  meter.finish();
}

Network::Network(SymmetricRows, std::size_t node_count, std::size_t arc_count, const RowWriter& write_row,
                 const RunControl& control, double progress_start)
    : node_count_(node_count) {
  check_node_count(node_count);
  detail::WorkMeter meter(control, building_network_activity, static_cast<double>(arc_count + node_count),
                          progress_start, 1.0);
  detail::WorkTally tally(meter);
  WrittenRows rows{write_row, node_count, {}};
  graph_ = graph_from_rows(rows, node_count, arc_count, tally);
  if (rows.total != arc_count) {
    throw std::invalid_argument("Network: rows hold " + std::to_string(rows.total) + " neighbours, not the " +
                                std::to_string(arc_count) + " announced");
  }
  tally.flush();
  meter.finish();
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

std::uint64_t Network::triangle_work() const {
  detail::WorkMeter meter(RunControl{}, measuring_clustering_activity, 0.0);
  return orient(*this, meter).work;
}

std::vector<std::uint64_t> Network::triangles(const RunControl& control) const {
  const Orientation orientation = orient_reporting(*this, control);
  return count_reporting(*this, orientation, control);
}

double Network::average_clustering() const { return exact_clustering(*this, triangles()).average; }

double Network::global_clustering() const { return exact_clustering(*this, triangles()).global; }

Clustering Network::clustering(const RandomStream& random, const RunControl& control,
                               std::uint64_t exact_work_budget) const {
  const Orientation orientation = orient_reporting(*this, control);
  if (orientation.work <= exact_work_budget) {
    return exact_clustering(*this, count_reporting(*this, orientation, control));
  }
  detail::WorkMeter meter(control, measuring_clustering_activity, 2.0 * static_cast<double>(clustering_samples),
                          orientation_share, 1.0);
  const Clustering result = sampled_clustering(*this, random, meter);
  meter.finish();
  return result;
}

}  // namespace commons::sim
