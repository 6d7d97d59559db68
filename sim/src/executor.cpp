// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/executor.hpp>

#include <commons/sim/run.hpp>

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <exception>
#include <mutex>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <thread>

namespace commons::sim {
namespace {

// Progress is reported every this many steps of a run, and at its end.
constexpr std::int64_t progress_interval = 16;

}  // namespace

std::vector<RunTask> plan_runs(const ScenarioSpec& spec) {
  std::vector<RunTask> tasks;
  tasks.reserve(static_cast<std::size_t>(spec.replicates));
  for (std::int64_t replicate = 0; replicate < spec.replicates; ++replicate)
    tasks.push_back(RunTask{replicate, replicate, spec.seed, {}});
  return tasks;
}

ExecutionReport execute(const ScenarioSpec& spec, const Registry& registry, Sink& sink,
                        const ExecutorOptions& options) {
  const std::vector<RunTask> tasks = plan_runs(spec);
  const auto run_count = static_cast<std::int64_t>(tasks.size());

  std::vector<std::int64_t> order = options.start_order;
  if (order.empty()) {
    order.resize(tasks.size());
    std::iota(order.begin(), order.end(), std::int64_t{0});
  }
  if (static_cast<std::int64_t>(order.size()) != run_count)
    throw std::invalid_argument("start order must name every run exactly once");
  {
    std::vector<bool> seen(tasks.size(), false);
    for (std::int64_t index : order) {
      if (index < 0 || index >= run_count || seen[static_cast<std::size_t>(index)])
        throw std::invalid_argument("start order must name every run exactly once");
      seen[static_cast<std::size_t>(index)] = true;
    }
  }

  sink.begin(PlanInfo{spec.name, spec.resolved_text, spec.steps, spec.agent_count(), tasks});

  // Workers fill results; the one writer thread alone talks to the sink (HDF5 is serial).
  tbb::concurrent_bounded_queue<std::optional<RunResult>> finished;
  std::atomic<bool> writer_failed{false};
  std::exception_ptr writer_error;
  std::thread writer([&] {
    for (;;) {
      std::optional<RunResult> result;
      finished.pop(result);
      if (!result) return;
      if (writer_failed.load()) continue;
      try {
        sink.consume(std::move(*result));
      } catch (...) {
        writer_error = std::current_exception();
        writer_failed.store(true);
      }
    }
  });

  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  finished.set_capacity(2 * threads + 2);
  const std::int64_t steps_total = run_count * spec.steps;
  std::atomic<std::int64_t> steps_done{0};
  std::atomic<bool> interrupted{false};
  std::atomic<std::int64_t> completed{0};
  std::mutex failure_mutex;
  ExecutionReport report;

  auto stop_now = [&] {
    if (options.stop_requested != nullptr && options.stop_requested->load()) interrupted.store(true);
    return interrupted.load() || writer_failed.load();
  };
  auto execute_one = [&](const RunTask& task) {
    try {
      Run run(spec, registry, task, ExecutionPolicy{true});
      std::int64_t reported = 0;
      while (!run.done()) {
        if (stop_now()) return;
        run.step();
        const std::int64_t unreported = run.steps_done() - reported;
        if (options.progress != nullptr && (unreported == progress_interval || run.done())) {
          options.progress->on_progress(steps_done.fetch_add(unreported) + unreported, steps_total);
          reported = run.steps_done();
        }
      }
      finished.push(run.take_result());
      completed.fetch_add(1);
    } catch (const std::exception& error) {
      const std::scoped_lock lock(failure_mutex);
      report.failures.push_back("run " + std::to_string(task.index) + ": " + error.what());
    }
  };

  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, order.size(), 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t i = range.begin(); i != range.end(); ++i)
            execute_one(tasks[static_cast<std::size_t>(order[i])]);
        },
        tbb::simple_partitioner{});
  });

  finished.push(std::nullopt);
  writer.join();
  if (writer_error) std::rethrow_exception(writer_error);

  report.failed = static_cast<std::int64_t>(report.failures.size());
  report.interrupted = interrupted.load();
  report.completed = completed.load();
  if (!report.interrupted) sink.finish();
  return report;
}

}  // namespace commons::sim
