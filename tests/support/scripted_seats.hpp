// SPDX-License-Identifier: Apache-2.0
#pragma once
// A stand-in for the people in `human` seats: answers come from a table keyed by
// (step, agent id), at once, after a delay, never, or as a failure, so that tests can check
// what a step does with each kind of seat without anyone at a keyboard.

#include <commons/sim/human_seat.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace commons::testing {

class ScriptedSeats final : public sim::SeatBroker {
 public:
  /// How a seat answers.
  enum class Timing {
    /// The future is ready when `ask` returns.
    immediately,
    /// A thread sets the value `delay` after the question (or never, if the broker is
    /// destroyed first).
    delayed,
    /// The future never becomes ready (the promise is kept until the broker is destroyed).
    never,
    /// The promise is dropped at once: the future holds std::future_error (broken_promise).
    broken,
    /// The future holds an exception, as when the connection to the seat fails.
    failing,
    /// `ask` itself throws.
    throws,
  };

  struct Answer {
    double effort = 0.0;
    Timing timing = Timing::immediately;
    std::chrono::milliseconds delay{0};
    /// Where the seat goes, on a resource with sites; none stays.
    std::optional<std::uint32_t> site{};
  };

  ScriptedSeats() = default;
  ScriptedSeats(const ScriptedSeats&) = delete;
  ScriptedSeats& operator=(const ScriptedSeats&) = delete;

  ~ScriptedSeats() override {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : late_) thread.join();
  }

  /// The seat of `agent_id` answers `effort` at `step` at once.
  void answer(std::int64_t step, std::uint64_t agent_id, double effort) {
    set(step, agent_id, {effort, Timing::immediately, {}});
  }
  /// The seat answers `effort` at `step`, `delay` after it is asked.
  void answer_after(std::int64_t step, std::uint64_t agent_id, double effort, std::chrono::milliseconds delay) {
    set(step, agent_id, {effort, Timing::delayed, delay});
  }
  /// The seat behaves as `timing` says at `step`. A (step, agent) without an entry never answers.
  void set(std::int64_t step, std::uint64_t agent_id, Answer answer) {
    std::lock_guard lock(mutex_);
    table_[{step, agent_id}] = answer;
  }

  /// The seat goes to `site` at `step` and applies `effort` there, answering at once.
  void move(std::int64_t step, std::uint64_t agent_id, std::uint32_t site, double effort) {
    set(step, agent_id, {effort, Timing::immediately, {}, site});
  }

  [[nodiscard]] std::future<sim::SeatAnswer> ask(const sim::SeatRequest& request) override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    const auto entry = table_.find({request.step, request.agent_id});
    const Answer answer = entry == table_.end() ? Answer{0.0, Timing::never, {}, {}} : entry->second;
    std::promise<sim::SeatAnswer> promise;
    std::future<sim::SeatAnswer> future = promise.get_future();
    switch (answer.timing) {
      case Timing::immediately:
        promise.set_value(sim::SeatAnswer{answer.effort, answer.site});
        break;
      case Timing::delayed:
        late_.emplace_back([this, answer, promise = std::move(promise)]() mutable {
          std::unique_lock wait_lock(mutex_);
          if (!wake_.wait_for(wait_lock, answer.delay, [this] { return closing_; }))
            promise.set_value(sim::SeatAnswer{answer.effort, answer.site});
        });
        break;
      case Timing::never:
        silent_.push_back(std::move(promise));
        break;
      case Timing::broken:
        break;
      case Timing::failing:
        promise.set_exception(std::make_exception_ptr(std::runtime_error("the seat's connection was lost")));
        break;
      case Timing::throws:
        throw std::runtime_error("the broker cannot reach the seat");
    }
    return future;
  }

  /// Every question asked so far, in the order they came.
  [[nodiscard]] std::vector<sim::SeatRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool closing_ = false;
  std::map<std::pair<std::int64_t, std::uint64_t>, Answer> table_;
  std::vector<sim::SeatRequest> requests_;
  std::vector<std::promise<sim::SeatAnswer>> silent_;
  std::vector<std::thread> late_;
};

}  // namespace commons::testing
