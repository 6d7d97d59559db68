// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The validated scenario as plain, immutable data. The scenario loader builds it once; the
/// engine reads it and never edits it. Nothing here knows YAML, JSON or files.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace commons::sim {

/// A parameter as the scenario gives it, after schema validation.
using ParameterValue = std::variant<double, std::int64_t, bool, std::string, std::vector<double>>;

/// Thrown when a spec asks for something the validated data does not hold; after schema
/// validation this means a model and the schema disagree, an internal error.
class SpecError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// Named parameters of one component (a resource, a behaviour, a rule).
class Parameters {
 public:
  Parameters() = default;
  explicit Parameters(std::map<std::string, ParameterValue, std::less<>> values)
      : values_(std::move(values)) {}

  [[nodiscard]] bool contains(std::string_view name) const { return values_.find(name) != values_.end(); }
  /// A real number; integers widen. Throws SpecError when absent or of another type.
  [[nodiscard]] double number(std::string_view name) const;
  [[nodiscard]] double number_or(std::string_view name, double fallback) const;
  [[nodiscard]] std::int64_t integer(std::string_view name) const;
  [[nodiscard]] bool flag_or(std::string_view name, bool fallback) const;
  [[nodiscard]] const std::string& text(std::string_view name) const;
  /// A list of numbers; a single number reads as a list of one.
  [[nodiscard]] std::vector<double> numbers(std::string_view name) const;
  [[nodiscard]] const std::map<std::string, ParameterValue, std::less<>>& values() const { return values_; }

 private:
  [[nodiscard]] const ParameterValue& at(std::string_view name) const;
  std::map<std::string, ParameterValue, std::less<>> values_;
};

/// A pluggable component named in the scenario (`model: fishery_logistic`) with its parameters.
struct ComponentSpec {
  std::string model;
  Parameters parameters;
  /// JSON pointer of the component in the scenario file, for messages.
  std::string pointer;
};

/// A group of agents that share a behaviour model.
struct GroupSpec {
  std::string name;
  std::int64_t count = 0;
  ComponentSpec behaviour;
  /// Cost of one unit of effort for this group [money / effort]; the scenario's economics
  /// value unless the group overrides it.
  double cost_per_effort = 0.0;
};

/// Prices and costs that turn harvest and effort into income.
struct Economics {
  /// Price of one unit of harvest [money / resource unit].
  double price = 1.0;
  /// Cost of one unit of effort [money / effort unit].
  double cost_per_effort = 0.0;
  /// Discount rate per step used for present values [1 / step].
  double discount_rate = 0.0;
};

/// The institutions: a named regime and the rules it bundles.
struct GovernanceSpec {
  std::string regime = "open_access";
  std::vector<ComponentSpec> rules;
};

/// What the recorder samples.
struct OutputSpec {
  /// Names of the aggregate series to record; empty means every series the world offers.
  std::vector<std::string> series;
  /// Record per-agent variables `[run, step, agent]` as well.
  bool agents = false;
};

/// A whole validated scenario.
struct ScenarioSpec {
  std::string name;
  std::string description;
  ComponentSpec resource;
  std::vector<GroupSpec> groups;
  Economics economics;
  GovernanceSpec governance;
  std::int64_t steps = 0;
  std::int64_t replicates = 1;
  /// Base seed; each run draws from the stream keyed by (seed, run index). Below 2^53.
  std::uint64_t seed = 0;
  OutputSpec output;
  /// The resolved scenario (after overrides) as text, stored in results for provenance.
  std::string resolved_text;
  /// Where the scenario came from, for messages and provenance.
  std::string source;

  [[nodiscard]] std::int64_t agent_count() const;
};

}  // namespace commons::sim
