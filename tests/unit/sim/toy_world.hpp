// SPDX-License-Identifier: Apache-2.0
#pragma once
// A small world built only from the engine's interfaces, so engine tests need no model
// library: a pool that regrows by a fixed amount, agents that draw random effort, and a rule
// that logs the phases it sees.

#include <commons/sim/registry.hpp>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

namespace commons::sim::toy {

/// A pool refilled by `inflow` each step; harvest is effort x 1, rationed in proportion.
class Pool final : public Resource, public ResourceEconomics {
 public:
  explicit Pool(double inflow) : stock_(inflow), inflow_(inflow) {}
  Observation observe() const override { return {stock_, 1.0, 0.0, nullptr, 0}; }
  double harvest(const Actions& actions, std::span<double> harvest, const ExecutionPolicy& policy) override {
    const std::span<const double> effort = actions.effort;
    start_ = stock_;
    double total = sum_over_blocks(effort.size(), policy, [&](std::size_t first, std::size_t last) {
      double sum = 0.0;
      for (std::size_t i = first; i < last; ++i) sum += harvest[i] = effort[i];
      return sum;
    });
    if (total > stock_) {
      const double scale = stock_ / total;
      for (double& h : harvest) h *= scale;
      total = stock_;
    }
    stock_ -= total;
    return total;
  }
  void grow() override { stock_ += inflow_; }
  double stock() const override { return stock_; }
  double collapse_threshold() const override { return 0.5; }
  const ResourceEconomics* economics() const override { return this; }
  std::vector<ScalarData> reference_points(const Economics&) const override {
    return {{{"inflow_stock", "resource_unit", "inflow"}, inflow_}};
  }
  std::optional<double> optimal_rent(const Economics& economics) const override { return economics.price * inflow_; }
  double harvest_if(double own, double others) const override {
    return own + others > stock_ ? stock_ * own / (own + others) : own;
  }
  std::optional<double> optimal_total_effort(const Economics&) const override { return inflow_; }
  std::vector<VariableInfo> variables() const override { return {{"stock", "resource_unit", "stock at step start"}}; }
  void sample(std::span<double> values) const override { values[0] = start_; }

 private:
  double stock_;
  double start_ = 0.0;
  double inflow_;
};

/// Draws each agent's effort uniformly in [0, scale) from the run's stream.
class RandomEffort final : public Behaviour {
 public:
  explicit RandomEffort(double scale) : scale_(scale) {}
  void decide(const StepContext& context, AgentSpan agents) override {
    for (std::size_t i = agents.first; i < agents.last; ++i)
      agents.table->effort[i] = scale_ * context.random.uniform(static_cast<std::uint64_t>(context.step),
                                                                agents.table->id[i], Purpose::decide);
  }
  void learn(const StepContext&, AgentSpan) override {}

 private:
  double scale_;
};

/// Appends the name of every phase it is applied in to a shared log.
class PhaseLog final : public Rule {
 public:
  explicit PhaseLog(std::vector<std::string>* log) : log_(log) {}
  std::span<const Phase> phases() const override { return step_phases; }
  void apply(Phase phase, RuleContext&) override { log_->emplace_back(phase_name(phase)); }

 private:
  std::vector<std::string>* log_;
};

inline Registry registry(std::vector<std::string>* phase_log = nullptr) {
  Registry r;
  r.add_resource("pool", [](const ComponentSpec& spec) {
    return std::make_unique<Pool>(spec.parameters.number("inflow"));
  });
  r.add_behaviour("random_effort", [](const ComponentSpec& spec, const GroupContext&) {
    return std::make_unique<RandomEffort>(spec.parameters.number("scale"));
  });
  r.add_rule("phase_log", [phase_log](const ComponentSpec&) { return std::make_unique<PhaseLog>(phase_log); });
  r.add_rule("second_log", [phase_log](const ComponentSpec&) { return std::make_unique<PhaseLog>(phase_log); });
  r.add_regime("open_access", {});
  r.add_regime("logged", {ComponentSpec{"phase_log", {}, ""}});
  return r;
}

inline ScenarioSpec scenario(std::int64_t agents, std::int64_t steps, std::int64_t replicates) {
  ScenarioSpec spec;
  spec.name = "toy";
  spec.resource = {"pool", Parameters({{"inflow", 0.4 * static_cast<double>(agents)}}), "/resource"};
  spec.economics = {2.0, 0.5, 0.01};
  spec.groups.push_back({"a", agents / 2, {{1.0, {"random_effort", Parameters({{"scale", 1.0}}), ""}}}, 0.5});
  spec.groups.push_back({"b", agents - agents / 2, {{1.0, {"random_effort", Parameters({{"scale", 2.0}}), ""}}}, 0.25});
  spec.steps = steps;
  spec.replicates = replicates;
  spec.seed = 99;
  spec.output.agents = true;
  return spec;
}

}  // namespace commons::sim::toy
