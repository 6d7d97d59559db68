// SPDX-License-Identifier: Apache-2.0
#include "writer.hpp"

namespace commons::mpi {
namespace {

using Clock = std::chrono::steady_clock;

// A sync to the disk costs milliseconds: done when nothing waits, but not more often than this,
// so that runs of a millisecond are not synced one by one (sim::execute's writer does the same).
constexpr auto sync_interval = std::chrono::milliseconds(100);

}  // namespace

Writer::Writer(sim::Sink& sink, Deliver deliver)
    : sink_(sink), deliver_(std::move(deliver)), thread_([this] { loop(); }) {}

Writer::~Writer() {
  {
    const std::scoped_lock lock(mutex_);
    closed_ = true;
    queue_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Writer::push(Outcome&& outcome, int rank) {
  {
    const std::scoped_lock lock(mutex_);
    queue_.emplace_back(std::move(outcome), rank);
  }
  changed_.notify_all();
}

std::int64_t Writer::backlog() const {
  const std::scoped_lock lock(mutex_);
  return static_cast<std::int64_t>(queue_.size());
}

void Writer::hurry() {
  {
    const std::scoped_lock lock(mutex_);
    hurried_ = true;
  }
  changed_.notify_all();
}

bool Writer::failed() const {
  const std::scoped_lock lock(mutex_);
  return failed_;
}

void Writer::close() {
  {
    const std::scoped_lock lock(mutex_);
    closed_ = true;
  }
  changed_.notify_all();
  thread_.join();
  if (error_) std::rethrow_exception(error_);
}

void Writer::loop() {
  Clock::time_point last_sync = Clock::now() - sync_interval;
  bool unsynced = false;
  std::unique_lock lock(mutex_);
  // Calls the sink without the lock; after a failure the sink is not called again.
  const auto call = [&](auto&& body) {
    lock.unlock();
    try {
      body();
    } catch (...) {
      lock.lock();
      failed_ = true;
      error_ = std::current_exception();
      queue_.clear();
      return;
    }
    lock.lock();
  };
  for (;;) {
    if (!queue_.empty() && !failed_) {
      std::pair<Outcome, int> item = std::move(queue_.front());
      queue_.pop_front();
      call([&] { deliver_(std::move(item.first), item.second); });
      unsynced = true;
      continue;
    }
    const bool due = hurried_ || closed_ || Clock::now() - last_sync >= sync_interval;
    if (unsynced && !failed_ && due) {
      call([&] { sink_.sync(); });
      last_sync = Clock::now();
      unsynced = false;
      hurried_ = false;
      continue;
    }
    if (closed_) return;
    if (unsynced)
      changed_.wait_until(lock, last_sync + sync_interval);
    else
      changed_.wait(lock);
  }
}

}  // namespace commons::mpi
