// SPDX-License-Identifier: Apache-2.0
#pragma once
// Private to the output library: where a results file may go, and the moves that get it there
// without ever exposing a half-written file or writing over anything but a regular file.
//
// A results file is built in an anonymous file (O_TMPFILE) in the destination's directory,
// locked with flock() from the start. Only when its structure is complete is it linked as
// FILE.partial; it keeps its lock there while runs are written, and is renamed to FILE at the
// end. A second writer finds FILE.partial locked and stops; a FILE.partial whose lock is free
// was left by an interrupted run. docs/cli.md#what-commons-promises-about-your-files.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace commons::output::detail {

/// An anonymous, locked file in a directory, which HDF5 writes through its descriptor
/// (descriptor_access()) and which can later be given a name of its own atomically. Where the
/// file system cannot make anonymous files, a hidden temporary name stands in and is removed
/// again unless linked.
class Scratch {
 public:
  /// \throws OutputError (about `shown`) if no file can be created in `directory`.
  Scratch(const std::filesystem::path& directory, const std::filesystem::path& shown);
  /// Takes over `descriptor`: a regular file already named `shown` (a FILE.partial being
  /// resumed) and locked by the caller. The Scratch closes it, which releases the lock.
  struct Adopt {};
  Scratch(Adopt, int descriptor, const std::filesystem::path& directory, const std::filesystem::path& shown);
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  [[nodiscard]] int descriptor() const noexcept { return fd_; }
  /// Gives the file the name `target`, failing with false if `target` exists.
  [[nodiscard]] bool link_as(const std::filesystem::path& target);
  /// Gives the file the name `target`, replacing what is there (rename(2) semantics).
  void link_over(const std::filesystem::path& target);
  /// Writes the file's data and size to the device.
  void sync() const;

 private:
  std::filesystem::path directory_;
  std::filesystem::path shown_;
  int fd_ = -1;
  /// /proc/self/fd/N: how linkat(2) reaches an anonymous file without privileges.
  std::string proc_name_;
  /// The stand-in name while the file is not linked; empty for an anonymous file.
  std::filesystem::path temporary_;
  bool linked_ = false;
};

/// The right to write one results file: checks the destination before any work, claims
/// FILE.partial for one process, and moves the finished file to FILE.
class Destination {
 public:
  /// Refuses a destination that must not be written, whatever `overwrite` says: a path that
  /// exists but is not a regular file (a directory, a device such as /dev/null, a FIFO, a
  /// socket, a symbolic link), one of `inputs` (the scenario and the files it names), a name too
  /// long for the file system with ".partial" appended, a missing directory; without
  /// `overwrite`, an existing FILE. Refuses FILE.partial while another process writes it; one
  /// left by an interrupted run is reported by stale_partial() for the caller to judge.
  /// \throws OutputError naming the path and the reason.
  Destination(std::filesystem::path final_path, bool overwrite, std::span<const std::filesystem::path> inputs);
  ~Destination();
  Destination(const Destination&) = delete;
  Destination& operator=(const Destination&) = delete;

  [[nodiscard]] const std::filesystem::path& final_path() const noexcept { return final_path_; }
  [[nodiscard]] const std::filesystem::path& partial_path() const noexcept { return partial_path_; }
  [[nodiscard]] std::filesystem::path directory() const;

  /// True if FILE.partial exists and no process writes it: an interrupted run left it.
  [[nodiscard]] bool stale_partial() const noexcept { return stale_; }

  /// Free space for an unprivileged user in the destination's file system [bytes].
  [[nodiscard]] std::uintmax_t free_bytes() const;

  /// Makes `scratch` FILE.partial. A FILE.partial left by an interrupted run is replaced when
  /// overwriting is allowed; one that another process writes never is.
  /// \throws OutputError if another process writes FILE.partial, or if a stale one may not be
  ///         replaced.
  void claim(Scratch& scratch);
  /// For resuming: FILE.partial as an interrupted run left it, locked for this process (and
  /// claimed, as if claim() had made it), or nullptr when there is none.
  /// \throws OutputError if another process writes FILE.partial, or it is not a regular file.
  [[nodiscard]] std::unique_ptr<Scratch> resume_partial();
  /// Renames FILE.partial to FILE (replacing a regular file when overwriting is allowed).
  /// \throws OutputError, keeping FILE.partial, if FILE is now something that may not be
  ///         replaced or (without overwrite) has appeared meanwhile.
  void finalize();
  /// Gives `scratch` (a finished copy of FILE.partial) the name FILE, then removes
  /// FILE.partial. Throws as finalize().
  void finalize_from(Scratch& scratch);
  /// Removes FILE.partial (it holds nothing worth keeping).
  void discard();

 private:
  void check_final_name() const;
  void sync_directory() const;

  std::filesystem::path final_path_;
  std::filesystem::path partial_path_;
  bool overwrite_;
  std::vector<std::filesystem::path> inputs_;
  bool stale_ = false;
  bool claimed_ = false;
};

/// Describes what a path is when it is not a regular file ("a directory", "a symbolic link",
/// "a character device"...), or "" for a regular file or a path that does not exist.
[[nodiscard]] std::string not_regular(const std::filesystem::path& path);

}  // namespace commons::output::detail
