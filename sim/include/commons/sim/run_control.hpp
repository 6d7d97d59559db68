// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// How long work inside a run says how far it has come and stops when asked. A run's long
/// phases (creating agents, building a network, counting its triangles, the steps) call
/// RunControl often enough that a stop is answered within a second and progress is seen.

#include <atomic>
#include <cstdint>
#include <exception>
#include <string_view>

namespace commons::sim {

/// Told how far execution has come; called from worker threads, so it must be thread-safe.
class ProgressObserver {
 public:
  virtual ~ProgressObserver() = default;
  /// Steps of the plan done so far, of the total.
  virtual void on_progress(std::int64_t steps_done, std::int64_t steps_total) = 0;
  /// A long activity before or after a run's steps ("building the social network") is
  /// `fraction` (0..1) done. Called at most a few times a second per activity.
  virtual void on_activity(std::string_view /*activity*/, double /*fraction*/) {}
  /// `finished` of the `planned` runs of this execution have reached the sink (completed or
  /// failed); runs a resumed file already held count in neither.
  virtual void on_runs(std::int64_t /*finished*/, std::int64_t /*planned*/) {}
};

/// Thrown out of a run's work when a stop was requested. The executor counts the run as
/// interrupted, not as failed.
class Interrupted : public std::exception {
 public:
  [[nodiscard]] const char* what() const noexcept override { return "interrupted"; }
};

/// A stop flag to watch and an observer to tell; either may be absent. Cheap to copy.
class RunControl {
 public:
  /// Never stops and reports nothing.
  RunControl() = default;
  RunControl(const std::atomic<bool>* stop, ProgressObserver* progress) : stop_(stop), progress_(progress) {}

  /// True once a stop was requested.
  [[nodiscard]] bool stop_requested() const noexcept {
    return stop_ != nullptr && stop_->load(std::memory_order_relaxed);
  }
  /// Throws Interrupted if a stop was requested.
  void check() const {
    if (stop_requested()) throw Interrupted{};
  }
  /// Tells the observer that `activity` is `fraction` done, then check()s. Callers report every
  /// so many units of work (about a millisecond's worth), not every unit.
  void report(std::string_view activity, double fraction) const {
    if (progress_ != nullptr) progress_->on_activity(activity, fraction);
    check();
  }
  [[nodiscard]] ProgressObserver* progress() const noexcept { return progress_; }

 private:
  const std::atomic<bool>* stop_ = nullptr;
  ProgressObserver* progress_ = nullptr;
};

}  // namespace commons::sim
