// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The sink that writes a plan's runs into one HDF5 results file (layout version 1).

#include <commons/output/provenance.hpp>
#include <commons/sim/run_control.hpp>
#include <commons/sim/sink.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace commons::output {

/// Writes runs as they finish into `FILE.partial` and renames it to `FILE` in finish(). The
/// guarantees (docs/cli.md#what-commons-promises-about-your-files):
/// - One writer per output: FILE.partial is created only once its structure is complete, and
///   locked (flock) from its creation to its rename; a second sink for the same path stops
///   with an OutputError naming the other writer, and never truncates anything.
/// - Only a regular file, or a path that does not exist, is ever replaced; never one of the
///   scenario's inputs.
/// - Commit order: the file's structure is settled in begin() (every dataset of every variant
///   allocated); a run's rows are written, flushed and synced to the device before its
///   `completed` flag is set, so a flag of 1 means every dataset of the run is final, even
///   after kill -9. Later writes change only raw bytes at addresses fixed in begin().
/// - The final name holds a file only when every run was attempted and at least one completed:
///   root attribute `status` "complete", or "failed" with the failures' messages in
///   `runs/error`. An interrupted run leaves `FILE.partial` with `status` "partial" (or
///   nothing, if no run had completed).
/// - Resuming (`resume`): FILE.partial left by an interrupted run of the same plan (root
///   attribute `plan_sha256`, plan_fingerprint()) is continued where it stopped: its flagged runs
///   are kept (resumed_runs()) and never written again, the others are written as in a fresh
///   file, and the file ends exactly as an uninterrupted one would, but for the root attribute
///   `sessions`. It is written only at addresses fixed when it was laid out, so kill -9 during a
///   resumed session leaves a file that resumes again. A FILE.partial of another plan is refused
///   and left untouched.
/// Not thread-safe: the executor calls it from one thread (HDF5 itself is serialised).
class Hdf5Sink final : public sim::Sink {
 public:
  /// What finish() made of the runs.
  enum class Outcome { unfinished, complete, failed, empty };

  /// Checks the destination only; the file is created (or, resuming, opened) in begin().
  /// `inputs` are files the results must never replace: the scenario and the files it names.
  /// With `resume`, a `FILE.partial` left by an interrupted run is continued in begin() instead
  /// of refused; without one, begin() starts afresh. `provenance` then is that of the session
  /// that laid the file out: the root attributes keep it.
  /// \throws OutputError if `final_path` may not be written (see Destination in the sources:
  ///         not a regular file, an input, a missing directory, an existing file without
  ///         `overwrite`), if another process is writing it, or if `FILE.partial` was left by
  ///         an interrupted run and neither `overwrite` nor `resume` is set.
  Hdf5Sink(std::filesystem::path final_path, Provenance provenance, bool overwrite,
           std::vector<std::filesystem::path> inputs = {}, bool resume = false);
  ~Hdf5Sink() override;
  Hdf5Sink(const Hdf5Sink&) = delete;
  Hdf5Sink& operator=(const Hdf5Sink&) = delete;

  /// Lays out the whole file in an anonymous file (provenance, the scenario and the files it
  /// names, `runs/`, every variable of every variant, NaN until written), syncs it, and only
  /// then makes it `FILE.partial`.
  /// \throws OutputError on an invalid plan (no runs, no steps, indices not 0..n-1, a variant
  ///         index outside the plan's variants, a variant name that is empty, has white space
  ///         or repeats, layouts that disagree on agents or name two variables alike), when the
  ///         file would not fit the free space of its file system, when another process has
  ///         meanwhile claimed the name, or on an HDF5 failure.
  ///         Resuming: when another process writes FILE.partial, or it cannot be resumed (not a
  ///         results file of this layout version, status not "partial", or another plan's runs:
  ///         the message names the scenario there and here and what else visibly differs);
  ///         the file is then left as it was.
  void begin(const sim::PlanInfo& plan) override;
  /// Runs flagged complete in FILE.partial when begin() resumed it, in increasing order; empty
  /// after a fresh begin(). The executor does not run them again; consuming one is an error.
  [[nodiscard]] std::vector<std::int64_t> resumed_runs() const override;
  /// Writes one run's per-agent and per-site rows and stages its small rows (series, summary,
  /// references, degrees); they are written and committed (made durable, then flagged complete)
  /// by the next sync(), or here when the last commit is more than a second old.
  /// \throws OutputError on a run the plan does not have, a run written twice, a wrong seed,
  ///         variables other than its variant's layout, mis-sized values, or an HDF5 failure.
  void consume(sim::RunResult&& result) override;
  /// True: per-agent rows are written as runs record them, so a run of any size holds only a
  /// piece of them in memory.
  [[nodiscard]] bool streams_agents() const override;
  /// Writes a run's per-agent rows where they belong in `agents/`, before its result; the run
  /// stays unflagged until consume() takes the result, which must account for every value
  /// streamed. A run killed meanwhile is rerun whole on resume.
  /// \throws OutputError on a run the plan does not have or already written, rows or values
  ///         that do not fit its layout, or an HDF5 failure.
  void consume_agents(sim::AgentRows&& rows) override;
  /// Remembers the failure; its message goes to `runs/error` in finish(). Rows the run streamed
  /// are set to NaN again.
  void fail(const sim::RunTask& task, const std::string& message) override;
  /// Commits the runs consumed since the last commit: flush and sync the rows, then set their
  /// flags and flush again.
  void sync() override;
  /// Commits, then: every run completed: `status` "complete", renamed to FILE; some failed:
  /// a copy with their messages and `status` "failed" becomes FILE; none completed:
  /// `FILE.partial` is removed and nothing is written.
  /// \throws OutputError if the file cannot be closed or renamed, or if the final name has
  ///         appeared meanwhile and overwriting is not allowed (the partial file is kept).
  void finish() override;

  /// Laying out a large file reports to `control` and stops (sim::Interrupted, nothing left
  /// behind) when it asks.
  void watch(const sim::RunControl& control);

  [[nodiscard]] Outcome outcome() const noexcept;
  /// Runs committed so far (flag set), including those resumed.
  [[nodiscard]] std::int64_t committed_runs() const noexcept;
  /// Final name of the results file.
  [[nodiscard]] const std::filesystem::path& path() const noexcept;
  /// Name the file has until finish(): the final name with ".partial" appended.
  [[nodiscard]] const std::filesystem::path& partial_path() const noexcept;

  /// Size of the file begin() would lay out for `plan` [bytes]: the datasets, all allocated
  /// at once, and the metadata, within a few per cent.
  [[nodiscard]] static std::uintmax_t file_size(const sim::PlanInfo& plan);

  /// SHA-256 (hex) of everything in `plan` that decides the file's layout and its runs' values:
  /// scenario name and text, steps, every run (index, replicate, seed, variant, design point,
  /// policy, stream, factor values), the variant names, the layouts (variables with units and
  /// descriptions, agent ids, largest degree), the files the scenario names and the sweep. The
  /// same on every platform; stored as the root attribute `plan_sha256`.
  [[nodiscard]] static std::string plan_fingerprint(const sim::PlanInfo& plan);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Version of the HDF5 library results are written with, e.g. "1.10.8".
[[nodiscard]] std::string hdf5_version();

}  // namespace commons::output
