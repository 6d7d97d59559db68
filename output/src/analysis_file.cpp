// SPDX-License-Identifier: Apache-2.0
#include <commons/output/analysis_file.hpp>

#include <commons/output/layout.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>

#include "descriptor_driver.hpp"
#include "destination.hpp"
#include "hdf5_support.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>
#include <map>
#include <stdexcept>
#include <string_view>

namespace commons::output {
namespace {

namespace fs = std::filesystem;
using detail::check_status;
using detail::Id;
using detail::make_id;

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

/// The descriptor of the file being analysed, locked for this process: a second `commons
/// analyze` of the same file stops instead of racing this one to the rename.
class LockedSource {
 public:
  explicit LockedSource(const fs::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd_ < 0) throw OutputError(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat status{};
    if (::fstat(fd_, &status) != 0 || !S_ISREG(status.st_mode)) {
      ::close(fd_);
      throw OutputError(path, "is not a regular file; the analysis is written only into a regular file");
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int number = errno;
      ::close(fd_);
      if (number == EWOULDBLOCK)
        throw OutputError(path, "another commons process is writing its analysis; wait for it to finish");
      throw OutputError(path, std::string("cannot lock: ") + std::strerror(number));
    }
  }
  ~LockedSource() { ::close(fd_); }
  LockedSource(const LockedSource&) = delete;
  LockedSource& operator=(const LockedSource&) = delete;

  /// Copies the whole file into `target` (the kernel copies where it can).
  void copy_to(int target) const {
    off_t in = 0;
    off_t out = 0;
    for (;;) {
      const ssize_t moved = ::copy_file_range(fd_, &in, target, &out, std::size_t{1} << 30, 0);
      if (moved == 0) return;
      if (moved > 0) continue;
      if (errno == EINTR) continue;
      if (in != 0 || (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP))
        throw OutputError(path_, std::string("cannot copy the file: ") + std::strerror(errno));
      break;  // copy_file_range cannot here; copy through a buffer
    }
    std::array<char, 1 << 16> buffer{};
    for (;;) {
      const ssize_t got = ::pread(fd_, buffer.data(), buffer.size(), in);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw OutputError(path_, std::string("cannot read: ") + std::strerror(errno));
      if (got == 0) return;
      for (ssize_t done = 0; done < got;) {
        const ssize_t put = ::pwrite(target, buffer.data() + done, static_cast<std::size_t>(got - done), out);
        if (put < 0 && errno == EINTR) continue;
        if (put < 0) throw OutputError(path_, std::string("cannot copy the file: ") + std::strerror(errno));
        done += put;
        out += put;
      }
      in += got;
    }
  }

 private:
  fs::path path_;
  int fd_ = -1;
};

std::size_t length_of(const DataVariable& variable) {
  return std::visit([](const auto& values) { return values.size(); }, variable.values);
}

/// Checks what the writer cannot check cheaply later: paths inside analysis/, parents first,
/// dimensions that exist and values that fill them.
void check_groups(std::span<const DataGroup> groups) {
  const std::string root(layout::analysis_group);
  std::vector<std::string> seen;
  for (const DataGroup& group : groups) {
    const bool inside = group.path == root || group.path.starts_with(root + "/");
    if (!inside) throw std::invalid_argument("write_analysis: group " + group.path + " is not in " + root + "/");
    if (group.path != root) {
      const std::string parent = group.path.substr(0, group.path.rfind('/'));
      if (std::find(seen.begin(), seen.end(), parent) == seen.end())
        throw std::invalid_argument("write_analysis: group " + group.path + " comes before its parent");
    }
    seen.push_back(group.path);
    std::map<std::string, std::size_t> lengths;
    for (const DataVariable& coordinate : group.coordinates) {
      if (coordinate.dimensions != std::vector<std::string>{coordinate.name})
        throw std::invalid_argument("write_analysis: coordinate " + group.path + "/" + coordinate.name +
                                    " must have the one dimension named after it");
      lengths[coordinate.name] = length_of(coordinate);
    }
    for (const DataVariable& variable : group.variables) {
      std::size_t expected = 1;
      for (const std::string& dimension : variable.dimensions) {
        const auto found = lengths.find(dimension);
        if (found == lengths.end())
          throw std::invalid_argument("write_analysis: " + group.path + "/" + variable.name + " uses dimension " +
                                      dimension + ", which is not a coordinate of its group");
        expected *= found->second;
      }
      if (length_of(variable) != expected)
        throw std::invalid_argument("write_analysis: " + group.path + "/" + variable.name + " has " +
                                    std::to_string(length_of(variable)) + " values for a shape of " +
                                    std::to_string(expected));
    }
  }
}

Id create_group(hid_t file, const std::string& path, const fs::path& where) {
  // As the results file's own groups: no timestamps, variables listed in creation order.
  const Id plist = detail::property_list(H5P_GROUP_CREATE, where);
  detail::set_object_defaults(plist.get(), where);
  check_status(H5Pset_link_creation_order(plist.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), where,
               "cannot track link creation order");
  return make_id(H5Gcreate2(file, path.c_str(), H5P_DEFAULT, plist.get(), H5P_DEFAULT), H5Gclose, where,
                 "cannot create group " + path);
}

void write_attribute(hid_t group, const DataAttribute& attribute, const fs::path& where) {
  const char* name = attribute.name.c_str();
  if (const auto* text = std::get_if<std::string>(&attribute.value)) {
    detail::write_string_attribute(group, name, *text, where);
  } else if (const auto* texts = std::get_if<std::vector<std::string>>(&attribute.value)) {
    detail::write_string_array_attribute(group, name, *texts, where);
  } else if (const auto* integer = std::get_if<std::int64_t>(&attribute.value)) {
    detail::write_int64_attribute(group, name, *integer, where);
  } else {
    const double number = std::get<double>(attribute.value);
    const Id space = detail::scalar_dataspace(where);
    const Id handle = make_id(H5Acreate2(group, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                              H5Aclose, where, "cannot create attribute " + attribute.name);
    check_status(H5Awrite(handle.get(), H5T_NATIVE_DOUBLE, &number), where, "cannot write attribute " + attribute.name);
  }
}

/// Creates and fills one dataset; float64 ones read NaN where nothing was written, as the
/// results file's own.
Id write_variable(hid_t group, const std::string& group_path, const DataVariable& variable,
                  const std::map<std::string, hsize_t>& lengths, const fs::path& where) {
  const std::string what = detail::object_path(group_path, variable.name);
  std::vector<hsize_t> dims;
  for (const std::string& dimension : variable.dimensions) dims.push_back(lengths.at(dimension));
  const Id plist = detail::property_list(H5P_DATASET_CREATE, where);
  detail::set_object_defaults(plist.get(), where);
  const Id space = detail::dataspace(dims, where);
  Id string_type;
  hid_t file_type = H5T_IEEE_F64LE;
  if (std::holds_alternative<std::vector<double>>(variable.values)) {
    check_status(H5Pset_fill_value(plist.get(), H5T_NATIVE_DOUBLE, &not_a_number), where, "cannot set a fill value");
  } else if (std::holds_alternative<std::vector<std::int64_t>>(variable.values)) {
    file_type = H5T_STD_I64LE;
  } else {
    string_type = detail::utf8_string_type(where);
    file_type = string_type.get();
  }
  Id dataset = make_id(H5Dcreate2(group, variable.name.c_str(), file_type, space.get(), H5P_DEFAULT, plist.get(),
                                  H5P_DEFAULT),
                       H5Dclose, where, "cannot create dataset " + what);
  if (length_of(variable) > 0) {
    if (const auto* numbers = std::get_if<std::vector<double>>(&variable.values)) {
      check_status(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, numbers->data()), where,
                   "cannot write dataset " + what);
    } else if (const auto* integers = std::get_if<std::vector<std::int64_t>>(&variable.values)) {
      check_status(H5Dwrite(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, integers->data()), where,
                   "cannot write dataset " + what);
    } else {
      detail::write_strings(dataset.get(), H5S_ALL, H5S_ALL, std::get<std::vector<std::string>>(variable.values),
                            where, "dataset " + what);
    }
  }
  if (!variable.units.empty()) detail::write_string_attribute(dataset.get(), "units", variable.units, where);
  detail::write_string_attribute(dataset.get(), "long_name", variable.long_name, where);
  return dataset;
}

void write_group(hid_t file, const DataGroup& data, const fs::path& where) {
  const Id group = create_group(file, data.path, where);
  for (const DataAttribute& attribute : data.attributes) write_attribute(group.get(), attribute, where);
  std::map<std::string, hsize_t> lengths;
  std::map<std::string, Id> scales;
  for (const DataVariable& coordinate : data.coordinates) {
    lengths[coordinate.name] = length_of(coordinate);
    Id scale = write_variable(group.get(), data.path, coordinate, lengths, where);
    check_status(H5DSset_scale(scale.get(), coordinate.name.c_str()), where,
                 "cannot make " + detail::object_path(data.path, coordinate.name) + " a dimension scale");
    scales.emplace(coordinate.name, std::move(scale));
  }
  // Scales of this group only: deleting the group later then leaves no reference behind in
  // the rest of the file.
  for (const DataVariable& variable : data.variables) {
    const Id dataset = write_variable(group.get(), data.path, variable, lengths, where);
    for (std::size_t axis = 0; axis < variable.dimensions.size(); ++axis)
      check_status(H5DSattach_scale(dataset.get(), scales.at(variable.dimensions[axis]).get(),
                                    static_cast<unsigned>(axis)),
                   where, "cannot attach dimension " + variable.dimensions[axis] + " to " +
                              detail::object_path(data.path, variable.name));
  }
}

/// Replaces analysis/ in the HDF5 file open on `descriptor`. The space the old group's numbers
/// held is reused within this session; that of its text (names, units, descriptions, kept in
/// HDF5's global heap) is not, so each analysis after the first leaves some tens of kilobytes
/// unused, which `h5repack` reclaims (docs/analysis.md).
void replace_group(int descriptor, std::span<const DataGroup> groups, const fs::path& where) {
  const Id fapl = detail::descriptor_access(descriptor, where);
  const hid_t file = H5Fopen(where.c_str(), H5F_ACC_RDWR, fapl.get());
  detail::check_id(file, where, "cannot open the copy of the file");
  try {
    const std::string root(layout::analysis_group);
    const htri_t exists = H5Lexists(file, root.c_str(), H5P_DEFAULT);
    check_status(exists < 0 ? -1 : 0, where, "cannot look for group " + root);
    if (exists > 0) check_status(H5Ldelete(file, root.c_str(), H5P_DEFAULT), where, "cannot remove the old " + root);
    for (const DataGroup& group : groups) write_group(file, group, where);
    check_status(H5Fclose(file), where, "cannot close the copy of the file");
  } catch (...) {
    // The copy is dropped unnamed; nothing of it reaches the file's name.
    detail::abandon(descriptor);
    if (H5Iis_valid(file) > 0) H5Fclose(file);
    H5Eclear2(H5E_DEFAULT);
    throw;
  }
}

}  // namespace

void write_analysis(const fs::path& results, const ResultsFile& analysed, std::span<const DataGroup> groups) {
  check_groups(groups);
  const detail::ErrorSilencer silence;
  if (results.filename().string().ends_with(layout::partial_suffix))
    throw OutputError(results, "is an unfinished sweep's file, which is never changed; its analysis is printed only");
  // The checks a results file's destination gets: only a regular file, and not while a sweep
  // writes results.partial (it would replace the file when it finishes). A results.partial left
  // by an interrupted run is neither used nor touched.
  detail::Destination destination(results, /*overwrite=*/true, {});
  const LockedSource source(results);
  if (!analysed.same_file_as(results))
    throw OutputError(results, "was replaced while it was analysed; nothing was written, analyse it again");

  detail::Scratch copy(destination.directory(), results);
  source.copy_to(copy.descriptor());
  replace_group(copy.descriptor(), groups, results);
  copy.sync();
  // The file may have been replaced meanwhile (a sweep with --force finished): its results are
  // newer than the ones analysed, and win.
  if (!analysed.same_file_as(results))
    throw OutputError(results, "was replaced while it was analysed; nothing was written, analyse it again");
  destination.finalize_from(copy);
}

}  // namespace commons::output
