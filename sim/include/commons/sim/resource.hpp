// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The interface a resource model implements: a small core, optional closed-form economics, and
/// optional sites. State lives in dense arrays indexed by site, never by agent; agents reach it
/// only through batch calls.

#include <commons/sim/observation.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/run_result.hpp>
#include <commons/sim/sites.hpp>
#include <commons/sim/spec.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace commons::sim {

/// Closed-form economics of a resource at given prices and costs: its social optimum and
/// reference points (MSY, MEY, open access, Nash). Optional: a resource without closed forms
/// (a spatial or age-structured model solved only by simulation) has none, and what needs them
/// (efficiency, a quota at a fraction of MSY, a cooperative share) says so before the run.
class ResourceEconomics {
 public:
  virtual ~ResourceEconomics() = default;

  /// Total effort of all agents that maximises the group's rent, as the model defines its
  /// social optimum (docs/models.md); none when the model has no closed form for it.
  [[nodiscard]] virtual std::optional<double> optimal_total_effort(const Economics& economics) const = 0;

  /// Rent per step sustained at the social optimum; the benchmark for efficiency.
  [[nodiscard]] virtual std::optional<double> optimal_rent(const Economics& economics) const = 0;

  /// Closed-form reference values at these prices and costs (MSY, MEY, open access...).
  [[nodiscard]] virtual std::vector<ScalarData> reference_points(const Economics& economics) const = 0;
};

/// The core every resource implements: state, observation, harvest and growth.
class Resource {
 public:
  virtual ~Resource() = default;

  /// The resource at the start of the step as agents may see it (values and noise level; per
  /// site for a resource with sites).
  [[nodiscard]] virtual Observation observe() const = 0;

  /// Request then resolve: `actions.effort[i]` is agent i's effort (at `actions.site[i]` when the
  /// resource has sites); writes agent i's harvest to `harvest[i]`, never more in total than the
  /// stock (of a site) holds, and removes it from the stock. Returns the total harvest, summed in
  /// a fixed order.
  virtual double harvest(const Actions& actions, std::span<double> harvest, const ExecutionPolicy& policy) = 0;

  /// Harvest an agent applying `own_effort` would take this step if the others applied
  /// `others_effort` in total, at the state the step started in and before observation noise.
  /// The payoff kernel behind best responses, foregone payoffs and social preferences.
  [[nodiscard]] virtual double harvest_if(double own_effort, double others_effort) const = 0;

  /// harvest_if for many agents at once: `harvest[i] = harvest_if(own_effort[i],
  /// others_effort[i])`, bit for bit (all three spans of one length). Resources whose payoff is
  /// a closed form override it with a loop the compiler vectorises; the default asks
  /// harvest_if once per agent.
  virtual void harvest_if_each(std::span<const double> own_effort, std::span<const double> others_effort,
                               std::span<double> harvest) const {
    for (std::size_t i = 0; i < harvest.size(); ++i) harvest[i] = harvest_if(own_effort[i], others_effort[i]);
  }

  /// The effort in [0, cap] that maximises price * harvest_if(x, others_effort) - own_cost * x,
  /// in closed form; none (the default) when the resource has none or these terms fall outside
  /// it, and the behaviour then searches. Only for a resource whose payoff has a single
  /// maximiser there.
  [[nodiscard]] virtual std::optional<double> best_response_effort(double /*others_effort*/, double /*price*/,
                                                                   double /*own_cost*/, double /*cap*/) const {
    return std::nullopt;
  }

  /// The inverse of harvest_if where the resource has it in closed form: the largest own effort
  /// x in [0, most] with harvest_if(x, others_effort) <= harvest_limit, the double a search of
  /// harvest_if down to neighbouring doubles finds (`most` itself when its harvest is within the
  /// limit; 0 when idle effort's harvest is not below the limit). `most` is finite and >= 0.
  /// None (the default) when the resource has no closed form; callers then search harvest_if.
  [[nodiscard]] virtual std::optional<double> largest_effort_within(double /*harvest_limit*/,
                                                                    double /*others_effort*/, double /*most*/) const {
    return std::nullopt;
  }

  /// Most effort one agent can apply in a step (an endowment of tokens); none when unbounded.
  [[nodiscard]] virtual std::optional<double> effort_limit() const { return std::nullopt; }

  /// The prices and costs of the run, given once before the first step, for resources that
  /// record economic variables of their own (a game's net yield).
  virtual void set_economics(const Economics& /*economics*/) {}

  /// The run's random stream, given once before the first step, for resources whose state is
  /// random (tokens placed and regrowing at random). Draws use Purpose::place for the initial
  /// state and Purpose::grow for ticks, addressed by tick and site, never by agent.
  virtual void set_random(const RandomStream& /*random*/) {}

  /// One tick of the resource's own time: regrowth (and, with sites, movement between them).
  /// The engine calls it at the end of a step, once by default, or as often as the scenario's
  /// clock says (ClockSpec: twelve monthly ticks a year, or one tick every five steps).
  virtual void grow() = 0;

  /// Current total stock, over all sites [resource units].
  [[nodiscard]] virtual double stock() const = 0;

  /// Stock below which the resource counts as collapsed [resource units].
  [[nodiscard]] virtual double collapse_threshold() const = 0;

  /// The closed forms of this resource, or nullptr when it has none.
  [[nodiscard]] virtual const ResourceEconomics* economics() const { return nullptr; }

  /// What "resource_unit", "effort_unit" and "money" mean for this resource: its stock in
  /// tonnes, its effort in boat-days. Symbolic (unknown) by default.
  [[nodiscard]] virtual UnitSystem units() const { return {}; }

  /// Variables the resource records each step, in the order `sample` writes them.
  [[nodiscard]] virtual std::vector<VariableInfo> variables() const = 0;
  virtual void sample(std::span<double> values) const = 0;

  // The spatial seam. A resource without sites overrides none of this.

  /// The resource's sites; Kind::none (the default) for a resource without.
  [[nodiscard]] virtual SiteLayout sites() const { return {}; }
  /// The discrete choices an agent makes besides effort and site (gears, crops), by name; none
  /// by default.
  [[nodiscard]] virtual std::vector<std::string> choices() const { return {}; }
  /// How agents may move between the sites; anything goes by default.
  [[nodiscard]] virtual SiteAccess site_access() const { return {}; }
  /// Where each of `agents` agents starts (a site per agent, in agent order); empty (the
  /// default) starts agent k at site k mod the number of sites.
  [[nodiscard]] virtual std::vector<std::uint32_t> starting_sites(std::size_t /*agents*/) const { return {}; }
  /// What a trip to each site costs each of `agents` agents (TripCosts); none (the default)
  /// when working a site costs only effort.
  [[nodiscard]] virtual std::optional<TripCosts> trip_costs(std::size_t /*agents*/) const { return std::nullopt; }
  /// Variables the resource records per site each step, in the order `sample_sites` writes them.
  [[nodiscard]] virtual std::vector<VariableInfo> site_variables() const { return {}; }
  /// Writes variable v at site s to `values[v * site_count + s]`.
  virtual void sample_sites(std::span<double> /*values*/) const {}
};

/// The resource's closed-form optimum, or none when it has no closed forms.
[[nodiscard]] inline std::optional<double> optimal_total_effort(const Resource& resource, const Economics& economics) {
  const ResourceEconomics* closed_forms = resource.economics();
  return closed_forms != nullptr ? closed_forms->optimal_total_effort(economics) : std::nullopt;
}
[[nodiscard]] inline std::optional<double> optimal_rent(const Resource& resource, const Economics& economics) {
  const ResourceEconomics* closed_forms = resource.economics();
  return closed_forms != nullptr ? closed_forms->optimal_rent(economics) : std::nullopt;
}
/// The resource's reference points; empty when it has no closed forms.
[[nodiscard]] inline std::vector<ScalarData> reference_points(const Resource& resource, const Economics& economics) {
  const ResourceEconomics* closed_forms = resource.economics();
  return closed_forms != nullptr ? closed_forms->reference_points(economics) : std::vector<ScalarData>{};
}

}  // namespace commons::sim
