// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// A sink that keeps a plan's runs in memory laid out as the results file lays them out
/// (docs/results-format.md): one array per variable over `run` (and `step`, `agent`, `degree`),
/// NaN where a run did not record or has not written a value, with the file's attributes. The
/// Python module hands these arrays to numpy without copying them. It knows runs only as
/// sim::PlanInfo, sim::RunTask and sim::RunResult, and describes what it holds generically
/// (named columns with attributes), so that a new kind of plan (a sweep's design points) is a
/// change to begin() alone.

#include <commons/sim/sink.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace commons::python {

/// An attribute as the results file stores it: text, or a small integer array (CF flag_values).
using AttributeValue = std::variant<std::string, std::vector<std::int8_t>, std::vector<std::int64_t>>;
/// Attributes in the order the file writes them.
using Attributes = std::vector<std::pair<std::string, AttributeValue>>;

/// One variable of a group: its dataset name in the results file, its values in C order over
/// the group's dimensions, and its attributes (`units`, `long_name`).
struct Column {
  std::string name;
  std::vector<double> values;
  Attributes attributes;
};

/// The variables of one group of the results file (`series`, `summary`, ...), with the
/// dimensions they share.
struct Group {
  std::string name;
  std::vector<std::string> dimensions;
  std::vector<Column> columns;
  /// For each variant, the column of each variable of its layout, in the layout's order.
  std::vector<std::vector<std::size_t>> of_variant;
};

/// A dataset of `runs/`: one value per run, of the type the file stores.
struct RunColumn {
  using Values = std::variant<std::vector<std::int64_t>, std::vector<std::int8_t>, std::vector<double>,
                              std::vector<std::string>>;
  std::string name;
  Values values;
  Attributes attributes;
};

/// Thrown by begin() when the arrays would not fit the memory allowed.
class MemoryRefused : public std::exception {
 public:
  explicit MemoryRefused(std::string message) : message_(std::move(message)) {}
  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

/// Keeps every run's samples in arrays shaped like the results file's datasets.
class ArraySink final : public sim::Sink {
 public:
  /// `memory_budget`: bytes the arrays may take; begin() throws MemoryRefused for a plan that
  /// needs more, its message starting with `what` (the scenario's path).
  ArraySink(std::uint64_t memory_budget, std::string what);

  /// Lays out every variable of every variant, as Hdf5Sink does, NaN until a run arrives.
  /// \throws std::invalid_argument for a plan the results file could not hold either (a run
  ///         index outside 0..n-1, two variables sharing a dataset name, a reserved name).
  void begin(const sim::PlanInfo& plan) override;
  void consume(sim::RunResult&& result) override { record(result); }
  /// Copies one run's values into the arrays, leaving `result` as it was (for another sink).
  void record(const sim::RunResult& result);
  void fail(const sim::RunTask& task, const std::string& message) override;
  /// Every run neither recorded nor failed gets the message the results file gives it.
  void finish() override;

  /// Bytes the arrays of `plan` take.
  [[nodiscard]] static std::uint64_t bytes_for(const sim::PlanInfo& plan);

  [[nodiscard]] const sim::PlanInfo& plan() const noexcept { return plan_; }
  [[nodiscard]] std::int64_t runs() const noexcept { return runs_; }
  [[nodiscard]] std::int64_t steps() const noexcept { return plan_.steps; }
  /// Ids along the `agent` dimension; empty unless the plan records agents.
  [[nodiscard]] const std::vector<std::uint64_t>& agent_ids() const noexcept { return agent_ids_; }
  /// Length of the `degree` dimension; 0 without a social network.
  [[nodiscard]] std::int64_t degree_width() const noexcept { return degree_width_; }

  /// `runs/` in the file's order: replicate, seed, seed_text, completed, error, then variant and
  /// variant_name for a comparison, then swept parameters. Non-const so that the module can
  /// move the values out without copying them.
  [[nodiscard]] std::vector<RunColumn>& run_columns() noexcept { return run_columns_; }
  /// The other groups in the file's order: series, summary, references, agents (only when
  /// agents are recorded), network (only with a social network).
  [[nodiscard]] std::vector<Group>& groups() noexcept { return groups_; }

 private:
  void lay_out_runs(const sim::PlanInfo& plan);
  void lay_out_groups(const sim::PlanInfo& plan);

  std::uint64_t memory_budget_;
  std::string what_;
  sim::PlanInfo plan_;
  std::int64_t runs_ = 0;
  std::vector<std::uint64_t> agent_ids_;
  std::int64_t degree_width_ = 0;
  std::vector<RunColumn> run_columns_;
  std::vector<Group> groups_;
  /// Variant of each run, to find its layout's columns.
  std::vector<std::int64_t> variant_of_;
  /// What record() and fail() write into `runs/`.
  [[nodiscard]] std::vector<std::int8_t>& completed();
  [[nodiscard]] std::vector<std::string>& errors();
};

/// The dataset name of a variable or parameter, as the results file names it: a leading '/'
/// dropped and every other '/' made '.', because HDF5 reads '/' as a group separator.
[[nodiscard]] std::string dataset_name(std::string_view raw);

}  // namespace commons::python
