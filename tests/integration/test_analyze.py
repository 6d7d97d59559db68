#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`commons analyze` and `commons export` end to end (docs/analysis.md): a small Saltelli sweep
and a Morris sweep of the fishery analysed, the analysis/ group read by h5py and both xarray
engines and checked against the printed report and against statistics recomputed here, a
parameter that cannot matter, re-analysing, kill -9 while the file is rewritten, a sweep still
writing, an unfinished sweep's .partial, and CSV tables read back exactly.

Run: /usr/bin/python3 test_analyze.py --commons BUILD/tools/cli/commons --source REPO
"""
import argparse
import csv
import fcntl
import hashlib
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np
import pandas as pd
import xarray as xr

COMMONS = None
SOURCE = None

# The open-access fishery of scenarios/policy/fishery_sensitivity.yaml, smaller: 10 boats, 60
# steps. economics.discount_rate changes only how rent is discounted, never the stock
# (docs/models.md), so it cannot matter for final_stock: the null parameter.
BASE = """\
name: analyze_test
resource:
  model: fishery_logistic
  growth_rate: 0.5
  carrying_capacity: 1000
  catchability: 0.01
  observation_noise: 0.05
economics:
  price: 10
  cost_per_effort: 25
  discount_rate: 0.05
agents:
  - group: boats
    count: 10
    behaviour:
      model: fleet
      initial_effort: 0.25
      adjustment_rate: 0.0005
      max_effort: 10
governance:
  regime: open_access
steps: {steps}
seed: 11
"""

PARAMETERS = """\
  parameters:
    resource.growth_rate: {range: [0.2, 0.8]}
    economics.price: {range: [5, 15]}
    economics.discount_rate: {range: [0.01, 0.1]}
"""

SALTELLI = BASE + """\
sweep:
  design: saltelli
  samples: {samples}
  replicates: 2
""" + PARAMETERS + """\
  levers:
    governance.regime: {{values: [open_access, state]}}
"""

MORRIS = BASE + """\
sweep:
  design: morris
  samples: 12
  levels: 4
  replicates: 2
""" + PARAMETERS

NULL_PARAMETER = "economics.discount_rate"
FACTORS = ["resource.growth_rate", "economics.price", "economics.discount_rate"]
# Student's t quantile at 0.975 with one degree of freedom: the 95 % interval of two replicates.
T_975_1 = 12.706204736174707


def commons(*arguments, timeout=600, **kwargs):
    return subprocess.run([COMMONS, *arguments], capture_output=True, text=True, timeout=timeout, **kwargs)


def digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def scenario(directory, name, template, **values):
    path = os.path.join(directory, name)
    with open(path, "w") as handle:
        handle.write(template.replace("{steps}", str(values.get("steps", 60)))
                     .replace("{samples}", str(values.get("samples", 32)))
                     .replace("{{", "{").replace("}}", "}"))
    return path


def sweep(test, scenario_path, output, *extra):
    result = commons("sweep", scenario_path, "-o", output, "--quiet", *extra)
    test.assertEqual(result.returncode, 0, result.stderr)


def analyze(test, path, *extra, code=0):
    result = commons("analyze", path, *extra)
    test.assertEqual(result.returncode, code, result.stdout + result.stderr)
    return result


def everything_but_analysis(path):
    """Root attributes and every dataset with its attributes, outside analysis/."""
    content = {}
    with h5py.File(path, "r") as handle:
        content["/"] = {name: repr(value) for name, value in handle.attrs.items()}

        def visit(name, item):
            if name == "analysis" or name.startswith("analysis/"):
                return
            if isinstance(item, h5py.Dataset):
                attributes = {key: repr(value) for key, value in item.attrs.items()
                              if key not in ("DIMENSION_LIST", "REFERENCE_LIST")}
                content[name] = (item.dtype.str, item.shape, item[()].tobytes() if item.dtype.kind != "O"
                                 else repr(item[()]), attributes)

        handle.visititems(visit)
    return content


def number(text):
    return math.nan if text == "-" else float(text)


def sobol_report(stdout):
    """{(policy, measure, factor): (S, low, high, noise, ST, low, high, noise)} as printed."""
    rows = {}
    policy = measure = None
    row = re.compile(r"^    (\S+)\s+(\S+)\s+(?:\[(\S+), (\S+)\]|-)\s+(\S+)\s+(\S+)\s+(?:\[(\S+), (\S+)\]|-)\s+(\S+)$")
    for line in stdout.splitlines():
        if line.startswith("Policy "):
            policy = int(line.split()[1].rstrip(":"))
        elif re.match(r"^  \w+( \[.*\])?: ", line):
            measure = line.split()[0].rstrip(":")
        elif (match := row.match(line)) and match.group(1) != "factor":
            rows[(policy, measure, match.group(1))] = tuple(number(g or "-") for g in match.groups()[1:])
    return rows


def morris_report(stdout):
    """{(measure, factor): (mu*, noise, mu, noise, sigma, noise)} as printed."""
    rows = {}
    measure = None
    for line in stdout.splitlines():
        if re.match(r"^  \w+( \[.*\])?: ", line):
            measure = line.split()[0].rstrip(":")
        elif line.startswith("    ") and len(line.split()) == 7 and line.split()[0] != "factor":
            fields = line.split()
            rows[(measure, fields[0])] = tuple(number(f) for f in fields[1:])
    return rows


class Workspace(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory(prefix="commons-analyze-")
        self.dir = self.directory.name

    def tearDown(self):
        self.directory.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)


class Saltelli(unittest.TestCase):
    """One sweep of 32 base samples x (3 + 2) points x 2 policies x 2 replicates, analysed once."""

    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory(prefix="commons-analyze-")
        cls.file = os.path.join(cls.directory.name, "sweep.h5")
        result = commons("sweep", scenario(cls.directory.name, "sweep.yaml", SALTELLI), "-o", cls.file, "--quiet")
        assert result.returncode == 0, result.stderr
        cls.before = everything_but_analysis(cls.file)
        cls.size_before = os.path.getsize(cls.file)
        cls.result = commons("analyze", cls.file, "--all")
        assert cls.result.returncode == 0, cls.result.stdout + cls.result.stderr

    @classmethod
    def tearDownClass(cls):
        cls.directory.cleanup()

    def test_report_says_what_it_is(self):
        out = self.result.stdout
        self.assertIn("Status      complete (640 of 640 runs complete)", out)
        self.assertIn("saltelli: 32 base samples x (3 parameters + 2) = 160 points x 2 policies x 2 replicates = "
                      "640 runs", out)
        self.assertIn("Policy 1: governance.regime=state", out)
        self.assertIn("Written     analysis/ and analysis/points in " + self.file, out)
        self.assertIn("writing analysis/ into a copy of", self.result.stderr)

    def test_printed_indices_are_the_stored_ones(self):
        printed = sobol_report(self.result.stdout)
        with h5py.File(self.file, "r") as handle:
            group = handle["analysis"]
            measures = [m.decode() for m in group["measure"][()]]
            factors = [f.decode() for f in group["factor"][()]]
            self.assertEqual(factors, FACTORS)
            checked = 0
            for (policy, measure, factor), shown in printed.items():
                m, f = measures.index(measure), factors.index(factor)
                stored = [group[name][policy, m, f] for name in (
                    "first_order", "first_order_low", "first_order_high", "first_order_replicate_sd",
                    "total_order", "total_order_low", "total_order_high", "total_order_replicate_sd")]
                for text, value in zip(shown, stored):
                    if math.isnan(text):
                        self.assertTrue(math.isnan(value), (policy, measure, factor))
                    else:
                        self.assertLessEqual(abs(text - value), 0.0005 + 1e-12, (policy, measure, factor))
                checked += 1
            # Every measure with indices under either policy, three factors each.
            with_indices = (group["groups_used"][()] > 0) & (group["variance"][()] > 0)
            self.assertEqual(checked, 3 * int(with_indices.sum()))
        self.assertIn((1, "final_stock", NULL_PARAMETER), printed)

    def test_a_parameter_that_cannot_matter_gets_an_index_near_zero(self):
        data = xr.open_dataset(self.file, group="analysis")
        for policy in (0, 1):
            null = data.sel(policy=policy, measure="final_stock", factor=NULL_PARAMETER)
            # Its runs differ only by their random numbers (each point has its own streams), so
            # its first-order index is noise: within its interval, and that interval holds 0.
            self.assertLessEqual(float(null.first_order_low), 0.0)
            self.assertGreaterEqual(float(null.first_order_high), 0.0)
            self.assertLess(abs(float(null.first_order)), 0.05)
            self.assertLess(float(null.total_order), 0.02)
            price = data.sel(policy=policy, measure="final_stock", factor="economics.price")
            self.assertGreater(float(price.total_order), 0.1)
            # The same parameter matters for the rent it discounts.
            rent = data.sel(policy=policy, measure="discounted_rent", factor=NULL_PARAMETER)
            self.assertGreater(float(rent.total_order), 0.05)

    def test_both_xarray_engines_and_h5py_read_it(self):
        with h5py.File(self.file, "r") as handle:
            group = handle["analysis"]
            self.assertEqual(group.attrs["design"], "saltelli")
            self.assertEqual(group.attrs["resamples"], 1000)
            self.assertEqual(group.attrs["confidence"], 0.95)
            self.assertEqual(group.attrs["analysed_status"], "complete")
            summary = [name for name, item in handle["summary"].items() if name != "run"]
            self.assertEqual([m.decode() for m in group["measure"][()]], summary)
            self.assertEqual(group["first_order"].dims[2][0].name, "/analysis/factor")
            self.assertEqual(group["first_order"].attrs["units"], "1")
        for engine in ("netcdf4", "h5netcdf"):
            with self.subTest(engine=engine):
                data = xr.open_dataset(self.file, group="analysis", engine=engine)
                self.assertEqual(dict(data.sizes), {"policy": 2, "measure": len(summary), "factor": 3})
                self.assertEqual(data["first_order"].dims, ("policy", "measure", "factor"))
                self.assertEqual(list(data["policy_name"].values),
                                 ["governance.regime=open_access", "governance.regime=state"])
                self.assertEqual(list(data["governance.regime"].values), ["open_access", "state"])
                self.assertEqual(str(data["measure_units"].sel(measure="final_stock").values), "t")
                points = xr.open_dataset(self.file, group="analysis/points", engine=engine)
                self.assertEqual(dict(points.sizes), {"policy": 2, "design_point": 160})
                self.assertEqual(points["final_stock_mean"].attrs["units"], "t")
                design = xr.open_dataset(self.file, group="design", engine=engine)
                np.testing.assert_array_equal(
                    points["resource.growth_rate"].values > 0, design["unit"].sel(parameter="resource.growth_rate") > 0)

    def test_point_statistics_are_those_of_the_runs(self):
        with h5py.File(self.file, "r") as handle:
            runs = handle["runs"]
            point, policy, replicate = runs["design_point"][()], runs["policy"][()], runs["replicate"][()]
            points = handle["analysis/points"]
            for measure in ("final_stock", "discounted_rent", "equity", "collapse_step"):
                values = handle["summary/" + measure][()]
                table = np.full((2, 160, 2), np.nan)
                table[policy, point, replicate] = values
                finite = np.isfinite(table)
                count = finite.sum(axis=2)
                np.testing.assert_array_equal(points[measure + "_count"][()], count)
                with np.errstate(invalid="ignore"):
                    mean = np.where(count > 0, np.nansum(table, axis=2) / np.maximum(count, 1), np.nan)
                    sd = np.where(count == 2, np.abs(table[..., 0] - table[..., 1]) / math.sqrt(2), np.nan)
                np.testing.assert_allclose(points[measure + "_mean"][()], mean, rtol=1e-13, atol=0)
                np.testing.assert_allclose(points[measure + "_sd"][()], sd, rtol=1e-10, atol=1e-300)
                half = T_975_1 * sd / math.sqrt(2)
                np.testing.assert_allclose(points[measure + "_low"][()], mean - half, rtol=1e-10, atol=1e-9)
                np.testing.assert_allclose(points[measure + "_high"][()], mean + half, rtol=1e-10, atol=1e-9)
                # Over the design: the points' means.
                m = [name.decode() for name in handle["analysis/measure"][()]].index(measure)
                for p in (0, 1):
                    means = mean[p][np.isfinite(mean[p])]
                    self.assertEqual(handle["analysis/count"][p, m], len(means))
                    if len(means):
                        self.assertAlmostEqual(handle["analysis/mean"][p, m], means.mean(), delta=1e-9 * abs(means.mean()))

    def test_nothing_else_in_the_file_changes(self):
        self.assertEqual(everything_but_analysis(self.file), self.before)
        with h5py.File(self.file, "r") as handle:
            self.assertEqual(sorted(handle.keys()),
                             ["analysis", "design", "inputs", "references", "runs", "scenario", "series", "summary"])


class Swept(Workspace):
    """A Saltelli sweep of `samples` base samples in sweep.h5."""
    samples = 8

    def setUp(self):
        super().setUp()
        self.file = self.path("sweep.h5")
        sweep(self, scenario(self.dir, "sweep.yaml", SALTELLI, samples=self.samples), self.file)


class Reanalysis(Swept):
    samples = 16

    def indices(self):
        data = xr.open_dataset(self.file, group="analysis").load()
        data.close()
        return data

    def test_analysing_again_replaces_the_group(self):
        analyze(self, self.file, "-q")
        first = self.indices()
        size = os.path.getsize(self.file)
        analyze(self, self.file, "-q", "--resamples", "100", "--seed", "3", "--confidence", "0.9")
        second = self.indices()
        self.assertEqual(second.attrs["resamples"], 100)
        self.assertEqual(second.attrs["seed"], 3)
        self.assertEqual(second.attrs["confidence"], 0.9)
        self.assertEqual(sorted(second.data_vars), sorted(first.data_vars))
        # The estimates do not depend on the bootstrap; their intervals do.
        np.testing.assert_array_equal(second["first_order"].values, first["first_order"].values)
        self.assertFalse(np.array_equal(second["first_order_low"].values, first["first_order_low"].values,
                                        equal_nan=True))
        with h5py.File(self.file, "r") as handle:
            self.assertEqual(len([name for name in handle.keys() if name.startswith("analysis")]), 1)
        # The text of the old group stays as unused space in the file; its numbers' space is reused.
        self.assertLess(os.path.getsize(self.file) - size, 200_000)
        analyze(self, self.file, "-q")
        third = self.indices()
        for name in first.data_vars:
            np.testing.assert_array_equal(third[name].values, first[name].values, err_msg=name)
        self.assertEqual(sorted(os.listdir(self.dir)), ["sweep.h5", "sweep.yaml"])

    def test_a_run_file_and_bad_options_are_refused(self):
        run_file = self.path("run.h5")
        result = commons("run", os.path.join(SOURCE, "scenarios/teaching/open_access_fishery.yaml"), "-o", run_file,
                         "--quiet", "--set", "replicates=2", "--set", "steps=20")
        self.assertEqual(result.returncode, 0, result.stderr)
        result = analyze(self, run_file, code=4)
        self.assertIn("holds no sweep (no design/ group)", result.stderr)
        before = digest(self.file)
        result = analyze(self, self.file, "--measure", "final_stok", code=2)
        self.assertIn("--measure final_stok: " + self.file + " has no such summary measure; it has final_stock,",
                      result.stderr)
        analyze(self, self.file, "--confidence", "1", code=2)
        analyze(self, self.file, "--resamples", "-3", code=2)
        self.assertEqual(digest(self.file), before)
        with h5py.File(self.file, "r") as handle:
            self.assertNotIn("analysis", handle)


class KilledWhileWriting(Workspace):
    """kill -9 while analyze rewrites the file: the file is the old one, byte for byte, or the new
    one whole, and nothing else is left in the directory."""

    def scratch_open(self, pid):
        """True once the process holds the unnamed copy it writes the analysis into."""
        try:
            for fd in os.listdir("/proc/%d/fd" % pid):
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
                if target.startswith(self.dir) and ("(deleted)" in target or "/." in target):
                    return True
        except (FileNotFoundError, ProcessLookupError):
            pass
        return False

    def test_kill_nine_while_the_copy_is_written(self):
        # A file of some 70 MB, so that copying and syncing it takes a while (about 0.1 s).
        self.file = self.path("sweep.h5")
        sweep(self, scenario(self.dir, "big.yaml", BASE.replace("count: 10", "count: 4") + """\
sweep:
  design: saltelli
  samples: 4
  replicates: 2
  parameters:
    resource.growth_rate: {range: [0.2, 0.8]}
""", steps=50000), self.file)
        with tempfile.TemporaryDirectory(prefix="commons-analyze-pristine-") as elsewhere:
            pristine = os.path.join(elsewhere, "sweep.h5")
            shutil.copy(self.file, pristine)
            analyze(self, pristine, "-q")
            with h5py.File(pristine, "r") as handle:
                expected = handle["analysis/first_order"][()]
            shutil.copy(self.file, pristine)
            # A copy a killed writer left under its hidden name is removed by the next writer of
            # the file; one that a live writer holds locked is not.
            stale = os.path.join(self.dir, ".sweep.h5.12345")
            held = os.path.join(self.dir, ".sweep.h5.67890")
            for name in (stale, held):
                with open(name, "wb") as handle:
                    handle.write(b"a copy")
            with open(held, "rb") as holder:
                fcntl.flock(holder, fcntl.LOCK_EX)
                analyze(self, self.file, "-q")
                self.assertFalse(os.path.exists(stale))
                self.assertTrue(os.path.exists(held))
            os.remove(held)
            shutil.copy(pristine, self.file)
            original = digest(self.file)
            names = sorted(os.listdir(self.dir))
            generator = random.Random(20261205)
            interrupted = 0
            left_over = set()
            for attempt in range(10):
                process = subprocess.Popen([COMMONS, "analyze", self.file, "-q"], stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL)
                while process.poll() is None and not self.scratch_open(process.pid):
                    time.sleep(0.0005)
                time.sleep(generator.uniform(0.0, 0.15))
                process.kill()
                code = process.wait()
                # Killed between naming its finished copy and renaming it over the file, a writer
                # leaves the copy under its hidden name (.sweep.h5.DIGITS), never anything else;
                # the next writer of the file, which got as far as its own copy, removed it.
                now = set(os.listdir(self.dir))
                self.assertFalse(now & left_over, "attempt %d kept the copy an earlier kill left" % attempt)
                left_over = now - set(names)
                for name in left_over:
                    self.assertRegex(name, r"^\.sweep\.h5\.[0-9]+$", "attempt %d left a file behind" % attempt)
                self.assertLessEqual(len(left_over), 1, "attempt %d left files behind" % attempt)
                if digest(self.file) == original:
                    interrupted += code == -signal.SIGKILL
                    continue
                # Killed after the rename, or it finished first: the new file, whole.
                with h5py.File(self.file, "r") as handle:
                    np.testing.assert_array_equal(handle["analysis/first_order"][()], expected)
                shutil.copy(pristine, self.file)
        self.assertGreaterEqual(interrupted, 3, "too few kills landed while the copy was written")
        if left_over:
            analyze(self, self.file, "-q")
            self.assertEqual(sorted(os.listdir(self.dir)), names, "a finished analysis kept a stale copy")


class WhileASweepWrites(Workspace):
    """A sweep writing FILE.partial: FILE is not rewritten under it, FILE.partial is read but never
    changed, during the sweep and after it was interrupted."""

    def test_partial_files_are_read_only_and_a_writer_is_respected(self):
        self.file = self.path("sweep.h5")
        partial = self.file + ".partial"
        sweep(self, scenario(self.dir, "quick.yaml", SALTELLI, samples=4), self.file)
        complete = digest(self.file)
        # 160 runs of 1500 boats, some 30 ms each: replicate 0 of every point and policy first
        # (80 runs), then replicate 1.
        slow = scenario(self.dir, "slow.yaml", SALTELLI.replace("count: 10", "count: 1500"), samples=8, steps=200)
        process = subprocess.Popen([COMMONS, "sweep", slow, "-o", self.file, "--force", "--threads", "1", "--quiet"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.time() + 60
            while not os.path.exists(partial) and time.time() < deadline:
                time.sleep(0.01)
            self.assertTrue(os.path.exists(partial))
            refused = analyze(self, self.file, code=4)
            self.assertIn("another commons process is writing it", refused.stderr)
            self.assertEqual(digest(self.file), complete)
            # The file being written is analysed as it stands, read only; once replicate 0 is
            # complete everywhere the indices use it alone.
            while time.time() < deadline:
                # Without HDF5's lock: the writer holds its own on the file (docs/results-format.md).
                with h5py.File(partial, "r", locking=False) as handle:
                    if (handle["runs/completed"][()] == 1).sum() >= 90:
                        break
                time.sleep(0.05)
            live = analyze(self, partial)
            self.assertIn("Status      partial: an unfinished sweep", live.stdout)
            self.assertIn("Not written", live.stdout)
        finally:
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=60)
        self.assertEqual(process.returncode, 130, stderr)
        left = digest(partial)
        result = analyze(self, partial)
        self.assertEqual(digest(partial), left)
        with h5py.File(partial, "r") as handle:
            self.assertNotIn("analysis", handle)
            completed = handle["runs/completed"][()] == 1
            point, policy = handle["runs/design_point"][()], handle["runs/policy"][()]
            replicate = handle["runs/replicate"][()]
            done = int(completed.sum())
        self.assertGreaterEqual(done, 90)
        self.assertIn("(%d of 160 runs complete)" % done, result.stdout)
        # Replicate 0 is complete at every point, replicate 1 is not: the indices use replicate 0,
        # and every base sample with it.
        self.assertLess(done, 160)
        for p in (0, 1):
            mine = completed & (policy == p)
            self.assertEqual(len(set(point[mine & (replicate == 0)])), 40)
            self.assertLess(len(set(point[mine & (replicate == 1)])), 40)
            section = result.stdout.split("Policy %d" % p)[1]
            self.assertIn("(the indices use replicate 0 of 2, complete at every point of this unfinished sweep)",
                          section)
            self.assertIn("final_stock [t]: mean ", section)
            self.assertIn("8 of 8 base samples", section)
        # Only complete runs are exported from it.
        exported = commons("export", partial, "--table", "summary")
        self.assertEqual(exported.returncode, 0, exported.stderr)
        rows = list(csv.DictReader(exported.stdout.splitlines()))
        self.assertEqual({int(row["run"]) for row in rows}, set(np.flatnonzero(completed)))
        self.assertIn("only the %d complete runs of 160 are exported" % done, exported.stderr)
        # The finished file beside an interrupted FILE.partial is analysed; the .partial is left alone.
        analyze(self, self.file, "-q")
        self.assertEqual(digest(partial), left)
        with h5py.File(self.file, "r") as handle:
            self.assertIn("analysis", handle)


class Morris(Workspace):
    def test_effects_from_the_trajectories(self):
        self.file = self.path("morris.h5")
        sweep(self, scenario(self.dir, "morris.yaml", MORRIS), self.file)
        result = analyze(self, self.file, "--all")
        self.assertIn("morris: 12 trajectories x (3 parameters + 1) = 48 points x 1 policy x 2 replicates = 96 runs",
                      result.stdout)
        printed = morris_report(result.stdout)
        with h5py.File(self.file, "r") as handle:
            group = handle["analysis"]
            self.assertEqual(group.attrs["grid_levels"], 4)
            self.assertEqual(group.attrs["delta"], 4 / 6)
            unit = handle["design/unit"][()]
            measures = [m.decode() for m in group["measure"][()]]
            checked = 0
            for m, measure in enumerate(measures):
                means = handle["analysis/points/%s_mean" % measure][0]
                if not np.isfinite(means).all():
                    self.assertEqual(group["trajectories_used"][0, m], 12 - group["trajectories_dropped"][0, m])
                    continue
                effects = [[] for _ in FACTORS]
                for t in range(12):
                    for s in range(3):
                        a, b = t * 4 + s, t * 4 + s + 1
                        moved = np.flatnonzero(np.abs(unit[b] - unit[a]) > 1e-12)
                        self.assertEqual(len(moved), 1)
                        i = moved[0]
                        self.assertAlmostEqual(abs(unit[b, i] - unit[a, i]), 4 / 6, delta=1e-12)
                        effects[i].append((means[b] - means[a]) / (unit[b, i] - unit[a, i]))
                for i, factor in enumerate(FACTORS):
                    e = np.array(effects[i])
                    scale = max(np.abs(e).max(), 1e-300)
                    self.assertAlmostEqual(group["mu"][0, m, i], e.mean(), delta=1e-10 * scale)
                    self.assertAlmostEqual(group["mu_star"][0, m, i], np.abs(e).mean(), delta=1e-10 * scale)
                    self.assertAlmostEqual(group["sigma"][0, m, i], e.std(ddof=1), delta=1e-10 * scale)
                    if (measure, factor) in printed:
                        shown = printed[(measure, factor)]
                        for text, value in zip(shown[::2], (group["mu_star"][0, m, i], group["mu"][0, m, i],
                                                            group["sigma"][0, m, i])):
                            self.assertAlmostEqual(text, value, delta=5e-4 * abs(value) + 1e-300)
                        checked += 1
            self.assertGreaterEqual(checked, 3 * 6)
            # The null parameter moves final_stock by noise only.
            m = measures.index("final_stock")
            mu_star = group["mu_star"][0, m, :]
            self.assertLess(mu_star[FACTORS.index(NULL_PARAMETER)], 0.02 * mu_star.max())


class Export(Swept):

    def test_tables_hold_the_files_values_exactly(self):
        tables = self.path("tables")
        result = commons("export", self.file, "--format", "csv", "-o", tables)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(os.listdir(tables)), ["references.csv", "series.csv", "summary.csv"])
        with h5py.File(self.file, "r") as handle:
            runs = handle["runs"]
            header = ["run", "design_point", "policy", *FACTORS, "governance.regime", "replicate"]
            for table in ("summary", "references", "series"):
                # pandas reads every value exactly with the round-trip parser (its default may
                # be one unit in the last place off).
                frame = pd.read_csv(os.path.join(tables, table + ".csv"), float_precision="round_trip",
                                    keep_default_na=False, na_values=[""])
                extra = ["step"] if table == "series" else []
                self.assertEqual(list(frame.columns), header + extra + ["variable", "value", "units"])
                names = [name for name, item in handle[table].items() if name not in ("run", "step")]
                self.assertEqual(list(dict.fromkeys(frame["variable"])), names)
                run = frame["run"].to_numpy()
                for name in names:
                    rows = frame[frame["variable"] == name]
                    stored = handle[table][name]
                    index = (rows["run"].to_numpy(),) + ((rows["step"].to_numpy(),) if extra else ())
                    np.testing.assert_array_equal(rows["value"].to_numpy(), stored[()][index], err_msg=name)
                    self.assertEqual(set(rows["units"].fillna("")), {stored.attrs.get("units", "")})
                    self.assertEqual(len(rows), stored.shape[0] * (stored.shape[1] if extra else 1))
                for column in ("design_point", "policy", "replicate", *FACTORS):
                    np.testing.assert_array_equal(frame[column].to_numpy(), runs[column][()][run], err_msg=column)
                np.testing.assert_array_equal(frame["governance.regime"].to_numpy(),
                                              np.array([v.decode() for v in runs["governance.regime"][()]])[run])
            # The csv module and float() agree, value for value.
            with open(os.path.join(tables, "summary.csv"), newline="") as handle_csv:
                for row in csv.DictReader(handle_csv):
                    value = handle["summary"][row["variable"]][int(row["run"])]
                    if row["value"] == "":
                        self.assertTrue(math.isnan(value))
                    else:
                        self.assertEqual(float(row["value"]), value)

    def test_files_are_replaced_only_with_force_and_never_the_input(self):
        tables = self.path("tables")
        self.assertEqual(commons("export", self.file, "-o", tables, "-q").returncode, 0)
        before = {name: digest(os.path.join(tables, name)) for name in os.listdir(tables)}
        os.unlink(os.path.join(tables, "references.csv"))
        refused = commons("export", self.file, "-o", tables)
        self.assertEqual(refused.returncode, 4)
        self.assertIn("series.csv: already exists; use --force to overwrite", refused.stderr)
        # Refused before anything was written: references.csv did not come back.
        self.assertEqual(sorted(os.listdir(tables)), ["series.csv", "summary.csv"])
        self.assertEqual(commons("export", self.file, "-o", tables, "--force", "-q").returncode, 0)
        self.assertEqual({name: digest(os.path.join(tables, name)) for name in os.listdir(tables)}, before)
        results = digest(self.file)
        for force in ([], ["--force"]):
            refused = commons("export", self.file, "--table", "summary", "-o", self.file, *force)
            self.assertEqual(refused.returncode, 4, refused.stderr)
            self.assertIn("is an input of this run", refused.stderr)
        self.assertEqual(digest(self.file), results)
        single = self.path("summary_only.csv")
        self.assertEqual(commons("export", self.file, "--table", "summary", "-o", single).returncode, 0)
        with open(single) as handle:
            self.assertEqual(handle.read(), commons("export", self.file, "--table", "summary").stdout)
        self.assertEqual(commons("export", self.file).returncode, 2)
        self.assertEqual(commons("export", self.file, "-o", "-").returncode, 2)
        self.assertEqual(commons("export", self.file, "--format", "parquet", "-o", tables).returncode, 2)

    def test_a_comparison_has_its_variants(self):
        results = self.path("regimes.h5")
        ran = commons("run", os.path.join(SOURCE, "scenarios/teaching/fishery_regimes.yaml"), "-o", results, "--quiet",
                      "--set", "replicates=2", "--set", "steps=20")
        self.assertEqual(ran.returncode, 0, ran.stderr)
        exported = commons("export", results, "--table", "summary")
        self.assertEqual(exported.returncode, 0, exported.stderr)
        rows = list(csv.DictReader(exported.stdout.splitlines()))
        self.assertEqual(list(rows[0].keys()), ["run", "variant", "replicate", "variable", "value", "units"])
        with h5py.File(results, "r") as handle:
            names = [v.decode() for v in handle["runs/variant_name"][()]]
        self.assertEqual({(int(row["run"]), row["variant"]) for row in rows}, set(enumerate(names)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--commons", required=True)
    parser.add_argument("--source", required=True)
    options, rest = parser.parse_known_args()
    COMMONS = os.path.abspath(options.commons)
    SOURCE = os.path.abspath(options.source)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
