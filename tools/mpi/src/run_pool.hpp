// SPDX-License-Identifier: Apache-2.0
#pragma once
// A rank's runs: started on oneTBB threads as they are handed in, their outcomes held for the
// thread that talks MPI. Rank 0 and the workers run runs with the same pool.

#include <commons/mpi/run_codec.hpp>
#include <commons/sim/executor.hpp>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <variant>

namespace commons::mpi {

/// A finished run, or one that threw.
using Outcome = std::variant<sim::RunResult, RunFailure>;

class RunPool {
 public:
  /// Runs go `threads` at once. `tasks` are the plan's, indexed by run; `spec`, `registry` and
  /// `tasks` must outlive the pool. `progress` hears of long activities inside runs.
  RunPool(const sim::ScenarioSpec& spec, const sim::Registry& registry, std::span<const sim::RunTask> tasks,
          int threads, sim::ProgressObserver* progress = nullptr);
  /// Halts, then waits until no thread is in a run.
  ~RunPool();
  RunPool(const RunPool&) = delete;
  RunPool& operator=(const RunPool&) = delete;

  /// Runs to start, in this order.
  void add(std::span<const std::int64_t> indices);
  /// Runs in flight are abandoned (they stop within a second), runs not started are dropped,
  /// and nothing that ends from now on is kept; outcomes already waiting stay.
  void halt();
  /// Runs added and not yet taken out with pop(): waiting, running, or finished.
  [[nodiscard]] std::int64_t held() const;
  /// No run is waiting or running.
  [[nodiscard]] bool idle() const;
  /// The next outcome, if one is waiting.
  [[nodiscard]] std::optional<Outcome> pop();
  /// Waits until an outcome is waiting or `timeout` has passed.
  void wait(std::chrono::microseconds timeout) const;

 private:
  void run_one(std::int64_t index);

  const sim::ScenarioSpec& spec_;
  const sim::Registry& registry_;
  std::span<const sim::RunTask> tasks_;
  sim::ProgressObserver* progress_;
  std::atomic<bool> halted_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  /// Runs added that have not ended (waiting or running).
  std::int64_t unfinished_ = 0;
  std::deque<Outcome> outcomes_;
  // No thread of this process joins the arena, so oneTBB is allowed one worker more than its
  // default (cores - 1, which counts on a joining thread) to fill every slot.
  tbb::global_control workers_;
  tbb::task_arena arena_;
};

}  // namespace commons::mpi
