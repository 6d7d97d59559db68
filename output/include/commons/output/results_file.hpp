// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Read access to a results file, for `commons inspect`, tests and other tools.

#include <cstdint>
#include <commons/sim/sink.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace commons::output {

/// A dataset as stored in a group: its dimensions and the attributes that describe it.
struct StoredVariable {
  std::string group;
  std::string name;
  /// Names of the dimension scales attached to each axis, outermost first ("" if none).
  std::vector<std::string> dimensions;
  /// Length of each axis, outermost first.
  std::vector<std::int64_t> shape;
  /// `units` attribute, "" if absent.
  std::string units;
  /// `long_name` attribute (the recorder's description), "" if absent.
  std::string long_name;
  /// True for numeric datasets, false for strings.
  bool numeric = true;
};

/// The sweep a file holds: the plan's description of it (its `unit` left empty: design/unit holds
/// the coordinates), and where runs/ records each factor.
struct StoredSweep {
  /// Parameters in the order of the columns of design/unit, then levers.
  sim::SweepInfo plan;
  /// For each of plan.factors, the runs/ variable holding its value in each run: the path with
  /// '/' as '.', or `variant_name` for the variants of a comparison.
  std::vector<std::string> variables;
};

/// An open results file (read-only). Move-only; closing happens in the destructor.
class ResultsFile {
 public:
  /// Opens `path`, which may also be a `.partial` file of an unfinished sweep.
  /// \throws OutputError if the file does not exist, is not HDF5, is not a Commons results
  ///         file, or has a newer layout version than this program reads.
  [[nodiscard]] static ResultsFile open(const std::filesystem::path& path);

  ResultsFile(ResultsFile&&) noexcept;
  ResultsFile& operator=(ResultsFile&&) noexcept;
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;
  ~ResultsFile();

  [[nodiscard]] const std::filesystem::path& path() const noexcept;
  /// True if `other` names the very file this object has open (same device and inode): not
  /// replaced or renamed over since it was opened.
  [[nodiscard]] bool same_file_as(const std::filesystem::path& other) const;
  /// Layout version stored in the root attribute `format_version`.
  [[nodiscard]] int format_version() const;
  /// A string-valued root attribute: `format`, `status`, `program_version`, `git_commit`,
  /// `source_tree`, `command_line`, `creation_time`, `scenario_name`, `host`, `libraries`.
  /// \throws OutputError if there is no such attribute.
  [[nodiscard]] std::string attribute(std::string_view name) const;
  /// `complete` (every run in it), `failed` (every run attempted, some failed: see errors()),
  /// or `partial` (a run still writing it, or one that was interrupted).
  [[nodiscard]] std::string status() const;
  /// Why each run failed (`runs/error`), by run index; "" for runs that did not fail.
  [[nodiscard]] std::vector<std::string> errors() const;
  /// A string attribute of `group/name`, "" if it has none.
  [[nodiscard]] std::string attribute_of(std::string_view group, std::string_view name, const char* attribute) const;
  /// The resolved scenario text the file was written from.
  [[nodiscard]] std::string scenario_text() const;
  /// Root attribute `plan_sha256`: the fingerprint of the plan the file was laid out for
  /// (Hdf5Sink::plan_fingerprint()); empty for files written before it was recorded.
  [[nodiscard]] std::string plan_fingerprint() const;
  /// Root attribute `sessions`: how many executions wrote runs into the file (1, plus one per
  /// resume); 1 for files written before it was recorded.
  [[nodiscard]] std::int64_t sessions() const;
  /// The sweep the runs come from; nullopt for a file without one.
  /// \throws OutputError if design/ is there but its attributes or factors are not.
  [[nodiscard]] std::optional<StoredSweep> sweep() const;

  /// Length of the `run` dimension: runs planned, whether or not completed.
  [[nodiscard]] std::int64_t run_count() const;
  /// Length of the `step` dimension.
  [[nodiscard]] std::int64_t step_count() const;
  /// Length of the `agent` dimension; 0 when the file has no agent data.
  [[nodiscard]] std::int64_t agent_count() const;
  /// Number of sites of a resource with sites (the `site` dimension, or `y` x `x` for a grid);
  /// 0 when the file has no site data.
  [[nodiscard]] std::int64_t site_count() const;
  /// Completion flag per run (`runs/completed`), by run index.
  [[nodiscard]] std::vector<bool> completed() const;
  /// Ids along the `agent` dimension; empty when the file has no agent data.
  [[nodiscard]] std::vector<std::uint64_t> agent_ids() const;
  /// Names of the variants of a comparison in variant order (the `flag_meanings` of
  /// `runs/variant`); empty when the file holds no comparison.
  /// \throws OutputError if `runs/variant` exists but its flag attributes do not number its
  ///         meanings 0..k-1.
  [[nodiscard]] std::vector<std::string> variant_names() const;
  /// Variant index of each run (`runs/variant`), by run index; empty without a comparison.
  [[nodiscard]] std::vector<std::int64_t> run_variants() const;

  /// Groups under the root, in creation order (`runs`, `series`, ...).
  [[nodiscard]] std::vector<std::string> groups() const;
  /// True if `group/name` exists.
  [[nodiscard]] bool contains(std::string_view group, std::string_view name) const;
  /// The variables of a group in creation order; coordinate datasets (dimension scales) are
  /// left out. An absent group has no variables.
  [[nodiscard]] std::vector<StoredVariable> variables(std::string_view group) const;
  /// Describes one variable, or throws OutputError if absent.
  [[nodiscard]] StoredVariable variable(std::string_view group, std::string_view name) const;

  /// All values of a numeric dataset, converted to double, row-major (last axis fastest).
  /// Coordinates can be read too (`read("series", "step")`).
  /// \throws OutputError if absent or not numeric.
  [[nodiscard]] std::vector<double> read(std::string_view group, std::string_view name) const;
  /// Rows [first, first + count) along the first axis of a numeric dataset, the other axes
  /// whole, as read() returns them: for reading a large dataset a block at a time.
  /// \throws OutputError if absent, not numeric, or the rows lie outside it.
  [[nodiscard]] std::vector<double> read_rows(std::string_view group, std::string_view name, std::int64_t first,
                                              std::int64_t count) const;
  /// Like read(), exactly, for integer datasets (replicate, seed, coordinates).
  [[nodiscard]] std::vector<std::int64_t> read_integers(std::string_view group, std::string_view name) const;
  /// Values of a string dataset (e.g. `runs/seed_text`), row-major.
  [[nodiscard]] std::vector<std::string> read_strings(std::string_view group, std::string_view name) const;

 private:
  struct State;
  explicit ResultsFile(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// A readable report for `commons inspect FILE`: format, status and provenance, runs completed
/// of total, the failed runs with their messages, the files the scenario named, dimensions, the
/// variants of a comparison with their runs, a sweep's design (points x policies x replicates,
/// runs complete) and factors (role, description), then one table per group
/// (variable, dimensions, units, min/mean/max over all non-NaN values for series, summary and
/// references, description).
/// \throws OutputError as ResultsFile::open().
[[nodiscard]] std::string describe(const std::filesystem::path& path);

}  // namespace commons::output
