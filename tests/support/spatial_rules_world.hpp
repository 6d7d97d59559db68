// SPDX-License-Identifier: Apache-2.0
#pragma once
// A spatial world for testing the spatial rules: the engine's toy pools (tests/unit/sim/
// spatial_world.hpp) with every model of the library, and boats posted at sites they never
// leave, so that who works where is known before the run.

#include <commons/models/register_models.hpp>

#include <governance_testing.hpp>

#include "../unit/sim/spatial_world.hpp"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace commons::testing {

/// The agent with id k works site sites[k mod sites.size()] with `effort` in every step.
class Posted final : public sim::Behaviour {
 public:
  Posted(std::vector<double> sites, double effort) : sites_(std::move(sites)), effort_(effort) {}
  void decide(const sim::StepContext&, sim::AgentSpan agents) override {
    const std::span<const std::uint64_t> ids = agents.id();
    const std::span<std::uint32_t> site = agents.site();
    const std::span<double> effort = agents.effort();
    for (std::size_t k = 0; k < agents.size(); ++k) {
      site[k] = static_cast<std::uint32_t>(sites_[ids[k] % sites_.size()]);
      effort[k] = effort_;
    }
  }
  void learn(const sim::StepContext&, sim::AgentSpan) override {}

 private:
  std::vector<double> sites_;
  double effort_;
};

/// Every model of the library, plus `patches` (toy::Patches on a grid of `rows` x `columns`,
/// or with rows 0 a ring of `columns` sites, refilled by `inflow`) and `posted` (Posted, with
/// `sites` and `effort`).
inline sim::Registry spatial_rules_registry() {
  sim::Registry registry;
  models::register_models(registry);
  registry.add_resource("patches", [](const sim::ComponentSpec& spec) {
    const auto rows = static_cast<std::size_t>(spec.parameters.number("rows"));
    const auto columns = static_cast<std::size_t>(spec.parameters.number("columns"));
    sim::SiteLayout layout =
        rows > 0 ? sim::SiteLayout::grid(rows, columns) : sim::toy::ring(static_cast<std::uint32_t>(columns));
    return std::make_unique<sim::toy::Patches>(std::move(layout), spec.parameters.number("inflow"));
  });
  registry.add_behaviour("posted", [](const sim::ComponentSpec& spec, const sim::GroupContext&) {
    return std::make_unique<Posted>(spec.parameters.numbers("sites"), spec.parameters.number("effort"));
  });
  return registry;
}

/// A group of `count` boats posted at `sites` (by id, as Posted does), each working `effort`.
struct Posting {
  std::int64_t count = 1;
  std::vector<double> sites{0.0};
  double effort = 1.0;
};

/// Pools on a grid of rows x columns (rows 0: a ring), one group per posting, and `rules`.
/// Each pool starts with `inflow` and regains it every step; an agent lands its effort unless
/// the pool runs short, so price 1 and cost 0 make income equal to the catch.
inline sim::ScenarioSpec posted_scenario(double rows, double columns, double inflow,
                                         const std::vector<Posting>& postings, std::int64_t steps,
                                         std::vector<sim::RuleSpec> rules, std::uint64_t seed = 11) {
  sim::ScenarioSpec spec;
  spec.name = "posted";
  spec.resource = {"patches", sim::Parameters({{"rows", rows}, {"columns", columns}, {"inflow", inflow}}),
                   "/resource"};
  spec.economics = {1.0, 0.0, 0.0};
  for (std::size_t g = 0; g < postings.size(); ++g) {
    const Posting& post = postings[g];
    spec.groups.push_back({"posted_" + std::to_string(g),
                           post.count,
                           {{1.0, {"posted", sim::Parameters({{"sites", post.sites}, {"effort", post.effort}}), ""}}},
                           0.0});
  }
  spec.steps = steps;
  spec.replicates = 1;
  spec.seed = seed;
  spec.governance.rules = std::move(rules);
  return spec;
}

}  // namespace commons::testing
