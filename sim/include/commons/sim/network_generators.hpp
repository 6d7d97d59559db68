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

#include "commons/sim/network.hpp"

#include <cstddef>
#include <iosfwd>
#include <string>

namespace commons::sim {

class RandomStream;

/// Complete graph K_n: every pair linked; n (n - 1) / 2 edges.
[[nodiscard]] Network complete(std::size_t n);

/// Ring lattice: nodes on a circle, each linked to its k / 2 nearest neighbours on each side;
/// n k / 2 edges, every degree k.
/// \throws std::invalid_argument unless k is even and 0 <= k < n
[[nodiscard]] Network ring_lattice(std::size_t n, std::size_t k);

/// Watts-Strogatz small world (Watts & Strogatz 1998): a ring_lattice(n, k) whose edges are
/// visited lap by lap (offset j = 1..k/2, then node v = 0..n-1) and, with probability p, have
/// their far end (v + j) moved to a node drawn uniformly among those that are neither v nor
/// already linked to v (rejection). A node already linked to all others keeps its edge. The
/// edge count n k / 2 is preserved exactly; p = 0 gives the ring lattice.
/// Draws: counter (0, e, network, d) with edge index e = (j - 1) n + v; word 0 of draw 0
/// decides the rewiring, later words give the candidate targets.
/// \throws std::invalid_argument unless k is even, 0 <= k < n and 0 <= p <= 1
[[nodiscard]] Network watts_strogatz(std::size_t n, std::size_t k, double p, const RandomStream& random);

/// Barabasi-Albert preferential attachment (Barabasi & Albert 1999). Seed graph: the complete
/// graph on m + 1 nodes (so every node has degree >= m from the start). Each later node v =
/// m+1..n-1 links to m distinct earlier nodes, each drawn with probability proportional to its
/// degree by uniform picks from the list in which every node appears once per edge end
/// (repeated draws of a chosen node are rejected). Edges: m (m + 1) / 2 + (n - m - 1) m.
/// Draws: counter (0, v, network, d), four 64-bit words per counter.
/// \throws std::invalid_argument unless 1 <= m < n
[[nodiscard]] Network barabasi_albert(std::size_t n, std::size_t m, const RandomStream& random);

/// Erdos-Renyi G(n, p): each of the n (n - 1) / 2 pairs linked independently with probability
/// p. Pairs (v, w < v) are scanned row by row with geometric skips (Batagelj & Brandes 2005),
/// so the work is O(n + edges). Draws: counter (0, v, network, d) for row v, four words each.
/// \throws std::invalid_argument unless 0 <= p <= 1
[[nodiscard]] Network erdos_renyi(std::size_t n, double p, const RandomStream& random);

/// Grid cells as nodes (node = y * width + x), each linked to every cell within Chebyshev
/// distance `radius` (Moore neighbourhood): interior degree (2 radius + 1)^2 - 1. With `torus`
/// the grid wraps at its edges and every degree is (2 radius + 1)^2 - 1.
/// \throws std::invalid_argument if width or height is 0, width x height exceeds
///         max_network_nodes, or (torus) 2 radius + 1 exceeds width or height (the neighbourhood
///         would wrap onto itself)
[[nodiscard]] Network spatial_neighbourhood(std::size_t width, std::size_t height, std::size_t radius,
                                            bool torus);

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
[[nodiscard]] Network from_edge_list_csv(std::istream& in, const std::string& name, std::size_t n);

}  // namespace commons::sim

namespace commons::sim {

struct NetworkSpec;

/// The network a scenario's `network` block describes, over `n` agents: the generator named by
/// `spec.generator.model` with its parameters (docs/behaviour.md#social-networks). For
/// `edge_list` the scenario loader has put the file's text in the parameter `text`.
/// \throws std::invalid_argument or NetworkError as the generator does
[[nodiscard]] Network build_network(const NetworkSpec& spec, std::size_t n, const RandomStream& random);

}  // namespace commons::sim
