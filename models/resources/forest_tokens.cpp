// SPDX-License-Identifier: Apache-2.0
#include <commons/models/resources/forest_tokens.hpp>

#include <commons/models/registration.hpp>
#include <commons/models/resources/moore_neighbourhood.hpp>

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

namespace commons::models {

namespace {

// A grid of 20000 x 20000 cells already takes 3.2 GB of token state; site indices are 32 bits.
constexpr double largest_side = 20000.0;

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::resource,
      .name = "forest_tokens",
      .summary =
          "The spatial renewable resource of the Janssen et al. (2010) foraging experiments: a grid of cells holding "
          "at most one token each; every tick each empty cell gains a token with probability regrowth_rate x (tokens "
          "among its Moore neighbours) / (its neighbours inside the grid), all cells updated together. Agents walk "
          "one cell per step and collect the token of the cell they stand on.",
      .parameters = {{.name = "columns",
                      .type = sim::ParameterType::integer,
                      .meaning = "Width of the grid, its x dimension",
                      .unit = "cell",
                      .minimum = sim::Bound{1.0},
                      .maximum = sim::Bound{largest_side},
                      .default_value = std::int64_t{29}},
                     {.name = "rows",
                      .type = sim::ParameterType::integer,
                      .meaning = "Depth of the grid, its y dimension",
                      .unit = "cell",
                      .minimum = sim::Bound{1.0},
                      .maximum = sim::Bound{largest_side},
                      .default_value = std::int64_t{29}},
                     {.name = "initial_fraction",
                      .type = sim::ParameterType::number,
                      .meaning = "Share of the cells holding a token at the start, placed uniformly at random; the "
                                 "count is rounded down (0.25 of 29 x 29 = 210 tokens)",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 0.25},
                     {.name = "regrowth_rate",
                      .type = sim::ParameterType::number,
                      .meaning = "r: an empty cell gains a token in a tick with probability r x (neighbours with "
                                 "tokens) / (neighbours inside the grid)",
                      .unit = "1/tick",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 0.01},
                     {.name = "max_agents_per_cell",
                      .type = sim::ParameterType::integer,
                      .meaning = "Most agents standing on one cell at a time; 0 for no limit",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1e6},
                      .default_value = std::int64_t{1}}},
      .variables = {{"tokens", "resource_unit", "tokens on the grid at the start of the step"},
                    {"regrowth", "resource_unit", "tokens that appeared in the step's ticks"}},
      .capabilities = {.effort_limit = true, .sites = true}};
  return described;
}

const std::vector<sim::VariableInfo>& cell_variables() {
  static const std::vector<sim::VariableInfo> variables{
      {"tokens", "resource_unit", "1 where the cell holds a token after the step's ticks, 0 where it is empty"}};
  return variables;
}

}  // namespace

ForestTokens::Parameters ForestTokens::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.columns = values.integer("columns");
  p.rows = values.integer("rows");
  p.initial_fraction = values.number("initial_fraction");
  p.regrowth_rate = values.number("regrowth_rate");
  p.max_agents_per_cell = values.integer("max_agents_per_cell");
  return p;
}

ForestTokens::ForestTokens(const Parameters& parameters)
    : parameters_(parameters),
      layout_(sim::SiteLayout::grid(static_cast<std::size_t>(parameters.rows),
                                    static_cast<std::size_t>(parameters.columns))),
      rows_(static_cast<std::size_t>(parameters.rows)),
      columns_(static_cast<std::size_t>(parameters.columns)),
      tokens_(layout_.count, 0.0) {
  if (parameters.initial_fraction < 0.0 || parameters.initial_fraction > 1.0)
    throw sim::SpecError("forest_tokens: initial_fraction must lie in [0, 1]");
  if (parameters.regrowth_rate < 0.0 || parameters.regrowth_rate > 1.0)
    throw sim::SpecError("forest_tokens: regrowth_rate must lie in [0, 1]");
}

void ForestTokens::set_random(const sim::RandomStream& random) {
  random_.emplace(random);
  // As the laboratory software does: floor(fraction x cells) distinct cells, each subset of
  // that size equally likely. A partial Fisher-Yates shuffle of the cell indices, draw k
  // choosing among the cells not yet taken.
  const std::size_t cells = layout_.count;
  const auto wanted = static_cast<std::size_t>(parameters_.initial_fraction * static_cast<double>(cells));
  std::vector<std::uint32_t> order(cells);
  std::iota(order.begin(), order.end(), 0U);
  std::fill(tokens_.begin(), tokens_.end(), 0.0);
  for (std::size_t k = 0; k < wanted; ++k) {
    const double u = random.uniform(0, k, sim::Purpose::place);
    const std::size_t pick = k + std::min(cells - k - 1, static_cast<std::size_t>(u * static_cast<double>(cells - k)));
    std::swap(order[k], order[pick]);
    tokens_[order[k]] = 1.0;
  }
  token_count_ = wanted;
  tokens_at_step_start_ = wanted;
}

void ForestTokens::set_tokens(const std::vector<bool>& mask) {
  if (mask.size() != tokens_.size())
    throw std::invalid_argument("a token mask of " + std::to_string(mask.size()) + " cells for a grid of " +
                                std::to_string(tokens_.size()));
  token_count_ = 0;
  for (std::size_t cell = 0; cell < mask.size(); ++cell) {
    tokens_[cell] = mask[cell] ? 1.0 : 0.0;
    token_count_ += mask[cell] ? 1 : 0;
  }
  tokens_at_step_start_ = token_count_;
}

sim::Observation ForestTokens::observe() const {
  sim::Observation observation;
  observation.stock = static_cast<double>(token_count_);
  observation.harvest_per_effort = static_cast<double>(token_count_) / static_cast<double>(layout_.count);
  observation.noise_sd = 0.0;
  observation.site_stock = tokens_;
  observation.site_harvest_per_effort = tokens_;
  return observation;
}

double ForestTokens::harvest(const sim::Actions& actions, std::span<double> harvest,
                             const sim::ExecutionPolicy& /*policy*/) {
  tokens_at_step_start_ = token_count_;
  grown_in_step_ = 0;
  // Serial, in agent order: when a cell holds several agents the first takes its token. At one
  // comparison per agent this costs little next to a tick of regrowth over the whole grid.
  std::size_t collected = 0;
  for (std::size_t i = 0; i < actions.effort.size(); ++i) {
    harvest[i] = 0.0;
    if (!(actions.effort[i] > 0.0)) continue;
    const std::uint32_t cell = actions.site[i];
    if (tokens_[cell] == 0.0) continue;
    tokens_[cell] = 0.0;
    harvest[i] = 1.0;
    ++collected;
  }
  token_count_ -= collected;
  return static_cast<double>(collected);
}

double ForestTokens::harvest_if(double own_effort, double /*others_effort*/) const {
  return own_effort > 0.0 ? static_cast<double>(token_count_) / static_cast<double>(layout_.count) : 0.0;
}

int ForestTokens::valid_neighbours(std::size_t cell) const { return moore_neighbours_in_grid(rows_, columns_, cell); }

int ForestTokens::occupied_neighbours(std::size_t cell) const { return moore_tokens(tokens_, rows_, columns_, cell); }

void ForestTokens::grow() {
  // Synchronous: every cell is judged on the grid as the tick found it, and the new tokens are
  // laid down together afterwards. A cell's draw is addressed by (tick, cell), so the grid
  // does not depend on which cells happen to be empty elsewhere, nor on any thread count.
  sprouts_.clear();
  const double rate = parameters_.regrowth_rate;
  if (rate > 0.0 && token_count_ > 0) {
    for (std::size_t cell = 0; cell < tokens_.size(); ++cell) {
      if (tokens_[cell] != 0.0) continue;
      const int occupied = occupied_neighbours(cell);
      if (occupied == 0) continue;
      const double probability = rate * (static_cast<double>(occupied) / static_cast<double>(valid_neighbours(cell)));
      if (random_->uniform(ticks_, cell, sim::Purpose::grow) < probability)
        sprouts_.push_back(static_cast<std::uint32_t>(cell));
    }
  }
  for (const std::uint32_t cell : sprouts_) tokens_[cell] = 1.0;
  token_count_ += sprouts_.size();
  grown_in_step_ += sprouts_.size();
  ++ticks_;
}

std::vector<sim::VariableInfo> ForestTokens::variables() const { return descriptor().variables; }

void ForestTokens::sample(std::span<double> values) const {
  values[0] = static_cast<double>(tokens_at_step_start_);
  values[1] = static_cast<double>(grown_in_step_);
}

sim::SiteAccess ForestTokens::site_access() const {
  return {.capacity = static_cast<std::uint32_t>(parameters_.max_agents_per_cell),
          .neighbours_only = true,
          .moving_takes_step = true};
}

std::vector<std::uint32_t> ForestTokens::starting_sites(std::size_t agents) const {
  std::vector<std::uint32_t> start(agents);
  if (agents == 0) return start;
  if (agents <= columns_) {
    const double width = static_cast<double>(columns_) / static_cast<double>(agents);
    const std::size_t row = rows_ / 2;
    for (std::size_t k = 0; k < agents; ++k) {
      const auto column = static_cast<std::size_t>(width / 2.0 + width * static_cast<double>(k));
      start[k] = static_cast<std::uint32_t>(row * columns_ + column);
    }
    return start;
  }
  const std::size_t cells = layout_.count;
  for (std::size_t k = 0; k < agents; ++k) start[k] = static_cast<std::uint32_t>((k * cells + cells / 2) / agents % cells);
  return start;
}

std::vector<sim::VariableInfo> ForestTokens::site_variables() const { return cell_variables(); }

void ForestTokens::sample_sites(std::span<double> values) const {
  std::copy(tokens_.begin(), tokens_.end(), values.begin());
}

COMMONS_REGISTER_MODELS(forest_tokens) {
  registry.add_resource(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<ForestTokens>(ForestTokens::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
