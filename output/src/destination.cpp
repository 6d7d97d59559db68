// SPDX-License-Identifier: Apache-2.0
#include "destination.hpp"

#include <commons/output/layout.hpp>
#include <commons/output/output_error.hpp>

#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>
#include <random>
#include <string_view>
#include <utility>

namespace commons::output::detail {
namespace {

namespace fs = std::filesystem;

std::string error_text(int number) { return std::strerror(number); }

[[noreturn]] void fail_errno(const fs::path& path, const std::string& what, int number) {
  throw OutputError(path, what + ": " + error_text(number));
}

std::optional<struct stat> lstat_of(const fs::path& path) {
  struct stat status{};
  if (::lstat(path.c_str(), &status) != 0) return std::nullopt;
  return status;
}

std::optional<struct stat> stat_of(const fs::path& path) {
  struct stat status{};
  if (::stat(path.c_str(), &status) != 0) return std::nullopt;
  return status;
}

bool same_file(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

/// Whether FILE.partial is free, written by a live process, or left by an interrupted one.
enum class PartialState { absent, busy, stale };

/// Probes `path` with a non-blocking exclusive flock; a lock taken is released at once unless
/// `keep` receives the descriptor, opened for writing when `writable`. Refuses anything but a
/// regular file.
PartialState probe(const fs::path& path, int* keep = nullptr, bool writable = false) {
  for (;;) {
    // Opening a device for writing can do things; only what is a regular file a moment before
    // is opened so (and checked again once open).
    if (const auto before = lstat_of(path); writable && before && !S_ISREG(before->st_mode))
      throw OutputError(path, "is " + kind_of(before->st_mode) + "; only a regular file is ever replaced");
    const int fd = ::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return PartialState::absent;
      if (errno == ELOOP) throw OutputError(path, "is a symbolic link; results files are never written through one");
      fail_errno(path, "cannot open", errno);
    }
    struct stat opened{};
    if (::fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode)) {
      const std::string kind = kind_of(opened.st_mode);
      ::close(fd);
      throw OutputError(path, "is " + kind + "; only a regular file is ever replaced");
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int number = errno;
      ::close(fd);
      if (number == EWOULDBLOCK) return PartialState::busy;
      fail_errno(path, "cannot lock", number);
    }
    // The name may have moved on while we opened it (a writer renamed it to its final name, or
    // replaced it): the lock counts only for the file the name still holds.
    const auto now = lstat_of(path);
    if (!now || !same_file(*now, opened)) {
      ::close(fd);
      continue;
    }
    if (keep != nullptr) {
      *keep = fd;
    } else {
      ::close(fd);
    }
    return PartialState::stale;
  }
}

/// The hidden name Scratch::link_over gives a finished copy of `shown` before renaming it over
/// the file: "." + name + "." + decimal digits.
bool is_named_copy_of(const std::string& name, const fs::path& shown) {
  const std::string prefix = "." + shown.filename().string() + ".";
  if (name.size() <= prefix.size() || !name.starts_with(prefix)) return false;
  return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

/// A writer killed (kill -9) between naming its finished copy and renaming it over the results
/// leaves the copy under its hidden name, and no process can clear up after its own SIGKILL.
/// A live writer holds its copy locked from before it is named until the rename, so a named
/// copy nobody has locked is such a leftover: the next writer of the same file removes it.
void remove_stale_copies(const fs::path& directory, const fs::path& shown) {
  std::error_code error;
  for (fs::directory_iterator entry(directory, error), end; !error && entry != end; entry.increment(error)) {
    if (!is_named_copy_of(entry->path().filename().string(), shown)) continue;
    const int fd = ::open(entry->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) continue;
    struct stat status{};
    if (::fstat(fd, &status) == 0 && S_ISREG(status.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0)
      ::unlink(entry->path().c_str());
    ::close(fd);
  }
}

[[noreturn]] void another_writer(const fs::path& final_path, const fs::path& partial_path) {
  throw OutputError(final_path, "another commons process is writing it (" + partial_path.filename().string() +
                                    " is locked); wait for it to finish or choose another output file");
}

}  // namespace

std::string not_regular(const fs::path& path) {
  const auto status = lstat_of(path);
  if (!status || S_ISREG(status->st_mode)) return "";
  return kind_of(status->st_mode);
}

// --- Scratch -----------------------------------------------------------------------------------

Scratch::Scratch(const fs::path& directory, const fs::path& shown) : directory_(directory), shown_(shown) {
  remove_stale_copies(directory, shown);
  fd_ = ::open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
  if (fd_ >= 0) {
    proc_name_ = "/proc/self/fd/" + std::to_string(fd_);
    // Without /proc an anonymous file cannot be given a name later.
    if (::access(proc_name_.c_str(), F_OK) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  if (fd_ < 0) {
    // No anonymous files here (an older kernel, NFS): a hidden name stands in.
    std::string pattern = (directory / ("." + shown.filename().string() + ".XXXXXX")).string();
    fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd_ < 0) fail_errno(shown, "cannot create a file in " + directory.string(), errno);
    temporary_ = pattern;
    // mkostemp makes the file 0600; results are as readable as any file the user writes.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    static_cast<void>(::fchmod(fd_, 0666 & ~mask));
  }
  // Nobody else knows the file yet, so the lock is ours at once; it travels with the file when
  // it is linked as FILE.partial.
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) fail_errno(shown, "cannot lock a new file", errno);
}

Scratch::Scratch(Adopt, int descriptor, const fs::path& directory, const fs::path& shown)
    : directory_(directory), shown_(shown), fd_(descriptor), linked_(true) {
  proc_name_ = "/proc/self/fd/" + std::to_string(fd_);
}

Scratch::~Scratch() {
  if (!temporary_.empty() && !linked_) ::unlink(temporary_.c_str());
  if (fd_ >= 0) ::close(fd_);
}

bool Scratch::link_as(const fs::path& target) {
  const int status = temporary_.empty()
                         ? ::linkat(AT_FDCWD, proc_name_.c_str(), AT_FDCWD, target.c_str(), AT_SYMLINK_FOLLOW)
                         : ::link(temporary_.c_str(), target.c_str());
  if (status != 0) {
    if (errno == EEXIST) return false;
    fail_errno(target, "cannot create", errno);
  }
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
  temporary_.clear();
  linked_ = true;
  return true;
}

void Scratch::link_over(const fs::path& target) {
  // A name of our own first, then rename(2): readers see the old file or the new, never none.
  if (temporary_.empty()) {
    std::random_device entropy;
    for (int attempt = 0;; ++attempt) {
      const fs::path name = directory_ / ("." + shown_.filename().string() + "." + std::to_string(entropy()));
      if (::linkat(AT_FDCWD, proc_name_.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) {
        temporary_ = name;
        break;
      }
      if (errno != EEXIST || attempt > 100) fail_errno(target, "cannot create a file in " + directory_.string(), errno);
    }
  }
  if (::rename(temporary_.c_str(), target.c_str()) != 0) {
    const int number = errno;
    ::unlink(temporary_.c_str());
    temporary_.clear();
    fail_errno(target, "cannot replace", number);
  }
  temporary_.clear();
  linked_ = true;
}

void Scratch::sync() const {
  if (::fdatasync(fd_) != 0) fail_errno(shown_, "cannot write to the device", errno);
}

// --- Destination -------------------------------------------------------------------------------

Destination::Destination(fs::path final_path, bool overwrite, std::span<const fs::path> inputs)
    : final_path_(std::move(final_path)), overwrite_(overwrite), inputs_(inputs.begin(), inputs.end()) {
  if (final_path_.empty()) throw OutputError(final_path_, "no results file name given");
  const std::string name = final_path_.filename().string();
  if (name.empty() || name == "." || name == "..") throw OutputError(final_path_, "names a directory, not a file");
  partial_path_ = final_path_;
  partial_path_ += layout::partial_suffix;
  const fs::path folder = directory();
  struct stat folder_status{};
  if (::stat(folder.c_str(), &folder_status) != 0 || !S_ISDIR(folder_status.st_mode))
    throw OutputError(final_path_, "directory " + folder.string() + " does not exist");
  const long name_max = ::pathconf(folder.c_str(), _PC_NAME_MAX);
  const std::size_t longest = name_max > 0 ? static_cast<std::size_t>(name_max) : NAME_MAX;
  if (partial_path_.filename().string().size() > longest)
    throw OutputError(final_path_, "file name is too long: with \"" + std::string(layout::partial_suffix) +
                                       "\" appended it exceeds " + std::to_string(longest) + " bytes");

  check_final_name();
  if (const auto existing = lstat_of(final_path_); existing && !overwrite_)
    throw OutputError(final_path_, "already exists; use --force to overwrite");
  for (const fs::path& input : inputs_) {
    const auto partial = lstat_of(partial_path_);
    const auto read = stat_of(input);
    if (partial && read && same_file(*partial, *read))
      throw OutputError(partial_path_, "is an input of this run (" + input.string() +
                                           "): the scenario or a file it names; results never replace an input");
  }
  switch (probe(partial_path_)) {
    case PartialState::absent: break;
    case PartialState::busy: another_writer(final_path_, partial_path_);
    case PartialState::stale: stale_ = true; break;
  }
}

Destination::~Destination() = default;

fs::path Destination::directory() const {
  return final_path_.has_parent_path() ? final_path_.parent_path() : fs::path(".");
}

std::uintmax_t Destination::free_bytes() const {
  struct statvfs status{};
  if (::statvfs(directory().c_str(), &status) != 0) return UINTMAX_MAX;
  return static_cast<std::uintmax_t>(status.f_bavail) * status.f_frsize;
}

void Destination::check_final_name() const {
  if (const std::string kind = not_regular(final_path_); !kind.empty())
    throw OutputError(final_path_, "is " + kind + "; results are written only to a regular file or a new path");
  const auto existing = lstat_of(final_path_);
  if (!existing) return;
  for (const fs::path& input : inputs_) {
    const auto read = stat_of(input);
    if (read && same_file(*existing, *read))
      throw OutputError(final_path_, "is an input of this run (" + input.string() +
                                         "): the scenario or a file it names; results never replace an input");
  }
}

void Destination::claim(Scratch& scratch) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (scratch.link_as(partial_path_)) {
      claimed_ = true;
      sync_directory();
      return;
    }
    // FILE.partial exists: a writer's (locked) or an interrupted run's (not).
    int stale = -1;
    switch (probe(partial_path_, &stale)) {
      case PartialState::absent: continue;
      case PartialState::busy: another_writer(final_path_, partial_path_);
      case PartialState::stale: break;
    }
    if (!overwrite_) {
      ::close(stale);
      throw OutputError(partial_path_, "exists, left by an interrupted run; continue it with commons sweep --resume (a sweep), delete it, or use --force to start over");
    }
    // Holding its lock, nobody else can be replacing it; unlink, then link ours. Should a third
    // process link its own in between, ours fails to link and the loop finds theirs locked.
    const int removed = ::unlink(partial_path_.c_str());
    const int number = errno;
    ::close(stale);
    if (removed != 0 && number != ENOENT) fail_errno(partial_path_, "cannot remove", number);
  }
  throw OutputError(partial_path_, "kept changing while Commons tried to create it");
}

std::unique_ptr<Scratch> Destination::resume_partial() {
  int locked = -1;
  switch (probe(partial_path_, &locked, /*writable=*/true)) {
    case PartialState::absent: return nullptr;
    case PartialState::busy: another_writer(final_path_, partial_path_);
    case PartialState::stale: break;
  }
  claimed_ = true;
  return std::make_unique<Scratch>(Scratch::Adopt{}, locked, directory(), final_path_);
}

void Destination::finalize() {
  check_final_name();
  if (overwrite_) {
    if (::rename(partial_path_.c_str(), final_path_.c_str()) != 0)
      fail_errno(final_path_, "cannot rename " + partial_path_.string() + " to it (the results are kept there)", errno);
  } else if (::renameat2(AT_FDCWD, partial_path_.c_str(), AT_FDCWD, final_path_.c_str(), RENAME_NOREPLACE) != 0) {
    const int number = errno;
    if (number == EEXIST)
      throw OutputError(final_path_, "appeared while the results were written; they are kept in " +
                                         partial_path_.string());
    if (number != EINVAL && number != ENOSYS)
      fail_errno(final_path_, "cannot rename " + partial_path_.string() + " to it (the results are kept there)", number);
    // No RENAME_NOREPLACE on this file system: link(2) refuses an existing name just as well.
    if (::link(partial_path_.c_str(), final_path_.c_str()) != 0) {
      if (errno == EEXIST)
        throw OutputError(final_path_, "appeared while the results were written; they are kept in " +
                                           partial_path_.string());
      fail_errno(final_path_, "cannot rename " + partial_path_.string() + " to it (the results are kept there)", errno);
    }
    ::unlink(partial_path_.c_str());
  }
  claimed_ = false;
  sync_directory();
}

void Destination::finalize_from(Scratch& scratch) {
  check_final_name();
  if (overwrite_) {
    scratch.link_over(final_path_);
  } else if (!scratch.link_as(final_path_)) {
    throw OutputError(final_path_, "appeared while the results were written; they are kept in " +
                                       partial_path_.string());
  }
  sync_directory();
  discard();
}

void Destination::discard() {
  if (!claimed_) return;
  ::unlink(partial_path_.c_str());
  claimed_ = false;
  sync_directory();
}

void Destination::sync_directory() const {
  // A new or renamed name reaches the disk with the directory.
  const int fd = ::open(directory().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  static_cast<void>(::fsync(fd));
  ::close(fd);
}

}  // namespace commons::output::detail
