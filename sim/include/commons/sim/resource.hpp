// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The interface a resource model implements. State lives in dense arrays indexed by patch or
/// cell, never by agent; agents reach it only through batch calls.

#include <commons/sim/observation.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/run_result.hpp>
#include <commons/sim/spec.hpp>

#include <optional>
#include <span>
#include <vector>

namespace commons::sim {

class Resource {
 public:
  virtual ~Resource() = default;

  /// The resource at the start of the step as agents may see it (values and noise level).
  [[nodiscard]] virtual Observation observe() const = 0;

  /// Request then resolve: `effort[i]` is agent i's effort; writes agent i's harvest to
  /// `harvest[i]`, never more in total than the stock holds, and removes it from the stock.
  /// Returns the total harvest, summed in a fixed order.
  virtual double harvest(std::span<const double> effort, std::span<double> harvest,
                         const ExecutionPolicy& policy) = 0;

  /// Harvest an agent applying `own_effort` would take this step if the others applied
  /// `others_effort` in total, at the state the step started in and before observation noise.
  /// The payoff kernel behind best responses, foregone payoffs and social preferences.
  [[nodiscard]] virtual double harvest_if(double own_effort, double others_effort) const = 0;

  /// Total effort of all agents that maximises the group's rent, as the model defines its
  /// social optimum (docs/models.md); none when the model has no closed form.
  [[nodiscard]] virtual std::optional<double> optimal_total_effort(const Economics& economics) const = 0;

  /// Most effort one agent can apply in a step (an endowment of tokens); none when unbounded.
  [[nodiscard]] virtual std::optional<double> effort_limit() const { return std::nullopt; }

  /// The prices and costs of the run, given once before the first step, for resources that
  /// record economic variables of their own (a game's net yield).
  virtual void set_economics(const Economics& /*economics*/) {}

  /// Regrowth at the end of the step.
  virtual void grow() = 0;

  /// Current total stock [resource units].
  [[nodiscard]] virtual double stock() const = 0;

  /// Stock below which the resource counts as collapsed [resource units].
  [[nodiscard]] virtual double collapse_threshold() const = 0;

  /// Closed-form reference values at these prices and costs (MSY, MEY, open access...).
  [[nodiscard]] virtual std::vector<ScalarData> reference_points(const Economics& economics) const = 0;

  /// Rent per step sustained at the social optimum, when the model has a closed form; the
  /// benchmark for efficiency.
  [[nodiscard]] virtual std::optional<double> optimal_rent(const Economics& economics) const = 0;

  /// What "resource_unit", "effort_unit" and "money" mean for this resource: its stock in
  /// tonnes, its effort in boat-days. Symbolic (unknown) by default.
  [[nodiscard]] virtual UnitSystem units() const { return {}; }

  /// Variables the resource records each step, in the order `sample` writes them.
  [[nodiscard]] virtual std::vector<VariableInfo> variables() const = 0;
  virtual void sample(std::span<double> values) const = 0;
};

}  // namespace commons::sim
