// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Whether an MPI launcher started this process, told without MPI: `commons`, which does not
/// link MPI, asks it to hand such a process to `commons-mpi`, which does.

#include <cstdlib>
#include <initializer_list>

namespace commons::mpi {

/// Whether an MPI launcher started this process (Open MPI's mpirun, or a launcher speaking PMIx
/// or PMI: srun, MPICH's mpiexec), from the variables it sets. Only then is MPI initialised, so
/// that a plain `commons` never starts an MPI runtime.
[[nodiscard]] inline bool launched() {
  // OMPI_COMM_WORLD_SIZE: Open MPI's mpirun. PMIX_RANK: PMIx launchers (srun --mpi=pmix,
  // prterun). PMI_SIZE: PMI-1/2 launchers (MPICH's hydra, srun --mpi=pmi2). Slurm's own
  // variables are not enough: a batch script's plain `commons` sees them too.
  for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"}) {
    const char* value = std::getenv(variable);
    if (value != nullptr && *value != '\0') return true;
  }
  return false;
}

}  // namespace commons::mpi
