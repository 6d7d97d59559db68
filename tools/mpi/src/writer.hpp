// SPDX-License-Identifier: Apache-2.0
#pragma once
// Rank 0's one thread that calls the sink, as sim::execute's writer: finished runs queue here
// from the thread that talks MPI, so that a slow write or a sync to the disk never keeps a
// worker waiting for its next runs.

#include "run_pool.hpp"

#include <commons/sim/sink.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace commons::mpi {

class Writer {
 public:
  /// `deliver` hands an outcome, run by `rank`, to the sink; it and sink.sync() are called
  /// from the writer's thread only.
  using Deliver = std::function<void(Outcome&&, int rank)>;

  Writer(sim::Sink& sink, Deliver deliver);
  /// Ends the thread; what was queued and not yet written is dropped.
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void push(Outcome&& outcome, int rank);
  /// Outcomes queued and not yet handed to the sink.
  [[nodiscard]] std::int64_t backlog() const;
  /// Makes what was written durable as soon as nothing waits, without waiting for the interval
  /// between syncs (a stop: the launcher may kill the process a second later).
  void hurry();
  /// The sink threw: nothing more is written.
  [[nodiscard]] bool failed() const;
  /// Writes what is queued, syncs, and ends the thread; rethrows what the sink threw.
  void close();

 private:
  void loop();

  sim::Sink& sink_;
  Deliver deliver_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<Outcome, int>> queue_;
  bool hurried_ = false;
  bool closed_ = false;
  bool failed_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace commons::mpi
