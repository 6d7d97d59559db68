// SPDX-License-Identifier: Apache-2.0
#include "run_pool.hpp"

#include <algorithm>

namespace commons::mpi {

RunPool::RunPool(const sim::ScenarioSpec& spec, const sim::Registry& registry, std::span<const sim::RunTask> tasks,
                 int threads, sim::ProgressObserver* progress)
    : spec_(spec),
      registry_(registry),
      tasks_(tasks),
      progress_(progress),
      workers_(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(std::max(1, threads)) + 1),
      // Each run is one task of an arena of `threads` slots, as in sim::execute: its agents go
      // parallel on the same threads, and a thread that waits inside a run takes up at most one
      // other run, never a loop over many.
      arena_(std::max(1, threads), 0) {}

RunPool::~RunPool() {
  halt();
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return unfinished_ == 0; });
}

void RunPool::add(std::span<const std::int64_t> indices) {
  {
    const std::scoped_lock lock(mutex_);
    if (halted_.load()) return;
    unfinished_ += static_cast<std::int64_t>(indices.size());
  }
  for (const std::int64_t index : indices) arena_.enqueue([this, index] { run_one(index); });
}

void RunPool::halt() { halted_.store(true); }

std::int64_t RunPool::held() const {
  const std::scoped_lock lock(mutex_);
  return unfinished_ + static_cast<std::int64_t>(outcomes_.size());
}

bool RunPool::idle() const {
  const std::scoped_lock lock(mutex_);
  return unfinished_ == 0;
}

std::optional<Outcome> RunPool::pop() {
  const std::scoped_lock lock(mutex_);
  if (outcomes_.empty()) return std::nullopt;
  Outcome outcome = std::move(outcomes_.front());
  outcomes_.pop_front();
  return outcome;
}

void RunPool::wait(std::chrono::microseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [this] { return !outcomes_.empty(); });
}

void RunPool::run_one(std::int64_t index) {
  std::optional<Outcome> outcome;
  if (!halted_.load()) {
    try {
      outcome = sim::run_task(spec_, registry_, tasks_[static_cast<std::size_t>(index)],
                              sim::RunControl(&halted_, progress_));
    } catch (const sim::Interrupted&) {
      // Abandoned, and not kept, as sim::execute keeps no interrupted run.
    } catch (const std::exception& error) {
      outcome = RunFailure{index, error.what()};
    }
  }
  // Notified under the lock: the destructor may end the pool as soon as it sees no run left.
  const std::scoped_lock lock(mutex_);
  --unfinished_;
  // After a halt nothing is kept: a failure then may be the stop itself.
  if (outcome && !halted_.load()) outcomes_.push_back(std::move(*outcome));
  changed_.notify_all();
}

}  // namespace commons::mpi
