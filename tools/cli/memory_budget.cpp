// SPDX-License-Identifier: Apache-2.0
#include "memory_budget.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace commons::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t unlimited = std::numeric_limits<std::uint64_t>::max();

/// The first number in a file, or nullopt (absent, or "max").
std::optional<std::uint64_t> read_number(const fs::path& file) {
  std::ifstream in(file);
  std::string word;
  if (!(in >> word)) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (error != std::errc{} || end != word.data() + word.size()) return std::nullopt;
  return value;
}

std::uint64_t mem_available() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kilobytes = 0;
  std::string unit;
  while (meminfo >> key >> kilobytes >> unit)
    if (key == "MemAvailable:") return kilobytes * 1024;
  return unlimited;
}

/// What `directory` and its ancestors up to `root` still allow: limit - usage at each level.
std::uint64_t cgroup_room(fs::path directory, const fs::path& root, const char* limit_file, const char* usage_file) {
  std::uint64_t room = unlimited;
  for (;;) {
    const std::optional<std::uint64_t> limit = read_number(directory / limit_file);
    const std::optional<std::uint64_t> usage = read_number(directory / usage_file);
    // cgroup v1 says "no limit" with a number near 2^63.
    if (limit && *limit < (std::uint64_t{1} << 62))
      room = std::min(room, *limit > usage.value_or(0) ? *limit - usage.value_or(0) : 0);
    if (directory == root || !directory.has_relative_path() || directory.parent_path() == directory) break;
    directory = directory.parent_path();
  }
  return room;
}

std::uint64_t cgroup_available() {
  std::ifstream groups("/proc/self/cgroup");
  std::uint64_t room = unlimited;
  for (std::string line; std::getline(groups, line);) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const fs::path path = fs::path(line.substr(second + 1)).relative_path();
    if (controllers.empty()) {
      const fs::path root = "/sys/fs/cgroup";
      if (fs::exists(root / "cgroup.controllers"))
        room = std::min(room, cgroup_room(root / path, root, "memory.max", "memory.current"));
    } else if (controllers == "memory" || controllers.find("memory,") != std::string::npos ||
               controllers.ends_with(",memory")) {
      const fs::path root = "/sys/fs/cgroup/memory";
      // Inside a container the group's path may be hidden: its own directory is then the root.
      const fs::path own = fs::exists(root / path) ? root / path : root;
      room = std::min(room, cgroup_room(own, root, "memory.limit_in_bytes", "memory.usage_in_bytes"));
    }
  }
  return room;
}

std::uint64_t address_space_available() {
  rlimit limit{};
  if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return unlimited;
  return static_cast<std::uint64_t>(limit.rlim_cur);
}

}  // namespace

MemoryBudget available_memory() {
  MemoryBudget budget{mem_available(), "available on this machine"};
  if (const std::uint64_t room = cgroup_available(); room < budget.bytes)
    budget = {room, "that this process's control group allows"};
  if (const std::uint64_t room = address_space_available(); room < budget.bytes)
    budget = {room, "that this process's address-space limit (ulimit -v) allows"};
  return budget;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  std::size_t digits = 0;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) != 0 || text[digits] == '.' ||
                                  text[digits] == 'e' || text[digits] == 'E' || text[digits] == '+'))
    ++digits;
  double number = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + digits, number);
  if (digits == 0 || error != std::errc{} || end != text.data() + digits || !std::isfinite(number) || number < 0.0)
    return std::nullopt;
  std::string unit(text.substr(digits));
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.ends_with("IB")) unit.erase(unit.size() - 2);
  if (unit.size() == 2 && unit.back() == 'B') unit.pop_back();
  double scale = 1.0;
  if (unit.empty() || unit == "B") {
    scale = 1.0;
  } else if (unit == "K") {
    scale = 1024.0;
  } else if (unit == "M") {
    scale = 1024.0 * 1024.0;
  } else if (unit == "G") {
    scale = 1024.0 * 1024.0 * 1024.0;
  } else if (unit == "T") {
    scale = 1024.0 * 1024.0 * 1024.0 * 1024.0;
  } else {
    return std::nullopt;
  }
  const double bytes = number * scale;
  if (bytes >= 1.8e19) return std::nullopt;
  return static_cast<std::uint64_t>(bytes);
}

std::string format_size(std::uint64_t bytes) {
  static constexpr std::array<const char*, 5> units{"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < units.size()) {
    value /= 1024.0;
    ++unit;
  }
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), unit == 0 ? "%.0f %s" : (value < 10.0 ? "%.2f %s" : value < 100.0 ? "%.1f %s" : "%.0f %s"),
                value, units[unit]);
  return text.data();
}

}  // namespace commons::cli
