#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The NumPy twin of the fleet fishery (tests/bench/numpy_fleet_twin.py) stays a twin: on small
scenarios its stock series and summary agree with `commons run`'s. The two differ only in the
order of sums over agents (commons adds blocks of 4096 agents in order, NumPy pairwise), so
they agree to rounding: within 1e-9 of the carrying capacity for stocks, 1e-9 relative for the
other values. Without this the whole-process comparison of docs/performance.md would compare
commons with some other model."""

import argparse
import math
import pathlib
import subprocess
import sys
import tempfile

import h5py
import numpy as np

CARRYING_CAPACITY = 1000.0  # scenarios/teaching/open_access_fishery.yaml
TOLERANCE = 1e-9


def run_both(commons, source, scratch, agents, steps, initial_effort):
    scenario = source / "scenarios" / "teaching" / "open_access_fishery.yaml"
    ours = scratch / f"commons_{agents}.h5"
    twin = scratch / f"twin_{agents}.h5"
    overrides = [f"agents.0.count={agents}", f"steps={steps}", "replicates=1", "resource.observation_noise=0",
                 "output.series=[stock]", f"agents.0.behaviour.initial_effort={initial_effort!r}"]
    line = [commons, "run", str(scenario), "-o", str(ours), "--force", "--quiet", "--threads", "2"]
    for override in overrides:
        line += ["--set", override]
    subprocess.run(line, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, str(source / "tests" / "bench" / "numpy_fleet_twin.py"), "--agents", str(agents),
                    "--steps", str(steps), "--initial-effort", repr(initial_effort), "-o", str(twin)], check=True)
    with h5py.File(ours) as a, h5py.File(twin) as b:
        series = (a["series/stock"][0, :], b["series/stock"][()])
        names = ["final_stock", "final_effort", "final_harvest", "final_rent", "discounted_rent", "equity"]
        summary = {name: (float(a["summary/" + name][0]), float(b["summary/" + name][()])) for name in names}
    return series, summary


def check(label, series, summary):
    failures = []
    ours, twin = series
    if ours.shape != twin.shape:
        failures.append(f"{label}: stock series of {ours.shape} and {twin.shape} steps")
    else:
        worst = float(np.max(np.abs(ours - twin)))
        if not worst <= TOLERANCE * CARRYING_CAPACITY:
            step = int(np.argmax(np.abs(ours - twin)))
            failures.append(f"{label}: stock at step {step} is {ours[step]!r} in commons, {twin[step]!r} in the twin")
    for name, (value, expected) in summary.items():
        if math.isnan(value) and math.isnan(expected):
            continue
        if not abs(value - expected) <= TOLERANCE * max(1.0, abs(expected)):
            failures.append(f"{label}: {name} is {value!r} in commons, {expected!r} in the twin")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--commons", required=True)
    parser.add_argument("--source", required=True, type=pathlib.Path)
    arguments = parser.parse_args()
    cases = [
        # The teaching fleet's opening effort shared by more agents than one block holds: the
        # fleet grows to the open-access point.
        ("open access, 5000 agents", 5000, 300, 5.0 / 5000),
        # Demand above the stock in the first step: every claim is cut in proportion.
        ("rationed, 3000 agents", 3000, 50, 0.05),
    ]
    failures = []
    with tempfile.TemporaryDirectory(prefix="numpy_twin_") as scratch:
        for label, agents, steps, effort in cases:
            series, summary = run_both(arguments.commons, arguments.source, pathlib.Path(scratch), agents, steps, effort)
            failures += check(label, series, summary)
    for failure in failures:
        print("FAIL", failure)
    if failures:
        sys.exit(1)
    print(f"the twin agrees with commons run in {len(cases)} cases")


if __name__ == "__main__":
    main()
