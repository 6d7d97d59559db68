// SPDX-License-Identifier: Apache-2.0
#include <commons/models/resources/pasture.hpp>

#include <commons/models/registration.hpp>
#include <commons/models/resources/rationed_claims.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::resource,
      .name = "pasture",
      .summary =
          "Hardin's commons: grass G on each cell of a grid regrows logistically toward K from what the animals "
          "leave, G' + r (1 - D) G' (1 - G'/K); each herder's effort is its herd, grazing at its site, every animal "
          "asking for a ration R and all claims at a cell rationed in proportion when they exceed its grass. Harvest "
          "is grass eaten, so a fed animal earns price x R - cost and an unfed one loses its cost. Leaving less than "
          "theta K standing degrades a cell (D rises by delta, falls by rho otherwise), slowing its regrowth.",
      .parameters = {{.name = "rows",
                      .type = sim::ParameterType::integer,
                      .meaning = "Rows of the grid of cells",
                      .minimum = sim::Bound{1.0},
                      .default_value = std::int64_t{1}},
                     {.name = "columns",
                      .type = sim::ParameterType::integer,
                      .meaning = "Columns of the grid of cells",
                      .minimum = sim::Bound{1.0},
                      .default_value = std::int64_t{1}},
                     {.name = "growth_rate",
                      .type = sim::ParameterType::number,
                      .meaning = "Intrinsic regrowth rate r of an undegraded cell",
                      .unit = "1/step",
                      .required = true,
                      .minimum = sim::Bound{0.0, true},
                      .maximum = sim::Bound{2.0}},
                     {.name = "carrying_capacity",
                      .type = sim::ParameterType::number,
                      .meaning = "Cap K: the most grass a cell holds, its ungrazed steady state",
                      .unit = "kg",
                      .required = true,
                      .minimum = sim::Bound{0.0, true}},
                     {.name = "initial_biomass",
                      .type = sim::ParameterType::number,
                      .meaning = "Grass in every cell at the start of each run",
                      .unit = "kg",
                      .note = "default: the carrying capacity",
                      .minimum = sim::Bound{0.0},
                      .default_from = "carrying_capacity"},
                     {.name = "ration",
                      .type = sim::ParameterType::number,
                      .meaning = "Ration R: grass one animal eats in a step when the cell has enough",
                      .unit = "kg/(head * step)",
                      .required = true,
                      .minimum = sim::Bound{0.0, true}},
                     {.name = "overgrazing_threshold",
                      .type = sim::ParameterType::number,
                      .meaning = "Share theta of K: a cell left with less grass than theta K after grazing is "
                                 "overgrazed",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 0.25},
                     {.name = "degradation_rate",
                      .type = sim::ParameterType::number,
                      .meaning = "Degradation delta a step of overgrazing adds to a cell (its regrowth rate is r (1 - D))",
                      .unit = "1/step",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 0.1},
                     {.name = "recovery_rate",
                      .type = sim::ParameterType::number,
                      .meaning = "Degradation rho a step without overgrazing removes from a cell",
                      .unit = "1/step",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0},
                      .default_value = 0.02},
                     {.name = "collapse_fraction",
                      .type = sim::ParameterType::number,
                      .meaning = "Grass below this fraction of the grid's total cap counts as collapsed",
                      .unit = "1",
                      .minimum = sim::Bound{0.0, true},
                      .maximum = sim::Bound{1.0, true},
                      .default_value = 0.1}},
      .variables = {{"biomass", "resource_unit", "grass on the grid at the start of the step"},
                    {"grass_eaten", "resource_unit", "grass the animals ate in the step (the harvest)"},
                    {"regrowth", "resource_unit", "grass that grew back after grazing in the step"},
                    {"fed_animals", "effort_unit", "animals' worth of rations eaten: grass eaten / R"},
                    {"unfed_animals", "effort_unit", "animals' worth of rations asked for and not found"},
                    {"mean_degradation", "1", "degradation D averaged over the cells after the step"}},
      .capabilities = {.maximum_sustainable_yield = true, .closed_forms = true, .sites = true}};
  return described;
}

}  // namespace

Pasture::Parameters Pasture::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  if (values.contains("rows")) p.rows = static_cast<std::size_t>(values.integer("rows"));
  if (values.contains("columns")) p.columns = static_cast<std::size_t>(values.integer("columns"));
  p.growth_rate = values.number("growth_rate");
  p.carrying_capacity = values.number("carrying_capacity");
  p.initial_biomass = values.number_or("initial_biomass", p.carrying_capacity);
  p.ration = values.number("ration");
  p.overgrazing_threshold = values.number_or("overgrazing_threshold", p.overgrazing_threshold);
  p.degradation_rate = values.number_or("degradation_rate", p.degradation_rate);
  p.recovery_rate = values.number_or("recovery_rate", p.recovery_rate);
  p.collapse_fraction = values.number_or("collapse_fraction", p.collapse_fraction);
  return p;
}

Pasture::Pasture(const Parameters& parameters)
    : parameters_(parameters), biomass_(parameters.rows * parameters.columns, parameters.initial_biomass),
      start_(biomass_), degradation_(biomass_.size(), 0.0), demand_(biomass_.size(), 0.0), eaten_at_(biomass_.size(), 0.0),
      per_animal_(biomass_.size(), parameters.ration), total_at_start_(cells() * parameters.initial_biomass),
      total_for_payoffs_(total_at_start_) {}

sim::Observation Pasture::observe() const {
  sim::Observation observation;
  observation.stock = total_for_payoffs_;
  // What one animal would eat if the herds were as last step: R, or less where grass is short.
  const double demand = animals_ * parameters_.ration;
  observation.harvest_per_effort =
      demand > total_for_payoffs_ ? total_for_payoffs_ / animals_ : parameters_.ration;
  observation.site_stock = biomass_;
  observation.site_harvest_per_effort = per_animal_;
  return observation;
}

double Pasture::harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) {
  policy_ = policy;
  const std::span<const double> effort = actions.effort;
  const double ration = parameters_.ration;
  start_ = biomass_;
  double animals = 0.0;
  for (const double herd : effort) animals += herd;
  // The animals never eat more than a cell had (rationed_claims.hpp).
  const double eaten = settle_claims(effort, actions.site, ration, start_, demand_, eaten_at_, harvest,
                                     [](std::uint32_t /*cell*/) { return true; });
  for (std::size_t cell = 0; cell < biomass_.size(); ++cell) {
    biomass_[cell] = start_[cell] - eaten_at_[cell];
    per_animal_[cell] = demand_[cell] > start_[cell] ? ration * (start_[cell] / demand_[cell]) : ration;
  }
  total_at_start_ = total_for_payoffs_;
  eaten_ = eaten;
  animals_ = animals;
  return eaten;
}

double Pasture::harvest_if(double own_effort, double others_effort) const {
  if (own_effort == 0.0) return 0.0;
  const double demand = (own_effort + others_effort) * parameters_.ration;
  const double claim = own_effort * parameters_.ration;
  return demand > total_for_payoffs_ ? claim * (total_for_payoffs_ / demand) : claim;
}

double Pasture::regrowth(double left, double degradation) const {
  const Parameters& p = parameters_;
  return p.growth_rate * (1.0 - degradation) * left * (1.0 - left / p.carrying_capacity);
}

void Pasture::grow() {
  const Parameters& p = parameters_;
  const double overgrazed = p.overgrazing_threshold * p.carrying_capacity;
  // Cells regrow independently, in blocks; their sum is taken in block order.
  regrown_ = sim::sum_over_blocks(biomass_.size(), policy_, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t cell = first; cell < last; ++cell) {
      // Degradation answers to this step's grazing before the cell regrows, so that a step of
      // overgrazing already slows its own regrowth; a cell nobody grazed is resting.
      double& degradation = degradation_[cell];
      degradation = demand_[cell] > 0.0 && biomass_[cell] < overgrazed ? std::min(1.0, degradation + p.degradation_rate)
                                                : std::max(0.0, degradation - p.recovery_rate);
      // Above K(1 + 1/r) the logistic term would take more than the cell holds.
      const double grown = std::max(-biomass_[cell], regrowth(biomass_[cell], degradation));
      biomass_[cell] += grown;
      sum += grown;
    }
    return sum;
  });
  total_for_payoffs_ = stock();
}

double Pasture::stock() const {
  return sim::sum_over_blocks(biomass_.size(), policy_, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t cell = first; cell < last; ++cell) sum += biomass_[cell];
    return sum;
  });
}

double Pasture::collapse_threshold() const {
  return parameters_.collapse_fraction * parameters_.carrying_capacity * cells();
}

double Pasture::msy_residual() const {
  // r G (1 - G/K) peaks at K/2; below theta K the cell would degrade, so no sustained yield
  // may leave less than that.
  return std::max(0.5, parameters_.overgrazing_threshold) * parameters_.carrying_capacity;
}

double Pasture::sustainable_herd_per_cell() const { return regrowth(msy_residual(), 0.0) / parameters_.ration; }

std::optional<double> Pasture::steady_residual(double herd) const {
  // r G (1 - G/K) = herd R: G = K/2 (1 + sqrt(1 - 4 herd R / (r K))), the root a small
  // disturbance returns to; it must also leave theta K standing.
  const Parameters& p = parameters_;
  const double discriminant = 1.0 - 4.0 * herd * p.ration / (p.growth_rate * p.carrying_capacity);
  if (discriminant < 0.0) return std::nullopt;
  const double residual = p.carrying_capacity / 2.0 * (1.0 + std::sqrt(discriminant));
  if (residual < p.overgrazing_threshold * p.carrying_capacity) return std::nullopt;
  return residual;
}

Pasture::SteadyState Pasture::maximum_sustainable_yield(const sim::Economics& economics) const {
  SteadyState state;
  const double residual = msy_residual();
  state.eaten = regrowth(residual, 0.0);
  state.biomass = residual + state.eaten;
  state.herd = state.eaten / parameters_.ration;
  state.rent = economics.price * state.eaten - economics.cost_per_effort * state.herd;
  return state;
}

std::optional<double> Pasture::optimal_total_effort(const sim::Economics& economics) const {
  // Sustained, every animal is fed and earns p R - c: the rent grows with the herd up to the
  // most the cells can feed, and is best at none when an animal does not pay.
  const bool animals_pay = economics.price * parameters_.ration > economics.cost_per_effort;
  return animals_pay ? cells() * sustainable_herd_per_cell() : 0.0;
}

std::optional<double> Pasture::optimal_rent(const sim::Economics& economics) const {
  const SteadyState msy = maximum_sustainable_yield(economics);
  return msy.rent > 0.0 ? cells() * msy.rent : 0.0;
}

std::vector<sim::ScalarData> Pasture::reference_points(const sim::Economics& economics) const {
  const SteadyState msy = maximum_sustainable_yield(economics);
  const double n = cells();
  const double mey_herd = *optimal_total_effort(economics);
  const bool grazed = mey_herd > 0.0;
  return {
      {{"msy_stock", "resource_unit", "grass on the grid at the start of a step at the maximum sustainable yield"},
       n * msy.biomass},
      {{"msy_effort", "effort_unit", "animals the grid feeds forever at the maximum sustainable yield"}, n * msy.herd},
      {{"msy_harvest", "resource_unit", "grass eaten per step at the maximum sustainable yield"}, n * msy.eaten},
      {{"msy_rent", "money", "rent per step at the maximum sustainable yield"}, n * msy.rent},
      {{"mey_stock", "resource_unit", "grass at the start of a step at the maximum economic yield"},
       grazed ? n * msy.biomass : n * parameters_.carrying_capacity},
      {{"mey_effort", "effort_unit", "animals at the maximum economic yield"}, mey_herd},
      {{"mey_harvest", "resource_unit", "grass eaten per step at the maximum economic yield"},
       grazed ? n * msy.eaten : 0.0},
      {{"mey_rent", "money", "rent per step at the maximum economic yield"}, *optimal_rent(economics)},
  };
}

std::vector<sim::VariableInfo> Pasture::variables() const { return descriptor().variables; }

void Pasture::sample(std::span<double> values) const {
  const double ration = parameters_.ration;
  values[0] = total_at_start_;
  values[1] = eaten_;
  values[2] = regrown_;
  values[3] = eaten_ / ration;
  values[4] = std::max(0.0, animals_ - eaten_ / ration);
  double degradation = 0.0;
  for (const double d : degradation_) degradation += d;
  values[5] = degradation / cells();
}

sim::SiteLayout Pasture::sites() const { return sim::SiteLayout::grid(parameters_.rows, parameters_.columns); }

std::vector<sim::VariableInfo> Pasture::site_variables() const {
  return {{"biomass", "resource_unit", "grass in the cell at the start of the step"},
          {"degradation", "1", "degradation D of the cell after the step"}};
}

void Pasture::sample_sites(std::span<double> values) const {
  std::copy(start_.begin(), start_.end(), values.begin());
  std::copy(degradation_.begin(), degradation_.end(), values.begin() + static_cast<std::ptrdiff_t>(start_.size()));
}

COMMONS_REGISTER_MODELS(pasture) {
  registry.add_resource(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<Pasture>(Pasture::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
