// SPDX-License-Identifier: Apache-2.0
#include <commons/mpi/manager.hpp>

#include "run_pool.hpp"
#include "writer.hpp"

#include <commons/mpi/world.hpp>

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <fstream>
#include <thread>

namespace commons::mpi {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A worker sends something at least every second; one not heard from for this long is taken
// for dead (a launcher that does not end the job when a rank dies leaves it silent).
constexpr auto silence_limit = 60s;
// Live workers answer `stop` within milliseconds (their MPI thread never runs a run); rank 0
// waits no longer, as mpirun ends every rank a second after it forwards a signal.
constexpr auto stop_answer_limit = 500ms;
// How often rank 0 looks whether the workers on its machine are still there: mpirun ends the
// job a second or two after a rank died, and rank 0 wants to have stopped cleanly by then.
constexpr auto liveness_interval = 100ms;
// Workers acknowledge the end at once; one that does not is taken for dead.
constexpr auto release_answer_limit = 10s;
// How long rank 0's MPI thread sleeps when nothing happened: a worker waits at most this for an
// answer, and every wake-up takes a moment from the runs on the same core (measured: waking
// more often cost a tenth of the rate on two ranks of a 2-core machine).
constexpr auto poll_interval = 1ms;
// Messages and outcomes handled in one round before looking at the other kind, so that
// neither waits for long behind the other.
constexpr int round_size = 64;

// Whether process `pid` on this machine has ended (gone, or a zombie its parent has not reaped).
bool ended(std::int64_t pid) {
  if (pid <= 0) return false;
  if (kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const std::size_t name_end = line.rfind(") ");
  return name_end != std::string::npos && name_end + 2 < line.size() && line[name_end + 2] == 'Z';
}

}  // namespace

Manager::Manager(const World& world)
    : size_(world.size()),
      peers_(static_cast<std::size_t>(world.size())),
      runs_by_rank_(static_cast<std::size_t>(world.size()), 0),
      mailbox_(std::size_t{1} << 30, [this](int rank) { return dead_here(rank); }) {}

std::string Manager::describe(int rank) const {
  const Greeting& greeting = rank == 0 ? mine_ : peers_[static_cast<std::size_t>(rank)].greeting;
  if (greeting.host.empty()) return "rank " + std::to_string(rank);
  return "rank " + std::to_string(rank) + " (pid " + std::to_string(greeting.pid) + " on " + greeting.host + ")";
}

void Manager::lose(int rank, const std::string& what) {
  Peer& peer = peers_[static_cast<std::size_t>(rank)];
  if (peer.lost) return;
  peer.lost = true;
  losses_.push_back(describe(rank) + " " + what);
}

bool Manager::dead_here(int rank) const {
  const Greeting& greeting = peers_[static_cast<std::size_t>(rank)].greeting;
  return greeting.host == mine_.host && ended(greeting.pid);
}

std::vector<std::string> Manager::agree(const Greeting& mine) {
  mine_ = mine;
  std::vector<std::string> disagreements;
  for (int waiting = size_ - 1; waiting > 0;) {
    // Only greetings: a worker's first request may already follow its greeting.
    std::optional<Message> message = mailbox_.poll(MPI_ANY_SOURCE, Tag::hello);
    if (!message) {
      std::this_thread::sleep_for(1ms);
      continue;
    }
    --waiting;
    const int rank = message->source;
    if (message->tag == Tag::lost) {
      disagreements.push_back(describe(rank) + " died before it said what it loaded");
      continue;
    }
    const Greeting& theirs = peers_[static_cast<std::size_t>(rank)].greeting = decode_greeting(message->bytes);
    if (!theirs.error.empty()) {
      disagreements.push_back(describe(rank) + " cannot load the scenario: " + theirs.error);
    } else if (theirs.build != mine.build) {
      disagreements.push_back(describe(rank) + " runs commons " + theirs.build + ", " + describe(0) + " runs " +
                              mine.build + ": a run's results may depend on the build, so every rank must run the same");
    } else if (theirs.fingerprint != mine.fingerprint) {
      disagreements.push_back(describe(rank) + " loaded another plan than " + describe(0) + " (plan_sha256 " +
                              theirs.fingerprint.substr(0, 12) + "... against " + mine.fingerprint.substr(0, 12) +
                              "...): the scenario or a file it names differs between them; every rank must read "
                              "the same files");
    }
  }
  std::sort(disagreements.begin(), disagreements.end());
  return disagreements;
}

sim::ExecutionReport Manager::execute(const sim::PlanInfo& plan, const sim::ScenarioSpec& spec,
                                      const sim::Registry& registry, sim::Sink& sink,
                                      const sim::ExecutorOptions& options) {
  std::vector<std::int64_t> order = options.start_order;
  if (order.empty())
    for (const sim::RunTask& task : plan.tasks) order.push_back(task.index);
  const auto run_count = static_cast<std::int64_t>(plan.tasks.size());
  if (static_cast<std::int64_t>(order.size()) != run_count)
    throw std::invalid_argument("start order must name every run exactly once");

  sink.begin(plan);
  // Runs an earlier execution made durable are handed to no one.
  {
    std::vector<bool> done(plan.tasks.size(), false);
    for (const std::int64_t index : sink.resumed_runs())
      if (index >= 0 && index < run_count) done[static_cast<std::size_t>(index)] = true;
    std::erase_if(order, [&](std::int64_t index) { return done[static_cast<std::size_t>(index)]; });
  }
  sim::ExecutionReport report;
  report.resumed = run_count - static_cast<std::int64_t>(order.size());
  const auto planned = static_cast<std::int64_t>(order.size());

  // Told to the sink on the writer's thread only, and read here once it has ended.
  std::int64_t finished = 0;
  std::int64_t completed = 0;
  std::vector<std::string> failures;
  Writer writer(sink, [&](Outcome&& outcome, int rank) {
    if (auto* result = std::get_if<sim::RunResult>(&outcome)) {
      sink.consume(std::move(*result));
      ++completed;
    } else {
      const RunFailure& failure = std::get<RunFailure>(outcome);
      if (failure.index < 0 || failure.index >= run_count) throw CodecError("a failure of a run the plan does not have");
      sink.fail(plan.tasks[static_cast<std::size_t>(failure.index)], failure.message);
      failures.push_back("run " + std::to_string(failure.index) + ": " + failure.message +
                         (rank == 0 ? "" : " (on " + describe(rank) + ")"));
    }
    ++finished;
    ++runs_by_rank_[static_cast<std::size_t>(rank)];
    if (options.progress != nullptr) {
      options.progress->on_progress(finished * plan.steps, planned * plan.steps);
      options.progress->on_runs(finished, planned);
    }
  });

  // Rank 0 runs runs too. Finished runs waiting for the writer are held to the executor's bound
  // (which admission control counted): beyond it no rank is handed more until the writer
  // catches up; runs the workers already hold may still arrive.
  const int threads = sim::effective_threads(options.threads);
  const std::int64_t waiting_limit = options.queue_capacity > 0 ? options.queue_capacity : 2 * threads + 2;
  RunPool local(spec, registry, plan.tasks, threads, options.progress);

  // Runs are handed out in plan order, to this rank's threads and to the workers alike, so that
  // an interrupted sweep has its early runs, as on one process.
  std::size_t next = 0;
  const auto take = [&](std::int64_t wanted) {
    const std::size_t count = std::min(static_cast<std::size_t>(std::max<std::int64_t>(wanted, 0)), order.size() - next);
    const std::span<const std::int64_t> batch(order.data() + next, count);
    next += count;
    return batch;
  };
  // Requests not answered while the writer was behind, oldest first: rank and runs asked for.
  std::deque<std::pair<int, std::int64_t>> deferred;

  bool stopping = false;
  bool stop_asked_by_peer = false;
  Clock::time_point answer_by;
  const auto begin_stop = [&] {
    stopping = true;
    report.interrupted = true;
    local.halt();
    deferred.clear();
    for (int rank = 1; rank < size_; ++rank) {
      const Peer& peer = peers_[static_cast<std::size_t>(rank)];
      if (!peer.lost && !peer.stopped) mailbox_.post(rank, Tag::stop, {});
    }
    // What was written is made durable at once: mpirun kills every rank a second after it
    // forwards a signal (or after a rank died).
    writer.hurry();
    answer_by = Clock::now() + stop_answer_limit;
  };

  Clock::time_point last_round = Clock::now();
  Clock::time_point last_look = last_round;
  for (Peer& peer : peers_) peer.heard = last_round;
  while (!writer.failed()) {
    bool active = false;
    bool lost_now = false;
    if (!stopping && ((options.stop_requested != nullptr && options.stop_requested->load()) || stop_asked_by_peer))
      begin_stop();

    for (int i = 0; i < round_size; ++i) {
      std::optional<Message> message = mailbox_.poll();
      if (!message) break;
      active = true;
      const int rank = message->source;
      Peer& peer = peers_[static_cast<std::size_t>(rank)];
      peer.heard = Clock::now();
      if (peer.lost) continue;
      switch (message->tag) {
        case Tag::request:
          if (!stopping) deferred.emplace_back(rank, decode_number(message->bytes));  // else it is told to stop
          break;
        case Tag::result:
          --peer.outstanding;
          writer.push(decode_result(message->bytes), rank);
          break;
        case Tag::failure:
          --peer.outstanding;
          writer.push(decode_failure(message->bytes), rank);
          break;
        case Tag::stopping:
          stop_asked_by_peer = true;
          break;
        case Tag::stopped:
          peer.stopped = true;
          break;
        case Tag::lost:
          lose(rank, "died; the runs it held are not in the file, and --resume runs them");
          lost_now = true;
          break;
        default:  // a heartbeat
          break;
      }
    }
    for (int i = 0; i < round_size; ++i) {
      std::optional<Outcome> outcome = local.pop();
      if (!outcome) break;
      active = true;
      writer.push(std::move(*outcome), 0);
    }

    // Runs to hand out: to the workers that asked, then to this rank's threads.
    if (!stopping && writer.backlog() < waiting_limit) {
      for (; !deferred.empty(); deferred.pop_front()) {
        const auto [rank, wanted] = deferred.front();
        const std::span<const std::int64_t> batch = take(wanted);
        mailbox_.post(rank, Tag::assign, encode(batch));
        peers_[static_cast<std::size_t>(rank)].outstanding += static_cast<std::int64_t>(batch.size());
      }
      if (const std::int64_t room = threads + waiting_limit - local.held(); room > 0 && next < order.size())
        local.add(take(room));
    }

    // Ranks that died. A round that took long does not count against them.
    const Clock::time_point now = Clock::now();
    if (now - last_round > 1s)
      for (Peer& peer : peers_) peer.heard += now - last_round;
    last_round = now;
    const bool look = stopping || now - last_look >= liveness_interval;
    if (look) last_look = now;
    for (int rank = 1; rank < size_; ++rank) {
      const Peer& peer = peers_[static_cast<std::size_t>(rank)];
      if (peer.lost || peer.stopped) continue;
      if (look && dead_here(rank)) {
        lose(rank, "died; the runs it held are not in the file, and --resume runs them");
        lost_now = true;
      } else if (stopping && now > answer_by) {
        lose(rank, "did not answer the stop; if it died, the runs it held are not in the file, and --resume runs them");
      } else if (!stopping && now - peer.heard > silence_limit) {
        lose(rank, "has sent nothing for a minute and is taken for dead; the job stops, and --resume continues it");
        lost_now = true;
      }
    }
    if (lost_now && !stopping) begin_stop();

    const bool workers_done = std::all_of(peers_.begin() + 1, peers_.end(), [&](const Peer& peer) {
      return peer.lost || (stopping ? peer.stopped : peer.outstanding == 0);
    });
    if (workers_done && local.held() == 0 && (stopping || next == order.size())) break;

    if (active) continue;
    // Woken at once when a run of this rank finishes; messages are looked for every
    // poll_interval (MPI cannot wake a thread), well within what a worker holds.
    local.wait(poll_interval);
  }

  writer.close();
  report.completed = completed;
  report.failures = std::move(failures);
  report.failed = static_cast<std::int64_t>(report.failures.size());
  if (!report.interrupted) sink.finish();
  return report;
}

bool Manager::release(int code) {
  if (released_) return true;
  released_ = true;
  std::vector<bool> acknowledged(static_cast<std::size_t>(size_), false);
  acknowledged[0] = true;
  for (int rank = 1; rank < size_; ++rank) {
    if (peers_[static_cast<std::size_t>(rank)].lost)
      acknowledged[static_cast<std::size_t>(rank)] = true;
    else
      mailbox_.post(rank, Tag::finished, encode(std::vector<std::int64_t>{code, losses_.empty() ? 0 : 1}));
  }
  // Whatever else arrives meanwhile (results of a job that ended early, greetings never read)
  // is dropped: the sink is closed.
  const Clock::time_point give_up = Clock::now() + release_answer_limit;
  while (!std::all_of(acknowledged.begin(), acknowledged.end(), [](bool done) { return done; })) {
    std::optional<Message> message = mailbox_.poll();
    if (message) {
      if (message->tag == Tag::lost) lose(message->source, "died");
      if (message->tag == Tag::bye || message->tag == Tag::lost)
        acknowledged[static_cast<std::size_t>(message->source)] = true;
      continue;
    }
    if (Clock::now() > give_up) {
      for (int rank = 1; rank < size_; ++rank)
        if (!acknowledged[static_cast<std::size_t>(rank)]) lose(rank, "did not acknowledge the end of the job");
      return false;
    }
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

}  // namespace commons::mpi
