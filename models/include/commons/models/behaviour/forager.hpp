// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `forager`: walks a grid of sites to the nearest token and collects it; the simulated
/// player of the foraging experiments (docs/behaviour.md#forager).

#include <commons/sim/behaviour.hpp>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

namespace commons::models {

/// Each step an agent standing on a token it may take collects it; otherwise it steps one
/// cell toward the nearest such token (Manhattan distance, within its vision; ties and the
/// axis of a diagonal approach drawn at random), or, seeing none, one cell in a random
/// direction. Restraint keeps seed tokens: a token is taken only when at least
/// `min_token_neighbours` of its Moore neighbours hold tokens, so that the cells around it
/// keep regrowing (the laboratory instructions' advice).
class Forager final : public sim::Behaviour {
 public:
  struct Parameters {
    /// How far the agent looks for tokens, in steps of walking; 0 for the whole grid [cell].
    std::int64_t vision = 0;
    /// Tokens among a token's Moore neighbours for the agent to take it; 0 takes every token [1].
    std::int64_t min_token_neighbours = 0;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  Forager(const Parameters& parameters, const sim::GroupContext& group);

  void decide(const sim::StepContext& context, sim::AgentSpan agents) override;
  void learn(const sim::StepContext&, sim::AgentSpan) override {}

  /// Throws SpecError unless the resource's sites form a grid.
  static void check(const sim::Resource& resource);

 private:
  /// Whether the agent takes the token at `cell` (which holds one) on this map.
  [[nodiscard]] bool takes(std::span<const double> tokens, std::size_t cell) const;
  /// The cells holding a token the cohort would take this step, 1 or 0 per cell: made once a
  /// step by the first block to ask, so that a search reads a byte per cell it looks at rather
  /// than counting the neighbours of every token it passes.
  [[nodiscard]] std::span<const std::uint8_t> worth_taking(const sim::StepContext& context);
  /// The cell to walk to from `cell`: toward the nearest cell of `worth`, or a random
  /// neighbour; `cell` itself when it cannot move.
  [[nodiscard]] std::uint32_t next_cell(std::span<const std::uint8_t> worth, std::uint32_t cell,
                                        const sim::StepContext& context, std::uint64_t agent) const;

  Parameters parameters_;
  std::size_t rows_ = 0;
  std::size_t columns_ = 0;
  std::mutex worth_mutex_;
  std::int64_t worth_step_ = -1;
  std::vector<std::uint8_t> worth_;
};

}  // namespace commons::models
