// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// A scenario described in C++ rather than in a file: for tests and programs that embed Commons.
/// The builder writes the same document a scenario file would hold and build() takes it through
/// the loader's own steps (schema, checks in code, defaults, preflight), so that a spec built
/// here equals the spec the loader makes from the equivalent YAML (docs/cpp-api.md).

#include <commons/scenario/scenario_error.hpp>
#include <commons/sim/registry.hpp>
#include <commons/sim/spec.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace commons::scenario {

/// Describes a scenario call by call. Each call that names a model or a parameter is checked
/// at once against the registry's descriptors: an unknown name throws ScenarioError with a
/// "did you mean", and a value of the wrong type, out of range or not among the choices throws
/// the message the loader gives for it. What can only be judged on the whole scenario (required
/// parameters, checks across fields, a network's or communication's keys, distributions) is
/// checked by build(). Errors read "SOURCE:1:1: /json/pointer: message", the pointer naming
/// where the value stands in the equivalent scenario file.
///
/// `set` gives a parameter of the component named last: the resource, a group's behaviour or
/// a mix's, a rule, the network or communication. A number keeps the type it is written in, as
/// in YAML: `set("carrying_capacity", 1000)` is an integer, `1000.0` a real (models read either).
class ScenarioBuilder {
 public:
  /// `registry` names the models and describes their parameters; it must outlive the builder.
  /// `name` is the scenario's name (the file's `name:`).
  ScenarioBuilder(const sim::Registry& registry, std::string name);
  ~ScenarioBuilder();
  ScenarioBuilder(ScenarioBuilder&&) noexcept;
  ScenarioBuilder& operator=(ScenarioBuilder&&) noexcept;

  /// Stands for the file name in messages and in ScenarioSpec::source; "ScenarioBuilder" unless set.
  ScenarioBuilder& source(std::string name);
  ScenarioBuilder& description(std::string text);
  ScenarioBuilder& steps(std::int64_t count);
  ScenarioBuilder& replicates(std::int64_t count);
  ScenarioBuilder& seed(std::int64_t seed);

  /// `economics:` price of one unit of harvest [money / resource unit].
  ScenarioBuilder& price(double value);
  /// `economics:` cost of one unit of effort [money / effort unit].
  ScenarioBuilder& cost_per_effort(double value);
  /// `economics:` discount rate [1 / step].
  ScenarioBuilder& discount_rate(double rate);

  /// The resource model; `set` then gives its parameters.
  ScenarioBuilder& resource(std::string_view model);
  /// A new group of `count` agents; give it a behaviour() or one mix() per share.
  ScenarioBuilder& group(std::string name, std::int64_t count);
  /// The group's own cost of effort, instead of economics' [money / effort unit].
  ScenarioBuilder& group_cost_per_effort(double value);
  /// The one behaviour model of the group named last.
  ScenarioBuilder& behaviour(std::string_view model);
  /// A behaviour followed by `share` of the group's agents (the shares sum to 1).
  ScenarioBuilder& mix(double share, std::string_view model);

  /// `governance.regime`: a named bundle of rules.
  ScenarioBuilder& governance(std::string_view regime);
  /// A rule in `governance.rules`, in force from step 0 unless from() or until() say otherwise.
  ScenarioBuilder& rule(std::string_view name);
  /// First step in which the rule named last is in force.
  ScenarioBuilder& from(std::int64_t step);
  /// First step in which the rule named last is no longer in force.
  ScenarioBuilder& until(std::int64_t step);

  /// The social network's generator; its keys (`set`) are checked by build().
  ScenarioBuilder& network(std::string_view model);
  /// Cheap talk: `mode` none, one_shot or repeated; its keys (`set`) are checked by build().
  ScenarioBuilder& communication(std::string_view mode);

  /// `output.series`: the series to record (default: what the scenario offers).
  ScenarioBuilder& series(std::vector<std::string> names);
  /// `output.agents`: record per-agent variables too.
  ScenarioBuilder& record_agents(bool on);

  /// A parameter of the component named last.
  ScenarioBuilder& set(std::string_view parameter, double value);
  ScenarioBuilder& set(std::string_view parameter, std::int64_t value);
  ScenarioBuilder& set(std::string_view parameter, int value) {
    return set(parameter, static_cast<std::int64_t>(value));
  }
  ScenarioBuilder& set(std::string_view parameter, bool value);
  ScenarioBuilder& set(std::string_view parameter, std::string value);
  ScenarioBuilder& set(std::string_view parameter, const char* value) { return set(parameter, std::string(value)); }
  /// A list of numbers (choices, shares, a schedule).
  ScenarioBuilder& set(std::string_view parameter, std::vector<double> values);
  /// A value each agent draws for itself (docs/scenario-format.md#distributions).
  ScenarioBuilder& set(std::string_view parameter, const sim::Distribution& distribution);

  /// The spec, made as the loader makes it from the equivalent file: defaults filled in,
  /// checks in code and sim::preflight made. Files a parameter names are read relative to the
  /// current directory. The builder may go on being used.
  /// \throws ScenarioError for what the scenario as a whole gets wrong.
  [[nodiscard]] sim::ScenarioSpec build() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace commons::scenario
