#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The Python module `commons` against the `commons` executable: the same scenario and seed give
the same bits, in a Dataset that holds what the results file holds under the names
docs/python.md gives them; overrides, seeds, errors, output files, threads, Ctrl-C and bad
arguments behave as documented; the EMA Workbench example of docs/python.md runs.

Run: /usr/bin/python3 test_python_module.py --commons BUILD/tools/cli/commons
         --module-dir BUILD/python --source REPO
"""
import argparse
import contextlib
import csv
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np
import xarray

COMMONS = None
SOURCE = None
MODULE_DIR = None
commons = None  # imported in main() from --module-dir

# What the file's groups become in the Dataset (docs/python.md#the-dataset), written out here
# independently of commons/_dataset.py so that a change of either shows.
BARE_GROUPS = {"", "runs", "series", "summary", "references", "network"}
DIMENSIONS = {"run", "step", "agent", "degree", "design_point", "parameter", "y", "x", "site", "edge", "site_step", "agent_step"}
# HDF5's dimension-scale bookkeeping, which no reader shows as attributes.
SCALE_ATTRIBUTES = {"DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME"}
# Root attributes that say when and how a file was made rather than what it holds.
CIRCUMSTANTIAL = {"creation_time", "command_line"}


def scenario(relative):
    return os.path.join(SOURCE, relative)


def run_cli(*arguments, check=True):
    done = subprocess.run([COMMONS, *arguments], capture_output=True, text=True, timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(f"commons {' '.join(arguments)} exited {done.returncode}: {done.stderr}")
    return done


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def dataset_name(group, name):
    """The documented name in the Dataset of the file's `group/name`. A name the dimensions took
    keeps its group: a sweep's runs/design_point beside design/'s dimension design_point."""
    return name if group in BARE_GROUPS and name not in DIMENSIONS else f"{group}.{name}"


def file_contents(path):
    """Everything a results file holds, keyed by the Dataset name docs/python.md gives each
    dataset: {name: (dimensions, values, attributes)}, the coordinates of every group (which
    must agree) and the root attributes."""
    variables, coordinates = {}, {}
    with h5py.File(path, "r") as f:
        root = {key: text(value) for key, value in f.attrs.items()}

        def visit(name, item):
            if isinstance(item, h5py.Group):  # a group's own attributes join the root's
                root.update({f"{name}.{key}": text(value) for key, value in item.attrs.items()})
                return
            group, _, leaf = name.rpartition("/")
            attrs = {key: text(value) for key, value in item.attrs.items() if key not in SCALE_ATTRIBUTES}
            values = item[()]
            if isinstance(values, bytes):  # a scalar string: the scenario, an attached file
                values = np.array(text(values), dtype=object)
            elif values.dtype.kind == "O":
                values = np.array([text(v) for v in np.ravel(values)], dtype=object).reshape(values.shape)
            if text(item.attrs.get("CLASS", b"")) == "DIMENSION_SCALE":
                coordinates.setdefault(leaf, []).append((values, attrs))
                return
            dims = tuple(axis[0].name.rpartition("/")[2] for axis in item.dims)
            key = dataset_name(group, leaf)
            assert key not in variables, f"{key} twice"
            variables[key] = (dims, values, attrs)

        f.visititems(visit)
        # sites/ and agents/ have step coordinates of their own; sampled less often than every
        # step, they are `site_step` and `agent_step` in the flat Dataset (docs/python.md), and
        # so are their variables' dimension.
        for group, dimension in (("sites", "site_step"), ("agents", "agent_step")):
            if group + "/step" in f and not np.array_equal(f[group + "/step"][()], f["series/step"][()]):
                sampled = f[group + "/step"][()]
                coordinates[dimension] = [copy for copy in coordinates["step"] if np.array_equal(copy[0], sampled)]
                coordinates["step"] = [copy for copy in coordinates["step"] if not np.array_equal(copy[0], sampled)]
                for key, (dims, values, attrs) in list(variables.items()):
                    if key.startswith(group + ".") and "step" in dims:
                        variables[key] = (tuple(dimension if d == "step" else d for d in dims), values, attrs)
    return variables, coordinates, root


def same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind in "OU" and b.dtype.kind in "OU":  # strings: object arrays, or numpy str for a scalar
        return a.shape == b.shape and a.tolist() == b.tolist()
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a.view(np.uint64 if a.itemsize == 8 else np.uint32),
                              b.view(np.uint64 if b.itemsize == 8 else np.uint32))
    return np.array_equal(a, b)


def same_attrs(a, b):
    """Attributes alike; arrays (flag_values, a factor's levels) element by element, and of strings
    whether h5py gives them as an array or the module as a list, as xarray does."""
    if set(a) != set(b):
        return False
    arrays = (np.ndarray, list)
    return all(same_bits(a[key], b[key]) if isinstance(a[key], arrays) or isinstance(b[key], arrays)
               else a[key] == b[key] for key in a)


class Workspace(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory(prefix="commons-python-")
        self.dir = self.directory.name

    def tearDown(self):
        self.directory.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def assert_holds_file(self, ds, path):
        """Every dataset, coordinate and attribute of the file is in `ds`, bit for bit, under its
        documented name, and `ds` holds nothing else."""
        variables, coordinates, root = file_contents(path)
        names = set(ds.variables) - DIMENSIONS
        self.assertEqual(names, set(variables))
        for name, (dims, values, attrs) in variables.items():
            with self.subTest(variable=name):
                self.assertEqual(ds[name].dims, dims)
                self.assertTrue(same_bits(ds[name].values, values), f"{name} differs")
                self.assertTrue(same_attrs(ds[name].attrs, attrs), f"{name}: {ds[name].attrs} != {attrs}")
        self.assertEqual(set(ds.dims), set(coordinates))
        for name, copies in coordinates.items():
            for values, attrs in copies:
                self.assertTrue(same_bits(ds[name].values, values), name)
                self.assertEqual(ds[name].attrs, attrs, name)
        self.assertEqual(set(ds.attrs), set(root))
        expected = {key: root[key] for key in set(root) - CIRCUMSTANTIAL}
        self.assertTrue(same_attrs({key: ds.attrs[key] for key in expected}, expected))
        for key in expected:
            if not isinstance(root[key], np.ndarray):
                self.assertEqual(type(ds.attrs[key]), type(root[key]), key)

    def assert_matches_xarray(self, ds, path):
        """Each group as xarray opens it is the Dataset's variables of that group, identical."""
        with h5py.File(path, "r") as f:
            groups = [name for name in f if isinstance(f[name], h5py.Group)]
        for group in ["", *groups]:
            opened = xarray.open_dataset(path, group=group or None, engine="h5netcdf")
            if group == "sites" and "site_step" in ds.dims:
                opened = opened.rename({"step": "site_step"})
            if group == "agents" and "agent_step" in ds.dims:
                opened = opened.rename({"step": "agent_step"})
            for name in opened.data_vars:
                key = dataset_name(group, name)
                with self.subTest(group=group, variable=name):
                    self.assertTrue(ds[key].variable.identical(opened[name].variable))
            for name in opened.coords:
                self.assertTrue(ds[name].variable.identical(opened[name].variable), name)
            opened.close()


class MatchesTheExecutable(Workspace):
    """The module and `commons run` on the same scenario and seed: the same bits."""

    def check(self, relative, *cli_arguments, threads=2, **module_arguments):
        results = self.path("cli.h5")
        run_cli("run", scenario(relative), "-o", results, "-q", "--threads", str(threads), *cli_arguments)
        ds = commons.run(scenario(relative), threads=threads, **module_arguments)
        self.assert_holds_file(ds, results)
        self.assert_matches_xarray(ds, results)
        return ds

    def test_sweep_matches_commons_sweep(self):
        relative = scenario("scenarios/policy/fishery_sensitivity.yaml")
        results = self.path("sweep.h5")
        run_cli("sweep", relative, "--set", "sweep.samples=4", "-o", results, "-q", "--threads", "2")
        ds = commons.sweep(relative, set={"sweep.samples": 4}, threads=2)
        self.assert_holds_file(ds, results)
        self.assert_matches_xarray(ds, results)
        self.assertEqual(ds.sizes["run"], 96)
        self.assertEqual(ds["design.unit"].dims, ("design_point", "parameter"))
        self.assertEqual(ds["runs.design_point"].dims, ("run",))
        self.assertEqual(ds["governance.regime"].attrs["levels"], ["open_access", "state"])
        self.assertEqual(ds.attrs["design.design"], "saltelli")

    def test_run_refuses_a_sweep_as_the_executable_does(self):
        relative = scenario("scenarios/policy/fishery_sensitivity.yaml")
        self.assertEqual(run_cli("run", relative, "-o", self.path("x.h5"), check=False).returncode, 2)
        with self.assertRaisesRegex(ValueError, "has a sweep block"):
            commons.run(relative)
        with self.assertRaisesRegex(ValueError, "has no sweep block"):
            commons.sweep(scenario("scenarios/classic/gordon_schaefer_msy.yaml"))

    def test_plain_scenario(self):
        ds = self.check("scenarios/teaching/open_access_fishery.yaml")
        self.assertEqual(ds.sizes, {"run": 4, "step": 300})
        self.assertIn("stock", ds.data_vars)
        self.assertIn("seed", ds.coords)

    def test_comparison_of_variants(self):
        ds = self.check("scenarios/teaching/fishery_regimes.yaml")
        self.assertEqual(ds["variant"].attrs["flag_meanings"], "open_access state_tac itq local co_management")
        self.assertEqual(list(ds["variant_name"].values[::4]),
                         ["open_access", "state_tac", "itq", "local", "co_management"])
        # The open-access variant has no compliance series: NaN rows, runs still complete.
        self.assertTrue(np.isnan(ds["compliance"].sel(run=0)).all())
        self.assertTrue((ds["completed"] == 1).all())

    def test_sites_on_a_grid(self):
        # The foraging grid sampled every 100 steps: sites/ has its own step coordinate in the
        # file, `site_step` in the Dataset.
        ds = self.check("scenarios/resources/forest_tokens.yaml", "--set", "replicates=2",
                        set={"replicates": 2})
        self.assertEqual(ds["sites.tokens"].dims, ("run", "site_step", "y", "x"))
        self.assertEqual(ds.sizes["site_step"], 12)
        self.assertEqual(list(ds["site_step"].values[:2]), [99, 199])
        self.assertEqual(ds.sizes["step"], 1200)
        # Every step sampled: the sites share the series' step.
        every = self.check("scenarios/resources/forest_tokens.yaml", "--force", "--set", "replicates=1", "--set",
                           "output.site_interval=1", set={"replicates": 1, "output.site_interval": 1})
        self.assertEqual(every["sites.harvest"].dims, ("run", "step", "y", "x"))
        self.assertNotIn("site_step", every.dims)
        # Summed over the grid, a step's per-site harvest is the step's harvest.
        self.assertTrue(np.allclose(every["sites.harvest"].sum(("y", "x")), every["harvest"]))

    def test_spatial_fishery_with_rules(self):
        # Boats paying for trips to grounds of a grid, a no-take area among the variants: the
        # engine's trip_costs series and the rules' series reach the Dataset as in the file.
        ds = self.check("scenarios/resources/fishery_spatial.yaml", "--set", "replicates=1",
                        set={"replicates": 1})
        self.assertEqual(ds["sites.stock"].dims, ("run", "step", "y", "x"))
        self.assertEqual(ds["trip_costs"].dims, ("run", "step"))
        self.assertTrue((ds["trip_costs"] > 0).all())
        self.assertIn("closed_sites", ds)

    def test_agents_recorded(self):
        ds = self.check("scenarios/teaching/fishing_schedule.yaml")
        self.assertEqual(ds["agents.effort"].dims, ("run", "step", "agent"))
        self.assertEqual(ds["agent"].dtype, np.uint64)
        # agents/effort and series/effort differ in name and in value: the series is the sum.
        np.testing.assert_allclose(ds["agents.effort"].sum("agent"), ds["effort"])
        # Recorded at the end of every fourth step: agents/ has its own step coordinate in the
        # file, `agent_step` in the Dataset, and its rows are those steps of the full record.
        sparse = self.check("scenarios/teaching/fishing_schedule.yaml", "--force", "--set", "output.agent_interval=4",
                            set={"output.agent_interval": 4})
        self.assertEqual(sparse["agents.effort"].dims, ("run", "agent_step", "agent"))
        self.assertEqual(list(sparse["agent_step"].values[:2]), [3, 7])
        np.testing.assert_array_equal(sparse["agents.income"].values,
                                      ds["agents.income"].sel(step=sparse["agent_step"].values).values)

    def test_network_and_attached_files(self):
        ds = self.check("tests/unit/scenario/good/behaviours.yaml")
        self.assertEqual(ds["degree_count"].dims, ("run", "degree"))
        decisions = ds["inputs.agents.0.behaviour.decisions"]
        with open(scenario("tests/unit/scenario/good/data/decisions.csv"), encoding="utf-8", newline="") as handle:
            self.assertEqual(decisions.item(), handle.read())
        self.assertEqual(decisions.attrs["path"], "data/decisions.csv")

    def test_set_and_seed_match_set_and_seed_options(self):
        ds = self.check("scenarios/teaching/open_access_fishery.yaml",
                        "--set", "economics.cost_per_effort=40", "--set", "output.series=[stock, rent]",
                        "--set", "governance={regime: state}", "--set", "replicates=2", "--seed", "7",
                        set={"economics.cost_per_effort": 40, "output.series": ["stock", "rent"],
                             "governance": "{regime: state}", "replicates": 2}, seed=7)
        self.assertEqual(list(ds["seed"].values), [7, 7])
        self.assertNotIn("harvest", ds.data_vars)
        # A dict is the same map as its YAML text.
        again = commons.run(scenario("scenarios/teaching/open_access_fishery.yaml"), seed=7,
                            set={"economics.cost_per_effort": np.int32(40), "output.series": ("stock", "rent"),
                                 "governance": {"regime": "state"}, "replicates": np.int64(2)})
        for name in ds.variables:
            self.assertTrue(same_bits(ds[name].values, again[name].values), name)

    def test_seed_changes_the_runs(self):
        default = commons.run(scenario("scenarios/teaching/open_access_fishery.yaml"), set={"replicates": 1})
        seeded = commons.run(scenario("scenarios/teaching/open_access_fishery.yaml"), set={"replicates": 1}, seed=7)
        self.assertEqual(int(default["seed"][0]), 20261128)
        self.assertFalse(np.array_equal(default["stock"].values, seeded["stock"].values))

    def test_later_override_wins_as_on_the_command_line(self):
        self.check("scenarios/teaching/open_access_fishery.yaml", "--set", "replicates=3", "--set", "seed=5",
                   "--seed", "9", set={"replicates": 3, "seed": 5}, seed=9)


class OutputFile(Workspace):
    """output= writes the file `commons run -o` writes."""

    def test_output_is_the_executables_file(self):
        relative = "scenarios/teaching/fishery_regimes.yaml"
        cli_file, module_file = self.path("cli.h5"), self.path("module.h5")
        run_cli("run", scenario(relative), "-o", cli_file, "-q", "--threads", "2", "--seed", "11")
        ds = commons.run(scenario(relative), seed=11, threads=2, output=module_file)
        self.assertFalse(os.path.exists(module_file + ".partial"))
        cli_variables, cli_coordinates, cli_root = file_contents(cli_file)
        variables, coordinates, root = file_contents(module_file)
        self.assertEqual(set(variables), set(cli_variables))
        for name, (dims, values, attrs) in variables.items():
            self.assertEqual(dims, cli_variables[name][0], name)
            self.assertTrue(same_bits(values, cli_variables[name][1]), name)
            self.assertTrue(same_attrs(attrs, cli_variables[name][2]), name)
        for name, copies in coordinates.items():
            for (values, attrs), (cli_values, cli_attrs) in zip(copies, cli_coordinates[name]):
                self.assertTrue(same_bits(values, cli_values), name)
                self.assertEqual(attrs, cli_attrs, name)
        self.assertEqual(set(root), set(cli_root))
        for key in set(root) - CIRCUMSTANTIAL:
            self.assertEqual(root[key], cli_root[key], key)
        self.assertEqual(root["status"], "complete")
        self.assertEqual(root["command_line"],
                         f"commons.run({scenario(relative)!r}, seed=11, threads=2, output={module_file!r})")
        # The Dataset returned with it holds the file it wrote.
        self.assert_holds_file(ds, module_file)

    def test_existing_output_needs_force(self):
        relative = scenario("scenarios/classic/gordon_schaefer_msy.yaml")
        output = self.path("results.h5")
        commons.run(relative, output=output)
        with self.assertRaises(commons.OutputError) as caught:
            commons.run(relative, output=output)
        self.assertIsInstance(caught.exception, OSError)
        self.assertIn("--force", str(caught.exception))
        commons.run(relative, output=output, force=True, seed=3)
        with h5py.File(output, "r") as f:
            self.assertEqual(int(f["runs/seed"][0]), 3)

    def test_never_replaces_the_scenario(self):
        copy = self.path("scenario.yaml")
        with open(scenario("scenarios/classic/gordon_schaefer_msy.yaml"), encoding="utf-8") as handle:
            original = handle.read()
        with open(copy, "w", encoding="utf-8") as handle:
            handle.write(original)
        with self.assertRaises(commons.OutputError):
            commons.run(copy, output=copy, force=True)
        with open(copy, encoding="utf-8") as handle:
            self.assertEqual(handle.read(), original)


class Threads(Workspace):
    def test_one_and_two_threads_give_the_same_bits(self):
        for relative in ("scenarios/teaching/fishery_regimes.yaml", "scenarios/teaching/cpr_communication.yaml"):
            with self.subTest(scenario=relative):
                one = commons.run(scenario(relative), threads=1)
                two = commons.run(scenario(relative), threads=2)
                self.assertEqual(set(one.variables), set(two.variables))
                for name in one.variables:
                    self.assertTrue(same_bits(one[name].values, two[name].values), name)
                self.assertEqual(int(one.attrs["threads"]), 1)


class Validation(Workspace):
    """validate raises ScenarioError with the message `commons validate` prints."""

    def cases(self):
        table = scenario("tests/unit/scenario/bad/cases.tsv")
        with open(table, newline="") as handle:
            rows = [row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")]
        self.assertGreaterEqual(len(rows), 10)
        return [scenario(os.path.join("tests/unit/scenario/bad", name)) for name, _ in rows]

    def test_every_broken_file_gives_the_executables_message(self):
        for path in self.cases():
            with self.subTest(fixture=os.path.basename(path)):
                printed = run_cli("validate", path, check=False)
                self.assertEqual(printed.returncode, 3)
                with self.assertRaises(commons.ScenarioError) as caught:
                    commons.validate(path)
                error = caught.exception
                self.assertEqual(str(error) + "\n", printed.stderr)
                self.assertEqual(error.file, path)
                prefix = f"{error.file}:{error.line}:{error.column}: "
                self.assertTrue(str(error).startswith(prefix), str(error))
                if error.pointer:
                    self.assertEqual(str(error), f"{prefix}{error.pointer}: {error.message}")
                else:
                    self.assertEqual(str(error), prefix + error.message)

    def test_run_raises_what_validate_raises(self):
        path = self.cases()[0]
        with self.assertRaises(commons.ScenarioError) as by_validate:
            commons.validate(path)
        with self.assertRaises(commons.ScenarioError) as by_run:
            commons.run(path)
        self.assertEqual(str(by_run.exception), str(by_validate.exception))

    def test_overrides_fail_as_set_options_fail(self):
        path = scenario("scenarios/teaching/open_access_fishery.yaml")
        for assignments, options in (
            ({"economics.cost_per_effort": -1}, ["--set", "economics.cost_per_effort=-1"]),
            ({"economics.cost_per_efort": 1}, ["--set", "economics.cost_per_efort=1"]),
            ({"": 1}, ["--set", "=1"]),
            ({"agents.0.count": "[1, 2"}, ["--set", "agents.0.count=[1, 2"]),
        ):
            with self.subTest(assignments=assignments):
                printed = run_cli("validate", path, *options, check=False)
                self.assertEqual(printed.returncode, 3, printed.stderr)
                with self.assertRaises(commons.ScenarioError) as caught:
                    commons.validate(path, set=assignments)
                self.assertEqual(str(caught.exception) + "\n", printed.stderr)

    def test_a_valid_scenario_returns_none(self):
        self.assertIsNone(commons.validate(scenario("scenarios/teaching/fishery_regimes.yaml")))
        self.assertIsNone(commons.validate(scenario("scenarios/teaching/open_access_fishery.yaml"),
                                           set={"resource.growth_rate": 0.7}))

    def test_a_missing_file_is_a_scenario_error_as_in_the_executable(self):
        missing = self.path("no_such.yaml")
        printed = run_cli("validate", missing, check=False)
        with self.assertRaises(commons.ScenarioError) as caught:
            commons.validate(missing)
        self.assertEqual(str(caught.exception) + "\n", printed.stderr)


class BadArguments(Workspace):
    """Wrong arguments raise TypeError or ValueError before anything runs; none crashes."""

    def test_type_errors(self):
        path = scenario("scenarios/classic/gordon_schaefer_msy.yaml")
        for arguments in (
            dict(scenario=None), dict(scenario=3), dict(scenario=path, set=[("seed", 1)]),
            dict(scenario=path, set={1: 2}), dict(scenario=path, set={"seed": object()}),
            dict(scenario=path, set={"governance": {1: "state"}}), dict(scenario=path, seed="7"),
            dict(scenario=path, seed=7.0), dict(scenario=path, seed=True), dict(scenario=path, threads=1.5),
            dict(scenario=path, threads=None), dict(scenario=path, output=5), dict(scenario=path, force="yes"),
        ):
            with self.subTest(arguments=arguments):
                with self.assertRaises(TypeError):
                    commons.run(**arguments)
        with self.assertRaises(TypeError):
            commons.validate(path, set="seed=1")
        with self.assertRaises(TypeError):
            commons.run(path, unknown=1)

    def test_value_errors(self):
        path = scenario("scenarios/classic/gordon_schaefer_msy.yaml")
        for arguments in (
            dict(seed=-1), dict(seed=2**53), dict(threads=-1), dict(threads=5000),
            dict(set={"economics.price": float("nan")}), dict(set={"economics.price": float("inf")}),
        ):
            with self.subTest(arguments=arguments):
                with self.assertRaises(ValueError):
                    commons.run(path, **arguments)

    def test_the_native_part_checks_types_too(self):
        with self.assertRaises(TypeError):
            commons._native.run(1, [], None, 0, None, False, "")
        with self.assertRaises(TypeError):
            commons._native.validate("x.yaml", [("path", 1)])

    def test_results_larger_than_memory_are_refused_before_running(self):
        start = time.monotonic()
        with self.assertRaises(MemoryError) as caught:
            commons.run(scenario("scenarios/teaching/fishing_schedule.yaml"),
                        set={"agents.0.count": 100000, "replicates": 100000})
        self.assertLess(time.monotonic() - start, 30)
        self.assertRegex(str(caught.exception), r"fishing_schedule.yaml: the .* need about [0-9.]+ [TPG]B of memory")

    def test_largest_seed_is_accepted(self):
        ds = commons.run(scenario("scenarios/classic/gordon_schaefer_msy.yaml"), seed=2**53 - 1)
        self.assertEqual(int(ds["seed"][0]), 2**53 - 1)
        self.assertEqual(ds["seed_text"].item(0), str(2**53 - 1))


class Interrupt(Workspace):
    """Ctrl-C stops the runs, raises KeyboardInterrupt, and leaves the module usable."""

    CHILD = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
import commons
print("running", flush=True)
try:
    commons.run(sys.argv[2], set={"agents.0.count": 60000, "replicates": 12}, threads=1, output=sys.argv[3])
    print("finished")
except KeyboardInterrupt:
    print("interrupted", time.monotonic(), flush=True)
ds = commons.run(sys.argv[2], set={"replicates": 1})
print("usable", int(ds["completed"].sum()))
"""

    def test_ctrl_c_stops_the_runs(self):
        output = self.path("long.h5")
        child = subprocess.Popen([sys.executable, "-c", self.CHILD, MODULE_DIR,
                                  scenario("scenarios/teaching/open_access_fishery.yaml"), output],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(child.stdout.readline().strip(), "running")
        time.sleep(3)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)
        self.assertEqual(child.returncode, 0, err)
        lines = out.split("\n")
        self.assertTrue(lines[0].startswith("interrupted"), out)
        # A run in flight notices within a second; the time is generous for a loaded machine.
        self.assertLess(float(lines[0].split()[1]) - sent, 10)
        self.assertEqual(lines[1], "usable 1")
        # As after Ctrl-C in `commons run`: never the final name; the finished runs in FILE.partial.
        self.assertFalse(os.path.exists(output))
        if os.path.exists(output + ".partial"):
            with h5py.File(output + ".partial", "r") as f:
                self.assertEqual(f.attrs["status"], b"partial")
                self.assertLess(int(f["runs/completed"][()].sum()), 12)


def documentation():
    with open(scenario("docs/python.md"), encoding="utf-8") as handle:
        return handle.read()


def fenced_blocks():
    """The fenced blocks of docs/python.md in order: (language, text, the line after the previous
    block's end was this block's opening fence)."""
    blocks, language, lines, adjacent, previous_end = [], None, [], False, None
    for number, line in enumerate(documentation().split("\n")):
        if language is None and line.startswith("```"):
            language, lines, adjacent = line[3:].strip(), [], previous_end == number - 1
        elif language is not None and line == "```":
            blocks.append((language, "".join(text + "\n" for text in lines), adjacent))
            language, previous_end = None, number
        elif language is not None:
            lines.append(line)
    return blocks


def ema_example():
    """The block of docs/python.md that defines the EMA Workbench model function."""
    found = [text for language, text, _ in fenced_blocks() if language == "python" and "def fishery(" in text]
    assert len(found) == 1, "docs/python.md has one block defining fishery()"
    return found[0]


def in_source_tree(function, *arguments, **keywords):
    # The examples name scenarios relative to the repository, as a user in it would.
    here = os.getcwd()
    os.chdir(SOURCE)
    try:
        return function(*arguments, **keywords)
    finally:
        os.chdir(here)


class EmaWorkbenchExample(Workspace):
    """The function docs/python.md plugs into EMA Workbench's Model, run as EMA would call it."""

    def example(self):
        block = ema_example()
        self.assertLessEqual(len(block.strip().split("\n")), 16)
        namespace = {}
        exec(compile(block, "docs/python.md", "exec"), namespace)
        return namespace["fishery"]

    def test_outcomes_for_keyword_uncertainties_and_levers(self):
        fishery = self.example()
        low = in_source_tree(fishery, growth_rate=0.4, price=12.0, tac_fraction=0.6)
        high = in_source_tree(fishery, growth_rate=0.4, price=12.0, tac_fraction=1.4, inspection=0.05)
        default = in_source_tree(fishery)
        self.assertEqual(set(low), {"final_stock", "discounted_rent", "collapsed"})
        for outcomes in (low, high, default):
            for name, value in outcomes.items():
                self.assertIsInstance(value, float, name)
                self.assertTrue(np.isfinite(value), name)
        # The levers matter: a quota above MSY, rarely enforced, leaves less fish.
        self.assertGreater(low["final_stock"], high["final_stock"])


class DocumentedOutput(Workspace):
    """Each example of docs/python.md followed by its output prints exactly that output."""

    def test_examples_print_what_the_documentation_shows(self):
        blocks = fenced_blocks()
        pairs = [(code[1], output[1]) for code, output in zip(blocks, blocks[1:])
                 if code[0] == "python" and output[0] == "" and output[2]]
        self.assertGreaterEqual(len(pairs), 4)
        namespace = {}
        exec(compile(ema_example(), "docs/python.md", "exec"), namespace)  # later examples call fishery()
        for code, expected in pairs:
            with self.subTest(example=code.split("\n")[-2]):
                printed = io.StringIO()
                with contextlib.redirect_stdout(printed):
                    in_source_tree(exec, compile(code, "docs/python.md", "exec"), namespace)
                self.assertEqual(printed.getvalue(), expected)


def main():
    global COMMONS, SOURCE, MODULE_DIR, commons
    parser = argparse.ArgumentParser()
    parser.add_argument("--commons", required=True)
    parser.add_argument("--module-dir", required=True)
    parser.add_argument("--source", required=True)
    options, rest = parser.parse_known_args()
    COMMONS, SOURCE = os.path.abspath(options.commons), os.path.abspath(options.source)
    MODULE_DIR = os.path.abspath(options.module_dir)
    sys.path.insert(0, MODULE_DIR)
    import commons as module

    commons = module
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
