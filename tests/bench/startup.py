#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Start-up of whole `commons` processes (issue 13, docs/performance.md): `commons --version`
(loading the program), `commons validate` of a small bundled scenario (that plus the scenario,
its schema and admission) and `commons run` of it (that plus the runs and the HDF5 file), each
timed by the CPU time (user + system) the process used, the figure the load of other processes
on the machine disturbs least. Wall time is printed beside it; `run` waits on fdatasync too.

Each round runs every contender once, in an order that rotates from round to round, so that a
machine whose load drifts treats them alike; medians over the rounds are printed, and with
--before the ratio of before to after within this one invocation.

  /usr/bin/python3 tests/bench/startup.py --commons build/release/tools/cli/commons \\
      [--before OLD_COMMONS] [--rounds 20] [--scenario scenarios/teaching/open_access_fishery.yaml]
"""

import argparse
import pathlib
import statistics
import tempfile

from whole_process import rotated_rounds

HERE = pathlib.Path(__file__).resolve().parent
SCENARIO = HERE.parent.parent / "scenarios" / "teaching" / "open_access_fishery.yaml"


def commands(executable, scenario, directory, label):
    """The three commands of one executable, by name."""
    return {
        f"{label}--version": [executable, "--version"],
        f"{label}validate": [executable, "validate", str(scenario)],
        f"{label}run": [executable, "run", str(scenario), "-o", str(directory / f"{label.strip(': ') or 'after'}.h5"),
                        "--force", "--quiet", "--threads", "1"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commons", required=True, help="the commons executable")
    parser.add_argument("--before", help="an earlier commons executable, timed alternately with it")
    parser.add_argument("--scenario", type=pathlib.Path, default=SCENARIO)
    parser.add_argument("--rounds", type=int, default=20)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="startup_") as scratch:
        directory = pathlib.Path(scratch)
        contenders = commands(arguments.commons, arguments.scenario, directory, "")
        if arguments.before:
            contenders.update(commands(arguments.before, arguments.scenario, directory, "before: "))
        names = list(contenders)
        # One unmeasured round first: the page cache then holds every library for every contender.
        rotated_rounds(contenders, 1)
        walls, cpus = rotated_rounds(contenders, arguments.rounds)
    with open("/proc/loadavg") as load:
        load_average = " ".join(load.read().split()[:3])
    print(f"{arguments.scenario}, load average after: {load_average}")
    print(f"{'command':<22} {'CPU median':>11} {'CPU min':>9} {'wall median':>12}   ({arguments.rounds} rounds)")
    for name in names:
        print(f"{name:<22} {statistics.median(cpus[name]) * 1e3:>8.1f} ms {min(cpus[name]) * 1e3:>6.1f} ms "
              f"{statistics.median(walls[name]) * 1e3:>9.1f} ms")
    if arguments.before:
        for name in names:
            if name.startswith("before: "):
                continue
            ratio = statistics.median(cpus[f"before: {name}"]) / statistics.median(cpus[name])
            print(f"before / after, CPU, {name}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
