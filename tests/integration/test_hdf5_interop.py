#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Results files open in the readers users have: h5py, xarray (h5netcdf and netCDF4 engines),
pandas through xarray, netCDF4.Dataset, and Commons' own Python tools.

    /usr/bin/python3 test_hdf5_interop.py PATH/TO/write_example_results

write_example_results writes a file through the C++ Hdf5Sink and prints the values it wrote
as JSON; every reader here must see exactly those values. Run with Debian's interpreter, which
sees python3-h5py, -xarray, -h5netcdf, -netcdf4 and -matplotlib.
"""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import netCDF4
import numpy as np
import xarray

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.normpath(os.path.join(HERE, "..", "..", "tools", "python"))
sys.path.insert(0, TOOLS)
import commons_results  # noqa: E402

WRITER = None  # path of write_example_results, from the command line
GROUPS = ("runs", "series", "summary", "references", "agents")  # the groups with a run dimension
ENGINES = ("h5netcdf", "netcdf4")


def nan_array(values):
    """JSON null (NaN, or a run not written) -> NaN."""
    return np.array([math.nan if v is None else v for v in values], dtype=float)


def write_example(directory, *args, name="example.h5"):
    path = os.path.join(directory, name)
    done = subprocess.run([WRITER, path, *args], check=True, capture_output=True, text=True)
    return path, json.loads(done.stdout)


class ExampleFile(unittest.TestCase):
    """One finished file of 2 runs x 5 steps x 3 agents shared by the tests of a class."""

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory(prefix="commons-interop-")
        cls.path, cls.expected = write_example(cls.directory.name)

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    def expected_series(self, name):
        # A run that does not record the series is null as a whole: NaN in every step.
        steps = self.expected["steps"]
        return np.array([np.full(steps, math.nan) if row is None else nan_array(row)
                         for row in self.expected["series"][name]["values"]])

    def expected_per_run(self, group, name):
        return nan_array(self.expected[group][name]["values"])

    def expected_agents(self, name):
        return np.array(self.expected["agent_variables"][name]["values"], dtype=float)


class H5pyTest(ExampleFile):
    def test_root_attributes_are_utf8_variable_length_strings(self):
        with h5py.File(self.path, "r") as f:
            self.assertEqual(f.attrs["format"], "commons-results")
            self.assertEqual(int(f.attrs["format_version"]), 1)
            self.assertEqual(f.attrs["format_version"].dtype, np.int32)
            for key in ("program_version", "git_commit", "command_line", "scenario_name"):
                self.assertEqual(f.attrs[key], self.expected[key], key)
            self.assertRegex(f.attrs["creation_time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            for key in ("source_tree", "host", "libraries"):
                self.assertEqual(f.attrs[key], self.expected[key], key)
            self.assertEqual(int(f.attrs["threads"]), 1)
            for key in f.attrs:
                info = h5py.check_string_dtype(f.attrs.get_id(key).dtype)
                if key in ("format_version", "threads", "sessions"):
                    continue
                self.assertIsNotNone(info, key)
                if key == "status":
                    # The one fixed-length string: rewritten in place when the file is complete
                    # (results-format.md); netCDF reads it as text, as it writes text attributes.
                    self.assertEqual(info.length, 8)
                    self.assertEqual(f.attrs["status"], b"complete")
                    continue
                self.assertEqual(info.encoding, "utf-8", key)
                self.assertIsNone(info.length, f"{key} must be variable-length")

    def test_scenario_is_a_scalar_string_dataset(self):
        with h5py.File(self.path, "r") as f:
            scenario = f["scenario"]
            self.assertEqual(scenario.shape, ())
            self.assertEqual(scenario[()].decode("utf-8"), self.expected["scenario_text"])
            self.assertEqual(scenario.attrs["format"], "json")

    def test_no_types_that_netcdf_drops(self):
        # Enums, bools, compounds and fixed-length strings break netCDF or R; only the
        # dimension-scale bookkeeping of HDF5 itself (REFERENCE_LIST) may be compound.
        internal = {"REFERENCE_LIST", "DIMENSION_LIST", "CLASS", "NAME"}
        problems = []

        def check(name, dtype):
            if dtype.kind in "bV" or h5py.check_enum_dtype(dtype) is not None:
                problems.append(f"{name}: {dtype}")
            info = h5py.check_string_dtype(dtype)
            if info is not None and info.length is not None:
                problems.append(f"{name}: fixed-length string")

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                check(name, obj.dtype)
            for key in obj.attrs:
                if key not in internal:
                    check(f"{name}@{key}", obj.attrs.get_id(key).dtype)

        with h5py.File(self.path, "r") as f:
            f.visititems(visit)
            for key in f.attrs:
                if key != "status":  # see test_root_attributes_are_utf8_variable_length_strings
                    check(f"/@{key}", f.attrs.get_id(key).dtype)
        self.assertEqual(problems, [])

    def test_runs_group(self):
        tasks = self.expected["tasks"]
        with h5py.File(self.path, "r") as f:
            runs = f["runs"]
            np.testing.assert_array_equal(runs["run"][()], np.arange(len(tasks)))
            np.testing.assert_array_equal(runs["replicate"][()], [t["replicate"] for t in tasks])
            np.testing.assert_array_equal(runs["seed"][()], [t["seed"] for t in tasks])
            self.assertEqual(runs["seed"].dtype, np.int64)
            self.assertEqual([s.decode() for s in runs["seed_text"][()]], [str(t["seed"]) for t in tasks])
            np.testing.assert_array_equal(runs["completed"][()], np.ones(len(tasks), dtype=np.int8))
            self.assertEqual(runs["completed"].dtype, np.int8)
            np.testing.assert_array_equal(runs["completed"].attrs["flag_values"], [0, 1])
            self.assertEqual(runs["completed"].attrs["flag_values"].dtype, np.int8)
            self.assertEqual(runs["completed"].attrs["flag_meanings"], "no yes")
            np.testing.assert_array_equal(runs["fleet.initial_effort"][()],
                                          [t["parameters"]["fleet/initial_effort"] for t in tasks])
            self.assertEqual(runs["fleet.initial_effort"].attrs["parameter_path"], "fleet/initial_effort")

    def test_series_values_units_dimensions_and_storage(self):
        steps = self.expected["steps"]
        with h5py.File(self.path, "r") as f:
            np.testing.assert_array_equal(f["series/step"][()], np.arange(steps))
            self.assertEqual(f["series/step"].attrs["units"], "1")
            self.assertEqual(f["series/step"].attrs["long_name"], "step")
            for name, info in self.expected["series"].items():
                dataset = f["series"][name]
                np.testing.assert_array_equal(dataset[()], self.expected_series(name))
                self.assertEqual(dataset.attrs["units"], info["units"])
                self.assertEqual(dataset.attrs["long_name"], info["description"])
                self.assertEqual([d[0].name for d in dataset.dims], ["/series/run", "/series/step"])
                # Contiguous and allocated before the first run: runs change raw bytes only.
                self.assertIsNone(dataset.chunks)
                self.assertIsNone(dataset.compression)
                self.assertEqual(dataset.id.get_storage_size(), dataset.size * 8)
                self.assertTrue(math.isnan(dataset.fillvalue))

    def test_summary_references_and_agents(self):
        with h5py.File(self.path, "r") as f:
            for group in ("summary", "references"):
                for name, info in self.expected[group].items():
                    np.testing.assert_array_equal(f[group][name][()], self.expected_per_run(group, name))
                    self.assertEqual(f[group][name].attrs["units"], info["units"])
            self.assertTrue(np.isnan(f["summary/collapse_step"][()]).all())
            np.testing.assert_array_equal(f["agents/agent"][()], self.expected["agent_ids"])
            self.assertEqual(f["agents/agent"].dtype, np.uint64)
            for name in self.expected["agent_variables"]:
                np.testing.assert_array_equal(f["agents"][name][()], self.expected_agents(name))
                self.assertEqual([d[0].name for d in f["agents"][name].dims],
                                 ["/agents/run", "/agents/step", "/agents/agent"])


    def test_inputs_hold_the_attached_files_with_their_hash(self):
        import hashlib
        with h5py.File(self.path, "r") as f:
            for attachment in self.expected["attachments"]:
                dataset = f["inputs"][attachment["name"]]
                self.assertEqual(dataset.shape, ())
                text = dataset[()].decode("utf-8")
                self.assertEqual(text, attachment["bytes"])
                self.assertEqual(dataset.attrs["sha256"], hashlib.sha256(text.encode("utf-8")).hexdigest())
                self.assertEqual(dataset.attrs["path"], attachment["path"])
                self.assertEqual(dataset.attrs["scenario_pointer"], attachment["pointer"])


class XarrayTest(ExampleFile):
    def open(self, group, engine):
        return xarray.open_dataset(self.path, group=group, engine=engine)

    def test_every_group_opens_with_both_engines_without_arguments(self):
        for engine in ENGINES:
            for group in GROUPS:
                with self.subTest(engine=engine, group=group), self.open(group, engine) as ds:
                    np.testing.assert_array_equal(ds["run"].values, np.arange(self.expected["runs"]))
                    self.assertIn("run", ds.coords)

    def test_series_dimensions_coordinates_units_values(self):
        for engine in ENGINES:
            with self.subTest(engine=engine), self.open("series", engine) as ds:
                self.assertEqual(dict(ds.sizes), {"run": self.expected["runs"], "step": self.expected["steps"]})
                np.testing.assert_array_equal(ds["step"].values, np.arange(self.expected["steps"]))
                self.assertEqual(ds["step"].attrs["units"], "1")
                self.assertEqual(sorted(ds.data_vars), sorted(self.expected["series"]))
                for name, info in self.expected["series"].items():
                    self.assertEqual(ds[name].dims, ("run", "step"))
                    self.assertEqual(ds[name].attrs["units"], info["units"])
                    self.assertEqual(ds[name].attrs["long_name"], info["description"])
                    np.testing.assert_array_equal(ds[name].values, self.expected_series(name))

    def test_per_run_groups(self):
        for engine in ENGINES:
            for group in ("summary", "references"):
                with self.subTest(engine=engine, group=group), self.open(group, engine) as ds:
                    for name, info in self.expected[group].items():
                        self.assertEqual(ds[name].dims, ("run",))
                        self.assertEqual(ds[name].attrs["units"], info["units"])
                        np.testing.assert_array_equal(ds[name].values, self.expected_per_run(group, name))
            with self.subTest(engine=engine, group="runs"), self.open("runs", engine) as ds:
                np.testing.assert_array_equal(ds["seed"].values, [t["seed"] for t in self.expected["tasks"]])
                self.assertEqual(list(ds["seed_text"].values), [str(t["seed"]) for t in self.expected["tasks"]])
                np.testing.assert_array_equal(ds["completed"].values, [1] * self.expected["runs"])

    def test_agents(self):
        for engine in ENGINES:
            with self.subTest(engine=engine), self.open("agents", engine) as ds:
                self.assertEqual(dict(ds.sizes), {"run": self.expected["runs"], "step": self.expected["steps"],
                                                  "agent": self.expected["agents"]})
                np.testing.assert_array_equal(ds["agent"].values, self.expected["agent_ids"])
                for name, info in self.expected["agent_variables"].items():
                    self.assertEqual(ds[name].dims, ("run", "step", "agent"))
                    self.assertEqual(ds[name].attrs["units"], info["units"])
                    np.testing.assert_array_equal(ds[name].values, self.expected_agents(name))

    def test_inputs_group_opens(self):
        attachment = self.expected["attachments"][0]
        for engine in ENGINES:
            with self.subTest(engine=engine), self.open("inputs", engine) as ds:
                value = ds[attachment["name"]].values.item()
                self.assertEqual(value.decode() if isinstance(value, bytes) else value, attachment["bytes"])

    def test_root_has_provenance_and_scenario(self):
        for engine in ENGINES:
            with self.subTest(engine=engine), xarray.open_dataset(self.path, engine=engine) as ds:
                self.assertEqual(ds.attrs["format"], "commons-results")
                status = ds.attrs["status"]
                self.assertEqual(status.decode() if isinstance(status, bytes) else status, "complete")
                self.assertEqual(ds.attrs["scenario_name"], self.expected["scenario_name"])
                self.assertEqual(ds["scenario"].values.item(), self.expected["scenario_text"])

    def test_pandas_route(self):
        # pandas.read_hdf cannot read this file (PyTables only); this is the documented way.
        names = ["stock", "harvest"]
        with xarray.open_dataset(self.path, group="series", engine="h5netcdf") as ds:
            frame = ds[names].to_dataframe()
        self.assertEqual(list(frame.index.names), ["run", "step"])
        self.assertEqual(list(frame.columns), names)
        self.assertEqual(len(frame), self.expected["runs"] * self.expected["steps"])
        stock = self.expected_series("stock")
        self.assertEqual(frame.loc[(1, 3), "stock"], stock[1, 3])
        self.assertEqual(frame.loc[(0, 0), "harvest"], self.expected_series("harvest")[0, 0])


class NetCDF4Test(ExampleFile):
    def test_groups_dimensions_variables(self):
        with netCDF4.Dataset(self.path) as nc:
            self.assertEqual(sorted(nc.groups), sorted(GROUPS + ("inputs", "design")))
            self.assertEqual(nc.getncattr("format"), "commons-results")
            self.assertEqual(nc.getncattr("status"), "complete")
            self.assertEqual(nc["scenario"].getValue(), self.expected["scenario_text"])
            series = nc.groups["series"]
            self.assertEqual({k: len(v) for k, v in series.dimensions.items()},
                             {"run": self.expected["runs"], "step": self.expected["steps"]})
            for name, info in self.expected["series"].items():
                variable = series[name]
                self.assertEqual(variable.dimensions, ("run", "step"))
                self.assertEqual(variable.units, info["units"])
                np.testing.assert_array_equal(np.ma.filled(variable[:], np.nan), self.expected_series(name))
            agents = nc.groups["agents"]
            self.assertEqual(len(agents.dimensions["agent"]), self.expected["agents"])
            np.testing.assert_array_equal(agents["agent"][:], self.expected["agent_ids"])
            runs = nc.groups["runs"]
            self.assertEqual(list(runs["seed_text"][:]), [str(t["seed"]) for t in self.expected["tasks"]])
            self.assertEqual(runs["completed"].flag_meanings, "no yes")


class PartialFileTest(unittest.TestCase):
    """An interrupted sweep leaves FILE.partial, readable by every reader, runs not written as NaN."""

    def test_unfinished_file_reads_with_nan_and_flags(self):
        with tempfile.TemporaryDirectory(prefix="commons-interop-") as directory:
            path, expected = write_example(directory, "--runs", "3", "--unfinished", "1")
            partial = path + ".partial"
            self.assertFalse(os.path.exists(path))
            self.assertTrue(os.path.exists(partial))
            for engine in ENGINES:
                with self.subTest(engine=engine):
                    with xarray.open_dataset(partial, group="runs", engine=engine) as ds:
                        np.testing.assert_array_equal(ds["completed"].values, [0, 0, 1])
                    with xarray.open_dataset(partial, engine=engine) as ds:
                        status = ds.attrs["status"]
                        self.assertEqual(status.decode() if isinstance(status, bytes) else status, "partial")
                    with xarray.open_dataset(partial, group="series", engine=engine) as ds:
                        stock = ds["stock"].values
                        self.assertTrue(np.isnan(stock[:2]).all())
                        np.testing.assert_array_equal(stock[2], expected["series"]["stock"]["values"][2])
            np.testing.assert_array_equal(commons_results.completed(partial), [False, False, True])


class PythonToolsTest(ExampleFile):
    def run_plot(self, *args):
        return subprocess.run([sys.executable, os.path.join(TOOLS, "plot_results.py"), *args],
                              capture_output=True, text=True)

    def test_commons_results_module(self):
        series = commons_results.open_series(self.path)
        # The recorder's order, kept because groups track link creation order.
        self.assertEqual(list(series), ["stock", "harvest", "effort", "rent"])
        self.assertEqual(sorted(series), sorted(self.expected["series"]))
        stock = series["stock"]
        np.testing.assert_array_equal(stock.values, self.expected_series("stock"))
        self.assertEqual(stock.units, self.expected["series"]["stock"]["units"])
        self.assertEqual(stock.dimensions, ("run", "step"))
        references = commons_results.references(self.path)
        np.testing.assert_array_equal(references["msy_stock"].values, self.expected_per_run("references", "msy_stock"))
        summary = commons_results.summary(self.path)
        self.assertEqual(summary["final_stock"].units, "t")
        self.assertEqual(commons_results.attributes(self.path)["format_version"], 1)
        self.assertEqual(commons_results.scenario_text(self.path), self.expected["scenario_text"])
        self.assertEqual(list(commons_results.runs(self.path)["seed_text"].values),
                         [str(t["seed"]) for t in self.expected["tasks"]])
        np.testing.assert_array_equal(commons_results.steps(self.path), np.arange(self.expected["steps"]))

    def test_commons_results_rejects_other_files(self):
        with self.assertRaises(FileNotFoundError):
            commons_results.open_series(os.path.join(self.directory.name, "absent.h5"))
        text = os.path.join(self.directory.name, "notes.txt")
        with open(text, "w") as stream:
            stream.write("not hdf5\n")
        with self.assertRaises(commons_results.ResultsFormatError):
            commons_results.open_series(text)

    def test_plot_writes_png(self):
        figure = os.path.join(self.directory.name, "figure.png")
        done = self.run_plot(self.path, "-o", figure)
        self.assertEqual(done.returncode, 0, done.stderr)
        with open(figure, "rb") as stream:
            self.assertEqual(stream.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(figure), 20000)
        leftovers = [n for n in os.listdir(self.directory.name) if n.endswith(".tmp")]
        self.assertEqual(leftovers, [])

    def test_plot_exit_codes(self):
        self.assertEqual(self.run_plot().returncode, 2)
        missing = self.run_plot(os.path.join(self.directory.name, "absent.h5"))
        self.assertEqual(missing.returncode, 4)
        self.assertIn("no such file", missing.stderr)
        text = os.path.join(self.directory.name, "notes.txt")
        with open(text, "w") as stream:
            stream.write("not hdf5\n")
        self.assertEqual(self.run_plot(text, "-o", text + ".png").returncode, 4)
        unwritable = self.run_plot(self.path, "-o", os.path.join(self.directory.name, "no", "dir", "f.png"))
        self.assertEqual(unwritable.returncode, 4)

    def test_no_comparison_no_variants(self):
        self.assertIsNone(commons_results.variant_names(self.path))
        self.assertIsNone(commons_results.run_variants(self.path))
        self.assertIsNone(commons_results.run_variant_indices(self.path))
        with h5py.File(self.path, "r") as f:
            self.assertNotIn("variant", f["runs"])
            self.assertNotIn("variant_name", f["runs"])


class ComparisonFile(ExampleFile):
    """A comparison of 3 variants x 2 replicates x 5 steps x 3 agents: open_access records no
    compliance or governance_cost, state_tac and itq do."""

    VARIANTS = ["open_access", "state_tac", "itq"]

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory(prefix="commons-interop-")
        cls.path, cls.expected = write_example(cls.directory.name, "--variants", "3", "--replicates", "2",
                                               name="regimes.h5")

    def test_expected_plan(self):
        self.assertEqual(self.expected["variants"], self.VARIANTS)
        self.assertEqual([t["variant"] for t in self.expected["tasks"]], [0, 0, 1, 1, 2, 2])

    def test_h5py_variant_columns_with_cf_flags(self):
        with h5py.File(self.path, "r") as f:
            variant = f["runs/variant"]
            self.assertEqual(variant.dtype, np.int64)
            np.testing.assert_array_equal(variant[()], [0, 0, 1, 1, 2, 2])
            self.assertEqual(variant.attrs["flag_values"].dtype, np.int64)
            np.testing.assert_array_equal(variant.attrs["flag_values"], [0, 1, 2])
            self.assertEqual(variant.attrs["flag_meanings"], "open_access state_tac itq")
            self.assertEqual(variant.attrs["long_name"], "variant of the comparison")
            self.assertNotIn("units", variant.attrs)
            self.assertEqual([d[0].name for d in variant.dims], ["/runs/run"])
            names = f["runs/variant_name"]
            info = h5py.check_string_dtype(names.dtype)
            self.assertEqual(info.encoding, "utf-8")
            self.assertIsNone(info.length, "variant_name must be variable-length")
            self.assertEqual([n.decode() for n in names[()]],
                             ["open_access", "open_access", "state_tac", "state_tac", "itq", "itq"])
            self.assertEqual([d[0].name for d in names.dims], ["/runs/run"])

    def test_h5py_variables_on_first_sight(self):
        with h5py.File(self.path, "r") as f:
            # Creation order follows the first runs of the variants, in variant order.
            self.assertEqual(list(k for k in f["series"] if k not in ("run", "step")),
                             ["stock", "harvest", "effort", "rent", "gini", "compliance", "governance_cost"])
            for name in ("compliance", "governance_cost"):
                values = f["series"][name][()]
                self.assertTrue(np.isnan(values[:2]).all(), name)  # open access does not record it
                np.testing.assert_array_equal(values, self.expected_series(name))
            np.testing.assert_array_equal(f["series/gini"][()], self.expected_series("gini"))
            mean_compliance = f["summary/mean_compliance"][()]
            self.assertTrue(np.isnan(mean_compliance[:2]).all())
            np.testing.assert_array_equal(mean_compliance, self.expected_per_run("summary", "mean_compliance"))
            np.testing.assert_array_equal(f["summary/total_governance_cost"][()][:2], [0.0, 0.0])

    def test_no_types_that_netcdf_drops(self):
        H5pyTest.test_no_types_that_netcdf_drops(self)

    def test_xarray_both_engines(self):
        for engine in ENGINES:
            with self.subTest(engine=engine):
                with xarray.open_dataset(self.path, group="runs", engine=engine) as ds:
                    np.testing.assert_array_equal(ds["variant"].values, [0, 0, 1, 1, 2, 2])
                    self.assertEqual(ds["variant"].attrs["flag_meanings"], "open_access state_tac itq")
                    self.assertEqual(list(ds["variant_name"].values),
                                     ["open_access", "open_access", "state_tac", "state_tac", "itq", "itq"])
                with xarray.open_dataset(self.path, group="series", engine=engine) as ds:
                    np.testing.assert_array_equal(ds["compliance"].values, self.expected_series("compliance"))
                    # The route to per-variant means: the names as a coordinate, then groupby.
                    with xarray.open_dataset(self.path, group="runs", engine=engine) as runs:
                        by_variant = ds["stock"].assign_coords(variant=runs["variant_name"]).groupby("variant")
                        means = by_variant.mean("run")
                    stock = self.expected_series("stock")
                    np.testing.assert_allclose(means.sel(variant="itq").values, stock[4:6].mean(axis=0))

    def test_netcdf4(self):
        with netCDF4.Dataset(self.path) as nc:
            runs = nc.groups["runs"]
            self.assertEqual(runs["variant"].flag_meanings, "open_access state_tac itq")
            np.testing.assert_array_equal(runs["variant"].flag_values, [0, 1, 2])
            np.testing.assert_array_equal(runs["variant"][:], [0, 0, 1, 1, 2, 2])
            self.assertEqual(list(runs["variant_name"][:]),
                             ["open_access", "open_access", "state_tac", "state_tac", "itq", "itq"])
            compliance = np.ma.filled(nc.groups["series"]["compliance"][:], np.nan)
            np.testing.assert_array_equal(compliance, self.expected_series("compliance"))

    def test_commons_results_module(self):
        self.assertEqual(commons_results.variant_names(self.path), self.VARIANTS)
        self.assertEqual(list(commons_results.run_variants(self.path)),
                         ["open_access", "open_access", "state_tac", "state_tac", "itq", "itq"])
        np.testing.assert_array_equal(commons_results.run_variant_indices(self.path), [0, 0, 1, 1, 2, 2])
        runs = commons_results.runs(self.path)
        self.assertEqual(runs["variant"].long_name, "variant of the comparison")

    def test_plot_overlays_the_variants(self):
        figure = os.path.join(self.directory.name, "regimes.png")
        done = PythonToolsTest.run_plot(self, self.path, "-o", figure)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stderr, "")
        with open(figure, "rb") as stream:
            header = stream.read(24)
        self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n")
        # Six panels in three rows plus the legend row: taller than the 2x2 figure (9 in at 120 dpi).
        height = int.from_bytes(header[20:24], "big")
        self.assertGreater(height, 9 * 120)
        self.assertGreater(os.path.getsize(figure), 40000)

    def drawn_panels(self, path):
        """{panel title: number of lines} and the variant legend's entries of plot_results' figure."""
        import matplotlib.pyplot as plt
        import plot_results

        drawn = {}
        original = plot_results._save_atomically

        def capture(figure, figure_path):
            for axis in figure.axes:
                if axis.get_title(loc="left"):
                    drawn[axis.get_title(loc="left")] = len(axis.get_lines())
            legend = [a for a in figure.axes if not a.get_title(loc="left")][0].get_legend()
            drawn["legend"] = [t.get_text() for t in legend.get_texts()]

        plot_results._save_atomically = capture
        try:
            plot_results.plot(path, os.path.join(self.directory.name, "unused.png"))
        finally:
            plot_results._save_atomically = original
            plt.close("all")
        return drawn

    def test_plot_panels_follow_the_recorded_series(self):
        # Stock: 3 variants + MSY, MEY, open-access lines; compliance: the two governed variants;
        # governance cost: all three (0 for open access).
        legend = ["open_access (2 runs)", "state_tac (2 runs)", "itq (2 runs)", "min-max over runs"]
        self.assertEqual(self.drawn_panels(self.path),
                         {"Stock": 6, "Rent": 3, "Gini of income": 3, "Compliance": 2,
                          "Governance cost per step": 3, "Effort": 3, "legend": legend})
        # A comparison where no variant is governed: no compliance or governance cost panel.
        ungoverned = os.path.join(self.directory.name, "ungoverned.h5")
        shutil.copyfile(self.path, ungoverned)
        with h5py.File(ungoverned, "r+") as f:
            del f["series/compliance"]
            del f["series/governance_cost"]
        self.assertEqual(self.drawn_panels(ungoverned),
                         {"Stock": 6, "Rent": 3, "Gini of income": 3, "Effort": 3, "legend": legend})

class SitesTest(unittest.TestCase):
    """Per-site series of a resource with sites: a grid opens as [run, step, y, x], a ring of
    sites as [run, step, site] with its edges, in xarray (both engines) and netCDF4."""

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory(prefix="commons-sites-")
        cls.grid, cls.grid_expected = write_example(cls.directory.name, "--grid", "2", "3", name="grid.h5")
        cls.ring, cls.ring_expected = write_example(cls.directory.name, "--ring", "5", name="ring.h5")

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    @staticmethod
    def expected_sites(expected, name, shape):
        runs = expected["runs"]
        values = [nan_array(expected["site_variables"][name]["values"][run]) for run in range(runs)]
        return np.stack(values).reshape((runs, expected["steps"], *shape))

    def test_grid_is_run_step_y_x_in_both_engines(self):
        for engine in ENGINES:
            with self.subTest(engine=engine), xarray.open_dataset(self.grid, group="sites", engine=engine) as ds:
                self.assertEqual(dict(ds.sizes), {"run": 2, "step": 5, "y": 2, "x": 3})
                np.testing.assert_array_equal(ds["y"].values, [0, 1])
                np.testing.assert_array_equal(ds["x"].values, [0, 1, 2])
                for name, info in self.grid_expected["site_variables"].items():
                    self.assertEqual(ds[name].dims, ("run", "step", "y", "x"))
                    self.assertEqual(ds[name].attrs["units"], info["units"])
                    np.testing.assert_array_equal(ds[name].values,
                                                  self.expected_sites(self.grid_expected, name, (2, 3)))
                # A map of one step, as a user would select it.
                self.assertEqual(ds["stock"].isel(run=1, step=4).values[1, 2], 100 * 1 + 4 + 5 / 1000)

    def test_ring_is_run_step_site_with_edges(self):
        for engine in ENGINES:
            with self.subTest(engine=engine), xarray.open_dataset(self.ring, group="sites", engine=engine) as ds:
                self.assertEqual(dict(ds.sizes), {"run": 2, "step": 5, "site": 5, "edge": 5})
                self.assertEqual(ds["stock"].dims, ("run", "step", "site"))
                np.testing.assert_array_equal(ds["stock"].values, self.expected_sites(self.ring_expected, "stock", (5,)))
                np.testing.assert_array_equal(ds["edge_from"].values, [0, 0, 1, 2, 3])
                np.testing.assert_array_equal(ds["edge_to"].values, [1, 4, 2, 3, 4])
        with netCDF4.Dataset(self.ring) as nc:
            self.assertEqual(nc.groups["sites"].site_layout, "graph")
            self.assertEqual(len(nc.groups["sites"].dimensions["site"]), 5)


if __name__ == "__main__":
    if len(sys.argv) < 2 or not os.access(sys.argv[1], os.X_OK):
        print("usage: test_hdf5_interop.py PATH/TO/write_example_results [unittest options]", file=sys.stderr)
        sys.exit(2)
    WRITER = sys.argv[1]
    unittest.main(argv=[sys.argv[0], *sys.argv[2:]], verbosity=2)
