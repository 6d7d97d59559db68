#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Examples are tests: every bundled scenario runs (or sweeps), and its printed summary must match the
approved baseline in tests/integration/baselines/ (paths normalised).

Run:     /usr/bin/python3 test_baselines.py --commons BUILD/tools/cli/commons --source REPO
Approve: the same with --approve, after reading the diff it shows.
"""
import argparse
import difflib
import glob
import os
import subprocess
import sys
import tempfile


def normalise(text, scenario_path, results_path):
    # The only volatile text in a summary is where things are.
    return text.replace(results_path, "<RESULTS>").replace(scenario_path, "<SCENARIO>")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--commons", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--approve", action="store_true", help="write the current output as the baseline")
    options = parser.parse_args()
    scenarios = sorted(glob.glob(os.path.join(options.source, "scenarios", "**", "*.yaml"), recursive=True))
    baseline_dir = os.path.join(options.source, "tests", "integration", "baselines")
    passed = failed = 0
    with tempfile.TemporaryDirectory() as work:
        for scenario in scenarios:
            relative = os.path.relpath(scenario, os.path.join(options.source, "scenarios"))
            results = os.path.join(work, relative.replace(os.sep, "_") + ".h5")
            # A scenario with a sweep block is run the way its users run it.
            with open(scenario) as handle:
                command = "sweep" if any(line.startswith("sweep:") for line in handle) else "run"
            run = subprocess.run([options.commons, command, scenario, "-o", results, "--quiet"],
                                 capture_output=True, text=True, timeout=600)
            actual = "exit code %d\n%s" % (run.returncode, normalise(run.stdout, scenario, results))
            baseline = os.path.join(baseline_dir, relative.replace(".yaml", ".txt"))
            if options.approve:
                os.makedirs(os.path.dirname(baseline), exist_ok=True)
                with open(baseline, "w") as handle:
                    handle.write(actual)
                print("approved", relative)
                continue
            expected = open(baseline).read() if os.path.exists(baseline) else "(no baseline)\n"
            if run.returncode == 0 and actual == expected:
                passed += 1
                print("ok     ", relative)
            else:
                failed += 1
                print("FAILED ", relative)
                sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                           "baseline", "actual"))
                if run.stderr:
                    print(run.stderr)
    if not options.approve:
        print("%d passed, %d failed" % (passed, failed))
        if passed + failed == 0:
            print("no scenarios found", file=sys.stderr)
            return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
