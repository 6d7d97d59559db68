// SPDX-License-Identifier: Apache-2.0
#include <commons/mpi/world.hpp>

#include <mpi.h>
#include <oneapi/tbb/info.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace commons::mpi {

World::World() {
  // The launcher passes nothing on the command line (MPI 2 and later), so argv stays the CLI's.
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm local = MPI_COMM_NULL;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
  MPI_Comm_size(local, &local_ranks_);
  MPI_Comm_free(&local);
}

World::~World() { MPI_Finalize(); }

int World::threads(int requested) const {
  if (requested > 0) return requested;
  // oneTBB counts the cores in this process's affinity mask; a launcher that bound the rank
  // (mpirun binds to a core when it starts at most two ranks) has already made the share.
  const int usable = tbb::info::default_concurrency();
  const auto online = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (usable < online) return usable;
  return std::max(1, usable / local_ranks_);
}

void World::abort(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return; this says so to the compiler
}

void World::leave(int code) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(code);
}

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

}  // namespace commons::mpi
