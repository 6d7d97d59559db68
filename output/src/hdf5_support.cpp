// SPDX-License-Identifier: Apache-2.0
#include "hdf5_support.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

namespace commons::output {

OutputError::OutputError(std::filesystem::path file, const std::string& message)
    : std::runtime_error(file.string() + ": " + message), file_(std::move(file)) {}

}  // namespace commons::output

namespace commons::output::detail {

Id& Id::operator=(Id&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, H5I_INVALID_HID);
    closer_ = other.closer_;
  }
  return *this;
}

herr_t Id::reset() noexcept {
  herr_t status = 0;
  if (id_ >= 0 && closer_ != nullptr) status = closer_(id_);
  id_ = H5I_INVALID_HID;
  return status;
}

ErrorSilencer::ErrorSilencer() noexcept {
  if (H5Eget_auto2(H5E_DEFAULT, &function_, &data_) < 0) {
    function_ = nullptr;
    data_ = nullptr;
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

ErrorSilencer::~ErrorSilencer() { H5Eset_auto2(H5E_DEFAULT, function_, data_); }

namespace {

struct ErrorFrame {
  std::string function;
  std::string description;
};

herr_t collect_frame(unsigned /*position*/, const H5E_error2_t* error, void* frames) {
  auto& out = *static_cast<std::vector<ErrorFrame>*>(frames);
  out.push_back({error->func_name != nullptr ? error->func_name : "", error->desc != nullptr ? error->desc : ""});
  return 0;
}

// HDF5's file driver reports a failed system call as "..., errno = 28, error message = 'No
// space left on device', buf = ..., bytes actually written = 18446744073709551615, ...": the
// operating system's message is what a user can act on, the rest is noise.
std::optional<std::string> system_cause(const std::vector<ErrorFrame>& frames) {
  constexpr std::string_view marker = "error message = '";
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    const std::string& text = it->description;
    const auto start = text.find(marker);
    if (start == std::string::npos) continue;
    const auto end = text.find('\'', start + marker.size());
    if (end == std::string::npos) continue;
    return text.substr(start + marker.size(), end - start - marker.size());
  }
  return std::nullopt;
}

}  // namespace

std::string take_error_stack() {
  std::vector<ErrorFrame> frames;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_frame, &frames);
  H5Eclear2(H5E_DEFAULT);
  if (const std::optional<std::string> cause = system_cause(frames)) return *cause;
  // Walking downward, the first frame is the API call and the last the innermost cause: the
  // cause says most ("errno = 2, error message = 'No such file or directory'"), the API call
  // name tells a maintainer where to look.
  std::string text;
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    if (!it->description.empty()) {
      text = it->description;
      break;
    }
  }
  if (!frames.empty() && !frames.front().function.empty()) {
    text += text.empty() ? "" : " ";
    text += "(in " + frames.front().function + ")";
  }
  return text;
}

void fail(const std::filesystem::path& file, const std::string& message) {
  const std::string detail = take_error_stack();
  throw OutputError(file, detail.empty() ? message : message + ": " + detail);
}

hid_t check_id(hid_t id, const std::filesystem::path& file, const std::string& message) {
  if (id < 0) fail(file, message);
  return id;
}

void check_status(herr_t status, const std::filesystem::path& file, const std::string& message) {
  if (status < 0) fail(file, message);
}

Id make_id(hid_t id, Id::Closer closer, const std::filesystem::path& file, const std::string& message) {
  return Id(check_id(id, file, message), closer);
}

Id property_list(hid_t plist_class, const std::filesystem::path& file) {
  return make_id(H5Pcreate(plist_class), H5Pclose, file, "cannot create a property list");
}

Id string_transfer(std::size_t count, const std::filesystem::path& file) {
  Id plist = property_list(H5P_DATASET_XFER, file);
  // Room for every pointer and reference at once; conversion goes string by string either way,
  // so the size changes no byte of the file.
  constexpr std::size_t bytes_per_string = 32;
  const std::size_t bytes = std::max<std::size_t>(4096, count * bytes_per_string);
  check_status(H5Pset_buffer(plist.get(), bytes, nullptr, nullptr), file, "cannot size a conversion buffer");
  return plist;
}

Id dataspace(std::span<const hsize_t> dims, const std::filesystem::path& file) {
  return make_id(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose, file,
                 "cannot create a dataspace");
}

Id scalar_dataspace(const std::filesystem::path& file) {
  return make_id(H5Screate(H5S_SCALAR), H5Sclose, file, "cannot create a scalar dataspace");
}

Id utf8_string_type(const std::filesystem::path& file) {
  Id type = make_id(H5Tcopy(H5T_C_S1), H5Tclose, file, "cannot create a string type");
  check_status(H5Tset_size(type.get(), H5T_VARIABLE), file, "cannot make a variable-length string type");
  check_status(H5Tset_cset(type.get(), H5T_CSET_UTF8), file, "cannot make a UTF-8 string type");
  return type;
}

void set_object_defaults(hid_t plist, const std::filesystem::path& file) {
  check_status(H5Pset_obj_track_times(plist, 0), file, "cannot turn off object timestamps");
  check_status(H5Pset_attr_creation_order(plist, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), file,
               "cannot track attribute creation order");
}

std::string object_path(std::string_view group, std::string_view name) {
  std::string path(group);
  if (!path.empty()) path += '/';
  path += name;
  return path;
}

void write_string_attribute(hid_t object, const char* name, std::string_view value, const std::filesystem::path& file) {
  const Id type = utf8_string_type(file);
  const Id space = scalar_dataspace(file);
  const Id attribute = make_id(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                               file, std::string("cannot create attribute ") + name);
  const std::string text(value);
  const char* pointer = text.c_str();
  check_status(H5Awrite(attribute.get(), type.get(), &pointer), file, std::string("cannot write attribute ") + name);
}

void write_fixed_string_attribute(hid_t object, const char* name, std::string_view value, std::size_t size,
                                  const std::filesystem::path& file) {
  if (value.size() > size) throw OutputError(file, std::string("attribute ") + name + " value is too long");
  const Id type = make_id(H5Tcopy(H5T_C_S1), H5Tclose, file, "cannot create a string type");
  check_status(H5Tset_size(type.get(), size), file, "cannot size a string type");
  check_status(H5Tset_strpad(type.get(), H5T_STR_NULLPAD), file, "cannot pad a string type");
  std::string padded(value);
  padded.resize(size, '\0');
  Id attribute;
  if (has_attribute(object, name, file)) {
    attribute = make_id(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, file, std::string("cannot open attribute ") + name);
  } else {
    const Id space = scalar_dataspace(file);
    attribute = make_id(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, file,
                        std::string("cannot create attribute ") + name);
  }
  check_status(H5Awrite(attribute.get(), type.get(), padded.data()), file, std::string("cannot write attribute ") + name);
}

void write_int_attribute(hid_t object, const char* name, int value, const std::filesystem::path& file) {
  const Id space = scalar_dataspace(file);
  const Id attribute = make_id(H5Acreate2(object, name, H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                               file, std::string("cannot create attribute ") + name);
  check_status(H5Awrite(attribute.get(), H5T_NATIVE_INT, &value), file, std::string("cannot write attribute ") + name);
}

void write_int64_attribute(hid_t object, const char* name, std::int64_t value, const std::filesystem::path& file) {
  Id attribute;
  if (has_attribute(object, name, file)) {
    attribute = make_id(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, file, std::string("cannot open attribute ") + name);
  } else {
    const Id space = scalar_dataspace(file);
    attribute = make_id(H5Acreate2(object, name, H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                        file, std::string("cannot create attribute ") + name);
  }
  check_status(H5Awrite(attribute.get(), H5T_NATIVE_INT64, &value), file, std::string("cannot write attribute ") + name);
}

void write_string_array_attribute(hid_t object, const char* name, const std::vector<std::string>& values,
                                  const std::filesystem::path& file) {
  const Id type = utf8_string_type(file);
  const hsize_t size = values.size();
  const Id space = dataspace(std::span(&size, 1), file);
  const Id attribute = make_id(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                               file, std::string("cannot create attribute ") + name);
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const std::string& value : values) pointers.push_back(value.c_str());
  check_status(H5Awrite(attribute.get(), type.get(), pointers.data()), file,
               std::string("cannot write attribute ") + name);
}

void write_int8_array_attribute(hid_t object, const char* name, std::span<const std::int8_t> values,
                                const std::filesystem::path& file) {
  const hsize_t size = values.size();
  const Id space = dataspace(std::span(&size, 1), file);
  const Id attribute = make_id(H5Acreate2(object, name, H5T_STD_I8LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                               file, std::string("cannot create attribute ") + name);
  check_status(H5Awrite(attribute.get(), H5T_NATIVE_INT8, values.data()), file,
               std::string("cannot write attribute ") + name);
}

void write_int64_array_attribute(hid_t object, const char* name, std::span<const std::int64_t> values,
                                 const std::filesystem::path& file) {
  const hsize_t size = values.size();
  const Id space = dataspace(std::span(&size, 1), file);
  const Id attribute = make_id(H5Acreate2(object, name, H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                               H5Aclose, file, std::string("cannot create attribute ") + name);
  check_status(H5Awrite(attribute.get(), H5T_NATIVE_INT64, values.data()), file,
               std::string("cannot write attribute ") + name);
}

bool has_attribute(hid_t object, const char* name, const std::filesystem::path& file) {
  const htri_t exists = H5Aexists(object, name);
  check_status(exists < 0 ? -1 : 0, file, std::string("cannot look for attribute ") + name);
  return exists > 0;
}

std::optional<std::string> read_string_attribute(hid_t object, const char* name, const std::filesystem::path& file) {
  if (!has_attribute(object, name, file)) return std::nullopt;
  const std::string what = std::string("attribute ") + name;
  const Id attribute = make_id(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, file, "cannot open " + what);
  const Id stored_type = make_id(H5Aget_type(attribute.get()), H5Tclose, file, "cannot get the type of " + what);
  if (H5Tget_class(stored_type.get()) != H5T_STRING) throw OutputError(file, what + " is not a string");
  const Id space = make_id(H5Aget_space(attribute.get()), H5Sclose, file, "cannot get the shape of " + what);
  if (H5Sget_simple_extent_npoints(space.get()) != 1) throw OutputError(file, what + " is not a single string");

  const htri_t variable = H5Tis_variable_str(stored_type.get());
  check_status(variable < 0 ? -1 : 0, file, "cannot inspect the type of " + what);
  Id memory_type = make_id(H5Tcopy(H5T_C_S1), H5Tclose, file, "cannot create a string type");
  check_status(H5Tset_cset(memory_type.get(), H5Tget_cset(stored_type.get())), file, "cannot set a character set");
  if (variable > 0) {
    check_status(H5Tset_size(memory_type.get(), H5T_VARIABLE), file, "cannot create a string type");
    char* pointer = nullptr;
    check_status(H5Aread(attribute.get(), memory_type.get(), &pointer), file, "cannot read " + what);
    std::string value = pointer != nullptr ? pointer : "";
    H5free_memory(pointer);
    return value;
  }
  // Fixed-length strings are not written by Commons but cost nothing to read.
  const std::size_t size = H5Tget_size(stored_type.get());
  check_status(H5Tset_size(memory_type.get(), size + 1), file, "cannot create a string type");
  std::string buffer(size + 1, '\0');
  check_status(H5Aread(attribute.get(), memory_type.get(), buffer.data()), file, "cannot read " + what);
  buffer.resize(buffer.find('\0') == std::string::npos ? buffer.size() : buffer.find('\0'));
  return buffer;
}

std::optional<std::vector<std::string>> read_string_array_attribute(hid_t object, const char* name,
                                                                    const std::filesystem::path& file) {
  if (!has_attribute(object, name, file)) return std::nullopt;
  const std::string what = std::string("attribute ") + name;
  const Id attribute = make_id(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, file, "cannot open " + what);
  const Id stored_type = make_id(H5Aget_type(attribute.get()), H5Tclose, file, "cannot get the type of " + what);
  if (H5Tget_class(stored_type.get()) != H5T_STRING) throw OutputError(file, what + " is not a string");
  const Id space = make_id(H5Aget_space(attribute.get()), H5Sclose, file, "cannot get the shape of " + what);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  check_status(count < 0 ? -1 : 0, file, "cannot get the size of " + what);
  const htri_t variable = H5Tis_variable_str(stored_type.get());
  check_status(variable < 0 ? -1 : 0, file, "cannot inspect the type of " + what);
  if (variable == 0) {
    if (count != 1) throw OutputError(file, what + " holds fixed-length strings, which Commons never writes");
    return std::vector<std::string>{*read_string_attribute(object, name, file)};
  }
  const Id memory_type = utf8_string_type(file);
  check_status(H5Tset_cset(memory_type.get(), H5Tget_cset(stored_type.get())), file, "cannot set a character set");
  std::vector<char*> pointers(static_cast<std::size_t>(count), nullptr);
  if (count > 0) check_status(H5Aread(attribute.get(), memory_type.get(), pointers.data()), file, "cannot read " + what);
  std::vector<std::string> values;
  values.reserve(pointers.size());
  for (char* pointer : pointers) {
    values.emplace_back(pointer != nullptr ? pointer : "");
    H5free_memory(pointer);
  }
  return values;
}

namespace {

/// An integer attribute opened for reading, with its dataspace; nullopt when it is absent.
struct IntegerAttribute {
  Id attribute;
  Id space;
  std::string what;
};

std::optional<IntegerAttribute> open_integer_attribute(hid_t object, const char* name,
                                                       const std::filesystem::path& file) {
  if (!has_attribute(object, name, file)) return std::nullopt;
  std::string what = std::string("attribute ") + name;
  Id attribute = make_id(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, file, "cannot open " + what);
  const Id stored_type = make_id(H5Aget_type(attribute.get()), H5Tclose, file, "cannot get the type of " + what);
  if (H5Tget_class(stored_type.get()) != H5T_INTEGER) throw OutputError(file, what + " is not an integer");
  Id space = make_id(H5Aget_space(attribute.get()), H5Sclose, file, "cannot get the shape of " + what);
  return IntegerAttribute{std::move(attribute), std::move(space), std::move(what)};
}

}  // namespace

std::optional<long long> read_integer_attribute(hid_t object, const char* name, const std::filesystem::path& file) {
  const std::optional<IntegerAttribute> opened = open_integer_attribute(object, name, file);
  if (!opened) return std::nullopt;
  if (H5Sget_simple_extent_npoints(opened->space.get()) != 1)
    throw OutputError(file, opened->what + " is not a single integer");
  long long value = 0;
  check_status(H5Aread(opened->attribute.get(), H5T_NATIVE_LLONG, &value), file, "cannot read " + opened->what);
  return value;
}

std::optional<std::vector<std::int64_t>> read_integer_array_attribute(hid_t object, const char* name,
                                                                      const std::filesystem::path& file) {
  const std::optional<IntegerAttribute> opened = open_integer_attribute(object, name, file);
  if (!opened) return std::nullopt;
  const hssize_t count = H5Sget_simple_extent_npoints(opened->space.get());
  check_status(count < 0 ? -1 : 0, file, "cannot get the size of " + opened->what);
  std::vector<std::int64_t> values(static_cast<std::size_t>(count));
  if (!values.empty())
    check_status(H5Aread(opened->attribute.get(), H5T_NATIVE_INT64, values.data()), file,
                 "cannot read " + opened->what);
  return values;
}

void write_strings(hid_t dataset, hid_t memory_space, hid_t file_space, const std::vector<std::string>& values,
                   const std::filesystem::path& file, const std::string& what) {
  const Id type = utf8_string_type(file);
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const std::string& value : values) pointers.push_back(value.c_str());
  const Id transfer = string_transfer(values.size(), file);
  check_status(H5Dwrite(dataset, type.get(), memory_space, file_space, transfer.get(), pointers.data()), file,
               "cannot write " + what);
}

}  // namespace commons::output::detail
