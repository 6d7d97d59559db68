// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Rank 0 of an MPI job: compares every rank's plan with its own, hands out runs in plan order
/// as ranks ask for them, runs runs on its own threads too, and is the one writer: every
/// finished run reaches its sink from the thread that made the Manager.

#include <commons/mpi/protocol.hpp>
#include <commons/sim/executor.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace commons::mpi {

class World;

class Manager {
 public:
  explicit Manager(const World& world);

  /// Waits for every other rank's greeting and compares it with this rank's. Empty when every
  /// rank loaded the same plan with the same build; else one sentence per rank that differs or
  /// could not load the scenario.
  [[nodiscard]] std::vector<std::string> agree(const Greeting& mine);

  /// Executes `plan` (plan_info(spec, registry), agreed on) across the ranks, as sim::execute
  /// does on one process: sink.begin(), consume() or fail() for every run not already in the
  /// sink, sync() whenever nothing waits, finish() unless interrupted; the runs the sink
  /// resumes are handed to no one. Stops when `options.stop_requested` is set, when a rank says
  /// a signal reached it, or when a rank falls silent; runs then in flight are abandoned.
  /// Errors of the sink end execution and are rethrown here.
  sim::ExecutionReport execute(const sim::PlanInfo& plan, const sim::ScenarioSpec& spec,
                               const sim::Registry& registry, sim::Sink& sink, const sim::ExecutorOptions& options);

  /// Runs that reached the sink (completed or failed) from each rank, by rank.
  [[nodiscard]] const std::vector<std::int64_t>& runs_by_rank() const noexcept { return runs_by_rank_; }

  /// Sentences about ranks that died or fell silent, for the command line to print.
  [[nodiscard]] const std::vector<std::string>& losses() const noexcept { return losses_; }

  /// Tells every rank the job is over with exit code `code`, and whether a rank was lost, and
  /// waits until each has acknowledged; false when one did not (a lost rank is not asked).
  bool release(int code);

 private:
  struct Peer {
    Greeting greeting;
    /// Runs handed to it and not yet returned.
    std::int64_t outstanding = 0;
    /// It will send nothing more but `bye`.
    bool stopped = false;
    /// Dead or silent: nothing is sent to it or waited for.
    bool lost = false;
    std::chrono::steady_clock::time_point heard;
  };
  /// Describes `rank` for messages: "rank 2 (pid 123 on node7)".
  [[nodiscard]] std::string describe(int rank) const;
  /// Marks `rank` lost with `what` happened to it.
  void lose(int rank, const std::string& what);
  /// Whether `rank` runs on this machine and its process is gone.
  [[nodiscard]] bool dead_here(int rank) const;

  int size_;
  Greeting mine_;
  std::vector<Peer> peers_;
  std::vector<std::string> losses_;
  std::vector<std::int64_t> runs_by_rank_;
  bool released_ = false;
  Mailbox mailbox_;
};

}  // namespace commons::mpi
