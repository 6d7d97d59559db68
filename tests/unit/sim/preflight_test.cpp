// SPDX-License-Identifier: Apache-2.0
// What a run finds wrong before its first step is found without running, and named by the
// scenario key of the component concerned; what a plan costs in memory is estimated from the
// models' measured per-agent cost; units resolve to the resource's.
#include "toy_world.hpp"

#include <commons/sim/footprint.hpp>
#include <commons/sim/preflight.hpp>
#include <commons/sim/run.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace commons::sim {
namespace {

/// A rule that cannot work with more than `most` agents, as a rule whose shares are listed per
/// agent cannot work with another count.
class AtMost final : public Rule {
 public:
  explicit AtMost(std::size_t most) : most_(most) {}
  std::span<const Phase> phases() const override { return {}; }
  void apply(Phase, RuleContext&) override {}
  void check(const RuleCheck& world) const override {
    if (world.agent_count > most_)
      throw SpecError("at_most: " + std::to_string(world.agent_count) + " agents, more than " + std::to_string(most_));
  }

 private:
  std::size_t most_;
};

Registry checking_registry() {
  Registry registry = toy::registry();
  registry.add_rule("at_most", [](const ComponentSpec& spec) {
    return std::make_unique<AtMost>(static_cast<std::size_t>(spec.parameters.integer("most")));
  });
  // A behaviour that needs a cohort of at least `least` agents (as a decisions file names them).
  registry.add_behaviour(
      "needs_cohort",
      [](const ComponentSpec&, const GroupContext&) { return std::make_unique<toy::RandomEffort>(1.0); },
      [](const ComponentSpec& spec, const CohortCheck& cohort) {
        if (cohort.count < static_cast<std::size_t>(spec.parameters.integer("least")))
          throw ComponentError(spec.pointer + "/least", "cohort of " + std::to_string(cohort.count) + " agents");
      });
  return registry;
}

std::string preflight_error(const ScenarioSpec& spec, const Registry& registry, std::string* pointer = nullptr) {
  try {
    preflight(spec, registry);
  } catch (const ComponentError& error) {
    if (pointer != nullptr) *pointer = error.pointer();
    return error.what();
  }
  return "";
}

TEST(Preflight, ValidScenario_Passes) {
  EXPECT_NO_THROW(preflight(toy::scenario(10, 3, 2), checking_registry()));
}

TEST(Preflight, RuleThatCannotWorkInTheWorld_NamedByItsKey) {
  ScenarioSpec spec = toy::scenario(10, 3, 1);
  spec.governance.rules.push_back(
      {ComponentSpec{"at_most", Parameters({{"most", std::int64_t{8}}}), "/governance/rules/0"}});
  std::string pointer;
  EXPECT_EQ(preflight_error(spec, checking_registry(), &pointer), "at_most: 10 agents, more than 8");
  EXPECT_EQ(pointer, "/governance/rules/0");
}

TEST(Preflight, BehaviourCheck_SeesItsCohortAndNamesItsOwnKey) {
  ScenarioSpec spec = toy::scenario(10, 3, 1);
  spec.groups[1].behaviours = {{0.5, {"random_effort", Parameters({{"scale", 1.0}}), "/agents/1/mix/0/behaviour"}},
                               {0.5, {"needs_cohort", Parameters({{"least", std::int64_t{4}}}),
                                      "/agents/1/mix/1/behaviour"}}};
  std::string pointer;
  // Group b has 5 agents: its cohorts are 3 and 2 (largest remainder, ties to the first).
  EXPECT_EQ(preflight_error(spec, checking_registry(), &pointer), "cohort of 2 agents");
  EXPECT_EQ(pointer, "/agents/1/mix/1/behaviour/least");
}

TEST(Preflight, UnknownSeries_NamedAtOutput) {
  ScenarioSpec spec = toy::scenario(10, 3, 1);
  spec.output.series = {"no_such_series"};
  std::string pointer;
  EXPECT_EQ(preflight_error(spec, checking_registry(), &pointer),
            "series 'no_such_series' is not offered by resource 'pool'");
  EXPECT_EQ(pointer, "/output/series");
}

TEST(Preflight, EveryVariantIsChecked) {
  ScenarioSpec spec = toy::scenario(10, 3, 1);
  spec.variants = {spec, spec};
  spec.variants[0].variant = "fine";
  spec.variants[1].variant = "too_many";
  spec.variants[1].governance.rules.push_back(
      {ComponentSpec{"at_most", Parameters({{"most", std::int64_t{2}}}), "/compare/1/governance/rules/0"}});
  std::string pointer;
  EXPECT_EQ(preflight_error(spec, checking_registry(), &pointer), "at_most: 10 agents, more than 2");
  EXPECT_EQ(pointer, "/compare/1/governance/rules/0");
}

TEST(Footprint, GrowsWithAgentsThreadsNetworkAndOutput) {
  const Registry registry = toy::registry();
  ScenarioSpec spec = toy::scenario(100'000, 10, 4);
  spec.output.agents = false;
  const MemoryEstimate one = estimate_memory(spec, registry, 1, queue_capacity_for(spec, 1));
  EXPECT_EQ(one.runs_at_once, 1);
  // At least the agent table of 100 000 agents: eight columns of doubles, id and group (76 bytes
  // each; this ungoverned world has no governance ledger).
  EXPECT_GE(one.agents, 100'000u * 76u);
  EXPECT_EQ(one.network, 0u);
  EXPECT_EQ(one.agent_output, 0u);
  EXPECT_EQ(one.total, one.base + (one.world + one.network + one.result) +
                           static_cast<std::uint64_t>(one.results_waiting) * one.result);

  const MemoryEstimate two = estimate_memory(spec, registry, 2, queue_capacity_for(spec, 2));
  EXPECT_EQ(two.runs_at_once, 2);
  EXPECT_GT(two.total - two.base, one.total - one.base);

  ScenarioSpec twice = toy::scenario(200'000, 10, 4);
  twice.output.agents = false;
  const MemoryEstimate bigger = estimate_memory(twice, registry, 1, queue_capacity_for(twice, 1));
  EXPECT_GE(bigger.agents, one.agents + 100'000u * 76u);

  ScenarioSpec linked = spec;
  linked.network.generator = {"ring_lattice", Parameters({{"degree", std::int64_t{10}}}), "/network"};
  EXPECT_GT(estimate_memory(linked, registry, 1, 2).network, 100'000u * 5u * 8u);

  ScenarioSpec recorded = spec;
  recorded.output.agents = true;
  const MemoryEstimate with_output = estimate_memory(recorded, registry, 1, queue_capacity_for(recorded, 1));
  // effort, harvest, income: 10 steps x 100 000 agents x 8 bytes each.
  EXPECT_EQ(with_output.agent_output, 3u * 10u * 100'000u * 8u);
  EXPECT_GE(with_output.result, with_output.agent_output);
  // Large finished runs wait for the writer one at a time.
  EXPECT_EQ(queue_capacity_for(recorded, 2), 1);
  EXPECT_EQ(queue_capacity_for(spec, 2), 6);
}

TEST(Units, SymbolsResolveToTheResourcesUnitsAsWholeWords) {
  const UnitSystem fishery{"t", "day", "money"};
  EXPECT_EQ(fishery.resolve("resource_unit"), "t");
  EXPECT_EQ(fishery.resolve("effort_unit"), "day");
  EXPECT_EQ(fishery.resolve("money / resource_unit"), "money / t");
  EXPECT_EQ(fishery.resolve("money_per_credit"), "money_per_credit");
  EXPECT_EQ(fishery.resolve("1"), "1");
  EXPECT_EQ(UnitSystem{}.resolve("resource_unit"), "resource_unit");
}

/// The toy pool, measured in kilograms with effort in hours.
class KilogramPool final : public Resource, public ResourceEconomics {
 public:
  explicit KilogramPool(double inflow) : pool_(inflow) {}
  Observation observe() const override { return pool_.observe(); }
  double harvest(const Actions& actions, std::span<double> harvest, const ExecutionPolicy& policy) override {
    return pool_.harvest(actions, harvest, policy);
  }
  void grow() override { pool_.grow(); }
  double stock() const override { return pool_.stock(); }
  double collapse_threshold() const override { return pool_.collapse_threshold(); }
  const ResourceEconomics* economics() const override { return this; }
  std::vector<ScalarData> reference_points(const Economics& economics) const override {
    return pool_.reference_points(economics);
  }
  std::optional<double> optimal_rent(const Economics& economics) const override { return pool_.optimal_rent(economics); }
  double harvest_if(double own, double others) const override { return pool_.harvest_if(own, others); }
  std::optional<double> optimal_total_effort(const Economics& economics) const override {
    return pool_.optimal_total_effort(economics);
  }
  UnitSystem units() const override { return {"kg", "h", "money"}; }
  std::vector<VariableInfo> variables() const override { return pool_.variables(); }
  void sample(std::span<double> values) const override { pool_.sample(values); }

 private:
  toy::Pool pool_;
};

TEST(Units, RecordedVariablesCarryTheResourcesUnitsInTheLayoutAndTheResult) {
  Registry registry = toy::registry();
  registry.add_resource("pool_kg", [](const ComponentSpec& spec) {
    return std::make_unique<KilogramPool>(spec.parameters.number("inflow"));
  });
  ScenarioSpec spec = toy::scenario(10, 2, 1);
  spec.resource.model = "pool_kg";
  const RunLayout layout = describe_run(spec, registry);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  const RunResult result = run.take_result();
  const auto units_of = [](const auto& infos, const std::string& name) {
    for (const auto& info : infos) {
      if (info.name == name) return info.units;
    }
    return std::string("(absent)");
  };
  std::vector<VariableInfo> recorded;
  for (const SeriesData& series : result.series) recorded.push_back(series.info);
  EXPECT_EQ(units_of(layout.series, "stock"), "kg");
  EXPECT_EQ(units_of(layout.series, "harvest"), "kg");
  EXPECT_EQ(units_of(layout.series, "effort"), "h");
  EXPECT_EQ(units_of(layout.series, "rent"), "money");
  EXPECT_EQ(units_of(layout.summary, "final_stock"), "kg");
  EXPECT_EQ(units_of(layout.references, "inflow_stock"), "kg");
  EXPECT_EQ(units_of(layout.agent_variables, "effort"), "h");
  for (const VariableInfo& info : layout.series) EXPECT_EQ(units_of(recorded, info.name), info.units) << info.name;
  std::vector<VariableInfo> summary;
  for (const ScalarData& value : result.summary) summary.push_back(value.info);
  for (const VariableInfo& info : layout.summary) EXPECT_EQ(units_of(summary, info.name), info.units) << info.name;
  EXPECT_EQ(result.references.at(0).info.units, "kg");
  EXPECT_EQ(result.agents.at(0).info.units, "h");
}

}  // namespace
}  // namespace commons::sim
