// SPDX-License-Identifier: Apache-2.0
#include <commons/output/hdf5_sink.hpp>

#include <commons/output/layout.hpp>
#include <commons/output/output_error.hpp>

#include "hdf5_support.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace commons::output {
namespace {

using detail::check_status;
using detail::Id;
using detail::make_id;

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
// Chunks stay below 4 MiB: large enough for deflate to pay off, small enough that reading one
// run of one variable does not pull in much else (HDF5's default chunk cache is 1 MiB).
constexpr hsize_t max_chunk_bytes = hsize_t{4} << 20;
constexpr unsigned deflate_level = 4;

std::string utc_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  const std::size_t length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text.data(), length);
}

// HDF5 reads '/' in a name as a path separator, so a parameter path such as
// "resource/growth_rate" becomes "resource.growth_rate"; the original goes in an attribute.
std::string dataset_name(std::string_view raw) {
  while (!raw.empty() && raw.front() == '/') raw.remove_prefix(1);
  std::string name(raw);
  std::replace(name.begin(), name.end(), '/', '.');
  return name;
}

void require_valid_names(const std::vector<std::string>& names, const std::vector<std::string>& reserved,
                         const std::filesystem::path& file, std::string_view group) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (name.empty() || name == "." || name == "..")
      throw OutputError(file, "invalid variable name '" + name + "' in " + std::string(group) + "/");
    if (std::find(reserved.begin(), reserved.end(), name) != reserved.end())
      throw OutputError(file, "variable name '" + name + "' in " + std::string(group) +
                                  "/ is reserved for a coordinate or run attribute");
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), name) !=
        names.begin() + static_cast<std::ptrdiff_t>(i))
      throw OutputError(file, "variable '" + name + "' appears twice in " + std::string(group) + "/");
  }
}

Id create_group(hid_t parent, std::string_view name, const std::filesystem::path& file) {
  const Id plist = detail::property_list(H5P_GROUP_CREATE, file);
  detail::set_object_defaults(plist.get(), file);
  check_status(H5Pset_link_creation_order(plist.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), file,
               "cannot track link creation order");
  const std::string text(name);
  return make_id(H5Gcreate2(parent, text.c_str(), H5P_DEFAULT, plist.get(), H5P_DEFAULT), H5Gclose, file,
                 "cannot create group " + text);
}

/// How a dataset is stored.
struct Storage {
  /// Empty for contiguous storage.
  std::vector<hsize_t> chunk;
  bool compress = false;
  /// Value of never-written elements, as a double (for float datasets) or int8.
  const void* fill = nullptr;
  hid_t fill_type = H5I_INVALID_HID;
};

Id create_dataset(hid_t group, std::string_view group_name, std::string_view name, hid_t file_type,
                  std::span<const hsize_t> dims, const Storage& storage, const std::filesystem::path& file) {
  const Id plist = detail::property_list(H5P_DATASET_CREATE, file);
  detail::set_object_defaults(plist.get(), file);
  if (!storage.chunk.empty()) {
    check_status(H5Pset_chunk(plist.get(), static_cast<int>(storage.chunk.size()), storage.chunk.data()), file,
                 "cannot set chunking");
    if (storage.compress) {
      // Shuffle before deflate: grouping the bytes of doubles by significance compresses better.
      check_status(H5Pset_shuffle(plist.get()), file, "cannot enable the shuffle filter");
      check_status(H5Pset_deflate(plist.get(), deflate_level), file, "cannot enable deflate");
    }
  }
  if (storage.fill != nullptr)
    check_status(H5Pset_fill_value(plist.get(), storage.fill_type, storage.fill), file, "cannot set a fill value");
  const Id space = detail::dataspace(dims, file);
  const std::string text(name);
  return make_id(H5Dcreate2(group, text.c_str(), file_type, space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT),
                 H5Dclose, file, "cannot create dataset " + detail::object_path(group_name, name));
}

void describe_variable(hid_t dataset, std::string_view units, std::string_view long_name,
                       const std::filesystem::path& file) {
  if (!units.empty()) detail::write_string_attribute(dataset, "units", units, file);
  detail::write_string_attribute(dataset, "long_name", long_name, file);
}

/// Attaches the group's coordinate datasets named `dims` to the axes of `dataset`, in order.
void attach_scales(hid_t dataset, hid_t group, std::string_view group_name,
                   std::initializer_list<std::string_view> dims, const std::filesystem::path& file) {
  unsigned axis = 0;
  for (std::string_view dim : dims) {
    const std::string text(dim);
    const Id scale = make_id(H5Dopen2(group, text.c_str(), H5P_DEFAULT), H5Dclose, file,
                             "cannot open coordinate " + detail::object_path(group_name, dim));
    check_status(H5DSattach_scale(dataset, scale.get(), axis), file,
                 "cannot attach dimension " + text + " in " + std::string(group_name) + "/");
    ++axis;
  }
}

/// A 1-D coordinate: a dataset holding the values, registered as a dimension scale under its
/// own name so that netCDF-4 and h5netcdf see a dimension with a coordinate variable.
template <typename T>
void create_coordinate(hid_t group, std::string_view group_name, std::string_view name, hid_t file_type,
                       hid_t memory_type, const std::vector<T>& values, std::string_view units,
                       std::string_view long_name, const std::filesystem::path& file) {
  const std::array<hsize_t, 1> dims{values.size()};
  const Id dataset = create_dataset(group, group_name, name, file_type, dims, Storage{}, file);
  const std::string what = "coordinate " + detail::object_path(group_name, name);
  if (!values.empty())
    check_status(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), file,
                 "cannot write " + what);
  const std::string text(name);
  check_status(H5DSset_scale(dataset.get(), text.c_str()), file, "cannot make " + what + " a dimension scale");
  describe_variable(dataset.get(), units, long_name, file);
}

std::vector<std::int64_t> iota(hsize_t count) {
  std::vector<std::int64_t> values(count);
  for (hsize_t i = 0; i < count; ++i) values[i] = static_cast<std::int64_t>(i);
  return values;
}

/// Selects row `run` (a hyperslab of extent 1 on axis 0 and `extent` elsewhere) of a dataset.
Id select_row(hid_t dataset, hsize_t run, std::span<const hsize_t> extent, const std::filesystem::path& file,
              const std::string& what) {
  Id space = make_id(H5Dget_space(dataset), H5Sclose, file, "cannot get the dataspace of " + what);
  std::vector<hsize_t> start(extent.size() + 1, 0);
  std::vector<hsize_t> count(extent.size() + 1, 1);
  start[0] = run;
  std::copy(extent.begin(), extent.end(), count.begin() + 1);
  check_status(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr), file,
               "cannot select run " + std::to_string(run) + " of " + what);
  return space;
}

void write_row(hid_t dataset, hsize_t run, std::span<const hsize_t> extent, const double* values,
               const std::filesystem::path& file, const std::string& what) {
  hsize_t total = 1;
  for (hsize_t e : extent) total *= e;
  if (total == 0) return;
  const Id file_space = select_row(dataset, run, extent, file, what);
  const Id memory_space = detail::dataspace(std::span(&total, 1), file);
  check_status(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), H5P_DEFAULT, values), file,
               "cannot write run " + std::to_string(run) + " of " + what);
}

}  // namespace

struct Hdf5Sink::State {
  enum class Phase { constructed, writing, finished };

  /// One dataset per recorded variable, found again by name for every later run.
  struct Column {
    /// Dataset name (`/` replaced by `.`).
    std::string name;
    /// The recorder's name, to tell apart two names that map to one dataset name.
    std::string source;
    Id dataset;
  };
  /// The column with dataset name `name`, or nullptr.
  static const Column* find_column(const std::vector<Column>& columns, const std::string& name) {
    const auto it = std::find_if(columns.begin(), columns.end(), [&](const Column& c) { return c.name == name; });
    return it == columns.end() ? nullptr : &*it;
  }

  std::filesystem::path final_path;
  std::filesystem::path partial_path;
  Provenance provenance;
  bool overwrite = false;
  Phase phase = Phase::constructed;

  hsize_t runs = 0;
  hsize_t steps = 0;
  /// Agents per run: a degree is below it.
  hsize_t agents_per_run = 0;
  std::vector<std::uint64_t> seeds;
  std::vector<bool> written;
  /// Swept parameters as named in the scenario, and the dataset names they get in runs/.
  std::vector<std::string> parameter_paths;
  std::vector<std::string> parameter_names;
  /// Names of the variants of a comparison by index; empty without one.
  std::vector<std::string> variants;

  Id file;
  Id runs_group;
  Id series_group;
  Id summary_group;
  Id references_group;
  Id agents_group;
  Id network_group;
  Id degree_count;
  Id completed;

  std::vector<Column> series;
  std::vector<Column> summary;
  std::vector<Column> references;
  std::vector<Column> agents;
  std::vector<std::uint64_t> agent_ids;

  /// Closes datasets and groups before the file so the file really closes now (HDF5 keeps a
  /// file open while any object in it is open). Returns the status of closing the file.
  herr_t close() noexcept {
    for (auto* columns : {&series, &summary, &references, &agents}) columns->clear();
    completed.reset();
    degree_count.reset();
    network_group.reset();
    agents_group.reset();
    references_group.reset();
    summary_group.reset();
    series_group.reset();
    runs_group.reset();
    return file.reset();
  }

  void write_root(const sim::PlanInfo& plan);
  void write_runs(const sim::PlanInfo& plan);
  void create_new_variables(const sim::RunResult& result);
  void create_agents(const sim::RunResult& result);
  void create_new_agent_variables(const sim::RunResult& result);
  void create_network();
  void check_run(const sim::RunResult& result) const;
};

Hdf5Sink::Hdf5Sink(std::filesystem::path final_path, Provenance provenance, bool overwrite)
    : state_(std::make_unique<State>()) {
  if (final_path.empty()) throw OutputError(final_path, "no results file name given");
  if (final_path.filename().empty()) throw OutputError(final_path, "results file name names a directory");
  state_->final_path = std::move(final_path);
  state_->partial_path = state_->final_path;
  state_->partial_path += layout::partial_suffix;
  state_->provenance = std::move(provenance);
  state_->overwrite = overwrite;

  const std::filesystem::path& path = state_->final_path;
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (std::filesystem::is_directory(status)) throw OutputError(path, "is a directory");
  if (std::filesystem::exists(status) && !overwrite)
    throw OutputError(path, "already exists; use --force to overwrite");
  const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : ".";
  if (!std::filesystem::is_directory(directory, error))
    throw OutputError(path, "directory " + directory.string() + " does not exist");
  // An interrupted sweep's runs are results too: starting afresh would truncate them.
  if (std::filesystem::exists(state_->partial_path, error) && !overwrite)
    throw OutputError(state_->partial_path,
                      "exists (left by an interrupted run); delete it or use --force to start over");
}

Hdf5Sink::~Hdf5Sink() {
  // Unfinished: close what is open and leave FILE.partial for --resume; never throw here.
  const detail::ErrorSilencer silence;
  state_->close();
  H5Eclear2(H5E_DEFAULT);
}

const std::filesystem::path& Hdf5Sink::path() const noexcept { return state_->final_path; }

const std::filesystem::path& Hdf5Sink::partial_path() const noexcept { return state_->partial_path; }

void Hdf5Sink::begin(const sim::PlanInfo& plan) {
  const detail::ErrorSilencer silence;
  State& s = *state_;
  const std::filesystem::path& path = s.final_path;
  if (s.phase != State::Phase::constructed) throw OutputError(path, "begin() called twice");

  // Everything that can be checked is checked before a file exists.
  if (plan.tasks.empty()) throw OutputError(path, "the plan has no runs");
  if (plan.steps < 1) throw OutputError(path, "the plan has no steps");
  s.runs = plan.tasks.size();
  s.steps = static_cast<hsize_t>(plan.steps);
  s.agents_per_run = static_cast<hsize_t>(std::max<std::int64_t>(plan.agents, 0));
  s.seeds.assign(s.runs, 0);
  std::vector<bool> seen(s.runs, false);
  for (const sim::RunTask& task : plan.tasks) {
    if (task.index < 0 || static_cast<hsize_t>(task.index) >= s.runs || seen[static_cast<std::size_t>(task.index)])
      throw OutputError(path, "plan run indices must be 0.." + std::to_string(s.runs - 1) + ", each once; found " +
                                  std::to_string(task.index));
    seen[static_cast<std::size_t>(task.index)] = true;
    s.seeds[static_cast<std::size_t>(task.index)] = task.seed;
    if (task.seed > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      throw OutputError(path, "seed " + std::to_string(task.seed) + " of run " + std::to_string(task.index) +
                                  " does not fit the int64 seed column");
  }
  s.written.assign(s.runs, false);
  s.variants = plan.variants;
  for (std::size_t v = 0; v < s.variants.size(); ++v) {
    const std::string& name = s.variants[v];
    // flag_meanings lists the names separated by blanks, so a name must be one blank-free word.
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
    if (name.empty() || std::any_of(name.begin(), name.end(), blank))
      throw OutputError(path, "variant " + std::to_string(v) + " has the name '" + name +
                                  "', which cannot be a flag meaning (empty or with white space)");
    if (std::find(s.variants.begin(), s.variants.begin() + static_cast<std::ptrdiff_t>(v), name) !=
        s.variants.begin() + static_cast<std::ptrdiff_t>(v))
      throw OutputError(path, "variant name '" + name + "' appears twice in the plan");
  }
  for (const sim::RunTask& task : plan.tasks) {
    const auto variant_count = static_cast<std::int64_t>(s.variants.size());
    if (variant_count == 0 && task.variant != 0)
      throw OutputError(path, "run " + std::to_string(task.index) + " has variant " + std::to_string(task.variant) +
                                  " but the plan has no variants");
    if (variant_count > 0 && (task.variant < 0 || task.variant >= variant_count))
      throw OutputError(path, "run " + std::to_string(task.index) + " has variant " + std::to_string(task.variant) +
                                  " but the plan has variants 0.." + std::to_string(variant_count - 1));
  }
  // Swept parameters in order of first appearance; a run without one gets NaN.
  s.parameter_paths.clear();
  for (const sim::RunTask& task : plan.tasks)
    for (const auto& parameter : task.parameters)
      if (std::find(s.parameter_paths.begin(), s.parameter_paths.end(), parameter.first) == s.parameter_paths.end())
        s.parameter_paths.push_back(parameter.first);
  s.parameter_names.clear();
  for (const std::string& parameter : s.parameter_paths) s.parameter_names.push_back(dataset_name(parameter));
  require_valid_names(s.parameter_names,
                      {"run", "replicate", "seed", "seed_text", "completed", "variant", "variant_name"}, path,
                      layout::runs_group);

  const Id fcpl = detail::property_list(H5P_FILE_CREATE, s.partial_path);
  detail::set_object_defaults(fcpl.get(), s.partial_path);
  check_status(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), s.partial_path,
               "cannot track link creation order");
  s.file = make_id(H5Fcreate(s.partial_path.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT), H5Fclose, s.partial_path,
                   "cannot create the results file");
  s.phase = State::Phase::writing;

  s.write_root(plan);
  s.write_runs(plan);
  // The other groups always exist, so every file offers the same groups to open.
  const std::filesystem::path& file = s.partial_path;
  const std::vector<std::int64_t> run_values = iota(s.runs);
  const std::vector<std::int64_t> step_values = iota(s.steps);
  s.series_group = create_group(s.file.get(), layout::series_group, file);
  create_coordinate(s.series_group.get(), layout::series_group, layout::run_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64,
                    run_values, "1", "run index", file);
  create_coordinate(s.series_group.get(), layout::series_group, layout::step_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64,
                    step_values, "1", "step", file);
  s.summary_group = create_group(s.file.get(), layout::summary_group, file);
  create_coordinate(s.summary_group.get(), layout::summary_group, layout::run_dimension, H5T_STD_I64LE,
                    H5T_NATIVE_INT64, run_values, "1", "run index", file);
  s.references_group = create_group(s.file.get(), layout::references_group, file);
  create_coordinate(s.references_group.get(), layout::references_group, layout::run_dimension, H5T_STD_I64LE,
                    H5T_NATIVE_INT64, run_values, "1", "run index", file);
  check_status(H5Fflush(s.file.get(), H5F_SCOPE_LOCAL), file, "cannot flush the results file");
}

void Hdf5Sink::State::write_root(const sim::PlanInfo& plan) {
  const std::filesystem::path& path = partial_path;
  const hid_t root = file.get();
  detail::write_string_attribute(root, "format", layout::format_name, path);
  detail::write_int_attribute(root, "format_version", layout::format_version, path);
  detail::write_string_attribute(root, "program_version", provenance.program_version, path);
  detail::write_string_attribute(root, "git_commit", provenance.git_commit, path);
  detail::write_string_attribute(root, "command_line", provenance.command_line, path);
  detail::write_string_attribute(root, "creation_time", utc_timestamp(), path);
  detail::write_string_attribute(root, "scenario_name", plan.scenario_name, path);

  // A dataset rather than an attribute: scenario text may exceed the 64 KiB attribute limit.
  const Id type = detail::utf8_string_type(path);
  const Id space = detail::scalar_dataspace(path);
  const Id plist = detail::property_list(H5P_DATASET_CREATE, path);
  detail::set_object_defaults(plist.get(), path);
  const std::string name(layout::scenario_dataset);
  const Id scenario =
      make_id(H5Dcreate2(root, name.c_str(), type.get(), space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT), H5Dclose,
              path, "cannot create dataset " + name);
  const char* text = plan.scenario_text.c_str();
  check_status(H5Dwrite(scenario.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), path,
               "cannot write dataset " + name);
  detail::write_string_attribute(scenario.get(), "format", "json", path);
  detail::write_string_attribute(scenario.get(), "long_name", "resolved scenario", path);
}

void Hdf5Sink::State::write_runs(const sim::PlanInfo& plan) {
  const std::filesystem::path& path = partial_path;
  const std::string_view group_name = layout::runs_group;

  std::vector<std::int64_t> replicates(runs, 0);
  std::vector<std::int64_t> seed_values(runs, 0);
  std::vector<std::string> seed_texts(runs);
  std::vector<std::vector<double>> parameters(parameter_paths.size(), std::vector<double>(runs, not_a_number));
  for (const sim::RunTask& task : plan.tasks) {
    const auto run = static_cast<std::size_t>(task.index);
    replicates[run] = task.replicate;
    seed_values[run] = static_cast<std::int64_t>(task.seed);
    seed_texts[run] = std::to_string(task.seed);
    for (const auto& [parameter, value] : task.parameters) {
      const auto found = std::find(parameter_paths.begin(), parameter_paths.end(), parameter);
      parameters[static_cast<std::size_t>(found - parameter_paths.begin())][run] = value;
    }
  }

  runs_group = create_group(file.get(), group_name, path);
  const hid_t group = runs_group.get();
  create_coordinate(group, group_name, layout::run_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64, iota(runs), "1",
                    "run index", path);
  const std::array<hsize_t, 1> dims{runs};

  const auto write_column = [&](std::string_view name, hid_t file_type, hid_t memory_type, const void* data,
                                const Storage& storage, std::string_view units, std::string_view long_name) {
    Id dataset = create_dataset(group, group_name, name, file_type, dims, storage, path);
    check_status(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), path,
                 "cannot write dataset " + detail::object_path(group_name, name));
    describe_variable(dataset.get(), units, long_name, path);
    attach_scales(dataset.get(), group, group_name, {layout::run_dimension}, path);
    return dataset;
  };
  write_column("replicate", H5T_STD_I64LE, H5T_NATIVE_INT64, replicates.data(), Storage{}, "1", "replicate");
  write_column("seed", H5T_STD_I64LE, H5T_NATIVE_INT64, seed_values.data(), Storage{}, "1", "random seed");
  {
    // Decimal text as well, because some readers (R) round integers above 2^53.
    const Id type = detail::utf8_string_type(path);
    const Id dataset = create_dataset(group, group_name, "seed_text", type.get(), dims, Storage{}, path);
    detail::write_strings(dataset.get(), H5S_ALL, H5S_ALL, seed_texts, path, "dataset runs/seed_text");
    describe_variable(dataset.get(), "", "random seed, exact decimal text", path);
    attach_scales(dataset.get(), group, group_name, {layout::run_dimension}, path);
  }
  {
    // int8 with CF flags, not an HDF5 enum or bool: netCDF drops those silently.
    static constexpr std::int8_t no = 0;
    static constexpr std::array<std::int8_t, 2> flag_values{0, 1};
    const std::vector<std::int8_t> zeros(runs, 0);
    completed =
        write_column("completed", H5T_STD_I8LE, H5T_NATIVE_INT8, zeros.data(), Storage{{}, false, &no, H5T_NATIVE_INT8},
                     "", "run written completely (0 while missing or failed)");
    detail::write_int8_array_attribute(completed.get(), "flag_values", flag_values, path);
    detail::write_string_attribute(completed.get(), "flag_meanings", "no yes", path);
  }
  if (!variants.empty()) {
    // int64 with CF flags (flag_values has the variable's type, as CF requires); the names
    // again per run as text, for readers that ignore flag attributes.
    std::vector<std::int64_t> indices(runs, 0);
    std::vector<std::string> names(runs);
    for (const sim::RunTask& task : plan.tasks) {
      indices[static_cast<std::size_t>(task.index)] = task.variant;
      names[static_cast<std::size_t>(task.index)] = variants[static_cast<std::size_t>(task.variant)];
    }
    const Id variant = write_column("variant", H5T_STD_I64LE, H5T_NATIVE_INT64, indices.data(), Storage{}, "",
                                    "variant of the comparison");
    const std::vector<std::int64_t> flag_values = iota(variants.size());
    detail::write_int64_array_attribute(variant.get(), "flag_values", flag_values, path);
    std::string meanings;
    for (const std::string& name : variants) meanings += (meanings.empty() ? "" : " ") + name;
    detail::write_string_attribute(variant.get(), "flag_meanings", meanings, path);

    const Id type = detail::utf8_string_type(path);
    const Id dataset = create_dataset(group, group_name, "variant_name", type.get(), dims, Storage{}, path);
    detail::write_strings(dataset.get(), H5S_ALL, H5S_ALL, names, path, "dataset runs/variant_name");
    describe_variable(dataset.get(), "", "name of the variant of the comparison", path);
    attach_scales(dataset.get(), group, group_name, {layout::run_dimension}, path);
  }
  for (std::size_t p = 0; p < parameter_paths.size(); ++p) {
    const Id dataset =
        write_column(parameter_names[p], H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, parameters[p].data(),
                     Storage{{}, false, &not_a_number, H5T_NATIVE_DOUBLE}, "", "swept parameter " + parameter_paths[p]);
    detail::write_string_attribute(dataset.get(), "parameter_path", parameter_paths[p], path);
  }
}

void Hdf5Sink::State::check_run(const sim::RunResult& result) const {
  const std::filesystem::path& path = final_path;
  const std::int64_t index = result.task.index;
  const std::string run = "run " + std::to_string(index);
  if (index < 0 || static_cast<hsize_t>(index) >= runs)
    throw OutputError(path, run + " is not in the plan (runs 0.." + std::to_string(runs - 1) + ")");
  if (written[static_cast<std::size_t>(index)]) throw OutputError(path, run + " was already written");
  if (result.task.seed != seeds[static_cast<std::size_t>(index)])
    throw OutputError(path, run + " has seed " + std::to_string(result.task.seed) + " but the plan says " +
                                std::to_string(seeds[static_cast<std::size_t>(index)]));
  for (const sim::SeriesData& data : result.series)
    if (data.values.size() > steps)
      throw OutputError(path, run + ": series " + data.info.name + " has " + std::to_string(data.values.size()) +
                                  " values for " + std::to_string(steps) + " steps");
  if (!result.agents.empty()) {
    const std::size_t agent_count = result.agent_ids.size();
    if (agent_count == 0) throw OutputError(path, run + " has agent data but no agent ids");
    if (!agent_ids.empty() && result.agent_ids != agent_ids)
      throw OutputError(path, run +
                                  " has other agent ids than the first run with agent data; layout version 1 "
                                  "has one agent coordinate per file");
    for (const sim::AgentData& data : result.agents)
      if (data.values.size() % agent_count != 0 || data.values.size() / agent_count > steps)
        throw OutputError(path, run + ": agent variable " + data.info.name + " has " +
                                    std::to_string(data.values.size()) + " values, not steps x " +
                                    std::to_string(agent_count) + " agents");
  }
  if (result.degree_counts.size() > agents_per_run)
    throw OutputError(path, run + " has a degree distribution up to degree " +
                                std::to_string(result.degree_counts.size() - 1) + " among " +
                                std::to_string(agents_per_run) + " agents");
  // Names are checked for every run, since any run may bring a variable first; all checks come
  // before anything is written, so a rejected run leaves the file as it was.
  const std::vector<std::string> reserved{std::string(layout::run_dimension), std::string(layout::step_dimension)};
  const auto check_names = [&](const auto& variables, const std::vector<Column>& columns, std::string_view group,
                               const std::vector<std::string>& reserved_names, std::string_view kind) {
    std::vector<std::string> names;
    for (const auto& v : variables) names.push_back(dataset_name(v.info.name));
    require_valid_names(names, reserved_names, path, group);
    for (std::size_t i = 0; i < names.size(); ++i)
      for (const Column& column : columns)
        if (column.name == names[i] && column.source != variables[i].info.name)
          throw OutputError(path, run + " records " + std::string(kind) + " variable '" + variables[i].info.name +
                                      "', which would share dataset " + detail::object_path(group, names[i]) +
                                      " with '" + column.source + "' of an earlier run");
  };
  check_names(result.series, series, layout::series_group, reserved, "series");
  check_names(result.summary, summary, layout::summary_group, reserved, "summary");
  check_names(result.references, references, layout::references_group, reserved, "reference");
  check_names(result.agents, agents, layout::agents_group,
              {std::string(layout::run_dimension), std::string(layout::step_dimension),
               std::string(layout::agent_dimension)},
              "agent");
}

// A variable gets its dataset from the first run that records it; rows of runs that never record
// it keep the fill value NaN. The executor delivers the first run of each variant first, in
// variant order, so the order of creation (the order readers list variables in) is fixed.
void Hdf5Sink::State::create_new_variables(const sim::RunResult& result) {
  const std::filesystem::path& path = partial_path;

  const std::array<hsize_t, 2> series_dims{runs, steps};
  const Storage series_storage{
      {1, std::min<hsize_t>(steps, max_chunk_bytes / sizeof(double))}, true, &not_a_number, H5T_NATIVE_DOUBLE};
  for (const sim::SeriesData& data : result.series) {
    const std::string name = dataset_name(data.info.name);
    if (find_column(series, name) != nullptr) continue;
    Id dataset = create_dataset(series_group.get(), layout::series_group, name, H5T_IEEE_F64LE, series_dims,
                                series_storage, path);
    describe_variable(dataset.get(), data.info.units, data.info.description, path);
    attach_scales(dataset.get(), series_group.get(), layout::series_group,
                  {layout::run_dimension, layout::step_dimension}, path);
    series.push_back({name, data.info.name, std::move(dataset)});
  }

  // One value per run: contiguous, since a chunk of one double would cost more than it holds.
  const std::array<hsize_t, 1> run_dims{runs};
  const Storage scalar_storage{{}, false, &not_a_number, H5T_NATIVE_DOUBLE};
  const auto create_scalars = [&](const std::vector<sim::ScalarData>& variables, const Id& group,
                                  std::string_view group_name, std::vector<Column>& columns) {
    for (const sim::ScalarData& data : variables) {
      const std::string name = dataset_name(data.info.name);
      if (find_column(columns, name) != nullptr) continue;
      Id dataset = create_dataset(group.get(), group_name, name, H5T_IEEE_F64LE, run_dims, scalar_storage, path);
      describe_variable(dataset.get(), data.info.units, data.info.description, path);
      attach_scales(dataset.get(), group.get(), group_name, {layout::run_dimension}, path);
      columns.push_back({name, data.info.name, std::move(dataset)});
    }
  };
  create_scalars(result.summary, summary_group, layout::summary_group, summary);
  create_scalars(result.references, references_group, layout::references_group, references);
}

void Hdf5Sink::State::create_agents(const sim::RunResult& result) {
  const std::filesystem::path& path = partial_path;
  agent_ids = result.agent_ids;
  agents_group = create_group(file.get(), layout::agents_group, path);
  const hid_t group = agents_group.get();
  create_coordinate(group, layout::agents_group, layout::run_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64, iota(runs),
                    "1", "run index", path);
  create_coordinate(group, layout::agents_group, layout::step_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64, iota(steps),
                    "1", "step", path);
  create_coordinate(group, layout::agents_group, layout::agent_dimension, H5T_STD_U64LE, H5T_NATIVE_UINT64, agent_ids,
                    "1", "agent id", path);
}

void Hdf5Sink::State::create_new_agent_variables(const sim::RunResult& result) {
  const std::filesystem::path& path = partial_path;
  const hid_t group = agents_group.get();
  const hsize_t agent_count = agent_ids.size();
  // One run per chunk as for series; halve steps, then agents, until the chunk fits 4 MiB.
  hsize_t chunk_steps = steps;
  hsize_t chunk_agents = agent_count;
  while (chunk_steps * chunk_agents * sizeof(double) > max_chunk_bytes) {
    if (chunk_steps > 1)
      chunk_steps = (chunk_steps + 1) / 2;
    else
      chunk_agents = (chunk_agents + 1) / 2;
  }
  const std::array<hsize_t, 3> dims{runs, steps, agent_count};
  const Storage storage{{1, chunk_steps, chunk_agents}, true, &not_a_number, H5T_NATIVE_DOUBLE};
  for (const sim::AgentData& data : result.agents) {
    const std::string name = dataset_name(data.info.name);
    if (find_column(agents, name) != nullptr) continue;
    Id dataset = create_dataset(group, layout::agents_group, name, H5T_IEEE_F64LE, dims, storage, path);
    describe_variable(dataset.get(), data.info.units, data.info.description, path);
    attach_scales(dataset.get(), group, layout::agents_group,
                  {layout::run_dimension, layout::step_dimension, layout::agent_dimension}, path);
    agents.push_back({name, data.info.name, std::move(dataset)});
  }
}

void Hdf5Sink::State::create_network() {
  const std::filesystem::path& path = partial_path;
  network_group = create_group(file.get(), layout::network_group, path);
  const hid_t group = network_group.get();
  create_coordinate(group, layout::network_group, layout::run_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64, iota(runs),
                    "1", "run index", path);
  create_coordinate(group, layout::network_group, layout::degree_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64,
                    iota(agents_per_run), "1", "number of neighbours", path);
  // Sized for the largest possible degree; chunks past a run's maximum degree are never
  // written and so never stored, and read back as the fill value zero.
  static constexpr double zero = 0.0;
  const std::array<hsize_t, 2> dims{runs, agents_per_run};
  const Storage storage{{1, std::min<hsize_t>(agents_per_run, hsize_t{1} << 14)}, true, &zero, H5T_NATIVE_DOUBLE};
  degree_count = create_dataset(group, layout::network_group, layout::degree_count_dataset, H5T_IEEE_F64LE, dims,
                                storage, path);
  describe_variable(degree_count.get(), "1", "number of agents with each number of neighbours in the run's social network",
                    path);
  attach_scales(degree_count.get(), group, layout::network_group, {layout::run_dimension, layout::degree_dimension},
                path);
}

void Hdf5Sink::consume(sim::RunResult&& result) {
  const detail::ErrorSilencer silence;
  State& s = *state_;
  if (s.phase != State::Phase::writing)
    throw OutputError(s.final_path,
                      s.phase == State::Phase::constructed ? "consume() before begin()" : "consume() after finish()");
  s.check_run(result);
  s.create_new_variables(result);
  if (!result.agents.empty()) {
    if (!s.agents_group) s.create_agents(result);
    s.create_new_agent_variables(result);
  }

  const std::filesystem::path& path = s.partial_path;
  const auto run = static_cast<hsize_t>(result.task.index);
  // Every variable of the run has its column by now: create_new_variables made the missing ones.
  const auto find = [](const std::vector<State::Column>& columns, const std::string& raw) -> hid_t {
    return State::find_column(columns, dataset_name(raw))->dataset.get();
  };
  for (const sim::SeriesData& series : result.series) {
    const std::array<hsize_t, 1> extent{series.values.size()};
    write_row(find(s.series, series.info.name), run, extent, series.values.data(), path,
              detail::object_path(layout::series_group, series.info.name));
  }
  const std::array<hsize_t, 0> scalar_extent{};
  for (const sim::ScalarData& scalar : result.summary)
    write_row(find(s.summary, scalar.info.name), run, scalar_extent, &scalar.value, path,
              detail::object_path(layout::summary_group, scalar.info.name));
  for (const sim::ScalarData& scalar : result.references)
    write_row(find(s.references, scalar.info.name), run, scalar_extent, &scalar.value, path,
              detail::object_path(layout::references_group, scalar.info.name));
  for (const sim::AgentData& data : result.agents) {
    const hsize_t agent_count = s.agent_ids.size();
    const std::array<hsize_t, 2> extent{data.values.size() / agent_count, agent_count};
    write_row(find(s.agents, data.info.name), run, extent, data.values.data(), path,
              detail::object_path(layout::agents_group, data.info.name));
  }

  if (!result.degree_counts.empty()) {
    if (!s.network_group) s.create_network();
    const std::vector<double> counts(result.degree_counts.begin(), result.degree_counts.end());
    const std::array<hsize_t, 1> extent{counts.size()};
    write_row(s.degree_count.get(), run, extent, counts.data(), path,
              detail::object_path(layout::network_group, layout::degree_count_dataset));
  }

  // The flag goes last and is flushed with the data: a set flag means the row is on disk.
  const std::int8_t yes = 1;
  const hsize_t one = 1;
  const Id file_space = select_row(s.completed.get(), run, {}, path, "dataset runs/completed");
  const Id memory_space = detail::dataspace(std::span(&one, 1), path);
  check_status(H5Dwrite(s.completed.get(), H5T_NATIVE_INT8, memory_space.get(), file_space.get(), H5P_DEFAULT, &yes),
               path, "cannot set the completion flag of run " + std::to_string(run));
  check_status(H5Fflush(s.file.get(), H5F_SCOPE_LOCAL), path, "cannot flush the results file");
  s.written[run] = true;
}

void Hdf5Sink::finish() {
  const detail::ErrorSilencer silence;
  State& s = *state_;
  if (s.phase == State::Phase::finished) return;
  if (s.phase == State::Phase::constructed) throw OutputError(s.final_path, "finish() before begin()");
  check_status(s.close(), s.partial_path, "cannot close the results file");
  s.phase = State::Phase::finished;

  std::error_code error;
  if (!s.overwrite && std::filesystem::exists(s.final_path, error))
    throw OutputError(s.final_path,
                      "appeared while the results were written; they are kept in " + s.partial_path.string());
  // rename() replaces the target atomically on POSIX: readers see the old file or the new one.
  std::filesystem::rename(s.partial_path, s.final_path, error);
  if (error)
    throw OutputError(s.final_path, "cannot rename " + s.partial_path.string() + " to it: " + error.message() +
                                        "; the results are kept there");
}

}  // namespace commons::output
