// SPDX-License-Identifier: Apache-2.0
#include <commons/output/atomic_file.hpp>

#include <commons/output/output_error.hpp>

#include "destination.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace commons::output {
namespace {

constexpr std::size_t buffer_limit = std::size_t{1} << 20;

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target, bool overwrite, std::span<const std::filesystem::path> inputs)
    : target_(std::move(target)), overwrite_(overwrite) {
  // A results file's checks: the same refusals, with the same words.
  destination_ = std::make_unique<detail::Destination>(target_, overwrite, inputs);
  scratch_ = std::make_unique<detail::Scratch>(destination_->directory(), target_);
  buffer_.reserve(buffer_limit + 4096);
}

AtomicFile::AtomicFile(AtomicFile&&) noexcept = default;
AtomicFile& AtomicFile::operator=(AtomicFile&&) noexcept = default;
// The Scratch's destructor removes what was written unless it was named.
AtomicFile::~AtomicFile() = default;

void AtomicFile::write(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= buffer_limit) flush();
}

void AtomicFile::flush() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t put = ::write(scratch_->descriptor(), buffer_.data() + done, buffer_.size() - done);
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) throw OutputError(target_, std::string("cannot write: ") + std::strerror(errno));
    done += static_cast<std::size_t>(put);
  }
  buffer_.clear();
}

void AtomicFile::commit() {
  flush();
  scratch_->sync();
  std::error_code error;
  if (!overwrite_ && std::filesystem::symlink_status(target_, error).type() != std::filesystem::file_type::not_found)
    throw OutputError(target_, "appeared while it was written; nothing was written over it");
  destination_->finalize_from(*scratch_);
}

}  // namespace commons::output
