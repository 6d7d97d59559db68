// SPDX-License-Identifier: Apache-2.0
#include <commons/output/hdf5_sink.hpp>

#include <commons/output/layout.hpp>
#include <commons/output/output_error.hpp>
#include <commons/output/results_file.hpp>

#include "descriptor_driver.hpp"
#include "destination.hpp"
#include "hdf5_support.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <openssl/evp.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace commons::output {
namespace {

using detail::check_status;
using detail::Id;
using detail::make_id;
namespace fs = std::filesystem;

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
/// Bytes of the fixed-length `status` attribute: "complete" is the longest value.
constexpr std::size_t status_size = 8;
/// Runs consumed are committed at least this often while more keep coming.
constexpr auto commit_interval = std::chrono::seconds(1);
/// Datasets larger than this are filled with NaN in pieces that report progress, instead of by
/// HDF5 in one call that cannot be stopped.
constexpr hsize_t fill_piece_bytes = hsize_t{64} << 20;

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < length; ++i) {
    text += hex[digest[i] >> 4U];
    text += hex[digest[i] & 15U];
  }
  return text;
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
                         const fs::path& file, std::string_view group) {
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

/// The datasets of one group: the variables of every variant's layout, each once, in the
/// order of first appearance (variant 0 first), and which of them each variant records.
struct GroupPlan {
  std::string_view group;
  /// Dataset name, the variable as the layout names it, and its description.
  struct Column {
    std::string name;
    sim::VariableInfo info;
  };
  std::vector<Column> columns;
  /// For each variant, the column of each of its variables, in the layout's order.
  std::vector<std::vector<std::size_t>> of_variant;
};

GroupPlan plan_group(std::string_view group, const std::vector<sim::RunLayout>& layouts,
                     std::vector<sim::VariableInfo> sim::RunLayout::*variables, const std::vector<std::string>& reserved,
                     const fs::path& file) {
  GroupPlan plan{group, {}, {}};
  for (std::size_t v = 0; v < layouts.size(); ++v) {
    const std::vector<sim::VariableInfo>& infos = layouts[v].*variables;
    std::vector<std::string> names;
    for (const sim::VariableInfo& info : infos) names.push_back(dataset_name(info.name));
    require_valid_names(names, reserved, file, group);
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < infos.size(); ++i) {
      const auto found = std::find_if(plan.columns.begin(), plan.columns.end(),
                                      [&](const GroupPlan::Column& c) { return c.name == names[i]; });
      if (found == plan.columns.end()) {
        indices.push_back(plan.columns.size());
        plan.columns.push_back({names[i], infos[i]});
      } else if (found->info.name != infos[i].name) {
        throw OutputError(file, "variable '" + infos[i].name + "' would share dataset " +
                                    detail::object_path(group, names[i]) + " with '" + found->info.name + "'");
      } else {
        indices.push_back(static_cast<std::size_t>(found - plan.columns.begin()));
      }
    }
    plan.of_variant.push_back(std::move(indices));
  }
  return plan;
}

/// What begin() lays out for a plan, checked; shared with file_size().
struct FilePlan {
  hsize_t runs = 0;
  hsize_t steps = 0;
  GroupPlan series;
  GroupPlan summary;
  GroupPlan references;
  GroupPlan agents;
  std::vector<std::uint64_t> agent_ids;
  /// Agents are sampled every agent_interval steps: agent_steps samples per run, along the
  /// step coordinate of agents/, which lists them.
  hsize_t agent_interval = 1;
  hsize_t agent_steps = 0;
  GroupPlan sites;
  /// The sites along the site dimension (y and x for a grid) when sites are recorded.
  sim::SiteLayout site_layout;
  /// Sites are sampled every site_interval steps: site_steps samples per run, along the step
  /// coordinate of sites/, which lists them.
  hsize_t site_interval = 1;
  hsize_t site_steps = 0;
  /// Degrees 0..degree_width-1 are counted; 0 without a network in any variant.
  hsize_t degree_width = 0;
  /// A sweep's factors as runs/ records them; empty without a sweep.
  struct Factor {
    /// Dataset in runs/: the path with '/' as '.'; `variant_name` for the comparison's variants.
    std::string name;
    sim::FactorInfo info;
    /// Recorded as text: the labels of its levels.
    bool categorical = false;
    /// The variants of the comparison, which runs/variant and runs/variant_name record anyway.
    bool variant = false;
  };
  std::vector<Factor> factors;
  bool sweep = false;
  /// runs/policy is written when the sweep has more than one policy or any lever.
  bool with_policy = false;
  /// Columns of design/unit: the factors with role "parameter", which come first.
  std::size_t parameters = 0;
};

/// Names in runs/ besides the run coordinate: what every file or a comparison or a sweep has.
const std::vector<std::string>& runs_reserved() {
  static const std::vector<std::string> names{"run",     "replicate",    "seed",         "seed_text", "completed",
                                              "error",   "variant",      "variant_name", "design_point",
                                              "policy"};
  return names;
}

/// The sweep's factors and each run's values of them, checked against each other.
void plan_sweep(const sim::PlanInfo& plan, FilePlan& file, const fs::path& path) {
  if (!plan.sweep) {
    for (const sim::RunTask& task : plan.tasks)
      if (!task.factors.empty() || task.design_point != 0 || task.policy != 0)
        throw OutputError(path, "run " + std::to_string(task.index) +
                                    " has a design point, policy or factor values but the plan has no sweep");
    return;
  }
  const sim::SweepInfo& sweep = *plan.sweep;
  file.sweep = true;
  if (sweep.points < 1 || sweep.policies < 1 || sweep.replicates < 1)
    throw OutputError(path, "the sweep has " + std::to_string(sweep.points) + " design points, " +
                                std::to_string(sweep.policies) + " policies and " + std::to_string(sweep.replicates) +
                                " replicates; each must be at least 1");
  bool lever_seen = false;
  for (const sim::FactorInfo& factor : sweep.factors) {
    if (factor.role != "parameter" && factor.role != "lever")
      throw OutputError(path, "factor " + factor.path + " has the role '" + factor.role +
                                  "'; a factor is a \"parameter\" or a \"lever\"");
    // design/unit has a column per parameter, in the order of the factors.
    if (factor.role == "parameter" && lever_seen)
      throw OutputError(path, "factor " + factor.path + " is a parameter listed after a lever; parameters come first");
    lever_seen = lever_seen || factor.role == "lever";
    if (factor.role == "parameter") ++file.parameters;
    FilePlan::Factor column{dataset_name(factor.path), factor, !factor.labels.empty(), factor.path == "variant"};
    if (column.variant) {
      if (plan.variants.empty() || factor.labels != plan.variants)
        throw OutputError(path, "the sweep's factor variant must have the comparison's variant names as its labels");
      column.name = "variant_name";
    }
    file.factors.push_back(std::move(column));
  }
  file.with_policy = sweep.policies > 1 || lever_seen;
  if (sweep.unit.size() != static_cast<std::size_t>(sweep.points) * file.parameters)
    throw OutputError(path, "the sweep's unit coordinates hold " + std::to_string(sweep.unit.size()) + " values for " +
                                std::to_string(sweep.points) + " points x " + std::to_string(file.parameters) +
                                " parameters");
  std::vector<std::string> names;
  for (const FilePlan::Factor& factor : file.factors)
    if (!factor.variant) names.push_back(factor.name);
  require_valid_names(names, runs_reserved(), path, layout::runs_group);

  for (const sim::RunTask& task : plan.tasks) {
    const std::string run = "run " + std::to_string(task.index);
    if (task.design_point < 0 || task.design_point >= sweep.points)
      throw OutputError(path, run + " has design point " + std::to_string(task.design_point) +
                                  " but the sweep has points 0.." + std::to_string(sweep.points - 1));
    if (task.policy < 0 || task.policy >= sweep.policies)
      throw OutputError(path, run + " has policy " + std::to_string(task.policy) + " but the sweep has policies 0.." +
                                  std::to_string(sweep.policies - 1));
    if (task.factors.size() != file.factors.size())
      throw OutputError(path, run + " has " + std::to_string(task.factors.size()) + " factor values for the sweep's " +
                                  std::to_string(file.factors.size()) + " factors");
    for (std::size_t f = 0; f < file.factors.size(); ++f) {
      const FilePlan::Factor& factor = file.factors[f];
      const double value = task.factors[f];
      if (factor.categorical &&
          !(value >= 0 && value < static_cast<double>(factor.info.labels.size()) && value == std::floor(value)))
        throw OutputError(path, run + " has level " + std::to_string(value) + " of factor " + factor.info.path +
                                    ", which has levels 0.." + std::to_string(factor.info.labels.size() - 1));
      if (factor.variant && static_cast<std::int64_t>(value) != task.variant)
        throw OutputError(path, run + " has variant " + std::to_string(task.variant) + " but its factor variant says " +
                                    std::to_string(static_cast<std::int64_t>(value)));
    }
  }
}

FilePlan plan_file(const sim::PlanInfo& plan, const fs::path& path) {
  FilePlan file;
  if (plan.tasks.empty()) throw OutputError(path, "the plan has no runs");
  if (plan.steps < 1) throw OutputError(path, "the plan has no steps");
  file.runs = plan.tasks.size();
  file.steps = static_cast<hsize_t>(plan.steps);
  std::vector<bool> seen(file.runs, false);
  for (const sim::RunTask& task : plan.tasks) {
    if (task.index < 0 || static_cast<hsize_t>(task.index) >= file.runs || seen[static_cast<std::size_t>(task.index)])
      throw OutputError(path, "plan run indices must be 0.." + std::to_string(file.runs - 1) + ", each once; found " +
                                  std::to_string(task.index));
    seen[static_cast<std::size_t>(task.index)] = true;
    if (task.seed > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      throw OutputError(path, "seed " + std::to_string(task.seed) + " of run " + std::to_string(task.index) +
                                  " does not fit the int64 seed column");
  }
  for (std::size_t v = 0; v < plan.variants.size(); ++v) {
    const std::string& name = plan.variants[v];
    // flag_meanings lists the names separated by blanks, so a name must be one blank-free word.
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
    if (name.empty() || std::any_of(name.begin(), name.end(), blank))
      throw OutputError(path, "variant " + std::to_string(v) + " has the name '" + name +
                                  "', which cannot be a flag meaning (empty or with white space)");
    if (std::find(plan.variants.begin(), plan.variants.begin() + static_cast<std::ptrdiff_t>(v), name) !=
        plan.variants.begin() + static_cast<std::ptrdiff_t>(v))
      throw OutputError(path, "variant name '" + name + "' appears twice in the plan");
  }
  const auto variant_count = static_cast<std::int64_t>(plan.variants.size());
  for (const sim::RunTask& task : plan.tasks) {
    if (variant_count == 0 && task.variant != 0)
      throw OutputError(path, "run " + std::to_string(task.index) + " has variant " + std::to_string(task.variant) +
                                  " but the plan has no variants");
    if (variant_count > 0 && (task.variant < 0 || task.variant >= variant_count))
      throw OutputError(path, "run " + std::to_string(task.index) + " has variant " + std::to_string(task.variant) +
                                  " but the plan has variants 0.." + std::to_string(variant_count - 1));
  }
  if (plan.layouts.empty()) throw OutputError(path, "the plan describes no layout");
  const auto layout_count = static_cast<std::int64_t>(plan.layouts.size());
  for (const sim::RunTask& task : plan.tasks)
    if (task.layout < 0 || task.layout >= layout_count)
      throw OutputError(path, "run " + std::to_string(task.index) + " has layout " + std::to_string(task.layout) +
                                  " but the plan describes layouts 0.." + std::to_string(layout_count - 1));

  const std::vector<std::string> reserved{std::string(layout::run_dimension), std::string(layout::step_dimension)};
  file.series = plan_group(layout::series_group, plan.layouts, &sim::RunLayout::series, reserved, path);
  file.summary = plan_group(layout::summary_group, plan.layouts, &sim::RunLayout::summary, reserved, path);
  file.references = plan_group(layout::references_group, plan.layouts, &sim::RunLayout::references, reserved, path);
  file.agents = plan_group(layout::agents_group, plan.layouts, &sim::RunLayout::agent_variables,
                           {std::string(layout::run_dimension), std::string(layout::step_dimension),
                            std::string(layout::agent_dimension)},
                           path);
  for (const sim::RunLayout& layout : plan.layouts) {
    if (layout.agent_variables.empty()) continue;
    if (layout.agent_ids.empty()) throw OutputError(path, "a layout has agent variables but no agent ids");
    if (layout.agent_interval < 1) throw OutputError(path, "an agent interval must be at least one step");
    if (file.agent_ids.empty()) {
      file.agent_ids = layout.agent_ids;
      file.agent_interval = static_cast<hsize_t>(layout.agent_interval);
    }
    if (layout.agent_ids != file.agent_ids)
      throw OutputError(path, "variants record different agents; layout version 1 has one agent coordinate per file");
    if (static_cast<hsize_t>(layout.agent_interval) != file.agent_interval)
      throw OutputError(path, "variants record agents at different intervals; a file has one agent step coordinate");
  }
  if (!file.agent_ids.empty()) file.agent_steps = file.steps / file.agent_interval;
  file.sites = plan_group(layout::sites_group, plan.layouts, &sim::RunLayout::site_variables,
                          {std::string(layout::run_dimension), std::string(layout::step_dimension),
                           std::string(layout::site_dimension), std::string(layout::y_dimension),
                           std::string(layout::x_dimension), std::string(layout::edge_dimension), "edge_from",
                           "edge_to"},
                          path);
  bool sites_seen = false;
  for (const sim::RunLayout& layout : plan.layouts) {
    if (layout.site_variables.empty()) continue;
    if (!layout.sites.spatial() || layout.sites.count == 0)
      throw OutputError(path, "a layout has site variables but no sites");
    if (layout.site_interval < 1) throw OutputError(path, "a site interval must be at least one step");
    if (!sites_seen) {
      file.site_layout = layout.sites;
      file.site_interval = static_cast<hsize_t>(layout.site_interval);
    }
    sites_seen = true;
    if (layout.sites != file.site_layout)
      throw OutputError(path, "variants record different sites; a file has one site coordinate");
    if (static_cast<hsize_t>(layout.site_interval) != file.site_interval)
      throw OutputError(path, "variants record sites at different intervals; a file has one site step coordinate");
  }
  if (sites_seen) file.site_steps = file.steps / file.site_interval;
  for (const sim::RunLayout& layout : plan.layouts)
    if (layout.max_degree) file.degree_width = std::max<hsize_t>(file.degree_width, *layout.max_degree + 1);

  plan_sweep(plan, file, path);
  return file;
}

Id create_group(hid_t parent, std::string_view name, const fs::path& file) {
  const Id plist = detail::property_list(H5P_GROUP_CREATE, file);
  detail::set_object_defaults(plist.get(), file);
  check_status(H5Pset_link_creation_order(plist.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), file,
               "cannot track link creation order");
  const std::string text(name);
  return make_id(H5Gcreate2(parent, text.c_str(), H5P_DEFAULT, plist.get(), H5P_DEFAULT), H5Gclose, file,
                 "cannot create group " + text);
}

/// A dataset laid out once: contiguous, allocated when created, so that writing a run later
/// changes only its raw bytes, never the file's structure. `fill` (a double, an int8, or a
/// string for string datasets) is what rows not yet written read as.
struct Fill {
  const void* value = nullptr;
  hid_t type = H5I_INVALID_HID;
  /// Leave filling to the caller (large datasets, filled in pieces that can be stopped).
  bool deferred = false;
};

Id create_dataset(hid_t group, std::string_view group_name, std::string_view name, hid_t file_type,
                  std::span<const hsize_t> dims, const Fill& fill, const fs::path& file) {
  const Id plist = detail::property_list(H5P_DATASET_CREATE, file);
  detail::set_object_defaults(plist.get(), file);
  check_status(H5Pset_layout(plist.get(), H5D_CONTIGUOUS), file, "cannot make a dataset contiguous");
  check_status(H5Pset_alloc_time(plist.get(), H5D_ALLOC_TIME_EARLY), file, "cannot allocate a dataset early");
  if (fill.value != nullptr)
    check_status(H5Pset_fill_value(plist.get(), fill.type, fill.value), file, "cannot set a fill value");
  if (fill.deferred)
    check_status(H5Pset_fill_time(plist.get(), H5D_FILL_TIME_NEVER), file, "cannot defer filling");
  const Id space = detail::dataspace(dims, file);
  const std::string text(name);
  return make_id(H5Dcreate2(group, text.c_str(), file_type, space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT),
                 H5Dclose, file, "cannot create dataset " + detail::object_path(group_name, name));
}

void describe_variable(hid_t dataset, std::string_view units, std::string_view long_name, const fs::path& file) {
  if (!units.empty()) detail::write_string_attribute(dataset, "units", units, file);
  detail::write_string_attribute(dataset, "long_name", long_name, file);
}

/// Attaches the group's coordinate datasets named `dims` to the axes of `dataset`, in order.
void attach_scales(hid_t dataset, hid_t group, std::string_view group_name, const std::vector<std::string_view>& dims,
                   const fs::path& file) {
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
                       std::string_view long_name, const fs::path& file) {
  const std::array<hsize_t, 1> dims{values.size()};
  const Id dataset = create_dataset(group, group_name, name, file_type, dims, Fill{}, file);
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

/// The step coordinate of a group sampled every `interval` steps, at the end of each: steps
/// interval - 1, 2 interval - 1, ... (every step at interval 1, the same coordinate as the other
/// groups', so that readers can align them).
void create_sampled_steps(hid_t group, std::string_view group_name, hsize_t samples, hsize_t interval,
                          std::string_view sampled_what, const fs::path& file) {
  std::vector<std::int64_t> sampled(samples);
  for (hsize_t k = 0; k < samples; ++k) sampled[k] = static_cast<std::int64_t>((k + 1) * interval - 1);
  create_coordinate(group, group_name, layout::step_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64, sampled, "1",
                    interval == 1 ? "step" : "step at whose end " + std::string(sampled_what), file);
}

/// Selects `count` rows from `first` along axis 0 (extent `extent` on the other axes).
Id select_rows(hid_t dataset, hsize_t first, hsize_t count, std::span<const hsize_t> extent, const fs::path& file,
               const std::string& what) {
  Id space = make_id(H5Dget_space(dataset), H5Sclose, file, "cannot get the dataspace of " + what);
  std::vector<hsize_t> start(extent.size() + 1, 0);
  std::vector<hsize_t> counts(extent.size() + 1, 1);
  start[0] = first;
  counts[0] = count;
  std::copy(extent.begin(), extent.end(), counts.begin() + 1);
  check_status(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, counts.data(), nullptr), file,
               "cannot select run " + std::to_string(first) + " of " + what);
  return space;
}

void write_row(hid_t dataset, hsize_t run, std::span<const hsize_t> extent, const double* values, const fs::path& file,
               const std::string& what) {
  hsize_t total = 1;
  for (hsize_t e : extent) total *= e;
  if (total == 0) return;
  const Id file_space = select_rows(dataset, run, 1, extent, file, what);
  const Id memory_space = detail::dataspace(std::span(&total, 1), file);
  check_status(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), H5P_DEFAULT, values), file,
               "cannot write run " + std::to_string(run) + " of " + what);
}

/// Writes NaN into run `run` of a [run] or [run, step, ...] dataset from step `first` on, in
/// pieces of whole steps of at most `piece_bytes` (a row of agent or site data can be large),
/// calling `after_piece` after each.
void clear_row(hid_t dataset, hsize_t run, hsize_t first, const fs::path& file, const std::string& what,
               hsize_t piece_bytes = hsize_t{8} << 20, const std::function<void()>& after_piece = {}) {
  const Id space = make_id(H5Dget_space(dataset), H5Sclose, file, "cannot get the dataspace of " + what);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  check_status(rank < 1 ? -1 : 0, file, "cannot get the rank of " + what);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  check_status(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), file, "cannot get the shape of " + what);
  if (rank == 1) {
    const std::array<hsize_t, 0> scalar{};
    if (first == 0) write_row(dataset, run, scalar, &not_a_number, file, what);
    return;
  }
  hsize_t width = 1;
  for (std::size_t axis = 2; axis < dims.size(); ++axis) width *= dims[axis];
  if (width == 0) return;
  const hsize_t steps_per_piece = std::clamp<hsize_t>(piece_bytes / (width * sizeof(double)), 1, dims[1]);
  const std::vector<double> nans(steps_per_piece * width, not_a_number);
  for (hsize_t step = first; step < dims[1]; step += steps_per_piece) {
    const hsize_t count = std::min(steps_per_piece, dims[1] - step);
    const Id selection = make_id(H5Dget_space(dataset), H5Sclose, file, "cannot get the dataspace of " + what);
    std::vector<hsize_t> start(dims.size(), 0);
    std::vector<hsize_t> block(dims);
    start[0] = run;
    start[1] = step;
    block[0] = 1;
    block[1] = count;
    check_status(H5Sselect_hyperslab(selection.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(), nullptr),
                 file, "cannot select a part of " + what);
    const hsize_t values = count * width;
    const Id memory = detail::dataspace(std::span(&values, 1), file);
    check_status(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory.get(), selection.get(), H5P_DEFAULT, nans.data()), file,
                 "cannot clear run " + std::to_string(run) + " of " + what);
    if (after_piece) after_piece();
  }
}

std::uintmax_t megabytes(std::uintmax_t bytes) { return (bytes + (1U << 20) - 1) >> 20; }

/// Rows of one dataset of fixed width per run ([run], [run, step], [run, degree]) waiting for
/// the next commit, in the order their runs came. A sweep of runs that take a millisecond each
/// would otherwise pay a small write per run and dataset (the writer then caps the runs per
/// second, however many threads run them); staged, they reach the file as one write per stretch
/// of consecutive runs, and runs finishing on two threads come in two or three such stretches.
class StagedRows {
 public:
  /// `extent`: the dataset's shape after the run axis.
  explicit StagedRows(std::vector<hsize_t> extent) : extent_(std::move(extent)) {
    for (const hsize_t e : extent_) width_ *= e;
  }
  /// Room for run `run`'s row, NaN until the caller fills it: what a row not written reads as,
  /// so that a row shorter than the dataset (a run that ended early) ends as in a fresh file.
  std::span<double> add(hsize_t run) {
    runs_.push_back(run);
    values_.resize(values_.size() + width_, not_a_number);
    return {values_.data() + values_.size() - width_, width_};
  }
  [[nodiscard]] std::size_t bytes() const { return values_.size() * sizeof(double); }
  /// Writes the staged rows into `dataset` in increasing run order and forgets them.
  void write(hid_t dataset, const fs::path& file, std::string_view group, std::string_view name) {
    if (runs_.empty()) return;
    std::vector<std::size_t> order(runs_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return runs_[a] < runs_[b]; });
    sorted_.resize(values_.size());
    for (std::size_t k = 0; k < order.size(); ++k)
      std::copy_n(values_.begin() + static_cast<std::ptrdiff_t>(order[k] * width_), width_,
                  sorted_.begin() + static_cast<std::ptrdiff_t>(k * width_));
    for (std::size_t first = 0; first < order.size();) {
      std::size_t end = first + 1;
      while (end < order.size() && runs_[order[end]] == runs_[order[end - 1]] + 1) ++end;
      const hsize_t run = runs_[order[first]];
      const hsize_t count = end - first;
      const std::string what = detail::object_path(group, name);
      const Id file_space = select_rows(dataset, run, count, extent_, file, what);
      const hsize_t values = count * width_;
      const Id memory_space = detail::dataspace(std::span(&values, 1), file);
      check_status(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), H5P_DEFAULT,
                            sorted_.data() + first * width_),
                   file,
                   "cannot write runs " + std::to_string(run) + ".." + std::to_string(run + count - 1) + " of " + what);
      first = end;
    }
    runs_.clear();
    values_.clear();
  }

 private:
  std::vector<hsize_t> extent_;
  hsize_t width_ = 1;
  std::vector<hsize_t> runs_;
  std::vector<double> values_;
  /// The rows in run order, reused from commit to commit.
  std::vector<double> sorted_;
};

/// Staged rows beyond this are written before the next commit, so that a batch of runs with
/// long series cannot hold much memory.
constexpr std::size_t staged_bytes_limit = std::size_t{32} << 20;

}  // namespace

std::string utc_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  const std::size_t length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text.data(), length);
}

std::string hdf5_version() {
  unsigned major = 0;
  unsigned minor = 0;
  unsigned release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

struct Hdf5Sink::State {
  enum class Phase { constructed, writing, finished };
  enum class RunState : std::int8_t { pending, written, committed, failed };

  State(fs::path final_path, Provenance run_provenance, bool overwrite_allowed, std::vector<fs::path> inputs,
        bool resume_allowed)
      : provenance(std::move(run_provenance)),
        overwrite(overwrite_allowed),
        resume(resume_allowed),
        destination(std::move(final_path), overwrite_allowed, inputs) {}

  Provenance provenance;
  bool overwrite;
  /// Continue FILE.partial of an interrupted run of the same plan, if there is one.
  bool resume;
  /// This session continues a file an earlier one laid out: its rows of runs not flagged may
  /// hold what that session wrote before it was interrupted.
  bool resumed = false;
  /// Runs flagged complete when the file was resumed, by index.
  std::vector<std::int64_t> resumed_runs;
  detail::Destination destination;
  std::unique_ptr<detail::Scratch> scratch;
  Phase phase = Phase::constructed;
  Outcome outcome = Outcome::unfinished;

  FilePlan layout;
  std::vector<sim::RunLayout> layouts;
  std::vector<std::uint64_t> seeds;
  /// Which of the plan's layouts each run records.
  std::vector<std::int64_t> layout_of;
  std::vector<RunState> run_state;
  /// Per run, the per-agent values streamed to the file so far (consume_agents): a run's
  /// result must account for all of them, and a run that fails has them cleared.
  std::vector<hsize_t> agent_values_streamed;
  /// Runs written but not yet flagged, in the order they came.
  std::vector<std::int64_t> uncommitted;
  std::chrono::steady_clock::time_point last_commit;
  std::int64_t committed = 0;
  std::map<std::int64_t, std::string> failures;

  Id file;
  Id runs_group;
  Id series_group;
  Id summary_group;
  Id references_group;
  Id agents_group;
  Id sites_group;
  Id network_group;
  Id inputs_group;
  Id design_group;
  Id degree_count;
  Id completed;
  std::vector<Id> series;
  std::vector<Id> summary;
  std::vector<Id> references;
  std::vector<Id> agents;
  std::vector<Id> sites;
  /// Rows of series/, summary/, references/ and network/degree_count, by column, waiting for
  /// the next commit; per-agent and per-site rows, large already, go to the file as they come.
  std::vector<StagedRows> staged_series;
  std::vector<StagedRows> staged_summary;
  std::vector<StagedRows> staged_references;
  std::optional<StagedRows> staged_degrees;
  std::size_t staged_bytes = 0;

  [[nodiscard]] const fs::path& path() const { return destination.final_path(); }
  [[nodiscard]] const fs::path& partial() const { return destination.partial_path(); }

  /// Closes datasets and groups before the file so the file really closes now (HDF5 keeps a
  /// file open while any object in it is open). Returns the status of closing the file. When
  /// closing fails (a write failed), the file is abandoned and closed again, so that no HDF5
  /// file outlives its descriptor.
  herr_t close() noexcept {
    for (auto* columns : {&series, &summary, &references, &agents, &sites}) columns->clear();
    for (Id* id : {&completed, &degree_count, &design_group, &inputs_group, &network_group, &sites_group, &agents_group,
                   &references_group, &summary_group, &series_group, &runs_group})
      id->reset();
    if (!file) return 0;
    const hid_t id = file.release();
    const herr_t status = H5Fclose(id);
    if (status < 0 && H5Iis_valid(id) > 0) {
      if (scratch) detail::abandon(scratch->descriptor());
      H5Fclose(id);
      H5Eclear2(H5E_DEFAULT);
    }
    return status;
  }
  /// Gives up on the file after a failure: nothing more reaches the disk.
  void abandon() noexcept {
    if (scratch) detail::abandon(scratch->descriptor());
    close();
    H5Eclear2(H5E_DEFAULT);
  }

  void write_root(const sim::PlanInfo& plan, const std::string& fingerprint, const fs::path& where);
  void write_runs(const sim::PlanInfo& plan, const fs::path& where);
  void write_design(const sim::PlanInfo& plan, const fs::path& where);
  void open_partial(const sim::PlanInfo& plan, const std::string& fingerprint);
  void open_datasets(const fs::path& where);
  void clear_run(std::int64_t index);
  void write_inputs(const sim::PlanInfo& plan, const fs::path& where);
  void create_variables(const fs::path& where);
  void create_sites(const fs::path& where);
  /// Fills every run of a [run, step, ...] dataset with NaN in pieces of whole steps.
  void fill_rows(hid_t dataset, const std::string& what, const fs::path& where);
  void check_run(const sim::RunResult& result) const;
  void stage_columns();
  void write_staged();
  void commit();

  /// Told how laying out a large file goes, and asked whether to stop.
  sim::RunControl control;
  hsize_t fill_pieces_done = 0;
  hsize_t fill_pieces_total = 0;
};

Hdf5Sink::Hdf5Sink(fs::path final_path, Provenance provenance, bool overwrite, std::vector<fs::path> inputs,
                   bool resume)
    : state_(std::make_unique<State>(std::move(final_path), std::move(provenance), overwrite, std::move(inputs),
                                     resume)) {
  const State& s = *state_;
  // An interrupted run's results are results too: starting afresh would delete them. Resuming
  // continues them instead; begin() checks that they are this plan's.
  if (s.destination.stale_partial() && !overwrite && !resume) {
    std::string holds;
    try {
      const ResultsFile left = ResultsFile::open(s.partial());
      const std::vector<bool> flags = left.completed();
      holds = ", with " + std::to_string(std::count(flags.begin(), flags.end(), true)) + " of " +
              std::to_string(flags.size()) + " runs complete";
    } catch (const OutputError&) {
      holds = "";
    }
    throw OutputError(s.partial(), "exists, left by an interrupted run" + holds +
                                       "; continue it with commons sweep --resume (a sweep), delete it, or use --force to start over");
  }
}

Hdf5Sink::~Hdf5Sink() {
  // Unfinished (interrupted, or an error): make what was consumed durable, close, and keep
  // FILE.partial if it holds a completed run; never throw here.
  const detail::ErrorSilencer silence;
  State& s = *state_;
  if (s.phase != State::Phase::writing) return;
  try {
    s.commit();
    s.close();
  } catch (...) {
    // The runs already committed stay committed; what failed to reach the disk was not.
    s.abandon();
  }
  H5Eclear2(H5E_DEFAULT);
  if (s.committed == 0) s.destination.discard();
}

const fs::path& Hdf5Sink::path() const noexcept { return state_->path(); }
const fs::path& Hdf5Sink::partial_path() const noexcept { return state_->partial(); }
void Hdf5Sink::watch(const sim::RunControl& control) { state_->control = control; }
Hdf5Sink::Outcome Hdf5Sink::outcome() const noexcept { return state_->outcome; }
std::int64_t Hdf5Sink::committed_runs() const noexcept { return state_->committed; }
std::vector<std::int64_t> Hdf5Sink::resumed_runs() const { return state_->resumed_runs; }

std::uintmax_t Hdf5Sink::file_size(const sim::PlanInfo& plan) {
  const FilePlan file = plan_file(plan, "");
  const std::uintmax_t runs = file.runs;
  const std::uintmax_t steps = file.steps;
  std::uintmax_t bytes = 8 * runs * steps * file.series.columns.size();
  bytes += 8 * runs * (file.summary.columns.size() + file.references.columns.size());
  bytes += 8 * runs * file.agent_steps * file.agent_ids.size() * file.agents.columns.size() + 8 * file.agent_ids.size();
  bytes += 8 * runs * file.site_steps * file.site_layout.count * file.sites.columns.size() + 8 * file.site_layout.count;
  bytes += 8 * runs * file.degree_width;
  // runs/: replicate, seed, seed text, completed, error, variant; coordinates.
  bytes += runs * 64 + 8 * steps * 4;
  // A sweep's runs/design_point, runs/policy and factors, and design/. A string in a dataset is
  // a 16-byte reference to a global heap object of 16 bytes plus its text rounded up to 8.
  std::size_t factor_datasets = 0;
  if (file.sweep) {
    bytes += 16 * runs;
    for (const FilePlan::Factor& factor : file.factors) {
      if (factor.variant) continue;
      ++factor_datasets;
      std::uintmax_t longest = 0;
      for (const std::string& label : factor.info.labels) longest = std::max<std::uintmax_t>(longest, label.size());
      bytes += factor.categorical ? runs * (32 + (longest + 7) / 8 * 8) : 8 * runs;
    }
    const auto points = static_cast<std::uintmax_t>(plan.sweep->points);
    bytes += 8 * points * (1 + file.parameters) + 64 * file.parameters;
  }
  bytes += plan.scenario_text.size();
  for (const sim::Attachment& attachment : plan.attachments) bytes += attachment.bytes.size() + 1024;
  // Object headers, attributes and dimension-scale references: a few KiB per dataset.
  const std::size_t datasets = file.series.columns.size() + file.summary.columns.size() +
                               file.references.columns.size() + file.agents.columns.size() + file.sites.columns.size() +
                               factor_datasets + 28;
  bytes += datasets * 4096 + (std::uintmax_t{64} << 10);
  return bytes;
}

void Hdf5Sink::begin(const sim::PlanInfo& plan) {
  const detail::ErrorSilencer silence;
  State& s = *state_;
  const fs::path& path = s.path();
  if (s.phase != State::Phase::constructed) throw OutputError(path, "begin() called twice");

  // Everything that can be checked is checked before a file exists.
  s.layout = plan_file(plan, path);
  s.layouts = plan.layouts;
  const FilePlan& f = s.layout;
  s.seeds.assign(f.runs, 0);
  s.layout_of.assign(f.runs, 0);
  for (const sim::RunTask& task : plan.tasks) {
    s.seeds[static_cast<std::size_t>(task.index)] = task.seed;
    s.layout_of[static_cast<std::size_t>(task.index)] = task.layout;
  }
  s.run_state.assign(f.runs, State::RunState::pending);
  s.agent_values_streamed.assign(f.runs, 0);
  s.stage_columns();
  const std::string fingerprint = plan_fingerprint(plan);

  if (s.resume) {
    if (std::unique_ptr<detail::Scratch> left = s.destination.resume_partial()) {
      s.scratch = std::move(left);
      try {
        s.open_partial(plan, fingerprint);
      } catch (...) {
        // Nothing of the file was changed but the superblock's write flag, which closing clears.
        s.close();
        H5Eclear2(H5E_DEFAULT);
        s.scratch.reset();
        throw;
      }
      s.phase = State::Phase::writing;
      s.last_commit = std::chrono::steady_clock::now();
      return;
    }
    // No FILE.partial: nothing to resume, so a fresh start.
  }

  const std::uintmax_t needed = file_size(plan);
  if (const std::uintmax_t free = s.destination.free_bytes(); needed > free)
    throw OutputError(path, "the results need about " + std::to_string(megabytes(needed)) + " MB but only " +
                                std::to_string(megabytes(free)) + " MB are free on the file system of " +
                                s.destination.directory().string());

  // Built where nobody sees it; it becomes FILE.partial only when complete.
  s.scratch = std::make_unique<detail::Scratch>(s.destination.directory(), path);
  {
    // The root group tracks no creation order, so that its object header stays of version 1,
    // which has no checksum: rewriting the status attribute in place then changes its own bytes
    // and nothing else, and even a write torn by kill -9 cannot leave the header unreadable.
    const Id fcpl = detail::property_list(H5P_FILE_CREATE, path);
    check_status(H5Pset_obj_track_times(fcpl.get(), 0), path, "cannot turn off object timestamps");
    const Id fapl = detail::descriptor_access(s.scratch->descriptor(), path);
    s.file = make_id(H5Fcreate(s.partial().c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()), H5Fclose, path,
                     "cannot create the results file");
  }
  try {
    // Resuming relies on it (open_partial()): HDF5 reopens a superblock of version 0 for writing
    // whatever its write flag says, and a killed writer leaves that flag set.
    H5F_info2_t info{};
    check_status(H5Fget_info2(s.file.get(), &info), path, "cannot read the results file's superblock");
    if (info.super.version != 0)
      throw OutputError(path, "HDF5 made a superblock of version " + std::to_string(info.super.version) +
                                  "; Commons writes version 0");
    s.write_root(plan, fingerprint, path);
    s.write_runs(plan, path);
    s.write_design(plan, path);
    s.write_inputs(plan, path);
    s.create_variables(path);
    // Twice: the first flush writes everything, the second returns the space HDF5 keeps in
    // reserve for more metadata and shrinks the file to fit. From here on no flush changes the
    // file's size or structure.
    for (int flush = 0; flush < 2; ++flush)
      check_status(H5Fflush(s.file.get(), H5F_SCOPE_LOCAL), path, "cannot flush the results file");
    s.scratch->sync();
    s.destination.claim(*s.scratch);
  } catch (...) {
    s.abandon();
    s.scratch.reset();
    throw;
  }
  s.phase = State::Phase::writing;
  s.last_commit = std::chrono::steady_clock::now();
}

namespace {

/// Number of elements of dataset `name`, or -1 if there is none.
hssize_t element_count(hid_t file, const char* name) {
  if (H5Lexists(file, name, H5P_DEFAULT) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return -1;
  }
  const hid_t dataset = H5Dopen2(file, name, H5P_DEFAULT);
  if (dataset < 0) return -1;
  const hid_t space = H5Dget_space(dataset);
  const hssize_t count = space < 0 ? -1 : H5Sget_simple_extent_npoints(space);
  if (space >= 0) H5Sclose(space);
  H5Dclose(dataset);
  H5Eclear2(H5E_DEFAULT);
  return count;
}

/// The scalar string dataset `name` (the scenario), or nullopt if it cannot be read.
std::optional<std::string> read_scalar_string(hid_t file, const char* name, const fs::path& where) {
  if (element_count(file, name) != 1) return std::nullopt;
  const Id dataset = make_id(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose, where, std::string("cannot open ") + name);
  const Id type = detail::utf8_string_type(where);
  char* text = nullptr;
  if (H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text) < 0) {
    H5Eclear2(H5E_DEFAULT);
    return std::nullopt;
  }
  std::string value = text != nullptr ? text : "";
  H5free_memory(text);
  return value;
}

}  // namespace

// A file is resumed only by the plan it was laid out for, and only after it has been read
// without being changed: a file that is not this plan's is left exactly as it was. Then it is
// opened for writing, which changes nothing but the superblock's write flag and, in place, the
// number of sessions.
void Hdf5Sink::State::open_partial(const sim::PlanInfo& plan, const std::string& fingerprint) {
  const fs::path& where = partial();
  const std::string advice = "; delete it, or run without --resume (and with --force to start over)";
  const int descriptor = scratch->descriptor();
  if (!detail::read_superblock(descriptor))
    throw OutputError(where, "cannot be resumed: it is not an HDF5 file" + advice);
  std::vector<std::int8_t> flags(layout.runs, 0);
  {
    const Id access = detail::descriptor_access(descriptor, where);
    const hid_t opened = H5Fopen(where.c_str(), H5F_ACC_RDONLY, access.get());
    if (opened < 0)
      throw OutputError(where, "cannot be resumed: HDF5 cannot open it (" + detail::take_error_stack() + ")" + advice);
    const Id stored(opened, H5Fclose);
    const hid_t root = stored.get();
    if (detail::read_string_attribute(root, "format", where).value_or("") != layout::format_name)
      throw OutputError(where, "cannot be resumed: it is not a Commons results file" + advice);
    const long long version = detail::read_integer_attribute(root, "format_version", where).value_or(0);
    if (version != layout::format_version)
      throw OutputError(where, "cannot be resumed: it has results layout version " + std::to_string(version) +
                                   ", this program writes version " + std::to_string(layout::format_version) + advice);
    // "complete" too: a process killed between finishing the file and renaming it leaves that.
    const std::string status = detail::read_string_attribute(root, "status", where).value_or("");
    if (status != "partial" && status != "complete")
      throw OutputError(where, "cannot be resumed: its status is '" + status + "'" + advice);
    const std::optional<std::string> stored_fingerprint = detail::read_string_attribute(root, "plan_sha256", where);
    if (!stored_fingerprint)
      throw OutputError(where, "cannot be resumed: it was written by a version of Commons that did not record its "
                               "plan, so nothing shows it holds this plan's runs" + advice);
    if (*stored_fingerprint != fingerprint) {
      // Say what differs where that is cheap to tell; the fingerprint covers more than this.
      const std::string name = detail::read_string_attribute(root, "scenario_name", where).value_or("");
      std::string differences = "scenario '" + name + "' there, '" + plan.scenario_name + "' now";
      const hssize_t runs = element_count(root, "runs/run");
      if (runs >= 0 && static_cast<hsize_t>(runs) != layout.runs)
        differences += "; " + std::to_string(runs) + " runs there, " + std::to_string(layout.runs) + " now";
      const hssize_t steps = element_count(root, "series/step");
      if (steps >= 0 && static_cast<hsize_t>(steps) != layout.steps)
        differences += "; " + std::to_string(steps) + " steps there, " + std::to_string(layout.steps) + " now";
      const std::string scenario(layout::scenario_dataset);
      const std::optional<std::string> text = read_scalar_string(root, scenario.c_str(), where);
      if (text && *text != plan.scenario_text) differences += "; the scenario text differs";
      else if (text) differences += "; the runs' seeds, design or recorded variables differ";
      throw OutputError(where, "holds the runs of another plan (" + differences + ")" + advice);
    }
    const Id completed_flags = make_id(H5Dopen2(root, "runs/completed", H5P_DEFAULT), H5Dclose, where,
                                       "cannot open dataset runs/completed");
    if (element_count(root, "runs/completed") != static_cast<hssize_t>(layout.runs))
      throw OutputError(where, "cannot be resumed: runs/completed does not have one flag per run" + advice);
    check_status(H5Dread(completed_flags.get(), H5T_NATIVE_INT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, flags.data()), where,
                 "cannot read dataset runs/completed");
  }

  file = detail::open_for_writing(descriptor, where);
  open_datasets(where);
  for (hsize_t run = 0; run < layout.runs; ++run) {
    if (flags[run] == 0) continue;
    run_state[run] = RunState::committed;
    resumed_runs.push_back(static_cast<std::int64_t>(run));
  }
  committed = static_cast<std::int64_t>(resumed_runs.size());
  const long long sessions = detail::read_integer_attribute(file.get(), "sessions", where).value_or(1);
  detail::write_int64_attribute(file.get(), "sessions", sessions + 1, where);
  check_status(H5Fflush(file.get(), H5F_SCOPE_LOCAL), where, "cannot flush the results file");
  scratch->sync();
  resumed = true;
}

// The datasets begin() would have created, opened by name in a file an earlier session laid out.
void Hdf5Sink::State::open_datasets(const fs::path& where) {
  const auto open_group = [&](Id& group, std::string_view name) {
    const std::string text(name);
    group = make_id(H5Gopen2(file.get(), text.c_str(), H5P_DEFAULT), H5Gclose, where, "cannot open group " + text);
  };
  const auto open_dataset = [&](const Id& group, std::string_view group_name, std::string_view name) {
    const std::string text(name);
    return make_id(H5Dopen2(group.get(), text.c_str(), H5P_DEFAULT), H5Dclose, where,
                   "cannot open dataset " + detail::object_path(group_name, name));
  };
  const auto open_columns = [&](const Id& group, const GroupPlan& plan, std::vector<Id>& out) {
    for (const GroupPlan::Column& column : plan.columns) out.push_back(open_dataset(group, plan.group, column.name));
  };
  open_group(runs_group, layout::runs_group);
  completed = open_dataset(runs_group, layout::runs_group, "completed");
  open_group(series_group, layout::series_group);
  open_columns(series_group, layout.series, series);
  open_group(summary_group, layout::summary_group);
  open_columns(summary_group, layout.summary, summary);
  open_group(references_group, layout::references_group);
  open_columns(references_group, layout.references, references);
  if (!layout.agents.columns.empty()) {
    open_group(agents_group, layout::agents_group);
    open_columns(agents_group, layout.agents, agents);
  }
  if (!layout.sites.columns.empty()) {
    open_group(sites_group, layout::sites_group);
    open_columns(sites_group, layout.sites, sites);
  }
  if (layout.degree_width > 0) {
    open_group(network_group, layout::network_group);
    degree_count = open_dataset(network_group, layout::network_group, layout::degree_count_dataset);
  }
}

void Hdf5Sink::State::write_root(const sim::PlanInfo& plan, const std::string& fingerprint, const fs::path& where) {
  const hid_t root = file.get();
  detail::write_string_attribute(root, "format", layout::format_name, where);
  detail::write_int_attribute(root, "format_version", layout::format_version, where);
  detail::write_fixed_string_attribute(root, "status", "partial", status_size, where);
  // Which plan the file was laid out for: only that plan may resume it.
  detail::write_string_attribute(root, "plan_sha256", fingerprint, where);
  // Sessions that wrote runs into the file: one now, one more each time it is resumed. An int64
  // has a fixed size, so like the status it is rewritten in place.
  detail::write_int64_attribute(root, "sessions", 1, where);
  detail::write_string_attribute(root, "program_version", provenance.program_version, where);
  detail::write_string_attribute(root, "git_commit", provenance.git_commit, where);
  detail::write_string_attribute(root, "source_tree", provenance.source_tree, where);
  detail::write_string_attribute(root, "command_line", provenance.command_line, where);
  detail::write_string_attribute(root, "creation_time", utc_timestamp(), where);
  detail::write_string_attribute(root, "scenario_name", plan.scenario_name, where);
  detail::write_string_attribute(root, "host", provenance.host, where);
  detail::write_int_attribute(root, "threads", provenance.threads, where);
  std::string libraries = "HDF5 " + hdf5_version();
  if (!provenance.libraries.empty()) libraries += "; " + provenance.libraries;
  detail::write_string_attribute(root, "libraries", libraries, where);

  // A dataset rather than an attribute: scenario text may exceed the 64 KiB attribute limit.
  const Id type = detail::utf8_string_type(where);
  const Id space = detail::scalar_dataspace(where);
  const Id plist = detail::property_list(H5P_DATASET_CREATE, where);
  detail::set_object_defaults(plist.get(), where);
  const std::string name(layout::scenario_dataset);
  const Id scenario =
      make_id(H5Dcreate2(root, name.c_str(), type.get(), space.get(), H5P_DEFAULT, plist.get(), H5P_DEFAULT), H5Dclose,
              where, "cannot create dataset " + name);
  const char* text = plan.scenario_text.c_str();
  const Id transfer = detail::string_transfer(1, where);
  check_status(H5Dwrite(scenario.get(), type.get(), H5S_ALL, H5S_ALL, transfer.get(), &text), where,
               "cannot write dataset " + name);
  detail::write_string_attribute(scenario.get(), "format", "json", where);
  detail::write_string_attribute(scenario.get(), "long_name", "resolved scenario", where);
}

void Hdf5Sink::State::write_runs(const sim::PlanInfo& plan, const fs::path& where) {
  const std::string_view group_name = layout::runs_group;
  const hsize_t runs = layout.runs;

  std::vector<std::int64_t> replicates(runs, 0);
  std::vector<std::int64_t> seed_values(runs, 0);
  std::vector<std::string> seed_texts(runs);
  for (const sim::RunTask& task : plan.tasks) {
    const auto run = static_cast<std::size_t>(task.index);
    replicates[run] = task.replicate;
    seed_values[run] = static_cast<std::int64_t>(task.seed);
    seed_texts[run] = std::to_string(task.seed);
  }

  runs_group = create_group(file.get(), group_name, where);
  const hid_t group = runs_group.get();
  create_coordinate(group, group_name, layout::run_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64, iota(runs), "1",
                    "run index", where);
  const std::array<hsize_t, 1> dims{runs};

  const auto write_column = [&](std::string_view name, hid_t file_type, hid_t memory_type, const void* data,
                                const Fill& fill, std::string_view units, std::string_view long_name) {
    Id dataset = create_dataset(group, group_name, name, file_type, dims, fill, where);
    check_status(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), where,
                 "cannot write dataset " + detail::object_path(group_name, name));
    describe_variable(dataset.get(), units, long_name, where);
    attach_scales(dataset.get(), group, group_name, {layout::run_dimension}, where);
    return dataset;
  };
  const auto write_strings = [&](std::string_view name, const std::vector<std::string>& values,
                                 std::string_view long_name) {
    const Id type = detail::utf8_string_type(where);
    Id dataset = create_dataset(group, group_name, name, type.get(), dims, Fill{}, where);
    detail::write_strings(dataset.get(), H5S_ALL, H5S_ALL, values, where,
                          "dataset " + detail::object_path(group_name, name));
    describe_variable(dataset.get(), "", long_name, where);
    attach_scales(dataset.get(), group, group_name, {layout::run_dimension}, where);
    return dataset;
  };
  // What a factor's variable says of it, so that a reader finds the factors from runs/ alone.
  const auto describe_factor = [&](hid_t dataset, const FilePlan::Factor& factor) {
    detail::write_string_attribute(dataset, "role", factor.info.role, where);
    detail::write_string_attribute(dataset, "description", factor.info.description, where);
    detail::write_string_attribute(dataset, "parameter_path", factor.info.path, where);
    if (factor.categorical) detail::write_string_array_attribute(dataset, "levels", factor.info.labels, where);
  };
  write_column("replicate", H5T_STD_I64LE, H5T_NATIVE_INT64, replicates.data(), Fill{}, "1", "replicate");
  write_column("seed", H5T_STD_I64LE, H5T_NATIVE_INT64, seed_values.data(), Fill{}, "1", "random seed");
  // Decimal text as well, because some readers (R) round integers above 2^53.
  write_strings("seed_text", seed_texts, "random seed, exact decimal text");
  {
    // int8 with CF flags, not an HDF5 enum or bool: netCDF drops those silently.
    static constexpr std::int8_t no = 0;
    static constexpr std::array<std::int8_t, 2> flag_values{0, 1};
    const std::vector<std::int8_t> zeros(runs, 0);
    completed = write_column("completed", H5T_STD_I8LE, H5T_NATIVE_INT8, zeros.data(), Fill{&no, H5T_NATIVE_INT8},
                             "", "run written completely (0 while missing or failed)");
    detail::write_int8_array_attribute(completed.get(), "flag_values", flag_values, where);
    detail::write_string_attribute(completed.get(), "flag_meanings", "no yes", where);
  }
  write_strings("error", std::vector<std::string>(runs), "why the run failed; empty for a run that did not fail");
  if (!plan.variants.empty()) {
    // int64 with CF flags (flag_values has the variable's type, as CF requires); the names
    // again per run as text, for readers that ignore flag attributes.
    std::vector<std::int64_t> indices(runs, 0);
    std::vector<std::string> names(runs);
    for (const sim::RunTask& task : plan.tasks) {
      indices[static_cast<std::size_t>(task.index)] = task.variant;
      names[static_cast<std::size_t>(task.index)] = plan.variants[static_cast<std::size_t>(task.variant)];
    }
    const Id variant = write_column("variant", H5T_STD_I64LE, H5T_NATIVE_INT64, indices.data(), Fill{}, "",
                                    "variant of the comparison");
    const std::vector<std::int64_t> flag_values = iota(plan.variants.size());
    detail::write_int64_array_attribute(variant.get(), "flag_values", flag_values, where);
    std::string meanings;
    for (const std::string& name : plan.variants) meanings += (meanings.empty() ? "" : " ") + name;
    detail::write_string_attribute(variant.get(), "flag_meanings", meanings, where);
    const Id variant_name = write_strings("variant_name", names, "name of the variant of the comparison");
    // A sweep over the variants records them here rather than in a second copy.
    for (const FilePlan::Factor& factor : layout.factors)
      if (factor.variant) describe_factor(variant_name.get(), factor);
  }
  if (!layout.sweep) return;

  std::vector<std::int64_t> points(runs, 0);
  std::vector<std::int64_t> policies(runs, 0);
  for (const sim::RunTask& task : plan.tasks) {
    points[static_cast<std::size_t>(task.index)] = task.design_point;
    policies[static_cast<std::size_t>(task.index)] = task.policy;
  }
  write_column("design_point", H5T_STD_I64LE, H5T_NATIVE_INT64, points.data(), Fill{}, "",
               "design point of the sweep (design/design_point)");
  if (layout.with_policy)
    write_column("policy", H5T_STD_I64LE, H5T_NATIVE_INT64, policies.data(), Fill{}, "",
                 "policy of the sweep: a combination of its levers' levels");
  for (std::size_t f = 0; f < layout.factors.size(); ++f) {
    const FilePlan::Factor& factor = layout.factors[f];
    if (factor.variant) continue;
    const std::string long_name =
        (factor.info.role == "lever" ? "policy lever " : "swept parameter ") + factor.info.path;
    // Text for a categorical factor, so that groupby over it yields its labels.
    if (factor.categorical) {
      std::vector<std::string> labels(runs);
      for (const sim::RunTask& task : plan.tasks)
        labels[static_cast<std::size_t>(task.index)] = factor.info.labels[static_cast<std::size_t>(task.factors[f])];
      const Id dataset = write_strings(factor.name, labels, long_name);
      describe_factor(dataset.get(), factor);
    } else {
      std::vector<double> values(runs, not_a_number);
      for (const sim::RunTask& task : plan.tasks) values[static_cast<std::size_t>(task.index)] = task.factors[f];
      const Id dataset = write_column(factor.name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values.data(),
                                      Fill{&not_a_number, H5T_NATIVE_DOUBLE}, "", long_name);
      describe_factor(dataset.get(), factor);
    }
  }
}

// design/: the design as sensitivity analysis needs it, from the file alone.
void Hdf5Sink::State::write_design(const sim::PlanInfo& plan, const fs::path& where) {
  if (!plan.sweep) return;
  const sim::SweepInfo& sweep = *plan.sweep;
  const std::string_view group_name = layout::design_group;
  design_group = create_group(file.get(), group_name, where);
  const hid_t group = design_group.get();
  detail::write_string_attribute(group, "design", sweep.design, where);
  detail::write_int64_attribute(group, "points", sweep.points, where);
  detail::write_int64_attribute(group, "policies", sweep.policies, where);
  detail::write_int64_attribute(group, "replicates", sweep.replicates, where);
  detail::write_int64_attribute(group, "samples", sweep.samples, where);
  detail::write_int64_attribute(group, "grid_levels", sweep.grid_levels, where);
  detail::write_int64_attribute(group, "group_size", sweep.group_size, where);
  std::vector<std::string> parameters;
  std::vector<std::string> levers;
  for (const FilePlan::Factor& factor : layout.factors)
    (factor.info.role == "parameter" ? parameters : levers).push_back(factor.info.path);
  // Paths of the levers as an attribute: they have no column in unit, so no coordinate. netCDF
  // has no empty attributes to speak of, so none without levers.
  if (!levers.empty()) detail::write_string_array_attribute(group, "levers", levers, where);

  create_coordinate(group, group_name, layout::design_point_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64,
                    iota(static_cast<hsize_t>(sweep.points)), "1", "design point", where);
  if (parameters.empty()) return;
  {
    // A string coordinate: xarray then selects a column by path, unit.sel(parameter="...").
    const Id type = detail::utf8_string_type(where);
    const std::array<hsize_t, 1> dims{parameters.size()};
    const std::string what = "coordinate " + detail::object_path(group_name, layout::parameter_dimension);
    const Id dataset = create_dataset(group, group_name, layout::parameter_dimension, type.get(), dims, Fill{}, where);
    detail::write_strings(dataset.get(), H5S_ALL, H5S_ALL, parameters, where, what);
    const std::string name(layout::parameter_dimension);
    check_status(H5DSset_scale(dataset.get(), name.c_str()), where, "cannot make " + what + " a dimension scale");
    describe_variable(dataset.get(), "", "path of the parameter in the scenario", where);
  }
  const std::array<hsize_t, 2> dims{static_cast<hsize_t>(sweep.points), parameters.size()};
  const Id unit = create_dataset(group, group_name, "unit", H5T_IEEE_F64LE, dims,
                                 Fill{&not_a_number, H5T_NATIVE_DOUBLE}, where);
  check_status(H5Dwrite(unit.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, sweep.unit.data()), where,
               "cannot write dataset design/unit");
  describe_variable(unit.get(), "1",
                    "coordinates of the design points in the unit hypercube (NaN for a list of points)", where);
  attach_scales(unit.get(), group, group_name, {layout::design_point_dimension, layout::parameter_dimension}, where);
}

void Hdf5Sink::State::write_inputs(const sim::PlanInfo& plan, const fs::path& where) {
  // Always present, so every file offers the same groups; empty when the scenario names no file.
  inputs_group = create_group(file.get(), layout::inputs_group, where);
  const Id type = detail::utf8_string_type(where);
  const Id space = detail::scalar_dataspace(where);
  for (const sim::Attachment& attachment : plan.attachments) {
    const std::string name = dataset_name(attachment.pointer);
    const Id plist = detail::property_list(H5P_DATASET_CREATE, where);
    detail::set_object_defaults(plist.get(), where);
    const Id dataset = make_id(H5Dcreate2(inputs_group.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                          plist.get(), H5P_DEFAULT),
                               H5Dclose, where, "cannot create dataset " + detail::object_path("inputs", name));
    // The loader accepts only UTF-8 text without NUL bytes, so the string holds the file exactly.
    const char* text = attachment.bytes.c_str();
    const Id transfer = detail::string_transfer(1, where);
    check_status(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, transfer.get(), &text), where,
                 "cannot write dataset " + detail::object_path("inputs", name));
    detail::write_string_attribute(dataset.get(), "long_name", "file named by " + attachment.pointer, where);
    detail::write_string_attribute(dataset.get(), "path", attachment.path, where);
    detail::write_string_attribute(dataset.get(), "sha256", sha256_hex(attachment.bytes), where);
    detail::write_string_attribute(dataset.get(), "scenario_pointer", attachment.pointer, where);
  }
}

void Hdf5Sink::State::create_variables(const fs::path& where) {
  const hsize_t runs = layout.runs;
  const hsize_t steps = layout.steps;
  const std::vector<std::int64_t> run_values = iota(runs);
  const std::vector<std::int64_t> step_values = iota(steps);
  const Fill nan_fill{&not_a_number, H5T_NATIVE_DOUBLE};

  // The groups always exist, so every file offers the same groups to open.
  const auto make_group = [&](Id& group, std::string_view name, bool with_steps) {
    group = create_group(file.get(), name, where);
    create_coordinate(group.get(), name, layout::run_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64, run_values, "1",
                      "run index", where);
    if (with_steps)
      create_coordinate(group.get(), name, layout::step_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64, step_values, "1",
                        "step", where);
  };
  const auto make_columns = [&](const GroupPlan& plan, const Id& group, std::span<const hsize_t> dims,
                                const std::vector<std::string_view>& scales, std::vector<Id>& out) {
    for (const GroupPlan::Column& column : plan.columns) {
      Id dataset = create_dataset(group.get(), plan.group, column.name, H5T_IEEE_F64LE, dims, nan_fill, where);
      describe_variable(dataset.get(), column.info.units, column.info.description, where);
      attach_scales(dataset.get(), group.get(), plan.group, scales, where);
      out.push_back(std::move(dataset));
    }
  };
  make_group(series_group, layout::series_group, true);
  const std::array<hsize_t, 2> series_dims{runs, steps};
  make_columns(layout.series, series_group, series_dims, {layout::run_dimension, layout::step_dimension}, series);
  const std::array<hsize_t, 1> run_dims{runs};
  make_group(summary_group, layout::summary_group, false);
  make_columns(layout.summary, summary_group, run_dims, {layout::run_dimension}, summary);
  make_group(references_group, layout::references_group, false);
  make_columns(layout.references, references_group, run_dims, {layout::run_dimension}, references);

  // Per-agent and per-site output can run to gigabytes: datasets beyond fill_piece_bytes are
  // filled in pieces (fill_rows) that report progress and stop when asked, not by HDF5 at once.
  struct Wide {
    const GroupPlan* plan;
    Id* group;
    std::vector<hsize_t> dims;
    std::vector<std::string_view> scales;
    std::vector<Id>* out;
    [[nodiscard]] hsize_t width() const { return dims.size() == 3 ? dims[2] : dims[2] * dims[3]; }
    /// Agents and sites record every step or every interval of steps.
    [[nodiscard]] hsize_t steps() const { return dims[1]; }
  };
  std::vector<Wide> wide;
  if (!layout.agents.columns.empty()) {
    make_group(agents_group, layout::agents_group, false);
    create_sampled_steps(agents_group.get(), layout::agents_group, layout.agent_steps, layout.agent_interval,
                         "agents were recorded", where);
    create_coordinate(agents_group.get(), layout::agents_group, layout::agent_dimension, H5T_STD_U64LE,
                      H5T_NATIVE_UINT64, layout.agent_ids, "1", "agent id", where);
    wide.push_back({&layout.agents, &agents_group, {runs, layout.agent_steps, layout.agent_ids.size()},
                    {layout::run_dimension, layout::step_dimension, layout::agent_dimension}, &agents});
  }
  if (!layout.sites.columns.empty()) {
    create_sites(where);
    const sim::SiteLayout& grid = layout.site_layout;
    if (grid.kind == sim::SiteLayout::Kind::grid)
      wide.push_back({&layout.sites, &sites_group, {runs, layout.site_steps, grid.rows, grid.columns},
                      {layout::run_dimension, layout::step_dimension, layout::y_dimension, layout::x_dimension},
                      &sites});
    else
      wide.push_back({&layout.sites, &sites_group, {runs, layout.site_steps, grid.count},
                      {layout::run_dimension, layout::step_dimension, layout::site_dimension}, &sites});
  }
  const auto large = [&](const Wide& group) {
    return runs * group.steps() * group.width() * sizeof(double) > fill_piece_bytes;
  };
  for (const Wide& group : wide) {
    const hsize_t steps_per_piece =
        std::clamp<hsize_t>(fill_piece_bytes / (group.width() * sizeof(double)), 1, std::max<hsize_t>(1, group.steps()));
    if (large(group))
      fill_pieces_total += group.plan->columns.size() * runs * ((group.steps() + steps_per_piece - 1) / steps_per_piece);
  }
  for (const Wide& group : wide) {
    for (const GroupPlan::Column& column : group.plan->columns) {
      Id dataset = create_dataset(group.group->get(), group.plan->group, column.name, H5T_IEEE_F64LE, group.dims,
                                  Fill{&not_a_number, H5T_NATIVE_DOUBLE, large(group)}, where);
      describe_variable(dataset.get(), column.info.units, column.info.description, where);
      attach_scales(dataset.get(), group.group->get(), group.plan->group, group.scales, where);
      if (large(group)) fill_rows(dataset.get(), detail::object_path(group.plan->group, column.name), where);
      group.out->push_back(std::move(dataset));
    }
  }
  if (layout.degree_width > 0) {
    make_group(network_group, layout::network_group, false);
    create_coordinate(network_group.get(), layout::network_group, layout::degree_dimension, H5T_STD_I64LE,
                      H5T_NATIVE_INT64, iota(layout.degree_width), "1", "number of neighbours", where);
    const std::array<hsize_t, 2> dims{runs, layout.degree_width};
    degree_count = create_dataset(network_group.get(), layout::network_group, layout::degree_count_dataset,
                                  H5T_IEEE_F64LE, dims, nan_fill, where);
    describe_variable(degree_count.get(), "1",
                      "number of agents with each number of neighbours in the run's social network", where);
    attach_scales(degree_count.get(), network_group.get(), layout::network_group,
                  {layout::run_dimension, layout::degree_dimension}, where);
  }
}

// The sites group: the run and step coordinates, a grid's y and x or a graph's site and edges.
void Hdf5Sink::State::create_sites(const fs::path& where) {
  const sim::SiteLayout& grid = layout.site_layout;
  const std::string_view group = layout::sites_group;
  sites_group = create_group(file.get(), group, where);
  create_coordinate(sites_group.get(), group, layout::run_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64, iota(layout.runs),
                    "1", "run index", where);
  create_sampled_steps(sites_group.get(), group, layout.site_steps, layout.site_interval, "the sites were sampled",
                       where);
  if (grid.kind == sim::SiteLayout::Kind::grid) {
    detail::write_string_attribute(sites_group.get(), "site_layout", "grid", where);
    create_coordinate(sites_group.get(), group, layout::y_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64, iota(grid.rows),
                      "1", "grid row of the site (site = y x columns + x)", where);
    create_coordinate(sites_group.get(), group, layout::x_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64,
                      iota(grid.columns), "1", "grid column of the site", where);
    return;
  }
  detail::write_string_attribute(sites_group.get(), "site_layout", "graph", where);
  create_coordinate(sites_group.get(), group, layout::site_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64,
                    iota(grid.count), "1", "site index", where);
  // Each undirected edge once, as (from, to) with from < to, in the order of the adjacency.
  std::vector<std::int64_t> from;
  std::vector<std::int64_t> to;
  for (std::size_t site = 0; site < grid.count; ++site)
    for (std::size_t k = grid.offsets[site]; k < grid.offsets[site + 1]; ++k)
      if (grid.neighbours[k] > site) {
        from.push_back(static_cast<std::int64_t>(site));
        to.push_back(grid.neighbours[k]);
      }
  create_coordinate(sites_group.get(), group, layout::edge_dimension, H5T_STD_I64LE, H5T_NATIVE_INT64, iota(from.size()),
                    "1", "edge index", where);
  for (const auto& [name, ends] : {std::pair{"edge_from", &from}, std::pair{"edge_to", &to}}) {
    const std::array<hsize_t, 1> dims{ends->size()};
    const Id dataset = create_dataset(sites_group.get(), group, name, H5T_STD_I64LE, dims, Fill{}, where);
    if (!ends->empty())
      check_status(H5Dwrite(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, ends->data()), where,
                   "cannot write " + detail::object_path(group, name));
    describe_variable(dataset.get(), "1", std::string("site at one end of the edge (") + name + ")", where);
    attach_scales(dataset.get(), sites_group.get(), group, {layout::edge_dimension}, where);
  }
}

void Hdf5Sink::State::fill_rows(hid_t dataset, const std::string& what, const fs::path& where) {
  const auto report = [this] {
    ++fill_pieces_done;
    control.report("laying out the results file",
                   static_cast<double>(fill_pieces_done) / static_cast<double>(std::max<hsize_t>(1, fill_pieces_total)));
  };
  for (hsize_t run = 0; run < layout.runs; ++run) clear_row(dataset, run, 0, where, what, fill_piece_bytes, report);
}

void Hdf5Sink::State::clear_run(std::int64_t index) {
  const fs::path& where = partial();
  const auto run = static_cast<hsize_t>(index);
  const auto variant = static_cast<std::size_t>(layout_of[run]);
  const auto clear = [&](const std::vector<Id>& ids, const GroupPlan& plan) {
    for (const std::size_t column : plan.of_variant[variant])
      clear_row(ids[column].get(), run, 0, where, detail::object_path(plan.group, plan.columns[column].name));
  };
  clear(series, layout.series);
  clear(summary, layout.summary);
  clear(references, layout.references);
  clear(agents, layout.agents);
  clear(sites, layout.sites);
  if (degree_count)
    clear_row(degree_count.get(), run, 0, where,
              detail::object_path(layout::network_group, layout::degree_count_dataset));
}

void Hdf5Sink::State::check_run(const sim::RunResult& result) const {
  const fs::path& path = destination.final_path();
  const std::int64_t index = result.task.index;
  const std::string run = "run " + std::to_string(index);
  if (index < 0 || static_cast<hsize_t>(index) >= layout.runs)
    throw OutputError(path, run + " is not in the plan (runs 0.." + std::to_string(layout.runs - 1) + ")");
  if (run_state[static_cast<std::size_t>(index)] != RunState::pending)
    throw OutputError(path, run + " was already written" +
                                (std::binary_search(resumed_runs.begin(), resumed_runs.end(), index)
                                     ? " (by an earlier session of this file)"
                                     : ""));
  if (result.task.seed != seeds[static_cast<std::size_t>(index)])
    throw OutputError(path, run + " has seed " + std::to_string(result.task.seed) + " but the plan says " +
                                std::to_string(seeds[static_cast<std::size_t>(index)]));
  const sim::RunLayout& expected = layouts[static_cast<std::size_t>(layout_of[static_cast<std::size_t>(index)])];
  const auto same_names = [&](const auto& got, const std::vector<sim::VariableInfo>& wanted, std::string_view what) {
    bool same = got.size() == wanted.size();
    for (std::size_t i = 0; same && i < got.size(); ++i) same = got[i].info.name == wanted[i].name;
    if (!same)
      throw OutputError(path, run + " records other " + std::string(what) +
                                  " variables than its variant's layout declared in begin()");
  };
  same_names(result.series, expected.series, "series");
  same_names(result.summary, expected.summary, "summary");
  same_names(result.references, expected.references, "reference");
  if (result.agent_rows_streamed > 0) {
    const hsize_t expected_values = static_cast<hsize_t>(result.agent_rows_streamed) * layout.agent_ids.size();
    const hsize_t received = agent_values_streamed[static_cast<std::size_t>(index)];
    if (!result.agents.empty() || received != expected_values)
      throw OutputError(path, run + " recorded " + std::to_string(expected_values) +
                                  " per-agent values per variable but handed on " + std::to_string(received));
  } else {
    same_names(result.agents, expected.agent_variables, "agent");
  }
  same_names(result.sites, expected.site_variables, "site");
  for (const sim::SeriesData& data : result.series)
    if (data.values.size() > layout.steps)
      throw OutputError(path, run + ": series " + data.info.name + " has " + std::to_string(data.values.size()) +
                                  " values for " + std::to_string(layout.steps) + " steps");
  if (!result.agents.empty()) {
    if (result.agent_ids != layout.agent_ids)
      throw OutputError(path, run + " has other agent ids than the layout; layout version 1 has one agent "
                                    "coordinate per file");
    const std::size_t agent_count = result.agent_ids.size();
    for (const sim::AgentData& data : result.agents)
      if (data.values.size() % agent_count != 0 || data.values.size() / agent_count > layout.agent_steps)
        throw OutputError(path, run + ": agent variable " + data.info.name + " has " +
                                    std::to_string(data.values.size()) + " values, not steps x " +
                                    std::to_string(agent_count) + " agents");
  }
  for (const sim::SiteData& data : result.sites)
    if (data.values.size() % layout.site_layout.count != 0 ||
        data.values.size() / layout.site_layout.count > layout.site_steps)
      throw OutputError(path, run + ": site variable " + data.info.name + " has " + std::to_string(data.values.size()) +
                                  " values, not steps x " + std::to_string(layout.site_layout.count) + " sites");
  if (!result.degree_counts.empty() && (!expected.max_degree || result.degree_counts.size() > *expected.max_degree + 1))
    throw OutputError(path, run + " has a degree distribution up to degree " +
                                std::to_string(result.degree_counts.size() - 1) + ", beyond its layout's largest degree");
}

void Hdf5Sink::consume(sim::RunResult&& result) {
  const detail::ErrorSilencer silence;
  State& s = *state_;
  if (s.phase != State::Phase::writing)
    throw OutputError(s.path(),
                      s.phase == State::Phase::constructed ? "consume() before begin()" : "consume() after finish()");
  s.check_run(result);

  const fs::path& path = s.partial();
  const auto run = static_cast<hsize_t>(result.task.index);
  const auto variant = static_cast<std::size_t>(s.layout_of[run]);
  const auto column = [&](const std::vector<Id>& ids, const GroupPlan& plan, std::size_t i) {
    return ids[plan.of_variant[variant][i]].get();
  };
  // In a resumed file the steps after a run that ended early may hold what an interrupted
  // session wrote for the run: they are set to NaN again, as in a file never interrupted.
  const auto clear_rest = [&](hid_t dataset, hsize_t written, const std::string& what, hsize_t steps) {
    if (s.resumed && written < steps) clear_row(dataset, run, written, path, what);
  };
  const auto stage = [&](std::vector<StagedRows>& staged, const GroupPlan& plan, std::size_t i) {
    StagedRows& rows = staged[plan.of_variant[variant][i]];
    const std::size_t before = rows.bytes();
    const std::span<double> row = rows.add(run);
    s.staged_bytes += rows.bytes() - before;
    return row;
  };
  for (std::size_t i = 0; i < result.series.size(); ++i)
    std::copy(result.series[i].values.begin(), result.series[i].values.end(),
              stage(s.staged_series, s.layout.series, i).begin());
  for (std::size_t i = 0; i < result.summary.size(); ++i)
    stage(s.staged_summary, s.layout.summary, i)[0] = result.summary[i].value;
  for (std::size_t i = 0; i < result.references.size(); ++i)
    stage(s.staged_references, s.layout.references, i)[0] = result.references[i].value;
  for (std::size_t i = 0; i < result.agents.size(); ++i) {
    const hsize_t agent_count = s.layout.agent_ids.size();
    const std::array<hsize_t, 2> extent{result.agents[i].values.size() / agent_count, agent_count};
    const std::string what = detail::object_path(layout::agents_group, result.agents[i].info.name);
    write_row(column(s.agents, s.layout.agents, i), run, extent, result.agents[i].values.data(), path, what);
    clear_rest(column(s.agents, s.layout.agents, i), extent[0], what, s.layout.agent_steps);
  }
  if (result.agent_rows_streamed > 0)
    for (std::size_t i = 0; i < s.layout.agents.of_variant[variant].size(); ++i)
      clear_rest(column(s.agents, s.layout.agents, i), static_cast<hsize_t>(result.agent_rows_streamed),
                 detail::object_path(layout::agents_group, s.layout.agents.columns[s.layout.agents.of_variant[variant][i]].name),
                 s.layout.agent_steps);
  for (std::size_t i = 0; i < result.sites.size(); ++i) {
    const sim::SiteLayout& sites = s.layout.site_layout;
    const hsize_t written = result.sites[i].values.size() / sites.count;
    std::vector<hsize_t> extent{written};
    if (sites.kind == sim::SiteLayout::Kind::grid) extent.insert(extent.end(), {sites.rows, sites.columns});
    else extent.push_back(sites.count);
    const std::string what = detail::object_path(layout::sites_group, result.sites[i].info.name);
    write_row(column(s.sites, s.layout.sites, i), run, extent, result.sites[i].values.data(), path, what);
    clear_rest(column(s.sites, s.layout.sites, i), written, what, s.layout.site_steps);
  }
  // A run without degrees stages NaN, which clears what an interrupted session may have left.
  if (s.staged_degrees) {
    const std::size_t before = s.staged_degrees->bytes();
    const std::span<double> row = s.staged_degrees->add(run);
    std::fill(row.begin(), row.end(), result.degree_counts.empty() ? not_a_number : 0.0);
    std::copy(result.degree_counts.begin(), result.degree_counts.end(), row.begin());
    s.staged_bytes += s.staged_degrees->bytes() - before;
  }
  s.run_state[run] = State::RunState::written;
  s.uncommitted.push_back(result.task.index);
  if (std::chrono::steady_clock::now() - s.last_commit >= commit_interval) s.commit();
  else if (s.staged_bytes > staged_bytes_limit)
    s.write_staged();
}

bool Hdf5Sink::streams_agents() const { return true; }

void Hdf5Sink::consume_agents(sim::AgentRows&& rows) {
  const detail::ErrorSilencer silence;
  State& s = *state_;
  if (s.phase != State::Phase::writing)
    throw OutputError(s.path(), s.phase == State::Phase::constructed ? "consume_agents() before begin()"
                                                                     : "consume_agents() after finish()");
  const std::int64_t index = rows.task.index;
  const std::string run = "run " + std::to_string(index);
  if (index < 0 || static_cast<hsize_t>(index) >= s.layout.runs)
    throw OutputError(s.path(), run + " is not in the plan (runs 0.." + std::to_string(s.layout.runs - 1) + ")");
  if (s.run_state[static_cast<std::size_t>(index)] != State::RunState::pending)
    throw OutputError(s.path(), run + " was already written; per-agent rows come before a run's result");
  const auto variant = static_cast<std::size_t>(s.layout_of[static_cast<std::size_t>(index)]);
  const std::vector<std::size_t>& columns = s.layout.agents.of_variant[variant];
  const hsize_t width = s.layout.agent_ids.size();
  const auto first = static_cast<hsize_t>(rows.first);
  const auto count = static_cast<hsize_t>(rows.count);
  const auto first_agent = static_cast<hsize_t>(rows.first_agent);
  const auto agents = static_cast<hsize_t>(rows.agents);
  if (rows.values.size() != columns.size() || rows.first < 0 || rows.count < 1 || first + count > s.layout.agent_steps ||
      rows.first_agent < 0 || rows.agents < 1 || first_agent + agents > width)
    throw OutputError(s.path(), run + ": per-agent rows " + std::to_string(rows.first) + ".." +
                                    std::to_string(rows.first + rows.count - 1) + " of agents " +
                                    std::to_string(rows.first_agent) + ".." +
                                    std::to_string(rows.first_agent + rows.agents - 1) + " of " +
                                    std::to_string(rows.values.size()) + " variables do not fit its layout");
  const fs::path& path = s.partial();
  const hsize_t values = count * agents;
  const Id memory_space = detail::dataspace(std::span(&values, 1), path);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string what = detail::object_path(layout::agents_group, s.layout.agents.columns[columns[i]].name);
    if (rows.values[i].size() != values)
      throw OutputError(path, run + ": " + what + " has " + std::to_string(rows.values[i].size()) +
                                  " values for its rows, not " + std::to_string(values));
    const hid_t dataset = s.agents[columns[i]].get();
    const Id file_space = make_id(H5Dget_space(dataset), H5Sclose, path, "cannot get the dataspace of " + what);
    const std::array<hsize_t, 3> start{static_cast<hsize_t>(index), first, first_agent};
    const std::array<hsize_t, 3> block{1, count, agents};
    check_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(), nullptr),
                 path, "cannot select rows of " + run + " in " + what);
    check_status(H5Dwrite(dataset, H5T_NATIVE_DOUBLE, memory_space.get(), file_space.get(), H5P_DEFAULT,
                          rows.values[i].data()),
                 path, "cannot write rows of " + run + " to " + what);
  }
  s.agent_values_streamed[static_cast<std::size_t>(index)] += values;
}

void Hdf5Sink::fail(const sim::RunTask& task, const std::string& message) {
  State& s = *state_;
  if (task.index < 0 || static_cast<hsize_t>(task.index) >= s.layout.runs) return;
  // A run already flagged complete (by an earlier session of a resumed file) stays complete.
  if (s.run_state[static_cast<std::size_t>(task.index)] == State::RunState::committed) return;
  // What it streamed before failing vouches for nothing: it reads NaN, as the rest of the run.
  if (s.agent_values_streamed[static_cast<std::size_t>(task.index)] > 0) {
    const detail::ErrorSilencer silence;
    const auto variant = static_cast<std::size_t>(s.layout_of[static_cast<std::size_t>(task.index)]);
    for (const std::size_t column : s.layout.agents.of_variant[variant])
      clear_row(s.agents[column].get(), static_cast<hsize_t>(task.index), 0, s.partial(),
                detail::object_path(layout::agents_group, s.layout.agents.columns[column].name));
    s.agent_values_streamed[static_cast<std::size_t>(task.index)] = 0;
  }
  s.failures[task.index] = message;
  s.run_state[static_cast<std::size_t>(task.index)] = State::RunState::failed;
}

void Hdf5Sink::sync() {
  const detail::ErrorSilencer silence;
  if (state_->phase == State::Phase::writing) state_->commit();
}

void Hdf5Sink::State::stage_columns() {
  const auto columns = [](const GroupPlan& plan, const std::vector<hsize_t>& extent) {
    return std::vector<StagedRows>(plan.columns.size(), StagedRows(extent));
  };
  staged_series = columns(layout.series, {layout.steps});
  staged_summary = columns(layout.summary, {});
  staged_references = columns(layout.references, {});
  if (layout.degree_width > 0) staged_degrees.emplace(std::vector<hsize_t>{layout.degree_width});
}

void Hdf5Sink::State::write_staged() {
  const fs::path& path = partial();
  const auto write = [&](std::vector<StagedRows>& staged, const std::vector<Id>& ids, const GroupPlan& plan) {
    for (std::size_t column = 0; column < staged.size(); ++column)
      staged[column].write(ids[column].get(), path, plan.group, plan.columns[column].name);
  };
  write(staged_series, series, layout.series);
  write(staged_summary, summary, layout.summary);
  write(staged_references, references, layout.references);
  if (staged_degrees)
    staged_degrees->write(degree_count.get(), path, layout::network_group, layout::degree_count_dataset);
  staged_bytes = 0;
}

// The rows reach the device before the flags that vouch for them: a flag of 1 on disk always
// means the run's data are final, after kill -9 and after a crash of the machine.
void Hdf5Sink::State::commit() {
  if (uncommitted.empty()) return;
  const fs::path& path = partial();
  write_staged();
  check_status(H5Fflush(file.get(), H5F_SCOPE_LOCAL), path, "cannot flush the results file");
  scratch->sync();
  // The flags, like the rows, one write per stretch of consecutive runs.
  std::sort(uncommitted.begin(), uncommitted.end());
  const std::vector<std::int8_t> yes(uncommitted.size(), 1);
  for (std::size_t first = 0; first < uncommitted.size();) {
    std::size_t end = first + 1;
    while (end < uncommitted.size() && uncommitted[end] == uncommitted[end - 1] + 1) ++end;
    const auto run = static_cast<hsize_t>(uncommitted[first]);
    const hsize_t count = end - first;
    const Id file_space = select_rows(completed.get(), run, count, {}, path, "dataset runs/completed");
    const Id memory_space = detail::dataspace(std::span(&count, 1), path);
    check_status(
        H5Dwrite(completed.get(), H5T_NATIVE_INT8, memory_space.get(), file_space.get(), H5P_DEFAULT, yes.data()), path,
        "cannot set the completion flags of runs " + std::to_string(run) + ".." + std::to_string(run + count - 1));
    first = end;
  }
  check_status(H5Fflush(file.get(), H5F_SCOPE_LOCAL), path, "cannot flush the results file");
  for (const std::int64_t index : uncommitted) run_state[static_cast<std::size_t>(index)] = RunState::committed;
  committed += static_cast<std::int64_t>(uncommitted.size());
  uncommitted.clear();
  last_commit = std::chrono::steady_clock::now();
}

void Hdf5Sink::finish() {
  const detail::ErrorSilencer silence;
  State& s = *state_;
  if (s.phase == State::Phase::finished) return;
  if (s.phase == State::Phase::constructed) throw OutputError(s.path(), "finish() before begin()");
  s.commit();
  for (std::size_t run = 0; run < s.run_state.size(); ++run)
    if (s.run_state[run] == State::RunState::pending)
      s.failures.emplace(static_cast<std::int64_t>(run), "the run was never started");

  if (s.committed == static_cast<std::int64_t>(s.layout.runs)) {
    // The one change to the file's structure after begin(): the status, rewritten in place.
    detail::write_fixed_string_attribute(s.file.get(), "status", "complete", status_size, s.partial());
    check_status(s.close(), s.partial(), "cannot close the results file");
    s.scratch->sync();
    s.phase = State::Phase::finished;
    s.destination.finalize();
    s.outcome = Outcome::complete;
    return;
  }
  // Rows of a run not flagged in a resumed file may hold what an interrupted session wrote;
  // a run that failed now reads NaN, as in a file never interrupted. Raw data of runs no flag
  // vouches for: FILE.partial stays sound if the process dies meanwhile.
  if (s.resumed)
    for (const auto& failure : s.failures) s.clear_run(failure.first);
  check_status(s.close(), s.partial(), "cannot close the results file");
  s.phase = State::Phase::finished;
  if (s.committed == 0) {
    s.destination.discard();
    s.outcome = Outcome::empty;
    return;
  }
  // Failed runs' messages are new data of unknown size; written into FILE.partial they could
  // leave it unreadable if the process died meanwhile. They go into a copy, which becomes FILE.
  const fs::path& path = s.path();
  detail::Scratch copy(s.destination.directory(), path);
  {
    off_t offset_in = 0;
    off_t offset_out = 0;
    for (;;) {
      const ssize_t moved = ::copy_file_range(s.scratch->descriptor(), &offset_in, copy.descriptor(), &offset_out,
                                              std::size_t{1} << 30, 0);
      if (moved < 0) throw OutputError(path, std::string("cannot copy the results: ") + std::strerror(errno));
      if (moved == 0) break;
    }
  }
  {
    const Id fapl = detail::descriptor_access(copy.descriptor(), path);
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get());
    detail::check_id(file, path, "cannot open the copy of the results");
    try {
      {
        const Id errors = make_id(H5Dopen2(file, "runs/error", H5P_DEFAULT), H5Dclose, path,
                                  "cannot open dataset runs/error");
        const hsize_t one = 1;
        const Id memory_space = detail::dataspace(std::span(&one, 1), path);
        for (const auto& [index, message] : s.failures) {
          const Id file_space =
              select_rows(errors.get(), static_cast<hsize_t>(index), 1, {}, path, "dataset runs/error");
          detail::write_strings(errors.get(), memory_space.get(), file_space.get(), {message}, path,
                                "dataset runs/error");
        }
      }
      detail::write_fixed_string_attribute(file, "status", "failed", status_size, path);
      check_status(H5Fclose(file), path, "cannot close the results file");
    } catch (...) {
      // The copy is dropped; FILE.partial keeps every run, its flags and status "partial".
      detail::abandon(copy.descriptor());
      if (H5Iis_valid(file) > 0) H5Fclose(file);
      H5Eclear2(H5E_DEFAULT);
      throw;
    }
  }
  copy.sync();
  s.destination.finalize_from(copy);
  s.outcome = Outcome::failed;
}

}  // namespace commons::output
