// SPDX-License-Identifier: Apache-2.0
#include "commands.hpp"

#include "progress.hpp"
#include "summary.hpp"

#include <commons/cli/build_info.hpp>
#include <commons/models/register_models.hpp>
#include <commons/output/hdf5_sink.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>
#include <commons/scenario/loader.hpp>
#include <commons/scenario/scenario_error.hpp>
#include <commons/sim/executor.hpp>

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>

extern char** environ;

namespace commons::cli {
namespace {

std::atomic<bool> stop_requested{false};

extern "C" void request_stop(int signal_number) {
  stop_requested.store(true);
  // A second signal ends the program at once.
  std::signal(signal_number, SIG_DFL);
}

std::filesystem::path from_environment(const char* variable, const char* fallback) {
  const char* value = std::getenv(variable);
  return value != nullptr && *value != '\0' ? value : fallback;
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

}  // namespace

ExitCode run_command(const RunOptions& options) {
  return guarded([&] {
    std::vector<scenario::Override> overrides = parse_overrides(options.overrides);
    if (options.seed) overrides.push_back({"seed", std::to_string(*options.seed)});
    const sim::ScenarioSpec spec = scenario::load_scenario_file(options.scenario, overrides);

    std::filesystem::path results = options.output.value_or(
        std::filesystem::path(options.scenario.stem().string() + ".h5"));
    if (std::filesystem::exists(results) && !options.force) {
      std::cerr << "commons: " << results.string() << " exists; use --force to overwrite\n";
      return ExitCode::io_error;
    }
    output::Hdf5Sink file(results, output::Provenance{program_version, git_commit, options.command_line},
                          options.force);
    SummarySink summary(file);
    // A bar is worth drawing only for work that takes a while.
    const double work = static_cast<double>(spec.agent_count()) * static_cast<double>(spec.steps) *
                        static_cast<double>(spec.replicates * spec.variant_count());
    ProgressDisplay progress(!options.quiet && work >= 1e7);
    stop_requested.store(false);
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);

    sim::ExecutorOptions executor;
    executor.threads = options.threads;
    executor.progress = &progress;
    executor.stop_requested = &stop_requested;
    const auto start = std::chrono::steady_clock::now();
    const sim::ExecutionReport report = sim::execute(spec, models::default_registry(), summary, executor);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.close();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    if (report.interrupted) {
      std::cerr << "commons: interrupted after " << report.completed << " of " << spec.replicates * spec.variant_count()
                << " runs; finished runs are kept in " << results.string() << ".partial\n";
      return ExitCode::interrupted;
    }
    for (const std::string& failure : report.failures) std::cerr << "commons: " << failure << "\n";
    print_summary(std::cout, spec, summary.runs(), results);
    if (!options.quiet)
      std::cerr << "commons: " << report.completed << " run(s) in " << seconds << " s, written to "
                << results.string() << "\n";
    return report.failed > 0 ? ExitCode::failed_runs : ExitCode::success;
  });
}

ExitCode validate_command(const std::vector<std::filesystem::path>& scenarios,
                          const std::vector<std::string>& override_arguments) {
  return guarded([&] {
    const std::vector<scenario::Override> overrides = parse_overrides(override_arguments);
    ExitCode code = ExitCode::success;
    for (const std::filesystem::path& path : scenarios) {
      try {
        const sim::ScenarioSpec spec = scenario::load_scenario_file(path, overrides);
        std::cout << path.string() << ": valid (" << spec.name << "; " << spec.agent_count() << " agents, "
                  << spec.steps << " steps, " << spec.replicates << " replicate(s)";
        if (!spec.variants.empty()) std::cout << ", " << spec.variants.size() << " variants";
        std::cout << ")\n";
      } catch (const scenario::ScenarioError& error) {
        std::cerr << error.what() << "\n";
        code = ExitCode::invalid_scenario;
      }
    }
    return code;
  });
}

ExitCode inspect_command(const std::filesystem::path& results) {
  return guarded([&] {
    std::cout << output::describe(results);
    return ExitCode::success;
  });
}

ExitCode scenarios_command() {
  return guarded([&] {
    const std::filesystem::path root = from_environment("COMMONS_SCENARIO_DIR", scenario_dir);
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const std::filesystem::path& file : files) {
      const std::string shown = std::filesystem::relative(file, root).string();
      try {
        const sim::ScenarioSpec spec = scenario::load_scenario_file(file);
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
    const std::filesystem::path script =
        from_environment("COMMONS_TOOLS_DIR", tools_dir) / "python" / "plot_results.py";
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
