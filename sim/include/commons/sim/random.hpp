// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Counter-based random streams (Philox 4x64-10, Random123). A draw is a pure function of
/// (seed, replicate, step, agent id, purpose, draw index), so results do not depend on thread count,
/// scheduling or the order in which agents or runs are visited.

#include <commons/sim/fast_math.hpp>

#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>
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

  /// The same Box-Muller draw as `normal` (the same words of the same block), through the
  /// polynomials of fast_math.hpp instead of libm: within 1e-15 of `normal` (the test bounds
  /// it), not always equal to it in the last bits. Bit for bit what `fast_normals` gives.
  [[nodiscard]] double fast_normal(std::uint64_t step, std::uint64_t agent, Purpose purpose,
                                   std::uint64_t draw = 0) const {
    const Bits b = bits(step, agent, purpose, draw);
    return box_muller(to_open_unit(b[0]), to_open_unit(b[1]));
  }

  /// `fast_normal` of every agent of `agents` into `out` (same length), in blocks whose
  /// polynomial part the compiler vectorises. out[i] is a function of (step, agents[i],
  /// purpose, draw) alone, so a block boundary or a thread never changes a value.
  void fast_normals(std::uint64_t step, std::span<const std::uint64_t> agents, Purpose purpose, std::span<double> out,
                    std::uint64_t draw = 0) const {
    constexpr std::size_t block = 256;
    std::array<double, block> radius, cosine;
    for (std::size_t begin = 0; begin < agents.size(); begin += block) {
      const std::size_t count = std::min(block, agents.size() - begin);
      // Philox is scalar (64-bit multiplies); the passes after it are vector loops.
      for (std::size_t i = 0; i < count; ++i) {
        const Bits b = bits(step, agents[begin + i], purpose, draw);
        radius[i] = to_open_unit(b[0]);
        cosine[i] = to_open_unit(b[1]);
      }
      for (std::size_t i = 0; i < count; ++i) {
        radius[i] = -2.0 * log_near(radius[i]);
        cosine[i] = cos_two_pi_near(cosine[i]);
      }
      sqrt_each({radius.data(), count});
      double* normal = out.data() + begin;
      for (std::size_t i = 0; i < count; ++i) normal[i] = radius[i] * cosine[i];
    }
  }

  [[nodiscard]] std::uint64_t seed() const { return key_.v[0]; }
  [[nodiscard]] std::uint64_t replicate() const { return key_.v[1]; }

  /// Maps 64 random bits to (0, 1): the top 53 bits, centred in their interval.
  [[nodiscard]] static double to_open_unit(std::uint64_t word) {
    return (static_cast<double>(word >> 11) + 0.5) * 0x1.0p-53;
  }

 private:
  /// sqrt(-2 ln u0) cos(2 pi u1), branch-free (fast_math.hpp).
  [[nodiscard]] static double box_muller(double u0, double u1) {
    return std::sqrt(-2.0 * log_near(u0)) * cos_two_pi_near(u1);
  }

  r123::Philox4x64::key_type key_;
};

}  // namespace commons::sim
