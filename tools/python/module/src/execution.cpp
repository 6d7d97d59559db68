// SPDX-License-Identifier: Apache-2.0
#include "execution.hpp"

#include <build_info.hpp>
#include <commons/cli/source_state.hpp>
#include <commons/models/register_models.hpp>
#include <commons/output/hdf5_sink.hpp>
#include <commons/sim/footprint.hpp>
#include <commons/sim/library_versions.hpp>
#include <memory_budget.hpp>

#include <unistd.h>

#include <array>
#include <chrono>
#include <ctime>
#include <mutex>
#include <sstream>

namespace commons::python {
namespace {

/// Debian's HDF5 is built without thread safety, and Python threads may call commons.run at
/// once: runs that write a file take turns, from opening it to closing it.
std::timed_mutex file_writers;

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  return std::string(text.data(), std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc));
}

/// Hands each run to the arrays and, when a file is asked for, to the HDF5 sink; the file's
/// sink decides nothing the arrays do not also see, so both hold the same runs.
class TeeSink final : public sim::Sink {
 public:
  TeeSink(ArraySink& arrays, output::Hdf5Sink* file) : arrays_(arrays), file_(file) {}

  void begin(const sim::PlanInfo& plan) override {
    // The arrays first: a plan too large for memory is refused before a file exists.
    arrays_.begin(plan);
    if (file_ != nullptr) file_->begin(plan);
  }
  void consume(sim::RunResult&& result) override {
    arrays_.record(result);
    if (file_ != nullptr) file_->consume(std::move(result));
  }
  void fail(const sim::RunTask& task, const std::string& message) override {
    arrays_.fail(task, message);
    if (file_ != nullptr) file_->fail(task, message);
  }
  void sync() override {
    if (file_ != nullptr) file_->sync();
  }
  void finish() override {
    arrays_.finish();
    if (file_ != nullptr) file_->finish();
  }

 private:
  ArraySink& arrays_;
  output::Hdf5Sink* file_;
};

}  // namespace

std::vector<scenario::Override> parse_overrides(const std::vector<std::pair<std::string, std::string>>& assignments) {
  std::vector<scenario::Override> overrides;
  // Through the CLI's own parser, so that a malformed path fails with the message `--set`
  // gives it.
  for (const auto& [path, value] : assignments) overrides.push_back(scenario::parse_override(path + "=" + value));
  return overrides;
}

RunOutcome run_scenario(const RunRequest& request, const std::atomic<bool>& stop) {
  const sim::Registry& registry = models::default_registry();
  const sim::ScenarioSpec spec = scenario::load_scenario_file(request.scenario, request.overrides, &registry);
  if (spec.sweep && !request.sweep)
    throw WrongMode(request.scenario.string() + " has a sweep block; commons.run runs scenarios without one (the "
                    "commons sweep command runs it; docs/sweeps.md)");
  if (!spec.sweep && request.sweep)
    throw WrongMode(request.scenario.string() + " has no sweep block, so there is nothing to sweep");
  const int threads = sim::effective_threads(request.threads);

  // Admission as in `commons run`, plus the arrays, which stay in this process after the runs.
  const std::int64_t queue_capacity = sim::queue_capacity_for(spec, threads);
  const sim::MemoryEstimate need = sim::estimate_memory(spec, registry, threads, queue_capacity);
  const cli::MemoryBudget budget = cli::available_memory();
  if (need.total > budget.bytes) {
    std::ostringstream text;
    text << spec.source << ": the runs need about " << cli::format_size(need.total) << " of memory, more than the "
         << cli::format_size(budget.bytes) << " " << budget.source
         << "; fewer agents, threads=1 or output.agents: false would need less";
    throw MemoryRefused(text.str());
  }

  RunOutcome outcome;
  outcome.arrays = std::make_unique<ArraySink>(budget.bytes - need.total, spec.source);
  outcome.provenance = output::Provenance{program_version, cli::git_commit,  cli::source_tree, request.command_line,
                                          host_name(),     threads,          sim::library_versions()};
  std::unique_lock writing(file_writers, std::defer_lock);
  std::unique_ptr<output::Hdf5Sink> file;
  if (request.output) {
    while (!writing.try_lock_for(std::chrono::milliseconds(100)))
      if (stop.load()) {
        outcome.report.interrupted = true;
        return outcome;
      }
    // The results never replace the scenario or a file it names.
    std::vector<std::filesystem::path> inputs{request.scenario};
    for (const sim::Attachment& attachment : spec.attachments) inputs.emplace_back(attachment.location);
    file = std::make_unique<output::Hdf5Sink>(*request.output, outcome.provenance, request.force, std::move(inputs));
    file->watch(sim::RunControl(&stop, nullptr));
  }
  TeeSink sink(*outcome.arrays, file.get());

  sim::ExecutorOptions executor;
  executor.threads = threads;
  executor.queue_capacity = queue_capacity;
  executor.stop_requested = &stop;
  outcome.creation_time = utc_now();
  try {
    outcome.report = sim::execute(spec, registry, sink, executor);
  } catch (const sim::Interrupted&) {
    outcome.report.interrupted = true;  // while laying out the file: nothing was written
  }
  if (!outcome.report.interrupted) outcome.plan_sha256 = output::Hdf5Sink::plan_fingerprint(outcome.arrays->plan());
  return outcome;
}

void validate_scenario(const std::filesystem::path& scenario, const std::vector<scenario::Override>& overrides) {
  static_cast<void>(scenario::load_scenario_file(scenario, overrides, &models::default_registry()));
}

}  // namespace commons::python
