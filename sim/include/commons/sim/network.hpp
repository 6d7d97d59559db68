// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The social network over a run's agents: an undirected simple graph whose nodes are agent
/// positions 0..n-1 in the agent table, stored as a Boost.Graph compressed sparse row graph
/// with both arcs of every edge. Neighbour lists are sorted and contiguous, so behaviours read
/// them as spans without allocating. Generators live in network_generators.hpp.

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace commons::sim {

/// Largest node count a Network supports: vertex indices are 32-bit, and Boost's CSR builder
/// counts to node count + 1 in the vertex type.
inline constexpr std::size_t max_network_nodes = 0xFFFF'FFFEU;

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

  /// The empty network (no nodes).
  Network();

  /// Builds the network from undirected edges in any order. Each edge may appear once in
  /// either direction or several times; duplicates are merged.
  /// \param node_count number of nodes n; at most max_network_nodes
  /// \param edges      undirected edges with both ends in [0, n)
  /// \throws std::invalid_argument for an end out of range, a self loop, or n too large
  Network(std::size_t node_count, std::vector<Edge> edges);

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

  /// Entry v is the number of triangles through node v. Work O(sum over edges of the two end
  /// degrees) = O(sum of degree^2), by merging sorted neighbour lists; nodes are processed in
  /// fixed blocks on TBB, and the result does not depend on the thread count.
  [[nodiscard]] std::vector<std::uint64_t> triangles() const;

  /// Mean over all n nodes of the local clustering coefficient C_v = triangles(v) /
  /// (deg(v) (deg(v) - 1) / 2) (Watts & Strogatz 1998). Nodes of degree < 2 count as C_v = 0
  /// and stay in the denominator (the convention of networkx and igraph's "zero" mode).
  /// Summed in node order, so the value is bit-identical on any thread count. 0 when n = 0.
  [[nodiscard]] double average_clustering() const;

  /// Transitivity: 3 x triangles / connected triples = sum_v triangles(v) / sum_v
  /// deg(v) (deg(v) - 1) / 2, from exact integer counts. 0 when there is no connected triple.
  [[nodiscard]] double global_clustering() const;

  /// The underlying Boost graph, for Boost.Graph algorithms (out_edges give both directions).
  [[nodiscard]] const Graph& graph() const noexcept { return graph_; }

 private:
  [[nodiscard]] const std::vector<std::size_t>& rowstart() const noexcept { return graph_.m_forward.m_rowstart; }
  [[nodiscard]] const std::vector<Node>& column() const noexcept { return graph_.m_forward.m_column; }

  std::size_t node_count_ = 0;
  Graph graph_;
};

}  // namespace commons::sim
