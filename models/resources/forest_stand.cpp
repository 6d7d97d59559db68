// SPDX-License-Identifier: Apache-2.0
#include <commons/models/resources/forest_stand.hpp>

#include <commons/models/registration.hpp>
#include <commons/models/resources/common_parameters.hpp>
#include <commons/models/resources/moore_neighbourhood.hpp>
#include <commons/models/resources/rationed_claims.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace commons::models {

namespace {

// Site indices are 32 bits; 20000 x 20000 cells already hold 3.2 GB of volume.
constexpr double largest_side = 20000.0;

const std::vector<std::string>& growth_model_names() {
  static const std::vector<std::string> names{"chapman_richards", "logistic"};
  return names;
}

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::resource,
      .name = "forest_stand",
      .summary =
          "A timber forest for community forestry: each cell of a grid is stocked with standing volume V that grows "
          "along the Chapman-Richards yield curve A (1 - e^{-k t})^p (state form: u = (V/A)^{1/p}, "
          "V' = A (1 - (1 - u) e^{-k})^p), or logistically, V + k V (1 - V/A). Each logger's effort asks for q m3 at "
          "its site; a cell may be cut only when it holds at least the minimum cutting volume M (the community's or "
          "state's rule), claims beyond its volume are shared in proportion, and a cell cut bare is cleared. A cleared "
          "cell is recolonised each tick with probability r_c x (stocked Moore neighbours) / (neighbours in the grid) "
          "and restarts from a seedling volume.",
      .parameters = {{.name = "rows",
                      .type = sim::ParameterType::integer,
                      .meaning = "Rows of the grid of cells",
                      .unit = "cell",
                      .minimum = sim::Bound{1.0},
                      .maximum = sim::Bound{largest_side},
                      .default_value = std::int64_t{10}},
                     {.name = "columns",
                      .type = sim::ParameterType::integer,
                      .meaning = "Columns of the grid of cells",
                      .unit = "cell",
                      .minimum = sim::Bound{1.0},
                      .maximum = sim::Bound{largest_side},
                      .default_value = std::int64_t{10}},
                     {.name = "growth_model",
                      .type = sim::ParameterType::choice,
                      .meaning = "How a stocked cell grows: chapman_richards (along A (1 - e^{-k t})^p) or logistic "
                                 "(V + k V (1 - V/A))",
                      .default_value = std::string("chapman_richards"),
                      .choices = growth_model_names()},
                     {.name = "asymptotic_volume",
                      .type = sim::ParameterType::number,
                      .meaning = "A: the standing volume an uncut cell grows toward",
                      .unit = "m3",
                      .required = true,
                      .minimum = sim::Bound{0.0, true}},
                     {.name = "growth_rate",
                      .type = sim::ParameterType::number,
                      .meaning = "k: the Chapman-Richards rate constant, or the logistic intrinsic rate",
                      .unit = "1/tick",
                      .required = true,
                      .minimum = sim::Bound{0.0, true},
                      .maximum = sim::Bound{1.0}},
                     number_parameter("shape_exponent",
                                      "p: the Chapman-Richards shape exponent; above 1 the yield curve is a sigmoid "
                                      "(3 for the von Bertalanffy volume curve); unused by the logistic",
                                      "1", 3.0, sim::Bound{1.0, true}, sim::Bound{20.0}),
                     {.name = "initial_volume",
                      .type = sim::ParameterType::number,
                      .meaning = "Standing volume of every cell at the start of each run; 0 starts the grid cleared",
                      .unit = "m3",
                      .note = "default: the asymptotic volume",
                      .minimum = sim::Bound{0.0},
                      .default_from = "asymptotic_volume"},
                     number_parameter("minimum_cut_volume",
                                      "M: the cutting rule, fixed for the run: a cell may be cut only when it holds at "
                                      "least this volume at the start of the step",
                                      "m3", 0.0, sim::Bound{0.0}),
                     {.name = "cut_per_effort",
                      .type = sim::ParameterType::number,
                      .meaning = "q: timber one unit of logging effort asks for in a step at its cell",
                      .unit = "m3/(logger * step)",
                      .required = true,
                      .minimum = sim::Bound{0.0, true}},
                     number_parameter("recolonisation_rate",
                                      "r_c: a cleared cell is recolonised in a tick with probability r_c x (stocked "
                                      "Moore neighbours) / (its neighbours inside the grid)",
                                      "1/tick", 0.1, sim::Bound{0.0}, sim::Bound{1.0}),
                     number_parameter("seedling_volume",
                                      "Standing volume a recolonised cell starts from (Chapman-Richards: 0 is age 0; "
                                      "the logistic needs more than 0 to grow)",
                                      "m3", 0.0, sim::Bound{0.0}),
                     collapse_fraction_parameter("standing volume", "the grid's asymptotic volume", 0.1)},
      .variables = {{"volume", "resource_unit", "standing volume on the grid at the start of the step"},
                    {"timber_cut", "resource_unit", "timber the loggers cut in the step (the harvest)"},
                    {"growth", "resource_unit", "volume grown in the step's ticks, recolonised cells' seedlings included"},
                    {"cuttable_cells", "1", "cells holding at least the minimum cutting volume at the start of the step"},
                    {"cells_cleared", "1", "cells cut bare in the step"},
                    {"cells_recolonised", "1", "cleared cells recolonised in the step's ticks"}},
      .capabilities = {.maximum_sustainable_yield = true, .closed_forms = true, .sites = true}};
  return described;
}

ForestStand::GrowthModel growth_model_named(const std::string& name) {
  if (name == "logistic") return ForestStand::GrowthModel::logistic;
  if (name == "chapman_richards") return ForestStand::GrowthModel::chapman_richards;
  throw sim::SpecError("forest_stand: unknown growth_model '" + name + "'");
}

}  // namespace

ForestStand::Parameters ForestStand::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  if (values.contains("rows")) p.rows = static_cast<std::size_t>(values.integer("rows"));
  if (values.contains("columns")) p.columns = static_cast<std::size_t>(values.integer("columns"));
  if (values.contains("growth_model")) p.growth_model = growth_model_named(values.text("growth_model"));
  p.asymptotic_volume = values.number("asymptotic_volume");
  p.growth_rate = values.number("growth_rate");
  p.shape_exponent = values.number_or("shape_exponent", p.shape_exponent);
  p.initial_volume = values.number_or("initial_volume", p.asymptotic_volume);
  p.minimum_cut_volume = values.number_or("minimum_cut_volume", p.minimum_cut_volume);
  p.cut_per_effort = values.number("cut_per_effort");
  p.recolonisation_rate = values.number_or("recolonisation_rate", p.recolonisation_rate);
  p.seedling_volume = values.number_or("seedling_volume", p.seedling_volume);
  p.collapse_fraction = values.number_or("collapse_fraction", p.collapse_fraction);
  return p;
}

ForestStand::ForestStand(const Parameters& parameters)
    : parameters_(parameters),
      volume_(parameters.rows * parameters.columns, parameters.initial_volume),
      start_(volume_),
      stocked_(volume_.size(), parameters.initial_volume > 0.0 ? 1.0 : 0.0),
      stocked_before_(stocked_),
      demand_(volume_.size(), 0.0),
      cut_at_(volume_.size(), 0.0),
      per_effort_(volume_.size(), 0.0),
      decay_(std::exp(-parameters.growth_rate)) {
  if (parameters.growth_model == GrowthModel::logistic && parameters.seedling_volume <= 0.0 &&
      parameters.recolonisation_rate > 0.0)
    throw sim::ComponentError("/resource/seedling_volume",
                              "forest_stand: a logistic stand recolonised from a seedling volume of 0 never grows; "
                              "give seedling_volume above 0");
  set_volume(volume_);
}

void ForestStand::set_volume(const std::vector<double>& volume) {
  if (volume.size() != volume_.size())
    throw std::invalid_argument("a volume for " + std::to_string(volume.size()) + " cells on a grid of " +
                                std::to_string(volume_.size()));
  volume_ = volume;
  start_ = volume;
  for (std::size_t cell = 0; cell < volume_.size(); ++cell) {
    stocked_[cell] = volume_[cell] > 0.0 ? 1.0 : 0.0;
    per_effort_[cell] = cuttable(volume_[cell]) ? parameters_.cut_per_effort : 0.0;
  }
  volume_at_start_now_ = stock();
  volume_at_start_ = volume_at_start_now_;
  cuttable_for_payoffs_ = cuttable_volume();
}

void ForestStand::set_random(const sim::RandomStream& random) { random_.emplace(random); }

bool ForestStand::cuttable(double volume) const {
  return volume > 0.0 && volume >= parameters_.minimum_cut_volume;
}

sim::Observation ForestStand::observe() const {
  sim::Observation observation;
  observation.stock = volume_at_start_now_;
  observation.harvest_per_effort = harvest_if(1.0, efforts_);
  observation.site_stock = volume_;
  observation.site_harvest_per_effort = per_effort_;
  return observation;
}

double ForestStand::harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) {
  policy_ = policy;
  const std::span<const double> effort = actions.effort;
  const double q = parameters_.cut_per_effort;
  start_ = volume_;
  volume_at_start_ = volume_at_start_now_;
  grown_ = 0.0;
  recolonised_ = 0.0;
  double efforts = 0.0;
  for (const double logging : effort) efforts += logging;
  // The cutting rule: a cell below the minimum size at the start of the step is left alone.
  const double cut = settle_claims(effort, actions.site, q, start_, demand_, cut_at_, harvest,
                                   [&](std::uint32_t cell) { return cuttable(start_[cell]); });
  double cuttable_cells = 0.0;
  double cleared = 0.0;
  for (std::size_t cell = 0; cell < volume_.size(); ++cell) {
    if (!cuttable(start_[cell])) continue;
    cuttable_cells += 1.0;
    // Claims that reach a cell's whole volume clear it: what rounding left standing is felled
    // with the rest (at most a few units in the last place of the cell's volume).
    if (demand_[cell] >= start_[cell]) {
      volume_[cell] = 0.0;
      stocked_[cell] = 0.0;
      cleared += 1.0;
    } else {
      volume_[cell] = start_[cell] - cut_at_[cell];
    }
  }
  cut_ = cut;
  efforts_ = efforts;
  cuttable_cells_ = cuttable_cells;
  cleared_ = cleared;
  return cut;
}

double ForestStand::harvest_if(double own_effort, double others_effort) const {
  if (own_effort == 0.0) return 0.0;
  const double q = parameters_.cut_per_effort;
  const double demand = (own_effort + others_effort) * q;
  const double claim = own_effort * q;
  return demand > cuttable_for_payoffs_ ? claim * (cuttable_for_payoffs_ / demand) : claim;
}

double ForestStand::yield_curve(double ticks) const {
  const Parameters& p = parameters_;
  return p.asymptotic_volume * std::pow(1.0 - std::exp(-p.growth_rate * ticks), p.shape_exponent);
}

double ForestStand::grown(double volume) const {
  const Parameters& p = parameters_;
  const double a = p.asymptotic_volume;
  if (p.growth_model == GrowthModel::logistic)
    return std::max(0.0, volume + p.growth_rate * volume * (1.0 - volume / a));
  // The yield curve advanced by one tick from the age at which it reaches `volume`:
  // 1 - u(t + 1) = (1 - u(t)) e^{-k}, with u = (V/A)^{1/p}.
  if (p.shape_exponent == 3.0) {
    // The usual exponent (the von Bertalanffy volume curve): a cube root and a cube cost a
    // fraction of two pow, which are half of a step on a grid of a million cells.
    const double w = 1.0 - (1.0 - std::cbrt(volume / a)) * decay_;
    return a * (w * w * w);
  }
  const double u = std::pow(volume / a, 1.0 / p.shape_exponent);
  return a * std::pow(1.0 - (1.0 - u) * decay_, p.shape_exponent);
}

void ForestStand::grow() {
  const Parameters& p = parameters_;
  const std::size_t n = volume_.size();
  // Synchronous recolonisation: every cleared cell is judged on the grid as the tick found it.
  // A cell's draw is addressed by (tick, cell), so the grid depends neither on the thread count
  // nor on which cells are cleared elsewhere.
  stocked_before_ = stocked_;
  const double rate = p.recolonisation_rate;
  if (rate > 0.0 && cleared_now() > 0) {
    if (!random_) throw std::logic_error("forest_stand: recolonisation needs the run's random stream (set_random)");
    recolonised_ += sim::sum_over_blocks(n, policy_, [&](std::size_t first, std::size_t last) {
      double found = 0.0;
      for (std::size_t cell = first; cell < last; ++cell) {
        if (stocked_before_[cell] != 0.0) continue;
        const int stocked = moore_tokens(stocked_before_, p.rows, p.columns, cell);
        if (stocked == 0) continue;
        const double probability =
            rate * static_cast<double>(stocked) / static_cast<double>(moore_neighbours_in_grid(p.rows, p.columns, cell));
        if (random_->uniform(ticks_, cell, sim::Purpose::grow) < probability) {
          stocked_[cell] = 1.0;
          found += 1.0;
        }
      }
      return found;
    });
  }
  // Cells stocked before the tick grow; those recolonised in it start from a seedling.
  const double q = p.cut_per_effort;
  grown_ += sim::sum_over_blocks(n, policy_, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t cell = first; cell < last; ++cell) {
      double& volume = volume_[cell];
      const double before = volume;
      if (stocked_before_[cell] != 0.0) {
        volume = grown(volume);
      } else if (stocked_[cell] != 0.0) {
        volume = p.seedling_volume;
      }
      sum += volume - before;
      // What one unit of effort would get here next step, at this step's claims.
      per_effort_[cell] = !cuttable(volume) ? 0.0 : demand_[cell] > volume ? q * (volume / demand_[cell]) : q;
    }
    return sum;
  });
  ++ticks_;
  volume_at_start_now_ = stock();
  cuttable_for_payoffs_ = cuttable_volume();
}

double ForestStand::stock() const {
  return sim::sum_over_blocks(volume_.size(), policy_, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t cell = first; cell < last; ++cell) sum += volume_[cell];
    return sum;
  });
}

double ForestStand::cuttable_volume() const {
  return sim::sum_over_blocks(volume_.size(), policy_, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t cell = first; cell < last; ++cell)
      if (cuttable(volume_[cell])) sum += volume_[cell];
    return sum;
  });
}

std::size_t ForestStand::cleared_now() const {
  return static_cast<std::size_t>(std::count(stocked_.begin(), stocked_.end(), 0.0));
}

double ForestStand::collapse_threshold() const {
  return parameters_.collapse_fraction * parameters_.asymptotic_volume * cells();
}

double ForestStand::msy_residual() const {
  const Parameters& p = parameters_;
  const double a = p.asymptotic_volume;
  const double k = p.growth_rate;
  const double m = p.minimum_cut_volume;
  // A cell that must reach A before it may be cut never yields anything sustained.
  if (m >= a) return a;
  if (p.growth_model == GrowthModel::logistic) {
    // k R (1 - R/A) peaks at A/2; the cell must regrow from R to R + k R (1 - R/A) >= M, the
    // smaller root of k R^2/A - (1 + k) R + M = 0 (R + g(R) rises on [0, A] for k <= 1).
    const double root = a * (1.0 + k - std::sqrt((1.0 + k) * (1.0 + k) - 4.0 * k * m / a)) / (2.0 * k);
    return std::max(a / 2.0, root);
  }
  // grown(R) - R in u = (R/A)^{1/p} is A [(1 - (1 - u) e^{-k})^p - u^p]; its derivative
  // vanishes where c (1 - (1 - u) e^{-k}) = u with c = e^{-k/(p-1)}:
  // u* = c (1 - e^{-k}) / (1 - c e^{-k}).
  const double shape = p.shape_exponent;
  const double decay = std::exp(-k);
  const double c = std::exp(-k / (shape - 1.0));
  const double best = c * (1.0 - decay) / (1.0 - c * decay);
  // Regrowing to M in one tick: 1 - (1 - u) e^{-k} >= (M/A)^{1/p}.
  const double least = 1.0 - (1.0 - std::pow(m / a, 1.0 / shape)) / decay;
  return a * std::pow(std::max(best, least), shape);
}

SteadyState ForestStand::maximum_sustainable_yield(const sim::Economics& economics) const {
  SteadyState state;
  const double residual = msy_residual();
  state.stock = grown(residual);
  state.harvest = state.stock - residual;
  state.effort = state.harvest / parameters_.cut_per_effort;
  state.rent = economics.price * state.harvest - economics.cost_per_effort * state.effort;
  return state;
}

std::optional<double> ForestStand::optimal_total_effort(const sim::Economics& economics) const {
  // Sustained, every logger's claim is met and earns p q - c: the rent grows with the timber cut
  // up to the most the cells yield forever, and is best at none when logging does not pay.
  const bool logging_pays = economics.price * parameters_.cut_per_effort > economics.cost_per_effort;
  return logging_pays ? cells() * maximum_sustainable_yield(economics).effort : 0.0;
}

std::optional<double> ForestStand::optimal_rent(const sim::Economics& economics) const {
  const SteadyState msy = maximum_sustainable_yield(economics);
  return msy.rent > 0.0 ? cells() * msy.rent : 0.0;
}

std::vector<sim::ScalarData> ForestStand::reference_points(const sim::Economics& economics) const {
  const SteadyState per_cell = maximum_sustainable_yield(economics);
  const double n = cells();
  const SteadyState msy{.stock = n * per_cell.stock,
                        .effort = n * per_cell.effort,
                        .harvest = n * per_cell.harvest,
                        .rent = n * per_cell.rent};
  const bool logged = *optimal_total_effort(economics) > 0.0;
  const SteadyState mey = logged ? msy
                                 : SteadyState{.stock = n * parameters_.asymptotic_volume,
                                               .effort = 0.0,
                                               .harvest = 0.0,
                                               .rent = 0.0};
  std::vector<sim::ScalarData> points;
  append_reference_points(points, "msy", "maximum sustainable yield", "standing volume at the start of a step", msy);
  append_reference_points(points, "mey", "maximum economic yield", "standing volume at the start of a step", mey);
  return points;
}

std::vector<sim::VariableInfo> ForestStand::variables() const { return descriptor().variables; }

void ForestStand::sample(std::span<double> values) const {
  values[0] = volume_at_start_;
  values[1] = cut_;
  values[2] = grown_;
  values[3] = cuttable_cells_;
  values[4] = cleared_;
  values[5] = recolonised_;
}

sim::SiteLayout ForestStand::sites() const { return sim::SiteLayout::grid(parameters_.rows, parameters_.columns); }

std::vector<sim::VariableInfo> ForestStand::site_variables() const {
  return {{"volume", "resource_unit", "standing volume of the cell at the start of the step"},
          {"stocked", "1", "1 where the cell is stocked with trees after the step, 0 where it is cleared"}};
}

void ForestStand::sample_sites(std::span<double> values) const {
  std::copy(start_.begin(), start_.end(), values.begin());
  std::copy(stocked_.begin(), stocked_.end(), values.begin() + static_cast<std::ptrdiff_t>(start_.size()));
}

COMMONS_REGISTER_MODELS(forest_stand) {
  registry.add_resource(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<ForestStand>(ForestStand::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
