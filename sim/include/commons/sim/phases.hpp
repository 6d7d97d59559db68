// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The fixed phase list of a step (docs/models.md#a-step). Each phase reads the world as the
/// previous phase left it.

#include <array>
#include <string_view>

namespace commons::sim {

enum class Phase {
  announce,     ///< institutions publish limits: quotas, closures, licences, prices
  communicate,  ///< optional messages or pledges between agents
  decide,       ///< behaviours choose effort
  comply,       ///< agents weigh the rules
  harvest,      ///< the resource turns effort into harvest, never more than the stock
  monitor,      ///< violations are detected
  sanction,     ///< fines, graduated sanctions, exclusion
  trade,        ///< quota or permit markets clear
  settle,       ///< income = price x harvest - cost x effort - fines +/- trades
  learn,        ///< behaviours update from outcomes
  choose,       ///< collective choice over rules
  grow,         ///< the resource regrows
  record,       ///< the recorder samples the world
};

inline constexpr std::array<Phase, 13> step_phases{
    Phase::announce, Phase::communicate, Phase::decide, Phase::comply,  Phase::harvest,
    Phase::monitor,  Phase::sanction,    Phase::trade,  Phase::settle,  Phase::learn,
    Phase::choose,   Phase::grow,        Phase::record};

[[nodiscard]] constexpr std::string_view phase_name(Phase phase) {
  constexpr std::array<std::string_view, 13> names{
      "announce", "communicate", "decide", "comply", "harvest", "monitor", "sanction",
      "trade",    "settle",      "learn",  "choose", "grow",    "record"};
  return names[static_cast<std::size_t>(phase)];
}

}  // namespace commons::sim
