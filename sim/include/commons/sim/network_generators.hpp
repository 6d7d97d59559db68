// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Generators of social networks. Each is a pure function of its arguments: random ones draw
/// from a RandomStream with Purpose::network at step 0, with counters addressed by node or edge
/// index and draw index (documented per generator), so a network never depends on threads.
/// Integers in [0, m) are taken from 64 random bits by multiply-shift (Lemire 2019); the bias
/// is below m / 2^64 <= 2^-32 and is accepted.
/// Invalid arguments throw std::invalid_argument naming the generator and the argument; every
/// generator also rejects more than max_network_nodes nodes.
/// Every generator takes a RunControl: it reports building_network_activity (its own drawing of
/// edges, then the Network constructor's storing of them, one fraction from 0 to 1) and throws
/// Interrupted within a second of a stop request.

#include "commons/sim/network.hpp"

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace commons::sim {

class RandomStream;

/// Complete graph K_n: every pair linked; n (n - 1) / 2 edges. Written row by row into the
/// graph, with no edge list.
[[nodiscard]] Network complete(std::size_t n, const RunControl& control = {});

/// Ring lattice: nodes on a circle, each linked to its k / 2 nearest neighbours on each side;
/// n k / 2 edges, every degree k.
/// \throws std::invalid_argument unless k is even and 0 <= k < n
[[nodiscard]] Network ring_lattice(std::size_t n, std::size_t k, const RunControl& control = {});

/// Watts-Strogatz small world (Watts & Strogatz 1998): a ring_lattice(n, k) whose edges are
/// visited lap by lap (offset j = 1..k/2, then node v = 0..n-1) and, with probability p, have
/// their far end (v + j) moved to a node drawn uniformly among those that are neither v nor
/// already linked to v (rejection). A node already linked to all others keeps its edge. The
/// edge count n k / 2 is preserved exactly; p = 0 gives the ring lattice (and draws nothing).
/// Draws: counter (0, e, network, d) with edge index e = (j - 1) n + v; word 0 of draw 0
/// decides the rewiring, later words give the candidate targets.
/// \throws std::invalid_argument unless k is even, 0 <= k < n and 0 <= p <= 1
[[nodiscard]] Network watts_strogatz(std::size_t n, std::size_t k, double p, const RandomStream& random,
                                     const RunControl& control = {});

/// Barabasi-Albert preferential attachment (Barabasi & Albert 1999). Seed graph: the complete
/// graph on m + 1 nodes (so every node has degree >= m from the start). Each later node v =
/// m+1..n-1 links to m distinct earlier nodes, each drawn with probability proportional to its
/// degree by uniform picks from the list in which every node appears once per edge end
/// (repeated draws of a chosen node are rejected). Edges: m (m + 1) / 2 + (n - m - 1) m.
/// Draws: counter (0, v, network, d), four 64-bit words per counter.
/// \throws std::invalid_argument unless 1 <= m < n
[[nodiscard]] Network barabasi_albert(std::size_t n, std::size_t m, const RandomStream& random,
                                      const RunControl& control = {});

/// Erdos-Renyi G(n, p): each of the n (n - 1) / 2 pairs linked independently with probability
/// p. Pairs (v, w < v) are scanned row by row with geometric skips (Batagelj & Brandes 2005),
/// so the work is O(n + edges). Draws: counter (0, v, network, d) for row v, four words each.
/// \throws std::invalid_argument unless 0 <= p <= 1
[[nodiscard]] Network erdos_renyi(std::size_t n, double p, const RandomStream& random,
                                  const RunControl& control = {});

/// Grid cells as nodes (node = y * width + x), each linked to every cell within Chebyshev
/// distance `radius` (Moore neighbourhood): interior degree (2 radius + 1)^2 - 1. With `torus`
/// the grid wraps at its edges and every degree is (2 radius + 1)^2 - 1.
/// \throws std::invalid_argument if width or height is 0, width x height exceeds
///         max_network_nodes, or (torus) 2 radius + 1 exceeds width or height (the neighbourhood
///         would wrap onto itself)
[[nodiscard]] Network spatial_neighbourhood(std::size_t width, std::size_t height, std::size_t radius,
                                            bool torus, const RunControl& control = {});

/// Reads an undirected edge list: CSV whose first line that is neither blank nor a comment
/// (first non-space character `#`) is the header `source,target`, then one edge per line as two
/// decimal node ids in [0, n). Blank and comment lines may appear anywhere; spaces around
/// fields, CRLF line ends and a UTF-8 byte order mark are accepted. Duplicate edges (in either
/// direction) are merged. Reading from a stream lets callers that own file access (the
/// scenario loader) keep the engine free of files.
/// \param in   the text
/// \param name the file name used in error messages
/// \param n    number of nodes
/// \throws NetworkError "NAME:LINE: message" for a missing header, a malformed line, an id out
///         of range or a self loop
/// \param control stop flag and progress observer (the reading reports no fraction: a stream's
///                length is unknown)
[[nodiscard]] Network from_edge_list_csv(std::istream& in, const std::string& name, std::size_t n,
                                         const RunControl& control = {});

}  // namespace commons::sim

namespace commons::sim {

struct NetworkSpec;

/// The network a scenario's `network` block describes, over `n` agents: the generator named by
/// `spec.generator.model` with its parameters (docs/behaviour.md#social-networks). For
/// `edge_list` the scenario loader has put the file's text in the parameter `text`, which is
/// read in place (not copied).
/// \throws std::invalid_argument or NetworkError as the generator does, SpecError for an
///         unknown generator, Interrupted when `control` asks to stop
[[nodiscard]] Network build_network(const NetworkSpec& spec, std::size_t n, const RandomStream& random,
                                    const RunControl& control = {});

/// An upper bound on every node's degree in build_network(spec, n, ...), for admission control
/// before building: complete, barabasi_albert (hubs), erdos_renyi (p > 0) and watts_strogatz
/// (p > 0: rewired ends can pile onto one node) n - 1; erdos_renyi with p = 0 0; ring_lattice
/// and watts_strogatz with p = 0 the degree k; spatial_neighbourhood (2 rx + 1) (2 ry + 1) - 1
/// with the radius clamped to the grid per axis; edge_list the true maximum over distinct
/// edges, from the text (which is parsed: time and memory like reading it). Always at most
/// n - 1; 0 when n <= 1.
/// \throws SpecError, std::invalid_argument or NetworkError for what build_network would reject
///         while reading the parameters (the generators' own argument checks are not repeated)
[[nodiscard]] std::size_t max_degree_bound(const NetworkSpec& spec, std::size_t n);

/// Peak resident heap bytes that build_network(spec, n, ...) takes to build the network and hold
/// it, for admission control before building. From the expected edge count m (complete
/// n (n - 1) / 2; ring_lattice and watts_strogatz n k / 2; barabasi_albert m (m + 1) / 2 +
/// (n - m - 1) m; erdos_renyi p n (n - 1) / 2 plus four standard deviations;
/// spatial_neighbourhood from the clamped neighbourhoods; edge_list counted from the text,
/// repeats included) and the construction path: generators written row by row (complete,
/// ring_lattice, spatial_neighbourhood) peak at the finished network, 8 bytes per edge and 8 per
/// node; those going through an edge list (barabasi_albert, erdos_renyi, edge_list) peak while
/// it is sorted, at 16 bytes per edge and 20 per node; watts_strogatz peaks while rewiring, at
/// 8 bytes per edge and 32 + 4 (k + 3 sqrt(p k / 2) + 1) per node. Excludes the scenario's copy
/// of an edge list's text, and the clustering measure afterwards (its exact count adds 4 bytes
/// per edge and 28 per node to the 8 + 8 of the network, below the peak of the edge-list path;
/// its sampling 8 bytes per node).
/// Measured as the growth of peak RSS (VmHWM) of a fresh process building the network through
/// build_network, three sizes per case (33 cases, 66 MB to 3.0 GB), all within 0.97-1.00 of
/// the estimate; the largest of each:
///
/// | generator (parameters)                  | n          | estimate MB | measured MB |
/// | --------------------------------------- | ---------- | ----------- | ----------- |
/// | complete                                | 20 000     | 1526.0      | 1526.3      |
/// | ring_lattice (k 10)                     | 20 000 000 | 915.5       | 915.8       |
/// | watts_strogatz (k 10, p 0.1)            | 20 000 000 | 2441.4      | 2442.1      |
/// | watts_strogatz (k 10, p 1)              | 10 000 000 | 1373.3      | 1375.5      |
/// | watts_strogatz (k 4, p 0.01)            | 40 000 000 | 2746.6      | 2747.0      |
/// | barabasi_albert (m 5)                   | 20 000 000 | 1907.3      | 1908.6      |
/// | barabasi_albert (m 20)                  | 5 000 000  | 1621.2      | 1622.4      |
/// | erdos_renyi (p 0.05)                    | 60 000     | 1375.0      | 1376.0      |
/// | erdos_renyi (p 4 / n)                   | 40 000 000 | 1984.2      | 1985.2      |
/// | spatial_neighbourhood (width 1000, r 2, torus) | 16 000 000 | 1586.9 | 1587.2    |
/// | spatial_neighbourhood (width 500, r 3)  | 16 000 000 | 3041.3      | 3041.6      |
/// | edge_list (3 n lines)                   | 6 000 000  | 389.1       | 399.3       |
/// \throws as max_degree_bound
[[nodiscard]] std::uint64_t network_bytes_estimate(const NetworkSpec& spec, std::size_t n);

}  // namespace commons::sim
