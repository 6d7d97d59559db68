// SPDX-License-Identifier: Apache-2.0
// The HDF5 Virtual File Layer interface (H5FDpublic.h): a driver is a table of callbacks that
// the library calls for every read, write and change of the file's extent. This one keeps no
// state but the descriptor, the end of the file and the end of the address space HDF5 uses.
#include "descriptor_driver.hpp"

#include <H5FDpublic.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>
#include <mutex>
#include <set>
#include <string>

namespace commons::output::detail {
namespace {

struct DescriptorFile {
  /// The part HDF5 owns and fills in after open(); it must come first.
  H5FD_t base;
  int descriptor;
  /// End of the address space HDF5 has allocated, and end of the file on disk [bytes].
  haddr_t end_of_allocation;
  haddr_t end_of_file;
  dev_t device;
  ino_t inode;
};

/// Descriptors whose writes are dropped (abandon()), until their HDF5 file closes.
std::mutex abandoned_mutex;
std::set<int> abandoned;

bool is_abandoned(int descriptor) {
  const std::scoped_lock lock(abandoned_mutex);
  return abandoned.contains(descriptor);
}

DescriptorFile* as_file(H5FD_t* file) { return reinterpret_cast<DescriptorFile*>(file); }
const DescriptorFile* as_file(const H5FD_t* file) { return reinterpret_cast<const DescriptorFile*>(file); }

/// Puts a failed system call on the HDF5 error stack in the words HDF5's own drivers use, so
/// take_error_stack() reports the operating system's message ("No space left on device").
herr_t system_failure(const char* what, int number) {
  H5Epush2(H5E_DEFAULT, __FILE__, what, __LINE__, H5E_ERR_CLS, H5E_VFL, H5E_WRITEERROR,
           "%s failed: errno = %d, error message = '%s'", what, number, std::strerror(number));
  return -1;
}

// Largest address: what an off_t can reach.
constexpr haddr_t max_address = static_cast<haddr_t>(std::numeric_limits<off_t>::max());

void* fapl_get(H5FD_t* file) { return new int(as_file(file)->descriptor); }
void* fapl_copy(const void* info) { return new int(*static_cast<const int*>(info)); }
herr_t fapl_free(void* info) {
  delete static_cast<int*>(info);
  return 0;
}

H5FD_t* open(const char* /*name*/, unsigned flags, hid_t fapl, haddr_t maxaddr) {
  const auto* info = static_cast<const int*>(H5Pget_driver_info(fapl));
  if (info == nullptr || maxaddr == 0 || maxaddr > max_address) return nullptr;
  const int descriptor = *info;
  if ((flags & H5F_ACC_TRUNC) != 0 && ::ftruncate(descriptor, 0) != 0) {
    system_failure("ftruncate", errno);
    return nullptr;
  }
  struct stat status{};
  if (::fstat(descriptor, &status) != 0) {
    system_failure("fstat", errno);
    return nullptr;
  }
  auto* file = new DescriptorFile{};
  file->descriptor = descriptor;
  file->end_of_allocation = 0;
  file->end_of_file = static_cast<haddr_t>(status.st_size);
  file->device = status.st_dev;
  file->inode = status.st_ino;
  return &file->base;
}

herr_t close(H5FD_t* file) {
  // The descriptor is its owner's to close.
  {
    const std::scoped_lock lock(abandoned_mutex);
    abandoned.erase(as_file(file)->descriptor);
  }
  delete as_file(file);
  return 0;
}

int compare(const H5FD_t* a, const H5FD_t* b) {
  const DescriptorFile* x = as_file(a);
  const DescriptorFile* y = as_file(b);
  if (x->device != y->device) return x->device < y->device ? -1 : 1;
  if (x->inode != y->inode) return x->inode < y->inode ? -1 : 1;
  return 0;
}

herr_t query(const H5FD_t* /*file*/, unsigned long* flags) {
  // As HDF5's own POSIX driver, less the claim of a POSIX handle: that makes HDF5 look the
  // file up by name, which an anonymous file has none of.
  *flags = H5FD_FEAT_AGGREGATE_METADATA | H5FD_FEAT_ACCUMULATE_METADATA | H5FD_FEAT_DATA_SIEVE |
           H5FD_FEAT_AGGREGATE_SMALLDATA;
  return 0;
}

haddr_t get_eoa(const H5FD_t* file, H5FD_mem_t /*type*/) { return as_file(file)->end_of_allocation; }

herr_t set_eoa(H5FD_t* file, H5FD_mem_t /*type*/, haddr_t address) {
  as_file(file)->end_of_allocation = address;
  return 0;
}

haddr_t get_eof(const H5FD_t* file, H5FD_mem_t /*type*/) { return as_file(file)->end_of_file; }

herr_t get_handle(H5FD_t* file, hid_t /*fapl*/, void** handle) {
  *handle = &as_file(file)->descriptor;
  return 0;
}

herr_t read(H5FD_t* file, H5FD_mem_t /*type*/, hid_t /*dxpl*/, haddr_t address, size_t size, void* buffer) {
  const DescriptorFile* self = as_file(file);
  auto* out = static_cast<unsigned char*>(buffer);
  while (size > 0) {
    const ssize_t got = ::pread(self->descriptor, out, size, static_cast<off_t>(address));
    if (got < 0) {
      if (errno == EINTR) continue;
      return system_failure("pread", errno);
    }
    if (got == 0) {
      // Past the end of the file: allocated but never written, which reads as zeros.
      std::memset(out, 0, size);
      break;
    }
    out += got;
    address += static_cast<haddr_t>(got);
    size -= static_cast<size_t>(got);
  }
  return 0;
}

herr_t write(H5FD_t* file, H5FD_mem_t /*type*/, hid_t /*dxpl*/, haddr_t address, size_t size, const void* buffer) {
  DescriptorFile* self = as_file(file);
  if (is_abandoned(self->descriptor)) return 0;
  const auto* in = static_cast<const unsigned char*>(buffer);
  while (size > 0) {
    const ssize_t put = ::pwrite(self->descriptor, in, size, static_cast<off_t>(address));
    if (put < 0) {
      if (errno == EINTR) continue;
      return system_failure("pwrite", errno);
    }
    in += put;
    address += static_cast<haddr_t>(put);
    size -= static_cast<size_t>(put);
  }
  if (address > self->end_of_file) self->end_of_file = address;
  return 0;
}

herr_t truncate(H5FD_t* file, hid_t /*dxpl*/, hbool_t /*closing*/) {
  // HDF5 asks for the file to end where its address space ends.
  DescriptorFile* self = as_file(file);
  if (self->end_of_file == self->end_of_allocation || is_abandoned(self->descriptor)) return 0;
  if (::ftruncate(self->descriptor, static_cast<off_t>(self->end_of_allocation)) != 0)
    return system_failure("ftruncate", errno);
  self->end_of_file = self->end_of_allocation;
  return 0;
}

herr_t no_lock(H5FD_t* /*file*/, hbool_t /*read_write*/) { return 0; }
herr_t no_unlock(H5FD_t* /*file*/) { return 0; }

const H5FD_class_t driver_class = {
    "commons_descriptor",       // name
    max_address,                // maxaddr
    H5F_CLOSE_WEAK,             // fc_degree
    nullptr,                    // terminate
    nullptr,                    // sb_size
    nullptr,                    // sb_encode
    nullptr,                    // sb_decode
    sizeof(int),                // fapl_size
    fapl_get,                   // fapl_get
    fapl_copy,                  // fapl_copy
    fapl_free,                  // fapl_free
    0,                          // dxpl_size
    nullptr,                    // dxpl_copy
    nullptr,                    // dxpl_free
    open,                       // open
    close,                      // close
    compare,                    // cmp
    query,                      // query
    nullptr,                    // get_type_map
    nullptr,                    // alloc
    nullptr,                    // free
    get_eoa,                    // get_eoa
    set_eoa,                    // set_eoa
    get_eof,                    // get_eof
    get_handle,                 // get_handle
    read,                       // read
    write,                      // write
    nullptr,                    // flush: writes are in the page cache; the sink syncs itself
    truncate,                   // truncate
    no_lock,                    // lock: Commons holds its own flock on the descriptor
    no_unlock,                  // unlock
    H5FD_FLMAP_DICHOTOMY,       // fl_map
};

hid_t driver_id(const std::filesystem::path& file) {
  static std::once_flag once;
  static hid_t id = H5I_INVALID_HID;
  std::call_once(once, [] { id = H5FDregister(&driver_class); });
  return check_id(id, file, "cannot register Commons' HDF5 file driver");
}

}  // namespace

std::optional<Superblock> read_superblock(int descriptor) {
  std::array<unsigned char, 24> bytes{};
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::pread(descriptor, bytes.data() + got, bytes.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  static constexpr std::array<unsigned char, 8> signature{0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  if (got < 12 || !std::equal(signature.begin(), signature.end(), bytes.begin())) return std::nullopt;
  Superblock superblock;
  superblock.version = bytes[8];
  // Versions 0 and 1 keep the flags in bytes 20-23 (little-endian), versions 2 and 3 in byte 11.
  if (superblock.version >= 2) {
    superblock.flags = bytes[11];
  } else if (got == bytes.size()) {
    for (std::size_t i = 0; i < 4; ++i) superblock.flags |= static_cast<std::uint32_t>(bytes[20 + i]) << (8 * i);
  }
  return superblock;
}

Id open_for_writing(int descriptor, const std::filesystem::path& file) {
  const std::optional<Superblock> superblock = read_superblock(descriptor);
  if (!superblock) throw OutputError(file, "is not an HDF5 file");
  const Id access = descriptor_access(descriptor, file);
  // H5F_open() in H5Fint.c checks the flags only for superblock version 3 and later ("Skip
  // check of status_flags for file with < superblock version 3").
  if (superblock->version >= 3 && superblock->flags != 0) {
    // Private to HDF5 but registered with every file access property list, and what HDF5's own
    // h5clear and tests (test/flush2.c) use: the flags are cleared as the file is opened.
    static constexpr const char* clear_flags = "clear_status_flags";
    if (H5Pexist(access.get(), clear_flags) <= 0)
      throw OutputError(file, "its superblock says another process has it open for writing, and this HDF5 library "
                              "cannot clear that");
    hbool_t clear = true;
    check_status(H5Pset(access.get(), clear_flags, &clear), file, "cannot ask HDF5 to clear the superblock's flags");
  }
  return make_id(H5Fopen(file.c_str(), H5F_ACC_RDWR, access.get()), H5Fclose, file, "cannot open for writing");
}

void abandon(int descriptor) {
  const std::scoped_lock lock(abandoned_mutex);
  abandoned.insert(descriptor);
}

Id descriptor_access(int descriptor, const std::filesystem::path& file) {
  Id access = property_list(H5P_FILE_ACCESS, file);
  check_status(H5Pset_driver(access.get(), driver_id(file), &descriptor), file, "cannot set the file driver");
  // Runs write whole rows at addresses fixed in advance. HDF5's sieve buffer would turn each
  // small row into a read and a write of 64 KiB around it, which grows with the file: a
  // sweep of 1e5 short runs spent a quarter of its time in those reads and writes.
  check_status(H5Pset_sieve_buf_size(access.get(), 0), file, "cannot turn off the sieve buffer");
  return access;
}

}  // namespace commons::output::detail
