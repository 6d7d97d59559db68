// SPDX-License-Identifier: Apache-2.0
#include <commons/output/hdf5_sink.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>

#include "example_results.hpp"
#include "temporary_directory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace commons::output {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class ResultsFileTest : public testing::TemporaryDirectoryTest {
 protected:
  std::filesystem::path write_example(std::int64_t runs, std::int64_t steps, std::int64_t agents,
                                      std::vector<int> order) {
    const std::filesystem::path path = file("results.h5");
    const sim::PlanInfo plan = testing::example_plan(runs, steps, agents);
    Hdf5Sink sink(path, Provenance{"0.1.0", "deadbeef", "clean", "commons run x.yaml", "host", 1, ""}, true);
    sink.begin(plan);
    for (int run : order) sink.consume(testing::example_result(plan, run));
    sink.finish();
    return path;
  }

  /// A comparison of `variants` x `replicates`, written except for the runs in `missing`; the
  /// first run of each variant comes first, as the executor delivers them.
  std::filesystem::path write_comparison(std::int64_t variants, std::int64_t replicates,
                                         const std::vector<std::int64_t>& missing) {
    const std::filesystem::path path = file("regimes.h5");
    const sim::PlanInfo plan = testing::example_variant_plan(variants, replicates, 3, 0);
    Hdf5Sink sink(path, Provenance{"0.1.0", "deadbeef", "clean", "commons run regimes.yaml", "host", 1, ""}, true);
    sink.begin(plan);
    for (const sim::RunTask& task : plan.tasks)
      if (std::find(missing.begin(), missing.end(), task.index) == missing.end())
        sink.consume(testing::example_result(plan, task.index));
    sink.finish();
    return path;
  }

  /// An HDF5 file with only the given root attributes, to test what open() accepts.
  std::filesystem::path plain_hdf5(const char* format, int version) {
    const std::filesystem::path path = file("plain.h5");
    const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    const hid_t space = H5Screate(H5S_SCALAR);
    if (format != nullptr) {
      const hid_t type = H5Tcopy(H5T_C_S1);
      H5Tset_size(type, H5T_VARIABLE);
      const hid_t attribute = H5Acreate2(id, "format", type, space, H5P_DEFAULT, H5P_DEFAULT);
      H5Awrite(attribute, type, &format);
      H5Aclose(attribute);
      H5Tclose(type);
    }
    if (version != 0) {
      const hid_t attribute = H5Acreate2(id, "format_version", H5T_STD_I32LE, space, H5P_DEFAULT, H5P_DEFAULT);
      H5Awrite(attribute, H5T_NATIVE_INT, &version);
      H5Aclose(attribute);
    }
    H5Sclose(space);
    H5Fclose(id);
    return path;
  }

  static std::string open_error(const std::filesystem::path& path) {
    try {
      (void)ResultsFile::open(path);
    } catch (const OutputError& error) {
      return error.what();
    }
    return "no exception";
  }
};

TEST_F(ResultsFileTest, TextFile_NotHdf5Error) {
  const std::filesystem::path path = file("notes.txt");
  std::ofstream(path) << "stock,harvest\n1,2\n";
  EXPECT_EQ(open_error(path), path.string() + ": not an HDF5 file, so not a Commons results file");
  EXPECT_THROW((void)describe(path), OutputError);
}

TEST_F(ResultsFileTest, MissingFile_NoSuchFileError) {
  EXPECT_EQ(open_error(file("absent.h5")), file("absent.h5").string() + ": no such file");
}

TEST_F(ResultsFileTest, OtherHdf5File_NotCommonsError) {
  EXPECT_THAT(open_error(plain_hdf5(nullptr, 0)),
              HasSubstr("an HDF5 file but not a Commons results file (no root attribute format)"));
  EXPECT_THAT(open_error(plain_hdf5("netcdf", 1)),
              HasSubstr("not a Commons results file (format is 'netcdf', expected 'commons-results')"));
}

TEST_F(ResultsFileTest, NewerLayout_RefusedWithUpgradeHint) {
  EXPECT_THAT(open_error(plain_hdf5("commons-results", 2)),
              HasSubstr("results layout version 2 is not readable by this program, which reads version 1; "
                        "upgrade Commons"));
}

TEST_F(ResultsFileTest, MissingVariable_ErrorNamesIt) {
  const ResultsFile results = ResultsFile::open(write_example(1, 2, 0, {0}));
  try {
    (void)results.read("series", "nonexistent");
    FAIL() << "no exception";
  } catch (const OutputError& error) {
    EXPECT_THAT(error.what(), HasSubstr("has no dataset series/nonexistent"));
  }
  EXPECT_FALSE(results.contains("series", "nonexistent"));
  EXPECT_FALSE(results.contains("agents", "effort"));
  EXPECT_TRUE(results.contains("series", "stock"));
  EXPECT_TRUE(results.variables("agents").empty());
  EXPECT_THROW((void)results.read("runs", "seed_text"), OutputError);         // strings are not numbers
  EXPECT_THROW((void)results.read_integers("series", "stock"), OutputError);  // floats are not integers
  EXPECT_THROW((void)results.read_strings("series", "stock"), OutputError);
}

TEST_F(ResultsFileTest, MovedFrom_StillUsable) {
  ResultsFile first = ResultsFile::open(write_example(2, 2, 0, {1, 0}));
  ResultsFile second = std::move(first);
  EXPECT_EQ(second.run_count(), 2);
  first = std::move(second);
  EXPECT_EQ(first.step_count(), 2);
}

TEST_F(ResultsFileTest, Describe_ReportsProvenanceDimensionsAndStatistics) {
  const std::filesystem::path path = write_example(3, 4, 2, {2, 0});
  const std::string text = describe(path);
  EXPECT_THAT(text, HasSubstr("Commons results file " + path.string() + "\n"));
  EXPECT_THAT(text, HasSubstr("  format           commons-results, layout version 1\n"));
  EXPECT_THAT(text, HasSubstr("  scenario         example_fishery\n"));
  EXPECT_THAT(text, HasSubstr("  program version  0.1.0\n"));
  EXPECT_THAT(text, HasSubstr("  status           failed (every run was attempted; some failed, listed below)\n"));
  EXPECT_THAT(text, HasSubstr("  git commit       deadbeef (source tree clean)\n"));
  EXPECT_THAT(text, HasSubstr("  command line     commons run x.yaml\n"));
  EXPECT_THAT(text, HasSubstr("  runs completed   2 of 3\n"
                              "  runs failed      1\n"
                              "    run 1  the run was never started\n"));
  EXPECT_THAT(text, HasSubstr("\ninputs/\n  (the scenario names no file)\n"));
  EXPECT_THAT(text, HasSubstr("  dimensions       run = 3, step = 4, agent = 2\n"));
  EXPECT_THAT(text,
              HasSubstr("\nseries/\n  variable  dims         units        min      mean     max      description\n"));
  // Effort of runs 0 and 2 (run 1 was never written): computed here from the same values.
  const ResultsFile results = ResultsFile::open(path);
  const std::vector<double> effort = results.read("series", "effort");
  double low = 1e300, high = -1e300, sum = 0;
  int count = 0;
  for (double v : effort)
    if (!std::isnan(v)) low = std::min(low, v), high = std::max(high, v), sum += v, ++count;
  EXPECT_EQ(count, 8);
  char line[256];
  std::snprintf(line, sizeof line, "  effort    (run, step)  effort_unit  %-7.6g  %-7.6g  %-7.6g  %s\n", low,
                sum / count, high, "total effort of all agents in the step");
  EXPECT_THAT(text, HasSubstr(line));
  EXPECT_THAT(text, HasSubstr("  collapse_step    (run)  1      -        -        -        "
                              "first step below the collapse threshold; NaN if none\n"));
  EXPECT_THAT(text, HasSubstr("\nruns/\n  variable              dims   units  description\n"));
  EXPECT_THAT(text, HasSubstr("  seed_text             (run)  -      random seed, exact decimal text\n"));
  EXPECT_THAT(text, HasSubstr("\nagents/\n"));
  EXPECT_THAT(text, HasSubstr("  income    (run, step, agent)  money/step   agent's income in the step\n"));
}

TEST_F(ResultsFileTest, Comparison_VariantNamesInOrderAndPerRunIndices) {
  const ResultsFile results = ResultsFile::open(write_comparison(4, 2, {}));
  EXPECT_THAT(results.variant_names(), ElementsAre("open_access", "state_tac", "itq", "local"));
  EXPECT_THAT(results.run_variants(), ElementsAre(0, 0, 1, 1, 2, 2, 3, 3));
  EXPECT_EQ(results.run_count(), 8);
}

TEST_F(ResultsFileTest, NoComparison_NoVariants) {
  const ResultsFile results = ResultsFile::open(write_example(2, 2, 0, {0, 1}));
  EXPECT_TRUE(results.variant_names().empty());
  EXPECT_TRUE(results.run_variants().empty());
  EXPECT_THAT(describe(results.path()), Not(HasSubstr("variants")));
}

TEST_F(ResultsFileTest, VariantFlagsThatDoNotNumberTheNames_Refused) {
  const std::filesystem::path path = write_comparison(3, 1, {});
  {
    // Another writer's flag_values, 0 2 4: the names can no longer be found by index.
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    const hid_t dataset = H5Dopen2(id, "runs/variant", H5P_DEFAULT);
    H5Adelete(dataset, "flag_values");
    const hsize_t size = 3;
    const hid_t space = H5Screate_simple(1, &size, nullptr);
    const hid_t attribute = H5Acreate2(dataset, "flag_values", H5T_STD_I64LE, space, H5P_DEFAULT, H5P_DEFAULT);
    const std::int64_t values[] = {0, 2, 4};
    H5Awrite(attribute, H5T_NATIVE_INT64, values);
    H5Aclose(attribute);
    H5Sclose(space);
    H5Dclose(dataset);
    H5Fclose(id);
  }
  const ResultsFile results = ResultsFile::open(path);
  try {
    (void)results.variant_names();
    FAIL() << "no exception";
  } catch (const OutputError& error) {
    EXPECT_EQ(std::string(error.what()),
              path.string() + ": dataset runs/variant: flag_values do not number its 3 flag_meanings 0..2");
  }
  EXPECT_THAT(results.run_variants(), ElementsAre(0, 1, 2));
}

TEST_F(ResultsFileTest, DescribeComparison_ListsVariantsWithTheirRuns) {
  // Run 3 (state_tac, replicate 1) and run 5 (itq, replicate 1) never written.
  const std::filesystem::path path = write_comparison(3, 2, {3, 5});
  const std::string text = describe(path);
  EXPECT_THAT(text, HasSubstr("  runs completed   4 of 6\n"
                              "  runs failed      2\n"
                              "    run 3  the run was never started\n"
                              "    run 5  the run was never started\n"
                              "  dimensions       run = 6, step = 3\n"
                              "  variants         3\n"
                              "    0  open_access  2 runs, 2 completed\n"
                              "    1  state_tac    2 runs, 1 completed\n"
                              "    2  itq          2 runs, 1 completed\n"
                              "\nruns/\n"));
  EXPECT_THAT(text, HasSubstr("  variant       (run)  -      variant of the comparison\n"));
  EXPECT_THAT(text, HasSubstr("  variant_name  (run)  -      name of the variant of the comparison\n"));
  // Open access records no compliance: its NaN rows are left out, so the statistics are those of
  // runs 2 (0.90 0.91 0.92) and 4 (0.85 0.86 0.87).
  EXPECT_THAT(text, HasSubstr("  compliance       (run, step)  1            0.85     0.885    0.92     "
                              "share of agents who broke no rule in the step\n"));
}

}  // namespace
}  // namespace commons::output
