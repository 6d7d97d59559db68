#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Whole processes, paired: `commons run` of the fleet fishery against its NumPy twin
(numpy_fleet_twin.py), the same model and sizes, writing the stock series to HDF5. Each round
runs every contender once, in an order that rotates from round to round, so that a machine
whose load drifts treats them alike; the medians over the rounds and their ratios are printed
(docs/performance.md#whole-runs).

  /usr/bin/python3 tests/bench/whole_process.py --commons build/release/tools/cli/commons \\
      --agents 1000000 --steps 100 --threads 1 2 --rounds 5 [--before OLD_COMMONS]
"""

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
SCENARIO = HERE.parent.parent / "scenarios" / "teaching" / "open_access_fishery.yaml"
TWIN = HERE / "numpy_fleet_twin.py"


def commands(arguments, directory):
    """The contenders by name: each a command line."""
    # The teaching fleet's total opening effort (20 boats of 0.25) shared by every agent, so the
    # fishery follows the same path at any size; no observation noise (the twin has none).
    initial_effort = 5.0 / arguments.agents
    overrides = [
        f"agents.0.count={arguments.agents}",
        f"steps={arguments.steps}",
        "replicates=1",
        "resource.observation_noise=0",
        "output.series=[stock]",
        f"agents.0.behaviour.initial_effort={initial_effort!r}",
    ]
    contenders = {}
    executables = [("", arguments.commons)] + ([("before: ", arguments.before)] if arguments.before else [])
    for label, executable in executables:
        for threads in arguments.threads:
            line = [executable, "run", str(SCENARIO)]
            for override in overrides:
                line += ["--set", override]
            line += ["-o", str(directory / f"commons{len(contenders)}.h5"), "--force", "--quiet", "--threads",
                     str(threads)]
            contenders[f"{label}commons --threads {threads}"] = line
    contenders["numpy twin"] = [
        sys.executable, str(TWIN), "--agents", str(arguments.agents), "--steps", str(arguments.steps),
        "--initial-effort", repr(initial_effort), "-o", str(directory / "twin.h5")]
    return contenders


def timed(line):
    """Wall and CPU seconds (user + system) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(line, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(line)} failed with exit code {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime


def rotated_rounds(contenders, rounds):
    """Walls and CPU times by contender name over `rounds` rounds, each running every contender
    once, in an order that rotates from round to round."""
    names = list(contenders)
    walls = {name: [] for name in names}
    cpus = {name: [] for name in names}
    for round_index in range(rounds):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            wall, cpu = timed(contenders[name])
            walls[name].append(wall)
            cpus[name].append(cpu)
    return walls, cpus


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commons", required=True, help="the commons executable")
    parser.add_argument("--before", help="an earlier commons executable, run as further contenders")
    parser.add_argument("--agents", type=int, default=1_000_000)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="whole_process_") as scratch:
        contenders = commands(arguments, pathlib.Path(scratch))
        names = list(contenders)
        walls, cpus = rotated_rounds(contenders, arguments.rounds)
    with open("/proc/loadavg") as load:
        load_average = load.read().split()[:3]
    print(f"{arguments.agents} agents x {arguments.steps} steps, {arguments.rounds} rounds, "
          f"load average after: {' '.join(load_average)}")
    print(f"{'':24} {'wall median':>12} {'CPU median':>12}   wall of each round")
    for name in names:
        rounds = " ".join(f"{wall:.3f}" for wall in walls[name])
        print(f"{name:24} {statistics.median(walls[name]):11.3f}s {statistics.median(cpus[name]):11.3f}s   {rounds}")
    twin = statistics.median(walls["numpy twin"])
    for name in names[:-1]:
        print(f"numpy twin / {name}: {twin / statistics.median(walls[name]):.2f}x (wall medians)")
    if len(arguments.threads) > 1:
        for first in range(0, len(names) - 1, len(arguments.threads)):
            one = statistics.median(walls[names[first]])
            for name in names[first + 1:first + len(arguments.threads)]:
                print(f"{names[first]} / {name}: {one / statistics.median(walls[name]):.2f}x (wall medians)")


if __name__ == "__main__":
    main()
