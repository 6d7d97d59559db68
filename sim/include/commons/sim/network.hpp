// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The social network over a run's agents: an undirected simple graph whose nodes are agent
/// positions 0..n-1 in the agent table, stored as a Boost.Graph compressed sparse row graph
/// with both arcs of every edge. Neighbour lists are sorted and contiguous, so behaviours read
/// them as spans without allocating. Generators live in network_generators.hpp.
/// Building a large network and measuring its clustering are long: both take a RunControl,
/// answer a stop request within a second (throwing Interrupted) and report their progress.

#include "commons/sim/run_control.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace commons::sim {

class RandomStream;

/// Largest node count a Network supports: vertex indices are 32-bit, and Boost's CSR builder
/// counts to node count + 1 in the vertex type.
inline constexpr std::size_t max_network_nodes = 0xFFFF'FFFEU;

/// The activity named in progress reports while a network is generated and stored.
inline constexpr std::string_view building_network_activity = "building the social network";
/// The activity named in progress reports while clustering is counted or estimated.
inline constexpr std::string_view measuring_clustering_activity = "measuring clustering";

/// Merge steps charged for each oriented edge of the forward triangle count on top of its
/// merge: fetching the second out-list from an unpredictable place in memory. Measured: on a
/// Barabasi-Albert graph of 2e7 edges the fetches took about 150 ns each, some 30 merge steps.
inline constexpr std::uint64_t triangle_edge_work = 32;

/// Largest triangle_work() that Network::clustering counts exactly; above it, it estimates by
/// sampling. Measured on one core: a merge step takes 0.5 ns when the lists interleave
/// regularly (complete graphs) and 4-5 ns when they interleave at random (Erdos-Renyi,
/// Watts-Strogatz), so the exact count stays under about 3 s. Complete graphs of more than
/// about 1060 nodes are sampled.
inline constexpr std::uint64_t clustering_exact_work_budget = 600'000'000;

/// Samples per sampled clustering estimate. Each sample is a Bernoulli trial, so the standard
/// error is sqrt(p (1 - p) / k) <= 0.5 / sqrt(k) = 1e-3.
inline constexpr std::uint64_t clustering_samples = 250'000;

/// Clustering of a network, counted exactly or estimated by sampling (Network::clustering).
struct Clustering {
  /// Average local clustering coefficient, as Network::average_clustering defines it.
  double average = 0.0;
  /// Global clustering (transitivity), as Network::global_clustering defines it.
  double global = 0.0;
  /// Estimated standard error of `average`, sqrt(p (1 - p) / k) with p the estimate and k the
  /// samples; 0 when exact.
  double average_standard_error = 0.0;
  /// Estimated standard error of `global`, as for `average`; 0 when exact.
  double global_standard_error = 0.0;
  /// True when both values come from exact triangle counts, false when sampled.
  bool exact = true;
};

/// An edge list or network file that cannot be read. what() is "FILE:LINE: message".
class NetworkError : public std::runtime_error {
 public:
  /// \param file    the file's path (or stream name) as given
  /// \param line    1-based line of the problem; 0 when it concerns the whole file
  /// \param message what is wrong, without the location
  NetworkError(std::string file, std::size_t line, std::string message);

  /// The file's path or stream name as given.
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  /// 1-based line of the problem; 0 when it concerns the whole file (e.g. it cannot be opened).
  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  /// The message without the location prefix.
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  std::string file_;
  std::size_t line_;
  std::string message_;
};

/// Undirected simple graph (no self loops, no parallel edges) over nodes 0..n-1.
/// Immutable once built; cheap to share read-only between threads.
class Network {
 public:
  /// A node: an agent's position in the agent table (not its stable id).
  using Node = std::uint32_t;

  /// One undirected edge; the order of the two ends does not matter.
  struct Edge {
    Node source;
    Node target;
    friend bool operator==(const Edge&, const Edge&) = default;
  };

  /// Directed CSR holding both arcs of each undirected edge. Vertex indices are 32-bit (agent
  /// positions); arc indices are 64-bit so that more than 2^32 arcs remain addressable.
  using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property,
                                                   boost::no_property, boost::no_property, Node,
                                                   std::size_t>;

  /// Writes the neighbours of node v into `row` (which arrives empty), in any order.
  using RowWriter = std::function<void(Node v, std::vector<Node>& row)>;

  /// Tag type of symmetric_rows.
  struct SymmetricRows {
    explicit SymmetricRows() = default;
  };
  /// Tag: the caller promises that its rows are symmetric (w is in row v exactly when v is in
  /// row w); the constructor taking it does not check that (it would cost a pass of random reads
  /// as long as the build itself), as Boost's edges_are_sorted is trusted.
  static constexpr SymmetricRows symmetric_rows{};

  /// The empty network (no nodes).
  Network();

  /// Builds the network from undirected edges in any order. Each edge may appear once in
  /// either direction or several times; duplicates are merged. Peak resident heap, the edges
  /// included: 16 bytes per edge and 20 per node (network_bytes_estimate in
  /// network_generators.hpp); the finished network holds 8 bytes per edge and 8 per node.
  /// \param node_count     number of nodes n; at most max_network_nodes
  /// \param edges          undirected edges with both ends in [0, n)
  /// \param control        stop flag and progress observer (building_network_activity)
  /// \param progress_start the part of the activity a caller (a generator) has already reported;
  ///                       this constructor reports fractions from there to 1
  /// \throws std::invalid_argument for an end out of range, a self loop, or n too large
  /// \throws Interrupted when a stop is requested
  Network(std::size_t node_count, std::vector<Edge> edges, const RunControl& control = {},
          double progress_start = 0.0);

  /// Builds the network row by row with no edge list in between, so the peak resident heap is
  /// the network itself (8 bytes per edge and 8 per node): for v = 0..n-1, `write_row(v, row)` gives
  /// v's neighbours, which are sorted here. For generators whose rows are cheap to write
  /// (complete, ring lattice, spatial neighbourhood).
  /// \param node_count number of nodes n; at most max_network_nodes
  /// \param arc_count  the sum of all row lengths (twice the edge count), so the graph's arrays
  ///                   are allocated once
  /// \param write_row  writes row v; rows must be symmetric (see symmetric_rows)
  /// \param control, progress_start as for the edge-list constructor
  /// \throws std::invalid_argument for a neighbour out of range, v in its own row, a repeat in
  ///         a row, row lengths not adding up to arc_count, or n too large
  /// \throws Interrupted when a stop is requested
  Network(SymmetricRows, std::size_t node_count, std::size_t arc_count, const RowWriter& write_row,
          const RunControl& control = {}, double progress_start = 0.0);

  /// Number of nodes n.
  [[nodiscard]] std::size_t node_count() const noexcept { return node_count_; }
  /// Number of undirected edges (half the number of stored arcs).
  [[nodiscard]] std::size_t edge_count() const noexcept { return column().size() / 2; }
  /// Number of neighbours of `v`; `v` must be < node_count().
  [[nodiscard]] std::size_t degree(Node v) const noexcept { return rowstart()[v + 1] - rowstart()[v]; }

  /// The neighbours of `v`, sorted ascending, without `v`, each once. Points into the CSR
  /// column array: valid as long as the network lives. `v` must be < node_count().
  [[nodiscard]] std::span<const Node> neighbours(Node v) const& noexcept {
    return {column().data() + rowstart()[v], degree(v)};
  }
  /// Deleted: the span would dangle once the temporary network is gone.
  std::span<const Node> neighbours(Node v) const&& = delete;

  /// Entry k is the number of nodes of degree k; the size is the maximum degree + 1 (empty for
  /// the empty network).
  [[nodiscard]] std::vector<std::size_t> degree_distribution() const;

  /// Entry v is the number of triangles through node v, counted exactly by the forward
  /// algorithm (Schank & Wagner 2005; Latapy 2008): nodes ranked by (degree, index), each edge
  /// oriented towards the higher rank, and each triangle found once, at its lowest node u and
  /// middle node v, by merging the sorted out-lists of u and v. The work is triangle_work(),
  /// O(m^1.5) at worst, with no budget: clustering() is the bounded route. Nodes
  /// run in parallel on TBB; the counts are integers, so they do not depend on the threads.
  /// Extra heap while counting: 4 bytes per edge and 28 per node.
  /// \throws Interrupted when `control` asks to stop (progress: measuring_clustering_activity)
  [[nodiscard]] std::vector<std::uint64_t> triangles(const RunControl& control = {}) const;

  /// Work of the exact triangle count in merge steps: the sum over oriented edges u -> v of
  /// |out(u)| + |out(v)| (the merge) + triangle_edge_work (fetching out(v)), which equals
  /// sum_u |out(u)| (deg(u) + triangle_edge_work). One O(edges) pass; saturates at 2^64 - 1.
  [[nodiscard]] std::uint64_t triangle_work() const;

  /// Mean over all n nodes of the local clustering coefficient C_v = triangles(v) /
  /// (deg(v) (deg(v) - 1) / 2) (Watts & Strogatz 1998). Nodes of degree < 2 count as C_v = 0
  /// and stay in the denominator (the convention of networkx and igraph's "zero" mode).
  /// Summed in node order, so the value is bit-identical on any thread count. 0 when n = 0.
  /// Always exact, whatever the cost (see triangles()); clustering() bounds the time.
  [[nodiscard]] double average_clustering() const;

  /// Transitivity: 3 x triangles / connected triples = sum_v triangles(v) / sum_v
  /// deg(v) (deg(v) - 1) / 2, from exact integer counts. 0 when there is no connected triple.
  /// Always exact, whatever the cost (see triangles()); clustering() bounds the time.
  [[nodiscard]] double global_clustering() const;

  /// Average and global clustering in bounded time: exact from triangles() when triangle_work()
  /// is at most `exact_work_budget`, otherwise estimated from clustering_samples samples each
  /// (docs/behaviour.md#social-networks):
  /// - average: a node v uniform among all n (degree < 2 counts as a miss) and a uniform pair
  ///   of distinct neighbours of v; a hit when the pair is linked (binary search). P(hit) is
  ///   the mean of C_v exactly.
  /// - global: a node drawn with probability proportional to deg (deg - 1) / 2 (integer prefix
  ///   sums, binary search), then a pair as above; P(hit) is the transitivity exactly.
  /// Draws: counter (1, i, network, 0) for the i-th average sample and (2, i, network, 0) for
  /// the i-th global one, words 0..2 (node, first and second neighbour); the generators draw at
  /// step 0, so no draw is shared. Hits are counted in fixed blocks of samples, so the estimate
  /// is bit-identical on any thread count.
  /// \param random            the run's stream, used only when sampling
  /// \param control           stop flag and progress observer (measuring_clustering_activity)
  /// \param exact_work_budget largest triangle_work() counted exactly
  /// \throws Interrupted when a stop is requested
  /// \throws std::overflow_error when sampling a network whose connected triples exceed 2^64
  ///         (more than 2^32 edges)
  [[nodiscard]] Clustering clustering(const RandomStream& random, const RunControl& control = {},
                                      std::uint64_t exact_work_budget = clustering_exact_work_budget) const;

  /// The underlying Boost graph, for Boost.Graph algorithms (out_edges give both directions).
  [[nodiscard]] const Graph& graph() const noexcept { return graph_; }

 private:
  [[nodiscard]] const std::vector<std::size_t>& rowstart() const noexcept { return graph_.m_forward.m_rowstart; }
  [[nodiscard]] const std::vector<Node>& column() const noexcept { return graph_.m_forward.m_column; }

  std::size_t node_count_ = 0;
  Graph graph_;
};

}  // namespace commons::sim

namespace commons::sim::detail {

/// Internal to the network code (construction, generators, clustering): turns units of long
/// work into RunControl calls. Thread-safe.
class WorkMeter {
 public:
  /// Units between two looks at the stop flag: about a millisecond of the cheapest unit
  /// counted (an edge written, a merge step), so a stop is answered well within a second and
  /// the look costs nothing measurable.
  static constexpr std::uint64_t check_interval = std::uint64_t{1} << 20;
  /// Least time between two progress reports: ProgressObserver is told "at most a few times a
  /// second per activity".
  static constexpr std::chrono::milliseconds report_interval{250};

  /// Reports `activity` with fractions running from `first` (nothing done) to `last` (`total`
  /// units done).
  WorkMeter(const RunControl& control, std::string_view activity, double total, double first = 0.0,
            double last = 1.0);

  /// Counts `units` more done: checks the stop flag, and reports if report_interval has passed.
  /// Callers add in batches (WorkTally), not unit by unit. \throws Interrupted
  void add(std::uint64_t units);

  /// Reports fraction `last`, the end of this part. \throws Interrupted
  void finish();

 private:
  void report(double fraction);

  RunControl control_;
  std::string_view activity_;
  double total_;
  double first_;
  double last_;
  std::atomic<std::uint64_t> done_{0};
  std::mutex mutex_;  // guards the two members below and orders the reports
  double reported_;
  std::chrono::steady_clock::time_point reported_at_;
};

/// One thread's count of work for a WorkMeter, passed on every check_interval units, so a hot
/// loop pays an addition and a comparison per unit. Not thread-safe: one per thread or block.
class WorkTally {
 public:
  explicit WorkTally(WorkMeter& meter) : meter_(meter) {}

  /// Counts `units` more done. \throws Interrupted
  void add(std::uint64_t units) {
    pending_ += units;
    if (pending_ >= WorkMeter::check_interval) flush();
  }
  /// Passes the units counted so far to the meter. \throws Interrupted
  void flush() {
    const std::uint64_t units = pending_;
    pending_ = 0;
    meter_.add(units);
  }

 private:
  WorkMeter& meter_;
  std::uint64_t pending_ = 0;
};

/// A uniform integer in [0, m) from 64 random bits by multiply-shift (Lemire 2019): the high
/// word of word x m. The bias is below m / 2^64 and is accepted.
[[nodiscard]] std::uint64_t below(std::uint64_t word, std::uint64_t m) noexcept;

}  // namespace commons::sim::detail
