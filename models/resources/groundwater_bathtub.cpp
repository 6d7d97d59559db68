// SPDX-License-Identifier: Apache-2.0
#include <commons/models/resources/groundwater_bathtub.hpp>

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/models/registration.hpp>
#include <commons/models/resources/common_parameters.hpp>
#include <commons/models/resources/effort_shares.hpp>
#include <commons/sim/parallel.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::resource,
      .name = "groundwater_bathtub",
      .summary =
          "A single-cell aquifer (Gisser and Sanchez 1980): water table H above the bottom, A S dH = R + (alpha - 1) "
          "W with recharge R and return flow alpha of the water W pumped. Effort is pumping energy: a unit of water "
          "from depth SL - H takes c(H) = c0 + c1 (SL - H), so effort E pumps E / c(H). The stock is the water in "
          "storage A S H; the water table never rises above the surface (the excess runs off) nor falls below the "
          "bottom (pumping is cut to what is stored).",
      .parameters = {{.name = "area",
                      .type = sim::ParameterType::number,
                      .meaning = "Area A of the aquifer",
                      .unit = "km^2",
                      .minimum = sim::Bound{0.0, true},
                      .default_value = 1000.0},
                     {.name = "storativity",
                      .type = sim::ParameterType::number,
                      .meaning = "Storativity (specific yield) S: water released per unit of aquifer volume as the "
                                 "head falls",
                      .unit = "1",
                      .minimum = sim::Bound{0.0, true},
                      .maximum = sim::Bound{1.0},
                      .default_value = 0.1},
                     {.name = "recharge",
                      .type = sim::ParameterType::number,
                      .meaning = "Natural recharge R per step",
                      .unit = "hm^3/step",
                      .minimum = sim::Bound{0.0},
                      .default_value = 50.0},
                     {.name = "return_flow",
                      .type = sim::ParameterType::number,
                      .meaning = "Share alpha of the water pumped that returns to the aquifer",
                      .unit = "1",
                      .minimum = sim::Bound{0.0},
                      .maximum = sim::Bound{1.0, true},
                      .default_value = 0.25},
                     {.name = "surface_level",
                      .type = sim::ParameterType::number,
                      .meaning = "Height SL of the land surface above the aquifer's bottom",
                      .unit = "m",
                      .minimum = sim::Bound{0.0, true},
                      .default_value = 100.0},
                     {.name = "initial_water_table",
                      .type = sim::ParameterType::number,
                      .meaning = "Water table H0 at the start of each run, above the aquifer's bottom; at most the "
                                 "surface level",
                      .unit = "m",
                      .note = "default: the surface level (a full aquifer)",
                      .minimum = sim::Bound{0.0},
                      .default_from = "surface_level"},
                     {.name = "pumping_cost_fixed",
                      .type = sim::ParameterType::number,
                      .meaning = "Effort c0 to pump a unit of water whatever the depth",
                      .unit = "effort unit/hm^3",
                      .minimum = sim::Bound{0.0},
                      .default_value = 100.0},
                     {.name = "pumping_cost_per_depth",
                      .type = sim::ParameterType::number,
                      .meaning = "Effort c1 to lift a unit of water one metre more (about 14 GJ per hm^3 and "
                                 "metre for a pump 70 % efficient)",
                      .unit = "effort unit/(hm^3 m)",
                      .minimum = sim::Bound{0.0, true},
                      .default_value = 14.0},
                     observation_noise_parameter("the aquifer"),
                     collapse_fraction_parameter("storage", "the full aquifer's (water table at the surface)", 0.1)},
      .variables = {{"stock", "resource_unit", "water in storage A S H at the start of the step"},
                    {"water_table", "m", "water table H above the aquifer's bottom at the start of the step"},
                    {"pumping_cost", "effort_unit / resource_unit",
                     "effort c(H) to pump a unit of water at the step's starting water table"},
                    {"return_flow", "resource_unit", "water pumped in the step that returned to the aquifer"},
                    {"runoff", "resource_unit", "recharge rejected in the step because the aquifer was full"}},
      .capabilities = {.maximum_sustainable_yield = true, .closed_forms = true}};
  return described;
}

}  // namespace

GroundwaterBathtub::Parameters GroundwaterBathtub::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.area = values.number_or("area", p.area);
  p.storativity = values.number_or("storativity", p.storativity);
  p.recharge = values.number_or("recharge", p.recharge);
  p.return_flow = values.number_or("return_flow", p.return_flow);
  p.surface_level = values.number_or("surface_level", p.surface_level);
  p.initial_water_table = values.number_or("initial_water_table", p.surface_level);
  p.pumping_cost_fixed = values.number_or("pumping_cost_fixed", p.pumping_cost_fixed);
  p.pumping_cost_per_depth = values.number_or("pumping_cost_per_depth", p.pumping_cost_per_depth);
  p.observation_noise = values.number_or("observation_noise", p.observation_noise);
  p.collapse_fraction = values.number_or("collapse_fraction", p.collapse_fraction);
  if (p.initial_water_table > p.surface_level)
    throw sim::SpecError("groundwater_bathtub: initial_water_table (" + detail::number_text(p.initial_water_table) +
                         " m) is above the surface_level (" + detail::number_text(p.surface_level) + " m)");
  return p;
}

GroundwaterBathtub::GroundwaterBathtub(const Parameters& parameters)
    : parameters_(parameters),
      storage_(parameters.initial_water_table * storage_per_metre()),
      storage_at_step_start_(storage_),
      storage_for_sample_(storage_) {}

double GroundwaterBathtub::storage_per_metre() const {
  // km^2 x m = 10^6 m^3 = 1 hm^3.
  return parameters_.area * parameters_.storativity;
}

double GroundwaterBathtub::pumping_cost(double water_table) const {
  return parameters_.pumping_cost_fixed +
         parameters_.pumping_cost_per_depth * (parameters_.surface_level - water_table);
}

double GroundwaterBathtub::safe_yield() const { return parameters_.recharge / (1.0 - parameters_.return_flow); }

double GroundwaterBathtub::collapse_threshold() const {
  return parameters_.collapse_fraction * storage_per_metre() * parameters_.surface_level;
}

sim::Observation GroundwaterBathtub::observe() const {
  sim::Observation observation;
  observation.stock = storage_;
  observation.harvest_per_effort = 1.0 / pumping_cost(water_table());
  observation.noise_sd = parameters_.observation_noise;
  return observation;
}

double GroundwaterBathtub::harvest(const sim::Actions& actions, std::span<double> harvest,
                                   const sim::ExecutionPolicy& policy) {
  const std::span<const double> effort = actions.effort;
  const double available = storage_;
  const double effort_sum = total_effort(effort, policy);
  // Every claim is E_i / c(H); when together they exceed the storage each unit of energy
  // lifts the same smaller amount, so the aquifer empties but never goes below its bottom.
  double per_effort = 1.0 / pumping_cost(available / storage_per_metre());
  if (effort_sum * per_effort > available) per_effort = available / effort_sum;
  double total = share_by_effort(effort, per_effort, harvest, policy);
  // Rounding may leave the sum of shares a few ulps above the storage: shrink until it is not.
  for (int attempt = 0; attempt < 8 && total > available; ++attempt) {
    per_effort = std::nextafter(per_effort * (available / total), 0.0);
    total = share_by_effort(effort, per_effort, harvest, policy);
  }
  pumped_ = std::min(total, available);
  storage_ = std::max(0.0, available - pumped_);
  return pumped_;
}

double GroundwaterBathtub::harvest_if(double own_effort, double others_effort) const {
  // The table the step started with, before and after harvest alike.
  const double available = storage_at_step_start_;
  const double per_effort = 1.0 / pumping_cost(available / storage_per_metre());
  const double total = (own_effort + others_effort) * per_effort;
  const double claim = own_effort * per_effort;
  return total > available && total > 0.0 ? available * (claim / total) : claim;
}

void GroundwaterBathtub::grow() {
  // Water balance of the step: dV = R + alpha W - W - runoff; pumping was taken in harvest.
  const double full = storage_per_metre() * parameters_.surface_level;
  returned_ = parameters_.return_flow * pumped_;
  const double filled = storage_ + parameters_.recharge + returned_;
  runoff_ = std::max(0.0, filled - full);
  storage_ = filled - runoff_;
  storage_for_sample_ = storage_at_step_start_;
  storage_at_step_start_ = storage_;
  pumped_ = 0.0;
}

double GroundwaterBathtub::steady_water_table(double total_effort) const {
  const Parameters& p = parameters_;
  if (!(total_effort > 0.0)) return p.surface_level;
  if (!(p.recharge > 0.0)) return 0.0;
  const double depth =
      ((1.0 - p.return_flow) * total_effort / p.recharge - p.pumping_cost_fixed) / p.pumping_cost_per_depth;
  return std::clamp(p.surface_level - depth, 0.0, p.surface_level);
}

GroundwaterBathtub::AquiferState GroundwaterBathtub::steady_state_at(double water_table,
                                                                     const sim::Economics& economics) const {
  AquiferState state;
  state.water_table = water_table;
  state.storage = water_table * storage_per_metre();
  state.pumping = safe_yield();
  state.effort = state.pumping * pumping_cost(water_table);
  state.rent = economics.price * state.pumping - economics.cost_per_effort * state.effort;
  return state;
}

namespace {

// The water table where the price of water equals the energy cost of pumping it, p = w c(H),
// before it is held within the aquifer: SL - (p/w - c0)/c1. +infinity when no pumping pays
// even at the surface, -infinity when energy is free.
double break_even_water_table(const GroundwaterBathtub::Parameters& p, const sim::Economics& economics) {
  if (!(economics.cost_per_effort > 0.0))
    return economics.price > 0.0 ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  const double affordable_cost = economics.price / economics.cost_per_effort;
  if (affordable_cost <= p.pumping_cost_fixed) return std::numeric_limits<double>::infinity();
  return p.surface_level - (affordable_cost - p.pumping_cost_fixed) / p.pumping_cost_per_depth;
}

}  // namespace

GroundwaterBathtub::AquiferState GroundwaterBathtub::competitive(const sim::Economics& economics) const {
  const double table = break_even_water_table(parameters_, economics);
  if (table >= parameters_.surface_level) {
    // No pumping pays: the aquifer fills and the recharge runs off.
    AquiferState state = steady_state_at(parameters_.surface_level, economics);
    state.pumping = state.effort = state.rent = 0.0;
    return state;
  }
  return steady_state_at(std::max(0.0, table), economics);
}

GroundwaterBathtub::AquiferState GroundwaterBathtub::optimal(const sim::Economics& economics) const {
  const double table = break_even_water_table(parameters_, economics);
  if (table >= parameters_.surface_level) return competitive(economics);
  // Gisser and Sanchez: the scarcity rent of water kept in the ground, w c1 R / (r A S), raises
  // the optimal table by R / (r A S) above the competitive one; without discounting the
  // optimum keeps the table as high as it goes.
  const double r = economics.discount_rate;
  const double raise =
      r > 0.0 ? parameters_.recharge / (r * storage_per_metre()) : std::numeric_limits<double>::infinity();
  return steady_state_at(std::clamp(table + raise, 0.0, parameters_.surface_level), economics);
}

std::optional<double> GroundwaterBathtub::optimal_total_effort(const sim::Economics& economics) const {
  return optimal(economics).effort;
}

std::optional<double> GroundwaterBathtub::optimal_rent(const sim::Economics& economics) const {
  return optimal(economics).rent;
}

std::vector<sim::ScalarData> GroundwaterBathtub::reference_points(const sim::Economics& economics) const {
  const AquiferState competitive_state = competitive(economics);
  const AquiferState optimal_state = optimal(economics);
  std::vector<sim::ScalarData> values{
      {{"msy_harvest", "resource_unit", "safe yield R / (1 - alpha): the pumping the aquifer sustains per step"},
       safe_yield()}};
  const auto add = [&](const std::string& prefix, const std::string& label, const AquiferState& state) {
    append_reference_points(
        values, prefix, label, "water in storage",
        SteadyState{.stock = state.storage, .effort = state.effort, .harvest = state.pumping, .rent = state.rent});
    values.push_back(
        {{prefix + "_water_table", "m", "water table above the bottom at the " + label}, state.water_table});
  };
  add("open_access", "competitive (myopic) steady state", competitive_state);
  add("optimal", "optimal steady state at the discount rate", optimal_state);
  return values;
}

std::vector<sim::VariableInfo> GroundwaterBathtub::variables() const { return descriptor().variables; }

void GroundwaterBathtub::sample(std::span<double> values) const {
  values[0] = storage_for_sample_;
  values[1] = storage_for_sample_ / storage_per_metre();
  values[2] = pumping_cost(values[1]);
  values[3] = returned_;
  values[4] = runoff_;
}

COMMONS_REGISTER_MODELS(groundwater_bathtub) {
  registry.add_resource(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<GroundwaterBathtub>(GroundwaterBathtub::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
