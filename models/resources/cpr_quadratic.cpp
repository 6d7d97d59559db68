// SPDX-License-Identifier: Apache-2.0
#include <commons/models/resources/cpr_quadratic.hpp>

#include "largest_effort_within.hpp"

#include <commons/models/registration.hpp>
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
      .name = "cpr_quadratic",
      .summary =
          "The common-pool resource game of Walker, Gardner and Ostrom: each agent invests x_i of its endowment in the "
          "commons and the rest in an outside option paying economics.cost_per_effort per token; the group output F(X) "
          "= a X - b X^2 of the total investment X is shared in proportion to investment, so agent i harvests (x_i / "
          "X) F(X). There is no stock and nothing collapses.",
      .parameters =
          {{.name = "production_linear",
            .type = sim::ParameterType::number,
            .meaning =
                "Linear coefficient a of the group production F(X) = a X - b X^2: output of the first token invested",
            .unit = "resource unit/effort unit",
            .required = true,
            .minimum = sim::Bound{0.0, true}},
           {.name = "production_quadratic",
            .type = sim::ParameterType::number,
            .meaning =
                "Quadratic coefficient b of the group production F(X) = a X - b X^2, the crowding of the commons",
            .unit = "resource unit/effort unit^2",
            .required = true,
            .minimum = sim::Bound{0.0, true}},
           {.name = "endowment",
            .type = sim::ParameterType::number,
            .meaning = "Tokens e each agent holds in every step: the most it can invest in the commons",
            .unit = "effort unit",
            .required = true,
            .minimum = sim::Bound{0.0, true}}},
      .variables = {{"group_investment", "effort_unit", "tokens invested in the CPR by all players in the round, X"},
                    {"group_output", "resource_unit",
                     "group output F(X) = a X - b X^2 of the round (cents at price 1)"},
                    {"net_yield", "money",
                     "net yield p F(X) - w X of the round: the CPR's return over the outside market"},
                    {"yield_efficiency", "1", "net yield of the round over the maximum net yield, NY(X)/NY(X*)"}},
      .capabilities = {.effort_limit = true, .closed_forms = true}};
  return described;
}

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

}  // namespace

CprQuadratic::Parameters CprQuadratic::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.production_linear = values.number("production_linear");
  p.production_quadratic = values.number("production_quadratic");
  p.endowment = values.number("endowment");
  return p;
}

CprQuadratic::CprQuadratic(const Parameters& parameters) : parameters_(parameters) {}

sim::Observation CprQuadratic::observe() const {
  // Subjects are told the aggregate investment after each round; with F known, the average
  // product F(X)/X = a - bX follows (a, its limit at X = 0, before the first round).
  sim::Observation observation;
  observation.stock = 0.0;
  observation.harvest_per_effort = parameters_.production_linear - parameters_.production_quadratic * group_investment_;
  observation.noise_sd = 0.0;
  return observation;
}

double CprQuadratic::harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) {
  const std::span<const double> effort = actions.effort;
  const std::size_t n = effort.size();
  const double total_effort = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i) sum += effort[i];
    return sum;
  });
  // (x_i / X) F(X) = x_i (a - bX): every token earns the average product, which stays finite
  // at X = 0 and carries the sign of F when the CPR is overused (X > a/b).
  const double average_product =
      parameters_.production_linear - parameters_.production_quadratic * total_effort;
  const double total = sim::sum_over_blocks(n, policy, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i) {
      harvest[i] = effort[i] == 0.0 ? 0.0 : effort[i] * average_product;
      sum += harvest[i];
    }
    return sum;
  });
  group_investment_ = total_effort;
  players_ = n;
  return total;
}

double CprQuadratic::harvest_if(double own_effort, double others_effort) const {
  if (own_effort == 0.0) return 0.0;
  const double total_effort = own_effort + others_effort;
  return own_effort * (parameters_.production_linear - parameters_.production_quadratic * total_effort);
}

void CprQuadratic::harvest_if_each(std::span<const double> own_effort, std::span<const double> others_effort,
                                   std::span<double> harvest) const {
  const double a = parameters_.production_linear;
  const double b = parameters_.production_quadratic;
  const double* own = own_effort.data();
  const double* others = others_effort.data();
  double* out = harvest.data();
  const std::size_t n = harvest.size();
  // harvest_if's expression, with its test for no investment as a select: a vector loop.
  for (std::size_t i = 0; i < n; ++i) {
    const double share = own[i] * (a - b * (own[i] + others[i]));
    out[i] = own[i] == 0.0 ? 0.0 : share;
  }
}

std::optional<double> CprQuadratic::best_response_effort(double others_effort, double price, double own_cost,
                                                         double cap) const {
  // Without a positive price the payoff -w x has no interior maximum to speak of.
  if (!(price > 0.0) || !(cap > 0.0)) return std::nullopt;
  // d/dx [p x (a - b(x + Y)) - w x] = p (a - bY - 2bx) - w = 0; concave in x, so the clamped
  // vertex is the maximum on [0, cap].
  const double b = parameters_.production_quadratic;
  const double interior = ((parameters_.production_linear - own_cost / price) - b * others_effort) / (2.0 * b);
  return std::clamp(interior, 0.0, cap);
}

std::optional<double> CprQuadratic::largest_effort_within(double harvest_limit, double others_effort,
                                                          double most) const {
  // x (a - bY - bx) = h has the smaller root 2h / (m + sqrt(m^2 - 4bh)) with m = a - bY (the
  // form without cancellation). When `most` itself is past the limit, the harvest is within it
  // up to that root and past it from there to `most` (it rises to the top of the parabola and
  // does not come back down to h before `most`), which is the one boundary a search from 0 finds.
  const double b = parameters_.production_quadratic;
  const double marginal = parameters_.production_linear - b * others_effort;
  const double discriminant = std::max(0.0, marginal * marginal - 4.0 * b * harvest_limit);
  const double root = 2.0 * harvest_limit / (marginal + std::sqrt(discriminant));
  return detail::polish_largest_effort_within([&](double x) { return CprQuadratic::harvest_if(x, others_effort); },
                                              harvest_limit, most, root);
}

double CprQuadratic::collapse_threshold() const { return -std::numeric_limits<double>::infinity(); }

double CprQuadratic::group_output(double group_investment) const {
  return group_investment * (parameters_.production_linear - parameters_.production_quadratic * group_investment);
}

double CprQuadratic::net_yield(double group_investment, const sim::Economics& economics) const {
  return economics.price * group_output(group_investment) - economics.cost_per_effort * group_investment;
}

double CprQuadratic::net_marginal_at_zero(const sim::Economics& economics) const {
  // Without a positive price the CPR pays nothing, so no token goes there.
  if (!(economics.price > 0.0)) return -std::numeric_limits<double>::infinity();
  return parameters_.production_linear - economics.cost_per_effort / economics.price;
}

double CprQuadratic::best_response(double others_total, const sim::Economics& economics) const {
  // d/dx [p x (a - b(x + Y)) - w x] = p (a - bY - 2bx) - w = 0; the payoff is concave in x.
  const double interior =
      (net_marginal_at_zero(economics) - parameters_.production_quadratic * others_total) /
      (2.0 * parameters_.production_quadratic);
  return std::clamp(interior, 0.0, parameters_.endowment);
}

double CprQuadratic::nash_group_investment(std::size_t players, const sim::Economics& economics) const {
  if (players == 0) return 0.0;
  // Best response with Y = (n - 1) x and x = X/n: a - w/p - b (n + 1) x = 0. When that share
  // exceeds e, investing everything is a best response to the others doing so (corner Nash).
  const double n = static_cast<double>(players);
  const double share = net_marginal_at_zero(economics) / (parameters_.production_quadratic * (n + 1.0));
  return n * std::clamp(share, 0.0, parameters_.endowment);
}

double CprQuadratic::optimum_group_investment(const sim::Economics& economics) const {
  // F'(X*) = w/p: a - 2bX* = w/p.
  return std::max(0.0, net_marginal_at_zero(economics) / (2.0 * parameters_.production_quadratic));
}

double CprQuadratic::open_access_group_investment(const sim::Economics& economics) const {
  // Average product equal to the outside return: a - bX = w/p, the rent fully dissipated.
  return std::max(0.0, net_marginal_at_zero(economics) / parameters_.production_quadratic);
}

std::optional<double> CprQuadratic::optimal_total_effort(const sim::Economics& economics) const {
  return optimum_group_investment(economics);
}

std::optional<double> CprQuadratic::optimal_rent(const sim::Economics& economics) const {
  return net_yield(optimum_group_investment(economics), economics);
}

std::vector<sim::ScalarData> CprQuadratic::reference_points(const sim::Economics& economics) const {
  const double optimum = optimum_group_investment(economics);
  const double optimum_yield = net_yield(optimum, economics);
  const double open_access = open_access_group_investment(economics);
  double nash = not_a_number;
  double nash_yield = not_a_number;
  if (players_ > 0) {
    nash = nash_group_investment(players_, economics);
    nash_yield = net_yield(nash, economics);
  }
  return {
      {{"optimum_group_investment", "effort_unit", "group investment X* = (a - w/p)/(2b) that maximises net yield"},
       optimum},
      {{"optimum_net_yield", "money", "net yield per round at the optimum, NY(X*)"}, optimum_yield},
      {{"nash_group_investment", "effort_unit",
        "symmetric Nash group investment (a - w/p)/(b (1 + 1/n)) of the n players of the run"},
       nash},
      {{"nash_net_yield", "money", "net yield per round at the symmetric Nash equilibrium"}, nash_yield},
      {{"nash_efficiency", "1", "net yield at the Nash equilibrium over the maximum, NY(X_N)/NY(X*)"},
       optimum_yield > 0.0 ? nash_yield / optimum_yield : not_a_number},
      {{"open_access_group_investment", "effort_unit",
        "group investment (a - w/p)/b at which the average product equals the outside return (rent dissipated)"},
       open_access},
  };
}

std::vector<sim::VariableInfo> CprQuadratic::variables() const { return descriptor().variables; }

void CprQuadratic::sample(std::span<double> values) const {
  values[0] = group_investment_;
  values[1] = group_output(group_investment_);
  values[2] = not_a_number;
  values[3] = not_a_number;
  if (economics_) {
    values[2] = net_yield(group_investment_, *economics_);
    const double best = net_yield(optimum_group_investment(*economics_), *economics_);
    if (best > 0.0) values[3] = values[2] / best;
  }
}

COMMONS_REGISTER_MODELS(cpr_quadratic) {
  registry.add_resource(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<CprQuadratic>(CprQuadratic::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
