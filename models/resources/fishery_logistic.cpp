// SPDX-License-Identifier: Apache-2.0
#include <commons/models/resources/fishery_logistic.hpp>

#include "largest_effort_within.hpp"

#include <commons/models/registration.hpp>
#include <commons/models/resources/common_parameters.hpp>
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
      .name = "fishery_logistic",
      .summary =
          "A fish stock with logistic (Schaefer) growth, X[t+1] = X[t] + r X[t] (1 - X[t]/K) - H[t], harvested as H = "
          "q E X.",
      .parameters = {growth_rate_parameter("Intrinsic growth rate r"),
                     positive_parameter("carrying_capacity", "Carrying capacity K, the unharvested equilibrium stock",
                                        "t"),
                     positive_parameter("catchability",
                                        "Catchability q: fraction of the stock one unit of effort catches in one step",
                                        "1/(effort unit * step)"),
                     {.name = "initial_stock",
                      .type = sim::ParameterType::number,
                      .meaning = "Stock at the start of each run X0",
                      .unit = "t",
                      .note = "default: the carrying capacity",
                      .minimum = sim::Bound{0.0},
                      .default_from = "carrying_capacity"},
                     observation_noise_parameter("the stock"),
                     collapse_fraction_parameter("stock", "the carrying capacity", 0.1)},
      .variables = {{"stock", "resource_unit", "stock at the start of the step"},
                    {"growth", "resource_unit", "surplus production r X (1 - X/K) in the step"}},
      .capabilities = {.maximum_sustainable_yield = true, .closed_forms = true}};
  return described;
}

}  // namespace

FisheryLogistic::Parameters FisheryLogistic::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.growth_rate = values.number("growth_rate");
  p.carrying_capacity = values.number("carrying_capacity");
  p.catchability = values.number("catchability");
  p.initial_stock = values.number_or("initial_stock", p.carrying_capacity);
  p.observation_noise = values.number_or("observation_noise", 0.0);
  p.collapse_fraction = values.number_or("collapse_fraction", 0.1);
  return p;
}

FisheryLogistic::FisheryLogistic(const Parameters& parameters)
    : parameters_(parameters), stock_(parameters.initial_stock), stock_at_step_start_(parameters.initial_stock),
      stock_for_payoffs_(parameters.initial_stock) {}

sim::Observation FisheryLogistic::observe() const {
  sim::Observation observation;
  observation.stock = stock_;
  observation.harvest_per_effort = parameters_.catchability * stock_;
  observation.noise_sd = parameters_.observation_noise;
  return observation;
}

double FisheryLogistic::harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) {
  const std::span<const double> effort = actions.effort;
  const double available = stock_;
  stock_at_step_start_ = available;
  growth_in_step_ = 0.0;
  ticks_in_step_ = 0;
  const double per_effort = parameters_.catchability * available;
  const std::size_t n = effort.size();
  double total = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i) {
      harvest[i] = per_effort * effort[i];
      sum += harvest[i];
    }
    return sum;
  });
  if (total > available) {
    // Demand exceeds the stock: every claim is cut in the same proportion. Rounding can leave
    // the scaled sum a few ulps above the stock, so the factor is corrected until it is not;
    // each correction shrinks the excess by orders of magnitude.
    const std::vector<double> claims(harvest.begin(), harvest.end());
    double scale = 1.0;
    for (int attempt = 0; attempt < 8 && total > available; ++attempt) {
      scale = std::nextafter(scale * (available / total), 0.0);
      total = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
        double sum = 0.0;
        for (std::size_t i = first; i < last; ++i) {
          harvest[i] = claims[i] * scale;
          sum += harvest[i];
        }
        return sum;
      });
    }
    total = std::min(total, available);
  }
  stock_ = std::max(0.0, available - total);
  return total;
}

double FisheryLogistic::harvest_if(double own_effort, double others_effort) const {
  // The state the step started in, so that decide (before harvest) and learn (after it) ask
  // the same question.
  const double stock = stock_for_payoffs_;
  const double claim = parameters_.catchability * stock * own_effort;
  const double total = parameters_.catchability * stock * (own_effort + others_effort);
  return total > stock && total > 0.0 ? stock * (claim / total) : claim;
}

void FisheryLogistic::harvest_if_each(std::span<const double> own_effort, std::span<const double> others_effort,
                                      std::span<double> harvest) const {
  const double stock = stock_for_payoffs_;
  const double q = parameters_.catchability;
  const double* own = own_effort.data();
  const double* others = others_effort.data();
  double* out = harvest.data();
  const std::size_t n = harvest.size();
  // harvest_if's expression, its rationing test a select: a vector loop.
  for (std::size_t i = 0; i < n; ++i) {
    const double claim = q * stock * own[i];
    const double total = q * stock * (own[i] + others[i]);
    const double rationed = stock * (claim / total);
    out[i] = total > stock && total > 0.0 ? rationed : claim;
  }
}

std::optional<double> FisheryLogistic::best_response_effort(double others_effort, double price, double own_cost,
                                                            double cap) const {
  // The payoff p h(x) - c x is concave in x (docs/models.md#fishery_logistic): linear with
  // slope p q X - c while the claims fit in the stock (x <= 1/q - Y), then p X x / (x + Y) - c x,
  // whose slope p X Y / (x + Y)^2 - c starts no higher. Flat stretches (a zero slope, or no
  // others and no cost) have no single maximiser: the search keeps its tie rule there.
  const double stock = stock_for_payoffs_;
  const double q = parameters_.catchability;
  if (!(price > 0.0) || !(cap > 0.0) || !(stock > 0.0) || !(others_effort >= 0.0) || !(own_cost > 0.0))
    return std::nullopt;
  const double slope_while_unrationed = price * q * stock - own_cost;
  if (slope_while_unrationed == 0.0) return std::nullopt;
  if (slope_while_unrationed < 0.0) return 0.0;
  // The effort at which the claims reach the stock, and the vertex beyond it (the stationary
  // point of p X x / (x + Y) - c x); with no others the payoff only falls beyond the kink.
  const double kink = std::max(0.0, 1.0 / q - others_effort);
  double best = kink;
  if (others_effort > 0.0) best = std::max(kink, std::sqrt(price * stock * others_effort / own_cost) - others_effort);
  return std::min(best, cap);
}

std::optional<double> FisheryLogistic::largest_effort_within(double harvest_limit, double others_effort,
                                                             double most) const {
  const double stock = stock_for_payoffs_;
  const double per_effort = parameters_.catchability * stock;
  // Below the stock the harvest is q X x, so x = h / (q X); where the claims exceed the stock
  // it is X x / (x + Y), so x = h Y / (X - h).
  double root = harvest_limit / per_effort;
  if (per_effort * (root + others_effort) > stock) root = harvest_limit * others_effort / (stock - harvest_limit);
  return detail::polish_largest_effort_within(
      [&](double x) { return FisheryLogistic::harvest_if(x, others_effort); }, harvest_limit, most, root);
}

std::optional<double> FisheryLogistic::optimal_total_effort(const sim::Economics& economics) const {
  return maximum_economic_yield(economics).effort;
}

double FisheryLogistic::surplus(double stock) const {
  return parameters_.growth_rate * stock * (1.0 - stock / parameters_.carrying_capacity);
}

void FisheryLogistic::grow() {
  // Regrowth from the stock the step started with (the textbook discrete Schaefer form); a
  // stock above K shrinks, but never below zero. Under a clock with several ticks per step,
  // the later ticks grow from the stock the earlier ones left.
  const double growth = surplus(ticks_in_step_ == 0 ? stock_at_step_start_ : stock_);
  stock_ = std::max(0.0, stock_ + growth);
  growth_in_step_ += growth;
  ++ticks_in_step_;
  stock_for_payoffs_ = stock_;
}

double FisheryLogistic::collapse_threshold() const {
  return parameters_.collapse_fraction * parameters_.carrying_capacity;
}

double FisheryLogistic::equilibrium_stock(double total_effort) const {
  const Parameters& p = parameters_;
  return std::max(0.0, p.carrying_capacity * (1.0 - p.catchability * total_effort / p.growth_rate));
}

FisheryLogistic::SteadyState FisheryLogistic::steady_state_at_stock(double stock,
                                                                    const sim::Economics& economics) const {
  const Parameters& p = parameters_;
  SteadyState state;
  state.stock = stock;
  state.effort = p.growth_rate / p.catchability * (1.0 - stock / p.carrying_capacity);
  state.harvest = surplus(stock);
  state.rent = economics.price * state.harvest - economics.cost_per_effort * state.effort;
  return state;
}

FisheryLogistic::SteadyState FisheryLogistic::maximum_sustainable_yield(const sim::Economics& economics) const {
  return steady_state_at_stock(parameters_.carrying_capacity / 2.0, economics);
}

FisheryLogistic::SteadyState FisheryLogistic::open_access(const sim::Economics& economics) const {
  // Where price x catch per unit effort equals the cost of effort: p q X = c.
  const double revenue_per_stock = economics.price * parameters_.catchability;
  const double break_even = revenue_per_stock > 0.0 ? economics.cost_per_effort / revenue_per_stock
                                                    : std::numeric_limits<double>::infinity();
  return steady_state_at_stock(std::min(parameters_.carrying_capacity, break_even), economics);
}

FisheryLogistic::SteadyState FisheryLogistic::maximum_economic_yield(const sim::Economics& economics) const {
  const double open_access_stock = open_access(economics).stock;
  return steady_state_at_stock((parameters_.carrying_capacity + open_access_stock) / 2.0, economics);
}

FisheryLogistic::SteadyState FisheryLogistic::golden_rule(const sim::Economics& economics) const {
  // Clark (1990): F'(X) - c'(X) F(X) / (p - c(X)) = delta with c(X) = c / (qX); for the
  // logistic F this is a quadratic in X. docs/models.md#reference-points
  const Parameters& p = parameters_;
  const double k = p.carrying_capacity;
  const double beta = open_access(economics).stock / k;
  const double delta_over_r = economics.discount_rate / p.growth_rate;
  const double b = beta + 1.0 - delta_over_r;
  const double stock = k / 4.0 * (b + std::sqrt(b * b + 8.0 * beta * delta_over_r));
  return steady_state_at_stock(std::min(k, stock), economics);
}

std::vector<sim::ScalarData> FisheryLogistic::reference_points(const sim::Economics& economics) const {
  struct Point {
    const char* prefix;
    const char* label;
    SteadyState state;
  };
  const Point points[] = {
      {"msy", "maximum sustainable yield", maximum_sustainable_yield(economics)},
      {"mey", "maximum economic yield (static optimum)", maximum_economic_yield(economics)},
      {"open_access", "open-access (Gordon) equilibrium", open_access(economics)},
      {"golden_rule", "golden rule of Clark (1990) at the discount rate", golden_rule(economics)},
  };
  std::vector<sim::ScalarData> values;
  for (const Point& point : points) append_reference_points(values, point.prefix, point.label, "stock", point.state);
  return values;
}

std::optional<double> FisheryLogistic::optimal_rent(const sim::Economics& economics) const {
  return maximum_economic_yield(economics).rent;
}

std::vector<sim::VariableInfo> FisheryLogistic::variables() const { return descriptor().variables; }

void FisheryLogistic::sample(std::span<double> values) const {
  values[0] = stock_at_step_start_;
  values[1] = growth_in_step_;
}

COMMONS_REGISTER_MODELS(fishery_logistic) {
  registry.add_resource(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<FisheryLogistic>(FisheryLogistic::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
