// SPDX-License-Identifier: Apache-2.0
#include <commons/models/resources/fishery_age.hpp>

#include <commons/models/golden_section.hpp>
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
      .name = "fishery_age",
      .summary =
          "An age-structured fish stock, ages 0..A with a plus group: natural mortality M, Beverton-Holt recruitment "
          "from spawning biomass (steepness h, unfished recruitment R0), von Bertalanffy weight at age, logistic "
          "maturity and selectivity, F_a = q E s_a from the total effort E, and the Baranov catch C_a = F_a/Z_a (1 - "
          "exp(-Z_a)) N_a. The catch in weight is shared in proportion to effort; the stock is the spawning biomass.",
      .parameters =
          {{.name = "max_age",
            .type = sim::ParameterType::integer,
            .meaning = "Oldest age class A, the plus group that collects every older fish",
            .unit = "year",
            .minimum = sim::Bound{1.0},
            .maximum = sim::Bound{200.0},
            .default_value = std::int64_t{20}},
           number_parameter("natural_mortality", "Instantaneous natural mortality M", "1/year", 0.2,
                            sim::Bound{0.0, true}, sim::Bound{5.0}),
           number_parameter("steepness",
                            "Beverton-Holt steepness h: recruits at 20 % of the unfished spawning biomass over R0", "1",
                            0.75, sim::Bound{0.2, true}, sim::Bound{1.0}),
           number_parameter("unfished_recruitment", "Recruits R0 of the unfished stock", "thousand fish/year", 1000.0,
                            sim::Bound{0.0, true}),
           number_parameter("asymptotic_weight", "Asymptotic weight w_inf of the von Bertalanffy curve", "kg", 5.0,
                            sim::Bound{0.0, true}),
           number_parameter("growth_coefficient", "Von Bertalanffy growth coefficient k", "1/year", 0.3,
                            sim::Bound{0.0, true}, sim::Bound{5.0}),
           number_parameter("age_at_zero_length", "Age t0 at which the von Bertalanffy length is zero", "year", -0.5,
                            sim::Bound{-10.0}, sim::Bound{1.0, true}),
           number_parameter("weight_exponent", "Exponent b of weight in length, W_a = w_inf (1 - exp(-k (a - t0)))^b",
                            "1", 3.0, sim::Bound{1.0}, sim::Bound{4.0}),
           number_parameter("maturity_age", "Age at which half the fish are mature", "year", 3.0, sim::Bound{0.0}),
           number_parameter("maturity_slope", "Slope of the logistic maturity ogive (large: knife-edge maturity)",
                            "1/year", 2.0, sim::Bound{0.0, true}, sim::Bound{50.0}),
           number_parameter("selectivity_age", "Age a50 at which half the fish are selected by the gear", "year", 2.0,
                            sim::Bound{0.0}),
           number_parameter("selectivity_slope", "Slope of the logistic selectivity curve", "1/year", 2.0,
                            sim::Bound{0.0, true}, sim::Bound{50.0}),
           number_parameter("catchability",
                            "Catchability q: fishing mortality of fully selected fish per unit of effort",
                            "1/effort unit", 0.002, sim::Bound{0.0, true}),
           number_parameter("initial_fraction",
                            "Numbers at every age at the start, as a fraction of the unfished equilibrium", "1", 1.0,
                            sim::Bound{0.0, true}, sim::Bound{10.0}),
           observation_noise_parameter("the stock"),
           collapse_fraction_parameter("spawning biomass", "the unfished one", 0.2)},
      .variables = {{"stock", "resource_unit", "spawning biomass at the start of the step"},
                    {"biomass", "resource_unit", "total biomass of all ages at the start of the step"},
                    {"recruitment", "1e3", "recruits (thousand fish) spawned in the step, age 0 in the next"},
                    {"fishing_mortality", "1", "fishing mortality F = q E of fully selected fish in the step"},
                    {"catch_numbers", "1e3", "catch in numbers (thousand fish) in the step"}},
      .capabilities = {.maximum_sustainable_yield = true, .closed_forms = true}};
  return described;
}

double logistic(double age, double age50, double slope) { return 1.0 / (1.0 + std::exp(-slope * (age - age50))); }

// Golden-section and bisection run this many steps: each golden step keeps 0.618 of the
// bracket, so 200 steps shrink it far below a double's resolution.
constexpr int search_steps = 200;

// The reference points are sought at fully-selected F up to this [1/year]: a fully selected
// fish then survives a year with odds e^-50, past any fishery worth describing.
constexpr double highest_fishing_mortality = 50.0;

}  // namespace

FisheryAge::Parameters FisheryAge::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.max_age = values.contains("max_age") ? values.integer("max_age") : p.max_age;
  p.natural_mortality = values.number_or("natural_mortality", p.natural_mortality);
  p.steepness = values.number_or("steepness", p.steepness);
  p.unfished_recruitment = values.number_or("unfished_recruitment", p.unfished_recruitment);
  p.asymptotic_weight = values.number_or("asymptotic_weight", p.asymptotic_weight);
  p.growth_coefficient = values.number_or("growth_coefficient", p.growth_coefficient);
  p.age_at_zero_length = values.number_or("age_at_zero_length", p.age_at_zero_length);
  p.weight_exponent = values.number_or("weight_exponent", p.weight_exponent);
  p.maturity_age = values.number_or("maturity_age", p.maturity_age);
  p.maturity_slope = values.number_or("maturity_slope", p.maturity_slope);
  p.selectivity_age = values.number_or("selectivity_age", p.selectivity_age);
  p.selectivity_slope = values.number_or("selectivity_slope", p.selectivity_slope);
  p.catchability = values.number_or("catchability", p.catchability);
  p.initial_fraction = values.number_or("initial_fraction", p.initial_fraction);
  p.observation_noise = values.number_or("observation_noise", p.observation_noise);
  p.collapse_fraction = values.number_or("collapse_fraction", p.collapse_fraction);
  if (p.max_age < 1) throw sim::SpecError("fishery_age: max_age must be at least 1");
  if (!(p.steepness > 0.2 && p.steepness <= 1.0)) throw sim::SpecError("fishery_age: steepness must be in (0.2, 1]");
  if (!(p.natural_mortality > 0.0)) throw sim::SpecError("fishery_age: natural_mortality must be positive");
  return p;
}

FisheryAge::FisheryAge(const Parameters& parameters) : parameters_(parameters) {
  const Parameters& p = parameters_;
  const Eigen::Index ages = static_cast<Eigen::Index>(p.max_age) + 1;
  const Eigen::ArrayXd age = Eigen::ArrayXd::LinSpaced(ages, 0.0, static_cast<double>(p.max_age));
  // Length is zero before t0; a fish younger than that weighs nothing rather than a power of a
  // negative number.
  const Eigen::ArrayXd length_share = (1.0 - (-p.growth_coefficient * (age - p.age_at_zero_length)).exp()).max(0.0);
  weight_ = p.asymptotic_weight * length_share.pow(p.weight_exponent);
  maturity_ = age.unaryExpr([&](double a) { return logistic(a, p.maturity_age, p.maturity_slope); });
  selectivity_ = age.unaryExpr([&](double a) { return logistic(a, p.selectivity_age, p.selectivity_slope); });
  // Numbers in thousands times kilograms are tonnes.
  spawning_weight_ = weight_ * maturity_;
  unfished_spawning_biomass_ = p.unfished_recruitment * per_recruit(0.0).spawning_biomass;
  numbers_ = p.initial_fraction * p.unfished_recruitment * survivorship(0.0);
  survival_ = Eigen::ArrayXd::Constant(ages, std::exp(-p.natural_mortality));
  spawning_biomass_at_start_ = stock();
  biomass_at_start_ = biomass();
}

double FisheryAge::stock() const { return (spawning_weight_ * numbers_).sum(); }

double FisheryAge::biomass() const { return (weight_ * numbers_).sum(); }

double FisheryAge::collapse_threshold() const { return parameters_.collapse_fraction * unfished_spawning_biomass_; }

double FisheryAge::recruitment(double spawning_biomass) const {
  // Beverton-Holt in steepness form (Mace and Doonan 1988): R(S0) = R0, R(0.2 S0) = h R0.
  const double h = parameters_.steepness;
  const double denominator = unfished_spawning_biomass_ * (1.0 - h) + spawning_biomass * (5.0 * h - 1.0);
  return denominator > 0.0 ? 4.0 * h * parameters_.unfished_recruitment * spawning_biomass / denominator : 0.0;
}

double FisheryAge::catch_weight(double total_effort) const {
  if (!(total_effort > 0.0)) return 0.0;
  const Eigen::ArrayXd fishing = parameters_.catchability * total_effort * selectivity_;
  const Eigen::ArrayXd total = fishing + parameters_.natural_mortality;
  return (fishing / total * (1.0 - (-total).exp()) * numbers_ * weight_).sum();
}

sim::Observation FisheryAge::observe() const {
  sim::Observation observation;
  observation.stock = stock();
  if (previous_effort_ > 0.0) {
    observation.harvest_per_effort = catch_weight(previous_effort_) / previous_effort_;
  } else {
    // The limit of the Baranov catch per unit effort as effort goes to zero.
    const double m = parameters_.natural_mortality;
    observation.harvest_per_effort =
        parameters_.catchability * (selectivity_ * weight_ * numbers_).sum() * (1.0 - std::exp(-m)) / m;
  }
  observation.noise_sd = parameters_.observation_noise;
  return observation;
}

double FisheryAge::harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) {
  const std::span<const double> effort = actions.effort;
  total_effort_ = total_effort(effort, policy);
  const Parameters& p = parameters_;
  // The year's projection over ages: F_a = q E s_a, Z_a = M + F_a, Baranov catch at age.
  const Eigen::ArrayXd fishing = p.catchability * total_effort_ * selectivity_;
  const Eigen::ArrayXd total_mortality = fishing + p.natural_mortality;
  survival_ = (-total_mortality).exp();
  const Eigen::ArrayXd caught = fishing / total_mortality * (1.0 - survival_) * numbers_;
  catch_numbers_ = caught.sum();
  const double catch_in_weight = (caught * weight_).sum();
  // Shares of the catch in proportion to effort; 0 for everyone when nobody fishes.
  const double per_effort = total_effort_ > 0.0 ? catch_in_weight / total_effort_ : 0.0;
  return share_by_effort(effort, per_effort, harvest, policy);
}

double FisheryAge::harvest_if(double own_effort, double others_effort) const {
  // Numbers change only in grow(), so these are the numbers the step started with, before
  // and after harvest alike.
  const double total = own_effort + others_effort;
  if (!(own_effort > 0.0) || !(total > 0.0)) return 0.0;
  return catch_weight(total) * (own_effort / total);
}

void FisheryAge::grow() {
  spawning_biomass_at_start_ = stock();
  biomass_at_start_ = biomass();
  recruits_ = recruitment(spawning_biomass_at_start_);
  const Eigen::Index oldest = numbers_.size() - 1;
  const Eigen::ArrayXd survivors = numbers_ * survival_;
  Eigen::ArrayXd next(numbers_.size());
  next(0) = recruits_;
  next.segment(1, oldest - 1) = survivors.head(oldest - 1);
  next(oldest) = survivors(oldest - 1) + survivors(oldest);
  numbers_ = next;
  previous_effort_ = total_effort_;
  // A step without a harvest call would see only natural mortality.
  survival_.setConstant(std::exp(-parameters_.natural_mortality));
  total_effort_ = 0.0;
}

Eigen::ArrayXd FisheryAge::survivorship(double fishing_mortality) const {
  const Eigen::ArrayXd survival = (-(fishing_mortality * selectivity_ + parameters_.natural_mortality)).exp();
  const Eigen::Index oldest = survival.size() - 1;
  Eigen::ArrayXd alive(survival.size());
  alive(0) = 1.0;
  for (Eigen::Index a = 1; a <= oldest; ++a) alive(a) = alive(a - 1) * survival(a - 1);
  // The plus group holds this year's entrants and the survivors of every earlier year's:
  // l_A (1 + e^{-Z_A} + e^{-2 Z_A} + ...).
  alive(oldest) /= 1.0 - survival(oldest);
  return alive;
}

FisheryAge::PerRecruit FisheryAge::per_recruit(double fishing_mortality) const {
  const Eigen::ArrayXd alive = survivorship(fishing_mortality);
  const Eigen::ArrayXd fishing = fishing_mortality * selectivity_;
  const Eigen::ArrayXd total = fishing + parameters_.natural_mortality;
  PerRecruit result;
  result.spawning_biomass = (alive * spawning_weight_).sum();
  result.yield = (alive * weight_ * fishing / total * (1.0 - (-total).exp())).sum();
  return result;
}

double FisheryAge::equilibrium_recruitment(double fishing_mortality) const {
  // S = R phi(F) and R = R(S) together: R = R0 (4 h phi(F) - (1 - h) phi(0)) / ((5h - 1) phi(F)).
  const double h = parameters_.steepness;
  const double phi = per_recruit(fishing_mortality).spawning_biomass;
  const double unfished_phi = unfished_spawning_biomass_ / parameters_.unfished_recruitment;
  if (!(phi > 0.0)) return 0.0;
  return std::max(
      0.0, parameters_.unfished_recruitment * (4.0 * h * phi - (1.0 - h) * unfished_phi) / ((5.0 * h - 1.0) * phi));
}

FisheryAge::SteadyState FisheryAge::steady_state_at_effort(double total_effort, const sim::Economics& economics) const {
  const double fishing = parameters_.catchability * total_effort;
  const double recruits = equilibrium_recruitment(fishing);
  const PerRecruit per = per_recruit(fishing);
  SteadyState state;
  state.effort = total_effort;
  state.stock = recruits * per.spawning_biomass;
  state.harvest = recruits * per.yield;
  state.rent = economics.price * state.harvest - economics.cost_per_effort * total_effort;
  return state;
}

double FisheryAge::crash_effort() const {
  // phi(F) falls with F, so R_eq reaches 0 where phi(F)/phi(0) = (1 - h) / (4h), unless fish
  // spawn before the gear takes them (maturity ahead of selectivity): then no effort crashes
  // the stock. Bracket by doubling up to the search ceiling, then bisect.
  const double q = parameters_.catchability;
  const double ceiling = highest_fishing_mortality / q;
  if (equilibrium_recruitment(highest_fishing_mortality) > 0.0) return std::numeric_limits<double>::infinity();
  double high = std::min(1.0 / q, ceiling);
  while (equilibrium_recruitment(q * high) > 0.0) high = std::min(2.0 * high, ceiling);
  double low = 0.0;
  for (int step = 0; step < search_steps; ++step) {
    const double middle = 0.5 * (low + high);
    if (middle <= low || middle >= high) break;
    (equilibrium_recruitment(q * middle) > 0.0 ? low : high) = middle;
  }
  return high;
}

template <typename Value>
double FisheryAge::maximising_effort(const Value& value) const {
  // Sustained yield and rent are unimodal in effort for the usual parameter ranges
  // (docs/models.md#fishery_age says what is and is not guaranteed).
  const double high = std::min(crash_effort(), highest_fishing_mortality / parameters_.catchability);
  const GoldenSectionMaximum found = golden_section_maximum(value, 0.0, high, 0.0, search_steps);
  // No fishing at all may be best (an unprofitable fishery).
  return found.value > value(0.0) ? found.x : 0.0;
}

FisheryAge::SteadyState FisheryAge::maximum_sustainable_yield(const sim::Economics& economics) const {
  const double effort = maximising_effort([&](double e) { return steady_state_at_effort(e, economics).harvest; });
  return steady_state_at_effort(effort, economics);
}

FisheryAge::SteadyState FisheryAge::maximum_economic_yield(const sim::Economics& economics) const {
  const double effort = maximising_effort([&](double e) { return steady_state_at_effort(e, economics).rent; });
  return steady_state_at_effort(effort, economics);
}

FisheryAge::SteadyState FisheryAge::open_access(const sim::Economics& economics) const {
  // Sustained rent falls from its maximum at the MEY to -c E_crash at the crash effort; the
  // open-access point is where it crosses zero (the crash itself when effort is free).
  const SteadyState best = maximum_economic_yield(economics);
  if (!(best.rent > 0.0)) return best;
  double low = best.effort;
  double high = std::min(crash_effort(), highest_fishing_mortality / parameters_.catchability);
  for (int step = 0; step < search_steps; ++step) {
    const double middle = 0.5 * (low + high);
    if (middle <= low || middle >= high) break;
    (steady_state_at_effort(middle, economics).rent > 0.0 ? low : high) = middle;
  }
  return steady_state_at_effort(high, economics);
}

std::optional<double> FisheryAge::optimal_total_effort(const sim::Economics& economics) const {
  return maximum_economic_yield(economics).effort;
}

std::optional<double> FisheryAge::optimal_rent(const sim::Economics& economics) const {
  return maximum_economic_yield(economics).rent;
}

std::vector<sim::ScalarData> FisheryAge::reference_points(const sim::Economics& economics) const {
  std::vector<sim::ScalarData> values{
      {{"unfished_stock", "resource_unit", "unfished spawning biomass S0 = R0 phi(0)"}, unfished_spawning_biomass_}};
  const std::string stock = "spawning biomass";
  append_reference_points(values, "msy", "maximum sustainable yield", stock, maximum_sustainable_yield(economics));
  append_reference_points(values, "mey", "maximum economic yield (static optimum)", stock,
                          maximum_economic_yield(economics));
  append_reference_points(values, "open_access", "open-access equilibrium (sustained rent zero)", stock,
                          open_access(economics));
  return values;
}

std::vector<sim::VariableInfo> FisheryAge::variables() const { return descriptor().variables; }

void FisheryAge::sample(std::span<double> values) const {
  values[0] = spawning_biomass_at_start_;
  values[1] = biomass_at_start_;
  values[2] = recruits_;
  values[3] = parameters_.catchability * previous_effort_;
  values[4] = catch_numbers_;
}

COMMONS_REGISTER_MODELS(fishery_age) {
  registry.add_resource(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<FisheryAge>(FisheryAge::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
