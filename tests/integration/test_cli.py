#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The `commons` executable as a user drives it: exit codes, error messages, what is and is
not written, determinism across --threads, and the results file against the printed summary.

Run: /usr/bin/python3 test_cli.py --commons BUILD/tools/cli/commons --source REPO
"""
import argparse
import csv
import json
import os
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
import xarray

COMMONS = None
SOURCE = None
DEFAULT = "scenarios/teaching/open_access_fishery.yaml"


def commons(*arguments, cwd=None, timeout=300):
    return subprocess.run([COMMONS, *arguments], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def scenario(relative):
    return os.path.join(SOURCE, relative)


class Workspace(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.dir = self.directory.name

    def tearDown(self):
        self.directory.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, content):
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(self.path(name), mode) as handle:
            handle.write(content)
        return self.path(name)


class BadScenarios(Workspace):
    """Each broken file gives exit code 3 and its exact message, and writes nothing."""

    def cases(self):
        table = os.path.join(SOURCE, "tests/unit/scenario/bad/cases.tsv")
        with open(table, newline="") as handle:
            rows = [row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")]
        self.assertGreaterEqual(len(rows), 10)
        return [(os.path.join(SOURCE, "tests/unit/scenario/bad", name), message) for name, message in rows]

    def test_validate_each_broken_file_exits_3_with_expected_message(self):
        for path, message in self.cases():
            with self.subTest(fixture=os.path.basename(path)):
                result = commons("validate", path)
                self.assertEqual(result.returncode, 3, result.stderr)
                self.assertIn(message.replace("{FILE}", path), result.stderr)

    def test_run_on_broken_file_writes_nothing_under_output_name(self):
        for path, _ in self.cases():
            with self.subTest(fixture=os.path.basename(path)):
                output = self.path("results.h5")
                result = commons("run", path, "-o", output)
                self.assertEqual(result.returncode, 3, result.stderr)
                self.assertFalse(os.path.exists(output))
                self.assertFalse(os.path.exists(output + ".partial"))

    def test_huge_file_exits_3_naming_the_limit(self):
        path = self.path("huge.yaml")
        with open(path, "w") as handle:
            line = "# " + "x" * 1021 + "\n"
            for _ in range(50 * 1024):
                handle.write(line)
        result = commons("validate", path)
        self.assertEqual(result.returncode, 3)
        self.assertIn(path + ":1:1: ", result.stderr)
        self.assertIn("too large", result.stderr)

    def test_binary_file_exits_3(self):
        path = self.write("binary.yaml", bytes(range(256)) * 64)
        result = commons("validate", path)
        self.assertEqual(result.returncode, 3)
        self.assertIn(path + ":1:1: ", result.stderr)
        self.assertIn("not a text file", result.stderr)

    def test_bad_override_exits_3_and_names_the_override(self):
        result = commons("validate", scenario(DEFAULT), "--set", "resource.growth_rate=-1")
        self.assertEqual(result.returncode, 3)
        self.assertTrue(result.stderr.startswith("--set:1:"), result.stderr)
        self.assertIn("/resource/growth_rate", result.stderr)

    def test_missing_scenario_file_exits_3(self):
        result = commons("validate", self.path("absent.yaml"))
        self.assertEqual(result.returncode, 3)
        self.assertIn("absent.yaml", result.stderr)


class BadFlags(Workspace):
    def test_usage_errors_exit_2(self):
        for arguments in (
            [],
            ["frobnicate"],
            ["run"],
            ["run", scenario(DEFAULT), "--threads", "-1"],
            ["run", scenario(DEFAULT), "--threads", "many"],
            ["run", scenario(DEFAULT), "--seed", "abc"],
            ["run", scenario(DEFAULT), "--seed", "-1"],
            ["run", scenario(DEFAULT), "--seed", "9007199254740992"],
            ["run", scenario(DEFAULT), "--memory-limit", "plenty"],
            ["run", scenario(DEFAULT), "--no-such-flag"],
            ["inspect"],
        ):
            with self.subTest(arguments=arguments):
                result = commons(*arguments, cwd=self.dir)
                self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(os.listdir(self.dir), [])

    def test_seed_out_of_range_is_a_usage_error_naming_the_range(self):
        result = commons("run", scenario(DEFAULT), "--seed", "-1", cwd=self.dir)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--seed: Value -1 not in range 0 to 9007199254740991", result.stderr)
        self.assertNotIn("--set", result.stderr)

    def test_more_threads_than_cores_is_said_once_not_warned_by_tbb(self):
        result = commons("run", scenario(DEFAULT), "-o", self.path("t.h5"), "--threads", "4096", cwd=self.dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stderr, r"commons: --threads 4096: this machine has \d+ cores; using \d+ "
                                        r"\(results do not depend on it\)\n")
        self.assertNotIn("TBB", result.stderr)

    def test_help_exits_0(self):
        result = commons("--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("run", result.stdout)


class Overwrite(Workspace):
    def test_existing_results_are_kept_without_force(self):
        output = self.write("results.h5", "precious")
        result = commons("run", scenario(DEFAULT), "-o", output)
        self.assertEqual(result.returncode, 4)
        self.assertIn("--force", result.stderr)
        with open(output) as handle:
            self.assertEqual(handle.read(), "precious")

    def test_force_replaces_existing_results(self):
        output = self.write("results.h5", "precious")
        result = commons("run", scenario(DEFAULT), "-o", output, "--force", "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(h5py.is_hdf5(output))

    def test_missing_output_directory_exits_4(self):
        result = commons("run", scenario(DEFAULT), "-o", self.path("no/such/dir/results.h5"))
        self.assertEqual(result.returncode, 4, result.stderr)

    def test_interrupted_before_any_run_finished_exits_130_and_writes_nothing(self):
        output = self.path("big.h5")
        process = subprocess.Popen(
            [COMMONS, "run", scenario(DEFAULT), "-o", output, "--quiet",
             "--set", "agents.0.count=200000", "--set", "steps=100000", "--set", "replicates=2"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # The partial file appears once the run has begun, after the signal handlers are set.
        deadline = time.monotonic() + 60
        while not os.path.exists(output + ".partial") and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
        self.assertEqual(process.returncode, 130, stderr)
        self.assertIn("interrupted before any run finished; nothing was written", stderr)
        self.assertEqual(os.listdir(self.dir), [])

    def interrupt_after_first_run(self, signal_number):
        """Starts three runs of about a second each on one thread, and sends `signal_number` once
        the first is in the partial file."""
        output = self.path("three.h5")
        process = subprocess.Popen(
            [COMMONS, "run", scenario(DEFAULT), "-o", output, "--quiet", "--threads", "1",
             "--set", "agents.0.count=2000", "--set", "steps=60000", "--set", "replicates=3",
             "--set", "output.series=[stock]", "--set", "resource.observation_noise=0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if os.path.exists(output + ".partial"):
                report = commons("inspect", output + ".partial").stdout
                if re.search(r"runs completed   [12] of 3", report):
                    break
            time.sleep(0.05)
        process.send_signal(signal_number)
        _, stderr = process.communicate(timeout=120)
        return process.returncode, stderr, output

    def test_interrupted_run_exits_130_and_keeps_finished_runs_in_partial(self):
        code, stderr, output = self.interrupt_after_first_run(signal.SIGINT)
        self.assertEqual(code, 130, stderr)
        self.assertFalse(os.path.exists(output))
        self.assertIn("the finished runs are kept in " + output + ".partial", stderr)
        with h5py.File(output + ".partial", "r") as handle:
            self.assertEqual(handle.attrs["status"], b"partial")
            completed = handle["runs/completed"][()]
            self.assertGreaterEqual(int(completed.sum()), 1)
            self.assertLess(int(completed.sum()), 3)
            for run in np.flatnonzero(completed):
                self.assertTrue(np.isfinite(handle["series/stock"][run]).all())

    def test_sigterm_exits_143(self):
        code, stderr, output = self.interrupt_after_first_run(signal.SIGTERM)
        self.assertEqual(code, 143, stderr)
        self.assertTrue(os.path.exists(output + ".partial"))


def plot_and_check(test, results, figure):
    """`commons plot` writes a PNG with something drawn in it."""
    result = commons("plot", results, "-o", figure)
    test.assertEqual(result.returncode, 0, result.stderr)
    with open(figure, "rb") as handle:
        test.assertEqual(handle.read(8), b"\x89PNG\r\n\x1a\n")
    test.assertGreater(os.path.getsize(figure), 20000)


def read_all(path):
    """Every dataset of the series, summary, references and agents groups, as numpy arrays."""
    values = {}
    with h5py.File(path, "r") as handle:
        for group in ("series", "summary", "references", "agents", "runs"):
            if group not in handle:
                continue
            for name, dataset in handle[group].items():
                values[group + "/" + name] = dataset[()]
    return values


class Determinism(Workspace):
    def test_threads_1_and_2_give_identical_datasets(self):
        files = []
        for threads in ("1", "2"):
            output = self.path("threads%s.h5" % threads)
            result = commons("run", scenario(DEFAULT), "-o", output, "--threads", threads, "--quiet",
                             "--set", "agents.0.count=9000", "--set", "output.agents=true")
            self.assertEqual(result.returncode, 0, result.stderr)
            files.append(read_all(output))
        self.assertEqual(sorted(files[0]), sorted(files[1]))
        self.assertIn("agents/effort", files[0])
        for name in files[0]:
            with self.subTest(dataset=name):
                a, b = files[0][name], files[1][name]
                if a.dtype.kind == "f":
                    self.assertEqual(a.tobytes(), b.tobytes())
                else:
                    self.assertTrue(np.array_equal(a, b))

    def test_seed_flag_changes_results_and_is_recorded(self):
        outputs = []
        for seed in ("5", "6"):
            output = self.path("seed%s.h5" % seed)
            result = commons("run", scenario(DEFAULT), "-o", output, "--seed", seed, "--quiet")
            self.assertEqual(result.returncode, 0, result.stderr)
            outputs.append(read_all(output))
            with h5py.File(output, "r") as handle:
                self.assertTrue(np.all(handle["runs/seed"][()] == int(seed)))
        self.assertNotEqual(outputs[0]["series/stock"].tobytes(), outputs[1]["series/stock"].tobytes())


class ResultsFile(Workspace):
    """The file holds what the run printed, and opens in h5py and xarray as documented."""

    def setUp(self):
        super().setUp()
        self.output = self.path("default.h5")
        result = commons("run", scenario(DEFAULT), "-o", self.output)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.printed = result.stdout

    def printed_value(self, pattern):
        match = re.search(pattern, self.printed, re.MULTILINE)
        self.assertIsNotNone(match, "no match for %r in:\n%s" % (pattern, self.printed))
        return match

    def test_summary_printed_matches_file(self):
        with h5py.File(self.output, "r") as handle:
            final_stock = handle["summary/final_stock"][()]
            self.assertEqual(handle["summary/final_stock"].attrs["units"], "t")
            self.assertEqual(len(final_stock), 4)
            mean = float(self.printed_value(r"^  final_stock\s+(\S+)").group(1))
            self.assertAlmostEqual(mean, float(np.mean(final_stock)), delta=1e-5 * abs(mean))
            row = self.printed_value(r"^  open_access\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)")
            self.assertAlmostEqual(float(row.group(1)), handle["references/open_access_stock"][0], places=3)
            self.assertAlmostEqual(float(row.group(1)), 25.0 / (10 * 0.01), places=6)
            row = self.printed_value(r"^  msy\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)")
            self.assertAlmostEqual(float(row.group(1)), 500.0)
            self.assertAlmostEqual(float(row.group(2)), 25.0)
            self.assertAlmostEqual(float(row.group(3)), 125.0)

    def test_series_open_in_h5py_with_dimensions_and_units(self):
        with h5py.File(self.output, "r") as handle:
            self.assertEqual(handle.attrs["format"], "commons-results")
            self.assertEqual(int(handle.attrs["format_version"]), 1)
            stock = handle["series/stock"]
            self.assertEqual(stock.shape, (4, 300))
            self.assertEqual(stock.attrs["units"], "t")
            # Each dimension has one attached scale, named after the dimension.
            self.assertEqual([dim[0].name.split("/")[-1] for dim in stock.dims], ["run", "step"])
            self.assertEqual(stock[0, 0], 1000.0)  # X0: the stock at the start of step 0
            self.assertTrue(np.all(handle["runs/completed"][()] == 1))
            self.assertIn("open_access_fishery", handle["scenario"][()].decode())

    def test_series_open_in_xarray_and_pandas(self):
        data = xarray.open_dataset(self.output, group="series", engine="h5netcdf")
        self.assertEqual(dict(data["stock"].sizes), {"run": 4, "step": 300})
        self.assertEqual(data["rent"].attrs["units"], "money")
        self.assertEqual(list(data["step"].values[:3]), [0, 1, 2])
        frame = data[["stock", "harvest"]].to_dataframe()
        self.assertEqual(len(frame), 1200)
        # Open access: by the last step the stock is near the Gordon point c/(pq) = 250.
        self.assertLess(abs(float(data["stock"].isel(step=-1).mean()) - 250.0), 25.0)

    def test_inspect_describes_file(self):
        result = commons("inspect", self.output)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("stock", result.stdout)
        self.assertIn("commons-results", result.stdout)
        self.assertIn("  status           complete\n", result.stdout)
        # The build reads the commit only from a git checkout with git installed
        # (cmake/source_state.cmake); a source tree without either, such as an unpacked archive
        # or a copy into a fresh root, says so rather than guessing.
        if shutil.which("git") and os.path.exists(os.path.join(SOURCE, ".git")):
            self.assertRegex(result.stdout, r"  git commit       [0-9a-f]{40} \(source tree (clean|modified)\)\n")
        else:
            self.assertIn("  git commit       unknown (source tree unknown)\n", result.stdout)
        self.assertRegex(result.stdout, r"  libraries        HDF5 1\.\d+\.\d+; oneTBB [\d.]+; Boost [\d.]+; Eigen [\d.]+\n")
        self.assertIn("\ninputs/\n  (the scenario names no file)\n", result.stdout)

    def test_inspect_scenario_prints_the_resolved_scenario(self):
        result = commons("inspect", "--scenario", self.output)
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(self.output, "r") as handle:
            self.assertEqual(result.stdout, handle["scenario"][()].decode() + "\n")
        self.assertIn('"name": "open_access_fishery"', result.stdout)

    def test_inspect_non_results_file_exits_4(self):
        result = commons("inspect", self.write("notes.txt", "hello"))
        self.assertEqual(result.returncode, 4)

    def test_plot_writes_png(self):
        plot_and_check(self, self.output, self.path("figure.png"))

    def test_plot_format_follows_the_name(self):
        for name, magic in (("figure.pdf", b"%PDF-"), ("figure.svg", b"<?xml")):
            with self.subTest(figure=name):
                result = commons("plot", self.output, "-o", self.path(name))
                self.assertEqual(result.returncode, 0, result.stderr)
                with open(self.path(name), "rb") as handle:
                    self.assertEqual(handle.read(len(magic)), magic)
        result = commons("plot", self.output, "-o", self.path("figure.jpg"))
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("cannot write a figure as '.jpg'; name it .png, .pdf or .svg", result.stderr)
        self.assertFalse(os.path.exists(self.path("figure.jpg")))


COMPARISON = "scenarios/teaching/fishery_regimes.yaml"
VARIANTS = ["open_access", "state_tac", "itq", "local", "co_management"]


class Comparison(Workspace):
    """The default scenario compares regimes: a side-by-side table that matches the file."""

    def setUp(self):
        super().setUp()
        self.output = self.path("regimes.h5")
        result = commons("run", scenario(COMPARISON), "-o", self.output, "--threads", "2")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.printed = result.stdout

    def row(self, label):
        match = re.search(r"^  %s +(.+?)   \S+$" % label, self.printed, re.MULTILINE)
        self.assertIsNotNone(match, "no row %r in:\n%s" % (label, self.printed))
        return match.group(1).split()

    def per_variant_mean(self, handle, name, transform=lambda x: x):
        variant = handle["runs/variant"][()]
        values = transform(handle["summary/" + name][()])
        return [values[variant == v] for v in range(len(VARIANTS))]

    def test_table_has_one_column_per_variant_matching_the_file(self):
        header = re.search(r"^ +(open_access .*)   units$", self.printed, re.MULTILINE)
        self.assertIsNotNone(header, self.printed)
        self.assertEqual(header.group(1).split(), VARIANTS)
        self.assertEqual(self.row("runs"), ["4"] * 5)
        with h5py.File(self.output, "r") as handle:
            names = [n.decode() if isinstance(n, bytes) else n for n in handle["runs/variant_name"][()]]
            self.assertEqual(names, [v for v in VARIANTS for _ in range(4)])
            for label, summary, transform in [("final_stock", "final_stock", lambda x: x),
                                              ("final_rent", "final_rent", lambda x: x),
                                              ("income_gini", "equity", lambda x: 1.0 - x),
                                              ("governance_cost", "total_governance_cost", lambda x: x)]:
                expected = [float(np.mean(v)) for v in self.per_variant_mean(handle, summary, transform)]
                for shown, value in zip(self.row(label), expected):
                    self.assertAlmostEqual(float(shown), value, delta=1e-5 * max(1.0, abs(value)), msg=label)
            compliance = self.row("mean_compliance")
            self.assertEqual(compliance[0], "-")  # open access has no rules to comply with
            governed = handle["summary/mean_compliance"][()][handle["runs/variant"][()] > 0]
            self.assertTrue(np.all((governed >= 0) & (governed <= 1)))

    def test_institutions_beat_open_access(self):
        # The tragedy and the ways out of it: every regime keeps more stock and more rent than
        # open access, which ends at the Gordon point c/(pq) = 250 with the rent dissipated.
        stock = [float(v) for v in self.row("final_stock")]
        rent = [float(v) for v in self.row("final_rent")]
        cost = [float(v) for v in self.row("governance_cost")]
        self.assertLess(abs(stock[0] - 250.0), 25.0)
        self.assertEqual(cost[0], 0.0)
        for i in range(1, len(VARIANTS)):
            with self.subTest(variant=VARIANTS[i]):
                self.assertGreater(stock[i], 400.0)
                self.assertGreater(rent[i], rent[0] + 400.0)
                self.assertGreater(cost[i], 0.0)

    def test_threads_do_not_change_the_comparison(self):
        other = self.path("regimes_1.h5")
        result = commons("run", scenario(COMPARISON), "-o", other, "--threads", "1", "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.replace(other, "X"), self.printed.replace(self.output, "X"))
        a, b = read_all(self.output), read_all(other)
        self.assertEqual(sorted(a), sorted(b))
        for name in a:
            with self.subTest(dataset=name):
                if a[name].dtype.kind == "f":
                    self.assertEqual(a[name].tobytes(), b[name].tobytes())
                else:
                    self.assertTrue(np.array_equal(a[name], b[name]))
        # The layout, too: the same variables in the same order.
        with h5py.File(self.output, "r") as x, h5py.File(other, "r") as y:
            for group in ("series", "summary"):
                self.assertEqual(list(x[group]), list(y[group]))

    def test_plot_overlays_variants(self):
        plot_and_check(self, self.output, self.path("regimes.png"))


class ClassicGordonSchaefer(Workspace):
    """The Gordon-Schaefer scenarios of scenarios/classic/ settle at their closed-form stocks,
    computed here from the scenario's own parameters, not read from Commons (issue 14)."""

    def final_stock(self, relative):
        output = self.path(os.path.basename(relative) + ".h5")
        result = commons("run", scenario(relative), "-o", output, "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        with h5py.File(output, "r") as handle:
            return float(handle["series/stock"][0, -1])

    def test_each_settles_at_its_closed_form(self):
        r, k, q, p, c = 0.5, 1000.0, 0.01, 10.0, 25.0
        gordon = c / (p * q)
        b = gordon / k
        delta_over_r = 0.05 / r
        golden = k / 4 * ((b + 1 - delta_over_r) + np.sqrt((b + 1 - delta_over_r) ** 2 + 8 * b * delta_over_r))
        expected = {"gordon_schaefer_msy": k / 2, "gordon_schaefer_mey": (k + gordon) / 2,
                    "gordon_schaefer_open_access": gordon, "gordon_schaefer_golden_rule": golden}
        self.assertAlmostEqual(golden, 595.97, places=2)
        for name, stock in expected.items():
            with self.subTest(name):
                self.assertLess(abs(self.final_stock("scenarios/classic/" + name + ".yaml") - stock), 1e-6 * stock)


class Units(Workspace):
    """Units UDUNITS can parse wherever the model knows them (tonnes, boat-days as days, counts
    as 1); money is the one documented exception: UDUNITS has no currency."""

    def test_every_unit_parses_or_is_money(self):
        udunits = "/usr/bin/udunits2"
        self.assertTrue(os.path.exists(udunits), "udunits-bin is installed by tools/setup.sh")
        seen = set()
        for relative in ("scenarios/teaching/fishery_regimes.yaml", "scenarios/teaching/cpr_communication.yaml",
                         "scenarios/classic/gordon_schaefer_msy.yaml"):
            output = self.path(os.path.basename(relative) + ".h5")
            result = commons("run", scenario(relative), "-o", output, "--quiet",
                             "--set", "output.agents=true", "--set", "replicates=1")
            self.assertEqual(result.returncode, 0, result.stderr)

            def collect(name, obj):
                if isinstance(obj, h5py.Dataset) and "units" in obj.attrs:
                    units = obj.attrs["units"]
                    seen.add((units.decode() if isinstance(units, bytes) else units, relative + ":" + name))

            with h5py.File(output, "r") as handle:
                handle.visititems(collect)
        self.assertIn("t", {units for units, _ in seen})
        self.assertIn("day", {units for units, _ in seen})
        for units in sorted({units for units, _ in seen}):
            with self.subTest(units=units):
                if units == "money" or units.startswith("money /"):
                    continue
                parsed = subprocess.run([udunits, "-H", units, "-W", ""], input="", capture_output=True, text=True)
                self.assertNotIn("Don't recognize", parsed.stdout + parsed.stderr,
                                 [where for u, where in seen if u == units][:3])


class Listing(unittest.TestCase):
    def test_scenarios_lists_bundled_files_all_valid(self):
        result = commons("scenarios")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("teaching/open_access_fishery.yaml", result.stdout)
        self.assertNotIn("INVALID", result.stdout)


class Describe(unittest.TestCase):
    """`commons describe` shows what the registry holds, and its schema is the checked-in one."""

    def test_list_names_every_kind_of_model_and_every_regime(self):
        result = commons("describe")
        self.assertEqual(result.returncode, 0, result.stderr)
        for heading in ("Resources:", "Behaviours:", "Rules:", "Regimes (governance.regime):"):
            self.assertIn(heading, result.stdout)
        schema = json.loads(commons("describe", "--schema").stdout)
        for kind in ("resource", "behaviour", "rule"):
            for name in schema["definitions"][kind]:
                self.assertRegex(result.stdout, r"\n  " + name + r"\n", name)
        for regime in schema["definitions"]["governance"]["properties"]["regime"]["enum"]:
            self.assertRegex(result.stdout, r"\n  " + regime + r"\n", regime)

    def test_one_model_shows_its_parameters_and_what_it_records(self):
        result = commons("describe", "fishery_logistic")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("growth_rate  number (0, 2] [1/step], required", result.stdout)
        self.assertIn("initial_stock  number [0, inf) [t], default = carrying_capacity", result.stdout)
        self.assertIn("stock [resource_unit]", result.stdout)
        self.assertIn("a closed-form maximum sustainable yield", result.stdout)
        rule = commons("describe", "compliance").stdout
        self.assertIn("Acts in: comply (after every other rule)", rule)
        self.assertIn("Every governed run has it", rule)

    def test_unknown_name_is_a_usage_error_with_a_suggestion(self):
        result = commons("describe", "inspektion")
        self.assertEqual(result.returncode, 2)
        self.assertIn("did you mean 'inspection'?", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_schema_is_the_checked_in_schema(self):
        with open(scenario("scenarios/schema/scenario.schema.json")) as handle:
            self.assertEqual(commons("describe", "--schema").stdout, handle.read())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--commons", required=True)
    parser.add_argument("--source", required=True)
    options, rest = parser.parse_known_args()
    COMMONS = os.path.abspath(options.commons)
    SOURCE = os.path.abspath(options.source)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
