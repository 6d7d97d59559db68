// SPDX-License-Identifier: Apache-2.0
#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <string>

namespace commons::cli {

ProgressDisplay::ProgressDisplay(bool enabled, bool steps, bool runs)
    : enabled_(enabled),
      steps_(steps),
      runs_(runs),
      terminal_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressDisplay::~ProgressDisplay() { close(); }

namespace {

std::string clock_time(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string duration_text(double seconds) {
  char text[32];
  if (seconds < 90)
    std::snprintf(text, sizeof text, "%.0f s", seconds);
  else if (seconds < 5400)
    std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
  else
    std::snprintf(text, sizeof text, "%.1f h", seconds / 3600);
  return text;
}

}  // namespace

void ProgressDisplay::on_runs(std::int64_t finished, std::int64_t planned) {
  if (!enabled_ || !runs_ || planned <= 0) return;
  const std::scoped_lock lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double fraction = static_cast<double>(finished) / static_cast<double>(planned);
  const double rate = elapsed > 0.0 ? static_cast<double>(finished) / elapsed : 0.0;
  const double remaining = rate > 0.0 ? static_cast<double>(planned - finished) / rate : 0.0;
  if (terminal_) {
    if (elapsed < 0.5 || (now - last_draw_ < std::chrono::milliseconds(100) && finished < planned)) return;
    last_draw_ = now;
    constexpr int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::fprintf(stderr, "\r[%s%s] %5.1f%%  %lld/%lld runs  %.0f runs/s  %s left   ",
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), 100.0 * fraction,
                 static_cast<long long>(finished), static_cast<long long>(planned), rate,
                 duration_text(remaining).c_str());
    drawn_ = true;
    return;
  }
  // Logs of batch jobs: a line every ten seconds, with the time it was written and the end.
  if (now - last_draw_ < std::chrono::seconds(10) || finished == planned) return;
  last_draw_ = now;
  const auto wall = std::chrono::system_clock::now();
  std::fprintf(stderr, "%s commons: %lld of %lld runs (%.1f%%), %.0f runs/s, %s left, done about %s\n",
               clock_time(wall).c_str(), static_cast<long long>(finished), static_cast<long long>(planned),
               100.0 * fraction, rate, duration_text(remaining).c_str(),
               clock_time(wall + std::chrono::seconds(static_cast<std::int64_t>(remaining))).c_str());
}

void ProgressDisplay::on_progress(std::int64_t steps_done, std::int64_t steps_total) {
  // A sweep counts runs instead (on_runs).
  if (!enabled_ || !steps_ || runs_ || steps_total <= 0) return;
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
