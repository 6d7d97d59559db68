// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `forest_tokens`: the spatial renewable resource of the Janssen et al. (2010) foraging
/// experiments, as their published software defines it; docs/models.md#forest_tokens.

#include <commons/sim/random.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/spec.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace commons::models {

/// A grid of cells, each empty or holding one token. At the start a fixed share of the cells,
/// drawn uniformly without replacement, hold tokens. At every tick (a second of the laboratory
/// clock) each empty cell gains a token with probability r x (cells with tokens among its
/// Moore neighbours) / (its Moore neighbours inside the grid: 8 inside, 5 on an edge, 3 in a
/// corner), all cells judged on the grid as the tick found it. Agents walk the grid one cell
/// per step, at most `max_agents_per_cell` to a cell; an agent that stays where it is with
/// effort > 0 collects the token under it, if any.
class ForestTokens final : public sim::Resource {
 public:
  struct Parameters {
    /// Width of the grid [cell]; its x dimension.
    std::int64_t columns = 29;
    /// Depth of the grid [cell]; its y dimension.
    std::int64_t rows = 29;
    /// Share of the cells holding a token at the start; the count is rounded down [1].
    double initial_fraction = 0.25;
    /// r, the chance per tick that an empty cell surrounded by tokens gains one [1/tick].
    double regrowth_rate = 0.01;
    /// Most agents on one cell at a time; 0 for no limit [1].
    std::int64_t max_agents_per_cell = 1;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit ForestTokens(const Parameters& parameters);

  /// Places the initial tokens: the first draws of the run's stream for Purpose::place.
  void set_random(const sim::RandomStream& random) override;

  /// Stock = tokens on the grid; harvest per effort = their density, the chance that a cell
  /// picked at random holds one; per site: 1 where a token lies, 0 elsewhere, which is also
  /// what a unit of collecting effort yields there.
  [[nodiscard]] sim::Observation observe() const override;
  /// In agent order: an agent with effort > 0 takes the token of its cell, if it is still
  /// there (the first agent in order, when a cell holds several). One token at most.
  double harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) override;
  /// An agent collecting at a cell chosen at random: the token density when own_effort > 0.
  [[nodiscard]] double harvest_if(double own_effort, double others_effort) const override;
  /// One collection per step.
  [[nodiscard]] std::optional<double> effort_limit() const override { return 1.0; }
  /// One tick of regrowth.
  void grow() override;
  [[nodiscard]] double stock() const override { return static_cast<double>(token_count_); }
  /// Below one token nothing can regrow: collapsed for good.
  [[nodiscard]] double collapse_threshold() const override { return 0.5; }
  /// Tokens and collecting actions are counts.
  [[nodiscard]] sim::UnitSystem units() const override { return {"1", "1", "money"}; }
  /// tokens (at the start of the step), regrowth (tokens that appeared in its ticks).
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;

  [[nodiscard]] sim::SiteLayout sites() const override { return layout_; }
  /// Walking: one cell per step to a neighbour sharing an edge (the arrow keys), at most
  /// `max_agents_per_cell` agents to a cell, and a step spent moving collects nothing.
  [[nodiscard]] sim::SiteAccess site_access() const override;
  /// As the laboratory software places avatars: spread along the middle row when they fit in
  /// it, x_k = floor(w/2 + w k) with w = columns / agents; otherwise spread evenly over the
  /// cells in row-major order.
  [[nodiscard]] std::vector<std::uint32_t> starting_sites(std::size_t agents) const override;
  /// tokens per cell, after the step's ticks.
  [[nodiscard]] std::vector<sim::VariableInfo> site_variables() const override;
  void sample_sites(std::span<double> values) const override;

  /// Whether the cell holds a token.
  [[nodiscard]] bool has_token(std::size_t cell) const { return tokens_[cell] != 0.0; }
  /// Cells of the Moore neighbourhood of `cell` that hold a token, and that lie in the grid.
  [[nodiscard]] int occupied_neighbours(std::size_t cell) const;
  [[nodiscard]] int valid_neighbours(std::size_t cell) const;
  /// Ticks done since the start of the run.
  [[nodiscard]] std::uint64_t ticks() const { return ticks_; }
  /// Sets the grid from a 0/1 mask (tests; a scenario's hand-drawn start).
  void set_tokens(const std::vector<bool>& mask);
  [[nodiscard]] const Parameters& parameters() const { return parameters_; }

 private:
  Parameters parameters_;
  sim::SiteLayout layout_;
  std::size_t rows_ = 0;
  std::size_t columns_ = 0;
  /// 1.0 where a token lies: the observation's view of the grid, without a copy.
  std::vector<double> tokens_;
  std::size_t token_count_ = 0;
  std::size_t tokens_at_step_start_ = 0;
  std::size_t grown_in_step_ = 0;
  std::uint64_t ticks_ = 0;
  std::optional<sim::RandomStream> random_;
  /// Cells that gain a token in the current tick, kept to reuse the allocation.
  std::vector<std::uint32_t> sprouts_;
};

}  // namespace commons::models
