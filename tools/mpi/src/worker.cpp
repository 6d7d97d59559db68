// SPDX-License-Identifier: Apache-2.0
#include <commons/mpi/worker.hpp>

#include "run_pool.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

namespace commons::mpi {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Rank 0 takes a worker that sends nothing for a minute for dead; this keeps a live one heard.
constexpr auto heartbeat_interval = 1s;

}  // namespace

Ending serve(const Greeting& greeting, const sim::ScenarioSpec* spec, std::span<const sim::RunTask> tasks,
          const sim::Registry& registry, int threads, const std::atomic<int>& signalled) {
  Mailbox mailbox;
  mailbox.send(0, Tag::hello, encode(greeting));
  Clock::time_point last_sent = Clock::now();
  const auto send = [&](Tag tag, std::span<const std::byte> bytes) {
    mailbox.send(0, tag, bytes);
    last_sent = Clock::now();
  };
  // Runs leave without waiting for rank 0 to take them: MPI would spin on this rank's core
  // meanwhile, a core its runs need.
  const auto post = [&](Tag tag, std::vector<std::byte> bytes) {
    mailbox.post(0, tag, std::move(bytes));
    last_sent = Clock::now();
  };

  // The worker holds up to this many runs (waiting, running, or finished and not yet sent) and
  // asks for more whenever it has room: runs wait for a thread here, not for a round trip to
  // rank 0. Rank 0's answer takes two milliseconds on average when its core also runs runs and
  // writes; with twice the threads plus two a worker of runs of a millisecond or two waited 15
  // to 25 % of the time, with four times plus four under 5 % (most of it for its first runs).
  const std::int64_t capacity = 4 * static_cast<std::int64_t>(threads) + 4;
  std::unique_ptr<RunPool> pool;
  if (spec != nullptr) pool = std::make_unique<RunPool>(*spec, registry, tasks, threads);
  bool asked = false;
  bool no_more_runs = spec == nullptr;
  bool stopping = false;
  bool told_stopping = false;
  bool stopped_sent = spec == nullptr;

  for (;;) {
    bool active = false;
    if (signalled.load() != 0 && !told_stopping) {
      // Rank 0 stops the whole job; meanwhile this rank stops its own runs.
      told_stopping = true;
      send(Tag::stopping, encode_number(signalled.load()));
      stopping = true;
      if (pool) pool->halt();
    }
    while (std::optional<Message> message = mailbox.poll(0)) {
      active = true;
      switch (message->tag) {
        case Tag::assign: {
          asked = false;
          const std::vector<std::int64_t> indices = decode_indices(message->bytes);
          if (indices.empty()) no_more_runs = true;
          if (pool && !stopping) pool->add(indices);
          break;
        }
        case Tag::stop:
          stopping = true;
          if (pool) pool->halt();
          break;
        case Tag::finished: {
          // Runs in flight are abandoned; the pool waits for them to notice before it ends.
          if (pool) pool->halt();
          mailbox.send(0, Tag::bye, {});
          const std::vector<std::int64_t> ending = decode_indices(message->bytes);
          if (ending.size() != 2) throw CodecError("an ending of another build");
          return Ending{static_cast<int>(ending[0]), ending[1] != 0};
        }
        default:
          break;
      }
    }
    if (pool && !stopped_sent) {
      // What finished is sent, also after a stop: every run rank 0 receives is kept.
      while (std::optional<Outcome> outcome = pool->pop()) {
        active = true;
        if (const auto* result = std::get_if<sim::RunResult>(&*outcome))
          post(Tag::result, encode(*result));
        else
          post(Tag::failure, encode(std::get<RunFailure>(*outcome)));
      }
      if (stopping) {
        send(Tag::stopped, {});
        stopped_sent = true;
      } else if (const std::int64_t held = pool->held();
                 !asked && !no_more_runs && held < capacity && mailbox.posted() < capacity) {
        // Results on their way to rank 0 do not wait for it to take them before more runs are
        // asked for (a run's thread would wait meanwhile), but no more of them than it holds runs.
        send(Tag::request, encode_number(capacity - held));
        asked = true;
      }
    }
    if (Clock::now() - last_sent > heartbeat_interval) send(Tag::heartbeat, {});
    if (active) continue;
    // Waiting for runs asked for, or with results on their way (a large one over TCP leaves only
    // as this thread calls MPI), it looks every millisecond; otherwise seldom, as every wake-up
    // takes the core from a run. A run that finishes wakes it at once.
    const auto pause = asked || mailbox.posted() > 0 ? 1ms : 10ms;
    if (pool)
      pool->wait(pause);
    else
      std::this_thread::sleep_for(pause);
  }
}

}  // namespace commons::mpi
