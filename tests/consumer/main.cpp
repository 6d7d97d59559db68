// SPDX-License-Identifier: Apache-2.0
// A program outside Commons that uses the installed library as docs/cpp-api.md shows: describes
// a scenario in C++ (ScenarioBuilder), runs it into a results file and reads the file back. The
// fishery is held at the MSY effort r/(2q), so its stock must settle at K/2 and never leave
// [0, K] on the way.
// Usage: consumer RESULTS.h5

#include <commons/models/register_models.hpp>
#include <commons/output/hdf5_sink.hpp>
#include <commons/output/results_file.hpp>
#include <commons/scenario/scenario_builder.hpp>
#include <commons/sim/executor.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string_view>
#include <vector>

namespace {

constexpr double carrying_capacity = 1000.0;  // [t]

int fail(std::string_view what) {
  std::cerr << "consumer: " << what << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return fail("usage: consumer RESULTS.h5");
  const std::filesystem::path results = argv[1];
  try {
    namespace cs = commons;
    const cs::sim::Registry& registry = cs::models::default_registry();
    // scenarios/classic/gordon_schaefer_msy.yaml, shorter and with two replicates.
    const cs::sim::ScenarioSpec spec = cs::scenario::ScenarioBuilder(registry, "consumer_msy")
                                           .source("consumer.cpp")
                                           .description("Fixed effort at E_MSY = r/(2q); the stock settles at K/2.")
                                           .resource("fishery_logistic")
                                           .set("growth_rate", 0.5)
                                           .set("carrying_capacity", carrying_capacity)
                                           .set("catchability", 0.01)
                                           .set("initial_stock", 200)
                                           .price(10)
                                           .cost_per_effort(25)
                                           .group("boats", 20)
                                           .behaviour("fixed")
                                           .set("effort", 1.25)
                                           .steps(60)
                                           .replicates(2)
                                           .seed(1)
                                           .build();

    cs::output::Provenance provenance;
    provenance.program_version = "consumer";
    provenance.git_commit = "unknown";
    cs::output::Hdf5Sink sink(results, provenance, /*overwrite=*/true);
    cs::sim::ExecutorOptions options;
    options.threads = 2;
    const cs::sim::ExecutionReport report = cs::sim::execute(spec, registry, sink, options);
    if (report.completed != spec.replicates || report.failed != 0) return fail("not every run completed");
    if (sink.outcome() != cs::output::Hdf5Sink::Outcome::complete) return fail("the results file is not complete");

    const cs::output::ResultsFile file = cs::output::ResultsFile::open(results);
    if (file.run_count() != spec.replicates) return fail("the file holds another number of runs");
    if (file.step_count() != spec.steps) return fail("the file holds another number of steps");
    const std::vector<double> stock = file.read("series", "stock");  // [run, step]
    if (static_cast<std::int64_t>(stock.size()) != spec.replicates * spec.steps) return fail("stock has the wrong size");
    if (!std::all_of(stock.begin(), stock.end(), [](double s) { return s >= 0.0 && s <= carrying_capacity; }))
      return fail("the stock left [0, K]");
    const double final_stock = stock.back();
    if (std::abs(final_stock - carrying_capacity / 2) > 0.01) return fail("the stock did not settle at K/2");

    std::cout << "consumer: " << file.run_count() << " runs x " << file.step_count() << " steps, final stock "
              << final_stock << " t (K/2 = " << carrying_capacity / 2 << " t), status " << file.status() << "\n";
    return 0;
  } catch (const std::exception& error) {
    return fail(error.what());
  }
}
