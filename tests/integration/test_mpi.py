#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`mpirun commons sweep` (docs/cluster.md) against one process: every dataset of the file the
same bit for bit on 2 and 3 ranks; a job stopped by a signal or by a rank killed with SIGKILL
leaves FILE.partial that --resume completes, on another rank count, into the same file; a run
that fails on a worker is recorded as on one process; a second job on the same output, ranks
that loaded different plans and a rank that cannot load the scenario are refused.

Run: /usr/bin/python3 test_mpi.py --commons BUILD/tools/cli/commons --protocol-test
     BUILD/tests/integration/mpi_protocol_test --mpirun mpirun --source REPO
"""
import argparse
import os
import re
import resource
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
PROTOCOL_TEST = None
MPIRUN = None
SOURCE = None
SWEEP = "scenarios/policy/fishery_sensitivity.yaml"
# 384 runs of 30 steps: a second on one process.
SMALL = ["--set", "steps=30", "--set", "sweep.samples=16"]
# 1536 runs of 300 agents: three seconds or more on two ranks, long enough to stop half a second
# after the file appeared.
LONG = ["--set", "steps=100", "--set", "agents.0.count=300", "--set", "sweep.samples=64"]
BUSY = "another commons process is writing it"
# Datasets of the files one process writes, by its arguments.
REFERENCES = {}


def launcher(ranks, *options):
    """mpirun for `ranks` ranks on this machine, whatever its cores, as root too (the tests run
    in containers as root; Open MPI refuses root without the flag)."""
    command = [MPIRUN, "--oversubscribe", *options]
    if os.getuid() == 0:
        command.append("--allow-run-as-root")
    return command + ["-np", str(ranks)]


def commons(*arguments, ranks=None, launcher_options=(), limit=None, timeout=300):
    command = [COMMONS, *arguments] if ranks is None else [*launcher(ranks, *launcher_options), COMMONS, *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=limit)


def source(relative):
    return os.path.join(SOURCE, relative)


def datasets(path):
    """Every dataset of the file, by name, as bytes (text as its repr)."""
    values = {}
    with h5py.File(path, "r") as handle:
        def visit(name, item):
            if isinstance(item, h5py.Dataset):
                value = item[()]
                plain = isinstance(value, np.ndarray) and value.dtype != object
                values[name] = value.tobytes() if plain else repr(value)
        handle.visititems(visit)
    return values


def runs_by_rank(stderr):
    """Runs each rank handed back, from rank 0's last line."""
    found = re.search(r"runs by rank: (.*)", stderr)
    return [int(count) for count in re.findall(r"(\d+) \(rank \d+\)", found.group(1))] if found else None


class Workspace(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory(prefix="commons-mpi-")
        self.dir = self.directory.name

    def tearDown(self):
        self.directory.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def single(self, *arguments):
        """The datasets of the file one process writes (made once per set of arguments)."""
        if arguments not in REFERENCES:
            with tempfile.TemporaryDirectory(prefix="commons-mpi-reference-") as directory:
                output = os.path.join(directory, "reference.h5")
                result = commons("sweep", source(SWEEP), *arguments, "-o", output, "-q")
                self.assertEqual(result.returncode, 0, result.stderr)
                REFERENCES[arguments] = datasets(output)
        return REFERENCES[arguments]

    def assert_same_file(self, path, expected):
        actual = datasets(path)
        self.assertEqual(sorted(actual), sorted(expected))
        for name, values in expected.items():
            self.assertEqual(actual[name], values, name)

    def start(self, ranks, output, *arguments, launcher_options=()):
        """An MPI sweep in the background, and the moment its FILE.partial appeared."""
        process = subprocess.Popen([*launcher(ranks, *launcher_options), COMMONS, "sweep", source(SWEEP), *LONG,
                                    "-o", output, *arguments],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not os.path.exists(output + ".partial"):
            self.assertIsNone(process.poll(), "the job ended before its file appeared")
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.02)
        return process


class SameBits(Workspace):
    def test_two_and_three_ranks_write_the_file_of_one_process(self):
        expected = self.single(*SMALL)
        for ranks in (2, 3):
            with self.subTest(ranks=ranks):
                output = self.path(f"ranks{ranks}.h5")
                result = commons("sweep", source(SWEEP), *SMALL, "-o", output, ranks=ranks)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assert_same_file(output, expected)
                with h5py.File(output, "r") as handle:
                    self.assertEqual(handle.attrs["status"], b"complete")
                # Every rank ran runs: rank 0 did not keep them all.
                counts = runs_by_rank(result.stderr)
                self.assertEqual(len(counts), ranks, result.stderr)
                self.assertEqual(sum(counts), 384)
                self.assertTrue(all(count > 0 for count in counts), result.stderr)

    def test_run_across_ranks_prints_and_writes_what_one_process_does(self):
        arguments = [source("scenarios/teaching/open_access_fishery.yaml"), "--set", "replicates=6", "-q"]
        alone = commons("run", *arguments, "-o", self.path("alone.h5"))
        spread = commons("run", *arguments, "-o", self.path("spread.h5"), ranks=2)
        self.assertEqual(alone.returncode, 0, alone.stderr)
        self.assertEqual(spread.returncode, 0, spread.stderr)
        self.assertEqual(spread.stdout.replace("spread.h5", "alone.h5"), alone.stdout)
        self.assert_same_file(self.path("spread.h5"), datasets(self.path("alone.h5")))

    def test_one_rank_is_a_plain_process(self):
        expected = self.single(*SMALL)
        result = commons("sweep", source(SWEEP), *SMALL, "-o", self.path("one.h5"), ranks=1)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIsNone(runs_by_rank(result.stderr))
        self.assert_same_file(self.path("one.h5"), expected)

    def test_messages_of_any_length_arrive_whole(self):
        result = subprocess.run([*launcher(2), PROTOCOL_TEST], capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)


class Stopped(Workspace):
    def check_partial(self, partial, expected):
        """FILE.partial of an interrupted job: some runs flagged, each holding its final values."""
        with h5py.File(partial, "r") as handle:
            self.assertEqual(handle.attrs["status"], b"partial")
            completed = handle["runs/completed"][()].astype(bool)
            stock = handle["series/stock"][()]
        self.assertTrue(0 < completed.sum() < completed.size, completed.sum())
        reference = np.frombuffer(expected["series/stock"]).reshape(stock.shape)
        self.assertEqual(stock[completed].tobytes(), reference[completed].tobytes())

    def test_sigterm_leaves_a_file_that_resume_completes_on_other_ranks(self):
        expected = self.single(*LONG)
        output = self.path("stopped.h5")
        process = self.start(2, output)
        time.sleep(0.5)
        # Ctrl-C or scancel: mpirun forwards SIGTERM to every rank.
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        self.assertNotEqual(process.returncode, 0)
        self.assertIn("continue with the same command and --resume", stderr)
        self.assertFalse(os.path.exists(output))
        self.check_partial(output + ".partial", expected)
        resumed = commons("sweep", source(SWEEP), *LONG, "-o", output, "--resume", ranks=3)
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        self.assertRegex(resumed.stdout, r"Runs +\d+ completed, \d+ already in the file")
        self.assert_same_file(output, expected)

    def test_worker_killed_leaves_a_file_that_resume_completes(self):
        expected = self.single(*LONG)
        output = self.path("killed.h5")
        # mpirun sends the other ranks SIGCONT when a rank dies, SIGTERM a second later and
        # SIGKILL a second after that; rank 0 sees a rank on its machine die within a tenth of
        # a second and ends the job itself, but a loaded machine may need the longer grace.
        process = self.start(3, output, launcher_options=("--mca", "odls_base_sigkill_timeout", "5"))
        time.sleep(0.5)
        victim = rank_process(process.pid, 1)
        os.kill(victim, signal.SIGKILL)
        _, stderr = process.communicate(timeout=60)
        self.assertNotEqual(process.returncode, 0)
        self.assertRegex(stderr, rf"rank 1 \(pid {victim} on [^)]+\) died")
        self.check_partial(output + ".partial", expected)
        resumed = commons("sweep", source(SWEEP), *LONG, "-o", output, "--resume", ranks=2)
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        self.assert_same_file(output, expected)


def rank_process(launcher_pid, rank):
    """The pid of `rank` among the processes mpirun started on this machine."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/environ", "rb") as handle:
                environment = handle.read().split(b"\0")
        except OSError:
            continue
        if parent == launcher_pid and f"OMPI_COMM_WORLD_RANK={rank}".encode() in environment:
            return int(entry)
    raise AssertionError(f"no rank {rank} under mpirun {launcher_pid}")


class Failures(Workspace):
    def test_run_failing_on_a_worker_is_recorded_as_on_one_process(self):
        # A design point of ten million agents cannot be built in the address space a limit
        # leaves: its runs throw std::bad_alloc wherever they run; the others complete.
        scenario = self.path("too_large.yaml")
        with open(source("scenarios/teaching/open_access_fishery.yaml")) as handle:
            text = handle.read()
        with open(scenario, "w") as handle:
            handle.write(text + "\nsweep:\n  design: factorial\n  replicates: 2\n  parameters:\n"
                                "    agents.0.count: {values: [5, 10000000, 7]}\n")
        arguments = ["sweep", scenario, "--set", "steps=20", "--memory-limit", "1T", "-q"]

        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (500 << 20, resource.RLIM_INFINITY))

        alone = commons(*arguments, "-o", self.path("alone.h5"), limit=limit)
        spread = commons(*arguments, "-o", self.path("spread.h5"), ranks=2, limit=limit)
        self.assertEqual(alone.returncode, 5, alone.stderr)
        self.assertEqual(spread.returncode, 5, spread.stderr)
        self.assertEqual(spread.stderr.count("std::bad_alloc"), 2, spread.stderr)
        expected = datasets(self.path("alone.h5"))
        self.assert_same_file(self.path("spread.h5"), expected)
        with h5py.File(self.path("spread.h5"), "r") as handle:
            self.assertEqual(handle.attrs["status"], b"failed")
            errors = [error.decode() for error in handle["runs/error"][()]]
        self.assertEqual(errors.count("std::bad_alloc"), 2, errors)


class Refusals(Workspace):
    def test_second_job_on_the_same_output_is_refused(self):
        output = self.path("busy.h5")
        first = self.start(2, output)
        second = commons("sweep", source(SWEEP), *LONG, "-o", output, "--resume", ranks=2)
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
        self.assertEqual(second.returncode, 4, second.stderr)
        self.assertIn(BUSY, second.stderr)

    def mpmd(self, *contexts):
        """One job of several programs (mpirun's A : B), each one rank."""
        command = launcher(1)
        for index, arguments in enumerate(contexts):
            command += ([":", "-np", "1"] if index else []) + [COMMONS, *arguments]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    def test_ranks_that_loaded_different_plans_are_refused(self):
        output = self.path("mixed.h5")
        base = ["sweep", source(SWEEP), *SMALL, "-o", output]
        result = self.mpmd(base, base + ["--set", "economics.price=11"])
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertRegex(result.stderr, r"rank 1 \(pid \d+ on [^)]+\) loaded another plan than rank 0")
        self.assertEqual(os.listdir(self.dir), [])

    def test_rank_that_cannot_load_the_scenario_is_named(self):
        output = self.path("missing.h5")
        result = self.mpmd(["sweep", source(SWEEP), *SMALL, "-o", output],
                           ["sweep", self.path("elsewhere.yaml"), *SMALL, "-o", output])
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertRegex(result.stderr, r"rank 1 \(pid \d+ on [^)]+\) cannot load the scenario: .*elsewhere\.yaml")
        self.assertEqual(os.listdir(self.dir), [])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--commons", required=True)
    parser.add_argument("--protocol-test", required=True)
    parser.add_argument("--mpirun", default="mpirun")
    parser.add_argument("--source", required=True)
    options, rest = parser.parse_known_args()
    COMMONS = os.path.abspath(options.commons)
    PROTOCOL_TEST = os.path.abspath(options.protocol_test)
    MPIRUN = shutil.which(options.mpirun) or options.mpirun
    SOURCE = os.path.abspath(options.source)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
