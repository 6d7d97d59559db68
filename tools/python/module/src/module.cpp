// SPDX-License-Identifier: Apache-2.0
// commons._native: the extension behind the Python package `commons` (docs/python.md). It
// returns the results of a plan as plain numpy arrays and attribute dicts, grouped as the
// results file groups them; commons/_dataset.py names them and builds the xarray.Dataset.

#include "array_sink.hpp"
#include "execution.hpp"

#include <build_info.hpp>
#include <commons/output/hdf5_sink.hpp>
#include <commons/output/layout.hpp>
#include <commons/output/output_error.hpp>
#include <commons/scenario/scenario_error.hpp>

#include <openssl/evp.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace py = pybind11;

namespace commons::python {
namespace {

namespace layout = output::layout;

/// How often the waiting interpreter thread looks for Ctrl-C [ms]: short enough to feel
/// immediate, long enough to cost nothing.
constexpr auto signal_poll_interval = std::chrono::milliseconds(50);

// Exception classes, created when the module is imported and kept for its lifetime.
PyObject* scenario_error_class = nullptr;
PyObject* output_error_class = nullptr;
/// HDF5's version, asked once at import: HDF5 is not thread-safe, and later a run on another
/// thread may be writing a file.
std::string hdf5_version;

/// Runs `work(stop)` on a thread of its own while this thread, which holds the GIL between
/// polls only, checks for signals. Python runs signal handlers in the main thread alone, and
/// only when asked, so a long run must be waited for from here: on Ctrl-C the handler's
/// exception (KeyboardInterrupt) is kept, `stop` is set, the runs in flight are abandoned, and
/// the exception is raised once the work has returned.
template <class Work>
auto call_interruptibly(Work&& work) {
  using Result = decltype(work(std::declval<const std::atomic<bool>&>()));
  std::atomic<bool> stop{false};
  std::optional<Result> result;
  std::exception_ptr failure;
  std::optional<py::error_already_set> interruption;
  {
    py::gil_scoped_release release;
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::thread worker([&] {
      try {
        result.emplace(work(stop));
      } catch (...) {
        failure = std::current_exception();
      }
      const std::lock_guard lock(mutex);
      done = true;
      finished.notify_one();
    });
    std::unique_lock lock(mutex);
    while (!finished.wait_for(lock, signal_poll_interval, [&] { return done; })) {
      if (interruption) continue;
      lock.unlock();
      {
        const py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) {
          interruption.emplace();  // takes the exception the handler raised
          stop.store(true);
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (interruption) throw std::move(*interruption);
  if (failure) std::rethrow_exception(failure);
  return std::move(*result);
}

template <class T>
py::array to_numpy(std::vector<T>&& values, const std::vector<py::ssize_t>& shape) {
  // numpy takes the vector's storage as it is; the capsule frees it with the array.
  auto owned = std::make_unique<std::vector<T>>(std::move(values));
  T* data = owned->data();
  py::capsule free(owned.get(), [](void* pointer) { delete static_cast<std::vector<T>*>(pointer); });
  owned.release();
  return py::array_t<T>(shape, data, free);
}

py::list to_list(const std::vector<std::string>& values) {
  py::list list;
  for (const std::string& value : values) list.append(py::str(value));
  return list;
}

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

/// Values of a dataset as numpy takes them: numbers without a copy, strings as a list of str
/// (_dataset.py makes the array xarray would read).
py::object to_python(Values& values, const std::vector<py::ssize_t>& shape) {
  return std::visit(
      [&](auto& data) -> py::object {
        using Data = std::decay_t<decltype(data)>;
        if constexpr (std::is_same_v<Data, std::vector<std::string>>) return to_list(data);
        else return to_numpy(std::move(data), shape);
      },
      values);
}

py::dict to_python(const Attributes& attributes) {
  py::dict dict;
  for (const auto& [key, value] : attributes) {
    dict[py::str(key)] = std::visit(
        [](const auto& data) -> py::object {
          using Value = std::decay_t<decltype(data)>;
          if constexpr (std::is_same_v<Value, std::string>) return py::str(data);
          else if constexpr (std::is_same_v<Value, std::int64_t>) return py::module_::import("numpy").attr("int64")(data);
          else if constexpr (std::is_same_v<Value, std::vector<std::string>>) return to_list(data);
          else return to_numpy(Value(data), {static_cast<py::ssize_t>(data.size())});
        },
        value);
  }
  return dict;
}

/// The results as the file holds them: root attributes, dimension coordinates, the attributes
/// of groups that have some, and every dataset as (group, name, dimensions, values,
/// attributes), in the order docs/python.md resolves name clashes in: runs/, the root's
/// scenario, the other groups, inputs/ ("" is the root).
py::dict to_python(RunOutcome& outcome) {
  ArraySink& arrays = *outcome.arrays;
  const sim::PlanInfo& plan = arrays.plan();
  const output::Provenance& provenance = outcome.provenance;
  const auto numpy = py::module_::import("numpy");

  py::dict attrs;
  attrs["format"] = std::string(layout::format_name);
  attrs["format_version"] = numpy.attr("int32")(layout::format_version);
  attrs["status"] = outcome.report.failed > 0 ? "failed" : "complete";
  attrs["plan_sha256"] = outcome.plan_sha256;
  attrs["sessions"] = numpy.attr("int64")(1);
  attrs["program_version"] = provenance.program_version;
  attrs["git_commit"] = provenance.git_commit;
  attrs["source_tree"] = provenance.source_tree;
  attrs["command_line"] = provenance.command_line;
  attrs["creation_time"] = outcome.creation_time;
  attrs["scenario_name"] = plan.scenario_name;
  attrs["host"] = provenance.host;
  attrs["threads"] = numpy.attr("int32")(provenance.threads);
  std::string libraries = "HDF5 " + hdf5_version;
  if (!provenance.libraries.empty()) libraries += "; " + provenance.libraries;
  attrs["libraries"] = libraries;

  py::list coordinates;
  std::map<std::string, py::ssize_t> sizes;
  for (Coordinate& coordinate : arrays.coordinates()) {
    const auto size = static_cast<py::ssize_t>(std::visit([](const auto& data) { return data.size(); }, coordinate.values));
    sizes[coordinate.name] = size;
    coordinates.append(
        py::make_tuple(coordinate.name, to_python(coordinate.values, {size}), to_python(coordinate.attributes)));
  }

  py::list variables;
  py::dict group_attrs;
  const auto variable = [&](std::string_view group, std::string_view name, const std::vector<std::string>& dimensions,
                            py::object values, py::dict variable_attrs) {
    variables.append(py::make_tuple(std::string(group), std::string(name), py::tuple(py::cast(dimensions)),
                                    std::move(values), std::move(variable_attrs)));
  };
  for (Group& group : arrays.groups()) {
    if (!group.attributes.empty()) group_attrs[py::str(group.name)] = to_python(group.attributes);
    for (Variable& dataset : group.variables) {
      std::vector<py::ssize_t> shape;
      for (const std::string& dimension : dataset.dimensions) shape.push_back(sizes.at(dimension));
      variable(group.name, dataset.name, dataset.dimensions, to_python(dataset.values, shape),
               to_python(dataset.attributes));
    }
    if (group.name == layout::runs_group) {
      py::dict scenario_attrs;
      scenario_attrs["format"] = "json";
      scenario_attrs["long_name"] = "resolved scenario";
      variable("", layout::scenario_dataset, {}, py::str(plan.scenario_text), scenario_attrs);
    }
  }
  for (const sim::Attachment& attachment : plan.attachments) {
    py::dict input_attrs;
    input_attrs["long_name"] = "file named by " + attachment.pointer;
    input_attrs["path"] = attachment.path;
    input_attrs["sha256"] = sha256_hex(attachment.bytes);
    input_attrs["scenario_pointer"] = attachment.pointer;
    variable(layout::inputs_group, dataset_name(attachment.pointer), {}, py::str(attachment.bytes), input_attrs);
  }

  py::dict report;
  report["runs"] = arrays.runs();
  report["completed"] = outcome.report.completed;
  report["failed"] = outcome.report.failed;
  report["failures"] = outcome.report.failures;

  py::dict results;
  results["attrs"] = attrs;
  results["coordinates"] = coordinates;
  results["group_attrs"] = group_attrs;
  results["variables"] = variables;
  results["report"] = report;
  return results;
}

using Assignments = std::vector<std::pair<std::string, std::string>>;

py::dict run(const std::string& scenario, const Assignments& assignments, std::optional<std::int64_t> seed,
             int threads, std::optional<std::string> output, bool force, const std::string& command_line,
             bool sweep) {
  RunRequest request;
  request.scenario = scenario;
  request.overrides = parse_overrides(assignments);
  // As `--seed N` is `--set seed=N` after every other override.
  if (seed) request.overrides.push_back({"seed", std::to_string(*seed)});
  request.threads = threads;
  if (output) request.output = std::filesystem::path(*output);
  request.force = force;
  request.command_line = command_line;
  request.sweep = sweep;
  RunOutcome outcome = call_interruptibly([&](const std::atomic<bool>& stop) { return run_scenario(request, stop); });
  return to_python(outcome);
}

void validate(const std::string& scenario, const Assignments& assignments) {
  const std::vector<scenario::Override> overrides = parse_overrides(assignments);
  call_interruptibly([&](const std::atomic<bool>&) {
    validate_scenario(scenario, overrides);
    return true;
  });
}

/// An instance of `type` with the message and the given attributes, raised as Python's error.
void raise_with(PyObject* type, const char* message, const py::dict& attributes) {
  py::object error = py::reinterpret_borrow<py::object>(type)(message);
  for (const auto& [key, value] : attributes) py::setattr(error, key, value);
  PyErr_SetObject(type, error.ptr());
}

}  // namespace
}  // namespace commons::python

PYBIND11_MODULE(_native, module) {
  using namespace commons::python;
  module.doc() = "The native part of the Python package commons; use `commons` itself (docs/python.md).";
  module.attr("__version__") = program_version;
  hdf5_version = commons::output::hdf5_version();

  scenario_error_class = PyErr_NewExceptionWithDoc(
      "commons.ScenarioError",
      "A scenario that cannot be loaded. str() is the message `commons validate` prints, "
      "FILE:LINE:COL: /json/pointer: message; the attributes file, line, column, pointer and "
      "message hold its parts.",
      PyExc_ValueError, nullptr);
  if (scenario_error_class == nullptr) throw py::error_already_set();
  module.add_object("ScenarioError", py::handle(scenario_error_class));
  output_error_class = PyErr_NewExceptionWithDoc(
      "commons.OutputError",
      "The results file cannot be written where asked (exists without force=True, is not a "
      "regular file, is an input, another process writes it, the disk is full).",
      PyExc_OSError, nullptr);
  if (output_error_class == nullptr) throw py::error_already_set();
  module.add_object("OutputError", py::handle(output_error_class));

  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const commons::scenario::ScenarioError& error) {
      py::dict attributes;
      attributes["file"] = error.file();
      attributes["line"] = error.line();
      attributes["column"] = error.column();
      attributes["pointer"] = error.pointer();
      attributes["message"] = error.message();
      raise_with(scenario_error_class, error.what(), attributes);
    } catch (const commons::output::OutputError& error) {
      raise_with(output_error_class, error.what(), py::dict());
    } catch (const MemoryRefused& error) {
      PyErr_SetString(PyExc_MemoryError, error.what());
    } catch (const WrongMode& error) {
      PyErr_SetString(PyExc_ValueError, error.what());
    } catch (const std::filesystem::filesystem_error& error) {
      PyErr_SetString(PyExc_OSError, error.what());
    }
  });

  module.def("run", &run, py::arg("scenario"), py::arg("overrides"), py::arg("seed"), py::arg("threads"),
             py::arg("output"), py::arg("force"), py::arg("command_line"), py::arg("sweep") = false,
             "Runs a scenario (with sweep=True, the sweep of a scenario with a sweep block); returns its "
             "results grouped as the results file groups them.");
  module.def("validate", &validate, py::arg("scenario"), py::arg("overrides"),
             "Loads and checks a scenario; raises ScenarioError if it would not run.");
}
