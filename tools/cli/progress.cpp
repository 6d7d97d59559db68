// SPDX-License-Identifier: Apache-2.0
#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace commons::cli {

ProgressDisplay::ProgressDisplay(bool enabled)
    : enabled_(enabled),
      terminal_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressDisplay::~ProgressDisplay() { close(); }

void ProgressDisplay::on_progress(std::int64_t steps_done, std::int64_t steps_total) {
  if (!enabled_ || steps_total <= 0) return;
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

void ProgressDisplay::close() {
  const std::scoped_lock lock(mutex_);
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace commons::cli
