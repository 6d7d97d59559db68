// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the loader's checks ask of models without building them: the series each records, what
// a resource can do, which rules a regime bundles, which rules every governed run gets. Read
// from the schema's `x-models`, which the build generates from the models' descriptors
// (schema_generator.cpp), so that the loader keeps no copy of its own.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace commons::scenario::detail {

class ModelFacts {
 public:
  /// The facts of the embedded schema, read once (thread-safe).
  [[nodiscard]] static const ModelFacts& scenario();

  struct Rule {
    std::string name;
    std::vector<std::string> records;
    bool implied_by_governance = false;
    /// The governance block's key for this rule's parameters (`compliance`), or empty.
    std::string governance_key;
  };

  /// The series resource `model` records itself; empty for an unknown model.
  [[nodiscard]] const std::vector<std::string>& resource_series(std::string_view model) const;
  [[nodiscard]] bool has_maximum_sustainable_yield(std::string_view model) const;
  [[nodiscard]] bool has_effort_limit(std::string_view model) const;
  /// Whether resource `model` charges for trips to its sites; which resources do, by name.
  [[nodiscard]] bool charges_trips(std::string_view model) const;
  [[nodiscard]] std::vector<std::string> resources_charging_trips() const;
  /// The resources that bound each agent's effort themselves, by name.
  [[nodiscard]] std::vector<std::string> resources_with_effort_limit() const;
  /// Every rule, by name.
  [[nodiscard]] const std::vector<Rule>& rules() const { return rules_; }
  /// The series rule `name` records; empty for an unknown rule.
  [[nodiscard]] const std::vector<std::string>& rule_series(std::string_view name) const;
  /// The rules regime `name` bundles, in order; empty for an unknown regime.
  [[nodiscard]] const std::vector<std::string>& regime_rules(std::string_view name) const;
  /// The engine's own series recorded in every run, with communication, in governed runs.
  [[nodiscard]] const std::vector<std::string>& engine_series() const { return engine_; }
  [[nodiscard]] const std::vector<std::string>& talk_series() const { return talk_; }
  [[nodiscard]] const std::vector<std::string>& governance_series() const { return governance_; }
  /// The engine's series recorded on resources that charge for trips.
  [[nodiscard]] const std::vector<std::string>& trip_series() const { return trips_; }

 private:
  ModelFacts();

  struct Resource {
    std::string name;
    std::vector<std::string> records;
    bool maximum_sustainable_yield = false;
    bool effort_limit = false;
    bool trip_costs = false;
  };
  [[nodiscard]] const Resource* resource(std::string_view model) const;

  std::vector<Resource> resources_;
  std::vector<Rule> rules_;
  std::vector<std::pair<std::string, std::vector<std::string>>> regimes_;
  std::vector<std::string> engine_;
  std::vector<std::string> talk_;
  std::vector<std::string> governance_;
  std::vector<std::string> trips_;
};

}  // namespace commons::scenario::detail
