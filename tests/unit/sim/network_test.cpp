// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/network.hpp>
#include <commons/sim/network_generators.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run_control.hpp>
#include <commons/sim/spec.hpp>

#include <gtest/gtest.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace commons::sim {
namespace {

using Node = Network::Node;
namespace fs = std::filesystem;

// The fixtures sit beside this file; the build passes absolute source paths to the compiler.
const fs::path fixtures = COMMONS_NETWORK_FIXTURES;

// Every generator must give a simple undirected graph whose CSR rows are sorted: checks each
// row ascending without repeats or v itself, every arc mirrored, and sum of degrees = 2 edges.
void expect_simple_symmetric(const Network& network) {
  std::size_t degree_sum = 0;
  for (std::size_t i = 0; i < network.node_count(); ++i) {
    const auto v = static_cast<Node>(i);
    const auto near = network.neighbours(v);
    ASSERT_EQ(near.size(), network.degree(v));
    degree_sum += near.size();
    ASSERT_TRUE(std::adjacent_find(near.begin(), near.end(), std::greater_equal<>{}) == near.end())
        << "neighbours of " << v << " not strictly ascending";
    for (const Node u : near) {
      ASSERT_LT(u, network.node_count());
      ASSERT_NE(u, v) << "self loop on " << v;
      const auto back = network.neighbours(u);
      ASSERT_TRUE(std::binary_search(back.begin(), back.end(), v)) << v << "-" << u << " not mirrored";
    }
  }
  EXPECT_EQ(degree_sum, 2 * network.edge_count());
  EXPECT_EQ(boost::num_edges(network.graph()), 2 * network.edge_count());
  EXPECT_EQ(boost::num_vertices(network.graph()), network.node_count());
}

bool same_graph(const Network& a, const Network& b) {
  if (a.node_count() != b.node_count() || a.edge_count() != b.edge_count()) return false;
  for (std::size_t i = 0; i < a.node_count(); ++i) {
    const auto x = a.neighbours(static_cast<Node>(i));
    const auto y = b.neighbours(static_cast<Node>(i));
    if (!std::equal(x.begin(), x.end(), y.begin(), y.end())) return false;
  }
  return true;
}

std::size_t min_degree(const Network& network) {
  std::size_t low = std::numeric_limits<std::size_t>::max();
  for (std::size_t i = 0; i < network.node_count(); ++i) low = std::min(low, network.degree(static_cast<Node>(i)));
  return low;
}

std::size_t max_degree(const Network& network) { return network.degree_distribution().size() - 1; }

// Watts & Strogatz (1998): clustering of the ring lattice with k neighbours.
double ring_clustering(double k) { return 3.0 * (k - 2.0) / (4.0 * (k - 1.0)); }

// The triangle count the forward algorithm replaced, kept as a reference: for each node v and
// each neighbour u, the edges {u, w} with u < w among v's neighbours, by merging sorted lists.
// O(sum of degree^2).
std::vector<std::uint64_t> reference_triangles(const Network& network) {
  std::vector<std::uint64_t> result(network.node_count(), 0);
  for (std::size_t i = 0; i < network.node_count(); ++i) {
    const auto nv = network.neighbours(static_cast<Node>(i));
    for (std::size_t j = 0; j < nv.size(); ++j) {
      const auto nu = network.neighbours(nv[j]);
      const auto after_u = std::upper_bound(nu.begin(), nu.end(), nv[j]);
      std::vector<Node> common;
      std::set_intersection(nv.begin() + static_cast<std::ptrdiff_t>(j) + 1, nv.end(), after_u, nu.end(),
                            std::back_inserter(common));
      result[i] += common.size();
    }
  }
  return result;
}

// Average and global clustering from per-node counts, by the definitions in network.hpp (the
// average summed in long double, so that it is as accurate as the library's compensated sum).
std::pair<double, double> clustering_from(const Network& network, const std::vector<std::uint64_t>& triangles) {
  long double local = 0.0L;
  std::uint64_t closed = 0;
  std::uint64_t triples = 0;
  for (std::size_t v = 0; v < network.node_count(); ++v) {
    const std::uint64_t d = network.degree(static_cast<Node>(v));
    closed += triangles[v];
    if (d < 2) continue;
    triples += d * (d - 1) / 2;
    local += static_cast<double>(triangles[v]) / (static_cast<double>(d) * static_cast<double>(d - 1) / 2.0);
  }
  const double n = static_cast<double>(network.node_count());
  return {n == 0 ? 0.0 : static_cast<double>(local) / n,
          triples == 0 ? 0.0 : static_cast<double>(closed) / static_cast<double>(triples)};
}

// One of each generator at a size that runs in milliseconds under the sanitizers.
std::vector<std::pair<std::string, Network>> small_networks() {
  const RandomStream random(29, 2);
  std::istringstream csv("source,target\n0,1\n1,2\n2,0\n2,3\n3,4\n4,2\n1,0\n5,6\n");
  std::vector<std::pair<std::string, Network>> networks;
  networks.emplace_back("complete", complete(25));
  networks.emplace_back("ring_lattice", ring_lattice(300, 8));
  networks.emplace_back("watts_strogatz", watts_strogatz(600, 8, 0.2, random));
  networks.emplace_back("barabasi_albert", barabasi_albert(800, 4, random));
  networks.emplace_back("erdos_renyi", erdos_renyi(400, 0.05, random));
  networks.emplace_back("spatial_bounded", spatial_neighbourhood(30, 20, 2, false));
  networks.emplace_back("spatial_torus", spatial_neighbourhood(30, 20, 2, true));
  networks.emplace_back("edge_list", from_edge_list_csv(csv, "mem.csv", 8));
  return networks;
}

// The bits of a double, so that equality means bit-identical (and NaN equals NaN).
std::uint64_t bits_of(double x) { return std::bit_cast<std::uint64_t>(x); }

void expect_same_bits(const Clustering& a, const Clustering& b) {
  EXPECT_EQ(bits_of(a.average), bits_of(b.average));
  EXPECT_EQ(bits_of(a.global), bits_of(b.global));
  EXPECT_EQ(bits_of(a.average_standard_error), bits_of(b.average_standard_error));
  EXPECT_EQ(bits_of(a.global_standard_error), bits_of(b.global_standard_error));
  EXPECT_EQ(a.exact, b.exact);
}

// Remembers every progress report, from any thread.
class ProgressLog : public ProgressObserver {
 public:
  void on_progress(std::int64_t, std::int64_t) override {}
  void on_activity(std::string_view activity, double fraction) override {
    const std::lock_guard lock(mutex_);
    reports_[std::string(activity)].push_back(fraction);
  }
  [[nodiscard]] std::map<std::string, std::vector<double>> reports() const {
    const std::lock_guard lock(mutex_);
    return reports_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<double>> reports_;
};

// A `network` block as the scenario loader hands it to the engine.
NetworkSpec network_spec(const std::string& model, std::map<std::string, ParameterValue, std::less<>> parameters) {
  NetworkSpec spec;
  spec.generator.model = model;
  spec.generator.parameters = Parameters(std::move(parameters));
  return spec;
}

// The full what() of the error thrown by `read`, or "" if nothing was thrown.
template <class Read>
std::string network_error_text(Read&& read) {
  try {
    read();
  } catch (const NetworkError& error) {
    return error.what();
  }
  return "";
}

// --- Network ------------------------------------------------------------------------------

TEST(Network, Empty_HasNoNodesAndZeroClustering) {
  const Network network;
  EXPECT_EQ(network.node_count(), 0U);
  EXPECT_EQ(network.edge_count(), 0U);
  EXPECT_TRUE(network.degree_distribution().empty());
  EXPECT_EQ(network.average_clustering(), 0.0);
  EXPECT_EQ(network.global_clustering(), 0.0);
}

TEST(Network, DuplicateAndReversedEdges_AreMerged) {
  const Network network(4, {{0, 1}, {1, 0}, {0, 1}, {2, 1}, {1, 2}});
  EXPECT_EQ(network.edge_count(), 2U);
  EXPECT_EQ(network.degree(1), 2U);
  EXPECT_EQ(network.degree(3), 0U);
  const auto near = network.neighbours(1);
  EXPECT_EQ(std::vector<Node>(near.begin(), near.end()), (std::vector<Node>{0, 2}));
  expect_simple_symmetric(network);
}

TEST(Network, SelfLoopOrEndOutOfRange_Throws) {
  EXPECT_THROW(Network(3, {{1, 1}}), std::invalid_argument);
  EXPECT_THROW(Network(3, {{0, 3}}), std::invalid_argument);
}

TEST(Network, TriangleWithPendant_ClusteringMatchesHandCount) {
  // Triangle 0-1-2 plus node 3 hanging on 0: C = (1/3, 1, 1, 0); triples 3 + 1 + 1 + 0 = 5.
  const Network network(4, {{0, 1}, {1, 2}, {2, 0}, {0, 3}});
  EXPECT_EQ(network.triangles(), (std::vector<std::uint64_t>{1, 1, 1, 0}));
  EXPECT_DOUBLE_EQ(network.average_clustering(), (1.0 / 3.0 + 2.0) / 4.0);
  EXPECT_DOUBLE_EQ(network.global_clustering(), 3.0 / 5.0);
}

TEST(Network, Star_DegreeDistributionAndZeroClustering) {
  const Network network(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}});
  EXPECT_EQ(network.degree_distribution(), (std::vector<std::size_t>{0, 4, 0, 0, 1}));
  EXPECT_EQ(network.average_clustering(), 0.0);
  EXPECT_EQ(network.global_clustering(), 0.0);
}

TEST(Network, Diamond_TrianglesAndClusteringMatchHandCount) {
  // K4 without the edge 2-3: triangles {0,1,2} and {0,1,3}; degrees 3, 3, 2, 2.
  // C = (2/3, 2/3, 1, 1), mean 5/6; closed 2 + 2 + 1 + 1 = 6 of 3 + 3 + 1 + 1 = 8 triples.
  const Network network(4, {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}});
  EXPECT_EQ(network.triangles(), (std::vector<std::uint64_t>{2, 2, 1, 1}));
  EXPECT_DOUBLE_EQ(network.average_clustering(), 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(network.global_clustering(), 0.75);
}

TEST(Network, BowtieWithIsolatedNode_IsolatedNodeStaysInTheMean) {
  // Triangles 0-1-2 and 0-3-4 share node 0 (degree 4, C = 2/6); node 5 is alone (C = 0).
  const Network network(6, {{0, 1}, {0, 2}, {1, 2}, {0, 3}, {0, 4}, {3, 4}});
  EXPECT_EQ(network.triangles(), (std::vector<std::uint64_t>{2, 1, 1, 1, 1, 0}));
  EXPECT_DOUBLE_EQ(network.average_clustering(), (1.0 / 3.0 + 4.0) / 6.0);
  EXPECT_DOUBLE_EQ(network.global_clustering(), 6.0 / 10.0);
}

TEST(Network, EveryGenerator_TrianglesMatchReferenceCount) {
  for (const auto& [name, network] : small_networks()) {
    SCOPED_TRACE(name);
    const std::vector<std::uint64_t> expected = reference_triangles(network);
    EXPECT_EQ(network.triangles(), expected);
    const auto [average, global] = clustering_from(network, expected);
    EXPECT_NEAR(network.average_clustering(), average, 1e-15);
    EXPECT_EQ(network.global_clustering(), global);
  }
}

TEST(Network, TriangleWork_IsSumOfOutDegreeTimesDegreePlusFetches) {
  // K_n ranks nodes by index (equal degrees), so node i has n - 1 - i higher neighbours:
  // work = (n - 1 + c) sum_i (n - 1 - i) = (n - 1 + c) n (n - 1) / 2, c = triangle_edge_work.
  constexpr std::uint64_t c = triangle_edge_work;
  for (const std::uint64_t n : {2U, 5U, 40U}) EXPECT_EQ(complete(n).triangle_work(), (n - 1 + c) * n * (n - 1) / 2);
  // A star points every edge at the hub (highest degree), which has no out-list: work = sum
  // over leaves of 1 x (1 + c).
  EXPECT_EQ(Network(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}}).triangle_work(), 4 * (1 + c));
  EXPECT_EQ(Network().triangle_work(), 0U);
}

TEST(Network, ClusteringWithinBudget_IsExactAndEqualsExactMethods) {
  for (const auto& [name, network] : small_networks()) {
    SCOPED_TRACE(name);
    const Clustering c = network.clustering(RandomStream(1, 0));
    EXPECT_TRUE(c.exact);
    EXPECT_EQ(bits_of(c.average), bits_of(network.average_clustering()));
    EXPECT_EQ(bits_of(c.global), bits_of(network.global_clustering()));
    EXPECT_EQ(c.average_standard_error, 0.0);
    EXPECT_EQ(c.global_standard_error, 0.0);
  }
}

TEST(Network, ClusteringOverBudget_EstimateWithinFourStandardErrorsOfExact) {
  const RandomStream random(41, 0);
  const Network networks[] = {watts_strogatz(3000, 10, 0.1, random), barabasi_albert(3000, 5, random),
                              erdos_renyi(1500, 0.02, random), spatial_neighbourhood(50, 40, 1, false)};
  for (const Network& network : networks) {
    const Clustering sampled = network.clustering(random, {}, 0);  // budget 0: always sampled
    EXPECT_FALSE(sampled.exact);
    EXPECT_GT(sampled.average_standard_error, 0.0);
    EXPECT_LE(sampled.average_standard_error, 1e-3);
    EXPECT_GT(sampled.global_standard_error, 0.0);
    EXPECT_LE(sampled.global_standard_error, 1e-3);
    EXPECT_NEAR(sampled.average, network.average_clustering(), 4.0 * sampled.average_standard_error);
    EXPECT_NEAR(sampled.global, network.global_clustering(), 4.0 * sampled.global_standard_error);
  }
}

TEST(Network, CompleteGraphOverDefaultBudget_IsSampledAndExactlyOne) {
  // K_1100: work (1099 + 32) x 1100 x 1099 / 2 = 6.8e8, just over the budget.
  const Network network = complete(1100);
  ASSERT_GT(network.triangle_work(), clustering_exact_work_budget);
  const Clustering c = network.clustering(RandomStream(3, 0));
  EXPECT_FALSE(c.exact);
  // Every sampled pair of neighbours is linked: the estimate is 1 with no spread.
  EXPECT_EQ(c.average, 1.0);
  EXPECT_EQ(c.global, 1.0);
  EXPECT_EQ(c.average_standard_error, 0.0);
  EXPECT_EQ(c.global_standard_error, 0.0);
}

TEST(Network, CompleteBipartiteSampled_IsExactlyZero) {
  // K_{30,40}: every pair of neighbours sits on the same side, never linked; no node is alone.
  std::vector<Network::Edge> edges;
  for (Node a = 0; a < 30; ++a) {
    for (Node b = 30; b < 70; ++b) edges.push_back({a, b});
  }
  const Network network(70, std::move(edges));
  const Clustering c = network.clustering(RandomStream(3, 0), {}, 0);
  EXPECT_FALSE(c.exact);
  EXPECT_EQ(c.average, 0.0);
  EXPECT_EQ(c.global, 0.0);
  EXPECT_EQ(network.average_clustering(), 0.0);
}

TEST(Network, DisjointCliquesAndIsolatedNodesSampled_MatchClosedForm) {
  // Ten K_5 and 50 isolated nodes: every node of a clique has C = 1, the others 0, so the mean
  // is 50 / 100 and the transitivity 1. Sampling a node is a coin toss here; a pair always hits.
  std::vector<Network::Edge> edges;
  for (Node c = 0; c < 10; ++c) {
    for (Node i = 0; i < 5; ++i) {
      for (Node j = i + 1; j < 5; ++j) edges.push_back({5 * c + i, 5 * c + j});
    }
  }
  const Network network(100, std::move(edges));
  const Clustering c = network.clustering(RandomStream(5, 0), {}, 0);
  EXPECT_EQ(network.average_clustering(), 0.5);
  EXPECT_NEAR(c.average, 0.5, 4.0 * c.average_standard_error);
  EXPECT_NEAR(c.average_standard_error, 1e-3, 1e-5);  // sqrt(0.25 / 250000)
  EXPECT_EQ(c.global, 1.0);
}

TEST(Network, ClusteringOnOneOrTwoThreads_SameBits) {
  const Network network = barabasi_albert(5000, 6, RandomStream(2, 0));  // 79 blocks of 64 nodes
  const RandomStream random(9, 1);
  const auto measure = [&](int threads) {
    tbb::task_arena arena(threads);
    std::pair<std::vector<std::uint64_t>, std::pair<Clustering, Clustering>> result;
    arena.execute([&] {
      result = {network.triangles(), {network.clustering(random), network.clustering(random, {}, 0)}};
    });
    return result;
  };
  const auto one = measure(1);
  const auto two = measure(2);
  const auto again = measure(2);
  EXPECT_EQ(one.first, two.first);
  EXPECT_TRUE(one.second.first.exact);
  EXPECT_FALSE(one.second.second.exact);
  expect_same_bits(one.second.first, two.second.first);
  expect_same_bits(one.second.second, two.second.second);
  expect_same_bits(two.second.first, again.second.first);
  expect_same_bits(two.second.second, again.second.second);
}

TEST(Network, StopRequested_BuildAndClusteringThrowInterrupted) {
  const std::atomic<bool> stop{true};
  const RunControl control(&stop, nullptr);
  const RandomStream random(1, 0);
  // 2.5e7 arcs to write; the first look at the flag comes after about 1e6 of them.
  EXPECT_THROW((void)build_network(network_spec("complete", {}), 5000, random, control), Interrupted);
  EXPECT_THROW((void)build_network(network_spec("erdos_renyi", {{"link_probability", 0.5}}), 5000, random, control),
               Interrupted);
  EXPECT_THROW((void)watts_strogatz(200'000, 10, 0.5, random, control), Interrupted);
  const Network network = complete(1500);  // 2.2e6 arcs to rank before counting
  EXPECT_THROW((void)network.clustering(random, control), Interrupted);
  EXPECT_THROW((void)network.triangles(control), Interrupted);
}

TEST(Network, ProgressReports_FractionsInUnitIntervalNonDecreasingEndingAtOne) {
  ProgressLog log;
  const std::atomic<bool> stop{false};
  const RunControl control(&stop, &log);
  const Network network = build_network(network_spec("barabasi_albert", {{"links_per_node", std::int64_t{4}}}),
                                        50'000, RandomStream(1, 0), control);
  (void)network.clustering(RandomStream(1, 0), control);
  (void)network.clustering(RandomStream(1, 0), control, 0);
  const auto reports = log.reports();
  ASSERT_EQ(reports.size(), 2U);
  for (const auto& [activity, fractions] : reports) {
    SCOPED_TRACE(activity);
    ASSERT_FALSE(fractions.empty());
    EXPECT_GE(fractions.front(), 0.0);
    EXPECT_EQ(fractions.back(), 1.0);
    // Clustering ran twice; each run rises from the start on its own.
    std::size_t runs = 1;
    for (std::size_t i = 1; i < fractions.size(); ++i) {
      EXPECT_LE(fractions[i], 1.0);
      if (fractions[i] < fractions[i - 1]) ++runs;
    }
    EXPECT_EQ(runs, activity == measuring_clustering_activity ? 2U : 1U);
  }
  EXPECT_TRUE(reports.contains(std::string(building_network_activity)));
}

TEST(Network, RowsConstructor_BadRowsThrow) {
  const auto build = [](std::size_t arcs, std::vector<std::vector<Node>> rows) {
    return Network(Network::symmetric_rows, rows.size(), arcs,
                   [&rows](Node v, std::vector<Node>& row) { row = rows[v]; });
  };
  EXPECT_TRUE(same_graph(build(4, {{2, 1}, {0}, {0}}), Network(3, {{0, 1}, {0, 2}})));
  EXPECT_THROW((void)build(2, {{1}, {0, 1}}), std::invalid_argument);  // self loop
  EXPECT_THROW((void)build(2, {{3}, {0}}), std::invalid_argument);     // out of range
  EXPECT_THROW((void)build(3, {{1, 1}, {0}}), std::invalid_argument);  // repeat
  EXPECT_THROW((void)build(4, {{1}, {0}}), std::invalid_argument);     // arcs announced wrongly
}

// --- admission estimates ------------------------------------------------------------------

TEST(MaxDegreeBound, EveryGenerator_BoundsTheBuiltNetwork) {
  const RandomStream random(4, 0);
  const std::size_t n = 600;
  const NetworkSpec specs[] = {
      network_spec("complete", {}),
      network_spec("ring_lattice", {{"degree", std::int64_t{6}}}),
      network_spec("watts_strogatz", {{"degree", std::int64_t{6}}, {"rewire_probability", 0.3}}),
      network_spec("watts_strogatz", {{"degree", std::int64_t{6}}, {"rewire_probability", 0.0}}),
      network_spec("barabasi_albert", {{"links_per_node", std::int64_t{3}}}),
      network_spec("erdos_renyi", {{"link_probability", 0.02}}),
      network_spec("spatial_neighbourhood", {{"width", std::int64_t{30}}, {"radius", std::int64_t{2}}}),
      network_spec("spatial_neighbourhood",
                   {{"width", std::int64_t{30}}, {"radius", std::int64_t{2}}, {"torus", true}}),
  };
  for (const NetworkSpec& spec : specs) {
    SCOPED_TRACE(spec.generator.model);
    const std::size_t bound = max_degree_bound(spec, n);
    EXPECT_GE(bound, max_degree(build_network(spec, n, random)));
    EXPECT_LE(bound, n - 1);
  }
  EXPECT_EQ(max_degree_bound(specs[0], n), n - 1);
  EXPECT_EQ(max_degree_bound(specs[1], n), 6U);
  EXPECT_EQ(max_degree_bound(specs[2], n), n - 1);  // rewired ends may pile onto one node
  EXPECT_EQ(max_degree_bound(specs[3], n), 6U);
  EXPECT_EQ(max_degree_bound(specs[7], n), 24U);
  EXPECT_EQ(max_degree_bound(specs[0], 1), 0U);
  EXPECT_EQ(max_degree_bound(specs[0], 0), 0U);
  // A radius beyond a thin grid is clamped per axis: 30 x 2 cells, radius 5 -> 11 x 3 - 1.
  const NetworkSpec thin = network_spec("spatial_neighbourhood", {{"width", std::int64_t{30}}, {"radius", std::int64_t{5}}});
  EXPECT_EQ(max_degree_bound(thin, 60), 32U);
}

TEST(MaxDegreeBound, EdgeList_IsTrueMaximumOverDistinctEdges) {
  // Node 1 is listed four times but has three distinct neighbours.
  const NetworkSpec spec = network_spec(
      "edge_list", {{"file", std::string("mem.csv")},
                    {"text", std::string("# a comment\nsource,target\n0,1\n1,0\n1,2\n3,1\n2,3\n")}});
  EXPECT_EQ(max_degree_bound(spec, 5), 3U);
  EXPECT_EQ(max_degree(build_network(spec, 5, RandomStream(0, 0))), 3U);
  EXPECT_THROW((void)max_degree_bound(network_spec("edge_list", {{"file", std::string("mem.csv")},
                                                                  {"text", std::string("0,1\n")}}),
                                      5),
               NetworkError);
  EXPECT_THROW((void)max_degree_bound(network_spec("hypercube", {}), 5), SpecError);
}

TEST(NetworkBytesEstimate, AnyGenerator_AtLeastTheFinishedGraphAndGrowsWithEdges) {
  const std::size_t n = 2000;
  const NetworkSpec specs[] = {
      network_spec("complete", {}),
      network_spec("ring_lattice", {{"degree", std::int64_t{10}}}),
      network_spec("watts_strogatz", {{"degree", std::int64_t{10}}, {"rewire_probability", 0.1}}),
      network_spec("barabasi_albert", {{"links_per_node", std::int64_t{5}}}),
      network_spec("erdos_renyi", {{"link_probability", 0.01}}),
      network_spec("spatial_neighbourhood", {{"width", std::int64_t{50}}, {"radius", std::int64_t{2}}}),
  };
  for (const NetworkSpec& spec : specs) {
    SCOPED_TRACE(spec.generator.model);
    const Network network = build_network(spec, n, RandomStream(6, 0));
    // The finished graph alone: 4 bytes per arc and 8 per row start.
    EXPECT_GE(network_bytes_estimate(spec, n), 8 * network.edge_count() + 8 * n);
    EXPECT_LT(network_bytes_estimate(spec, n), network_bytes_estimate(spec, 4 * n));
  }
  EXPECT_EQ(network_bytes_estimate(specs[0], 0), 0U);
  // An edge list's estimate counts repeated lines: they are bucketed before being merged.
  const auto edge_list = [](const std::string& body) {
    return network_spec("edge_list", {{"file", std::string("mem.csv")}, {"text", "source,target\n" + body}});
  };
  EXPECT_GT(network_bytes_estimate(edge_list("0,1\n0,1\n0,1\n"), 3), network_bytes_estimate(edge_list("0,1\n"), 3));
}

// --- complete -------------------------------------------------------------------------------

TEST(CompleteGenerator, AnySize_HasAllPairsAndClusteringOne) {
  for (const std::size_t n : {3U, 7U, 40U}) {
    const Network network = complete(n);
    EXPECT_EQ(network.edge_count(), n * (n - 1) / 2);
    for (std::size_t v = 0; v < n; ++v) EXPECT_EQ(network.degree(static_cast<Node>(v)), n - 1);
    EXPECT_DOUBLE_EQ(network.average_clustering(), 1.0);
    EXPECT_DOUBLE_EQ(network.global_clustering(), 1.0);
    expect_simple_symmetric(network);
  }
  EXPECT_EQ(complete(0).edge_count(), 0U);
  EXPECT_EQ(complete(1).edge_count(), 0U);
}

// --- ring lattice and Watts-Strogatz -----------------------------------------------------

TEST(RingLatticeGenerator, AnyEvenK_EdgesDegreesAndClusteringMatchClosedForm) {
  const RandomStream random(11, 0);
  const std::size_t n = 60;
  for (const std::size_t k : {2U, 4U, 6U, 10U}) {
    for (const bool via_watts_strogatz : {false, true}) {
      SCOPED_TRACE("k = " + std::to_string(k) + (via_watts_strogatz ? ", watts_strogatz p = 0" : ""));
      const Network network = via_watts_strogatz ? watts_strogatz(n, k, 0.0, random) : ring_lattice(n, k);
      EXPECT_EQ(network.edge_count(), n * k / 2);
      EXPECT_EQ(network.degree_distribution().size(), k + 1);
      EXPECT_EQ(network.degree_distribution()[k], n);
      const double expected = ring_clustering(static_cast<double>(k));
      EXPECT_NEAR(network.average_clustering(), expected, 1e-14);
      EXPECT_NEAR(network.global_clustering(), expected, 1e-14);
      expect_simple_symmetric(network);
    }
  }
  EXPECT_TRUE(same_graph(watts_strogatz(n, 6, 0.0, random), ring_lattice(n, 6)));
}

TEST(RingLatticeGenerator, MillionNodes_ClusteringMatchesClosedForm) {
  // Scale check: clustering must stay O(sum deg^2); a quadratic loop would not finish.
  const Network network = ring_lattice(1'000'000, 10);
  EXPECT_EQ(network.edge_count(), 5'000'000U);
  EXPECT_NEAR(network.average_clustering(), ring_clustering(10.0), 1e-12);
  EXPECT_NEAR(network.global_clustering(), ring_clustering(10.0), 1e-12);
}

TEST(RingLatticeGenerator, InvalidK_Throws) {
  EXPECT_THROW((void)ring_lattice(10, 3), std::invalid_argument);
  EXPECT_THROW((void)ring_lattice(10, 10), std::invalid_argument);
  EXPECT_THROW((void)ring_lattice(10, 12), std::invalid_argument);
}

TEST(WattsStrogatzGenerator, AnyP_PreservesEdgeCount) {
  const RandomStream random(3, 1);
  for (const double p : {0.01, 0.1, 0.5, 1.0}) {
    const Network network = watts_strogatz(1000, 10, p, random);
    EXPECT_EQ(network.edge_count(), 5000U) << "p = " << p;
    expect_simple_symmetric(network);
  }
  // Small and dense: rewiring must still find free targets or keep the edge.
  const Network dense = watts_strogatz(7, 4, 1.0, random);
  EXPECT_EQ(dense.edge_count(), 14U);
  expect_simple_symmetric(dense);
}

TEST(WattsStrogatzGenerator, PEqualsOne_ClusteringFarBelowLattice) {
  const Network network = watts_strogatz(2000, 10, 1.0, RandomStream(8, 0));
  // Lattice: 2/3. Fully rewired the graph is close to random, C ~ k / n = 0.005.
  EXPECT_LT(network.average_clustering(), 0.05);
  EXPECT_LT(network.global_clustering(), 0.05);
  // A little rewiring keeps clustering high: (1 - p)^3 of the lattice value, about 0.49 at 0.1.
  const double small_world = watts_strogatz(2000, 10, 0.1, RandomStream(8, 0)).average_clustering();
  EXPECT_GT(small_world, 0.4);
  EXPECT_LT(small_world, 0.6);
}

TEST(WattsStrogatzGenerator, SameSeed_SameGraph_DifferentSeed_DifferentGraph) {
  const Network a = watts_strogatz(500, 6, 0.2, RandomStream(21, 4));
  const Network b = watts_strogatz(500, 6, 0.2, RandomStream(21, 4));
  const Network c = watts_strogatz(500, 6, 0.2, RandomStream(22, 4));
  const Network d = watts_strogatz(500, 6, 0.2, RandomStream(21, 5));
  EXPECT_TRUE(same_graph(a, b));
  EXPECT_FALSE(same_graph(a, c));
  EXPECT_FALSE(same_graph(a, d));
}

TEST(WattsStrogatzGenerator, InvalidArguments_Throw) {
  const RandomStream random(1, 0);
  EXPECT_THROW((void)watts_strogatz(10, 5, 0.1, random), std::invalid_argument);
  EXPECT_THROW((void)watts_strogatz(10, 10, 0.1, random), std::invalid_argument);
  EXPECT_THROW((void)watts_strogatz(10, 4, -0.1, random), std::invalid_argument);
  EXPECT_THROW((void)watts_strogatz(10, 4, 1.5, random), std::invalid_argument);
  EXPECT_THROW((void)watts_strogatz(10, 4, std::nan(""), random), std::invalid_argument);
}

// --- Barabasi-Albert -------------------------------------------------------------------

TEST(BarabasiAlbertGenerator, AnyM_EdgeCountMatchesSeedCliqueFormula) {
  const RandomStream random(5, 0);
  const std::size_t n = 1000;
  for (const std::size_t m : {1U, 2U, 3U, 7U}) {
    const Network network = barabasi_albert(n, m, random);
    // Complete seed graph on m + 1 nodes, then m edges per later node.
    EXPECT_EQ(network.edge_count(), m * (m + 1) / 2 + (n - m - 1) * m) << "m = " << m;
    EXPECT_EQ(min_degree(network), m) << "m = " << m;
    expect_simple_symmetric(network);
  }
  // The smallest case is the seed clique itself.
  EXPECT_TRUE(same_graph(barabasi_albert(4, 3, random), complete(4)));
}

TEST(BarabasiAlbertGenerator, LargeN_HasHeavyTail) {
  const Network network = barabasi_albert(100'000, 3, RandomStream(13, 0));
  const double mean = 2.0 * static_cast<double>(network.edge_count()) / 100'000.0;
  EXPECT_NEAR(mean, 6.0, 1e-3);
  // Degree ~ k^-3: the hub grows like m sqrt(n) (~ 1000); a Poisson graph of mean 6 would
  // stay below ~ 20.
  EXPECT_GT(static_cast<double>(max_degree(network)), 30.0 * mean);
  expect_simple_symmetric(network);
}

TEST(BarabasiAlbertGenerator, SameSeed_SameGraph_DifferentSeed_DifferentGraph) {
  EXPECT_TRUE(same_graph(barabasi_albert(2000, 2, RandomStream(9, 0)), barabasi_albert(2000, 2, RandomStream(9, 0))));
  EXPECT_FALSE(same_graph(barabasi_albert(2000, 2, RandomStream(9, 0)), barabasi_albert(2000, 2, RandomStream(10, 0))));
}

TEST(BarabasiAlbertGenerator, InvalidM_Throws) {
  const RandomStream random(1, 0);
  EXPECT_THROW((void)barabasi_albert(10, 0, random), std::invalid_argument);
  EXPECT_THROW((void)barabasi_albert(10, 10, random), std::invalid_argument);
}

// --- Erdos-Renyi -----------------------------------------------------------------------

TEST(ErdosRenyiGenerator, EdgeCount_WithinFourStandardDeviationsOfMean) {
  const std::size_t n = 2000;
  const double p = 0.01;
  const double pairs = static_cast<double>(n * (n - 1) / 2);
  const double mean = p * pairs;
  const double sd = std::sqrt(pairs * p * (1.0 - p));
  double total = 0.0;
  constexpr int seeds = 5;
  for (int seed = 0; seed < seeds; ++seed) {
    const Network network = erdos_renyi(n, p, RandomStream(static_cast<std::uint64_t>(seed), 0));
    const auto edges = static_cast<double>(network.edge_count());
    EXPECT_NEAR(edges, mean, 4.0 * sd) << "seed " << seed;
    total += edges;
    expect_simple_symmetric(network);
  }
  EXPECT_NEAR(total / seeds, mean, 4.0 * sd / std::sqrt(double{seeds}));
}

TEST(ErdosRenyiGenerator, LargeSparse_EdgeCountNearMean) {
  // 2e5 nodes: 2e10 pairs, far too many to visit one by one; geometric skipping makes it O(edges).
  const std::size_t n = 200'000;
  const double p = 5e-5;
  const double pairs = static_cast<double>(n) * static_cast<double>(n - 1) / 2.0;
  const Network network = erdos_renyi(n, p, RandomStream(17, 0));
  EXPECT_NEAR(static_cast<double>(network.edge_count()), p * pairs, 4.0 * std::sqrt(pairs * p * (1.0 - p)));
  expect_simple_symmetric(network);
}

TEST(ErdosRenyiGenerator, ExtremeP_GivesEmptyOrComplete) {
  const RandomStream random(2, 0);
  EXPECT_EQ(erdos_renyi(50, 0.0, random).edge_count(), 0U);
  EXPECT_TRUE(same_graph(erdos_renyi(50, 1.0, random), complete(50)));
  EXPECT_THROW((void)erdos_renyi(50, 1.01, random), std::invalid_argument);
}

TEST(ErdosRenyiGenerator, SameSeed_SameGraph_DifferentSeed_DifferentGraph) {
  EXPECT_TRUE(same_graph(erdos_renyi(500, 0.02, RandomStream(4, 0)), erdos_renyi(500, 0.02, RandomStream(4, 0))));
  EXPECT_FALSE(same_graph(erdos_renyi(500, 0.02, RandomStream(4, 0)), erdos_renyi(500, 0.02, RandomStream(4, 1))));
}

// --- spatial neighbourhood ----------------------------------------------------------------

TEST(SpatialNeighbourhoodGenerator, Bounded_InteriorFullCornersSmaller) {
  const std::size_t width = 10, height = 8;
  for (const std::size_t r : {1U, 2U}) {
    const Network network = spatial_neighbourhood(width, height, r, false);
    const auto cell = [&](std::size_t x, std::size_t y) { return static_cast<Node>(y * width + x); };
    EXPECT_EQ(network.degree(cell(5, 4)), (2 * r + 1) * (2 * r + 1) - 1);
    EXPECT_EQ(network.degree(cell(0, 0)), (r + 1) * (r + 1) - 1);
    EXPECT_EQ(network.degree(cell(9, 7)), (r + 1) * (r + 1) - 1);
    EXPECT_EQ(network.degree(cell(0, 4)), (r + 1) * (2 * r + 1) - 1);
    expect_simple_symmetric(network);
  }
  // A radius beyond the grid links every cell to every other.
  EXPECT_TRUE(same_graph(spatial_neighbourhood(4, 3, 100, false), complete(12)));
}

TEST(SpatialNeighbourhoodGenerator, Torus_AllDegreesEqualAndEdgesMatchFormula) {
  const std::size_t width = 10, height = 8, n = width * height;
  for (const std::size_t r : {1U, 2U, 3U}) {
    const Network network = spatial_neighbourhood(width, height, r, true);
    const std::size_t degree = (2 * r + 1) * (2 * r + 1) - 1;
    EXPECT_EQ(network.degree_distribution().size(), degree + 1) << "r = " << r;
    EXPECT_EQ(network.degree_distribution()[degree], n) << "r = " << r;
    EXPECT_EQ(network.edge_count(), n * degree / 2) << "r = " << r;
    expect_simple_symmetric(network);
  }
  // The corner's Moore neighbourhood wraps to the far row and column.
  const Network moore = spatial_neighbourhood(width, height, 1, true);  // the span points into it
  const auto near = moore.neighbours(0);
  EXPECT_EQ(std::vector<Node>(near.begin(), near.end()), (std::vector<Node>{1, 9, 10, 11, 19, 70, 71, 79}));
}

TEST(SpatialNeighbourhoodGenerator, InvalidArguments_Throw) {
  EXPECT_THROW((void)spatial_neighbourhood(0, 5, 1, false), std::invalid_argument);
  EXPECT_THROW((void)spatial_neighbourhood(4, 10, 2, true), std::invalid_argument);  // 5 > width 4
  EXPECT_NO_THROW((void)spatial_neighbourhood(5, 5, 2, true));
}

// --- edge list CSV ---------------------------------------------------------------------

// The engine reads streams only; opening files is the scenario loader's job.
Network read_fixture(const fs::path& path, std::size_t n) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture " + path.string());
  return from_edge_list_csv(in, path.string(), n);
}

TEST(EdgeListCsvNetwork, ValidFile_ReadsEdgesAndMergesDuplicates) {
  const Network network = read_fixture(fixtures / "valid.csv", 5);
  EXPECT_EQ(network.node_count(), 5U);
  EXPECT_EQ(network.edge_count(), 3U);
  const auto near = network.neighbours(0);
  EXPECT_EQ(std::vector<Node>(near.begin(), near.end()), (std::vector<Node>{1, 3}));
  EXPECT_EQ(network.degree(4), 0U);
  expect_simple_symmetric(network);
}

TEST(EdgeListCsvNetwork, CrlfAndByteOrderMark_AreAccepted) {
  std::istringstream crlf("source,target\r\n0,1\r\n1,2\r\n");
  EXPECT_EQ(from_edge_list_csv(crlf, "mem.csv", 3).edge_count(), 2U);
  std::istringstream bom("\xEF\xBB\xBFsource,target\n0,1\n");
  EXPECT_EQ(from_edge_list_csv(bom, "mem.csv", 3).edge_count(), 1U);
}

struct BadCsv {
  const char* fixture;
  std::size_t n;
  std::size_t line;
  const char* message;
};

TEST(EdgeListCsvNetwork, BadFixture_ThrowsWithFileAndLine) {
  const BadCsv cases[] = {
      {"malformed_line.csv", 4, 3, "expected two fields \"source,target\", got \"1;2\""},
      {"out_of_range.csv", 4, 4, "node id 4 out of range [0, 4)"},
      {"self_loop.csv", 4, 3, "self loop on node 2"},
      {"missing_header.csv", 4, 2, "expected header \"source,target\", got \"0,1\""},
  };
  for (const BadCsv& bad : cases) {
    const fs::path path = fixtures / bad.fixture;
    const std::string expected = path.string() + ":" + std::to_string(bad.line) + ": " + bad.message;
    EXPECT_EQ(network_error_text([&] { (void)read_fixture(path, bad.n); }), expected);
    try {
      (void)read_fixture(path, bad.n);
    } catch (const NetworkError& error) {
      EXPECT_EQ(error.file(), path.string());
      EXPECT_EQ(error.line(), bad.line);
      EXPECT_EQ(error.message(), bad.message);
    }
  }
}

TEST(EdgeListCsvNetwork, BadStream_ThrowsWithExactMessage) {
  const auto read = [](const std::string& text) {
    return network_error_text([&] {
      std::istringstream in(text);
      (void)from_edge_list_csv(in, "mem.csv", 4);
    });
  };
  EXPECT_EQ(read(""), "mem.csv:1: expected header \"source,target\", got end of file");
  EXPECT_EQ(read("# only a comment\n"), "mem.csv:2: expected header \"source,target\", got end of file");
  EXPECT_EQ(read("source,target\nx,1\n"), "mem.csv:2: node id \"x\" is not an integer");
  EXPECT_EQ(read("source,target\n1.5,1\n"), "mem.csv:2: node id \"1.5\" is not an integer");
  EXPECT_EQ(read("source,target\n1,\n"), "mem.csv:2: node id \"\" is not an integer");
  EXPECT_EQ(read("source,target\n-1,0\n"), "mem.csv:2: node id -1 out of range [0, 4)");
  EXPECT_EQ(read("source,target\n0,99999999999999999999\n"),
            "mem.csv:2: node id 99999999999999999999 out of range [0, 4)");
  EXPECT_EQ(read("source,target\n0,1,2\n"), "mem.csv:2: expected two fields \"source,target\", got \"0,1,2\"");
}

TEST(BuildNetwork, EdgeListText_SameGraphAsStream) {
  const std::string text = "source,target\r\n0,1\r\n\r\n# comment\r\n1,2\r\n2,0\r\n3,1";  // no final newline
  std::istringstream in(text);
  const Network streamed = from_edge_list_csv(in, "mem.csv", 4);
  const NetworkSpec spec = network_spec("edge_list", {{"file", std::string("mem.csv")}, {"text", text}});
  const Network built = build_network(spec, 4, RandomStream(0, 0));
  EXPECT_TRUE(same_graph(streamed, built));
  EXPECT_EQ(built.edge_count(), 4U);
}

}  // namespace
}  // namespace commons::sim
