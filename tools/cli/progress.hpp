// SPDX-License-Identifier: Apache-2.0
#pragma once
// Progress on stderr: a redrawn bar on a terminal, a few plain lines otherwise.

#include <commons/sim/run_control.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace commons::cli {

class ProgressDisplay final : public sim::ProgressObserver {
 public:
  /// `enabled` false prints nothing (--quiet). `steps` false leaves out the progress of steps
  /// (a run too small to need it); long activities (building a large network) are shown
  /// whenever they last more than a second.
  /// `runs` (a sweep): progress counted in runs instead, with their rate and the time left; a
  /// line with the time of day and the expected end at least every ten seconds when stderr is
  /// not a terminal.
  ProgressDisplay(bool enabled, bool steps, bool runs = false);
  ~ProgressDisplay() override;
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  void on_progress(std::int64_t steps_done, std::int64_t steps_total) override;
  void on_activity(std::string_view activity, double fraction) override;
  void on_runs(std::int64_t finished, std::int64_t planned) override;
  /// Ends the bar's line, if one was drawn.
  void close();

 private:
  bool enabled_;
  bool steps_;
  bool runs_;
  bool terminal_;
  bool drawn_ = false;
  int last_decile_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  /// The activity being reported, when it started, and when it was last shown.
  std::string activity_;
  std::chrono::steady_clock::time_point activity_start_;
  std::chrono::steady_clock::time_point activity_shown_;
  std::mutex mutex_;
};

}  // namespace commons::cli
