// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// A file other than a results file (an export of one, `commons export`), written under no name
/// and given its name only when complete, with the promises a results file has
/// (docs/cli.md#what-commons-promises-about-your-files): readers see the old file or the new one
/// and never a part of it, nothing is left behind by a process that dies, only a regular file is
/// ever replaced, and never an input.

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace commons::output {

namespace detail {
class Destination;
class Scratch;
}  // namespace detail

/// Buffered writing of one new file; commit() names it. Move-only; destroying an uncommitted
/// file discards it.
class AtomicFile {
 public:
  /// Refuses, before anything is written, a target that exists but is not a regular file (a
  /// directory, a device, a FIFO, a socket, a symbolic link), one of `inputs` (the same file,
  /// also through another name), one in a missing directory, and without `overwrite` an
  /// existing file.
  /// \throws OutputError naming the target and the reason.
  AtomicFile(std::filesystem::path target, bool overwrite, std::span<const std::filesystem::path> inputs);
  AtomicFile(AtomicFile&&) noexcept;
  AtomicFile& operator=(AtomicFile&&) noexcept;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return target_; }
  /// Appends bytes (kept in a buffer of about a mebibyte between writes).
  /// \throws OutputError if the file system refuses them (a full disk).
  void write(std::string_view bytes);
  /// Writes what is buffered, syncs the file to the device and gives it its name, checking the
  /// target again (it may have changed since the constructor looked).
  /// \throws OutputError, leaving the target as it was.
  void commit();

 private:
  void flush();

  std::filesystem::path target_;
  bool overwrite_ = false;
  std::unique_ptr<detail::Destination> destination_;
  std::unique_ptr<detail::Scratch> scratch_;
  std::string buffer_;
};

}  // namespace commons::output
