// SPDX-License-Identifier: Apache-2.0
#pragma once
// Private to the output library: owning HDF5 handles, error translation and the small
// attribute/dataset helpers that the writer and the reader share.

#include <commons/output/output_error.hpp>

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace commons::output::detail {

/// Owns an HDF5 identifier and closes it with the matching H5?close function.
class Id {
 public:
  using Closer = herr_t (*)(hid_t);
  Id() = default;
  Id(hid_t id, Closer closer) noexcept : id_(id), closer_(closer) {}
  Id(Id&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = H5I_INVALID_HID; }
  Id& operator=(Id&& other) noexcept;
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  ~Id() { reset(); }

  [[nodiscard]] hid_t get() const noexcept { return id_; }
  [[nodiscard]] explicit operator bool() const noexcept { return id_ >= 0; }
  /// Closes now; returns the close status so callers that care (the file) can check it.
  herr_t reset() noexcept;
  /// Gives up ownership without closing; the caller closes the identifier.
  [[nodiscard]] hid_t release() noexcept {
    const hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Turns off HDF5's printing of error stacks for its lifetime and restores the previous
/// handler afterwards: a library must not print, and the caller's own setting is theirs.
/// The setting is per thread in Debian's thread-safe build, so every entry point makes one.
class ErrorSilencer {
 public:
  ErrorSilencer() noexcept;
  ~ErrorSilencer();
  ErrorSilencer(const ErrorSilencer&) = delete;
  ErrorSilencer& operator=(const ErrorSilencer&) = delete;

 private:
  H5E_auto2_t function_ = nullptr;
  void* data_ = nullptr;
};

/// The most specific message on the current HDF5 error stack (empty if none); clears it.
std::string take_error_stack();

/// Throws OutputError for `file`: "message: <HDF5 detail>".
[[noreturn]] void fail(const std::filesystem::path& file, const std::string& message);

/// Returns `id` if valid, else fail(file, message).
hid_t check_id(hid_t id, const std::filesystem::path& file, const std::string& message);
/// Returns if `status` is non-negative, else fail(file, message).
void check_status(herr_t status, const std::filesystem::path& file, const std::string& message);

/// Wrappers that return owning handles or throw.
Id make_id(hid_t id, Id::Closer closer, const std::filesystem::path& file, const std::string& message);
Id property_list(hid_t plist_class, const std::filesystem::path& file);
Id dataspace(std::span<const hsize_t> dims, const std::filesystem::path& file);
Id scalar_dataspace(const std::filesystem::path& file);
/// The only string type the layout uses: variable-length, UTF-8.
Id utf8_string_type(const std::filesystem::path& file);
/// A transfer property list for writing `count` variable-length strings: HDF5's default
/// conversion buffers (1 MiB each, zeroed at every write) cost a small file most of its making.
Id string_transfer(std::size_t count, const std::filesystem::path& file);

/// Object creation properties shared by groups and datasets: no timestamps (identical runs
/// give identical bytes) and creation order tracked, as netCDF-4 itself writes.
void set_object_defaults(hid_t plist, const std::filesystem::path& file);

/// "group/name" for messages.
std::string object_path(std::string_view group, std::string_view name);

/// Attribute helpers. `object` may be a file, group or dataset.
void write_string_attribute(hid_t object, const char* name, std::string_view value, const std::filesystem::path& file);
/// A fixed-length string attribute of `size` bytes, NUL-padded, created or rewritten in place.
/// Rewriting one changes the same few bytes of its object header and nothing else, so it is
/// the one kind of attribute that can change in a file whose layout is settled.
void write_fixed_string_attribute(hid_t object, const char* name, std::string_view value, std::size_t size,
                                  const std::filesystem::path& file);
void write_int_attribute(hid_t object, const char* name, int value, const std::filesystem::path& file);
/// A scalar int64 attribute, created or rewritten in place: like a fixed-length string, its
/// value has a fixed size, so rewriting it changes only its own bytes.
void write_int64_attribute(hid_t object, const char* name, std::int64_t value, const std::filesystem::path& file);
/// A 1-D attribute of variable-length UTF-8 strings (netCDF reads it as NC_STRING values).
void write_string_array_attribute(hid_t object, const char* name, const std::vector<std::string>& values,
                                  const std::filesystem::path& file);
void write_int8_array_attribute(hid_t object, const char* name, std::span<const std::int8_t> values,
                                const std::filesystem::path& file);
void write_int64_array_attribute(hid_t object, const char* name, std::span<const std::int64_t> values,
                                 const std::filesystem::path& file);
bool has_attribute(hid_t object, const char* name, const std::filesystem::path& file);
/// Reads a string attribute (variable- or fixed-length); nullopt if absent.
std::optional<std::string> read_string_attribute(hid_t object, const char* name, const std::filesystem::path& file);
/// Reads a 1-D (or scalar) string attribute; nullopt if absent.
std::optional<std::vector<std::string>> read_string_array_attribute(hid_t object, const char* name,
                                                                    const std::filesystem::path& file);
/// Reads an integer attribute; nullopt if absent.
std::optional<long long> read_integer_attribute(hid_t object, const char* name, const std::filesystem::path& file);
/// Reads a 1-D (or scalar) integer attribute; nullopt if absent.
std::optional<std::vector<std::int64_t>> read_integer_array_attribute(hid_t object, const char* name,
                                                                      const std::filesystem::path& file);

/// Writes strings as one variable-length UTF-8 selection.
void write_strings(hid_t dataset, hid_t memory_space, hid_t file_space, const std::vector<std::string>& values,
                   const std::filesystem::path& file, const std::string& what);

}  // namespace commons::output::detail
