// SPDX-License-Identifier: Apache-2.0
// Every broken scenario in bad/ gives exactly the message in bad/cases.tsv; files that must not
// be committed (huge, binary) are made here at run time.
#include "test_support.hpp"

#include <commons/models/register_models.hpp>
#include <commons/scenario/loader.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

namespace commons::scenario {
namespace {

namespace fs = std::filesystem;

const fs::path bad_dir = fs::path(COMMONS_SCENARIO_TEST_DIR) / "bad";

struct BadCase {
  std::string fixture;
  std::string expected;
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const BadCase& bad_case, std::ostream* out) { *out << bad_case.fixture; }

std::vector<BadCase> read_cases() {
  std::vector<BadCase> cases;
  std::ifstream table(bad_dir / "cases.tsv");
  std::string line;
  while (std::getline(table, line)) {
    const auto tab = line.find('\t');
    if (line.empty() || tab == std::string::npos) continue;
    cases.push_back(BadCase{line.substr(0, tab), line.substr(tab + 1)});
  }
  return cases;
}

std::string replace_file_token(std::string message, const std::string& file) {
  for (auto at = message.find("{FILE}"); at != std::string::npos; at = message.find("{FILE}", at + file.size())) {
    message.replace(at, 6, file);
  }
  return message;
}

std::string load_error(const fs::path& file) {
  try {
    static_cast<void>(load_scenario_file(file, {}, &models::default_registry()));
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

class BadScenario : public testing::TestWithParam<BadCase> {};

TEST_P(BadScenario, Load_GivesExactMessage) {
  const fs::path file = bad_dir / GetParam().fixture;
  EXPECT_EQ(load_error(file), replace_file_token(GetParam().expected, file.string()));
}

// Test names follow the fixture names: key_typo.yaml -> .../key_typo.
std::string case_name(const testing::TestParamInfo<BadCase>& param_info) {
  std::string name = param_info.param.fixture.substr(0, param_info.param.fixture.rfind('.'));
  std::replace_if(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0; }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BadScenario, testing::ValuesIn(read_cases()), case_name);

TEST(BadScenarioTable, EveryFixture_HasOneRow) {
  std::set<std::string> fixtures;
  for (const auto& entry : fs::directory_iterator(bad_dir)) {
    if (entry.path().extension() == ".yaml") fixtures.insert(entry.path().filename().string());
  }
  std::multiset<std::string> rows;
  for (const auto& row : read_cases()) rows.insert(row.fixture);
  EXPECT_EQ(std::set<std::string>(rows.begin(), rows.end()), fixtures);
  EXPECT_EQ(rows.size(), fixtures.size()) << "a fixture appears twice in cases.tsv";
  EXPECT_GE(fixtures.size(), 15U);
}

// Files made at run time go to a fresh directory under the test's temporary directory.
class GeneratedFile : public testing::Test {
 protected:
  void SetUp() override {
    // The process id keeps two builds testing at once (dev, asan) out of each other's way.
    dir_ = fs::path(testing::TempDir()) / ("commons_scenario_" + std::to_string(::getpid()) + "_" +
                                           testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& bytes) const {
    const fs::path file = dir_ / name;
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }

  fs::path dir_;
};

TEST_F(GeneratedFile, FiftyMegabytes_IsTooLarge) {
  const fs::path file = dir_ / "huge.yaml";
  {
    std::ofstream out(file, std::ios::binary);
    const std::string line = "# padding padding padding padding padding padding padding padding\n";
    for (std::size_t written = 0; written < 50U * 1024U * 1024U; written += line.size()) out << line;
  }
  const auto size = fs::file_size(file);
  EXPECT_EQ(load_error(file), file.string() + ":1:1: scenario file is too large (" + std::to_string(size) +
                                  " bytes; the limit is 4194304 bytes)");
}

TEST_F(GeneratedFile, TextOverLimit_IsTooLarge) {
  const std::string text(max_scenario_bytes + 1, '#');
  EXPECT_EQ(test::error_of(text), "test.yaml:1:1: scenario file is too large (4194305 bytes; the limit is 4194304 bytes)");
}

TEST_F(GeneratedFile, Binary_IsNotText) {
  std::string bytes = "\x89PNG\r\n\x1a\n";
  bytes.push_back('\0');
  bytes += "\x01\x02\xff";
  const fs::path file = write("picture.yaml", bytes);
  EXPECT_EQ(load_error(file), file.string() + ":1:1: scenario is not a text file: it is not valid UTF-8 (at byte offset 0)");
}

TEST_F(GeneratedFile, NulByte_IsNotText) {
  const fs::path file = write("nul.yaml", std::string("name: a\n\0", 9));
  EXPECT_EQ(load_error(file), file.string() + ":1:1: scenario is not a text file: it contains a NUL byte at offset 8");
}

TEST_F(GeneratedFile, Latin1_IsNotText) {
  const fs::path file = write("latin1.yaml", "name: caf\xe9\n");
  EXPECT_EQ(load_error(file), file.string() + ":1:1: scenario is not a text file: it is not valid UTF-8 (at byte offset 9)");
}

TEST_F(GeneratedFile, Missing_NamesOsError) {
  const fs::path file = dir_ / "absent.yaml";
  EXPECT_EQ(load_error(file), file.string() + ":1:1: cannot read scenario file: No such file or directory");
}

TEST_F(GeneratedFile, Directory_CannotBeRead) {
  EXPECT_EQ(load_error(dir_), dir_.string() + ":1:1: cannot read scenario file: it is a directory");
}

TEST_F(GeneratedFile, TooManyValues_IsRejected) {
  std::string text(test::minimal_scenario);
  text += "output:\n  series: [";
  for (int i = 0; i < 100000; ++i) text += "a,";
  text += "a]\n";
  const auto message = test::error_of(text);
  EXPECT_NE(message.find("scenario has more than 100000 values; this cannot be a scenario"), std::string::npos)
      << message;
}

TEST_F(GeneratedFile, LongListOfUniqueItems_FailsFast) {
  std::string text(test::minimal_scenario);
  text += "output:\n  series: [";
  for (int i = 0; i < 50000; ++i) text += "s" + std::to_string(i) + ",";
  text += "x]\n";
  EXPECT_EQ(test::error_of(text), "test.yaml:16:11: /output/series: must have at most 88 entries (got 50001)");
}

TEST_F(GeneratedFile, LongNameUnderPattern_IsRejectedBeforeRegex) {
  // libstdc++'s std::regex recurses per character; a long name must never reach it.
  const std::string name(1000000, 'a');
  EXPECT_EQ(test::error_of(test::edited("name: minimal", "name: " + name)),
            "test.yaml:1:7: /name: must be at most 100 characters long (got 1000000)");
}

}  // namespace
}  // namespace commons::scenario
