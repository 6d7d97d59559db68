// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// A sink that keeps a plan's runs in memory laid out as the results file lays them out
/// (docs/results-format.md): one array per variable over `run` (and `step`, `agent`, `degree`),
/// NaN where a run did not record or has not written a value, with the file's coordinates and
/// attributes; for a sweep also its factors in `runs/` and its design in `design/`. The Python
/// module hands these arrays to numpy without copying them. It knows runs only as
/// sim::PlanInfo, sim::RunTask and sim::RunResult, and describes what it holds generically
/// (named arrays with attributes, by group), so that a new kind of plan is a change to begin()
/// alone.

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

/// An attribute as the results file stores it: text, an int64, or an array (CF flag_values,
/// a categorical factor's levels).
using AttributeValue = std::variant<std::string, std::int64_t, std::vector<std::int8_t>, std::vector<std::int64_t>,
                                    std::vector<std::string>>;
/// Attributes in the order the file writes them.
using Attributes = std::vector<std::pair<std::string, AttributeValue>>;

/// Values of one dataset, of the type the file stores.
using Values = std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::uint64_t>,
                            std::vector<std::int8_t>, std::vector<std::string>>;

/// A dimension coordinate (`run`, `step`, `agent`, `degree`, `design_point`, `parameter`): the
/// values of the dimension scale of that name, which every group using it holds alike.
struct Coordinate {
  std::string name;
  Values values;
  Attributes attributes;
};

/// One dataset of a group: its name in the results file, its values in C order over its
/// dimensions, and its attributes (`units`, `long_name`, ...).
struct Variable {
  std::string name;
  std::vector<std::string> dimensions;
  Values values;
  Attributes attributes;
};

/// One group of the results file (`runs`, `series`, `design`, ...): its datasets, and the
/// attributes of the group itself (a sweep's `design/` has some).
struct Group {
  std::string name;
  std::vector<Variable> variables;
  Attributes attributes;
  /// For each of the plan's layouts, the variable of each variable of that layout, in the
  /// layout's order (groups filled from RunResult only).
  std::vector<std::vector<std::size_t>> of_layout;
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

  /// Lays out every variable of every layout, as Hdf5Sink does, NaN until a run arrives.
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

  /// The dimension coordinates the groups use, in the order they first appear.
  /// Non-const, as groups(), so that the module can move the values out without copying them.
  [[nodiscard]] std::vector<Coordinate>& coordinates() noexcept { return coordinates_; }
  /// The groups in the file's order: runs, series, summary, references, then agents (only when
  /// agents are recorded), network (only with a social network), design (only for a sweep).
  [[nodiscard]] std::vector<Group>& groups() noexcept { return groups_; }

 private:
  void lay_out_runs(const sim::PlanInfo& plan);
  void lay_out_sweep(const sim::PlanInfo& plan, Group& runs);
  void lay_out_results(const sim::PlanInfo& plan);
  void lay_out_design(const sim::PlanInfo& plan);
  void lay_out_sites(const sim::PlanInfo& plan);
  [[nodiscard]] Group& group(std::string_view name);
  [[nodiscard]] std::vector<std::int8_t>& completed();
  [[nodiscard]] std::vector<std::string>& errors();

  std::uint64_t memory_budget_;
  std::string what_;
  sim::PlanInfo plan_;
  std::int64_t runs_ = 0;
  std::size_t agents_ = 0;
  /// Recorded steps of each run's agents: every step, or every agent_interval-th.
  std::size_t agent_steps_ = 0;
  std::size_t degree_width_ = 0;
  /// The sites of a spatial plan and the samples of each run along them; none otherwise.
  sim::SiteLayout site_layout_;
  std::size_t site_steps_ = 0;
  std::vector<Coordinate> coordinates_;
  std::vector<Group> groups_;
  /// Which of the plan's layouts each run records.
  std::vector<std::int64_t> layout_of_;
};

/// The dataset name of a variable or parameter, as the results file names it: a leading '/'
/// dropped and every other '/' made '.', because HDF5 reads '/' as a group separator.
[[nodiscard]] std::string dataset_name(std::string_view raw);

}  // namespace commons::python
