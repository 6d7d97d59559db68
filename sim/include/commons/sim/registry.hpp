// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Names in scenario files -> factories of resources, behaviours and rules; regimes as named
/// bundles of rules. Models register themselves; the engine builds worlds only through here.

#include <commons/sim/behaviour.hpp>
#include <commons/sim/descriptor.hpp>
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

/// The cohort a behaviour will drive, as far as it is known before the run: what a behaviour's
/// check reads.
struct CohortCheck {
  /// Agents of the cohort.
  std::size_t count = 0;
  std::int64_t steps = 0;
  const Resource& resource;
  const Economics& economics;
};

class Registry {
 public:
  using ResourceFactory = std::function<std::unique_ptr<Resource>(const ComponentSpec&)>;
  using BehaviourFactory =
      std::function<std::unique_ptr<Behaviour>(const ComponentSpec&, const GroupContext&)>;
  /// Throws SpecError if the behaviour cannot drive such a cohort (a decisions file with an
  /// effort above the resource's limit). Building a behaviour does the same check, through the
  /// same code; this one costs nothing per agent, so `validate` can afford it at any size.
  using BehaviourCheck = std::function<void(const ComponentSpec&, const CohortCheck&)>;
  using RuleFactory = std::function<std::unique_ptr<Rule>(const ComponentSpec&)>;

  /// Models register under their descriptor's name; a later registration of the same name
  /// replaces the earlier one.
  void add_resource(ModelDescriptor descriptor, ResourceFactory factory);
  void add_behaviour(ModelDescriptor descriptor, BehaviourFactory factory, BehaviourCheck check = {});
  void add_rule(ModelDescriptor descriptor, RuleFactory factory);
  /// A model known by name only (a test's stand-in): its descriptor says nothing more.
  void add_resource(std::string name, ResourceFactory factory);
  void add_behaviour(std::string name, BehaviourFactory factory, BehaviourCheck check = {});
  void add_rule(std::string name, RuleFactory factory);

  /// A regime: the rules it puts in force unless the scenario lists its own, in their order.
  struct Regime {
    std::string name;
    /// A sentence for users: what the regime stands for.
    std::string summary{};
    std::vector<ComponentSpec> rules{};
  };
  void add_regime(Regime regime);
  void add_regime(std::string name, std::vector<ComponentSpec> rules);

  /// The make_ functions and check_behaviour hand the model its spec with the descriptor's
  /// default for every parameter the spec leaves out (ParameterInfo::default_value, and
  /// default_from), as the loader fills them in: a model's defaults are its descriptor's
  /// whoever made the spec (a regime's bundle, a governed run's implied rules, code).
  [[nodiscard]] std::unique_ptr<Resource> make_resource(const ComponentSpec& spec) const;
  [[nodiscard]] std::unique_ptr<Behaviour> make_behaviour(const ComponentSpec& spec,
                                                          const GroupContext& group) const;
  /// Runs the behaviour's registered check, if it has one.
  void check_behaviour(const ComponentSpec& spec, const CohortCheck& cohort) const;
  /// A rule built for a run, with the steps it is in force.
  struct ScheduledRule {
    std::string name;
    std::unique_ptr<Rule> rule;
    /// What the rule declared about itself (never null).
    const ModelDescriptor* descriptor = nullptr;
    /// JSON pointer of the rule in the scenario, or "/governance/regime" for a regime's own.
    std::string pointer;
    std::int64_t from = 0;
    std::int64_t until = std::numeric_limits<std::int64_t>::max();
  };

  /// The rules of `governance`: the regime's bundle in its order, each replaced by the
  /// scenario's rule of the same name if there is one, then the scenario's other rules in
  /// their order; when there are rules, every registered rule that declares itself implied by
  /// governance (RuleOrder::implied_by_governance) and is not listed is added with its
  /// defaults.
  [[nodiscard]] std::vector<ScheduledRule> make_rules(const GovernanceSpec& governance) const;

  /// The descriptor of a registered model, or nullptr.
  [[nodiscard]] const ModelDescriptor* descriptor(ModelKind kind, std::string_view name) const;
  /// Every registered model of a kind, by name.
  [[nodiscard]] std::vector<const ModelDescriptor*> descriptors(ModelKind kind) const;
  /// A registered regime, or nullptr.
  [[nodiscard]] const Regime* regime(std::string_view name) const;

  [[nodiscard]] std::vector<std::string> resource_names() const;
  [[nodiscard]] std::vector<std::string> behaviour_names() const;
  [[nodiscard]] std::vector<std::string> rule_names() const;
  [[nodiscard]] std::vector<std::string> regime_names() const;

 private:
  template <class Factory>
  struct Entry {
    ModelDescriptor descriptor;
    Factory factory;
  };
  std::map<std::string, Entry<ResourceFactory>, std::less<>> resources_;
  std::map<std::string, Entry<BehaviourFactory>, std::less<>> behaviours_;
  std::map<std::string, BehaviourCheck, std::less<>> behaviour_checks_;
  std::map<std::string, Entry<RuleFactory>, std::less<>> rules_;
  /// In the order they were added: the order users read them in.
  std::vector<Regime> regimes_;
};

}  // namespace commons::sim
