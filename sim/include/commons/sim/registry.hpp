// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Names in scenario files -> factories of resources, behaviours and rules; regimes as named
/// bundles of rules. Models register themselves; the engine builds worlds only through here.

#include <commons/sim/behaviour.hpp>
#include <commons/sim/resource.hpp>
#include <commons/sim/rule.hpp>
#include <commons/sim/spec.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace commons::sim {

class Registry {
 public:
  using ResourceFactory = std::function<std::unique_ptr<Resource>(const ComponentSpec&)>;
  using BehaviourFactory =
      std::function<std::unique_ptr<Behaviour>(const ComponentSpec&, const GroupContext&)>;
  using RuleFactory = std::function<std::unique_ptr<Rule>(const ComponentSpec&)>;

  void add_resource(std::string name, ResourceFactory factory);
  void add_behaviour(std::string name, BehaviourFactory factory);
  void add_rule(std::string name, RuleFactory factory);
  /// A regime: the rules it puts in force unless the scenario lists its own.
  void add_regime(std::string name, std::vector<ComponentSpec> rules);

  [[nodiscard]] std::unique_ptr<Resource> make_resource(const ComponentSpec& spec) const;
  [[nodiscard]] std::unique_ptr<Behaviour> make_behaviour(const ComponentSpec& spec,
                                                          const GroupContext& group) const;
  /// A rule built for a run, with the steps it is in force.
  struct ScheduledRule {
    std::string name;
    std::unique_ptr<Rule> rule;
    std::int64_t from = 0;
    std::int64_t until = std::numeric_limits<std::int64_t>::max();
  };

  /// The rules of `governance`: the regime's bundle in its order, each replaced by the
  /// scenario's rule of the same name if there is one, then the scenario's other rules in
  /// their order; when there are rules but none named `compliance` and one is registered, the
  /// registered `compliance` with default parameters is added.
  [[nodiscard]] std::vector<ScheduledRule> make_rules(const GovernanceSpec& governance) const;

  [[nodiscard]] std::vector<std::string> resource_names() const;
  [[nodiscard]] std::vector<std::string> behaviour_names() const;
  [[nodiscard]] std::vector<std::string> rule_names() const;
  [[nodiscard]] std::vector<std::string> regime_names() const;

 private:
  std::map<std::string, ResourceFactory, std::less<>> resources_;
  std::map<std::string, BehaviourFactory, std::less<>> behaviours_;
  std::map<std::string, RuleFactory, std::less<>> rules_;
  std::map<std::string, std::vector<ComponentSpec>, std::less<>> regimes_;
};

}  // namespace commons::sim
