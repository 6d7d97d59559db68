// SPDX-License-Identifier: Apache-2.0
#pragma once
// Progress on stderr: a redrawn bar on a terminal, a few plain lines otherwise.

#include <commons/sim/executor.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>

namespace commons::cli {

class ProgressDisplay final : public sim::ProgressObserver {
 public:
  /// `enabled` false prints nothing (--quiet, or a run too small to need it).
  explicit ProgressDisplay(bool enabled);
  ~ProgressDisplay() override;
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  void on_progress(std::int64_t steps_done, std::int64_t steps_total) override;
  /// Ends the bar's line, if one was drawn.
  void close();

 private:
  bool enabled_;
  bool terminal_;
  bool drawn_ = false;
  int last_decile_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  std::mutex mutex_;
};

}  // namespace commons::cli
