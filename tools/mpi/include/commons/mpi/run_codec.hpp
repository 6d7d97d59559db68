// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Finished runs as bytes, for the message that carries them from a rank that ran them to rank
/// 0, which writes them. Decoding gives back exactly what was encoded, every double bit for bit
/// (NaN payloads included), so a results file does not depend on which rank ran a run.

#include <commons/sim/run_result.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace commons::mpi {

/// Bytes that are not an encoding this build makes (truncated, or from another version).
class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A run that failed on another rank: its index in the plan and the failure's message.
struct RunFailure {
  std::int64_t index = 0;
  std::string message;
};

/// Every field of `result`, little-endian whatever the machine.
[[nodiscard]] std::vector<std::byte> encode(const sim::RunResult& result);
[[nodiscard]] std::vector<std::byte> encode(const RunFailure& failure);
/// Texts (a rank's greeting: its plan's fingerprint, its build, its host).
[[nodiscard]] std::vector<std::byte> encode(const std::vector<std::string>& texts);
/// Run indices (the runs handed to a rank).
[[nodiscard]] std::vector<std::byte> encode(std::span<const std::int64_t> indices);

/// \throws CodecError when `bytes` are not what the matching encode() makes.
[[nodiscard]] sim::RunResult decode_result(std::span<const std::byte> bytes);
[[nodiscard]] RunFailure decode_failure(std::span<const std::byte> bytes);
[[nodiscard]] std::vector<std::string> decode_texts(std::span<const std::byte> bytes);
[[nodiscard]] std::vector<std::int64_t> decode_indices(std::span<const std::byte> bytes);

}  // namespace commons::mpi
