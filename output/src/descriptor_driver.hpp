// SPDX-License-Identifier: Apache-2.0
#pragma once
// Private to the output library: an HDF5 file driver that reads and writes a file descriptor
// Commons opened (and locked) itself. HDF5's own drivers open files by name, and an anonymous
// file (O_TMPFILE), which a results file is until its structure is complete, has none that
// HDF5 accepts; its lock, too, must stay Commons' own rather than a second one HDF5 takes.

#include "hdf5_support.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace commons::output::detail {

/// A file access property list for H5Fcreate or H5Fopen that makes HDF5 work on `descriptor`,
/// which must stay open until the HDF5 file is closed (HDF5 never closes it). H5F_ACC_TRUNC
/// truncates it. Failures of the system calls appear on the HDF5 error stack with the
/// operating system's message, as take_error_stack() reports them.
[[nodiscard]] Id descriptor_access(int descriptor, const std::filesystem::path& file);

/// What the superblock of an HDF5 file says at its fixed offsets (HDF5 File Format
/// Specification, "Superblock"); Commons writes it at address 0, without a user block.
struct Superblock {
  int version = 0;
  /// File consistency flags. HDF5 sets bit 0 when it opens a file for writing and clears it
  /// when it closes the file; after kill -9 it stays set. HDF5 1.10 and later refuse to open a
  /// file whose superblock (of version 3) says so; they ignore the flags of versions 0 to 2.
  std::uint32_t flags = 0;
};

/// Reads the superblock of the file open on `descriptor`; nullopt if it does not begin with the
/// HDF5 signature.
[[nodiscard]] std::optional<Superblock> read_superblock(int descriptor);

/// Opens the HDF5 file on `descriptor` for writing, also when a writer that was killed left the
/// superblock saying it has the file open: versions 0 to 2 (what Commons writes is version 0)
/// open as they are; version 3 is opened with the file access property HDF5 keeps for this
/// (`clear_status_flags`, what `h5clear -s` sets). Either way HDF5 marks the file open for
/// writing until it is closed.
/// \throws OutputError if the file is not HDF5, cannot be opened, or HDF5 lacks that property.
[[nodiscard]] Id open_for_writing(int descriptor, const std::filesystem::path& file);

/// From now on, writes to `descriptor` through the driver succeed without writing. For a file
/// Commons gives up on after a write failed (a full disk): HDF5 insists on flushing a file
/// before it lets it close, and a file it cannot close it tries again at exit, on a descriptor
/// long closed. What is dropped was never committed: flags are set only after their rows are on
/// disk, and the file's structure does not change after it has its name.
void abandon(int descriptor);

}  // namespace commons::output::detail
