// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/forager.hpp>

#include <commons/models/registration.hpp>
#include <commons/models/resources/moore_neighbourhood.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "forager",
      .summary =
          "Walks a grid of sites (forest_tokens): collects the token it stands on, else steps one cell toward the "
          "nearest token it would take (Manhattan distance, ties drawn at random), else one cell at random. With "
          "min_token_neighbours > 0 it leaves tokens that have fewer token neighbours, the seeds of regrowth.",
      .parameters = {{.name = "vision",
                      .type = sim::ParameterType::integer,
                      .meaning = "How far the agent looks for tokens, in cells of walking (Manhattan distance); 0 "
                                 "for the whole grid, as laboratory subjects see it",
                      .unit = "cell",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{40000.0},
                      .default_value = std::int64_t{0}},
                     {.name = "min_token_neighbours",
                      .type = sim::ParameterType::integer,
                      .meaning = "Tokens among a token's eight Moore neighbours for the agent to take it: 0 takes "
                                 "every token; higher values leave isolated tokens to seed regrowth",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{8.0},
                      .default_value = std::int64_t{0}}}};
  return described;
}

/// Draw numbers within one agent's decision in a step.
enum Draw : std::uint64_t { tie = 0, axis = 1, wander = 2 };

}  // namespace

Forager::Parameters Forager::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.vision = values.integer("vision");
  p.min_token_neighbours = values.integer("min_token_neighbours");
  return p;
}

void Forager::check(const sim::Resource& resource) {
  if (resource.sites().kind != sim::SiteLayout::Kind::grid)
    throw sim::SpecError("forager walks a grid of sites, and this resource has none (forest_tokens has one)");
}

Forager::Forager(const Parameters& parameters, const sim::GroupContext& group) : parameters_(parameters) {
  check(group.resource);
  const sim::SiteLayout layout = group.resource.sites();
  rows_ = layout.rows;
  columns_ = layout.columns;
}

bool Forager::takes(std::span<const double> tokens, std::size_t cell) const {
  return parameters_.min_token_neighbours == 0 ||
         moore_tokens(tokens, rows_, columns_, cell) >= parameters_.min_token_neighbours;
}

std::span<const std::uint8_t> Forager::worth_taking(const sim::StepContext& context) {
  // Blocks of the cohort decide on several threads; the map depends only on the step's
  // observation, so whichever block comes first makes it and the rest read the same bytes.
  const std::lock_guard lock(worth_mutex_);
  if (worth_step_ != context.step) {
    const std::span<const double> tokens = context.observation.site_stock;
    worth_.resize(tokens.size());
    for (std::size_t cell = 0; cell < tokens.size(); ++cell)
      worth_[cell] = tokens[cell] > 0.0 && takes(tokens, cell) ? 1 : 0;
    worth_step_ = context.step;
  }
  return worth_;
}

std::uint32_t Forager::next_cell(std::span<const std::uint8_t> worth, std::uint32_t cell,
                                 const sim::StepContext& context, std::uint64_t agent) const {
  const auto row = static_cast<std::int64_t>(cell / columns_);
  const auto column = static_cast<std::int64_t>(cell % columns_);
  const auto rows = static_cast<std::int64_t>(rows_);
  const auto columns = static_cast<std::int64_t>(columns_);
  const auto draw = [&](Draw which) {
    return context.random.uniform(static_cast<std::uint64_t>(context.step), agent, sim::Purpose::decide, which);
  };
  // Visits the cells at Manhattan distance d, in a fixed order, until `visit` says stop.
  const auto ring = [&](std::int64_t d, auto&& visit) {
    for (std::int64_t dy = -d; dy <= d; ++dy) {
      const std::int64_t y = row + dy;
      if (y < 0 || y >= rows) continue;
      const std::int64_t dx = d - std::abs(dy);
      for (const std::int64_t x : {column - dx, column + dx}) {
        if (x >= 0 && x < columns && visit(y, x)) return;
        if (dx == 0) break;
      }
    }
  };
  const std::int64_t reach = parameters_.vision > 0 ? parameters_.vision : rows + columns;
  std::int64_t target_row = -1, target_column = -1;
  if (context.observation.stock > 0.0) {
    for (std::int64_t d = 1; d <= reach && target_row < 0; ++d) {
      std::int64_t candidates = 0;
      ring(d, [&](std::int64_t y, std::int64_t x) {
        candidates += worth[static_cast<std::size_t>(y * columns + x)];
        return false;
      });
      if (candidates == 0) continue;
      auto chosen = std::min(candidates - 1, static_cast<std::int64_t>(draw(tie) * static_cast<double>(candidates)));
      ring(d, [&](std::int64_t y, std::int64_t x) {
        if (worth[static_cast<std::size_t>(y * columns + x)] == 0 || chosen-- > 0) return false;
        target_row = y;
        target_column = x;
        return true;
      });
    }
  }
  std::int64_t step_y = 0, step_x = 0;
  if (target_row >= 0) {
    const std::int64_t apart_y = target_row - row;
    const std::int64_t apart_x = target_column - column;
    // Along the longer way first, in proportion: a diagonal approach zigzags.
    const double share_x = static_cast<double>(std::abs(apart_x)) / static_cast<double>(std::abs(apart_x) + std::abs(apart_y));
    if (draw(axis) < share_x)
      step_x = apart_x > 0 ? 1 : -1;
    else
      step_y = apart_y > 0 ? 1 : -1;
  } else {
    // Nothing worth taking in sight: wander to a random neighbour inside the grid.
    std::int64_t options[4][2];
    int count = 0;
    if (row > 0) options[count][0] = -1, options[count][1] = 0, ++count;
    if (column > 0) options[count][0] = 0, options[count][1] = -1, ++count;
    if (column + 1 < columns) options[count][0] = 0, options[count][1] = 1, ++count;
    if (row + 1 < rows) options[count][0] = 1, options[count][1] = 0, ++count;
    if (count == 0) return cell;
    const int pick = std::min(count - 1, static_cast<int>(draw(wander) * count));
    step_y = options[pick][0];
    step_x = options[pick][1];
  }
  return static_cast<std::uint32_t>((row + step_y) * columns + (column + step_x));
}

void Forager::decide(const sim::StepContext& context, sim::AgentSpan agents) {
  // Tokens are counted, not estimated: the resource reports them without observation noise.
  const std::span<const std::uint8_t> worth = worth_taking(context);
  const std::span<double> effort = agents.effort();
  const std::span<std::uint32_t> site = agents.site();
  const std::span<const std::uint64_t> id = agents.id();
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const std::uint32_t here = site[i];
    if (worth[here] != 0) {
      effort[i] = 1.0;
      continue;
    }
    effort[i] = 0.0;
    site[i] = next_cell(worth, here, context, id[i]);
  }
}

COMMONS_REGISTER_MODELS(forager) {
  registry.add_behaviour(
      descriptor(),
      [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
        return std::make_unique<Forager>(Forager::Parameters::from(spec.parameters), group);
      },
      [](const sim::ComponentSpec&, const sim::CohortCheck& cohort) { Forager::check(cohort.resource); });
}

}  // namespace commons::models
