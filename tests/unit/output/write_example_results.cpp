// SPDX-License-Identifier: Apache-2.0
// Writes a results file with known values through Hdf5Sink and prints those values as JSON, so
// tests in other languages (tests/integration/test_hdf5_interop.py) can check their readers.
//
//   write_example_results FILE [--runs N] [--steps N] [--agents N] [--unfinished K]
//                              [--variants V [--replicates R]] [--sweep P [--replicates R]]
//                              [--grid ROWS COLUMNS | --ring SITES]
//
// Defaults: 2 runs x 5 steps x 3 agents. Runs are consumed last first, as a parallel
// executor may deliver them. --unfinished K writes only the last K runs and destroys the sink
// without finish(), as an interrupted sweep does: FILE.partial stays, FILE is not created.
// --variants V writes a comparison of V variants x R replicates (default 2) instead of --runs
// runs; the first run of each variant comes first, in variant order, as the executor delivers
// them, then the others last first. --sweep P writes example_sweep_plan(): P design points x 2
// policies x R replicates (default 2) of a sweep with a numeric and a categorical parameter and a
// categorical lever. --grid and --ring add site series stock and harvest on a grid of sites or
// a ring of them (add_example_sites). Variables a run does not record are null in the JSON.
// Exit 0 on success, 2 on usage errors, 4 on output errors.

#include "example_results.hpp"

#include <commons/output/hdf5_sink.hpp>
#include <commons/output/output_error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

nlohmann::json describe_variable(const commons::sim::VariableInfo& info) {
  return {{"units", info.units}, {"description", info.description}};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace commons;
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string path;
  std::int64_t runs = 2;
  std::int64_t steps = 5;
  std::int64_t agents = 3;
  std::int64_t unfinished = -1;
  std::int64_t variants = 0;
  std::int64_t replicates = 2;
  std::int64_t points = 0;
  std::int64_t grid_rows = 0;
  std::int64_t grid_columns = 0;
  std::int64_t ring = 0;
  try {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const auto value = [&]() -> std::int64_t {
        if (i + 1 >= args.size()) throw std::invalid_argument(args[i] + " needs a value");
        return std::stoll(args[++i]);
      };
      if (args[i] == "--runs")
        runs = value();
      else if (args[i] == "--steps")
        steps = value();
      else if (args[i] == "--agents")
        agents = value();
      else if (args[i] == "--unfinished")
        unfinished = value();
      else if (args[i] == "--variants")
        variants = value();
      else if (args[i] == "--replicates")
        replicates = value();
      else if (args[i] == "--sweep")
        points = value();
      else if (args[i] == "--grid") {
        grid_rows = value();
        grid_columns = value();
      } else if (args[i] == "--ring")
        ring = value();
      else if (path.empty())
        path = args[i];
      else
        throw std::invalid_argument("unexpected argument " + args[i]);
    }
    if (path.empty() || runs < 1 || steps < 1 || agents < 0 || replicates < 1 || variants == 1 || variants < 0 ||
        points < 0 || (points > 0 && variants > 0) || grid_rows < 0 || grid_columns < 0 || ring < 0 ||
        (grid_rows > 0) != (grid_columns > 0) || (grid_rows > 0 && ring > 0))
      throw std::invalid_argument("bad arguments");
    if (variants > 0) runs = variants * replicates;
    if (points > 0) runs = points * 2 * replicates;
  } catch (const std::exception& error) {
    std::cerr << "usage: write_example_results FILE [--runs N] [--steps N] [--agents N] [--unfinished K] "
                 "[--variants V [--replicates R]] [--sweep P [--replicates R]] [--grid ROWS COLUMNS | --ring SITES]\n"
              << "write_example_results: " << error.what() << '\n';
    return 2;
  }

  sim::PlanInfo plan = variants > 0 ? output::testing::example_variant_plan(variants, replicates, steps, agents)
                      : points > 0   ? output::testing::example_sweep_plan(points, replicates, steps, agents)
                                     : output::testing::example_plan(runs, steps, agents);
  if (grid_rows > 0)
    output::testing::add_example_sites(
        plan, sim::SiteLayout::grid(static_cast<std::size_t>(grid_rows), static_cast<std::size_t>(grid_columns)));
  if (ring > 0) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    for (std::int64_t s = 0; s < ring; ++s)
      edges.emplace_back(static_cast<std::uint32_t>(s), static_cast<std::uint32_t>((s + 1) % ring));
    output::testing::add_example_sites(plan, sim::SiteLayout::graph(static_cast<std::size_t>(ring), edges));
  }
  // A file the scenario names, embedded in inputs/.
  plan.attachments.push_back({"/agents/0/behaviour/decisions", "data/decisions.csv", "/nowhere/data/decisions.csv",
                              "step,agent,effort\n0,0,1.5\n1,0,2 # ünïcödé\n"});
  const output::Provenance provenance{"0.0.0-test",
                                      "0123456789abcdef0123456789abcdef01234567",
                                      "clean",
                                      "write_example_results " + path,
                                      "example-host",
                                      1,
                                      "oneTBB example"};
  nlohmann::json json;
  json["path"] = path;
  json["runs"] = runs;
  json["steps"] = steps;
  json["agents"] = agents;
  json["finished"] = unfinished < 0;
  json["variants"] = plan.variants;
  json["scenario_name"] = plan.scenario_name;
  json["scenario_text"] = plan.scenario_text;
  json["program_version"] = provenance.program_version;
  json["git_commit"] = provenance.git_commit;
  json["command_line"] = provenance.command_line;
  json["source_tree"] = provenance.source_tree;
  json["host"] = provenance.host;
  json["libraries"] = "HDF5 " + output::hdf5_version() + "; " + provenance.libraries;
  for (const sim::Attachment& attachment : plan.attachments)
    json["attachments"].push_back({{"name", "agents.0.behaviour.decisions"},
                                   {"pointer", attachment.pointer},
                                   {"path", attachment.path},
                                   {"bytes", attachment.bytes}});
  for (const sim::RunTask& task : plan.tasks) {
    // A sweep's factors by path: a number, or a categorical factor's label.
    nlohmann::json parameters = nlohmann::json::object();
    if (plan.sweep)
      for (std::size_t f = 0; f < plan.sweep->factors.size(); ++f) {
        const sim::FactorInfo& factor = plan.sweep->factors[f];
        if (factor.labels.empty())
          parameters[factor.path] = task.factors[f];
        else
          parameters[factor.path] = factor.labels[static_cast<std::size_t>(task.factors[f])];
      }
    json["tasks"].push_back({{"index", task.index},
                             {"replicate", task.replicate},
                             {"seed", task.seed},
                             {"parameters", parameters},
                             {"design_point", task.design_point},
                             {"policy", task.policy},
                             {"variant", task.variant}});
  }
  try {
    output::Hdf5Sink sink(path, provenance, true);
    sink.begin(plan);
    const std::int64_t last = unfinished < 0 ? 0 : std::max<std::int64_t>(runs - unfinished, 0);
    std::vector<std::int64_t> order;
    for (std::int64_t variant = 0; variant < variants; ++variant)
      if (variant * replicates >= last) order.push_back(variant * replicates);
    for (std::int64_t run = runs - 1; run >= last; --run)
      if (std::find(order.begin(), order.end(), run) == order.end()) order.push_back(run);
    for (const std::int64_t run : order) {
      sim::RunResult result = output::testing::example_result(plan, run);
      if (grid_rows > 0 || ring > 0) output::testing::add_example_site_values(result, plan);
      for (const sim::SeriesData& s : result.series) {
        json["series"][s.info.name].update(describe_variable(s.info));
        json["series"][s.info.name]["values"][static_cast<std::size_t>(run)] = s.values;
      }
      for (const sim::ScalarData& s : result.summary) {
        json["summary"][s.info.name].update(describe_variable(s.info));
        json["summary"][s.info.name]["values"][static_cast<std::size_t>(run)] = s.value;
      }
      for (const sim::ScalarData& s : result.references) {
        json["references"][s.info.name].update(describe_variable(s.info));
        json["references"][s.info.name]["values"][static_cast<std::size_t>(run)] = s.value;
      }
      json["agent_ids"] = result.agent_ids;
      for (const sim::AgentData& a : result.agents) {
        // [step][agent] per run, like the file's [run, step, agent].
        nlohmann::json rows = nlohmann::json::array();
        const std::size_t count = result.agent_ids.size();
        for (std::size_t step = 0; step < static_cast<std::size_t>(steps); ++step)
          rows.push_back(std::vector<double>(a.values.begin() + static_cast<std::ptrdiff_t>(step * count),
                                             a.values.begin() + static_cast<std::ptrdiff_t>((step + 1) * count)));
        json["agent_variables"][a.info.name].update(describe_variable(a.info));
        json["agent_variables"][a.info.name]["values"][static_cast<std::size_t>(run)] = rows;
      }
      for (const sim::SiteData& site : result.sites) {
        // Flat [step][site] per run; the reader reshapes.
        json["site_variables"][site.info.name].update(describe_variable(site.info));
        json["site_variables"][site.info.name]["values"][static_cast<std::size_t>(run)] = site.values;
      }
      sink.consume(std::move(result));
    }
    if (unfinished < 0) sink.finish();
    // Every per-run list as long as the plan: runs that do not record a variable read null.
    for (const char* group : {"series", "summary", "references", "agent_variables"})
      if (json.contains(group))
        for (auto& item : json[group].items()) {
          nlohmann::json& values = item.value()["values"];
          while (values.size() < static_cast<std::size_t>(runs)) values.push_back(nullptr);
        }
  } catch (const output::OutputError& error) {
    std::cerr << "write_example_results: " << error.what() << '\n';
    return 4;
  }
  // NaN has no JSON spelling; nlohmann writes null, which readers take as NaN.
  std::cout << json.dump(1) << '\n';
  return 0;
}
