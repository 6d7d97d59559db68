// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Expands a scenario into runs and executes them on oneTBB, handing each finished run to a
/// sink from a single writer thread. Results do not depend on thread count or run order.

#include <commons/sim/registry.hpp>
#include <commons/sim/run_control.hpp>
#include <commons/sim/run_result.hpp>
#include <commons/sim/sink.hpp>
#include <commons/sim/spec.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace commons::sim {

struct ExecutorOptions {
  /// Worker threads; 0 uses every core. More threads than runs are never started.
  int threads = 0;
  /// The order in which runs are started, by run index; empty means plan order.
  std::vector<std::int64_t> start_order;
  /// Told how the plan's steps progress, and of every run that finishes.
  ProgressObserver* progress = nullptr;
  /// Set from outside (a signal handler) to stop after the runs in flight; unfinished runs
  /// are not handed to the sink.
  const std::atomic<bool>* stop_requested = nullptr;
  /// Finished runs held for the writer at most; 0 chooses twice the threads plus two. Runs
  /// that carry much data (per-agent output) hold memory while they wait, so admission control
  /// counts them.
  std::int64_t queue_capacity = 0;
};

struct ExecutionReport {
  /// Runs consumed by the sink.
  std::int64_t completed = 0;
  /// Runs the sink already held from an earlier, interrupted execution, and were not run again.
  std::int64_t resumed = 0;
  std::int64_t failed = 0;
  /// A stop was requested: runs in flight were abandoned and finish() was not called.
  bool interrupted = false;
  /// One line per failed run: "run N: reason".
  std::vector<std::string> failures;
};

/// Threads the executor uses for `requested` (ExecutorOptions::threads): every core for 0, and
/// never more than the machine has cores (results do not depend on it).
[[nodiscard]] int effective_threads(int requested);

/// The runs of a scenario, in plan order: every replicate of every variant; in a sweep,
/// replicate by replicate, every design point, and for each every policy.
[[nodiscard]] std::vector<RunTask> plan_runs(const ScenarioSpec& spec);

/// How many runs the scenario plans (plan_runs(spec).size(), without making them).
[[nodiscard]] std::int64_t plan_size(const ScenarioSpec& spec);

/// What a sink learns before the first run: the runs, and what each variant records.
/// \throws SpecError or std::invalid_argument as describe_run().
[[nodiscard]] PlanInfo plan_info(const ScenarioSpec& spec, const Registry& registry);

/// Runs one run of the plan (`task`, one of plan_info(spec, registry).tasks) to its end on the
/// calling thread, its agents on the calling thread's arena, exactly as execute() runs each: for
/// executors that are handed runs one at a time (the ranks of an MPI job). `control` is checked
/// between steps and in the long phases before the first.
/// \throws Interrupted when `control` asks to stop; whatever the run throws when it fails.
[[nodiscard]] RunResult run_task(const ScenarioSpec& spec, const Registry& registry, const RunTask& task,
                                 RunControl control = {});

/// Executes every run of the plan and feeds `sink`: begin() with plan_info(), consume() or
/// fail() for each run, sync() whenever the writer has nothing waiting and after the last run
/// (also when interrupted), and finish() once
/// every run was attempted (not after an interruption). Errors of the sink end execution and
/// are rethrown here.
ExecutionReport execute(const ScenarioSpec& spec, const Registry& registry, Sink& sink,
                        const ExecutorOptions& options = {});

}  // namespace commons::sim
