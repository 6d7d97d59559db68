// SPDX-License-Identifier: Apache-2.0
#include "columns.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>

namespace commons::sim::detail {

void grow_columns(std::span<const ColumnFill> columns, std::size_t size, std::size_t added, std::string_view activity,
                  const RunControl& control) {
  const auto total = static_cast<double>(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) {
    reserve_rows(*columns[c].values, size);
    columns[c].values->resize(size, columns[c].initial);
    if (added >= (std::size_t{1} << 20)) control.report(activity, static_cast<double>(c + 1) / total);
  }
  control.check();
}

std::size_t huge_page_capacity(std::size_t bytes) {
  // glibc serves a request from a mapping of its own when it is large, the mapping being the
  // request plus 16 bytes of chunk header rounded up to whole pages; a request 32 bytes short of
  // a whole number of huge pages gets a mapping of exactly that number (as the size-alignment
  // rule of Linux's mmap wants before it aligns a mapping to a huge page). Another allocator
  // only loses the alignment: the column is still backed by huge pages away from its ends.
  constexpr std::size_t chunk_overhead = 32;
  if (bytes < huge_page_bytes) return bytes;
  const std::size_t pages = (bytes + chunk_overhead + huge_page_bytes - 1) / huge_page_bytes;
  return pages * huge_page_bytes - chunk_overhead;
}

void advise_huge_pages(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes < huge_page_bytes) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<std::uintptr_t>(data) & ~(page - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes + page - 1) & ~(page - 1);
  // Advice only: where the kernel refuses it (no transparent huge pages), the column is mapped
  // page by page as before.
  if (::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE) != 0) return;
  // The allocator has already written its header in the first page, so the first huge page
  // would stay in small pages (512 faults): Linux 6.1's MADV_COLLAPSE, which glibc 2.36 does
  // not name, makes it huge now. Older kernels refuse it, and that page stays small.
  constexpr int collapse = 25;
  if (begin % huge_page_bytes == 0) (void)::madvise(reinterpret_cast<void*>(begin), huge_page_bytes, collapse);
#if defined(MADV_POPULATE_WRITE)
  // Mapping a huge page means zeroing 2 MB, which on this machine's kind of virtual machine
  // costs about as much as filling it: the pages are mapped now, by the threads of the calling
  // arena, so that a second thread halves it. Only pages are mapped here; values are written by
  // whoever fills the column, so nothing depends on which thread mapped what.
  const std::size_t chunks = (end - begin + huge_page_bytes - 1) / huge_page_bytes;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), [&](const tbb::blocked_range<std::size_t>& range) {
    const std::uintptr_t first = begin + range.begin() * huge_page_bytes;
    const std::uintptr_t last = std::min<std::uintptr_t>(end, begin + range.end() * huge_page_bytes);
    (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_POPULATE_WRITE);
  });
#endif
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace commons::sim::detail
