// SPDX-License-Identifier: Apache-2.0
// The `commons` executable: parses the command line (the only code using CLI11) and hands
// each subcommand to commands.cpp. docs/cli.md lists every option and exit code.

#include "analyze.hpp"
#include "commands.hpp"
#include "describe.hpp"
#include "export.hpp"
#include "exit_codes.hpp"
#include "memory_budget.hpp"
#include "mpi_sweep.hpp"

#include <commons/cli/build_info.hpp>
#include <commons/cli/source_state.hpp>
#include <commons/models/register_models.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <utility>

namespace {

std::string joined(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    line += argv[i];
  }
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  using commons::cli::ExitCode;
  using commons::cli::to_int;
  if (const auto failed = commons::cli::hand_over_to_mpi_program(argv)) return to_int(*failed);

  CLI::App app{"Commons: simulate common-pool resources under Ostrom's governance regimes"};
  app.set_version_flag("--version", std::string(commons::cli::program_version) + " (" +
                                        commons::cli::git_commit + ")");
  app.require_subcommand(1);

  // run and sweep take the same options; sweep also resumes.
  struct Executed {
    commons::cli::RunOptions options;
    std::string output;
    std::int64_t seed = 0;
    CLI::Option* seed_option = nullptr;
    std::string memory_limit;
  };
  Executed run;
  Executed sweep;
  const auto add_run_options = [&](CLI::App* command, Executed& executed) {
    executed.options.command_line = joined(argc, argv);
    command->add_option("scenario", executed.options.scenario, "Scenario file (YAML)")->required();
    command->add_option("-o,--output", executed.output, "Results file (default: SCENARIO-STEM.h5 here)");
    command->add_option("--set", executed.options.overrides, "Override a scenario value: KEY.PATH=VALUE (repeatable)")
        ->type_name("KEY=VALUE")
        ->allow_extra_args(false);
    // Seeds stay below 2^53 so that every reader (R's doubles among them) holds them exactly.
    executed.seed_option = command->add_option("--seed", executed.seed, "Base seed (0 to 2^53-1)")
                               ->check(CLI::Range(std::int64_t{0}, (std::int64_t{1} << 53) - 1));
    command->add_option("--threads", executed.options.threads, "Worker threads (0: every core)")
        ->check(CLI::Range(0, 4096));
    command->add_option("--memory-limit", executed.memory_limit,
                        "Memory the runs may use, e.g. 8G or 512M (default: what the machine has available)")
        ->type_name("SIZE");
    command->add_flag("-q,--quiet", executed.options.quiet, "No progress or log lines on stderr");
  };
  auto* run_app = app.add_subcommand("run", "Run a scenario, print a summary and write an HDF5 results file");
  add_run_options(run_app, run);
  run_app->add_flag("--force", run.options.force, "Overwrite an existing results file");
  auto* sweep_app = app.add_subcommand(
      "sweep", "Run every point of a scenario's sweep block (resumable) and write an HDF5 results file");
  add_run_options(sweep_app, sweep);
  auto* force_option = sweep_app->add_flag("--force", sweep.options.force, "Overwrite an existing results file");
  sweep_app
      ->add_flag("--resume", sweep.options.resume,
                 "Continue the sweep an interruption left in FILE.partial (or start it); runs already there are kept")
      ->excludes(force_option);

  commons::cli::ValidateOptions validate;
  std::string validate_memory_limit;
  auto* validate_app =
      app.add_subcommand("validate", "Check scenario files without running them: every check run makes before its first step");
  validate_app->add_option("scenarios", validate.scenarios, "Scenario files")->required();
  validate_app->add_option("--set", validate.overrides, "Override a scenario value: KEY.PATH=VALUE")
      ->type_name("KEY=VALUE")->allow_extra_args(false);
  validate_app->add_option("--threads", validate.threads, "Threads the runs would use, for the memory estimate")
      ->check(CLI::Range(0, 4096));
  validate_app->add_option("--memory-limit", validate_memory_limit, "Memory the runs may use, e.g. 8G")
      ->type_name("SIZE");

  std::filesystem::path inspected;
  bool inspect_scenario = false;
  auto* inspect_app = app.add_subcommand("inspect", "Describe what a results file holds");
  inspect_app->add_option("file", inspected, "Results file (HDF5)")->required();
  inspect_app->add_flag("--scenario", inspect_scenario, "Print only the resolved scenario the file was written from");

  auto* scenarios_app = app.add_subcommand("scenarios", "List the bundled scenarios");

  std::string described;
  bool describe_schema = false;
  auto* describe_app = app.add_subcommand(
      "describe", "List the resources, behaviours, rules and regimes, or describe one: its parameters and what it records");
  describe_app->add_option("name", described, "A model or regime (default: list them all)");
  describe_app->add_flag("--schema", describe_schema, "Print the scenario JSON Schema made from the models");

  std::filesystem::path plotted;
  std::string figure;
  auto* plot_app = app.add_subcommand("plot", "Plot stock, harvest, effort and rent from a results file");
  plot_app->add_option("file", plotted, "Results file (HDF5)")->required();
  plot_app->add_option("-o,--output", figure, "Figure: .png, .pdf or .svg (default: FILE with .png)");

  commons::cli::AnalyzeOptions analyze;
  analyze.command_line = joined(argc, argv);
  auto* analyze_app = app.add_subcommand(
      "analyze", "Statistics per design point and Sobol or Morris sensitivity of a sweep; written into the file as analysis/");
  analyze_app->add_option("file", analyze.results, "Results file of a sweep (FILE.partial: printed only)")->required();
  analyze_app->add_option("--measure", analyze.measures, "Summary measure to show (repeatable; default: a few key ones)")
      ->type_name("NAME")->allow_extra_args(false);
  analyze_app->add_flag("--all", analyze.all_measures, "Show every summary measure");
  analyze_app->add_option("--resamples", analyze.resamples, "Bootstrap resamples of the base samples (Sobol intervals)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{10'000'000}));
  analyze_app->add_option("--replicate-resamples", analyze.replicate_resamples,
                          "Resamples of the replicates (the noise beside each index)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{10'000'000}));
  analyze_app->add_option("--confidence", analyze.confidence, "Confidence level of the intervals, in (0, 1)")
      ->check([](const std::string& text) -> std::string {
        // Both ends excluded: a 0 or 100 % interval says nothing.
        try {
          const double value = std::stod(text);
          return value > 0.0 && value < 1.0 ? "" : "must lie strictly between 0 and 1";
        } catch (const std::exception&) {
          return "is not a number";
        }
      });
  analyze_app->add_option("--seed", analyze.seed, "Seed of the bootstrap resamples (0 to 2^53-1)")
      ->check(CLI::Range(std::uint64_t{0}, (std::uint64_t{1} << 53) - 1));
  analyze_app->add_flag("-q,--quiet", analyze.quiet, "No log lines on stderr");

  commons::cli::ExportOptions exported;
  std::string export_table;
  std::string export_output;
  auto* export_app = app.add_subcommand("export", "Write a results file's runs as tidy CSV tables (one value per row)");
  export_app->add_option("file", exported.results, "Results file (HDF5)")->required();
  export_app->add_option("--format", exported.format, "Output format (csv)")->check(CLI::IsMember({"csv"}));
  export_app->add_option("--table", export_table, "Only this table, to stdout or -o FILE")
      ->check(CLI::IsMember({"series", "summary", "references"}));
  export_app->add_option("-o,--output", export_output,
                         "Directory for series.csv, summary.csv and references.csv; with --table a file, or - for stdout");
  export_app->add_flag("--force", exported.force, "Replace existing CSV files");
  export_app->add_flag("-q,--quiet", exported.quiet, "No log lines on stderr");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    app.exit(error);
    return to_int(ExitCode::usage_error);
  }

  // A size is checked here, so that a malformed one is a usage error like any other option.
  for (const auto& [text, limit] : {std::pair{&run.memory_limit, &run.options.memory_limit},
                                    std::pair{&sweep.memory_limit, &sweep.options.memory_limit},
                                    std::pair{&validate_memory_limit, &validate.memory_limit}}) {
    if (text->empty()) continue;
    *limit = commons::cli::parse_size(*text);
    if (!*limit) {
      std::cerr << "--memory-limit: '" << *text << "' is not a size; write it as 8G, 512M or a number of bytes\n";
      return to_int(ExitCode::usage_error);
    }
  }
  ExitCode code = ExitCode::success;
  for (Executed* executed : {&run, &sweep}) {
    if (!executed->output.empty()) executed->options.output = executed->output;
    if (*executed->seed_option) executed->options.seed = static_cast<std::uint64_t>(executed->seed);
  }
  // Under an MPI launcher the runs go to every rank (docs/cluster.md); otherwise on this process.
  if (run_app->parsed()) {
    code = commons::cli::across_ranks(commons::cli::run_command, run.options);
  } else if (sweep_app->parsed()) {
    code = commons::cli::across_ranks(commons::cli::sweep_command, sweep.options);
  } else if (validate_app->parsed()) {
    code = commons::cli::validate_command(validate);
  } else if (inspect_app->parsed()) {
    code = commons::cli::inspect_command(inspected, inspect_scenario);
  } else if (describe_app->parsed()) {
    code = commons::cli::describe_command(commons::models::default_registry(), described, describe_schema, std::cout);
  } else if (scenarios_app->parsed()) {
    code = commons::cli::scenarios_command();
  } else if (analyze_app->parsed()) {
    code = commons::cli::analyze_command(analyze);
  } else if (export_app->parsed()) {
    if (!export_table.empty()) exported.table = export_table;
    if (!export_output.empty()) exported.output = export_output;
    code = commons::cli::export_command(exported);
  } else if (plot_app->parsed()) {
    code = commons::cli::plot_command(plotted, figure.empty() ? std::nullopt
                                                               : std::optional<std::filesystem::path>(figure));
  }
  return to_int(code);
}
