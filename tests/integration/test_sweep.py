#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`commons sweep` as its users run it (docs/sweeps.md): kill -9 at random moments and
--resume until the sweep is done must give the file an uninterrupted sweep gives, bit for bit;
results do not depend on --threads; adding replicates or points never changes a run already
made; another plan never resumes a file; run and sweep each refuse the other's scenarios.

Run: /usr/bin/python3 test_sweep.py --commons BUILD/tools/cli/commons --source REPO
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np

COMMONS = None
SOURCE = None
SWEEP = "scenarios/policy/fishery_sensitivity.yaml"
# 16 base samples x (4 + 2) points x 2 regimes x 2 replicates = 384 runs of 600 steps: a few
# seconds on two threads, long enough to be killed in the middle many times.
SMALL = ["--set", "sweep.samples=16", "--set", "steps=600", "--quiet"]


# Half the points and eight times the steps: a sweep that is surely still running when it is stopped.
LONG = ["--set", "sweep.samples=8", "--set", "steps=5000", "--quiet"]


def started(process, output):
    """Waits until the sweep `process` has named its file, so that a stop lands mid-sweep."""
    deadline = time.monotonic() + 60
    while not os.path.exists(output + ".partial") and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)


def commons(*arguments, timeout=600):
    return subprocess.run([COMMONS, *arguments], capture_output=True, text=True, timeout=timeout)


def datasets(path):
    """Every numeric per-run dataset of the outcome groups and runs/, by name."""
    found = {}
    with h5py.File(path, "r") as handle:
        runs = handle["runs/run"].shape[0]
        for group in ("series", "summary", "references", "runs"):
            if group not in handle:
                continue
            for name, dataset in handle[group].items():
                if dataset.dtype.kind in "fiu" and dataset.ndim >= 1 and dataset.shape[0] == runs and name != "run":
                    found[group + "/" + name] = dataset[()]
    return found


class Workspace(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="commons-sweep-")
        self.scenario = os.path.join(SOURCE, SWEEP)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def sweep(self, output, *extra):
        threads = [] if "--threads" in extra else ["--threads", "2"]
        result = commons("sweep", self.scenario, "-o", output, *SMALL, *threads, *extra)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def assert_same(self, actual, expected, rows=None):
        for name, values in expected.items():
            got = actual[name] if rows is None else actual[name][rows]
            want = values if rows is None else values[rows]
            self.assertEqual(got.tobytes(), want.tobytes(), name)


# 1e5 agents, every tenth recorded, over 60 steps: 4.8 MB of each agent variable per run, so
# each run hands its per-agent rows to the file in two pieces while it goes on.
STREAMED = ["--set", "sweep.samples=1", "--set", "sweep.replicates=1", "--set", "steps=60", "--set",
            "agents.0.count=100000", "--set", "output.agents=true", "--set", "output.agent_stride=10", "--quiet",
            "--threads", "2"]


def agent_datasets(path):
    """The per-agent datasets, by name."""
    with h5py.File(path, "r") as handle:
        return {"agents/" + name: handle["agents"][name][()] for name in ("effort", "harvest", "income")}


class KillNineAndResume(Workspace):
    """kill -9 at random moments, then --resume, again and again: the finished file equals an
    uninterrupted sweep's, and every partial file on the way flags only final runs."""

    def kill_and_resume_until_done(self, arguments, read, seed, latest):
        """Sweeps with `arguments` into a reference file, then into results.h5 with --resume,
        killed after a random share `latest` of the reference's time at most, until it finishes;
        compares what `read` reads of each file with the reference's. Returns the final file."""
        reference = self.path("reference.h5")
        start = time.monotonic()
        result = commons("sweep", self.scenario, "-o", reference, *arguments)
        self.assertEqual(result.returncode, 0, result.stderr)
        elapsed = time.monotonic() - start
        expected = read(reference)
        output = self.path("results.h5")
        rng = random.Random(seed)
        kills = 0
        flagged_before = 0
        for attempt in range(40):
            process = subprocess.Popen([COMMONS, "sweep", self.scenario, "-o", output, "--resume", *arguments],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0.05, latest * elapsed))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.communicate(timeout=120)
            if os.path.exists(output):
                break
            if not os.path.exists(output + ".partial"):
                continue  # killed before the file had its name
            with h5py.File(output + ".partial", "r") as handle:
                completed = handle["runs/completed"][()].astype(bool)
            # No run flagged complete is ever lost.
            self.assertGreaterEqual(int(completed.sum()), flagged_before)
            flagged_before = int(completed.sum())
            self.assert_same(read(output + ".partial"), expected, rows=completed)
        else:
            self.fail("40 attempts did not finish the sweep")
        self.assertGreater(kills, 1, "the kills must land while the sweep runs")
        self.assert_same(read(output), expected)
        with h5py.File(output, "r") as handle:
            self.assertEqual(handle.attrs["status"], b"complete")
            self.assertGreater(int(handle.attrs["sessions"]), 1)
        self.assertEqual(sorted(os.listdir(self.dir)), ["reference.h5", "results.h5"])
        return output

    def test_killed_and_resumed_until_done(self):
        self.kill_and_resume_until_done([*SMALL, "--threads", "2", "--set", "steps=2000"], datasets, 20261205, 0.5)

    def test_streamed_agent_rows_killed_and_resumed_until_done(self):
        # Per-agent rows reach the file while their run goes on: kills land in the middle of them.
        output = self.kill_and_resume_until_done(STREAMED, lambda path: {**datasets(path), **agent_datasets(path)},
                                                 20261206, 0.7)
        with h5py.File(output, "r") as handle:
            self.assertEqual(handle["agents/effort"].shape, (12, 60, 10000))


class Plans(Workspace):
    def test_threads_do_not_change_results(self):
        one = self.path("one.h5")
        two = self.path("two.h5")
        self.sweep(one, "--set", "sweep.samples=4", "--threads", "1")
        self.sweep(two, "--set", "sweep.samples=4", "--threads", "2")
        self.assert_same(datasets(one), datasets(two))

    def test_more_replicates_and_points_keep_the_runs_made(self):
        small = self.path("small.h5")
        large = self.path("large.h5")
        # Saltelli on the Sobol sequence: more base samples keep the earlier points.
        self.sweep(small, "--set", "sweep.samples=4", "--set", "sweep.replicates=1")
        self.sweep(large, "--set", "sweep.samples=8", "--set", "sweep.replicates=3")
        with h5py.File(small, "r") as s, h5py.File(large, "r") as l:
            key = lambda h: list(zip(h["runs/design_point"][()], h["runs/policy"][()], h["runs/replicate"][()]))
            where = {k: i for i, k in enumerate(key(l))}
            matched = 0
            for i, k in enumerate(key(s)):
                j = where[k]
                for name in s["summary"]:
                    a, b = s["summary"][name][i], l["summary"][name][j]
                    self.assertTrue(a == b or (np.isnan(a) and np.isnan(b)), (name, k))
                for name in ("stock", "effort"):
                    self.assertEqual(s["series"][name][i].tobytes(), l["series"][name][j].tobytes())
                matched += 1
            self.assertEqual(matched, 4 * 6 * 2)

    def test_another_plan_never_resumes_a_file(self):
        output = self.path("results.h5")
        process = subprocess.Popen([COMMONS, "sweep", self.scenario, "-o", output, *LONG],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started(process, output)
        process.send_signal(signal.SIGKILL)
        process.wait()
        self.assertTrue(os.path.exists(output + ".partial"))
        with open(output + ".partial", "rb") as handle:
            before = handle.read()
        other = commons("sweep", self.scenario, "-o", output, *LONG, "--set", "economics.discount_rate=0.1", "--resume")
        self.assertEqual(other.returncode, 4, other.stderr)
        self.assertIn("another plan", other.stderr)
        with open(output + ".partial", "rb") as handle:
            self.assertEqual(handle.read(), before)
        # The same plan continues it.
        self.sweep(output, *LONG, "--resume")

    def test_run_and_sweep_refuse_each_others_scenarios(self):
        ran = commons("run", self.scenario, "-o", self.path("x.h5"))
        self.assertEqual(ran.returncode, 2)
        self.assertIn("has a sweep block; run it with commons sweep", ran.stderr)
        plain = os.path.join(SOURCE, "scenarios/teaching/open_access_fishery.yaml")
        swept = commons("sweep", plain, "-o", self.path("y.h5"))
        self.assertEqual(swept.returncode, 2)
        self.assertIn("has no sweep block", swept.stderr)
        both = commons("sweep", self.scenario, "-o", self.path("z.h5"), "--resume", "--force")
        self.assertEqual(both.returncode, 2)
        self.assertEqual(os.listdir(self.dir), [])

    def test_validate_counts_the_runs(self):
        checked = commons("validate", self.scenario, "--set", "sweep.samples=16")
        self.assertEqual(checked.returncode, 0, checked.stderr)
        self.assertIn("sweep: saltelli, 96 points x 2 policies x 2 = 384 runs, every point checked", checked.stdout)




if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--commons", required=True)
    parser.add_argument("--source", required=True)
    options, rest = parser.parse_known_args()
    COMMONS = os.path.abspath(options.commons)
    SOURCE = os.path.abspath(options.source)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
