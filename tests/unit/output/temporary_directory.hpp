// SPDX-License-Identifier: Apache-2.0
#pragma once
// A fresh directory per test, removed afterwards, so tests never see each other's files.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

namespace commons::output::testing {

class TemporaryDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = std::filesystem::temp_directory_path() /
                 ("commons-output-" + std::to_string(::getpid()) + "-" + info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  [[nodiscard]] std::filesystem::path file(const std::string& name) const { return directory_ / name; }

 private:
  std::filesystem::path directory_;
};

}  // namespace commons::output::testing
