// SPDX-License-Identifier: Apache-2.0
// The regimes: named bundles of rules (docs/governance.md#regimes). Their parameters suit the

// bundled fishery; a scenario overrides any bundled rule by listing a rule of the same name, and
// adds rules by listing others.
#include <commons/models/registration.hpp>

#include <string>
#include <vector>

namespace commons::models {
namespace {

using Values = std::map<std::string, sim::ParameterValue, std::less<>>;

sim::ComponentSpec bundled(std::string rule, Values values = {}) {
  return {std::move(rule), sim::Parameters(std::move(values)), "/governance/regime"};
}

// Enforcement by the state: a quarter of the boats inspected each step, a fine of 50 per
// tonne over the limit, five times the bundled fishery's price, and 1 per inspection.
sim::ComponentSpec state_inspection(double probability) {
  return bundled("inspection",
                 {{"probability", probability}, {"fine_per_excess", 50.0}, {"cost_per_inspection", 1.0}});
}

// Ostrom's design principles as mechanisms: boundaries, a limit of the members' own making
// (their share of the optimum to start with), a vote on it every five steps, members watching
// each other for an hour a step, a ladder of sanctions from a warning to exclusion, and
// appeals.
std::vector<sim::ComponentSpec> community_rules() {
  return {bundled("membership"),
          bundled("appropriation_rule"),
          bundled("collective_choice", {{"interval", std::int64_t{5}}}),
          bundled("peer_monitoring", {{"hours", 1.0}, {"cost_per_hour", 1.0}, {"accuracy", 0.5}}),
          bundled("graduated_sanctions", {{"fines", std::vector<double>{0.0, 10.0, 20.0, 40.0}},
                                          {"exclusion_steps", std::int64_t{2}},
                                          {"forgive_after", std::int64_t{5}}}),
          bundled("conflict_resolution"),
          bundled("compliance")};
}

}  // namespace

COMMONS_REGISTER_MODELS(regimes) {
  registry.add_regime({"open_access", "no rules: anyone harvests as much as they like", {}});
  registry.add_regime({"state",
                       "the state sets a total allowable catch at the MSY and inspects",
                       {bundled("tac", {{"fraction_of_msy", 1.0}}), state_inspection(0.25), bundled("compliance")}});
  registry.add_regime({"private",
                       "individual transferable quotas, 90 % of the MSY in all, with state inspection",
                       {bundled("itq", {{"fraction_of_msy", 0.9}}), state_inspection(0.25), bundled("compliance")}});
  registry.add_regime({"local", "a community governs itself by Ostrom's design principles", community_rules()});
  std::vector<sim::ComponentSpec> co_management = community_rules();
  co_management.push_back(state_inspection(0.1));
  co_management.push_back(bundled("state_recognition", {{"state_fine", 20.0}}));
  // An hour of monitoring buys a twentieth of a boat-day: enough to reward the watchers,
  // too little to undo the limit they enforce.
  co_management.push_back(bundled("time_bank", {{"effort_per_credit", 0.05}}));
  registry.add_regime(
      {"co_management", "the community's rules, recognised and backed by the state", std::move(co_management)});
}

}  // namespace commons::models
