// SPDX-License-Identifier: Apache-2.0
#pragma once
// How much memory this process may use: what admission control compares a scenario's
// estimate with (sim::estimate_memory).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace commons::cli {

/// Bytes available and where the figure comes from, as it completes "more than the 2 GB ...":
/// "available on this machine", "that this process's control group allows", ...
struct MemoryBudget {
  std::uint64_t bytes = 0;
  std::string source;
};

/// The least of: the kernel's estimate of memory available without swapping (MemAvailable),
/// what the control groups this process is in still allow (cgroup v1 or v2, each ancestor
/// too, as container runtimes and cluster schedulers set them), and the address-space limit.
[[nodiscard]] MemoryBudget available_memory();

/// A size as users write it: "512M", "8G", "1.5GiB", "2e9", "1000000" [bytes]; K, M, G, T are
/// powers of 1024 with or without "iB", and "B" alone means bytes. nullopt if it is not one.
[[nodiscard]] std::optional<std::uint64_t> parse_size(std::string_view text);

/// "1.3 GB", "540 MB", "12 kB": binary multiples, three significant figures.
[[nodiscard]] std::string format_size(std::uint64_t bytes);

}  // namespace commons::cli
