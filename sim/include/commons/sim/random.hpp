// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Counter-based random streams (Philox 4x64-10, Random123). A draw is a pure function of
/// (seed, replicate, step, agent id, purpose, draw index), so results do not depend on thread count,
/// scheduling or the order in which agents or runs are visited.

#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <utility>

namespace commons::sim {

/// Why a number is drawn; part of the counter so that different uses never share draws.
enum class Purpose : std::uint64_t {
  initialise = 1,
  observe = 2,
  decide = 3,
  communicate = 4,
  comply = 5,
  harvest = 6,
  monitor = 7,
  sanction = 8,
  trade = 9,
  learn = 10,
  choose = 11,
  grow = 12,
  network = 13,
  /// A resource's random initial state (where the tokens lie).
  place = 14,
};

/// One run's random stream: key = (seed, replicate); counter = (step, agent id, purpose, draw).
/// Keyed by the replicate rather than the run index, so that the variants of a comparison see
/// the same draws (common random numbers). A sweep's run is keyed by
/// sim::stream_key(seed, replicate, stream word of its design point) instead.
class RandomStream {
 public:
  using Bits = std::array<std::uint64_t, 4>;

  RandomStream(std::uint64_t seed, std::uint64_t replicate) : key_{{seed, replicate}} {}
  explicit RandomStream(std::pair<std::uint64_t, std::uint64_t> key) : key_{{key.first, key.second}} {}

  /// 256 random bits for one counter value.
  [[nodiscard]] Bits bits(std::uint64_t step, std::uint64_t agent, Purpose purpose,
                          std::uint64_t draw = 0) const {
    const r123::Philox4x64::ctr_type counter{{step, agent, static_cast<std::uint64_t>(purpose), draw}};
    const auto out = r123::Philox4x64{}(counter, key_);
    return {out.v[0], out.v[1], out.v[2], out.v[3]};
  }

  /// Uniform on the open interval (0, 1), 53 bits of resolution.
  [[nodiscard]] double uniform(std::uint64_t step, std::uint64_t agent, Purpose purpose,
                               std::uint64_t draw = 0) const {
    return to_open_unit(bits(step, agent, purpose, draw)[0]);
  }

  /// Standard normal (Box-Muller on two words of one block).
  [[nodiscard]] double normal(std::uint64_t step, std::uint64_t agent, Purpose purpose,
                              std::uint64_t draw = 0) const {
    const Bits b = bits(step, agent, purpose, draw);
    const double radius = std::sqrt(-2.0 * std::log(to_open_unit(b[0])));
    return radius * std::cos(2.0 * std::numbers::pi * to_open_unit(b[1]));
  }

  [[nodiscard]] std::uint64_t seed() const { return key_.v[0]; }
  [[nodiscard]] std::uint64_t replicate() const { return key_.v[1]; }

  /// Maps 64 random bits to (0, 1): the top 53 bits, centred in their interval.
  [[nodiscard]] static double to_open_unit(std::uint64_t word) {
    return (static_cast<double>(word >> 11) + 0.5) * 0x1.0p-53;
  }

 private:
  r123::Philox4x64::key_type key_;
};

}  // namespace commons::sim
