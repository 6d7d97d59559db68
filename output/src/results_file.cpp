// SPDX-License-Identifier: Apache-2.0
#include <commons/output/results_file.hpp>

#include <commons/output/layout.hpp>
#include <commons/output/output_error.hpp>

#include "hdf5_support.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace commons::output {
namespace {

using detail::check_status;
using detail::Id;
using detail::make_id;

herr_t collect_link(hid_t /*group*/, const char* name, const H5L_info_t* /*info*/, void* names) {
  static_cast<std::vector<std::string>*>(names)->emplace_back(name);
  return 0;
}

/// Link names of a group in creation order, or by name where the order was not tracked
/// (files not written by Commons).
std::vector<std::string> link_names(hid_t group, const std::filesystem::path& file, const std::string& what) {
  std::vector<std::string> names;
  hsize_t position = 0;
  if (H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, &position, collect_link, &names) < 0) {
    H5Eclear2(H5E_DEFAULT);
    names.clear();
    position = 0;
    check_status(H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, &position, collect_link, &names), file,
                 "cannot list " + what);
  }
  return names;
}

H5O_type_t object_type(hid_t location, const std::string& name) {
  H5O_info_t info{};
  if (H5Oget_info_by_name2(location, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) {
    H5Eclear2(H5E_DEFAULT);
    return H5O_TYPE_UNKNOWN;
  }
  return info.type;
}

herr_t first_scale_name(hid_t /*dataset*/, unsigned /*axis*/, hid_t scale, void* out) {
  const ssize_t length = H5Iget_name(scale, nullptr, 0);
  if (length <= 0) return 1;
  std::string path(static_cast<std::size_t>(length) + 1, '\0');
  H5Iget_name(scale, path.data(), path.size());
  path.resize(static_cast<std::size_t>(length));
  const std::size_t slash = path.rfind('/');
  *static_cast<std::string*>(out) = slash == std::string::npos ? path : path.substr(slash + 1);
  return 1;  // the first scale names the dimension; stop
}

}  // namespace

struct ResultsFile::State {
  std::filesystem::path path;
  Id file;
  int format_version = 0;

  /// Opens group/name as a dataset, with a message naming it when absent.
  Id dataset(std::string_view group, std::string_view name) const {
    const std::string object = detail::object_path(group, name);
    if (object_type(file.get(), object) != H5O_TYPE_DATASET) throw OutputError(path, "has no dataset " + object);
    return make_id(H5Dopen2(file.get(), object.c_str(), H5P_DEFAULT), H5Dclose, path, "cannot open dataset " + object);
  }

  std::vector<hsize_t> shape(hid_t dataset, const std::string& what) const {
    const Id space = make_id(H5Dget_space(dataset), H5Sclose, path, "cannot get the dataspace of " + what);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    check_status(rank < 0 ? -1 : 0, path, "cannot get the rank of " + what);
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    check_status(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), path, "cannot get the shape of " + what);
    return dims;
  }

  std::size_t element_count(hid_t dataset, const std::string& what) const {
    std::size_t count = 1;
    for (hsize_t d : shape(dataset, what)) count *= static_cast<std::size_t>(d);
    return count;
  }

  /// Length of the dimension scale `name` in `group`, or 0 if the group does not have it.
  std::int64_t dimension(std::string_view group, std::string_view name) const {
    const std::string object = detail::object_path(group, name);
    if (object_type(file.get(), object) != H5O_TYPE_DATASET) return 0;
    const Id scale = dataset(group, name);
    const std::vector<hsize_t> dims = shape(scale.get(), object);
    return dims.size() == 1 ? static_cast<std::int64_t>(dims[0]) : 0;
  }

  template <typename T>
  std::vector<T> read_numbers(std::string_view group, std::string_view name, hid_t memory_type) const {
    const std::string object = detail::object_path(group, name);
    const Id data = dataset(group, name);
    const Id type = make_id(H5Dget_type(data.get()), H5Tclose, path, "cannot get the type of " + object);
    const H5T_class_t type_class = H5Tget_class(type.get());
    if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
      throw OutputError(path, "dataset " + object + " is not numeric");
    std::vector<T> values(element_count(data.get(), object));
    if (!values.empty())
      check_status(H5Dread(data.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path,
                   "cannot read dataset " + object);
    return values;
  }
};

ResultsFile::ResultsFile(std::unique_ptr<State> state) : state_(std::move(state)) {}
ResultsFile::ResultsFile(ResultsFile&&) noexcept = default;
ResultsFile& ResultsFile::operator=(ResultsFile&&) noexcept = default;

ResultsFile::~ResultsFile() {
  if (state_) {
    const detail::ErrorSilencer silence;
    state_->file.reset();
    H5Eclear2(H5E_DEFAULT);
  }
}

ResultsFile ResultsFile::open(const std::filesystem::path& path) {
  const detail::ErrorSilencer silence;
  std::error_code error;
  if (!std::filesystem::exists(path, error)) throw OutputError(path, "no such file");
  if (std::filesystem::is_directory(path, error)) throw OutputError(path, "is a directory, not a results file");
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
  if (is_hdf5 < 0) detail::fail(path, "cannot read the file");
  if (is_hdf5 == 0) throw OutputError(path, "not an HDF5 file, so not a Commons results file");

  auto state = std::make_unique<State>();
  state->path = path;
  // Without HDF5's own lock, a run's FILE.partial can be read while the run still writes it:
  // its structure was settled before it got that name, and only raw values change.
  const Id access = detail::property_list(H5P_FILE_ACCESS, path);
  check_status(H5Pset_file_locking(access.get(), 0, 1), path, "cannot turn off HDF5's file locking");
  state->file =
      make_id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.get()), H5Fclose, path, "cannot open the results file");
  const std::optional<std::string> format = detail::read_string_attribute(state->file.get(), "format", path);
  if (!format) throw OutputError(path, "an HDF5 file but not a Commons results file (no root attribute format)");
  if (*format != layout::format_name)
    throw OutputError(path, "not a Commons results file (format is '" + *format + "', expected '" +
                                std::string(layout::format_name) + "')");
  const std::optional<long long> version = detail::read_integer_attribute(state->file.get(), "format_version", path);
  if (!version) throw OutputError(path, "a Commons results file without the root attribute format_version");
  if (*version < 1 || *version > layout::format_version)
    throw OutputError(path, "results layout version " + std::to_string(*version) +
                                " is not readable by this program, which reads version " +
                                std::to_string(layout::format_version) + (*version > 1 ? "; upgrade Commons" : ""));
  state->format_version = static_cast<int>(*version);
  return ResultsFile(std::move(state));
}

const std::filesystem::path& ResultsFile::path() const noexcept { return state_->path; }

bool ResultsFile::same_file_as(const std::filesystem::path& other) const {
  const detail::ErrorSilencer silence;
  // The descriptor HDF5 holds (its default driver's) is the file, whatever its name says now.
  void* handle = nullptr;
  check_status(H5Fget_vfd_handle(state_->file.get(), H5P_DEFAULT, &handle), state_->path,
               "cannot reach the open file's descriptor");
  struct stat open_status{};
  struct stat named_status{};
  if (handle == nullptr || ::fstat(*static_cast<int*>(handle), &open_status) != 0) return false;
  if (::stat(other.c_str(), &named_status) != 0) return false;
  return open_status.st_dev == named_status.st_dev && open_status.st_ino == named_status.st_ino;
}

int ResultsFile::format_version() const { return state_->format_version; }

std::string ResultsFile::attribute(std::string_view name) const {
  const detail::ErrorSilencer silence;
  const std::string text(name);
  std::optional<std::string> value = detail::read_string_attribute(state_->file.get(), text.c_str(), state_->path);
  if (!value) throw OutputError(state_->path, "has no root attribute " + text);
  return std::move(*value);
}

std::string ResultsFile::status() const {
  const detail::ErrorSilencer silence;
  if (std::optional<std::string> value = detail::read_string_attribute(state_->file.get(), "status", state_->path))
    return *value;
  // Written before files said so: complete if every run is.
  const std::vector<bool> flags = completed();
  return std::all_of(flags.begin(), flags.end(), [](bool flag) { return flag; }) ? "complete" : "partial";
}

std::string ResultsFile::attribute_of(std::string_view group, std::string_view name, const char* attribute) const {
  const detail::ErrorSilencer silence;
  const Id data = state_->dataset(group, name);
  return detail::read_string_attribute(data.get(), attribute, state_->path).value_or("");
}

std::vector<std::string> ResultsFile::errors() const {
  if (!contains(layout::runs_group, "error")) return std::vector<std::string>(static_cast<std::size_t>(run_count()));
  return read_strings(layout::runs_group, "error");
}

std::string ResultsFile::scenario_text() const {
  const std::vector<std::string> text = read_strings("", layout::scenario_dataset);
  if (text.size() != 1) throw OutputError(state_->path, "dataset scenario is not a single string");
  return text.front();
}

std::string ResultsFile::plan_fingerprint() const {
  const detail::ErrorSilencer silence;
  return detail::read_string_attribute(state_->file.get(), "plan_sha256", state_->path).value_or("");
}

std::int64_t ResultsFile::sessions() const {
  const detail::ErrorSilencer silence;
  return detail::read_integer_attribute(state_->file.get(), "sessions", state_->path).value_or(1);
}

std::optional<StoredSweep> ResultsFile::sweep() const {
  const detail::ErrorSilencer silence;
  const std::filesystem::path& path = state_->path;
  const std::string group_name(layout::design_group);
  if (object_type(state_->file.get(), group_name) != H5O_TYPE_GROUP) return std::nullopt;
  const Id group = make_id(H5Gopen2(state_->file.get(), group_name.c_str(), H5P_DEFAULT), H5Gclose, path,
                           "cannot open group " + group_name);
  StoredSweep sweep;
  const auto number = [&](const char* name) -> std::int64_t {
    const std::optional<long long> value = detail::read_integer_attribute(group.get(), name, path);
    if (!value) throw OutputError(path, "group design has no attribute " + std::string(name));
    return *value;
  };
  sweep.plan.design = detail::read_string_attribute(group.get(), "design", path).value_or("");
  sweep.plan.points = number("points");
  sweep.plan.policies = number("policies");
  sweep.plan.replicates = number("replicates");
  sweep.plan.samples = number("samples");
  sweep.plan.grid_levels = number("grid_levels");
  sweep.plan.group_size = number("group_size");

  // Parameters in the order of design/unit's columns, then levers; their runs/ variables are
  // the ones whose parameter_path names them.
  std::vector<std::pair<std::string, std::string>> factors;
  if (contains(layout::design_group, layout::parameter_dimension))
    for (std::string& parameter : read_strings(layout::design_group, layout::parameter_dimension))
      factors.emplace_back(std::move(parameter), "parameter");
  for (std::string& lever : detail::read_string_array_attribute(group.get(), "levers", path).value_or(
           std::vector<std::string>{}))
    factors.emplace_back(std::move(lever), "lever");
  struct Recorded {
    sim::FactorInfo factor;
    std::string variable;
  };
  std::vector<Recorded> recorded;
  for (const StoredVariable& variable : variables(layout::runs_group)) {
    const Id data = state_->dataset(layout::runs_group, variable.name);
    const std::optional<std::string> parameter_path = detail::read_string_attribute(data.get(), "parameter_path", path);
    if (!parameter_path) continue;
    sim::FactorInfo factor;
    factor.path = *parameter_path;
    factor.role = detail::read_string_attribute(data.get(), "role", path).value_or("");
    factor.description = detail::read_string_attribute(data.get(), "description", path).value_or("");
    factor.labels = detail::read_string_array_attribute(data.get(), "levels", path).value_or(std::vector<std::string>{});
    recorded.push_back({std::move(factor), variable.name});
  }
  for (const auto& [factor_path, role] : factors) {
    const auto found = std::find_if(recorded.begin(), recorded.end(),
                                    [&](const Recorded& r) { return r.factor.path == factor_path; });
    if (found == recorded.end())
      throw OutputError(path, "the sweep's " + role + " " + factor_path + " has no variable in runs/");
    sweep.plan.factors.push_back(found->factor);
    sweep.variables.push_back(found->variable);
  }
  return sweep;
}

std::int64_t ResultsFile::run_count() const {
  const detail::ErrorSilencer silence;
  return state_->dimension(layout::runs_group, layout::run_dimension);
}

std::int64_t ResultsFile::step_count() const {
  const detail::ErrorSilencer silence;
  return state_->dimension(layout::series_group, layout::step_dimension);
}

std::int64_t ResultsFile::agent_count() const {
  const detail::ErrorSilencer silence;
  return state_->dimension(layout::agents_group, layout::agent_dimension);
}

std::int64_t ResultsFile::site_count() const {
  const detail::ErrorSilencer silence;
  if (contains(layout::sites_group, layout::site_dimension))
    return state_->dimension(layout::sites_group, layout::site_dimension);
  return state_->dimension(layout::sites_group, layout::y_dimension) *
         state_->dimension(layout::sites_group, layout::x_dimension);
}

std::vector<bool> ResultsFile::completed() const {
  const std::vector<std::int64_t> flags = read_integers(layout::runs_group, "completed");
  std::vector<bool> out(flags.size());
  for (std::size_t i = 0; i < flags.size(); ++i) out[i] = flags[i] != 0;
  return out;
}

std::vector<std::uint64_t> ResultsFile::agent_ids() const {
  const detail::ErrorSilencer silence;
  if (!contains(layout::agents_group, layout::agent_dimension)) return {};
  return state_->read_numbers<std::uint64_t>(layout::agents_group, layout::agent_dimension, H5T_NATIVE_UINT64);
}

std::vector<std::string> ResultsFile::variant_names() const {
  const detail::ErrorSilencer silence;
  const std::filesystem::path& path = state_->path;
  if (!contains(layout::runs_group, "variant")) return {};
  const Id data = state_->dataset(layout::runs_group, "variant");
  const std::string meanings = detail::read_string_attribute(data.get(), "flag_meanings", path).value_or("");
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start < meanings.size()) {
    const std::size_t end = std::min(meanings.find(' ', start), meanings.size());
    if (end > start) names.push_back(meanings.substr(start, end - start));
    start = end + 1;
  }
  const std::vector<std::int64_t> values =
      detail::read_integer_array_attribute(data.get(), "flag_values", path).value_or(std::vector<std::int64_t>{});
  bool numbered = values.size() == names.size() && !names.empty();
  for (std::size_t i = 0; numbered && i < values.size(); ++i) numbered = values[i] == static_cast<std::int64_t>(i);
  if (!numbered)
    throw OutputError(path, "dataset runs/variant: flag_values do not number its " + std::to_string(names.size()) +
                                " flag_meanings 0.." + std::to_string(static_cast<std::int64_t>(names.size()) - 1));
  return names;
}

std::vector<std::int64_t> ResultsFile::run_variants() const {
  if (!contains(layout::runs_group, "variant")) return {};
  return read_integers(layout::runs_group, "variant");
}

std::vector<std::string> ResultsFile::groups() const {
  const detail::ErrorSilencer silence;
  std::vector<std::string> out;
  for (std::string& name : link_names(state_->file.get(), state_->path, "the root group"))
    if (object_type(state_->file.get(), name) == H5O_TYPE_GROUP) out.push_back(std::move(name));
  return out;
}

bool ResultsFile::contains(std::string_view group, std::string_view name) const {
  const detail::ErrorSilencer silence;
  // Check the group first: H5Oget_info_by_name on a path through a missing group fails loudly.
  if (!group.empty() && object_type(state_->file.get(), std::string(group)) != H5O_TYPE_GROUP) return false;
  return object_type(state_->file.get(), detail::object_path(group, name)) != H5O_TYPE_UNKNOWN;
}

StoredVariable ResultsFile::variable(std::string_view group, std::string_view name) const {
  const detail::ErrorSilencer silence;
  const std::filesystem::path& path = state_->path;
  const std::string object = detail::object_path(group, name);
  const Id data = state_->dataset(group, name);
  StoredVariable out;
  out.group = std::string(group);
  out.name = std::string(name);
  for (hsize_t d : state_->shape(data.get(), object)) out.shape.push_back(static_cast<std::int64_t>(d));
  for (std::size_t axis = 0; axis < out.shape.size(); ++axis) {
    std::string dimension;
    const htri_t is_scale = H5DSis_scale(data.get());
    if (is_scale > 0) {
      // A coordinate is its own dimension.
      dimension = std::string(name);
    } else {
      const int scales = H5DSget_num_scales(data.get(), static_cast<unsigned>(axis));
      if (scales > 0) {
        int index = 0;
        check_status(H5DSiterate_scales(data.get(), static_cast<unsigned>(axis), &index, first_scale_name, &dimension),
                     path, "cannot read the dimensions of " + object);
      }
    }
    H5Eclear2(H5E_DEFAULT);
    out.dimensions.push_back(std::move(dimension));
  }
  out.units = detail::read_string_attribute(data.get(), "units", path).value_or("");
  out.long_name = detail::read_string_attribute(data.get(), "long_name", path).value_or("");
  const Id type = make_id(H5Dget_type(data.get()), H5Tclose, path, "cannot get the type of " + object);
  const H5T_class_t type_class = H5Tget_class(type.get());
  out.numeric = type_class == H5T_INTEGER || type_class == H5T_FLOAT;
  return out;
}

std::vector<StoredVariable> ResultsFile::variables(std::string_view group) const {
  const detail::ErrorSilencer silence;
  const std::filesystem::path& path = state_->path;
  const std::string group_name(group);
  if (object_type(state_->file.get(), group_name) != H5O_TYPE_GROUP) return {};
  const Id handle = make_id(H5Gopen2(state_->file.get(), group_name.c_str(), H5P_DEFAULT), H5Gclose, path,
                            "cannot open group " + group_name);
  std::vector<StoredVariable> out;
  for (const std::string& name : link_names(handle.get(), path, "group " + group_name)) {
    if (object_type(handle.get(), name) != H5O_TYPE_DATASET) continue;
    const Id data = make_id(H5Dopen2(handle.get(), name.c_str(), H5P_DEFAULT), H5Dclose, path,
                            "cannot open dataset " + detail::object_path(group, name));
    const htri_t is_scale = H5DSis_scale(data.get());
    H5Eclear2(H5E_DEFAULT);
    if (is_scale > 0) continue;
    out.push_back(variable(group, name));
  }
  return out;
}

std::vector<double> ResultsFile::read(std::string_view group, std::string_view name) const {
  const detail::ErrorSilencer silence;
  return state_->read_numbers<double>(group, name, H5T_NATIVE_DOUBLE);
}

std::vector<double> ResultsFile::read_rows(std::string_view group, std::string_view name, std::int64_t first,
                                           std::int64_t count) const {
  const detail::ErrorSilencer silence;
  const std::filesystem::path& path = state_->path;
  const std::string object = detail::object_path(group, name);
  const Id data = state_->dataset(group, name);
  const Id type = make_id(H5Dget_type(data.get()), H5Tclose, path, "cannot get the type of " + object);
  const H5T_class_t type_class = H5Tget_class(type.get());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
    throw OutputError(path, "dataset " + object + " is not numeric");
  std::vector<hsize_t> dims = state_->shape(data.get(), object);
  if (dims.empty() || first < 0 || count < 0 || static_cast<hsize_t>(first) + static_cast<hsize_t>(count) > dims[0])
    throw OutputError(path, "dataset " + object + " has no rows " + std::to_string(first) + " to " +
                                std::to_string(first + count - 1));
  std::vector<hsize_t> start(dims.size(), 0);
  start[0] = static_cast<hsize_t>(first);
  dims[0] = static_cast<hsize_t>(count);
  std::size_t values = 1;
  for (const hsize_t d : dims) values *= static_cast<std::size_t>(d);
  std::vector<double> out(values);
  if (values == 0) return out;
  const Id file_space = make_id(H5Dget_space(data.get()), H5Sclose, path, "cannot get the dataspace of " + object);
  check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, dims.data(), nullptr),
               path, "cannot select rows of " + object);
  const Id memory_space = detail::dataspace(dims, path);
  check_status(H5Dread(data.get(), H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), H5P_DEFAULT, out.data()),
               path, "cannot read dataset " + object);
  return out;
}

std::vector<std::int64_t> ResultsFile::read_integers(std::string_view group, std::string_view name) const {
  const detail::ErrorSilencer silence;
  const std::string object = detail::object_path(group, name);
  const Id data = state_->dataset(group, name);
  const Id type = make_id(H5Dget_type(data.get()), H5Tclose, state_->path, "cannot get the type of " + object);
  if (H5Tget_class(type.get()) != H5T_INTEGER)
    throw OutputError(state_->path, "dataset " + object + " does not hold integers");
  return state_->read_numbers<std::int64_t>(group, name, H5T_NATIVE_INT64);
}

std::vector<std::string> ResultsFile::read_strings(std::string_view group, std::string_view name) const {
  const detail::ErrorSilencer silence;
  const std::filesystem::path& path = state_->path;
  const std::string object = detail::object_path(group, name);
  const Id data = state_->dataset(group, name);
  const Id type = make_id(H5Dget_type(data.get()), H5Tclose, path, "cannot get the type of " + object);
  if (H5Tget_class(type.get()) != H5T_STRING) throw OutputError(path, "dataset " + object + " does not hold strings");
  if (H5Tis_variable_str(type.get()) <= 0)
    throw OutputError(path, "dataset " + object + " holds fixed-length strings, which layout version 1 never writes");
  const std::size_t count = state_->element_count(data.get(), object);
  std::vector<char*> pointers(count, nullptr);
  const Id memory_type = detail::utf8_string_type(path);
  check_status(H5Tset_cset(memory_type.get(), H5Tget_cset(type.get())), path, "cannot set a character set");
  if (count > 0)
    check_status(H5Dread(data.get(), memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), path,
                 "cannot read dataset " + object);
  std::vector<std::string> out;
  out.reserve(count);
  for (char* pointer : pointers) {
    out.emplace_back(pointer != nullptr ? pointer : "");
    H5free_memory(pointer);
  }
  return out;
}

}  // namespace commons::output
