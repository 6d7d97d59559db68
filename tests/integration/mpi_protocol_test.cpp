// SPDX-License-Identifier: Apache-2.0
// Run under `mpirun -np 2` (test_mpi.py does): messages of every length around the piece size
// arrive whole and in order, sent blocking or posted, whatever piece size the receiver uses.
// Prints what differs and exits 1; exits 0 when every message arrived as sent.

#include <commons/mpi/protocol.hpp>
#include <commons/mpi/world.hpp>

#include <cstdio>
#include <thread>
#include <vector>

namespace {

using commons::mpi::Mailbox;
using commons::mpi::Tag;

std::vector<std::byte> message(std::size_t length, unsigned salt) {
  std::vector<std::byte> bytes(length);
  for (std::size_t i = 0; i < length; ++i) bytes[i] = static_cast<std::byte>((i * 31 + salt) & 0xffu);
  return bytes;
}

// Lengths on both sides of the sender's piece size, and several pieces long.
constexpr std::size_t piece = 1000;
const std::vector<std::size_t> lengths{0, 1, piece - 1, piece, piece + 1, 3 * piece + 5};

int send_all() {
  Mailbox mailbox(piece);
  for (const std::size_t length : lengths) {
    mailbox.send(0, Tag::result, message(length, 1));
    mailbox.post(0, Tag::failure, message(length, 2));
  }
  mailbox.send(0, Tag::bye, {});
  return 0;  // the mailbox waits for what it posted to leave
}

int receive_all() {
  Mailbox mailbox(7);
  std::vector<std::pair<Tag, std::vector<std::byte>>> expected;
  for (const std::size_t length : lengths) {
    expected.emplace_back(Tag::result, message(length, 1));
    expected.emplace_back(Tag::failure, message(length, 2));
  }
  expected.emplace_back(Tag::bye, std::vector<std::byte>{});
  int wrong = 0;
  for (std::size_t i = 0; i < expected.size();) {
    std::optional<commons::mpi::Message> received = mailbox.poll();
    if (!received) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    if (received->source != 1 || received->tag != expected[i].first || received->bytes != expected[i].second) {
      std::fprintf(stderr, "message %zu: tag %d, %zu bytes; expected tag %d, %zu bytes\n", i,
                   static_cast<int>(received->tag), received->bytes.size(), static_cast<int>(expected[i].first),
                   expected[i].second.size());
      ++wrong;
    }
    ++i;
  }
  return wrong == 0 ? 0 : 1;
}

}  // namespace

int main() {
  const commons::mpi::World world;
  if (world.size() != 2) {
    std::fprintf(stderr, "run under mpirun -np 2\n");
    return 2;
  }
  return world.rank() == 0 ? receive_all() : send_all();
}
