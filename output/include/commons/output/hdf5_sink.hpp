// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The sink that writes a plan's runs into one HDF5 results file (layout version 1).

#include <commons/output/provenance.hpp>
#include <commons/sim/sink.hpp>

#include <filesystem>
#include <memory>

namespace commons::output {

/// Writes runs as they finish into `FILE.partial` and renames it to `FILE` in finish().
///
/// Each consumed run is flushed to disk together with its completion flag, so a crash loses at
/// most the run in flight and the final name never holds a half-written file. Destroying the
/// sink before finish() closes the file and keeps `FILE.partial` for a later resume.
/// Not thread-safe: the executor calls it from one thread (HDF5 itself is serialised).
class Hdf5Sink final : public sim::Sink {
 public:
  /// Checks the destination only; the file is created in begin().
  /// \throws OutputError if `final_path` or `FILE.partial` exists and `overwrite` is false, or
  ///         if the directory does not exist.
  Hdf5Sink(std::filesystem::path final_path, Provenance provenance, bool overwrite);
  ~Hdf5Sink() override;
  Hdf5Sink(const Hdf5Sink&) = delete;
  Hdf5Sink& operator=(const Hdf5Sink&) = delete;

  /// Creates `FILE.partial` (replacing a stale one if overwriting is allowed), writes provenance, the scenario text,
  /// the dimension scales and everything in `runs/` except the completion flags (with a
  /// comparison also `variant` and `variant_name`).
  /// \throws OutputError on an invalid plan (no runs, no steps, indices not 0..n-1, a variant
  ///         index outside the plan's variants, a variant name that is empty, has white space
  ///         or repeats) or an HDF5 failure.
  void begin(const sim::PlanInfo& plan) override;
  /// Writes one run's row in every variable, then its completion flag, then flushes. Runs may
  /// come in any order. The first run that carries a variable creates its dataset; rows of
  /// runs that do not record it stay NaN (variants of a comparison record different variables).
  /// \throws OutputError on a run the plan does not have, a run written twice, a wrong seed,
  ///         an invalid or reserved variable name, mis-sized values, or an HDF5 failure.
  void consume(sim::RunResult&& result) override;
  /// Closes the file and renames it to its final name.
  /// \throws OutputError if the file cannot be closed or renamed, or if the final name has
  ///         appeared meanwhile and overwriting is not allowed (the partial file is kept).
  void finish() override;

  /// Final name of the results file.
  [[nodiscard]] const std::filesystem::path& path() const noexcept;
  /// Name the file has until finish(): the final name with ".partial" appended.
  [[nodiscard]] const std::filesystem::path& partial_path() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace commons::output
