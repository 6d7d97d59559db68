// SPDX-License-Identifier: Apache-2.0
#include <commons/mpi/protocol.hpp>

#include <commons/mpi/run_codec.hpp>

#include <algorithm>
#include <chrono>
#include <climits>
#include <stdexcept>
#include <thread>

namespace commons::mpi {
namespace {

int as_count(std::size_t bytes) { return static_cast<int>(bytes); }

}  // namespace

std::vector<std::byte> encode(const Greeting& greeting) {
  return encode(std::vector<std::string>{greeting.fingerprint, greeting.build, greeting.host,
                                         std::to_string(greeting.pid), greeting.error});
}

Greeting decode_greeting(std::span<const std::byte> bytes) {
  const std::vector<std::string> texts = decode_texts(bytes);
  if (texts.size() != 5) throw CodecError("a greeting of another build");
  return Greeting{texts[0], texts[1], texts[2], std::stoll(texts[3]), texts[4]};
}

std::vector<std::byte> encode_number(std::int64_t number) { return encode(std::span<const std::int64_t>(&number, 1)); }

std::int64_t decode_number(std::span<const std::byte> bytes) {
  const std::vector<std::int64_t> numbers = decode_indices(bytes);
  if (numbers.size() != 1) throw CodecError("not one number");
  return numbers.front();
}

Mailbox::Mailbox(std::size_t piece, Gone gone)
    : piece_(std::clamp<std::size_t>(piece, 1, INT_MAX)), gone_(std::move(gone)) {}

Mailbox::~Mailbox() {
  // Messages still posted go to ranks that will read them in a moment (`finished`), or to one
  // that died; a process about to end does not wait for the dead.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!complete_posted() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void Mailbox::send(int rank, Tag tag, std::span<const std::byte> bytes) {
  if (bytes.size() <= piece_) {
    MPI_Send(bytes.data(), as_count(bytes.size()), MPI_BYTE, rank, static_cast<int>(tag), MPI_COMM_WORLD);
    return;
  }
  const std::vector<std::int64_t> header{static_cast<std::int64_t>(bytes.size()), static_cast<std::int64_t>(tag)};
  const std::vector<std::byte> header_bytes = encode(std::span<const std::int64_t>(header));
  MPI_Send(header_bytes.data(), as_count(header_bytes.size()), MPI_BYTE, rank, static_cast<int>(Tag::large),
           MPI_COMM_WORLD);
  for (std::size_t first = 0; first < bytes.size(); first += piece_) {
    const std::size_t length = std::min(piece_, bytes.size() - first);
    MPI_Send(bytes.data() + first, as_count(length), MPI_BYTE, rank, static_cast<int>(Tag::piece), MPI_COMM_WORLD);
  }
}

void Mailbox::post(int rank, Tag tag, std::vector<std::byte> bytes) {
  complete_posted();
  Posted& posted = posted_.emplace_back();
  posted.bytes = std::move(bytes);
  const auto isend = [&](const std::byte* data, std::size_t length, Tag sent_as) {
    MPI_Request request = MPI_REQUEST_NULL;
    MPI_Isend(data, as_count(length), MPI_BYTE, rank, static_cast<int>(sent_as), MPI_COMM_WORLD, &request);
    posted.requests.push_back(request);
  };
  if (posted.bytes.size() <= piece_) {
    isend(posted.bytes.data(), posted.bytes.size(), tag);
    return;
  }
  const std::vector<std::int64_t> header{static_cast<std::int64_t>(posted.bytes.size()),
                                         static_cast<std::int64_t>(tag)};
  posted.header = encode(std::span<const std::int64_t>(header));
  isend(posted.header.data(), posted.header.size(), Tag::large);
  for (std::size_t first = 0; first < posted.bytes.size(); first += piece_)
    isend(posted.bytes.data() + first, std::min(piece_, posted.bytes.size() - first), Tag::piece);
}

std::int64_t Mailbox::posted() {
  complete_posted();
  return static_cast<std::int64_t>(posted_.size());
}

bool Mailbox::complete_posted() {
  while (!posted_.empty()) {
    std::vector<MPI_Request>& requests = posted_.front().requests;
    int done = 0;
    MPI_Testall(static_cast<int>(requests.size()), requests.data(), &done, MPI_STATUSES_IGNORE);
    if (done == 0) return false;
    posted_.pop_front();
  }
  return true;
}

bool Mailbox::arrives(int source, const std::function<bool()>& arrived) {
  // A message that has begun to arrive is usually whole after a test or two; only then is the
  // sender asked after, now and then.
  for (int tests = 0; !arrived(); ++tests) {
    if (tests < 1000) continue;
    if (gone_ && gone_(source)) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

std::optional<Message> Mailbox::poll(int source, std::optional<Tag> tag) {
  complete_posted();
  int arrived = 0;
  MPI_Status status;
  MPI_Iprobe(source, tag ? static_cast<int>(*tag) : MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
  if (arrived == 0) return std::nullopt;
  Message message{status.MPI_SOURCE, static_cast<Tag>(status.MPI_TAG), {}};
  MPI_Request request = MPI_REQUEST_NULL;
  const auto receive = [&](std::size_t first, int count, int received_tag) {
    MPI_Irecv(message.bytes.data() + first, count, MPI_BYTE, message.source, received_tag, MPI_COMM_WORLD, &request);
    return arrives(message.source, [&] {
      int done = 0;
      MPI_Test(&request, &done, MPI_STATUS_IGNORE);
      return done != 0;
    });
  };
  const auto lost = [&] {
    if (request != MPI_REQUEST_NULL) {
      MPI_Cancel(&request);
      MPI_Request_free(&request);
    }
    // MPI may still hold the buffer of a receive it could not cancel: it is never freed.
    static std::vector<std::vector<std::byte>> abandoned;
    abandoned.push_back(std::move(message.bytes));
    return Message{message.source, Tag::lost, {}};
  };

  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  message.bytes.resize(static_cast<std::size_t>(count));
  if (!receive(0, count, status.MPI_TAG)) return lost();
  if (message.tag != Tag::large) return message;
  // The pieces follow the header from the same rank, in order (MPI does not let messages
  // between two ranks overtake one another).
  const std::vector<std::int64_t> header = decode_indices(message.bytes);
  if (header.size() != 2 || header[0] < 0) throw CodecError("a malformed header of a message in pieces");
  message.tag = static_cast<Tag>(header[1]);
  message.bytes.assign(static_cast<std::size_t>(header[0]), std::byte{0});
  for (std::size_t filled = 0; filled < message.bytes.size(); filled += static_cast<std::size_t>(count)) {
    // Each piece is as long as the sender's pieces, whatever this rank's are.
    const bool begun = arrives(message.source, [&] {
      MPI_Iprobe(message.source, static_cast<int>(Tag::piece), MPI_COMM_WORLD, &arrived, &status);
      return arrived != 0;
    });
    if (!begun) return lost();
    MPI_Get_count(&status, MPI_BYTE, &count);
    if (count <= 0 || static_cast<std::size_t>(count) > message.bytes.size() - filled)
      throw CodecError("a piece beyond the end of its message");
    if (!receive(filled, count, static_cast<int>(Tag::piece))) return lost();
  }
  return message;
}

}  // namespace commons::mpi
