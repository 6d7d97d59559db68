// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/executor.hpp>

#include <commons/sim/run.hpp>

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <exception>
#include <map>
#include <mutex>
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
  tasks.reserve(static_cast<std::size_t>(spec.variant_count() * spec.replicates));
  for (std::int64_t variant = 0; variant < spec.variant_count(); ++variant)
    for (std::int64_t replicate = 0; replicate < spec.replicates; ++replicate)
      tasks.push_back(RunTask{static_cast<std::int64_t>(tasks.size()), replicate, spec.seed, {}, variant});
  return tasks;
}

ExecutionReport execute(const ScenarioSpec& spec, const Registry& registry, Sink& sink,
                        const ExecutorOptions& options) {
  const std::vector<RunTask> tasks = plan_runs(spec);
  const auto run_count = static_cast<std::int64_t>(tasks.size());

  // The first run of each variant goes to the sink before any other run (see below); starting
  // those runs first keeps the runs held back for them few.
  std::vector<std::int64_t> heads;
  if (spec.variant_count() > 1)
    for (const RunTask& task : tasks)
      if (task.replicate == 0) heads.push_back(task.index);
  std::vector<std::int64_t> order = options.start_order;
  if (order.empty()) {
    order = heads;
    for (const RunTask& task : tasks)
      if (std::find(heads.begin(), heads.end(), task.index) == heads.end()) order.push_back(task.index);
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

  PlanInfo plan{spec.name, spec.resolved_text, spec.steps, 0, tasks, {}};
  for (std::int64_t variant = 0; variant < spec.variant_count(); ++variant)
    plan.agents = std::max(plan.agents, spec.variant_spec(variant).agent_count());
  for (const ScenarioSpec& variant : spec.variants) plan.variants.push_back(variant.variant);
  sink.begin(plan);

  // Workers fill results; the one writer thread alone talks to the sink (HDF5 is serial).
  // Variants may record different variables, and a sink lays out a variable when it first
  // sees it. So that the layout does not depend on which run finishes first, the first run of
  // each variant reaches the sink before any other run, in variant order; runs that finish
  // earlier wait in `held` (or until the end, should a first run fail).
  tbb::concurrent_bounded_queue<std::optional<RunResult>> finished;
  std::atomic<bool> writer_failed{false};
  std::exception_ptr writer_error;
  std::thread writer([&] {
    std::map<std::int64_t, RunResult> held;
    std::size_t next_head = 0;
    const auto pass_on = [&](RunResult&& result) {
      if (writer_failed.load()) return;
      try {
        sink.consume(std::move(result));
      } catch (...) {
        writer_error = std::current_exception();
        writer_failed.store(true);
      }
    };
    const auto release_all = [&] {
      for (auto& [index, result] : held) pass_on(std::move(result));
      held.clear();
    };
    for (;;) {
      std::optional<RunResult> result;
      finished.pop(result);
      if (!result) {
        release_all();
        return;
      }
      if (next_head == heads.size()) {
        pass_on(std::move(*result));
        continue;
      }
      held.emplace(result->task.index, std::move(*result));
      for (auto head = held.find(heads[next_head]); head != held.end(); head = held.find(heads[next_head])) {
        pass_on(std::move(head->second));
        held.erase(head);
        if (++next_head == heads.size()) {
          release_all();
          break;
        }
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
      Run run(spec.variant_spec(task.variant), registry, task, ExecutionPolicy{true});
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
