#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Admission control: a scenario too large for the machine is refused before anything is built,
with the estimate, the memory there is and how to shrink it; the estimate is close to what a
run really takes; long phases answer Ctrl-C.

Run: /usr/bin/python3 test_admission.py --commons BUILD/tools/cli/commons --source REPO
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

COMMONS = None
SOURCE = None
FISHERY = "scenarios/teaching/open_access_fishery.yaml"
UNITS = {"B": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}


def peak_of(*arguments):
    """Peak resident memory [bytes] of one commons process, read from wait4."""
    process = subprocess.Popen([COMMONS, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    stderr = process.stderr.read().decode()
    process.stderr.close()
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024, stderr


def size_in(text):
    match = re.search(r"about ([\d.]+) (B|kB|MB|GB|TB) of memory", text)
    if match is None:
        raise AssertionError("no memory estimate in: " + text)
    return float(match.group(1)) * UNITS[match.group(2)]


class Admission(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory(prefix="commons-admission-")
        self.dir = self.directory.name
        self.scenario = os.path.join(SOURCE, FISHERY)

    def tearDown(self):
        self.directory.cleanup()

    def test_oversized_scenario_refused_before_anything_is_built(self):
        output = os.path.join(self.dir, "huge.h5")
        oversized = ["--set", "agents.0.count=100000000", "--set", "replicates=2", "--memory-limit", "8G"]
        code, peak, stderr = peak_of("run", self.scenario, "-o", output, *oversized)
        self.assertEqual(code, 3, stderr)
        self.assertRegex(stderr, r"the runs need about [\d.]+ GB of memory, more than the 8\.00 GB that "
                                 r"--memory-limit allows")
        self.assertIn("each run holds about", stderr)
        self.assertIn("2 runs go at once", stderr)
        self.assertIn("to shrink it: fewer agents (agents.N.count), --threads 1 (about", stderr)
        # 1e8 agents take about 8 GB; a refusal that built nothing stays small.
        self.assertLess(peak, 300 * 2 ** 20)
        self.assertEqual(os.listdir(self.dir), [])
        validated = subprocess.run([COMMONS, "validate", self.scenario, *oversized], capture_output=True, text=True)
        self.assertEqual(validated.returncode, 3)
        # The same refusal; the figures may differ in the last digit (each process measures the
        # models' per-agent cost afresh).
        figures = re.compile(r"[\d.]+ (B|kB|MB|GB|TB)")
        self.assertEqual(figures.sub("#", validated.stderr), figures.sub("#", stderr))

    def test_refused_against_the_machine_without_a_limit(self):
        with open("/proc/meminfo") as meminfo:
            available = next(int(line.split()[1]) * 1024 for line in meminfo if line.startswith("MemAvailable:"))
        if available > 25 * 2 ** 30:
            self.skipTest("this machine has more than 25 GiB free: one run of the largest scenario (30 GB) "
                          "might fit")
        # Three groups of 1e8 agents (the most a group may have), two runs at once: about 60 GB,
        # more than this project's machines have.
        boats = "{model: fleet, initial_effort: 0.25, adjustment_rate: 0.0005, max_effort: 10}"
        groups = ", ".join("{group: boats_%d, count: 100000000, behaviour: %s}" % (g, boats) for g in range(3))
        code, _, stderr = peak_of("run", self.scenario, "-o", os.path.join(self.dir, "x.h5"),
                                  "--set", "agents=[%s]" % groups, "--set", "replicates=2", "--threads", "2")
        self.assertEqual(code, 3, stderr)
        self.assertRegex(stderr, r"more than the [\d.]+ [kMGT]?B (available on this machine|that this process's)")

    def test_memory_limit_is_a_size(self):
        for limit, accepted in (("512M", True), ("1.5GiB", True), ("2e9", True), ("lots", False), ("-1G", False)):
            with self.subTest(limit=limit):
                result = subprocess.run([COMMONS, "validate", self.scenario, "--memory-limit", limit],
                                        capture_output=True, text=True)
                self.assertEqual(result.returncode, 0 if accepted else 2, result.stderr)
        result = subprocess.run([COMMONS, "validate", self.scenario, "--memory-limit", "1M"],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 3)
        self.assertIn("more than the 1.00 MB that --memory-limit allows", result.stderr)

    def test_estimate_within_half_again_of_the_peak_on_three_sizes(self):
        # The fleet fishery at three sizes, one thread; per-agent cost measured, not assumed.
        for agents in (100_000, 1_000_000, 3_000_000):
            with self.subTest(agents=agents):
                arguments = ["--set", "agents.0.count=%d" % agents, "--set", "steps=5", "--set", "replicates=2",
                             "--threads", "1"]
                validated = subprocess.run([COMMONS, "validate", self.scenario, *arguments], capture_output=True,
                                           text=True)
                self.assertEqual(validated.returncode, 0, validated.stderr)
                estimate = size_in(validated.stdout)
                code, peak, stderr = peak_of("run", self.scenario, "-o", os.path.join(self.dir, "r.h5"), "--force",
                                             "--quiet", *arguments)
                self.assertEqual(code, 0, stderr)
                print("\n  %d agents: estimate %.1f MB, peak %.1f MB, ratio %.2f"
                      % (agents, estimate / 2 ** 20, peak / 2 ** 20, estimate / peak), file=sys.stderr)
                self.assertLess(estimate, 1.5 * peak)
                self.assertGreater(estimate, peak / 1.5)


class LongPhases(unittest.TestCase):
    """The social network of 2e4 agents with every pair linked (2e8 edges) is built and measured
    with progress shown, and Ctrl-C stops it."""

    def test_ctrl_c_during_a_long_network_phase(self):
        with tempfile.TemporaryDirectory(prefix="commons-phases-") as directory:
            output = os.path.join(directory, "complete.h5")
            process = subprocess.Popen(
                [COMMONS, "run", os.path.join(SOURCE, FISHERY), "-o", output, "--threads", "1",
                 "--set", "agents.0.count=20000", "--set", "steps=1", "--set", "replicates=1",
                 "--set", "network={model: complete}"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            # Progress lines arrive on stderr (not a terminal: one line every few seconds).
            first = process.stderr.readline()
            self.assertRegex(first, r"^commons: (creating agents|building the social network|measuring clustering)"
                                    r": \d+% \([\d.]+ s\)$")
            signalled = time.monotonic()
            process.send_signal(signal.SIGINT)
            rest = process.stderr.read()
            process.wait(timeout=60)
            answered = time.monotonic() - signalled
            process.stderr.close()
            print("\n  stopped %.2f s after Ctrl-C" % answered, file=sys.stderr)
            self.assertEqual(process.returncode, 130, rest)
            self.assertIn("interrupted before any run finished; nothing was written", rest)
            self.assertEqual(os.listdir(directory), [])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--commons", required=True)
    parser.add_argument("--source", required=True)
    options, rest = parser.parse_known_args()
    COMMONS = os.path.abspath(options.commons)
    SOURCE = os.path.abspath(options.source)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
