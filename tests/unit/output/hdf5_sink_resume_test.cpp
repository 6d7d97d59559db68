// SPDX-License-Identifier: Apache-2.0
// Resuming an interrupted results file: what the promises of docs/results-format.md#resuming
// say, tried with sinks destroyed unfinished and with writers killed by SIGKILL mid-write.
#include <commons/output/hdf5_sink.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>

#include "descriptor_driver.hpp"
#include "example_results.hpp"
#include "sink_testing.hpp"
#include "temporary_directory.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <hdf5.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace commons::output {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using testing::message_of;
using testing::example_result;
using testing::example_sweep_plan;
using testing::test_provenance;

class Hdf5SinkResumeTest : public testing::TemporaryDirectoryTest {
 protected:
  /// Writes `runs` of `plan` and destroys the sink without finish(), as an interrupted run does:
  /// FILE.partial stays with those runs flagged.
  void interrupt(const sim::PlanInfo& plan, const std::vector<int>& runs) {
    Hdf5Sink sink(file("sweep.h5"), test_provenance, false);
    sink.begin(plan);
    for (const int run : runs) sink.consume(example_result(plan, run));
  }
  /// The file an uninterrupted execution writes, to compare with.
  std::filesystem::path reference(const sim::PlanInfo& plan) {
    const std::filesystem::path path = file("reference.h5");
    testing::write_runs(path, plan, testing::all_runs(plan));
    return path;
  }
  /// Resumes FILE.partial, writes every run it does not have and finishes.
  std::vector<std::int64_t> resume_and_finish(const sim::PlanInfo& plan) {
    Hdf5Sink sink(file("sweep.h5"), test_provenance, false, {}, /*resume=*/true);
    sink.begin(plan);
    const std::vector<std::int64_t> resumed = sink.resumed_runs();
    for (const sim::RunTask& task : plan.tasks)
      if (!std::binary_search(resumed.begin(), resumed.end(), task.index))
        sink.consume(example_result(plan, task.index));
    sink.finish();
    EXPECT_EQ(sink.outcome(), Hdf5Sink::Outcome::complete);
    return resumed;
  }
  /// Flags of FILE.partial as a reader sees them.
  std::vector<std::int64_t> flagged() const {
    std::vector<std::int64_t> runs;
    const std::vector<bool> flags = ResultsFile::open(file("sweep.h5.partial")).completed();
    for (std::size_t run = 0; run < flags.size(); ++run)
      if (flags[run]) runs.push_back(static_cast<std::int64_t>(run));
    return runs;
  }
};

TEST_F(Hdf5SinkResumeTest, InterruptedFile_ResumedRunsKeptTheRestWrittenAndTheEndAsUninterrupted) {
  const sim::PlanInfo plan = example_sweep_plan(3, 2, 5, 2);
  interrupt(plan, {5, 1, 6, 3});
  ASSERT_THAT(flagged(), ElementsAre(1, 3, 5, 6));
  {
    Hdf5Sink sink(file("sweep.h5"), test_provenance, false, {}, /*resume=*/true);
    sink.begin(plan);
    EXPECT_THAT(sink.resumed_runs(), ElementsAre(1, 3, 5, 6));
    EXPECT_EQ(sink.committed_runs(), 4);
    // Never written twice.
    EXPECT_EQ(message_of([&] { sink.consume(example_result(plan, 3)); }),
              file("sweep.h5").string() + ": run 3 was already written (by an earlier session of this file)");
    for (const int run : {0, 2, 4, 7, 8, 9, 10, 11}) sink.consume(example_result(plan, run));
    sink.finish();
    EXPECT_EQ(sink.outcome(), Hdf5Sink::Outcome::complete);
  }
  EXPECT_FALSE(std::filesystem::exists(file("sweep.h5.partial")));
  const ResultsFile results = ResultsFile::open(file("sweep.h5"));
  EXPECT_EQ(results.status(), "complete");
  EXPECT_EQ(results.sessions(), 2);
  EXPECT_THAT(describe(file("sweep.h5")), HasSubstr("  sessions         2 (resumed once)\n"));
  testing::expect_same_contents(file("sweep.h5"), reference(plan));
}

TEST_F(Hdf5SinkResumeTest, NoPartialFile_AFreshStart) {
  const sim::PlanInfo plan = example_sweep_plan(2, 1, 3, 0);
  EXPECT_TRUE(resume_and_finish(plan).empty());
  EXPECT_EQ(ResultsFile::open(file("sweep.h5")).sessions(), 1);
  testing::expect_same_contents(file("sweep.h5"), reference(plan));
}

TEST_F(Hdf5SinkResumeTest, ResumedAndInterruptedAgain_ResumesAgain) {
  const sim::PlanInfo plan = example_sweep_plan(3, 1, 4, 0);
  interrupt(plan, {0});
  {
    Hdf5Sink sink(file("sweep.h5"), test_provenance, false, {}, true);
    sink.begin(plan);
    sink.consume(example_result(plan, 4));
    sink.sync();
    sink.consume(example_result(plan, 2));
  }  // interrupted again: committed runs are kept, the file stays FILE.partial
  EXPECT_THAT(flagged(), ElementsAre(0, 2, 4));
  EXPECT_EQ(ResultsFile::open(file("sweep.h5.partial")).status(), "partial");
  {
    // Interrupted before it wrote anything: nothing is lost either.
    Hdf5Sink sink(file("sweep.h5"), test_provenance, false, {}, true);
    sink.begin(plan);
  }
  EXPECT_THAT(resume_and_finish(plan), ElementsAre(0, 2, 4));
  EXPECT_EQ(ResultsFile::open(file("sweep.h5")).sessions(), 4);
  testing::expect_same_contents(file("sweep.h5"), reference(plan));
}

// finish() writes status "complete" and closes the file before it renames it: killed in
// between, FILE.partial holds every run, and resuming only renames it.
TEST_F(Hdf5SinkResumeTest, KilledBetweenFinishingAndRenaming_ResumingRenames) {
  const sim::PlanInfo plan = example_sweep_plan(2, 1, 3, 0);
  testing::write_runs(file("sweep.h5"), plan, testing::all_runs(plan));
  std::filesystem::rename(file("sweep.h5"), file("sweep.h5.partial"));
  EXPECT_THAT(resume_and_finish(plan), ElementsAre(0, 1, 2, 3));
  EXPECT_FALSE(std::filesystem::exists(file("sweep.h5.partial")));
  EXPECT_EQ(ResultsFile::open(file("sweep.h5")).status(), "complete");
  testing::expect_same_contents(file("sweep.h5"), reference(plan));
}

TEST_F(Hdf5SinkResumeTest, AnotherPlan_RefusedNamingWhatDiffersAndTheFileLeftAsItWas) {
  const sim::PlanInfo plan = example_sweep_plan(3, 1, 4, 0);
  interrupt(plan, {0, 1});
  const std::string before = testing::read_bytes(file("sweep.h5.partial"));
  const std::string partial = file("sweep.h5.partial").string();
  const std::string advice = "; delete it, or run without --resume (and with --force to start over)";
  const auto resume = [&](const sim::PlanInfo& other) {
    return message_of([&] { Hdf5Sink(file("sweep.h5"), test_provenance, false, {}, true).begin(other); });
  };
  EXPECT_EQ(resume(testing::example_plan(2, 5, 0)),
            partial + ": holds the runs of another plan (scenario 'example_sweep' there, 'example_fishery' now; 6 runs "
                      "there, 2 now; 4 steps there, 5 now; the scenario text differs)" + advice);
  sim::PlanInfo reseeded = plan;
  reseeded.tasks[4].seed += 1;
  EXPECT_EQ(resume(reseeded), partial + ": holds the runs of another plan (scenario 'example_sweep' there, "
                                        "'example_sweep' now; the runs' seeds, design or recorded variables differ)" +
                                  advice);
  sim::PlanInfo renamed = plan;
  renamed.scenario_name = "other_sweep";
  EXPECT_THAT(resume(renamed), HasSubstr("(scenario 'example_sweep' there, 'other_sweep' now;"));
  EXPECT_EQ(testing::read_bytes(file("sweep.h5.partial")), before);
  // The refusals let go of the file: the right plan resumes it.
  EXPECT_THAT(resume_and_finish(plan), ElementsAre(0, 1));
}

TEST_F(Hdf5SinkResumeTest, PartialFileThatIsNotAResultsFile_RefusedAndKept) {
  std::ofstream(file("sweep.h5.partial")) << "runs of an interrupted sweep";
  const sim::PlanInfo plan = example_sweep_plan(2, 1, 3, 0);
  EXPECT_EQ(message_of([&] { Hdf5Sink(file("sweep.h5"), test_provenance, false, {}, true).begin(plan); }),
            file("sweep.h5.partial").string() +
                ": cannot be resumed: it is not an HDF5 file; delete it, or run without --resume (and with --force to "
                "start over)");
  EXPECT_EQ(testing::read_bytes(file("sweep.h5.partial")), "runs of an interrupted sweep");
}

TEST_F(Hdf5SinkResumeTest, WrittenBeforeFingerprints_Refused) {
  const sim::PlanInfo plan = example_sweep_plan(2, 1, 3, 0);
  interrupt(plan, {0});
  {
    const hid_t id = H5Fopen(file("sweep.h5.partial").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    H5Adelete(id, "plan_sha256");
    H5Fclose(id);
  }
  EXPECT_THAT(message_of([&] { Hdf5Sink(file("sweep.h5"), test_provenance, false, {}, true).begin(plan); }),
              HasSubstr("cannot be resumed: it was written by a version of Commons that did not record its plan"));
}

// flock() locks belong to an open file, so two sinks in one process contend as two processes do.
TEST_F(Hdf5SinkResumeTest, SecondResumer_RefusedWhileTheFirstWrites) {
  const sim::PlanInfo plan = example_sweep_plan(2, 1, 3, 0);
  interrupt(plan, {0});
  const std::string busy = file("sweep.h5").string() +
                           ": another commons process is writing it (sweep.h5.partial is locked); wait for it to "
                           "finish or choose another output file";
  Hdf5Sink first(file("sweep.h5"), test_provenance, false, {}, true);
  Hdf5Sink second(file("sweep.h5"), test_provenance, false, {}, true);  // both saw a stale file
  first.begin(plan);
  EXPECT_EQ(message_of([&] { second.begin(plan); }), busy);
  EXPECT_EQ(message_of([&] { Hdf5Sink third(file("sweep.h5"), test_provenance, true, {}, true); }), busy);
  for (const int run : {1, 2, 3}) first.consume(example_result(plan, run));
  first.finish();
  EXPECT_EQ(ResultsFile::open(file("sweep.h5")).status(), "complete");
}

TEST_F(Hdf5SinkResumeTest, StalePartialFile_StillRefusedWithoutResume) {
  const sim::PlanInfo plan = example_sweep_plan(2, 1, 3, 0);
  interrupt(plan, {0});
  EXPECT_THAT(message_of([&] { Hdf5Sink(file("sweep.h5"), test_provenance, false); }),
              HasSubstr("exists, left by an interrupted run, with 1 of 4 runs complete"));
}

// Rows of runs no flag vouches for may hold what the interrupted session wrote. A resumed
// session writes a run that ends early, and leaves a run that fails, as a fresh file has them.
TEST_F(Hdf5SinkResumeTest, RowsLeftByTheInterruptedSession_NotMistakenForResults) {
  const sim::PlanInfo plan = example_sweep_plan(2, 1, 5, 2);
  interrupt(plan, {0, 1});
  {
    // As if runs 2 and 3 had been written but the process died before their flags.
    const hid_t id = H5Fopen(file("sweep.h5.partial").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    for (const auto& [object, row] : {std::pair{"series/stock", 5}, std::pair{"agents/income", 10},
                                      std::pair{"summary/final_stock", 1}}) {
      const hid_t dataset = H5Dopen2(id, object, H5P_DEFAULT);
      const hid_t space = H5Dget_space(dataset);
      std::vector<double> all(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)), 0.0);
      H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, all.data());
      std::fill(all.begin() + 2 * row, all.begin() + 4 * row, 12345.0);
      H5Dwrite(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, all.data());
      H5Sclose(space);
      H5Dclose(dataset);
    }
    H5Fclose(id);
  }
  const auto short_run = [&] {
    sim::RunResult result = example_result(plan, 2);
    for (sim::SeriesData& series : result.series) series.values.resize(2);
    for (sim::AgentData& agents : result.agents) agents.values.resize(2 * 2);
    result.steps = 2;
    return result;
  };
  const auto write = [&](Hdf5Sink& sink) {
    sink.begin(plan);
    for (const int run : {0, 1})
      if (sink.resumed_runs().empty()) sink.consume(example_result(plan, run));
    sink.consume(short_run());
    sink.fail(plan.tasks[3], "std::bad_alloc");
    sink.finish();
    EXPECT_EQ(sink.outcome(), Hdf5Sink::Outcome::failed);
  };
  {
    Hdf5Sink resumed(file("sweep.h5"), test_provenance, false, {}, true);
    write(resumed);
    EXPECT_THAT(resumed.resumed_runs(), ElementsAre(0, 1));
  }
  {
    Hdf5Sink fresh(file("reference.h5"), test_provenance, false);
    write(fresh);
  }
  const ResultsFile results = ResultsFile::open(file("sweep.h5"));
  EXPECT_EQ(results.status(), "failed");
  EXPECT_THAT(results.errors(), ElementsAre("", "", "", "std::bad_alloc"));
  const std::vector<double> stock = results.read("series", "stock");
  EXPECT_TRUE(std::isnan(stock[2 * 5 + 2]));
  EXPECT_TRUE(std::isnan(stock[3 * 5]));
  testing::expect_same_contents(file("sweep.h5"), file("reference.h5"));
}

/// Byte ranges [offset, offset + size) of the raw data of every contiguous dataset in a file.
std::vector<std::pair<haddr_t, hsize_t>> raw_data_extents(const std::filesystem::path& path) {
  std::vector<std::pair<haddr_t, hsize_t>> extents;
  const ResultsFile results = ResultsFile::open(path);
  const hid_t access = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_file_locking(access, 0, 1);
  const hid_t file_id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, access);
  H5Pclose(access);
  for (const std::string& group : results.groups()) {
    std::vector<std::string> names{"run", "step", "agent", "degree", "design_point", "parameter"};
    for (const StoredVariable& variable : results.variables(group)) names.push_back(variable.name);
    for (const std::string& name : names) {
      if (!results.contains(group, name)) continue;
      const hid_t dataset = H5Dopen2(file_id, (group + "/" + name).c_str(), H5P_DEFAULT);
      const haddr_t offset = H5Dget_offset(dataset);
      if (offset != HADDR_UNDEF) extents.emplace_back(offset, H5Dget_storage_size(dataset));
      H5Dclose(dataset);
    }
  }
  H5Fclose(file_id);
  return extents;
}

// A resumed file is written only where the first session could have written: raw data, the
// status, the superblock's flags, and the number of sessions in place.
TEST_F(Hdf5SinkResumeTest, ResumedSession_ChangesOnlyRawDataStatusFlagsAndSessions) {
  const sim::PlanInfo plan = example_sweep_plan(3, 1, 4, 2);
  interrupt(plan, {4, 1});
  const std::string before = testing::read_bytes(file("sweep.h5.partial"));
  resume_and_finish(plan);
  const std::string after = testing::read_bytes(file("sweep.h5"));
  ASSERT_EQ(after.size(), before.size()) << "the file grew or shrank";
  const std::vector<std::pair<haddr_t, hsize_t>> extents = raw_data_extents(file("sweep.h5"));
  const auto in_raw_data = [&](std::size_t byte) {
    return std::any_of(extents.begin(), extents.end(),
                       [&](const auto& extent) { return byte >= extent.first && byte < extent.first + extent.second; });
  };
  const std::size_t status = after.find("complete");
  ASSERT_NE(status, std::string::npos);
  EXPECT_EQ(before.substr(status, 8), std::string("partial\0", 8));
  std::vector<std::size_t> other;
  std::size_t raw = 0;
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (after[i] == before[i]) continue;
    if (in_raw_data(i)) {
      ++raw;
    } else if (!(i >= status && i < status + 8) && !(i >= 20 && i < 24)) {
      other.push_back(i);
    }
  }
  EXPECT_GT(raw, 100u);
  // The int64 attribute `sessions`, 1 -> 2: one byte, just after the attribute's name.
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(before[other[0]], 1);
  EXPECT_EQ(after[other[0]], 2);
  const std::size_t name = before.rfind("sessions", other[0]);
  ASSERT_NE(name, std::string::npos);
  EXPECT_LT(other[0] - name, 64u);
}

/// Runs a sink in a child process that writes the runs `order` (resuming if asked), syncing
/// after each, tells the parent when `signal_after` of them are synced, and goes on writing
/// until the parent kills it with SIGKILL: kill -9 in the middle of writing runs.
void write_until_killed(const std::filesystem::path& path, const sim::PlanInfo& plan, bool resume,
                        const std::vector<int>& order, std::size_t signal_after) {
  int channel[2];
  ASSERT_EQ(::pipe(channel), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(channel[0]);
    try {
      auto* sink = new Hdf5Sink(path, test_provenance, false, {}, resume);  // never destroyed: killed
      sink->begin(plan);
      const std::vector<std::int64_t> resumed = sink->resumed_runs();
      std::size_t written = 0;
      for (const int run : order) {
        if (std::binary_search(resumed.begin(), resumed.end(), run)) continue;
        sink->consume(example_result(plan, run));
        sink->sync();
        if (++written == signal_after) {
          const char ready = 1;
          if (::write(channel[1], &ready, 1) != 1) std::_Exit(3);
        }
      }
      for (;;) ::pause();
    } catch (...) {
      std::_Exit(2);
    }
  }
  ::close(channel[1]);
  char ready = 0;
  const ssize_t got = ::read(channel[0], &ready, 1);
  ::close(channel[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_EQ(got, 1) << "the writer ended before it was killed (status " << status << ")";
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/// The superblock of `path` as it is on disk.
detail::Superblock superblock_of(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const std::optional<detail::Superblock> superblock = detail::read_superblock(fd);
  ::close(fd);
  EXPECT_TRUE(superblock) << path;
  return superblock.value_or(detail::Superblock{});
}

TEST_F(Hdf5SinkResumeTest, KilledWhileWriting_ResumesAgainAndAgainAndEndsAsUninterrupted) {
  const sim::PlanInfo plan = example_sweep_plan(4, 2, 6, 3);
  const std::vector<int> order{9, 0, 14, 3, 7, 12, 1, 15, 4, 10, 2, 13, 5, 8, 11, 6};
  write_until_killed(file("sweep.h5"), plan, false, order, 4);
  // kill -9 left HDF5's mark of a writer in the superblock; version 0 lets it reopen anyway.
  const detail::Superblock killed = superblock_of(file("sweep.h5.partial"));
  EXPECT_EQ(killed.version, 0);
  EXPECT_NE(killed.flags & 1U, 0U) << "HDF5 no longer marks a file open for writing; the test shows nothing";
  const std::vector<std::int64_t> first = flagged();
  ASSERT_GE(first.size(), 4u);

  // Killed again while resuming: the flags of the first session are kept.
  write_until_killed(file("sweep.h5"), plan, true, order, 3);
  const std::vector<std::int64_t> second = flagged();
  ASSERT_GE(second.size(), first.size() + 3);
  EXPECT_TRUE(std::includes(second.begin(), second.end(), first.begin(), first.end()));
  EXPECT_EQ(ResultsFile::open(file("sweep.h5.partial")).sessions(), 2);

  EXPECT_EQ(resume_and_finish(plan), second);
  EXPECT_EQ(superblock_of(file("sweep.h5")).flags, 0U);
  const ResultsFile results = ResultsFile::open(file("sweep.h5"));
  EXPECT_EQ(results.status(), "complete");
  EXPECT_EQ(results.sessions(), 3);
  testing::expect_same_contents(file("sweep.h5"), reference(plan));
}

// Commons writes superblock version 0, whose write flag HDF5 ignores. Should a file have a
// version 3 superblock, HDF5 refuses to reopen it after kill -9 unless told to clear the flag.
TEST_F(Hdf5SinkResumeTest, Version3SuperblockLeftOpenByAKilledWriter_OpensForWritingAndIsClearedOnClose) {
  const std::filesystem::path path = file("latest.h5");
  EXPECT_EXIT(
      {
        const hid_t access = H5Pcreate(H5P_FILE_ACCESS);
        H5Pset_libver_bounds(access, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
        const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access);
        H5Fflush(id, H5F_SCOPE_GLOBAL);
        std::_Exit(7);
      },
      ::testing::ExitedWithCode(7), "");
  const detail::Superblock killed = superblock_of(path);
  ASSERT_EQ(killed.version, 3);
  ASSERT_NE(killed.flags, 0U);
  {
    const hid_t access = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_file_locking(access, 0, 1);
    hid_t refused = H5I_INVALID_HID;
    H5E_BEGIN_TRY { refused = H5Fopen(path.c_str(), H5F_ACC_RDWR, access); }
    H5E_END_TRY;
    EXPECT_LT(refused, 0) << "HDF5 opened a file its superblock says is open for writing";
    if (refused >= 0) H5Fclose(refused);
    H5Pclose(access);
  }
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  {
    detail::Id opened = detail::open_for_writing(fd, path);
    EXPECT_TRUE(opened);
  }
  ::close(fd);
  EXPECT_EQ(superblock_of(path).flags, 0U);
}

}  // namespace
}  // namespace commons::output
