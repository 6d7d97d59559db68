// SPDX-License-Identifier: Apache-2.0
// The foraging grid of Janssen et al. (2010): its neighbourhoods counted by hand, its regrowth
// against an independent plain implementation, and the walk of foragers on it.

#include <commons/models/register_models.hpp>
#include <commons/models/resources/forest_tokens.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run.hpp>

#include <scripted_seats.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>
#include <vector>

namespace commons::models {
namespace {

ForestTokens::Parameters grid(std::int64_t rows, std::int64_t columns, double initial_fraction, double rate) {
  ForestTokens::Parameters p;
  p.rows = rows;
  p.columns = columns;
  p.initial_fraction = initial_fraction;
  p.regrowth_rate = rate;
  return p;
}

TEST(ForestTokens, LaboratoryGrid_StartsWith210TokensOnDistinctCells) {
  // 29 x 29 cells, 25 %: floor(0.25 x 841) = 210, as the published configuration says.
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    ForestTokens forest(ForestTokens::Parameters{});
    forest.set_random(sim::RandomStream(seed, 0));
    EXPECT_EQ(forest.stock(), 210.0);
    std::size_t on_grid = 0;
    for (std::size_t cell = 0; cell < 841; ++cell) on_grid += forest.has_token(cell) ? 1 : 0;
    EXPECT_EQ(on_grid, 210U);
  }
}

TEST(ForestTokens, InitialTokens_EveryCellEquallyLikely) {
  // Over many seeds each of the 100 cells holds a token in about 30 % of the runs.
  constexpr int runs = 4000;
  std::vector<int> hits(100, 0);
  for (int seed = 0; seed < runs; ++seed) {
    ForestTokens forest(grid(10, 10, 0.3, 0.0));
    forest.set_random(sim::RandomStream(static_cast<std::uint64_t>(seed), 3));
    for (std::size_t cell = 0; cell < 100; ++cell) hits[cell] += forest.has_token(cell) ? 1 : 0;
  }
  // Binomial(4000, 0.3): sd = 29; 5 sd either side.
  for (const int count : hits) EXPECT_NEAR(count, 1200, 145);
}

TEST(ForestTokens, MooreNeighbourhood_EightInsideFiveOnEdgesThreeInCorners) {
  ForestTokens forest(grid(4, 5, 0.0, 0.01));
  const auto cell = [](std::size_t row, std::size_t column) { return row * 5 + column; };
  EXPECT_EQ(forest.valid_neighbours(cell(0, 0)), 3);
  EXPECT_EQ(forest.valid_neighbours(cell(0, 4)), 3);
  EXPECT_EQ(forest.valid_neighbours(cell(3, 0)), 3);
  EXPECT_EQ(forest.valid_neighbours(cell(3, 4)), 3);
  EXPECT_EQ(forest.valid_neighbours(cell(0, 2)), 5);
  EXPECT_EQ(forest.valid_neighbours(cell(2, 0)), 5);
  EXPECT_EQ(forest.valid_neighbours(cell(3, 1)), 5);
  EXPECT_EQ(forest.valid_neighbours(cell(1, 4)), 5);
  EXPECT_EQ(forest.valid_neighbours(cell(1, 1)), 8);
  EXPECT_EQ(forest.valid_neighbours(cell(2, 3)), 8);
  // A grid one cell deep, and a single cell.
  ForestTokens row(grid(1, 4, 0.0, 0.01));
  EXPECT_EQ(row.valid_neighbours(0), 1);
  EXPECT_EQ(row.valid_neighbours(1), 2);
  ForestTokens lone(grid(1, 1, 0.0, 0.01));
  EXPECT_EQ(lone.valid_neighbours(0), 0);

  // Tokens in the corner (0,0), at (0,1) and at (1,1); the cell itself never counts.
  std::vector<bool> mask(20, false);
  mask[cell(0, 0)] = mask[cell(0, 1)] = mask[cell(1, 1)] = true;
  forest.set_tokens(mask);
  EXPECT_EQ(forest.occupied_neighbours(cell(0, 0)), 2);
  EXPECT_EQ(forest.occupied_neighbours(cell(1, 0)), 3);
  EXPECT_EQ(forest.occupied_neighbours(cell(1, 1)), 2);
  EXPECT_EQ(forest.occupied_neighbours(cell(2, 2)), 1);
  EXPECT_EQ(forest.occupied_neighbours(cell(3, 3)), 0);
}

TEST(ForestTokens, Regrowth_IsSynchronous) {
  // One row [token, empty, empty] at r = 1: the middle cell gains a token with probability
  // 1 x 1/2; the right cell, whose only neighbour was empty when the tick began, never does in
  // the first tick, whatever the middle cell did.
  int middle = 0;
  for (std::uint64_t seed = 0; seed < 400; ++seed) {
    ForestTokens forest(grid(1, 3, 0.0, 1.0));
    forest.set_random(sim::RandomStream(seed, 0));
    forest.set_tokens({true, false, false});
    forest.grow();
    EXPECT_FALSE(forest.has_token(2));
    middle += forest.has_token(1) ? 1 : 0;
  }
  EXPECT_NEAR(middle, 200, 50);
  // A neighbourhood full of tokens at r = 1 fills the cell for certain; none never does.
  ForestTokens forest(grid(1, 2, 0.0, 1.0));
  forest.set_random(sim::RandomStream(1, 0));
  forest.set_tokens({true, false});
  forest.grow();
  EXPECT_TRUE(forest.has_token(1));
  ForestTokens empty(grid(3, 3, 0.0, 1.0));
  empty.set_random(sim::RandomStream(1, 0));
  for (int tick = 0; tick < 50; ++tick) empty.grow();
  EXPECT_EQ(empty.stock(), 0.0);
}

/// The regrowth rule written out plainly, on its own random numbers: what the resource must
/// match in distribution.
std::vector<double> plain_token_counts(int rows, int columns, double fraction, double rate, int ticks,
                                       std::mt19937_64& engine) {
  const int cells = rows * columns;
  std::vector<int> order(static_cast<std::size_t>(cells));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), engine);
  std::vector<int> tokens(static_cast<std::size_t>(cells), 0);
  const int initial = static_cast<int>(fraction * cells);
  for (int k = 0; k < initial; ++k) tokens[static_cast<std::size_t>(order[static_cast<std::size_t>(k)])] = 1;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> counts;
  for (int tick = 0; tick < ticks; ++tick) {
    std::vector<int> next = tokens;
    for (int y = 0; y < rows; ++y) {
      for (int x = 0; x < columns; ++x) {
        if (tokens[static_cast<std::size_t>(y * columns + x)] == 1) continue;
        int occupied = 0, valid = 0;
        for (int dy = -1; dy <= 1; ++dy) {
          for (int dx = -1; dx <= 1; ++dx) {
            if (dy == 0 && dx == 0) continue;
            const int ny = y + dy, nx = x + dx;
            if (ny < 0 || ny >= rows || nx < 0 || nx >= columns) continue;
            ++valid;
            occupied += tokens[static_cast<std::size_t>(ny * columns + nx)];
          }
        }
        if (uniform(engine) < rate * occupied / valid) next[static_cast<std::size_t>(y * columns + x)] = 1;
      }
    }
    tokens = next;
    counts.push_back(std::accumulate(tokens.begin(), tokens.end(), 0.0));
  }
  return counts;
}

struct Moments {
  double mean = 0.0;
  double variance = 0.0;
};

Moments moments(const std::vector<double>& values) {
  Moments m;
  for (const double v : values) m.mean += v;
  m.mean /= static_cast<double>(values.size());
  for (const double v : values) m.variance += (v - m.mean) * (v - m.mean);
  m.variance /= static_cast<double>(values.size() - 1);
  return m;
}

/// Two-sample Kolmogorov-Smirnov statistic.
double ks_distance(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  double largest = 0.0;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const double at = std::min(a[i], b[j]);
    while (i < a.size() && a[i] == at) ++i;
    while (j < b.size() && b[j] == at) ++j;
    largest = std::max(largest, std::abs(static_cast<double>(i) / static_cast<double>(a.size()) -
                                         static_cast<double>(j) / static_cast<double>(b.size())));
  }
  return largest;
}

TEST(ForestTokens, Regrowth_MatchesPlainImplementationInDistribution) {
  // 12 x 12 cells, 15 % at the start, r = 0.1: the grid fills over some 60 ticks, so counts at
  // ticks 10, 30 and 60 test the rule early, midway and near saturation.
  constexpr int rows = 12, columns = 12, ticks = 60, runs = 1500;
  constexpr double fraction = 0.15, rate = 0.1;
  const std::vector<int> checkpoints{10, 30, 60};
  std::vector<std::vector<double>> ours(checkpoints.size()), plain(checkpoints.size());
  std::mt19937_64 engine(20101);
  for (int run = 0; run < runs; ++run) {
    ForestTokens forest(grid(rows, columns, fraction, rate));
    forest.set_random(sim::RandomStream(99, static_cast<std::uint64_t>(run)));
    const std::vector<double> reference = plain_token_counts(rows, columns, fraction, rate, ticks, engine);
    std::size_t next = 0;
    for (int tick = 1; tick <= ticks; ++tick) {
      forest.grow();
      if (next < checkpoints.size() && tick == checkpoints[next]) {
        ours[next].push_back(forest.stock());
        plain[next].push_back(reference[static_cast<std::size_t>(tick - 1)]);
        ++next;
      }
    }
  }
  for (std::size_t c = 0; c < checkpoints.size(); ++c) {
    const Moments a = moments(ours[c]);
    const Moments b = moments(plain[c]);
    const double standard_error = std::sqrt(a.variance / runs + b.variance / runs);
    EXPECT_LT(std::abs(a.mean - b.mean), 4.5 * standard_error)
        << "tick " << checkpoints[c] << ": mean " << a.mean << " against " << b.mean;
    // Sample variances of 1500 runs agree within about 4.5 x sqrt(2/1499) = 16 % on the log scale.
    EXPECT_LT(std::abs(std::log(a.variance / b.variance)), 4.5 * std::sqrt(2.0 / (runs - 1)))
        << "tick " << checkpoints[c] << ": variance " << a.variance << " against " << b.variance;
    // Kolmogorov-Smirnov at a 1e-4 level: D < sqrt(-ln(0.5e-4)/2) sqrt(2/n).
    EXPECT_LT(ks_distance(ours[c], plain[c]), std::sqrt(-std::log(0.5e-4) / 2.0) * std::sqrt(2.0 / runs))
        << "tick " << checkpoints[c];
  }
}

TEST(ForestTokens, Harvest_OneTokenPerAgentFirstInOrderWins) {
  ForestTokens::Parameters p = grid(2, 2, 0.0, 0.0);
  p.max_agents_per_cell = 0;
  ForestTokens forest(p);
  forest.set_tokens({true, true, false, true});
  const std::vector<double> effort{1.0, 1.0, 1.0, 0.0, 1.0};
  const std::vector<std::uint32_t> site{0, 0, 2, 3, 1};
  std::vector<double> harvest(5, -1.0);
  const double total = forest.harvest({effort, site, {}}, harvest, sim::ExecutionPolicy{});
  EXPECT_EQ(harvest, (std::vector<double>{1.0, 0.0, 0.0, 0.0, 1.0}));
  EXPECT_EQ(total, 2.0);
  EXPECT_EQ(forest.stock(), 1.0);  // the token of cell 3, whose agent did not collect
  EXPECT_TRUE(forest.has_token(3));
}

TEST(ForestTokens, StartingSites_SpreadAlongTheMiddleRowAsTheLaboratoryDid) {
  ForestTokens forest(ForestTokens::Parameters{});
  // Five avatars on 29 columns: w = 5.8, x = 2, 8, 14, 20, 26, on row 14.
  EXPECT_EQ(forest.starting_sites(5), (std::vector<std::uint32_t>{14 * 29 + 2, 14 * 29 + 8, 14 * 29 + 14,
                                                                 14 * 29 + 20, 14 * 29 + 26}));
  // More agents than columns: spread over the whole grid, each on its own cell.
  const std::vector<std::uint32_t> many = forest.starting_sites(800);
  EXPECT_EQ(std::set<std::uint32_t>(many.begin(), many.end()).size(), 800U);
  EXPECT_LT(*std::max_element(many.begin(), many.end()), 841U);
}

sim::ScenarioSpec foraging_scenario(std::int64_t foragers, std::int64_t steps, std::int64_t steps_per_tick,
                                    std::int64_t restraint = 0) {
  sim::ScenarioSpec spec;
  spec.name = "foraging";
  spec.resource = {"forest_tokens",
                   sim::Parameters({{"rows", std::int64_t{15}},
                                    {"columns", std::int64_t{15}},
                                    {"initial_fraction", 0.3},
                                    {"regrowth_rate", 0.05}}),
                   "/resource"};
  spec.economics = {0.02, 0.0, 0.0};
  spec.groups.push_back(
      {"players",
       foragers,
       {{1.0, {"forager", sim::Parameters({{"min_token_neighbours", restraint}}), "/agents/0/behaviour"}}},
       0.0});
  spec.steps = steps;
  spec.clock.steps_per_tick = steps_per_tick;
  spec.seed = 11;
  spec.resolved_text = "{}";
  spec.source = "test";
  return spec;
}

TEST(ForestTokens, Foragers_WalkOneCellAtATimeAloneOnTheirCellsAndCollectOnlyWhereTheyStand) {
  const sim::ScenarioSpec spec = foraging_scenario(12, 600, 4);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}});
  const sim::SiteLayout layout = run.resource().sites();
  std::vector<std::uint32_t> before = run.agents().site;
  double collected = 0.0;
  while (!run.done()) {
    const double tokens_before = run.resource().stock();
    const std::uint64_t ticks_before = dynamic_cast<const ForestTokens&>(run.resource()).ticks();
    run.step();
    const sim::AgentTable& agents = run.agents();
    EXPECT_EQ(std::set<std::uint32_t>(agents.site.begin(), agents.site.end()).size(), agents.site.size())
        << "two agents share a cell at step " << run.steps_done();
    double harvested = 0.0;
    for (std::size_t i = 0; i < agents.size(); ++i) {
      EXPECT_TRUE(agents.site[i] == before[i] || layout.adjacent(before[i], agents.site[i]));
      if (agents.harvest[i] > 0.0) {
        EXPECT_EQ(agents.site[i], before[i]) << "collected while moving";
      }
      EXPECT_TRUE(agents.harvest[i] == 0.0 || agents.harvest[i] == 1.0);
      harvested += agents.harvest[i];
    }
    collected += harvested;
    // Regrowth comes only every fourth step (steps_per_tick 4); tokens are conserved otherwise.
    const std::uint64_t ticks = dynamic_cast<const ForestTokens&>(run.resource()).ticks();
    EXPECT_EQ(ticks - ticks_before, run.steps_done() % 4 == 0 ? 1U : 0U);
    if (ticks == ticks_before) {
      EXPECT_EQ(run.resource().stock(), tokens_before - harvested);
    }
    EXPECT_GE(run.resource().stock(), tokens_before - harvested);
    before = agents.site;
  }
  EXPECT_GT(collected, 50.0);
}

TEST(ForestTokens, Foragers_SameBitsSerialAndParallel) {
  const sim::ScenarioSpec spec = foraging_scenario(40, 200, 5);
  const auto play = [&](sim::ExecutionPolicy policy) {
    sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, policy);
    std::vector<std::uint32_t> trail;
    while (!run.done()) {
      run.step();
      trail.insert(trail.end(), run.agents().site.begin(), run.agents().site.end());
      trail.push_back(static_cast<std::uint32_t>(run.resource().stock()));
    }
    return trail;
  };
  EXPECT_EQ(play(sim::ExecutionPolicy{.parallel_agents = false}), play(sim::ExecutionPolicy{.parallel_agents = true}));
}

TEST(ForestTokens, RestrainedForagers_KeepTheForestLongerThanGreedyOnes) {
  // Over a 240-tick period at five moves a tick, foragers who leave isolated tokens keep more
  // of the forest standing than foragers who take everything, summed over ten replicates.
  double greedy = 0.0, restrained = 0.0;
  for (std::int64_t replicate = 0; replicate < 10; ++replicate) {
    for (const std::int64_t restraint : {0, 3}) {
      const sim::ScenarioSpec spec = foraging_scenario(5, 1200, 5, restraint);
      sim::Run run(spec, default_registry(), sim::RunTask{0, replicate, spec.seed, {}});
      while (!run.done()) run.step();
      (restraint == 0 ? greedy : restrained) += run.resource().stock();
    }
  }
  EXPECT_GT(restrained, greedy);
}

TEST(ForestTokens, HumanSeats_ChooseTheirCellWithinTheSameRules) {
  // Two people on the 29 x 29 grid: seat 0 starts at (14, 7), seat 1 at (14, 21). Seat 0 steps
  // right, then tries to jump across the grid (refused: one cell per step); seat 1 stays and
  // collects.
  sim::ScenarioSpec spec = foraging_scenario(2, 3, 5);
  spec.resource.parameters = sim::Parameters({{"initial_fraction", 0.25}});
  spec.groups[0].behaviours[0].behaviour = {"human", sim::Parameters({{"deadline_seconds", 5.0}}), "/agents/0/behaviour"};
  testing::ScriptedSeats seats;
  const std::uint32_t start = 14 * 29 + 7;
  seats.move(0, 0, start + 1, 0.0);
  seats.move(1, 0, 0, 0.0);
  seats.move(2, 0, start + 1, 1.0);
  for (std::int64_t step = 0; step < 3; ++step) seats.answer(step, 1, 1.0);
  sim::Run run(spec, default_registry(), sim::RunTask{0, 0, spec.seed, {}}, sim::ExecutionPolicy{}, &seats);
  EXPECT_EQ(run.agents().site, (std::vector<std::uint32_t>{start, 14 * 29 + 21}));
  run.step();
  EXPECT_EQ(run.agents().site[0], start + 1);
  EXPECT_EQ(run.agents().harvest[0], 0.0);  // moving took the step
  run.step();
  EXPECT_EQ(run.agents().site[0], start + 1);  // the jump was refused
  const bool token = run.resource().observe().site_stock[start + 1] > 0.0;
  run.step();
  EXPECT_EQ(run.agents().harvest[0], token ? 1.0 : 0.0);
  EXPECT_EQ(seats.requests().front().site_count, 841U);
  ASSERT_TRUE(seats.requests().front().site.has_value());
}

}  // namespace
}  // namespace commons::models
