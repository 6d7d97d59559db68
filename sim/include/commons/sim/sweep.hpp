// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Parameter sweeps: a design over some of a scenario's parameters (the `sweep` block), its
/// expansion into design points, policies and runs, and the key of each run's random streams.
/// docs/sweeps.md describes the format and the guarantees.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace commons::sim {

class Registry;
struct RunLayout;
struct ScenarioSpec;

/// One value a factor can take: a number, a text (a model name, a variant) or a flag.
struct Level {
  enum class Type { number, text, flag };
  Type type = Type::number;
  double number = 0.0;
  std::string text;
  bool flag = false;

  [[nodiscard]] static Level of(double value) { return Level{Type::number, value, {}, false}; }
  [[nodiscard]] static Level of(std::string value) { return Level{Type::text, 0.0, std::move(value), false}; }
  [[nodiscard]] static Level of_flag(bool value) { return Level{Type::flag, 0.0, {}, value}; }
  /// The level as it would be written in a scenario: "0.25", "fleet", "true".
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const Level&, const Level&) = default;
};

/// One swept parameter: where it is in the scenario and how its values are chosen.
struct FactorSpec {
  /// Dotted path, as `--set` takes it ("economics.cost_per_effort", "agents.0.count"), or
  /// "variant" for the variants of the scenario's comparison.
  std::string path;
  /// Where the factor is written in the scenario file (a JSON pointer), for messages.
  std::string pointer;
  /// Discrete levels (`values:`): every one in a factorial design; in a sampled design each is
  /// equally likely. Empty for a continuous factor.
  std::vector<Level> levels;
  /// A continuous factor's distribution: "uniform", "log_uniform", "normal", "triangular".
  std::string distribution;
  /// Bounds of uniform, log-uniform and triangular, and the truncation of a normal (infinite
  /// when not truncated).
  double low = 0.0;
  double high = 0.0;
  /// The mode of a triangular distribution.
  double mode = 0.0;
  double mean = 0.0;
  double sd = 0.0;
  /// Levels a continuous factor takes in a factorial design: quantiles (i + 0.5) / n, or
  /// the evenly spaced values from low to high for a uniform range.
  std::int64_t factorial_levels = 0;
  /// The scenario key takes whole numbers (a group's size): a continuous factor's values are
  /// rounded to the nearest one.
  bool integer = false;

  [[nodiscard]] bool categorical() const { return !levels.empty(); }
  /// Whether every level is a number, so that the factor is recorded as numbers.
  [[nodiscard]] bool numeric() const;
  /// The factor's value at `u` in (0, 1): a level's index for a discrete factor, else the
  /// distribution's quantile.
  [[nodiscard]] double value_at(double u) const;
  /// How the factor is chosen, for people: "uniform on [15, 35]", "one of 3 values".
  [[nodiscard]] std::string describe() const;
};

/// Makes the scenario of one design point: the scenario (or a variant of its comparison) with
/// the factors' values set. The scenario loader implements it: it alone knows how a path maps
/// into a scenario. Thread-safe: runs on many threads ask at once.
class PointSpecs {
 public:
  virtual ~PointSpecs() = default;
  /// The spec of a run of `variant` with `values` (aligned with SweepSpec::factors(); a
  /// categorical factor's value is its level's index). The values were checked when the
  /// scenario was loaded, so this does not check them again.
  [[nodiscard]] virtual std::shared_ptr<const ScenarioSpec> make(std::int64_t variant,
                                                                 std::span<const double> values) const = 0;
  /// What the sweep's runs record: each distinct layout once (the levers or parameters that
  /// change the rules in force change what is recorded), in order of first appearance in the
  /// plan. Points that differ only in what a layout sizes (the largest degree a network
  /// allows) share one, sized for the largest.
  [[nodiscard]] virtual std::vector<RunLayout> layouts(const Registry& registry) const = 0;
  /// Which of layouts() the runs of a design point and policy record.
  [[nodiscard]] virtual std::int64_t layout_of(std::int64_t point, std::int64_t policy) const = 0;
  /// The spec of the design point with the most agents (any variant), for memory estimates.
  [[nodiscard]] virtual std::shared_ptr<const ScenarioSpec> largest() const = 0;
};

/// The `sweep` block: a design over some parameters (uncertainties), crossed with every
/// combination of the levers (policies), each point run `replicates` times.
struct SweepSpec {
  enum class Design { factorial, list, latin_hypercube, sobol, saltelli, morris };
  Design design = Design::factorial;
  /// Points of a Latin hypercube or Sobol design; base samples N of Saltelli's design
  /// (N (k + 2) points for k parameters); trajectories of Morris's (r (k + 1) points).
  std::int64_t samples = 0;
  /// Levels of the grid of a Morris design.
  std::int64_t grid_levels = 4;
  /// Runs per design point and policy.
  std::int64_t replicates = 1;
  /// Seed of a randomised design (Latin hypercube, Morris); the scenario's seed unless given.
  std::uint64_t design_seed = 0;
  /// The uncertain parameters the design covers.
  std::vector<FactorSpec> parameters;
  /// Policy levers: every combination of their levels is crossed with every design point.
  std::vector<FactorSpec> levers;
  /// The points of a `list` design: levels of each parameter, one row per point.
  std::vector<std::vector<Level>> points;
  /// Makes the spec of a design point; set by the loader.
  std::shared_ptr<const PointSpecs> specs;

  /// For the factor named "variant": the index (in ScenarioSpec::variants) of the variant each
  /// of its levels names; set by the loader.
  std::vector<std::int64_t> variant_of_level;

  /// Parameters, then levers: the order of RunTask::factors.
  [[nodiscard]] std::vector<const FactorSpec*> factors() const;
  /// The variant a run with these factor values (parameters, then levers) belongs to: 0 when no
  /// factor is the variant.
  [[nodiscard]] std::int64_t variant_at(std::span<const double> values) const;
};

/// Name of a design in scenario files and results ("latin_hypercube").
[[nodiscard]] std::string design_name(SweepSpec::Design design);

/// A sweep expanded: the value of every factor at every design point and policy.
struct SweepDesign {
  /// Design points U and policies L; a plan has U x L x replicates runs.
  std::int64_t points = 0;
  std::int64_t policies = 1;
  /// Coordinates of every design point in the unit hypercube, points x parameters,
  /// row-major: what sensitivity analysis works on. NaN for a `list` design.
  std::vector<double> unit;
  /// Values of the parameters at every point, points x parameters, row-major (a level's
  /// index for a categorical factor).
  std::vector<double> parameter_values;
  /// Values of the levers in every policy, policies x levers, row-major.
  std::vector<double> lever_values;
  /// Design points in the order they were drawn that belong together (Saltelli's A, AB_i, B
  /// rows of one base sample; the k + 1 points of a Morris trajectory): the size of a group.
  std::int64_t group_size = 1;
};

/// Expands the design. Deterministic: the same block gives the same points on any machine.
/// \throws std::invalid_argument for a design the block cannot make (too many factors for the
///         Sobol sequence, no parameters).
[[nodiscard]] SweepDesign expand(const SweepSpec& sweep);

/// The word that, with the scenario's seed and the replicate, keys a sweep run's random
/// streams: a hash of the parameters' values at its design point (not of the point's index, and
/// not of the levers), so that adding points, levels or replicates never changes a run already
/// made, and every policy meets the same random numbers at the same point (common random
/// numbers). Never 0, which stands for "not a sweep run".
[[nodiscard]] std::uint64_t stream_word(const SweepSpec& sweep, std::span<const double> parameter_values);

/// Key of a run's random streams: (seed, replicate) outside a sweep, so that scenarios without
/// one keep their results; mixed with the stream word inside one.
[[nodiscard]] std::pair<std::uint64_t, std::uint64_t> stream_key(std::uint64_t seed, std::uint64_t replicate,
                                                                 std::uint64_t stream);

}  // namespace commons::sim
