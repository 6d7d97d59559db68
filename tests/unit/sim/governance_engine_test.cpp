// SPDX-License-Identifier: Apache-2.0
// What the engine does for governance rules, with toy rules: schedules switch rules on and
// off, limits lapse every step, fines, fees and transfers are settled into income, and the
// governance series and rules' own variables are recorded.
#include <commons/sim/governance_ledger.hpp>
#include <commons/sim/run.hpp>

#include "toy_world.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>

namespace commons::sim {
namespace {

/// Caps every agent's effort at `cap` in announce and enforces it in comply; records the cap.
class ToyCap final : public Rule {
 public:
  explicit ToyCap(double cap) : cap_(cap) {}
  std::span<const Phase> phases() const override { return phases_; }
  void apply(Phase phase, RuleContext& context) override {
    AgentTable& agents = context.agents;
    GovernanceLedger& ledger = context.ledger;
    if (phase == Phase::announce) {
      ledger.will_write({GovernanceLedger::Column::effort_limit});
      std::ranges::fill(ledger.effort_limit, cap_);
    }
    if (phase == Phase::comply)
      for (std::size_t i = 0; i < agents.size(); ++i) agents.effort[i] = std::min(agents.effort[i], ledger.effort_limit[i]);
    applied_ = true;
  }
  std::vector<VariableInfo> variables() const override { return {{"toy_cap", "effort_unit", "the cap in force"}}; }
  std::vector<int> design_principles() const override { return {2}; }
  void sample(std::span<double> values) const override { values[0] = applied_ ? cap_ : 0.0; }

 private:
  static constexpr Phase phases_[] = {Phase::announce, Phase::comply};
  double cap_;
  bool applied_ = false;
};

/// Books one breach, a fine, a fee and a transfer on every agent in the sanction phase.
class ToyFine final : public Rule {
 public:
  std::span<const Phase> phases() const override { return phases_; }
  void apply(Phase, RuleContext& context) override {
    const AgentTable& agents = context.agents;
    GovernanceLedger& ledger = context.ledger;
    using Column = GovernanceLedger::Column;
    ledger.will_write({Column::violations, Column::detected, Column::fine, Column::fee, Column::transfer});
    for (std::size_t i = 0; i < agents.size(); ++i) {
      ledger.violations[i] += 1.0;
      ledger.detected[i] += agents.id[i] % 2 == 0 ? 1.0 : 0.0;
      ledger.fine[i] += 0.25;
      ledger.fee[i] += 0.125;
      ledger.transfer[i] += 0.5;
    }
  }

 private:
  static constexpr Phase phases_[] = {Phase::sanction};
};

/// Costs `cost` per step to run, split over two cost variables, and records one variable that
/// is not a cost; NaN in steps it is out of force (as the bundled rules record).
class ToyCostly final : public Rule {
 public:
  explicit ToyCostly(double cost) : cost_(cost) {}
  std::span<const Phase> phases() const override { return phases_; }
  void apply(Phase, RuleContext&) override { applied_ = true; }
  std::vector<VariableInfo> variables() const override {
    return {{"toy_patrols", "money", "cost of patrols", true},
            {"toy_revenue", "money", "money raised: not a cost"},
            {"toy_hours", "money", "cost of hours", true}};
  }
  void sample(std::span<double> values) const override {
    const double none = std::numeric_limits<double>::quiet_NaN();
    values[0] = applied_ ? 0.75 * cost_ : none;
    values[1] = applied_ ? 100.0 : none;
    values[2] = applied_ ? 0.25 * cost_ : none;
    applied_ = false;
  }

 private:
  static constexpr Phase phases_[] = {Phase::monitor};
  double cost_;
  mutable bool applied_ = false;
};

Registry governed_registry() {
  Registry r = toy::registry();
  r.add_rule("toy_cap", [](const ComponentSpec& spec) { return std::make_unique<ToyCap>(spec.parameters.number("cap")); });
  r.add_rule("toy_fine", [](const ComponentSpec&) { return std::make_unique<ToyFine>(); });
  r.add_rule("toy_costly", [](const ComponentSpec& spec) {
    return std::make_unique<ToyCostly>(spec.parameters.number("cost"));
  });
  r.add_rule("toy_costly_too", [](const ComponentSpec& spec) {
    return std::make_unique<ToyCostly>(spec.parameters.number("cost"));
  });
  return r;
}

const std::vector<double>& series(const RunResult& result, const std::string& name) {
  for (const SeriesData& s : result.series)
    if (s.info.name == name) return s.values;
  throw std::out_of_range(name);
}

RunResult run_all(const ScenarioSpec& spec, const Registry& registry, AgentTable* final_agents = nullptr,
                  GovernanceLedger* final_ledger = nullptr) {
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  if (final_agents != nullptr) *final_agents = run.agents();
  if (final_ledger != nullptr && run.ledger() != nullptr) *final_ledger = *run.ledger();
  return run.take_result();
}

TEST(GovernanceEngine, CapInForce_EffortWithinLimitAndRuleVariableRecorded) {
  const Registry registry = governed_registry();
  ScenarioSpec spec = toy::scenario(10, 5, 1);
  spec.governance.rules = {RuleSpec{{"toy_cap", Parameters({{"cap", 0.1}}), ""}}};
  AgentTable agents;
  const RunResult result = run_all(spec, registry, &agents);
  EXPECT_TRUE(std::ranges::all_of(agents.effort, [](double e) { return e <= 0.1; }));
  EXPECT_EQ(series(result, "toy_cap"), std::vector<double>(5, 0.1));
  EXPECT_EQ(series(result, "compliance"), std::vector<double>(5, 1.0));
  EXPECT_EQ(series(result, "fines"), std::vector<double>(5, 0.0));
}

TEST(GovernanceEngine, Schedule_RuleActsOnlyInItsSteps) {
  const Registry registry = governed_registry();
  ScenarioSpec spec = toy::scenario(10, 6, 1);
  spec.governance.rules = {RuleSpec{{"toy_fine", {}, ""}, 2, 4}};
  const RunResult result = run_all(spec, registry);
  EXPECT_EQ(series(result, "fines"), (std::vector<double>{0, 0, 2.5, 2.5, 0, 0}));
  EXPECT_EQ(series(result, "violations"), (std::vector<double>{0, 0, 10, 10, 0, 0}));
  EXPECT_EQ(series(result, "violations_detected"), (std::vector<double>{0, 0, 5, 5, 0, 0}));
  EXPECT_EQ(series(result, "compliance"), (std::vector<double>{1, 1, 0, 0, 1, 1}));
}

TEST(GovernanceEngine, LimitsLapseWhenTheRuleLeavesForce) {
  const Registry registry = governed_registry();
  ScenarioSpec spec = toy::scenario(10, 3, 1);
  spec.governance.rules = {RuleSpec{{"toy_cap", Parameters({{"cap", 0.1}}), ""}, 0, 1}};
  AgentTable agents;
  GovernanceLedger ledger;
  (void)run_all(spec, registry, &agents, &ledger);
  ASSERT_EQ(ledger.size(), agents.size());
  EXPECT_TRUE(std::ranges::all_of(ledger.effort_limit, [](double l) { return std::isinf(l); }));
  EXPECT_TRUE(std::ranges::any_of(agents.effort, [](double e) { return e > 0.1; }));
}

TEST(GovernanceEngine, Settle_IncomeIsRentLessFinesAndFeesPlusTransfers) {
  const Registry registry = governed_registry();
  ScenarioSpec spec = toy::scenario(10, 1, 1);
  const RunResult plain = run_all(spec, registry);
  spec.governance.rules = {RuleSpec{{"toy_fine", {}, ""}}};
  AgentTable agents;
  const RunResult fined = run_all(spec, registry, &agents);
  // The resource rent is untouched; each agent's income moves by 0.5 - 0.25 - 0.125.
  EXPECT_EQ(series(fined, "rent"), series(plain, "rent"));
  EXPECT_EQ(series(fined, "fees"), std::vector<double>{1.25});
  EXPECT_EQ(series(fined, "transfers"), std::vector<double>{5.0});
  AgentTable ungoverned;
  spec.governance.rules.clear();
  (void)run_all(spec, registry, &ungoverned);
  for (std::size_t i = 0; i < agents.size(); ++i)
    EXPECT_DOUBLE_EQ(agents.income[i], ungoverned.income[i] + 0.125) << i;
}

/// Announces a limit but leaves compliance to nobody: every effort above it is a breach.
class ToyLimitOnly final : public Rule {
 public:
  std::span<const Phase> phases() const override { return phases_; }
  void apply(Phase, RuleContext& context) override {
    context.ledger.will_write({GovernanceLedger::Column::effort_limit, GovernanceLedger::Column::harvest_limit});
    std::ranges::fill(context.ledger.effort_limit, 0.5);
    std::ranges::fill(context.ledger.harvest_limit, 1e9);
  }

 private:
  static constexpr Phase phases_[] = {Phase::announce};
};

TEST(GovernanceEngine, LimitWithoutCompliance_EngineCountsEachBreachAndItsExcess) {
  Registry registry = governed_registry();
  registry.add_rule("toy_limit", [](const ComponentSpec&) { return std::make_unique<ToyLimitOnly>(); });
  ScenarioSpec spec = toy::scenario(200, 1, 1);
  spec.governance.rules = {RuleSpec{{"toy_limit", {}, ""}}};
  AgentTable agents;
  GovernanceLedger ledger;
  const RunResult result = run_all(spec, registry, &agents, &ledger);
  ASSERT_EQ(ledger.size(), agents.size());
  double breaches = 0.0;
  for (std::size_t i = 0; i < agents.size(); ++i) {
    EXPECT_EQ(ledger.excess_effort[i], std::max(0.0, agents.effort[i] - 0.5)) << i;
    EXPECT_EQ(ledger.excess_harvest[i], 0.0);
    breaches += agents.effort[i] > 0.5 ? 1.0 : 0.0;
  }
  EXPECT_GT(breaches, 0.0);
  EXPECT_EQ(series(result, "violations"), std::vector<double>{breaches});
  EXPECT_EQ(series(result, "compliance"), std::vector<double>{1.0 - breaches / 200.0});
}

/// Fishes the effort limit the rules announced to it, or 1 where it was told of none.
class ToTheLimit final : public Behaviour {
 public:
  void decide(const StepContext&, AgentSpan agents) override {
    const std::optional<std::span<const double>> limit = agents.effort_limit();
    if (limit.has_value() != agents.harvest_limit().has_value()) throw std::logic_error("one limit view without the other");
    const std::span<double> effort = agents.effort();
    for (std::size_t i = 0; i < effort.size(); ++i) effort[i] = limit && std::isfinite((*limit)[i]) ? (*limit)[i] : 1.0;
  }
  void learn(const StepContext&, AgentSpan) override {}
};

TEST(GovernanceEngine, Behaviours_SeeTheAnnouncedLimitsOnlyInAGovernedRun) {
  Registry registry = governed_registry();
  registry.add_behaviour("to_the_limit",
                         [](const ComponentSpec&, const GroupContext&) { return std::make_unique<ToTheLimit>(); });
  ScenarioSpec spec = toy::scenario(6, 2, 1);
  for (GroupSpec& group : spec.groups) group.behaviours = {{1.0, {"to_the_limit", {}, ""}}};
  AgentTable agents;
  (void)run_all(spec, registry, &agents);
  EXPECT_EQ(agents.effort, std::vector<double>(6, 1.0));
  // Rules announce before behaviours decide: the cap of this very step is what they see.
  spec.governance.rules = {RuleSpec{{"toy_cap", Parameters({{"cap", 0.25}}), ""}}};
  (void)run_all(spec, registry, &agents);
  EXPECT_EQ(agents.effort, std::vector<double>(6, 0.25));
}

double summary(const RunResult& result, const std::string& name) {
  for (const ScalarData& s : result.summary)
    if (s.info.name == name) return s.value;
  throw std::out_of_range(name);
}

TEST(GovernanceEngine, DesignPrinciples_RecordedWhenARuleRealisingThemWasInForce) {
  const Registry registry = governed_registry();
  ScenarioSpec spec = toy::scenario(10, 5, 1);
  spec.governance.rules = {RuleSpec{{"toy_cap", Parameters({{"cap", 0.1}}), ""}, 3, 100}};
  const RunResult result = run_all(spec, registry);
  EXPECT_EQ(summary(result, "design_principle_2_congruence"), 1.0);
  EXPECT_EQ(summary(result, "design_principle_4_monitoring"), 0.0);
  spec.governance.rules[0].from = 5;  // scheduled after the last step: never in force
  EXPECT_EQ(summary(run_all(spec, registry), "design_principle_2_congruence"), 0.0);
}

TEST(GovernanceEngine, Ungoverned_NoLedgerNoGovernanceSeriesNoCostAndNoCompliance) {
  const Registry registry = governed_registry();
  const ScenarioSpec spec = toy::scenario(4, 2, 1);
  sim::Run run(spec, registry, RunTask{0, 0, spec.seed, {}});
  while (!run.done()) run.step();
  EXPECT_EQ(run.ledger(), nullptr);
  const RunResult result = run.take_result();
  EXPECT_TRUE(std::ranges::none_of(result.series, [](const SeriesData& s) {
    return s.info.name == "compliance" || s.info.name == "governance_cost";
  }));
  EXPECT_TRUE(std::isnan(summary(result, "mean_compliance")));
  EXPECT_EQ(summary(result, "total_governance_cost"), 0.0);
}

TEST(GovernanceEngine, GovernanceCost_SumsTheRulesCostVariablesInForce) {
  const Registry registry = governed_registry();
  ScenarioSpec spec = toy::scenario(10, 6, 1);
  // Two costly rules, one in force in steps [1, 4), the other from step 3; a fine in step 2.
  spec.governance.rules = {RuleSpec{{"toy_costly", Parameters({{"cost", 8.0}}), ""}, 1, 4},
                           RuleSpec{{"toy_costly_too", Parameters({{"cost", 2.0}}), ""}, 3, 100},
                           RuleSpec{{"toy_fine", {}, ""}, 2, 3}};
  // Costs count whether or not their variables are recorded.
  spec.output.series = {"governance_cost"};
  const RunResult result = run_all(spec, registry);
  ASSERT_EQ(result.series.size(), 1u);
  EXPECT_EQ(series(result, "governance_cost"), (std::vector<double>{0, 8, 8, 10, 2, 2}));
  EXPECT_EQ(summary(result, "total_governance_cost"), 30.0);
  // Every agent breaks a rule in step 2 only: compliance 1 1 0 1 1 1.
  EXPECT_DOUBLE_EQ(summary(result, "mean_compliance"), 5.0 / 6.0);
}

}  // namespace
}  // namespace commons::sim
