// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/preflight.hpp>

#include <commons/sim/resource.hpp>
#include <commons/sim/rule.hpp>
#include <commons/sim/run.hpp>

#include <exception>
#include <string>

namespace commons::sim {
namespace {

/// Runs `check`; any failure becomes a ComponentError at `pointer` (one that already names
/// its component passes unchanged).
template <class Check>
void at(const std::string& pointer, Check&& check) {
  try {
    check();
  } catch (const ComponentError&) {
    throw;
  } catch (const std::exception& error) {
    throw ComponentError(pointer, error.what());
  }
}

void preflight_variant(const ScenarioSpec& spec, const Registry& registry) {
  std::unique_ptr<Resource> resource;
  at(spec.resource.pointer, [&] {
    resource = registry.make_resource(spec.resource);
    resource->set_economics(spec.economics);
  });
  const SiteAccess access = resource->site_access();
  const std::size_t site_count = resource->sites().count;
  if (access.capacity > 0 && static_cast<std::size_t>(spec.agent_count()) > access.capacity * site_count)
    throw ComponentError("/agents", std::to_string(spec.agent_count()) + " agents do not fit on the resource's " +
                                        std::to_string(site_count) + " sites, which hold at most " +
                                        std::to_string(access.capacity) + " each");
  std::vector<Registry::ScheduledRule> rules;
  at(spec.governance.pointer, [&] { rules = registry.make_rules(spec.governance); });
  const auto agents = static_cast<std::size_t>(spec.agent_count());
  const RuleCheck world{*resource, spec.economics, agents, spec.steps, spec.groups.size()};
  for (const Registry::ScheduledRule& rule : rules) {
    // A regime's own rules have no key of their own: the regime names them.
    const std::string pointer =
        rule.pointer.starts_with("/governance/") && !rule.pointer.starts_with("/governance/rules")
            ? spec.governance.pointer + rule.pointer.substr(std::string("/governance").size())
            : rule.pointer;
    at(pointer, [&] { rule.rule->check(world); });
  }
  for (const GroupSpec& group : spec.groups) {
    const std::vector<std::size_t> counts = group.cohort_sizes();
    for (std::size_t c = 0; c < counts.size(); ++c) {
      const ComponentSpec& behaviour = group.behaviours[c].behaviour;
      at(behaviour.pointer, [&] {
        registry.check_behaviour(behaviour, CohortCheck{counts[c], spec.steps, *resource, spec.economics});
      });
    }
  }
  at("/output/series", [&] { static_cast<void>(describe_run(spec, registry)); });
}

}  // namespace

void preflight(const ScenarioSpec& spec, const Registry& registry) {
  for (std::int64_t variant = 0; variant < spec.variant_count(); ++variant)
    preflight_variant(spec.variant_spec(variant), registry);
}

}  // namespace commons::sim
