// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// The messages of an MPI job's ranks (docs/cluster.md): rank 0 hands out runs and writes the
/// results; every other rank (a worker) runs what it is handed and sends back what finished.
/// Only the thread that initialised MPI calls it (MPI_THREAD_FUNNELED).

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace commons::mpi {

/// What a message is about.
enum class Tag : int {
  hello = 1,  ///< worker -> 0: its Greeting, once, first
  request,    ///< worker -> 0: how many more runs it can take
  assign,     ///< 0 -> worker: run indices in plan order; none means no more runs will come
  result,     ///< worker -> 0: a finished run (encode(RunResult))
  failure,    ///< worker -> 0: a run that threw (encode(RunFailure))
  heartbeat,  ///< worker -> 0: still alive, when it has sent nothing else for a second
  stopping,   ///< worker -> 0: a signal reached it (its number); the whole job stops
  stop,       ///< 0 -> worker: abandon runs in flight, send those finished, then `stopped`
  stopped,    ///< worker -> 0: nothing more will come from it but `bye`
  finished,   ///< 0 -> worker: the job is over: its exit code, and 1 if a rank was lost
  bye,        ///< worker -> 0: acknowledged; the worker ends
  large,      ///< a message longer than one MPI message carries: its length and tag; pieces follow
  piece,      ///< a piece of a `large` message, in order
  lost,       ///< never sent: the rank died while its message arrived (Mailbox::poll)
};

struct Message {
  int source = 0;
  Tag tag = Tag::hello;
  std::vector<std::byte> bytes;
};

/// What a rank says first: what it loaded and what it is, so that rank 0 can refuse a job whose
/// ranks would not compute the same runs.
struct Greeting {
  /// plan_sha256 of the plan the rank loaded; empty when it could not load the scenario.
  std::string fingerprint;
  /// Program version, commit and source state.
  std::string build;
  std::string host;
  std::int64_t pid = 0;
  /// Why the rank could not load the scenario.
  std::string error;
};

[[nodiscard]] std::vector<std::byte> encode(const Greeting& greeting);
[[nodiscard]] Greeting decode_greeting(std::span<const std::byte> bytes);
/// One number (a count of runs, an exit code, a signal).
[[nodiscard]] std::vector<std::byte> encode_number(std::int64_t number);
[[nodiscard]] std::int64_t decode_number(std::span<const std::byte> bytes);

/// Sends and receives messages of any length on MPI_COMM_WORLD.
class Mailbox {
 public:
  /// Whether a rank is known to have died.
  using Gone = std::function<bool(int rank)>;

  /// `piece`: the longest message MPI is given at once [bytes]; longer ones travel in pieces
  /// (MPI counts bytes in an int). `gone` is asked about a rank whose message has begun to
  /// arrive and does not finish: Open MPI waits for ever for the rest of a message from a
  /// process that died on the same machine.
  explicit Mailbox(std::size_t piece = std::size_t{1} << 30, Gone gone = {});
  /// Waits a moment for posted messages to leave; one to a rank that died is given up.
  ~Mailbox();
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  /// Returns once `bytes` are sent or buffered (MPI_Send).
  void send(int rank, Tag tag, std::span<const std::byte> bytes);
  /// Returns at once; the bytes are kept until MPI is done with them. Rank 0 only posts, so
  /// that it never waits on a worker that is itself waiting for rank 0 to receive.
  void post(int rank, Tag tag, std::vector<std::byte> bytes);
  /// The next message from `source` (MPI_ANY_SOURCE: any rank) with `tag` (any when absent), if
  /// one has arrived; a message sent in pieces is returned whole. Never waits for a message that
  /// has not begun to arrive. A message whose sender is `gone` before it has arrived whole is
  /// returned empty as Tag::lost.
  [[nodiscard]] std::optional<Message> poll(int source = MPI_ANY_SOURCE, std::optional<Tag> tag = std::nullopt);
  /// Posted messages MPI is not yet done with.
  [[nodiscard]] std::int64_t posted();

 private:
  struct Posted {
    std::vector<std::byte> header;
    std::vector<std::byte> bytes;
    std::vector<MPI_Request> requests;
  };
  /// Forgets posted messages MPI is done with; true when none is left.
  bool complete_posted();
  /// Waits until `arrived` says so: true; or until `source` is gone first: false.
  bool arrives(int source, const std::function<bool()>& arrived);

  std::size_t piece_;
  Gone gone_;
  std::deque<Posted> posted_;
};

}  // namespace commons::mpi
