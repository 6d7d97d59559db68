// SPDX-License-Identifier: Apache-2.0
// The compliance rule (docs/governance.md#compliance): Becker's (1968) rational violator who
// breaks a limit exactly when the gain exceeds the expected fine plus the norm cost, full
// compliance, and crowding out of intrinsic motivation (Cardenas, Stranlund & Willis 2000).
// The fishery is chosen so that every payoff is exact in binary: K = X0 = 1024 and
// q = 2^-7 give a catch of 8 per unit of effort, worth 80 at price 10, and below the stock no
// catch is rationed, so gains and thresholds compare without rounding.

#include <commons/models/governance/compliance.hpp>
#include <commons/models/register_models.hpp>
#include <commons/models/resources/cpr_quadratic.hpp>
#include <commons/models/resources/fishery_logistic.hpp>
#include <commons/sim/governance_ledger.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/run.hpp>

#include <fishery_spec.hpp>
#include <governance_testing.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <utility>
#include <string>
#include <vector>

namespace commons::models {
namespace {

using testing::Boats;
using testing::exact_fishery;
using testing::Outcome;
using testing::rule;
using testing::run_all;
using testing::series;

sim::ScenarioSpec scenario(const std::vector<Boats>& boats, std::int64_t steps, std::vector<sim::RuleSpec> rules) {
  return testing::boats_scenario(boats, steps, std::move(rules));
}

/// Effort of each agent, row by row.
std::vector<double> efforts(const sim::AgentTable& agents) { return agents.effort; }

/// Sets a harvest limit on every agent in announce: a quota to test compliance against
/// harvest limits before the quota rules exist in this file's scope.
class TestQuota final : public sim::Rule {
 public:
  explicit TestQuota(double quota) : quota_(quota) {}
  std::span<const sim::Phase> phases() const override { return phases_; }
  void apply(sim::Phase, sim::RuleContext& context) override {
    context.ledger.will_write({sim::GovernanceLedger::Column::harvest_limit});
    for (double& limit : context.ledger.harvest_limit) limit = std::min(limit, quota_);
  }

 private:
  static constexpr sim::Phase phases_[] = {sim::Phase::announce};
  double quota_;
};

sim::Registry registry_with_quota() {
  sim::Registry registry = default_registry();
  registry.add_rule("test_quota", [](const sim::ComponentSpec& spec) {
    return std::make_unique<TestQuota>(spec.parameters.number("quota"));
  });
  return registry;
}

// Cap 1, intended effort 2: the breach gains (80 - c) x 1. Inspection with p = 1/2 and a fine
// of 100 per breach makes the expected fine 50: boats with c < 30 gain more and keep their
// effort; c = 30 gains exactly 50, not more, and complies.
TEST(Compliance, SelfishAgents_ViolateExactlyWhenGainExceedsExpectedFine) {
  const std::vector<Boats> boats{{3, 2.0, 20.0}, {3, 2.0, 29.5}, {3, 2.0, 30.0}, {3, 2.0, 30.5}, {3, 2.0, 40.0}};
  const sim::ScenarioSpec spec =
      scenario(boats, 1,
               {rule("effort_cap", {{"cap", 1.0}}),
                rule("inspection", {{"probability", 0.5}, {"fine_per_violation", 100.0}}), rule("compliance")});
  const Outcome out = run_all(spec);
  const std::vector<double> expected{2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_EQ(efforts(out.agents), expected);
  EXPECT_EQ(series(out.result, "intended_violations"), std::vector<double>{6.0});
  EXPECT_EQ(series(out.result, "violations"), std::vector<double>{6.0});
  EXPECT_EQ(series(out.result, "compliance"), std::vector<double>{9.0 / 15.0});
}

// Fines per unit of excess make bigger breaches dearer: p = 1/4, 40 per breach and 120 per
// unit of effort above the cap. Excess 1 expects 40, excess 2 expects 70.
TEST(Compliance, FinePerExcess_WeighsTheExcessTheBreachWouldCause) {
  const std::vector<Boats> boats{{1, 2.0, 30.0}, {1, 3.0, 30.0}, {1, 2.0, 40.0},
                                 {1, 3.0, 40.0}, {1, 2.0, 50.0}, {1, 3.0, 50.0}};
  const sim::ScenarioSpec spec =
      scenario(boats, 1,
               {rule("effort_cap", {{"cap", 1.0}}),
                rule("inspection", {{"probability", 0.25}, {"fine_per_violation", 40.0}, {"fine_per_excess", 120.0}}),
                rule("compliance")});
  const Outcome out = run_all(spec);
  // Gains: c = 30: 50 > 40, 100 > 70; c = 40: 40 = 40 (complies), 80 > 70; c = 50: 30, 60.
  EXPECT_EQ(efforts(out.agents), (std::vector<double>{2, 3, 1, 3, 1, 1}));
  EXPECT_EQ(series(out.result, "intended_violations"), std::vector<double>{3.0});
}

// A quota of 8 allows effort 1; intended effort 2 lands 16, 8 over. p = 1/2 and 10 per unit
// of excess harvest expect 40; the gain is 80 - c.
TEST(Compliance, HarvestLimit_ExcessInHarvestUnitsAndCompliantEffortExact) {
  const std::vector<Boats> boats{{2, 2.0, 39.5}, {2, 2.0, 40.5}};
  const sim::ScenarioSpec spec =
      scenario(boats, 1,
               {rule("test_quota", {{"quota", 8.0}}),
                rule("inspection", {{"probability", 0.5}, {"fine_per_excess", 10.0}}), rule("compliance")});
  const Outcome out = run_all(spec, registry_with_quota());
  EXPECT_EQ(efforts(out.agents), (std::vector<double>{2, 2, 1, 1}));
  EXPECT_EQ(out.agents.harvest, (std::vector<double>{16, 16, 8, 8}));
  EXPECT_EQ(out.ledger.excess_harvest, (std::vector<double>{8, 8, 0, 0}));
}

// A moral cost per breach raises the threshold: the norm 10 with full motivation makes it
// 50 + 10 = 60; half the motivation makes it 55.
TEST(Compliance, Norm_AddsToTheExpectedFine) {
  const std::vector<Boats> boats{{1, 2.0, 19.5}, {1, 2.0, 20.0}, {1, 2.0, 24.5}, {1, 2.0, 25.5}, {1, 2.0, 29.5}};
  const auto with = [&](double motivation) {
    return run_all(scenario(
        boats, 1,
        {rule("effort_cap", {{"cap", 1.0}}), rule("inspection", {{"probability", 0.5}, {"fine_per_violation", 100.0}}),
         rule("compliance", {{"norm", 10.0}, {"intrinsic_motivation", motivation}})}));
  };
  EXPECT_EQ(efforts(with(1.0).agents), (std::vector<double>{2, 1, 1, 1, 1}));
  EXPECT_EQ(efforts(with(0.5).agents), (std::vector<double>{2, 2, 2, 1, 1}));
  EXPECT_EQ(efforts(with(0.0).agents), (std::vector<double>{2, 2, 2, 2, 2}));
}

// Norm 40, fine 8 per breach, gains 27, 29, ..., 47. Without crowding out the threshold
// 8 d + 40 rises with detection d; with crowding out (k = 1) it is 8 d + 40 / (1 + d), which
// falls: 34, 30.67, 28.86 at d = 1/4, 1/2, 3/4. Stronger enforcement then lowers compliance.
TEST(Compliance, CrowdingOut_LowersComplianceAsDetectionRises) {
  std::vector<Boats> boats;
  for (double gain = 27.0; gain <= 47.0; gain += 2.0) boats.push_back({1, 2.0, 80.0 - gain});
  const auto violators = [&](double probability, double crowding_out) {
    const Outcome out =
        run_all(scenario(boats, 1,
                         {rule("effort_cap", {{"cap", 1.0}}),
                          rule("inspection", {{"probability", probability}, {"fine_per_violation", 8.0}}),
                          rule("compliance", {{"norm", 40.0}, {"crowding_out", crowding_out}})}));
    return series(out.result, "intended_violations").at(0);
  };
  EXPECT_EQ(violators(0.25, 0.0), 3.0);  // gains 43, 45, 47 exceed 42
  EXPECT_EQ(violators(0.50, 0.0), 2.0);
  EXPECT_EQ(violators(0.75, 0.0), 1.0);
  EXPECT_EQ(violators(0.25, 1.0), 7.0);  // gains 35..47 exceed 34
  EXPECT_EQ(violators(0.50, 1.0), 9.0);
  EXPECT_EQ(violators(0.75, 1.0), 10.0);
}

TEST(Compliance, CrowdingOut_OffByDefault) {
  std::vector<Boats> boats;
  for (double gain = 27.0; gain <= 47.0; gain += 2.0) boats.push_back({1, 2.0, 80.0 - gain});
  const auto run_with = [&](std::map<std::string, sim::ParameterValue, std::less<>> compliance) {
    return run_all(scenario(
        boats, 1,
        {rule("effort_cap", {{"cap", 1.0}}), rule("inspection", {{"probability", 0.5}, {"fine_per_violation", 8.0}}),
         rule("compliance", std::move(compliance))}));
  };
  EXPECT_EQ(efforts(run_with({{"norm", 40.0}}).agents),
            efforts(run_with({{"norm", 40.0}, {"crowding_out", 0.0}}).agents));
  EXPECT_EQ(Compliance::Parameters::from(sim::Parameters()).crowding_out, 0.0);
}

// Without enforcement or norms every profitable breach is taken; in full mode none is.
TEST(Compliance, FullMode_NoBreachWhateverTheGain) {
  const std::vector<Boats> boats{{4, 2.0, 10.0}, {4, 0.5, 10.0}};
  const auto run_mode = [&](const std::string& mode) {
    return run_all(scenario(boats, 3, {rule("effort_cap", {{"cap", 1.0}}), rule("compliance", {{"mode", mode}})}));
  };
  const Outcome rational = run_mode("rational");
  EXPECT_EQ(series(rational.result, "violations"), std::vector<double>(3, 4.0));
  const Outcome full = run_mode("full");
  EXPECT_EQ(series(full.result, "violations"), std::vector<double>(3, 0.0));
  EXPECT_EQ(series(full.result, "compliance"), std::vector<double>(3, 1.0));
  EXPECT_EQ(efforts(full.agents), (std::vector<double>{1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5}));
}

// Switched on at step 2 by a policy schedule: agents break the cap freely before, obey after;
// the rule's variable is NaN in the steps it sits out.
TEST(Compliance, SwitchedOnMidRun_ActsOnlyInItsSteps) {
  sim::RuleSpec obey = rule("compliance", {{"mode", std::string("full")}});
  obey.from = 2;
  const Outcome out = run_all(scenario({{4, 2.0, 10.0}}, 4, {rule("effort_cap", {{"cap", 1.0}}), obey}));
  EXPECT_EQ(series(out.result, "violations"), (std::vector<double>{4, 4, 0, 0}));
  EXPECT_EQ(series(out.result, "effort"), (std::vector<double>{8, 8, 4, 4}));
  const std::vector<double>& intended = series(out.result, "intended_violations");
  EXPECT_TRUE(std::isnan(intended[0]) && std::isnan(intended[1]));
  EXPECT_EQ(intended[2], 0.0);
}

// A quota that binds in full mode: effort is cut to the largest effort whose catch fits.
TEST(Compliance, FullMode_HarvestNeverAboveQuota) {
  const std::vector<Boats> boats{{5, 3.0, 10.0}, {5, 0.25, 10.0}};
  const sim::ScenarioSpec spec =
      scenario(boats, 1, {rule("test_quota", {{"quota", 5.0}}), rule("compliance", {{"mode", "full"}})});
  const Outcome out = run_all(spec, registry_with_quota());
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(out.agents.effort[i], 0.625) << i;
    EXPECT_EQ(out.agents.harvest[i], 5.0) << i;
  }
  for (std::size_t i = 5; i < 10; ++i) EXPECT_EQ(out.agents.harvest[i], 2.0) << i;
  EXPECT_EQ(series(out.result, "violations"), std::vector<double>{0.0});
}

// With rationing (total claims above the stock) harvest is no longer proportional to effort;
// the bisection still finds the largest effort within the quota, to neighbouring doubles.
TEST(Compliance, CompliantEffort_LargestEffortWithinTheQuotaUnderRationing) {
  FisheryLogistic::Parameters p;
  p.carrying_capacity = 1000.0;
  p.initial_stock = 1000.0;
  p.catchability = 0.01;
  const FisheryLogistic fishery(p);
  const double others = 150.0;  // q (e + others) > 1: every claim is rationed
  const double quota = 20.0;
  const double effort = Compliance::compliant_effort(fishery, 50.0, 1e9, quota, others);
  EXPECT_LE(fishery.harvest_if(effort, others), quota);
  EXPECT_GT(fishery.harvest_if(std::nextafter(effort, 1e9), others), quota);
  // Closed form: X e / (e + others) = quota.
  EXPECT_NEAR(effort, quota * others / (1000.0 - quota), 1e-12);
  EXPECT_EQ(Compliance::compliant_effort(fishery, 50.0, 3.0, quota, others), 3.0);
  EXPECT_EQ(Compliance::compliant_effort(fishery, 50.0, 1e9, std::numeric_limits<double>::infinity(), others), 50.0);
  EXPECT_EQ(Compliance::compliant_effort(fishery, 50.0, 1e9, 0.0, others), 0.0);
}

/// Draws `cases` random questions (a limit, the others' effort, the agent's intended effort and
/// effort limit) for `resource`, made by `make`, and checks the closed form against the search:
/// the same boundary of "harvest within the limit" (within it, and the next double past it,
/// unless it is no effort or the most allowed), and the same double wherever the question has one
/// answer: no effort or all of it allowed, or (`exact`) a harvest that is monotone to the last
/// bit. Elsewhere the harvest computed in doubles wavers by an ulp or two about the limit over
/// a run of neighbouring efforts (wide where the harvest is flat in own effort, rationed among
/// many or near the top of the parabola), the search stops anywhere in that run, and both
/// answers must harvest the limit to within rounding. Returns how many questions the closed
/// form answered itself, and how many gave the search's double.
template <class Make, class Draw, class Exact>
std::pair<int, int> expect_closed_form_matches_search(Make make, Draw draw, Exact exact, int cases) {
  std::mt19937_64 engine(20261205);
  int closed = 0;
  int same = 0;
  const auto bits = [](double x) { return std::bit_cast<std::uint64_t>(x); };
  for (int k = 0; k < cases; ++k) {
    const auto resource = make(engine);
    const auto [limit, others, intended, effort_limit] = draw(engine, resource);
    const double most = std::max(0.0, std::min(intended, effort_limit));
    if (resource.largest_effort_within(limit, others, most)) ++closed;
    const double fast = Compliance::compliant_effort(resource, intended, effort_limit, limit, others);
    const double search = Compliance::compliant_effort_by_search(resource, intended, effort_limit, limit, others);
    if (bits(fast) == bits(search)) ++same;
    SCOPED_TRACE(::testing::Message() << "case " << k << ": limit " << limit << ", others " << others << ", most "
                                      << most << ", closed form " << fast << ", search " << search);
    // No effort is the answer when even idle effort is not below the limit.
    if (fast > 0.0) {
      EXPECT_LE(resource.harvest_if(fast, others), limit);
    }
    if (fast > 0.0 && fast < most) {
      EXPECT_GT(resource.harvest_if(std::nextafter(fast, most), others), limit);
    }
    if (search == 0.0 || search == most || fast == 0.0 || fast == most || exact(resource, others, most)) {
      EXPECT_EQ(bits(fast), bits(search));
    } else {
      const double rounding = 8.0 * (std::nextafter(std::abs(limit), 1e308) - std::abs(limit));
      EXPECT_NEAR(resource.harvest_if(fast, others), resource.harvest_if(search, others), rounding);
    }
  }
  return {closed, same};
}

struct Question {
  double limit, others, intended, effort_limit;
};

// The fishery's inverse, h / (q X) below the stock and h Y / (X - h) under rationing, made
// exact by stepping doubles, answers like the bisection: to the last bit below the stock, to
// within the rounding of the harvest where the claims are rationed.
TEST(Compliance, ClosedForm_FisheryMatchesTheSearch) {
  const auto make = [](std::mt19937_64& engine) {
    FisheryLogistic::Parameters p;
    p.carrying_capacity = std::uniform_real_distribution<double>(1.0, 1e5)(engine);
    p.initial_stock = p.carrying_capacity * std::uniform_real_distribution<double>(0.01, 1.0)(engine);
    p.catchability = std::pow(10.0, std::uniform_real_distribution<double>(-5.0, -1.0)(engine));
    return FisheryLogistic(p);
  };
  const auto draw = [](std::mt19937_64& engine, const FisheryLogistic& fishery) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    // Efforts up to three times what takes the whole stock, so that a third of the cases ration.
    const double whole_stock = 1.0 / fishery.parameters().catchability;
    const double others = 3.0 * whole_stock * unit(engine);
    const double intended = 3.0 * whole_stock * unit(engine);
    const double limit = fishery.stock() * (unit(engine) < 0.05 ? 0.0 : unit(engine));
    const double effort_limit = unit(engine) < 0.2 ? intended * unit(engine) : 1e300;
    return Question{limit, others, intended, effort_limit};
  };
  // Claims below the stock everywhere in [0, most]: the harvest q X x is monotone in x.
  const auto unrationed = [](const FisheryLogistic& fishery, double others, double most) {
    return fishery.parameters().catchability * fishery.stock() * (most + others) <= fishery.stock();
  };
  const int cases = 20000;
  const auto [closed, same] = expect_closed_form_matches_search(make, draw, unrationed, cases);
  // The closed form answers, not the fallback, and mostly with the search's very double.
  EXPECT_GT(closed, cases * 99 / 100);
  EXPECT_GT(same, cases * 9 / 10);
}

// The CPR game's harvest x (a - b(x + Y)) rises and then falls; the smaller root of
// harvest = limit is where the search from 0 stops, including when the intended effort lies
// beyond the top of the parabola and when the limit is negative. The harvest is a product of
// rounded terms, so the answers agree to within its rounding.
TEST(Compliance, ClosedForm_CprQuadraticMatchesTheSearch) {
  const auto make = [](std::mt19937_64& engine) {
    CprQuadratic::Parameters p;
    p.production_linear = std::uniform_real_distribution<double>(1.0, 50.0)(engine);
    p.production_quadratic = std::pow(10.0, std::uniform_real_distribution<double>(-4.0, 0.0)(engine));
    p.endowment = 1e6;
    return CprQuadratic(p);
  };
  const auto draw = [](std::mt19937_64& engine, const CprQuadratic& cpr) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const CprQuadratic::Parameters& p = cpr.parameters();
    const double saturation = p.production_linear / p.production_quadratic;  // X where the output is back to 0
    const double others = saturation * unit(engine);
    const double marginal = p.production_linear - p.production_quadratic * others;
    const double peak = marginal * marginal / (4.0 * p.production_quadratic);
    const double limit = unit(engine) < 0.05 ? -peak * unit(engine) : 1.2 * peak * unit(engine);
    const double intended = saturation * unit(engine);
    const double effort_limit = unit(engine) < 0.2 ? intended * unit(engine) : 1e300;
    return Question{limit, others, intended, effort_limit};
  };
  const auto never = [](const CprQuadratic&, double, double) { return false; };
  const int cases = 20000;
  const auto [closed, same] = expect_closed_form_matches_search(make, draw, never, cases);
  EXPECT_GT(closed, cases * 99 / 100);
  EXPECT_GT(same, cases * 9 / 10);
}

/// A resource whose harvest sqrt(x) has no inverse offered: compliance must search it.
class SquareRootHarvest final : public sim::Resource {
 public:
  sim::Observation observe() const override { return {}; }
  double harvest(const sim::Actions&, std::span<double>, const sim::ExecutionPolicy&) override { return 0.0; }
  double harvest_if(double own, double) const override { return std::sqrt(own); }
  void grow() override {}
  double stock() const override { return 0.0; }
  double collapse_threshold() const override { return 0.0; }
  std::vector<sim::VariableInfo> variables() const override { return {}; }
  void sample(std::span<double>) const override {}
};

TEST(Compliance, NoClosedForm_CompliantEffortStillSearches) {
  const SquareRootHarvest resource;
  EXPECT_FALSE(resource.largest_effort_within(3.0, 0.0, 100.0).has_value());
  const double effort = Compliance::compliant_effort(resource, 100.0, 1e9, 3.0, 0.0);
  EXPECT_EQ(effort, Compliance::compliant_effort_by_search(resource, 100.0, 1e9, 3.0, 0.0));
  EXPECT_LE(std::sqrt(effort), 3.0);
  EXPECT_GT(std::sqrt(std::nextafter(effort, 1e9)), 3.0);
  EXPECT_NEAR(effort, 9.0, 1e-13);
}

// Per-agent norms drawn from a distribution: each agent weighs its own draw, the same in
// every run with the same seed.
TEST(Compliance, NormDistribution_EachAgentWeighsItsOwnDraw) {
  sim::Distribution two_kinds;
  two_kinds.kind = sim::Distribution::Kind::discrete;
  two_kinds.values = {0.0, 1000.0};
  two_kinds.weights = {1.0, 1.0};
  const sim::ScenarioSpec spec =
      scenario({{100, 2.0, 20.0}}, 1, {rule("effort_cap", {{"cap", 1.0}}), rule("compliance", {{"norm", two_kinds}})});
  const Outcome out = run_all(spec);
  const double kept = series(out.result, "intended_violations").at(0);
  // Only the shameless (norm 0) break the cap; about half of 100 agents are.
  EXPECT_GT(kept, 25.0);
  EXPECT_LT(kept, 75.0);
  EXPECT_EQ(efforts(run_all(spec).agents), efforts(out.agents));
}

TEST(Compliance, Parameters_ImpossibleValuesRefusedWithClearErrors) {
  const auto message = [](std::map<std::string, sim::ParameterValue, std::less<>> values) -> std::string {
    try {
      (void)Compliance::Parameters::from(sim::Parameters(std::move(values)));
    } catch (const sim::SpecError& error) {
      return error.what();
    }
    return "accepted";
  };
  EXPECT_EQ(message({{"mode", "lazy"}}), "compliance: mode must be one of \"rational\", \"full\"; got \"lazy\"");
  EXPECT_EQ(message({{"mode", 1.0}}), "compliance: mode must be a text");
  EXPECT_EQ(message({{"norm", -1.0}}), "compliance: norm must be at least 0, got -1");
  EXPECT_EQ(message({{"intrinsic_motivation", 1.5}}),
            "compliance: intrinsic_motivation must be between 0 and 1, got 1.5");
  EXPECT_EQ(message({{"crowding_out", -0.5}}), "compliance: crowding_out must be at least 0, got -0.5");
  EXPECT_EQ(message({{"crowding_out", std::numeric_limits<double>::quiet_NaN()}}),
            "compliance: crowding_out must be at least 0, got nan");
  EXPECT_EQ(message({{"crowding_out", "high"}}), "compliance: crowding_out must be a number");
  EXPECT_EQ(message({{"mode", "full"}, {"norm", 2.0}, {"intrinsic_motivation", 0.5}, {"crowding_out", 1.0}}),
            "accepted");
  // Built through the registry, the error names the rule's key in the scenario, for the loader.
  try {
    (void)default_registry().make_rules({"open_access", {rule("compliance", {{"norm", -1.0}})}});
    ADD_FAILURE() << "no exception";
  } catch (const sim::ComponentError& error) {
    EXPECT_STREQ(error.what(), "compliance: norm must be at least 0, got -1");
  }
}

// Every state rule and compliance together, heterogeneous agents (drawn norms and caps, a
// licence lottery, random inspections), more than one block of 4096 agents: the serial and the
// parallel executor agree bit for bit.
TEST(Compliance, AllStateRules_ParallelAndSerialAgreeBitForBit) {
  sim::Distribution norms;
  norms.kind = sim::Distribution::Kind::uniform;
  norms.first = 0.0;
  norms.second = 60.0;
  sim::Distribution caps;
  caps.kind = sim::Distribution::Kind::uniform;
  caps.first = 0.005;
  caps.second = 0.02;
  testing::FisheryParameters p;
  p.carrying_capacity = 1000.0;
  p.initial_stock = 1000.0;
  p.catchability = 0.01;
  sim::ScenarioSpec spec = testing::fishery_scenario(p, testing::fleet(0.01, 0.002), 6000, 12, 1, 11);
  spec.groups.push_back({"big", 3000, {{1.0, testing::fixed_effort(0.03)}}, 20.0});
  spec.governance.rules = {
      rule("licence", {{"licences", std::int64_t{7000}}, {"allocation", "random"}, {"fee", 0.01}}),
      rule("effort_cap", {{"cap", caps}}),
      rule("closed_season", {{"period", std::int64_t{5}}, {"closed", std::vector<double>{3.0}}}),
      rule(
          "inspection",
          {{"probability", 0.2}, {"fine_per_violation", 1.0}, {"fine_per_excess", 50.0}, {"cost_per_inspection", 0.5}}),
      rule("landing_tax", {{"rate", 0.1}, {"rebate", "equal"}}),
      rule("compliance", {{"norm", norms}, {"crowding_out", 2.0}}),
  };
  const Outcome parallel = run_all(spec, default_registry(), sim::ExecutionPolicy{true});
  const Outcome serial = run_all(spec, default_registry(), sim::ExecutionPolicy{false});
  EXPECT_EQ(testing::first_bit_difference(parallel.result, serial.result), "");
  EXPECT_EQ(parallel.agents.cumulative_income, serial.agents.cumulative_income);
  // The run exercised every mechanism.
  const auto total = [&](const std::string& name) {
    double sum = 0.0;
    for (double v : series(serial.result, name)) sum += v;
    return sum;
  };
  EXPECT_GT(total("intended_violations"), 0.0);
  EXPECT_GT(total("violations_detected"), 0.0);
  EXPECT_GT(total("fines"), 0.0);
  EXPECT_GT(total("tax_revenue"), 0.0);
  EXPECT_EQ(total("season_closed"), 2.0);
}

/// What compliance decided before it asked the resource's harvests a block at a time: the
/// same weighing, one agent and two harvest_if calls at a time. Returns the agents who chose to
/// break a limit; sets the others' effort to their compliant effort.
double compliance_one_agent_at_a_time(const sim::Resource& resource, sim::AgentTable& agents,
                                      const sim::GovernanceLedger& ledger, double price, double norm, bool full) {
  const auto over = [](double value, double limit) {
    return value > limit + 1e-12 * std::max(1.0, std::abs(limit)) ? value - limit : 0.0;
  };
  const sim::ExecutionPolicy serial{false};
  const double total = sim::sum_over_blocks(agents.size(), serial, [&](std::size_t first, std::size_t last) {
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i) sum += agents.effort[i];
    return sum;
  });
  return sim::sum_over_blocks(agents.size(), serial, [&](std::size_t first, std::size_t last) {
    double violators = 0.0;
    for (std::size_t i = first; i < last; ++i) {
      const double intended = agents.effort[i];
      const double others = total - intended;
      const double compliant =
          Compliance::compliant_effort(resource, intended, ledger.effort_limit[i], ledger.harvest_limit[i], others);
      if (intended <= compliant) continue;
      const double harvest = resource.harvest_if(intended, others);
      const double excess_effort = over(intended, ledger.effort_limit[i]);
      const double excess_harvest = over(harvest, ledger.harvest_limit[i]);
      const double breaches = (excess_effort > 0.0 ? 1.0 : 0.0) + (excess_harvest > 0.0 ? 1.0 : 0.0);
      if (breaches == 0.0) continue;
      if (full) {
        agents.effort[i] = compliant;
        continue;
      }
      const double cost = agents.cost_per_effort[i];
      const double gain =
          (price * harvest - cost * intended) - (price * resource.harvest_if(compliant, others) - cost * compliant);
      const double detection = ledger.detection_probability[i];
      const double penalty = detection * (ledger.fine_per_violation[i] * breaches +
                                          ledger.fine_per_excess[i] * (excess_effort + excess_harvest));
      if (gain > penalty + norm * breaches) {
        violators += 1.0;
      } else {
        agents.effort[i] = compliant;
      }
    }
    return violators;
  });
}

// Harvests asked a block at a time (Resource::harvest_if_each) decide as one agent at a time
// did, bit for bit: agents over three blocks, unbound and bound by effort or harvest limits,
// with the fishery below its stock and rationed, rational and full compliance.
TEST(Compliance, BatchedHarvests_EqualOneAgentAtATime) {
  const std::size_t n = 2 * sim::agent_block_size + 1000;
  for (const double mean_effort : {0.006, 0.03}) {  // totals of about 60 and 300 against 1/q = 100
    for (const bool full : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "mean effort " << mean_effort << (full ? ", full" : ", rational"));
      testing::FisheryStep world(n, 11);
      sim::AgentTable& agents = world.table;
      sim::GovernanceLedger& ledger = world.ledger;
      std::mt19937_64 draws(5);
      std::uniform_real_distribution<double> unit(0.0, 1.0);
      for (std::size_t i = 0; i < n; ++i) {
        agents.effort[i] = 2.0 * mean_effort * unit(draws);
        agents.cost_per_effort[i] = 20.0 * unit(draws);
        // A third unbound, a third capped in effort, a third held to a quota (every tenth both).
        if (i % 3 == 1 || i % 10 == 0) ledger.effort_limit[i] = 2.0 * mean_effort * unit(draws);
        if (i % 3 == 2 || i % 10 == 0) ledger.harvest_limit[i] = 10.0 * mean_effort * unit(draws);
        ledger.detection_probability[i] = unit(draws);
        ledger.fine_per_violation[i] = 0.5 * unit(draws);
        ledger.fine_per_excess[i] = 20.0 * unit(draws);
      }
      sim::AgentTable expected = agents;
      const std::vector<double> intended = agents.effort;
      const double norm = 0.05;
      const double expected_violators =
          compliance_one_agent_at_a_time(world.resource, expected, ledger, world.parameters.price, norm, full);

      Compliance compliance(Compliance::Parameters::from(
          sim::Parameters({{"mode", std::string(full ? "full" : "rational")}, {"norm", norm}})));
      sim::RuleContext context = world.context();
      compliance.apply(sim::Phase::comply, context);
      std::vector<double> sampled(1);
      compliance.sample(sampled);

      std::size_t complied = 0;
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(std::bit_cast<std::uint64_t>(agents.effort[i]), std::bit_cast<std::uint64_t>(expected.effort[i]))
            << "agent " << i;
        if (agents.effort[i] != intended[i]) ++complied;
      }
      EXPECT_EQ(sampled[0], expected_violators);
      EXPECT_GT(complied, n / 10) << "limits bind";
      if (!full) {
        EXPECT_GT(expected_violators, 0.0) << "some break them";
      }
    }
  }
}

}  // namespace
}  // namespace commons::models
