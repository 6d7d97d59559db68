// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Seats filled by people. A `human` agent's decision comes from outside the engine (the
/// classroom server, an interactive terminal, a test's scripted stand-in) through this small
/// interface; the engine waits until a deadline and applies the seat's default when no answer
/// has come. docs/behaviour.md#human

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <optional>
#include <string>

namespace commons::sim {

/// What a person in a seat is asked, with what they may know when they answer.
struct SeatRequest {
  /// The run and step the decision is for.
  std::int64_t run = 0;
  std::int64_t step = 0;
  /// The agent whose seat it is (stable id) and its group's name.
  std::uint64_t agent_id = 0;
  std::string group;
  /// The seat's own effort and income in the last step (0 before the first).
  double last_effort = 0.0;
  double last_income = 0.0;
  /// The group's total effort and the number of agents in the last step (0 before the first).
  double total_effort_last = 0.0;
  std::size_t agent_count = 0;
  /// The most effort the seat may choose; infinity when unbounded.
  double effort_limit = 0.0;
  /// The effort applied if no answer comes before the deadline.
  double default_effort = 0.0;
  /// On a resource with sites: the site the seat stands on, and how many there are (the
  /// resource's SiteLayout says how they lie). None without sites.
  std::optional<std::uint32_t> site{};
  std::size_t site_count = 0;
};

/// A person's decision: an effort and, on a resource with sites, where to go (a cell of the
/// foraging grid). The engine holds the move to the resource's access rules, as any agent's.
struct SeatAnswer {
  double effort = 0.0;
  /// The site to move to; none stays put.
  std::optional<std::uint32_t> site{};
};

/// Connects human seats to people. `ask` must not block: it hands back a future that the
/// engine waits on until the seat's deadline. Implementations may be called from several
/// threads at once.
class SeatBroker {
 public:
  virtual ~SeatBroker() = default;
  [[nodiscard]] virtual std::future<SeatAnswer> ask(const SeatRequest& request) = 0;
};

}  // namespace commons::sim
