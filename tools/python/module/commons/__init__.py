# SPDX-License-Identifier: Apache-2.0
"""Commons from Python: run a scenario and get its results as an xarray.Dataset.

    import commons
    ds = commons.run("scenarios/teaching/open_access_fishery.yaml",
                     set={"economics.cost_per_effort": 40}, seed=7)
    ds["stock"].mean("run").plot()
    commons.validate("my_scenario.yaml")      # raises commons.ScenarioError if it would not run

The runs are those `commons run` makes, through the same loader, engine and (with output=)
the same HDF5 writer; the Dataset holds what the results file holds. docs/python.md describes
the API and how the file's groups map to the Dataset's names.
"""

import json
import numbers
import operator
import os
import warnings

import numpy

try:
    from . import _native
except ImportError as error:
    if any(name.startswith("_native.") for name in os.listdir(os.path.dirname(__file__))):
        raise  # built, but it does not load: the message says why
    raise ImportError("commons._native, the compiled part of commons, is not beside this file: import commons "
                      "from a build tree, BUILD/python, not from its sources (docs/python.md)") from error
from ._dataset import to_dataset
from ._native import OutputError, ScenarioError, __version__

__all__ = ["run", "sweep", "validate", "ScenarioError", "OutputError", "__version__"]

#: Seeds are below 2^53 so that every reader holds them exactly (as `--seed`).
MAX_SEED = 2**53 - 1
#: The most worker threads `--threads` accepts.
MAX_THREADS = 4096


def run(scenario, set=None, seed=None, threads=0, output=None, force=False):  # noqa: A002 (`set` as in --set)
    """Run every replicate (of every variant) of a scenario and return the results.

    scenario: path of the scenario file (str or os.PathLike).
    set:      {dotted.path: value} overrides, as `--set path=value` takes them. A str value is
              YAML text exactly as after `=` on the command line ("{regime: state}" is a map);
              numbers, bools, None, lists, tuples and dicts are written as YAML for you, and a
              str inside a list or dict is a string.
    seed:     base seed, 0 to 2**53 - 1, as `--seed` (applied after `set`).
    threads:  worker threads; 0 uses every core. Results do not depend on it.
    output:   also write the HDF5 results file `commons run -o` would write (str or
              os.PathLike); an existing file is replaced only with force=True.

    Returns an xarray.Dataset (docs/python.md#the-dataset). Raises ScenarioError for a scenario
    that does not load, OutputError for an output that cannot be written, MemoryError for runs
    too large for the memory there is, KeyboardInterrupt when Ctrl-C stopped the runs (a file
    then stays FILE.partial), RuntimeError when no run completed; warns (RuntimeWarning) when
    some runs failed, whose messages are in the Dataset's `error`.
    """
    return _execute("run", scenario, set, seed, threads, output, force)


def sweep(scenario, set=None, seed=None, threads=0, output=None, force=False):  # noqa: A002
    """Run every design point and policy of a scenario's sweep block, as `commons sweep`
    (docs/sweeps.md), and return the results: the arguments and the Dataset are those of run(),
    with the sweep's factors as coordinates along `run` (groupby works over any of them) and its
    design under `design.*`. A scenario without a sweep block raises ScenarioError, as run()
    does for one with a sweep block. To resume an interrupted sweep, use `commons sweep
    --resume` and open its file."""
    return _execute("sweep", scenario, set, seed, threads, output, force)


def _execute(command, scenario, set, seed, threads, output, force):  # noqa: A002
    path = _path(scenario, "scenario")
    overrides = _overrides(set)
    if seed is not None:
        seed = _integer(seed, "seed")
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seed must be in 0..2**53-1, not {seed}")
    threads = _integer(threads, "threads")
    if not 0 <= threads <= MAX_THREADS:
        raise ValueError(f"threads must be in 0..{MAX_THREADS} (0: every core), not {threads}")
    output_path = None if output is None else _path(output, "output")
    if not isinstance(force, bool):
        raise TypeError(f"force must be True or False, not {type(force).__name__}")

    call = _call_text(command, path, set, seed=seed, threads=threads, output=output_path, force=force)
    results = _native.run(path, overrides, seed, threads, output_path, force, call, sweep=command == "sweep")
    _report(results["report"])
    return to_dataset(results)


def validate(scenario, set=None):  # noqa: A002
    """Check a scenario (and overrides, as in run) the way `commons validate` does, without
    running it: return None, or raise ScenarioError whose str() is the message the command
    prints (FILE:LINE:COL: /json/pointer: message) and whose attributes file, line, column,
    pointer and message hold its parts."""
    _native.validate(_path(scenario, "scenario"), _overrides(set))


def _path(value, what):
    try:
        path = os.fspath(value)
    except TypeError:
        raise TypeError(f"{what} must be a path (str or os.PathLike), not {type(value).__name__}") from None
    return os.fsdecode(path)


def _integer(value, what):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be an integer, not {type(value).__name__}")
    return operator.index(value)


def _overrides(assignments):
    """{path: value} -> [(path, YAML text)], in the dict's order (later ones win, as with --set)."""
    if assignments is None:
        return []
    if not hasattr(assignments, "items"):
        raise TypeError(f"set must be a dict of scenario paths to values, not {type(assignments).__name__}")
    pairs = []
    for path, value in assignments.items():
        if not isinstance(path, str):
            raise TypeError(f"set: keys must be scenario paths (str), not {type(path).__name__}")
        pairs.append((path, value if isinstance(value, str) else _yaml(value, path)))
    return pairs


def _yaml(value, path):
    """YAML text of a Python value. Strings are double-quoted (JSON escapes are YAML ones), so
    that inside a list or a map a str is always a string."""
    if isinstance(value, str):
        return _quoted(value)
    if value is None:
        return "null"
    if isinstance(value, (bool, numpy.bool_)):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(operator.index(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"set: {path}: {number} is not a number a scenario can hold")
        return repr(number)
    if hasattr(value, "items"):
        return "{" + ", ".join(f"{_quoted(_key(key, path))}: {_yaml(item, path)}" for key, item in value.items()) + "}"
    if hasattr(value, "tolist") and not isinstance(value, (bytes, bytearray)):  # numpy arrays and scalars
        return _yaml(value.tolist(), path)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml(item, path) for item in value) + "]"
    raise TypeError(f"set: {path}: cannot write a {type(value).__name__} as a scenario value")


def _key(key, path):
    if not isinstance(key, str):
        raise TypeError(f"set: {path}: map keys must be str, not {type(key).__name__}")
    return key


def _quoted(text):
    return json.dumps(text, ensure_ascii=False)


def _call_text(function, path, assignments, **options):
    """How the call is written, stored as the results' `command_line`: what reruns it."""
    defaults = {"seed": None, "threads": 0, "output": None, "force": False}
    arguments = [repr(path)]
    if assignments:
        arguments.append(f"set={dict(assignments)!r}")
    arguments += [f"{key}={value!r}" for key, value in options.items() if value != defaults[key]]
    return f"commons.{function}({', '.join(arguments)})"


def _report(report):
    if report["completed"] == 0:
        first = "; ".join(report["failures"][:3])
        raise RuntimeError(f"no run completed, so there are no results: {first}")
    if report["failed"]:
        first = "; ".join(report["failures"][:3])
        warnings.warn(f"{report['failed']} of {report['runs']} runs failed ({first}); their rows are NaN, "
                      "their messages in the Dataset's `error`", RuntimeWarning, stacklevel=3)
