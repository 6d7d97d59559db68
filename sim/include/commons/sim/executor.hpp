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
  /// Worker threads; 0 uses every core.
  int threads = 0;
  /// The order in which runs are started, by run index; empty means plan order.
  std::vector<std::int64_t> start_order;
  ProgressObserver* progress = nullptr;
  /// Set from outside (a signal handler) to stop after the runs in flight; unfinished runs
  /// are not handed to the sink.
  const std::atomic<bool>* stop_requested = nullptr;
};

struct ExecutionReport {
  std::int64_t completed = 0;
  std::int64_t failed = 0;
  bool interrupted = false;
  /// One line per failed run: "run N: reason".
  std::vector<std::string> failures;
};

/// The runs of a scenario: every replicate of every design point, in plan order.
[[nodiscard]] std::vector<RunTask> plan_runs(const ScenarioSpec& spec);

/// Executes `tasks` (all of the plan unless given) and feeds `sink`; `sink.finish()` is called
/// only when every run completed.
ExecutionReport execute(const ScenarioSpec& spec, const Registry& registry, Sink& sink,
                        const ExecutorOptions& options = {});

}  // namespace commons::sim
