// SPDX-License-Identifier: Apache-2.0
#pragma once
// Private to the output library: an HDF5 file driver that reads and writes a file descriptor
// Commons opened (and locked) itself. HDF5's own drivers open files by name, and an anonymous
// file (O_TMPFILE), which a results file is until its structure is complete, has none that
// HDF5 accepts; its lock, too, must stay Commons' own rather than a second one HDF5 takes.

#include "hdf5_support.hpp"

#include <filesystem>

namespace commons::output::detail {

/// A file access property list for H5Fcreate or H5Fopen that makes HDF5 work on `descriptor`,
/// which must stay open until the HDF5 file is closed (HDF5 never closes it). H5F_ACC_TRUNC
/// truncates it. Failures of the system calls appear on the HDF5 error stack with the
/// operating system's message, as take_error_stack() reports them.
[[nodiscard]] Id descriptor_access(int descriptor, const std::filesystem::path& file);

/// From now on, writes to `descriptor` through the driver succeed without writing. For a file
/// Commons gives up on after a write failed (a full disk): HDF5 insists on flushing a file
/// before it lets it close, and a file it cannot close it tries again at exit, on a descriptor
/// long closed. What is dropped was never committed: flags are set only after their rows are on
/// disk, and the file's structure does not change after it has its name.
void abandon(int descriptor);

}  // namespace commons::output::detail
