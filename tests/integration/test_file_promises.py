#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Every promise Commons makes about files (docs/cli.md#what-commons-promises-about-your-files),
each tried the way that would break it: kill -9 at random moments, concurrent writers to one
path, outputs that are devices, pipes, links, directories or the scenario itself, a full disk,
a file size limit, and `validate` against `run` on every broken scenario.

Run: /usr/bin/python3 test_file_promises.py --commons BUILD/tools/cli/commons --source REPO
"""
import argparse
import csv
import hashlib
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np

COMMONS = None
SOURCE = None
FISHERY = "scenarios/teaching/open_access_fishery.yaml"
BUSY = "another commons process is writing it"

# Twelve runs of a fishery, about a tenth of a second each, written by two threads: a
# multi-run output that takes a couple of seconds, with noise so that runs differ.
MANY_RUNS = ["--set", "agents.0.count=2000", "--set", "steps=2000", "--set", "replicates=12",
             "--set", "output.series=[stock, effort, harvest]", "--threads", "2", "--quiet"]


def commons(*arguments, cwd=None, timeout=600, **kwargs):
    return subprocess.run([COMMONS, *arguments], capture_output=True, text=True, cwd=cwd, timeout=timeout,
                          **kwargs)


def source(relative):
    return os.path.join(SOURCE, relative)


def snapshot(directory):
    """Name -> (kind, SHA-256 of the content for regular files) of every entry in `directory`."""
    entries = {}
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        mode = os.lstat(path).st_mode
        if stat.S_ISREG(mode):
            with open(path, "rb") as handle:
                entries[name] = ("file", hashlib.sha256(handle.read()).hexdigest())
        else:
            entries[name] = (stat.filemode(mode)[0], None)
    return entries


def datasets(path):
    """Every numeric dataset of the data groups, by name."""
    values = {}
    with h5py.File(path, "r") as handle:
        for group in ("series", "summary", "references"):
            for name, dataset in handle[group].items():
                if name not in ("run", "step"):  # coordinates
                    values[group + "/" + name] = dataset[()]
    return values


class Workspace(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory(prefix="commons-promises-")
        self.dir = self.directory.name
        self.scenario = self.path("fishery.yaml")
        shutil.copy(source(FISHERY), self.scenario)

    def tearDown(self):
        self.directory.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def reference(self, *extra):
        """An uninterrupted run of the same scenario and seed, outside the workspace."""
        self.reference_dir = tempfile.TemporaryDirectory(prefix="commons-reference-")
        self.addCleanup(self.reference_dir.cleanup)
        output = os.path.join(self.reference_dir.name, "reference.h5")
        started = time.monotonic()
        result = commons("run", self.scenario, "-o", output, *MANY_RUNS, *extra)
        elapsed = time.monotonic() - started
        self.assertEqual(result.returncode, 0, result.stderr)
        return output, elapsed


class KillNine(Workspace):
    """kill -9 at random moments: FILE.partial always opens, every run it flags complete holds
    final data equal bit for bit to an uninterrupted run, and no other file changes."""

    def test_twenty_kills_leave_only_true_flags(self):
        reference, elapsed = self.reference()
        expected = datasets(reference)
        output = self.path("results.h5")
        rng = random.Random(20261204)
        before = snapshot(self.dir)
        kept_runs = 0
        for attempt in range(20):
            # From the start to a little past the end, so that some kills find a finished file.
            delay = rng.uniform(0.0, 1.15 * elapsed)
            with self.subTest(attempt=attempt, delay=round(delay, 3)):
                process = subprocess.Popen([COMMONS, "run", self.scenario, "-o", output, "--force", *MANY_RUNS],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                time.sleep(delay)
                process.send_signal(signal.SIGKILL)
                process.communicate(timeout=60)
                now = snapshot(self.dir)
                self.assertLessEqual(set(now) - set(before), {"results.h5", "results.h5.partial"},
                                     "a file other than the output appeared")
                for name, entry in before.items():
                    self.assertEqual(now.get(name), entry, name + " changed")
                if os.path.exists(output):
                    # Killed after it finished: the final name holds the whole, complete file.
                    with h5py.File(output, "r") as handle:
                        self.assertEqual(handle.attrs["status"], b"complete")
                        self.assertTrue(handle["runs/completed"][()].all())
                    for name, values in datasets(output).items():
                        self.assertEqual(values.tobytes(), expected[name].tobytes(), name)
                    os.unlink(output)
                if not os.path.exists(output + ".partial"):
                    continue  # killed before the file had its name (or after it was renamed)
                with h5py.File(output + ".partial", "r") as handle:
                    self.assertEqual(handle.attrs["status"], b"partial")
                    completed = handle["runs/completed"][()].astype(bool)
                    kept_runs += int(completed.sum())
                    stock = handle["series/stock"][()]
                    self.assertTrue(np.isfinite(stock[completed]).all())
                actual = datasets(output + ".partial")
                for name, values in actual.items():
                    # Runs not flagged may hold rows written but not yet committed: the flag, not
                    # the values, says what is final.
                    self.assertEqual(values[completed].tobytes(), expected[name][completed].tobytes(), name)
        # The kills must have landed while runs were being written, not only before or after.
        self.assertGreater(kept_runs, 0)


class ConcurrentWriters(Workspace):
    """Two or three writers to one path: one wins, the others stop with exit 4 and say why."""

    def race(self, writers, force):
        output = self.path("results.h5")
        arguments = [COMMONS, "run", self.scenario, "-o", output, *MANY_RUNS] + (["--force"] if force else [])
        processes = [subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                     for _ in range(writers)]
        outcomes = [(process.wait(timeout=300), process.stderr.read()) for process in processes]
        for process in processes:
            process.stderr.close()
        return output, outcomes

    def test_one_wins_the_others_exit_4(self):
        reference, _ = self.reference()
        expected = datasets(reference)
        for writers in (2, 3):
            for force in (False, True):
                with self.subTest(writers=writers, force=force):
                    if force:
                        # Something to overwrite: the race must not destroy it before a winner is known.
                        shutil.copy(reference, self.path("results.h5"))
                    output, outcomes = self.race(writers, force)
                    codes = sorted(code for code, _ in outcomes)
                    self.assertEqual(codes, [0] + [4] * (writers - 1), outcomes)
                    for code, stderr in outcomes:
                        if code == 4:
                            self.assertIn(BUSY, stderr)
                            self.assertEqual(stderr.count("\n"), 1, stderr)
                    with h5py.File(output, "r") as handle:
                        self.assertEqual(handle.attrs["status"], b"complete")
                    for name, values in datasets(output).items():
                        self.assertEqual(values.tobytes(), expected[name].tobytes(), name)
                    self.assertEqual(sorted(os.listdir(self.dir)), ["fishery.yaml", "results.h5"])
                    os.unlink(output)


class Destinations(Workspace):
    """An output that is not a regular file or a new path is refused, with --force too, and
    nothing changes."""

    def test_devices_pipes_links_directories_and_inputs_refused(self):
        os.mkfifo(self.path("pipe"))
        os.mkdir(self.path("folder"))
        os.symlink(self.scenario, self.path("link.h5"))
        os.link(self.scenario, self.path("hard.h5"))
        cases = [
            ("/dev/null", "is a character device"),
            (self.path("pipe"), "is a FIFO (named pipe)"),
            (self.path("folder"), "is a directory"),
            (self.path("link.h5"), "is a symbolic link"),
            (self.scenario, "is an input of this run"),
            (self.path("hard.h5"), "is an input of this run"),
            (self.path("folder") + "/", "names a directory, not a file"),
            (self.path("missing/results.h5"), "does not exist"),
        ]
        before = snapshot(self.dir)
        null_before = os.stat("/dev/null")
        for output, message in cases:
            for force in ([], ["--force"]):
                with self.subTest(output=output, force=force):
                    result = commons("run", self.scenario, "-o", output, "--quiet", *force)
                    self.assertEqual(result.returncode, 4, result.stderr)
                    self.assertIn(message, result.stderr)
                    self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
                    self.assertEqual(snapshot(self.dir), before)
        null_after = os.stat("/dev/null")
        self.assertTrue(stat.S_ISCHR(null_after.st_mode))
        self.assertEqual((null_after.st_rdev, null_after.st_ino), (null_before.st_rdev, null_before.st_ino))

    def test_a_file_the_scenario_names_is_not_replaced(self):
        decisions = self.path("session.csv")
        shutil.copy(source("scenarios/data/cpr_lab_session.csv"), decisions)
        scenario = self.path("replay.yaml")
        with open(scenario, "w") as handle:
            handle.write("name: replay\n"
                         "resource: {model: cpr_quadratic, production_linear: 23, production_quadratic: 0.25,"
                         " endowment: 25}\n"
                         "economics: {cost_per_effort: 5}\n"
                         "agents:\n  - {group: lab, count: 8, behaviour: {model: scripted, decisions: session.csv}}\n"
                         "steps: 3\n")
        before = snapshot(self.dir)
        result = commons("run", scenario, "-o", decisions, "--force", "--quiet")
        self.assertEqual(result.returncode, 4, result.stderr)
        self.assertIn("is an input of this run", result.stderr)
        self.assertEqual(snapshot(self.dir), before)
        # And the file is embedded in the results, with its hash.
        result = commons("run", scenario, "-o", self.path("replay.h5"), "--quiet")
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(decisions, "rb") as handle:
            content = handle.read()
        with h5py.File(self.path("replay.h5"), "r") as handle:
            embedded = handle["inputs/agents.0.behaviour.decisions"]
            self.assertEqual(embedded[()], content)
            self.assertEqual(embedded.attrs["sha256"], hashlib.sha256(content).hexdigest())
            self.assertEqual(embedded.attrs["path"], "session.csv")

    def test_odd_but_regular_names_written(self):
        for name in ("with space.h5", "ünïcödé.h5", "-dash.h5", "no_extension"):
            with self.subTest(name=name):
                result = commons("run", self.scenario, "-o", name, "--quiet", cwd=self.dir)
                self.assertEqual(result.returncode, 0, result.stderr)
                with h5py.File(self.path(name), "r") as handle:
                    self.assertEqual(handle.attrs["status"], b"complete")


class FullDisk(Workspace):
    """A file system without room: exit 4, one clean message, the previous complete file kept,
    nothing left behind."""

    def setUp(self):
        super().setUp()
        first = commons("run", self.scenario, "-o", self.path("results.h5"), "--quiet")
        self.assertEqual(first.returncode, 0, first.stderr)
        with open(self.path("results.h5"), "rb") as handle:
            self.previous = handle.read()

    def check_refused(self, result, directory, message):
        self.assertEqual(result.returncode, 4, result.stderr)
        self.assertIn(message, result.stderr)
        self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        self.assertNotIn("HDF5", result.stderr)
        self.assertNotIn("18446744073709551615", result.stderr)
        with open(os.path.join(directory, "results.h5"), "rb") as handle:
            self.assertEqual(handle.read(), self.previous)
        self.assertEqual(sorted(os.listdir(directory)), sorted(["results.h5"] + (
            ["fishery.yaml"] if directory == self.dir else [])))

    def test_full_tmpfs(self):
        if os.geteuid() != 0 or shutil.which("mount") is None:
            self.skipTest("mounting a small tmpfs needs root; run the test suite as root to try a full disk")
        mount_point = tempfile.mkdtemp(prefix="commons-full-")
        self.addCleanup(os.rmdir, mount_point)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount_point],
                                 capture_output=True, text=True)
        if mounted.returncode != 0:
            self.skipTest("cannot mount a tmpfs here: " + mounted.stderr.strip())
        self.addCleanup(subprocess.run, ["umount", mount_point], check=True)
        shutil.copy(self.path("results.h5"), os.path.join(mount_point, "results.h5"))
        result = commons("run", self.scenario, "-o", os.path.join(mount_point, "results.h5"), "--force", "--quiet",
                         "--set", "steps=20000")
        self.check_refused(result, mount_point, "are free on the file system of")
        # Fill the rest of it: even the smallest file no longer fits.
        with open(os.path.join(mount_point, "filler"), "wb") as handle:
            try:
                while True:
                    handle.write(b"\0" * 65536)
            except OSError:
                pass
        result = commons("run", self.scenario, "-o", os.path.join(mount_point, "results.h5"), "--force", "--quiet")
        self.assertEqual(result.returncode, 4, result.stderr)
        self.assertEqual(result.stderr.count("\n"), 1, result.stderr)
        self.assertNotIn("18446744073709551615", result.stderr)

    def test_file_size_limit(self):
        # A limit on file size (ulimit -f) fails the writes themselves, past every check.
        def limit():
            import resource
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

        result = commons("run", self.scenario, "-o", self.path("results.h5"), "--force", "--quiet",
                         "--set", "steps=20000", preexec_fn=limit)
        self.check_refused(result, self.dir, "File too large")


class ValidateAgreesWithRun(unittest.TestCase):
    """`validate` runs every check `run` runs before its first step: on every broken scenario
    both exit 3 with the same message, and run writes nothing."""

    def test_every_bad_fixture(self):
        table = source("tests/unit/scenario/bad/cases.tsv")
        with open(table, newline="") as handle:
            rows = [row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")]
        self.assertGreaterEqual(len(rows), 80)
        with tempfile.TemporaryDirectory(prefix="commons-agree-") as directory:
            output = os.path.join(directory, "results.h5")
            for name, _ in rows:
                path = source(os.path.join("tests/unit/scenario/bad", name))
                with self.subTest(fixture=name):
                    validated = commons("validate", path)
                    ran = commons("run", path, "-o", output)
                    self.assertEqual(validated.returncode, 3, validated.stderr)
                    self.assertEqual(ran.returncode, 3, ran.stderr)
                    self.assertEqual(validated.stderr, ran.stderr)
                    self.assertEqual(os.listdir(directory), [])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--commons", required=True)
    parser.add_argument("--source", required=True)
    options, rest = parser.parse_known_args()
    COMMONS = os.path.abspath(options.commons)
    SOURCE = os.path.abspath(options.source)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
