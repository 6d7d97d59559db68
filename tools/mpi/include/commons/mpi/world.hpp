// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// MPI for the life of one object, and what a rank needs to know of the job it is part of.

#include <commons/mpi/launched.hpp>

#include <string>

namespace commons::mpi {

/// MPI, initialised by the constructor and finalised by the destructor. Only the thread that
/// made it calls MPI (MPI_THREAD_FUNNELED); the runs' threads never do.
class World {
 public:
  World();
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  [[nodiscard]] int rank() const noexcept { return rank_; }
  [[nodiscard]] int size() const noexcept { return size_; }
  /// Ranks on this machine, this one included.
  [[nodiscard]] int local_ranks() const noexcept { return local_ranks_; }
  /// Threads for this rank's runs when `requested` is 0 (every core): the cores the launcher
  /// bound the rank to, or, unbound, an equal share of the machine's cores among its ranks, so
  /// that ranks started on one machine do not each take all of it. `requested` otherwise.
  [[nodiscard]] int threads(int requested) const;
  /// Ends every rank of the job at once with `code` (MPI_Abort), for a job one of whose ranks
  /// died: finalising would wait for it for ever.
  [[noreturn]] void abort(int code) const;
  /// Ends this process with `code` without finalising MPI, for a rank that outlived another:
  /// finalising would wait for the dead one, and the launcher would kill this one only after
  /// its grace period (a second for mpirun, KillWait under Slurm).
  [[noreturn]] static void leave(int code);

 private:
  int rank_ = 0;
  int size_ = 1;
  int local_ranks_ = 1;
};

/// This machine's name, for messages about ranks.
[[nodiscard]] std::string host_name();

}  // namespace commons::mpi
