// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/executor.hpp>

#include <commons/sim/run.hpp>

#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <mutex>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <variant>

namespace commons::sim {
namespace {

// Progress is reported every this many steps of a run, and at its end.
constexpr std::int64_t progress_interval = 16;

/// A run that failed: the sink records why.
struct Failure {
  RunTask task;
  std::string message;
};

/// What workers hand the writer thread: finished runs, failures, and the per-agent rows of
/// runs under way (before their result); an empty optional ends the stream.
using Finished = std::optional<std::variant<RunResult, Failure, AgentRows>>;

/// Builds the run of `task` and steps it to its end; empty when `proceed`, asked before every
/// step, says to stop. `stepped` is told of every step; `agent_rows`, when set, takes the
/// per-agent rows as they are recorded.
template <class Proceed, class Stepped>
std::optional<RunResult> run_to_end(const ScenarioSpec& spec, const Registry& registry, const RunTask& task,
                                    RunControl control, Proceed&& proceed, Stepped&& stepped,
                                    std::function<void(AgentRows&&)> agent_rows) {
  // A sweep's point has a spec of its own, made for the run and dropped with it.
  const std::shared_ptr<const ScenarioSpec> point =
      spec.sweep ? spec.sweep->specs->make(task.variant, task.factors)
                 : std::shared_ptr<const ScenarioSpec>(std::shared_ptr<const ScenarioSpec>{},
                                                       &spec.variant_spec(task.variant));
  Run run(*point, registry, task, ExecutionPolicy{true}, nullptr, control);
  if (agent_rows && point->output.agents) run.stream_agent_rows(std::move(agent_rows));
  while (!run.done()) {
    if (!proceed()) return std::nullopt;
    run.step();
    stepped(run);
  }
  return run.take_result();
}

// The order in which to start the plan's runs: `requested`, which must name every run exactly
// once, or plan order.
std::vector<std::int64_t> start_order(const std::vector<RunTask>& tasks, const std::vector<std::int64_t>& requested) {
  const auto run_count = static_cast<std::int64_t>(tasks.size());
  std::vector<std::int64_t> order = requested;
  if (order.empty()) {
    for (const RunTask& task : tasks) order.push_back(task.index);
  }
  if (static_cast<std::int64_t>(order.size()) != run_count)
    throw std::invalid_argument("start order must name every run exactly once");
  std::vector<bool> seen(tasks.size(), false);
  for (std::int64_t index : order) {
    if (index < 0 || index >= run_count || seen[static_cast<std::size_t>(index)])
      throw std::invalid_argument("start order must name every run exactly once");
    seen[static_cast<std::size_t>(index)] = true;
  }
  return order;
}

// Runs an earlier execution made durable in the same results are not run again: drops them
// from `order` (which names every run once) and returns how many there were.
std::int64_t skip_resumed(std::vector<std::int64_t>& order, const std::vector<std::int64_t>& resumed_runs) {
  const auto run_count = static_cast<std::int64_t>(order.size());
  std::vector<bool> done(order.size(), false);
  for (const std::int64_t index : resumed_runs)
    if (index >= 0 && index < run_count) done[static_cast<std::size_t>(index)] = true;
  std::erase_if(order, [&](std::int64_t index) { return done[static_cast<std::size_t>(index)]; });
  return run_count - static_cast<std::int64_t>(order.size());
}

/// The one thread that talks to the sink (HDF5 is serial): workers push finished runs and
/// failures, it hands them on in arrival order and makes them durable. The sink laid out every
/// variable in begin(), so runs may reach it in any order. An error of the sink stops the
/// handing on (failed() tells workers to stop) and is rethrown by close().
class SinkWriter {
 public:
  SinkWriter(Sink& sink, ProgressObserver* progress, std::int64_t planned_runs, std::int64_t capacity)
      : sink_(sink), progress_(progress), planned_runs_(planned_runs) {
    queue_.set_capacity(capacity);
    thread_ = std::thread([this] { write(); });
  }
  SinkWriter(const SinkWriter&) = delete;
  SinkWriter& operator=(const SinkWriter&) = delete;
  ~SinkWriter() {
    // Only when a worker's exception left execute() early: end the thread rather than terminate.
    if (thread_.joinable()) {
      queue_.push(std::nullopt);
      thread_.join();
    }
  }

  /// Waits while the queue is full.
  void push(Finished item) { queue_.push(std::move(item)); }
  [[nodiscard]] bool failed() const { return failed_.load(); }
  /// Ends the stream and waits for the thread; returns the runs the sink consumed.
  /// \throws what the sink threw.
  std::int64_t close() {
    queue_.push(std::nullopt);
    thread_.join();
    if (error_) std::rethrow_exception(error_);
    return consumed_.load();
  }

 private:
  template <class Call>
  void guarded(Call&& call) {
    if (failed_.load()) return;
    try {
      call();
    } catch (...) {
      error_ = std::current_exception();
      failed_.store(true);
    }
  }

  void write() {
    // Making runs durable costs a sync to the disk: done when nothing waits, but at most every
    // sync_interval, so that fast runs are not synced one by one; a run consumed meanwhile is
    // still made durable within sync_interval, even if no other run follows for hours.
    constexpr auto sync_interval = std::chrono::milliseconds(100);
    auto last_sync = std::chrono::steady_clock::now() - sync_interval;
    bool unsynced = false;
    const auto sync_now = [&] {
      guarded([&] { sink_.sync(); });
      last_sync = std::chrono::steady_clock::now();
      unsynced = false;
    };
    std::int64_t finished_runs = 0;
    for (;;) {
      Finished item;
      while (!queue_.try_pop(item)) {
        if (unsynced && std::chrono::steady_clock::now() - last_sync >= sync_interval) sync_now();
        if (!unsynced) {
          queue_.pop(item);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      if (!item) {
        sync_now();
        return;
      }
      if (auto* rows = std::get_if<AgentRows>(&*item)) {
        guarded([&] { sink_.consume_agents(std::move(*rows)); });
        continue;
      }
      if (auto* result = std::get_if<RunResult>(&*item)) {
        guarded([&] {
          sink_.consume(std::move(*result));
          consumed_.fetch_add(1);
        });
        unsynced = true;
      } else {
        const Failure& failure = std::get<Failure>(*item);
        guarded([&] { sink_.fail(failure.task, failure.message); });
      }
      if (progress_ != nullptr) progress_->on_runs(++finished_runs, planned_runs_);
    }
  }

  Sink& sink_;
  ProgressObserver* progress_;
  std::int64_t planned_runs_;
  tbb::concurrent_bounded_queue<Finished> queue_;
  std::atomic<bool> failed_{false};
  std::exception_ptr error_;
  std::atomic<std::int64_t> consumed_{0};
  std::thread thread_;
};

// Runs the tasks `order` names on `threads` workers, handing each result or failure to
// `writer`, and with `stream_agents` the per-agent rows as they are recorded; a failed run adds its line to `failures`. Returns whether a stop was requested (or
// a run was interrupted); the writer failing stops the runs too, without that.
bool run_all(const ScenarioSpec& spec, const Registry& registry, const std::vector<RunTask>& tasks,
             const std::vector<std::int64_t>& order, int threads, const ExecutorOptions& options, SinkWriter& writer,
             bool stream_agents, std::vector<std::string>& failures) {
  const std::int64_t steps_total = static_cast<std::int64_t>(order.size()) * spec.steps;
  std::atomic<std::int64_t> steps_done{0};
  std::atomic<bool> interrupted{false};
  std::mutex failure_mutex;

  auto stop_now = [&] {
    if (options.stop_requested != nullptr && options.stop_requested->load()) interrupted.store(true);
    return interrupted.load() || writer.failed();
  };
  auto execute_one = [&](const RunTask& task) {
    if (stop_now()) return;
    try {
      std::int64_t reported = 0;
      std::optional<RunResult> result = run_to_end(
          spec, registry, task, RunControl(options.stop_requested, options.progress), [&] { return !stop_now(); },
          [&](const Run& run) {
            const std::int64_t unreported = run.steps_done() - reported;
            if (options.progress != nullptr && (unreported == progress_interval || run.done())) {
              options.progress->on_progress(steps_done.fetch_add(unreported) + unreported, steps_total);
              reported = run.steps_done();
            }
          },
          stream_agents ? std::function<void(AgentRows&&)>([&writer](AgentRows&& rows) { writer.push(Finished{std::move(rows)}); })
                        : std::function<void(AgentRows&&)>{});
      if (!result) return;
      writer.push(Finished{std::move(*result)});
    } catch (const Interrupted&) {
      interrupted.store(true);
    } catch (const std::exception& error) {
      if (stop_now()) return;
      const std::string message = error.what();
      {
        const std::scoped_lock lock(failure_mutex);
        failures.push_back("run " + std::to_string(task.index) + ": " + message);
      }
      writer.push(Finished{Failure{task, message}});
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
  return interrupted.load();
}

}  // namespace

int effective_threads(int requested) {
  const int cores = tbb::info::default_concurrency();
  return requested > 0 ? std::min(requested, cores) : cores;
}

std::vector<RunTask> plan_runs(const ScenarioSpec& spec) {
  std::vector<RunTask> tasks;
  if (!spec.sweep) {
    tasks.reserve(static_cast<std::size_t>(spec.variant_count() * spec.replicates));
    for (std::int64_t variant = 0; variant < spec.variant_count(); ++variant)
      for (std::int64_t replicate = 0; replicate < spec.replicates; ++replicate)
        tasks.push_back(RunTask{static_cast<std::int64_t>(tasks.size()), replicate, spec.seed, variant, {}, 0, 0, 0,
                                variant});
    return tasks;
  }
  const SweepSpec& sweep = *spec.sweep;
  const SweepDesign design = expand(sweep);
  const std::vector<const FactorSpec*> factors = sweep.factors();
  const std::size_t parameters = sweep.parameters.size();
  const std::size_t levers = sweep.levers.size();

  std::vector<std::uint64_t> streams(static_cast<std::size_t>(design.points));
  for (std::int64_t point = 0; point < design.points; ++point)
    streams[static_cast<std::size_t>(point)] = stream_word(
        sweep, std::span(design.parameter_values).subspan(static_cast<std::size_t>(point) * parameters, parameters));

  // Replicate-major, then point, then policy: an interrupted sweep has every point and policy
  // run about equally often, and the points of a Saltelli group or a Morris trajectory together.
  tasks.reserve(static_cast<std::size_t>(sweep.replicates * design.points * design.policies));
  for (std::int64_t replicate = 0; replicate < sweep.replicates; ++replicate)
    for (std::int64_t point = 0; point < design.points; ++point)
      for (std::int64_t policy = 0; policy < design.policies; ++policy) {
        RunTask task;
        task.index = static_cast<std::int64_t>(tasks.size());
        task.replicate = replicate;
        task.seed = spec.seed;
        task.design_point = point;
        task.policy = policy;
        task.stream = streams[static_cast<std::size_t>(point)];
        task.factors.reserve(factors.size());
        const auto p0 = design.parameter_values.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(point) * parameters);
        task.factors.insert(task.factors.end(), p0, p0 + static_cast<std::ptrdiff_t>(parameters));
        const auto l0 = design.lever_values.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(policy) * levers);
        task.factors.insert(task.factors.end(), l0, l0 + static_cast<std::ptrdiff_t>(levers));
        // The variant is a factor like any other when the sweep names it.
        task.variant = sweep.variant_at(task.factors);
        tasks.push_back(std::move(task));
      }
  return tasks;
}

std::int64_t plan_size(const ScenarioSpec& spec) {
  if (!spec.sweep) return spec.variant_count() * spec.replicates;
  const SweepDesign design = expand(*spec.sweep);
  return design.points * design.policies * spec.sweep->replicates;
}

PlanInfo plan_info(const ScenarioSpec& spec, const Registry& registry) {
  PlanInfo plan;
  plan.scenario_name = spec.name;
  plan.scenario_text = spec.resolved_text;
  plan.steps = spec.steps;
  plan.tasks = plan_runs(spec);
  for (std::int64_t variant = 0; variant < spec.variant_count(); ++variant) {
    const ScenarioSpec& variant_spec = spec.variant_spec(variant);
    plan.agents = std::max(plan.agents, variant_spec.agent_count());
    if (!spec.sweep) plan.layouts.push_back(describe_run(variant_spec, registry));
  }
  if (spec.sweep && spec.sweep->specs) {
    plan.layouts = spec.sweep->specs->layouts(registry);
    for (RunTask& task : plan.tasks) task.layout = spec.sweep->specs->layout_of(task.design_point, task.policy);
  }
  for (const ScenarioSpec& variant : spec.variants) plan.variants.push_back(variant.variant);
  plan.attachments = spec.attachments;
  if (spec.sweep) {
    const SweepSpec& sweep = *spec.sweep;
    if (sweep.specs) plan.agents = std::max(plan.agents, sweep.specs->largest()->agent_count());
    const SweepDesign design = expand(sweep);
    SweepInfo info;
    info.design = design_name(sweep.design);
    info.points = design.points;
    info.policies = design.policies;
    info.replicates = sweep.replicates;
    info.samples = sweep.samples;
    info.grid_levels = sweep.design == SweepSpec::Design::morris ? sweep.grid_levels : 0;
    info.group_size = design.group_size;
    info.unit = design.unit;
    for (const FactorSpec* factor : sweep.factors()) {
      FactorInfo described;
      described.path = factor->path;
      described.role = factor >= sweep.parameters.data() && factor < sweep.parameters.data() + sweep.parameters.size()
                           ? "parameter"
                           : "lever";
      if (!factor->numeric())
        for (const Level& level : factor->levels) described.labels.push_back(level.to_string());
      described.description = factor->describe();
      info.factors.push_back(std::move(described));
    }
    plan.sweep = std::move(info);
  }
  return plan;
}

RunResult run_task(const ScenarioSpec& spec, const Registry& registry, const RunTask& task, RunControl control) {
  if (spec.sweep && !spec.sweep->specs) throw std::invalid_argument("a sweep needs the specs of its points");
  std::optional<RunResult> result =
      run_to_end(spec, registry, task, control, [&] { return !control.stop_requested(); }, [](const Run&) {}, {});
  if (!result) throw Interrupted{};
  return std::move(*result);
}

ExecutionReport execute(const ScenarioSpec& spec, const Registry& registry, Sink& sink,
                        const ExecutorOptions& options) {
  if (spec.sweep && !spec.sweep->specs) throw std::invalid_argument("a sweep needs the specs of its points");
  const PlanInfo plan = plan_info(spec, registry);
  std::vector<std::int64_t> order = start_order(plan.tasks, options.start_order);
  sink.begin(plan);
  const std::int64_t resumed = skip_resumed(order, sink.resumed_runs());

  const int threads = effective_threads(options.threads);
  SinkWriter writer(sink, options.progress, static_cast<std::int64_t>(order.size()),
                    options.queue_capacity > 0 ? options.queue_capacity : 2 * threads + 2);
  ExecutionReport report;
  report.interrupted =
      run_all(spec, registry, plan.tasks, order, threads, options, writer, sink.streams_agents(), report.failures);
  report.completed = writer.close();
  report.failed = static_cast<std::int64_t>(report.failures.size());
  report.resumed = resumed;
  if (!report.interrupted) sink.finish();
  return report;
}

}  // namespace commons::sim
