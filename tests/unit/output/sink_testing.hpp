// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the sweep, resume and sites tests of the sink share: a provenance, writing a plan's runs, and
// comparing two results files value by value.

#include <commons/output/hdf5_sink.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/provenance.hpp>
#include <commons/output/results_file.hpp>

#include "example_results.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

namespace commons::output::testing {

inline const Provenance test_provenance{"1.2.3",     "abc123", "clean", "commons sweep sweep.yaml -o out.h5",
                                        "test-host", 2,        "oneTBB 2021.8"};

/// Writes the runs of `plan` in `order` and finishes.
inline void write_runs(const std::filesystem::path& path, const sim::PlanInfo& plan, const std::vector<int>& order) {
  Hdf5Sink sink(path, test_provenance, false);
  sink.begin(plan);
  for (const int run : order) sink.consume(example_result(plan, run));
  sink.finish();
}

/// The message of the OutputError `action` throws, or "no exception".
inline std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const OutputError& error) {
    return error.what();
  }
  return "no exception";
}

/// Every run of `plan`, in order.
inline std::vector<int> all_runs(const sim::PlanInfo& plan) {
  std::vector<int> runs;
  for (std::size_t run = 0; run < plan.tasks.size(); ++run) runs.push_back(static_cast<int>(run));
  return runs;
}

/// Expects `actual` to equal `expected` bit for bit, NaN included.
inline void expect_same_values(const std::vector<double>& actual, const std::vector<double>& expected,
                               const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    if (std::isnan(expected[i]))
      EXPECT_TRUE(std::isnan(actual[i])) << what << " [" << i << "]";
    else
      EXPECT_EQ(actual[i], expected[i]) << what << " [" << i << "]";
  }
}

/// Expects the two files to hold the same groups, variables, coordinates and values (attributes
/// of the variables too, as far as ResultsFile reports them); root attributes are not compared.
inline void expect_same_contents(const std::filesystem::path& actual_path, const std::filesystem::path& expected_path) {
  const ResultsFile actual = ResultsFile::open(actual_path);
  const ResultsFile expected = ResultsFile::open(expected_path);
  ASSERT_EQ(actual.groups(), expected.groups());
  EXPECT_EQ(actual.status(), expected.status());
  EXPECT_EQ(actual.plan_fingerprint(), expected.plan_fingerprint());
  std::size_t compared = 0;
  for (const std::string& group : expected.groups()) {
    const std::vector<StoredVariable> variables = expected.variables(group);
    const std::vector<StoredVariable> others = actual.variables(group);
    ASSERT_EQ(others.size(), variables.size()) << group;
    std::vector<std::string> names{"run", "step", "agent", "degree", "design_point", "parameter"};
    for (std::size_t i = 0; i < variables.size(); ++i) {
      EXPECT_EQ(others[i].name, variables[i].name) << group;
      EXPECT_EQ(others[i].dimensions, variables[i].dimensions) << group << "/" << variables[i].name;
      EXPECT_EQ(others[i].units, variables[i].units) << group << "/" << variables[i].name;
      EXPECT_EQ(others[i].long_name, variables[i].long_name) << group << "/" << variables[i].name;
      names.push_back(variables[i].name);
    }
    for (const std::string& name : names) {
      if (!expected.contains(group, name)) continue;
      const std::string what = group + "/" + name;
      if (expected.variable(group, name).numeric) {
        expect_same_values(actual.read(group, name), expected.read(group, name), what);
      } else {
        EXPECT_EQ(actual.read_strings(group, name), expected.read_strings(group, name)) << what;
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 10u);
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace commons::output::testing
