// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"

#include "memory_budget.hpp"
#include "progress.hpp"
#include "summary.hpp"

#include <commons/cli/build_info.hpp>
#include <commons/cli/source_state.hpp>
#include <commons/models/register_models.hpp>
#include <commons/output/hdf5_sink.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>
#include <commons/scenario/loader.hpp>
#include <commons/scenario/scenario_error.hpp>
#include <commons/sim/executor.hpp>
#include <commons/sim/footprint.hpp>
#include <commons/sim/library_versions.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <iostream>
#include <sstream>
#include <string_view>

extern char** environ;

namespace commons::cli {
namespace {

std::atomic<bool> stop_requested{false};
/// The signal that asked to stop, for the exit code (130 for SIGINT, 143 for SIGTERM).
std::atomic<int> stop_signal{0};

extern "C" void request_stop(int signal_number) {
  stop_signal.store(signal_number);
  stop_requested.store(true);
  // A second signal ends the program at once.
  std::signal(signal_number, SIG_DFL);
}

/// The directory `variable` names in the environment, if it names one.
std::optional<std::filesystem::path> from_environment(const char* variable) {
  const char* value = std::getenv(variable);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::filesystem::path(value);
}

/// Where the bundled `name` (scenarios, python) is: beside an installed program,
/// PREFIX/share/commons/NAME; else in the source tree the program was built from
/// (`source_tree`), which is where a program in its build tree finds it.
std::filesystem::path bundled(std::string_view name, const std::filesystem::path& source_tree) {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const std::filesystem::path installed = self.parent_path() / installed_data_dir / name;
    if (std::filesystem::is_directory(installed, error)) return installed.lexically_normal();
  }
  return source_tree;
}

std::vector<scenario::Override> parse_overrides(const std::vector<std::string>& arguments) {
  std::vector<scenario::Override> overrides;
  for (const std::string& argument : arguments) overrides.push_back(scenario::parse_override(argument));
  return overrides;
}

/// Runs `body`, turning each kind of failure into its exit code with one line on stderr.
template <class Body>
ExitCode guarded(Body&& body) {
  try {
    return body();
  } catch (const scenario::ScenarioError& error) {
    std::cerr << error.what() << "\n";
    return ExitCode::invalid_scenario;
  } catch (const output::OutputError& error) {
    std::cerr << "commons: " << error.what() << "\n";
    return ExitCode::io_error;
  } catch (const std::filesystem::filesystem_error& error) {
    std::cerr << "commons: " << error.what() << "\n";
    return ExitCode::io_error;
  } catch (const std::exception& error) {
    std::cerr << "commons: internal error: " << error.what() << "\n";
    return ExitCode::internal_error;
  }
}

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

/// What admission control found: the estimate, and why it does not fit (empty if it does).
struct Admission {
  sim::MemoryEstimate estimate;
  std::int64_t queue_capacity = 0;
  std::string refusal;
};

/// Compares the plan's memory estimate with what the process may use; a plan that does not
/// fit is refused before anything is built, with both numbers and the ways to shrink it.
Admission admit(const sim::ScenarioSpec& spec, const sim::Registry& registry, int threads,
                std::optional<std::uint64_t> memory_limit) {
  Admission admission;
  // The results file takes per-agent output as runs record it (Hdf5Sink::streams_agents).
  constexpr sim::AgentOutput agent_output = sim::AgentOutput::streamed;
  admission.queue_capacity = sim::queue_capacity_for(spec, threads, agent_output);
  const sim::MemoryEstimate& need = admission.estimate =
      sim::estimate_memory(spec, registry, threads, admission.queue_capacity, agent_output);
  const MemoryBudget budget =
      memory_limit ? MemoryBudget{*memory_limit, "that --memory-limit allows"} : available_memory();
  if (need.total <= budget.bytes) return admission;
  std::ostringstream text;
  text << spec.source << ": the runs need about " << format_size(need.total) << " of memory, more than the "
       << format_size(budget.bytes) << " " << budget.source << "\n"
       << "  each run holds about " << format_size(need.world + need.network + need.result) << ": agents and their "
       << "models " << format_size(need.agents);
  if (need.network > 0) text << ", social network " << format_size(need.network);
  if (need.agent_output > 0) text << ", per-agent output " << format_size(need.agent_output);
  text << "; " << need.runs_at_once << (need.runs_at_once == 1 ? " run goes" : " runs go") << " at once";
  if (need.results_waiting > 0 && need.result > (std::uint64_t{1} << 20))
    text << ", and up to " << need.results_waiting << " finished runs wait to be written";
  text << "\n  to shrink it: fewer agents (agents.N.count)";
  if (need.runs_at_once > 1) {
    const sim::MemoryEstimate alone =
        sim::estimate_memory(spec, registry, 1, sim::queue_capacity_for(spec, 1, agent_output), agent_output);
    text << ", --threads 1 (about " << format_size(alone.total) << ")";
  }
  if (need.agent_output > 0) text << ", output.agents: false";
  if (need.network > 0) text << ", a sparser social network";
  text << "; or --memory-limit SIZE if the memory is there after all";
  admission.refusal = text.str();
  return admission;
}

}  // namespace

namespace {

enum class Mode { run, sweep };

/// A sweep's own report: the design, how many runs, and where to go next.
void print_sweep(std::ostream& out, const sim::ScenarioSpec& spec, const sim::ExecutionReport& report,
                 std::int64_t planned, const std::filesystem::path& results) {
  const sim::SweepSpec& sweep = *spec.sweep;
  const sim::SweepDesign design = sim::expand(sweep);
  out << "Scenario    " << spec.name << "  (" << spec.source << ")\n";
  out << "Design      " << sim::design_name(sweep.design) << ": " << design.points << " points";
  if (design.policies > 1) out << " x " << design.policies << " policies";
  out << " x " << sweep.replicates << (sweep.replicates == 1 ? " replicate" : " replicates") << " = " << planned
      << " runs of " << spec.steps << " steps, seed " << spec.seed << "\n";
  for (const sim::FactorSpec& factor : sweep.parameters)
    out << "  parameter " << factor.path << ": " << factor.describe() << "\n";
  for (const sim::FactorSpec& factor : sweep.levers) out << "  lever     " << factor.path << ": " << factor.describe() << "\n";
  out << "Runs        " << report.completed << " completed";
  if (report.resumed > 0) out << ", " << report.resumed << " already in the file";
  if (report.failed > 0) out << ", " << report.failed << " failed";
  out << "\nResults     " << results.string() << "\n";
  out << "Next        commons analyze " << results.string() << "   (statistics per point";
  if (sweep.design == sim::SweepSpec::Design::saltelli) out << ", Sobol indices";
  if (sweep.design == sim::SweepSpec::Design::morris) out << ", Morris elementary effects";
  out << ")\n";
}

ExitCode execute_command(const RunOptions& options, Mode mode) {
  return guarded([&] {
    const sim::Registry& registry = models::default_registry();
    const sim::ScenarioSpec spec = options.loaded ? *options.loaded : load_scenario(options, registry);
    if (mode == Mode::run && spec.sweep) {
      std::cerr << "commons: " << options.scenario.string()
                << " has a sweep block; run it with commons sweep (docs/sweeps.md)\n";
      return ExitCode::usage_error;
    }
    if (mode == Mode::sweep && !spec.sweep) {
      std::cerr << "commons: " << options.scenario.string()
                << " has no sweep block, so there is nothing to sweep; run it with commons run, or add a sweep "
                   "block (docs/sweeps.md)\n";
      return ExitCode::usage_error;
    }

    std::filesystem::path results = options.output.value_or(
        std::filesystem::path(options.scenario.stem().string() + ".h5"));
    const int threads = sim::effective_threads(options.threads);
    if (options.threads > threads && !options.quiet)
      std::cerr << "commons: --threads " << options.threads << ": this machine has " << threads
                << " cores; using " << threads << " (results do not depend on it)\n";
    const Admission admission = admit(spec, registry, threads, options.memory_limit);
    if (!admission.refusal.empty()) {
      std::cerr << admission.refusal << "\n";
      return ExitCode::invalid_scenario;
    }
    const std::int64_t planned = sim::plan_size(spec);
    if (options.resume) {
      // A sweep that already finished: nothing to do, if the file is this plan's.
      const std::filesystem::path partial = results.string() + ".partial";
      std::error_code ignored;
      if (std::filesystem::exists(results, ignored) && !std::filesystem::exists(partial, ignored)) {
        const std::string held = output::ResultsFile::open(results).plan_fingerprint();
        if (held != output::Hdf5Sink::plan_fingerprint(sim::plan_info(spec, registry))) {
          std::cerr << "commons: " << results.string()
                    << " holds the results of another plan (another scenario, design or version); "
                       "choose another -o, or --force to replace it\n";
          return ExitCode::io_error;
        }
        std::cerr << "commons: " << results.string() << " already holds every run of this sweep; nothing to resume\n";
        return ExitCode::success;
      }
    }
    // The results never replace the scenario or a file it names.
    std::vector<std::filesystem::path> inputs{options.scenario};
    for (const sim::Attachment& attachment : spec.attachments) inputs.emplace_back(attachment.location);
    output::Provenance provenance{program_version, git_commit, source_tree, options.command_line, host_name(),
                                  threads, sim::library_versions()};
    output::Hdf5Sink file(results, std::move(provenance), options.force, std::move(inputs), options.resume);
    // A sweep's runs are not kept for a report: nothing holds a sweep in memory.
    SummarySink summary(file);
    sim::Sink& sink = mode == Mode::run ? static_cast<sim::Sink&>(summary) : static_cast<sim::Sink&>(file);
    // A bar is worth drawing only for work that takes a while.
    const double work = static_cast<double>(spec.agent_count()) * static_cast<double>(spec.steps) *
                        static_cast<double>(planned);
    ProgressDisplay progress(!options.quiet, work >= 1e7, mode == Mode::sweep);
    stop_requested.store(false);
    stop_signal.store(0);
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    file.watch(sim::RunControl(&stop_requested, &progress));

    sim::ExecutorOptions executor;
    executor.threads = threads;
    executor.queue_capacity = admission.queue_capacity;
    executor.progress = &progress;
    executor.stop_requested = &stop_requested;
    const auto start = std::chrono::steady_clock::now();
    sim::ExecutionReport report;
    try {
      report = options.execute ? options.execute(spec, registry, sink, executor)
                               : sim::execute(spec, registry, sink, executor);
    } catch (const sim::Interrupted&) {
      report.interrupted = true;  // while laying out the file: nothing was written
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.close();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    for (const std::string& failure : report.failures) std::cerr << "commons: " << failure << "\n";
    if (report.interrupted) {
      const std::int64_t kept = report.completed + report.resumed;
      if (kept > 0)
        std::cerr << "commons: interrupted after " << kept << " of " << planned << " runs; the finished runs are kept in "
                  << file.partial_path().string()
                  << (mode == Mode::sweep ? "; continue with the same command and --resume" : "") << "\n";
      else
        std::cerr << "commons: interrupted before any run finished; nothing was written\n";
      return stop_signal.load() == SIGTERM ? ExitCode::terminated : ExitCode::interrupted;
    }
    if (file.outcome() == output::Hdf5Sink::Outcome::empty) {
      std::cerr << "commons: no run completed, so no results file was written\n";
      return ExitCode::failed_runs;
    }
    if (mode == Mode::run)
      print_summary(std::cout, spec, summary.runs(), results);
    else
      print_sweep(std::cout, spec, report, planned, results);
    if (report.failed > 0)
      std::cerr << "commons: " << report.failed << " of " << planned << " runs failed; " << results.string()
                << " holds the others, with status \"failed\" and the messages in runs/error\n";
    if (!options.quiet) {
      std::cerr << "commons: " << report.completed << " run(s) in " << seconds << " s";
      if (mode == Mode::sweep && seconds > 0)
        std::cerr << " (" << static_cast<double>(report.completed) / seconds << " runs/s)";
      std::cerr << ", written to " << results.string() << "\n";
    }
    return report.failed > 0 ? ExitCode::failed_runs : ExitCode::success;
  });
}

}  // namespace

sim::ScenarioSpec load_scenario(const RunOptions& options, const sim::Registry& registry) {
  std::vector<scenario::Override> overrides = parse_overrides(options.overrides);
  if (options.seed) overrides.push_back({"seed", std::to_string(*options.seed)});
  return scenario::load_scenario_file(options.scenario, overrides, &registry);
}

ExitCode guarded_command(const std::function<ExitCode()>& body) { return guarded(body); }

ExitCode run_command(const RunOptions& options) { return execute_command(options, Mode::run); }
ExitCode sweep_command(const RunOptions& options) { return execute_command(options, Mode::sweep); }

ExitCode validate_command(const ValidateOptions& options) {
  return guarded([&] {
    const std::vector<scenario::Override> overrides = parse_overrides(options.overrides);
    const sim::Registry& registry = models::default_registry();
    const int threads = sim::effective_threads(options.threads);
    ExitCode code = ExitCode::success;
    for (const std::filesystem::path& path : options.scenarios) {
      try {
        const sim::ScenarioSpec spec = scenario::load_scenario_file(path, overrides, &registry);
        const Admission admission = admit(spec, registry, threads, options.memory_limit);
        if (!admission.refusal.empty()) {
          std::cerr << admission.refusal << "\n";
          code = ExitCode::invalid_scenario;
          continue;
        }
        std::cout << path.string() << ": valid (" << spec.name << "; " << spec.agent_count() << " agents, "
                  << spec.steps << " steps, " << spec.replicates << " replicate(s)";
        if (!spec.variants.empty()) std::cout << ", " << spec.variants.size() << " variants";
        if (spec.sweep) {
          const sim::SweepDesign design = sim::expand(*spec.sweep);
          std::cout << "; sweep: " << sim::design_name(spec.sweep->design) << ", " << design.points << " points";
          if (design.policies > 1) std::cout << " x " << design.policies << " policies";
          std::cout << " x " << spec.sweep->replicates << " = " << sim::plan_size(spec) << " runs, every point checked";
        }
        std::cout << "; about " << format_size(admission.estimate.total) << " of memory on " << threads
                  << (threads == 1 ? " thread" : " threads") << ")\n";
      } catch (const scenario::ScenarioError& error) {
        std::cerr << error.what() << "\n";
        code = ExitCode::invalid_scenario;
      }
    }
    return code;
  });
}

ExitCode inspect_command(const std::filesystem::path& results, bool scenario_only) {
  return guarded([&] {
    if (scenario_only) {
      std::cout << output::ResultsFile::open(results).scenario_text() << "\n";
    } else {
      std::cout << output::describe(results);
    }
    return ExitCode::success;
  });
}

ExitCode scenarios_command() {
  return guarded([&] {
    const std::filesystem::path root =
        from_environment("COMMONS_SCENARIO_DIR").value_or(bundled("scenarios", scenario_dir));
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const std::filesystem::path& file : files) {
      const std::string shown = std::filesystem::relative(file, root).string();
      try {
        const sim::ScenarioSpec spec = scenario::load_scenario_file(file, {}, &models::default_registry());
        std::string description = spec.description.substr(0, spec.description.find('\n'));
        std::cout << shown << "\n    " << description << "\n";
      } catch (const scenario::ScenarioError& error) {
        std::cout << shown << "\n    INVALID: " << error.what() << "\n";
      }
    }
    std::cout << "(" << files.size() << " scenarios in " << root.string() << ")\n";
    return ExitCode::success;
  });
}

ExitCode plot_command(const std::filesystem::path& results, std::optional<std::filesystem::path> figure) {
  return guarded([&] {
    if (!std::filesystem::exists(results)) {
      std::cerr << "commons: " << results.string() << ": no such file\n";
      return ExitCode::io_error;
    }
    const std::filesystem::path target = figure.value_or(std::filesystem::path(results).replace_extension(".png"));
    const std::optional<std::filesystem::path> tools = from_environment("COMMONS_TOOLS_DIR");
    const std::filesystem::path script =
        (tools ? *tools / "python" : bundled("python", std::filesystem::path(tools_dir) / "python")) / "plot_results.py";
    std::vector<std::string> arguments{python, script.string(), results.string(), "-o", target.string()};
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    pid_t child = 0;
    if (posix_spawn(&child, python, nullptr, nullptr, argv.data(), environ) != 0) {
      std::cerr << "commons: cannot start " << python << " (install python3-matplotlib and python3-h5py)\n";
      return ExitCode::io_error;
    }
    int status = 0;
    if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status)) return ExitCode::internal_error;
    switch (WEXITSTATUS(status)) {
      case 0: std::cout << target.string() << "\n"; return ExitCode::success;
      case 2: return ExitCode::usage_error;
      case 4: return ExitCode::io_error;
      default: return ExitCode::internal_error;
    }
  });
}

}  // namespace commons::cli
