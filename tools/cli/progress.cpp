// SPDX-License-Identifier: Apache-2.0
#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace commons::cli {

ProgressDisplay::ProgressDisplay(bool enabled, bool steps)
    : enabled_(enabled),
      steps_(steps),
      terminal_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressDisplay::~ProgressDisplay() { close(); }

void ProgressDisplay::on_progress(std::int64_t steps_done, std::int64_t steps_total) {
  if (!enabled_ || !steps_ || steps_total <= 0) return;
  const std::scoped_lock lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const double fraction = static_cast<double>(steps_done) / static_cast<double>(steps_total);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (terminal_) {
    // Redraw at most ten times a second, and never for runs that finish within half a second.
    if (elapsed < 0.5 || (now - last_draw_ < std::chrono::milliseconds(100) && steps_done < steps_total)) return;
    last_draw_ = now;
    constexpr int width = 40;
    const int filled = static_cast<int>(fraction * width);
    const double remaining = fraction > 0.0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
    std::fprintf(stderr, "\r[%s%s] %5.1f%%  %.0f s left ", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), 100.0 * fraction, remaining);
    drawn_ = true;
  } else {
    // Plain lines for logs: one per tenth of the work, only for work that takes a while.
    const int decile = static_cast<int>(fraction * 10.0);
    if (decile <= last_decile_ || elapsed < 2.0) return;
    last_decile_ = decile;
    std::fprintf(stderr, "commons: %d%% of steps done (%.1f s)\n", decile * 10, elapsed);
  }
}

void ProgressDisplay::on_activity(std::string_view activity, double fraction) {
  if (!enabled_) return;
  const std::scoped_lock lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (activity != activity_) {
    activity_ = std::string(activity);
    activity_start_ = now;
    activity_shown_ = now;
    return;
  }
  // Shown once it has lasted a second, then every tenth of a second on a terminal and every
  // five seconds in a log.
  const auto since_start = now - activity_start_;
  const auto since_shown = now - activity_shown_;
  if (since_start < std::chrono::seconds(1)) return;
  if (since_shown < (terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000)) &&
      activity_shown_ != activity_start_)
    return;
  activity_shown_ = now;
  if (terminal_) {
    std::fprintf(stderr, "\r%s: %5.1f%% ", activity_.c_str(), 100.0 * fraction);
    drawn_ = true;
  } else {
    std::fprintf(stderr, "commons: %s: %.0f%% (%.1f s)\n", activity_.c_str(), 100.0 * fraction,
                 std::chrono::duration<double>(since_start).count());
  }
}

void ProgressDisplay::close() {
  const std::scoped_lock lock(mutex_);
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace commons::cli
