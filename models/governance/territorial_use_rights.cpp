// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/territorial_use_rights.hpp>

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/models/governance/common_parameters.hpp>
#include <commons/models/registration.hpp>

#include "site_rules.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>

namespace commons::models {

namespace {

constexpr std::string_view rule_name = "territorial_use_rights";

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "territorial_use_rights",
      .summary =
          "Territorial use rights (TURFs): each site of a spatial resource is held by a group or an agent, and only "
          "its holder may fish it; by default the sites are split into equal contiguous blocks in site order, one "
          "per holder. Holders detect an intruder with detection_probability, and the enforcement rules sanction it.",
      .parameters = {{.name = "holder",
                      .type = sim::ParameterType::choice,
                      .meaning = "Who holds the territories: the groups of the scenario, or each agent",
                      .default_value = std::string("group"),
                      .choices = {"group", "agent"}},
                     {.name = "territories",
                      .type = sim::ParameterType::integers,
                      .meaning = "The holder of each site, by site index: a group (in scenario order) or an agent "
                                 "(in agent order), counted from 0, or -1 for a site no one holds; every holder "
                                 "holds at least one site",
                      .unit = "1",
                      .note = "default: the sites in equal contiguous blocks, the first holders one site more when "
                              "they do not divide evenly",
                      .minimum = sim::Bound{-1.0},
                      .min_items = 1,
                      .max_items = 10000000},
                     site_detection_parameter("Chance that the holders detect an intruder in a step")},
      .variables = {{"territory_intrusions", "1",
                     "agents who worked a site held by others in the step (territorial_use_rights rule)"},
                    {"territory_intrusions_detected", "1",
                     "of those, the ones the holders detected (territorial_use_rights rule)"}},
      .order = {.phases = {sim::Phase::announce, sim::Phase::monitor}},
      .design_principles = {1, 4}};
  return described;
}

[[noreturn]] void refuse(const std::string& what) { throw sim::SpecError(std::string(rule_name) + ": " + what); }

void check_covers(const std::vector<std::int64_t>& territories, std::size_t sites) {
  if (!territories.empty() && territories.size() != sites)
    refuse("territories names the holders of " + std::to_string(territories.size()) +
           " sites but the resource has " + std::to_string(sites));
}

}  // namespace

TerritorialUseRights::Parameters TerritorialUseRights::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  constexpr std::array<std::string_view, 2> holders{"group", "agent"};
  p.holder = detail::checked_choice(values, rule_name, "holder", "group", holders) == "agent" ? Holder::agent
                                                                                             : Holder::group;
  if (values.contains("territories")) {
    std::vector<double> listed;
    try {
      listed = values.numbers("territories");
    } catch (const sim::SpecError&) {
      refuse("territories must be a list of whole numbers");
    }
    if (listed.empty()) refuse("territories must name the holder of at least one site");
    for (const double holder : listed) {
      if (!(holder >= -1.0 && holder < 4294967295.0 && holder == std::floor(holder)))
        refuse("territories must hold whole numbers at least -1 (no holder), got " + detail::number_text(holder));
      p.territories.push_back(static_cast<std::int64_t>(holder));
    }
  }
  p.detection_probability = detail::checked_number(values, rule_name, "detection_probability", 0.0, 0.0, 1.0);
  return p;
}

TerritorialUseRights::TerritorialUseRights(Parameters parameters) : parameters_(std::move(parameters)) {}

std::vector<std::uint32_t> TerritorialUseRights::holder_of_sites(std::size_t sites, std::size_t holders) const {
  const std::string noun = parameters_.holder == Parameters::Holder::group ? "group" : "agent";
  const std::string counted = std::to_string(holders) + " " + noun + (holders == 1 ? "" : "s");
  std::vector<std::uint32_t> holder(sites, unheld);
  const std::vector<std::int64_t>& given = parameters_.territories;
  if (given.empty()) {
    if (holders > sites)
      refuse("the resource's " + std::to_string(sites) + " sites cannot be split among " + counted +
             ": each holder needs at least one site");
    const std::size_t quotient = sites / holders;
    const std::size_t remainder = sites % holders;
    for (std::size_t h = 0; h < holders; ++h) {
      const std::size_t first = h * quotient + std::min(h, remainder);
      const std::size_t last = (h + 1) * quotient + std::min(h + 1, remainder);
      std::fill(holder.begin() + static_cast<std::ptrdiff_t>(first), holder.begin() + static_cast<std::ptrdiff_t>(last),
                static_cast<std::uint32_t>(h));
    }
    return holder;
  }
  check_covers(given, sites);
  std::vector<bool> holds(holders, false);
  for (std::size_t s = 0; s < sites; ++s) {
    if (given[s] < 0) continue;
    if (static_cast<std::size_t>(given[s]) >= holders)
      refuse("territories gives site " + std::to_string(s) + " to " + noun + " " + std::to_string(given[s]) +
             " but the run has " + counted + " (0 to " + std::to_string(holders - 1) + ")");
    holder[s] = static_cast<std::uint32_t>(given[s]);
    holds[holder[s]] = true;
  }
  if (const auto idle = std::ranges::find(holds, false); idle != holds.end())
    refuse("territories gives " + noun + " " + std::to_string(idle - holds.begin()) +
           " no site: every holder holds at least one");
  return holder;
}

void TerritorialUseRights::check(const sim::RuleCheck& world) const {
  const std::size_t sites = detail::sites::require_sites(rule_name, world.resource);
  check_covers(parameters_.territories, sites);
  const bool by_group = parameters_.holder == Parameters::Holder::group;
  static_cast<void>(holder_of_sites(sites, by_group ? world.group_count : world.agent_count));
}

std::span<const sim::Phase> TerritorialUseRights::phases() const { return descriptor().order.phases; }

void TerritorialUseRights::apply(sim::Phase phase, sim::RuleContext& context) {
  if (phase == sim::Phase::announce) {
    announce(context);
  } else if (phase == sim::Phase::monitor) {
    monitor(context);
  }
}

void TerritorialUseRights::announce(sim::RuleContext& context) {
  const sim::AgentTable& agents = context.agents;
  const bool by_group = parameters_.holder == Parameters::Holder::group;
  if (holder_.empty()) {
    // Every group of a scenario has agents, so the groups are those the agents belong to.
    std::size_t holders = agents.size();
    if (by_group) holders = agents.group.empty() ? 0 : std::ranges::max(agents.group) + std::size_t{1};
    holder_ = holder_of_sites(detail::sites::require_sites(rule_name, context.resource), holders);
  }
  sim::SiteRights& rights = context.ledger.sites;
  if (rights.size() == 0) return;
  const double p = parameters_.detection_probability;
  for (std::size_t s = 0; s < holder_.size(); ++s) {
    if (holder_[s] == unheld) continue;
    if (by_group) {
      rights.holder_group[s] = holder_[s];
    } else {
      rights.holder_agent[s] = holder_[s];
    }
    rights.detection[s] = detail::sites::either(rights.detection[s], p);
  }
}

void TerritorialUseRights::monitor(sim::RuleContext& context) {
  // The rule may come into force in a step whose announce phase it missed.
  if (holder_.empty()) return;
  const sim::AgentTable& agents = context.agents;
  const bool by_group = parameters_.holder == Parameters::Holder::group;
  detail::sites::patrol(
      context, parameters_.detection_probability, draw_index,
      [&](std::size_t row, std::uint32_t site) {
        const std::uint32_t holder = holder_[site];
        return holder != unheld && holder != (by_group ? agents.group[row] : static_cast<std::uint32_t>(row));
      },
      found_);
  intrusions_ = detail::sites::count(found_, detail::sites::intruded, context.step.policy);
  intrusions_detected_ = detail::sites::count(found_, detail::sites::caught, context.step.policy);
}

std::vector<sim::VariableInfo> TerritorialUseRights::variables() const { return descriptor().variables; }

void TerritorialUseRights::sample(std::span<double> values) const {
  values[0] = intrusions_;
  values[1] = intrusions_detected_;
  intrusions_ = std::numeric_limits<double>::quiet_NaN();
  intrusions_detected_ = std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> TerritorialUseRights::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(territorial_use_rights) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<TerritorialUseRights>(TerritorialUseRights::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
