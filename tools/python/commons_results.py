# SPDX-License-Identifier: Apache-2.0
"""Read Commons results files (layout version 1; see docs/results-format.md).

Only numpy and h5py are needed. Use as a module::

    import commons_results as cr
    series = cr.open_series("results.h5")
    stock = series["stock"]          # a Variable
    stock.values                     # numpy array [run, step]; NaN where a run was not written
    stock.units, stock.long_name
    cr.variant_names("results.h5")   # ["open_access", "state_tac", ...], or None without a comparison
    cr.run_variants("results.h5")    # variant name of each run [run], or None

Functions raise FileNotFoundError for a missing file and ResultsFormatError for a file
that is not a Commons results file (or has a newer layout than this module reads).
"""

from __future__ import annotations

import os
import sys
from typing import Dict, List, NamedTuple, Optional, Tuple

import h5py
import numpy as np

FORMAT = "commons-results"
FORMAT_VERSION = 1

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ResultsFormatError",
    "Variable",
    "open_results",
    "attributes",
    "scenario_text",
    "open_series",
    "summary",
    "references",
    "runs",
    "agents",
    "agent_steps",
    "steps",
    "completed",
    "variant_names",
    "run_variants",
    "run_variant_indices",
]


class ResultsFormatError(Exception):
    """The file exists but is not a results file this module can read."""


class Variable(NamedTuple):
    """One dataset of a results file with the attributes that describe it."""

    values: np.ndarray
    units: str
    long_name: str
    dimensions: Tuple[str, ...]


def _text(value) -> str:
    # h5py returns str for variable-length UTF-8 attributes; bytes only from other writers.
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def open_results(path: str | os.PathLike) -> h5py.File:
    """Open a results file read-only after checking its format attributes.

    The caller closes the returned h5py.File (use it in a ``with`` statement).
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file")
    try:
        handle = h5py.File(path, "r")
    except OSError as error:
        raise ResultsFormatError(f"{path}: not an HDF5 file, so not a Commons results file ({error})") from None
    try:
        fmt = handle.attrs.get("format")
        if fmt is None or _text(fmt) != FORMAT:
            raise ResultsFormatError(f"{path}: not a Commons results file (root attribute format is {fmt!r})")
        version = int(handle.attrs.get("format_version", 0))
        if not 1 <= version <= FORMAT_VERSION:
            raise ResultsFormatError(
                f"{path}: results layout version {version} is not readable here (reads {FORMAT_VERSION})"
            )
    except BaseException:
        handle.close()
        raise
    return handle


def attributes(path: str | os.PathLike) -> Dict[str, object]:
    """Root attributes: format, format_version, program_version, git_commit, ..."""
    out: Dict[str, object] = {}
    with open_results(path) as handle:
        for key, value in handle.attrs.items():
            if isinstance(value, (str, bytes)):
                out[key] = _text(value)
            elif isinstance(value, np.generic):
                out[key] = value.item()  # numpy scalar -> int/float
            else:
                out[key] = value
    return out


def scenario_text(path: str | os.PathLike) -> str:
    """The resolved scenario the file was written from (JSON text)."""
    with open_results(path) as handle:
        return _text(handle["scenario"][()])


def _dimension_names(dataset: h5py.Dataset) -> Tuple[str, ...]:
    names = []
    for axis in dataset.dims:
        scales = list(axis.values())
        names.append(scales[0].name.rsplit("/", 1)[-1] if scales else "")
    return tuple(names)


def _is_coordinate(dataset: h5py.Dataset) -> bool:
    return _text(dataset.attrs.get("CLASS", b"")) == "DIMENSION_SCALE"


def _group(path: str | os.PathLike, group: str) -> Dict[str, Variable]:
    """Every non-coordinate dataset of `group`, in the order the writer created them."""
    out: Dict[str, Variable] = {}
    with open_results(path) as handle:
        if group not in handle:
            return out
        for name, dataset in handle[group].items():
            if not isinstance(dataset, h5py.Dataset) or _is_coordinate(dataset):
                continue
            values = dataset[()]
            if values.dtype.kind == "O":  # variable-length strings
                values = np.array([_text(v) for v in values.ravel()], dtype=object).reshape(values.shape)
            out[name] = Variable(
                values=values,
                units=_text(dataset.attrs.get("units", "")),
                long_name=_text(dataset.attrs.get("long_name", "")),
                dimensions=_dimension_names(dataset),
            )
    return out


def open_series(path: str | os.PathLike) -> Dict[str, Variable]:
    """Aggregate series: name -> Variable with values [run, step] (float64, NaN if not written)."""
    return _group(path, "series")


def summary(path: str | os.PathLike) -> Dict[str, Variable]:
    """One value per run: name -> Variable with values [run]."""
    return _group(path, "summary")


def references(path: str | os.PathLike) -> Dict[str, Variable]:
    """Closed-form reference values per run (e.g. msy_stock, open_access_effort): values [run]."""
    return _group(path, "references")


def runs(path: str | os.PathLike) -> Dict[str, Variable]:
    """Run bookkeeping: replicate, seed, seed_text, completed and swept parameters, [run]."""
    return _group(path, "runs")


def agents(path: str | os.PathLike) -> Dict[str, Variable]:
    """Per-agent series [run, step, agent]; empty if the file has none. The step axis is
    agent_steps(path): every step, or every output.agent_interval-th."""
    return _group(path, "agents")


def agent_steps(path: str | os.PathLike) -> np.ndarray:
    """The steps at whose end agents/ was recorded (all steps, or every output.agent_interval-th)."""
    with open_results(path) as handle:
        return handle["agents/step"][()]


def steps(path: str | os.PathLike) -> np.ndarray:
    """The step coordinate (int64 0..steps-1)."""
    with open_results(path) as handle:
        return handle["series/step"][()]


def completed(path: str | os.PathLike) -> np.ndarray:
    """Boolean mask of runs written completely."""
    with open_results(path) as handle:
        return handle["runs/completed"][()] != 0


def variant_names(path: str | os.PathLike) -> Optional[List[str]]:
    """Names of the variants of a comparison in variant order, or None when the file has none.

    The names are the CF ``flag_meanings`` of ``runs/variant`` (value i means the i-th name).
    """
    with open_results(path) as handle:
        if "runs/variant" not in handle:
            return None
        dataset = handle["runs/variant"]
        names = _text(dataset.attrs.get("flag_meanings", "")).split()
        values = [int(v) for v in np.atleast_1d(dataset.attrs.get("flag_values", []))]
        if values != list(range(len(names))):
            raise ResultsFormatError(f"{path}: runs/variant flag_values {values} do not number its "
                                     f"{len(names)} flag_meanings 0..{len(names) - 1}")
        return names


def run_variant_indices(path: str | os.PathLike) -> Optional[np.ndarray]:
    """Variant index of each run (int64 [run]), or None when the file has no comparison."""
    with open_results(path) as handle:
        if "runs/variant" not in handle:
            return None
        return handle["runs/variant"][()]


def run_variants(path: str | os.PathLike) -> Optional[np.ndarray]:
    """Variant name of each run (object array of str [run]), or None when the file has no comparison."""
    with open_results(path) as handle:
        if "runs/variant_name" not in handle:
            return None
        return np.array([_text(v) for v in handle["runs/variant_name"][()]], dtype=object)


class SiteMap(NamedTuple):
    """One grid variable of sites/ at one run and sampled step: values [y, x]."""

    name: str
    units: str
    run: int
    step: int
    values: np.ndarray


def site_map_variable(path: str | os.PathLike) -> Optional[str]:
    """The resource's first own per-site variable on a grid (before the engine's effort and
    harvest), or None when the file has no grid of sites."""
    with open_results(path) as handle:
        if "sites" not in handle or _text(handle["sites"].attrs.get("site_layout", "")) != "grid":
            return None
        names = [name for name, dataset in handle["sites"].items()
                 if isinstance(dataset, h5py.Dataset) and not _is_coordinate(dataset)]
        own = [name for name in names if name not in ("effort", "harvest")]
        return (own or names or [None])[0]


def site_map(path: str | os.PathLike, name: str, run: int, sample: int) -> SiteMap:
    """sites/<name> of `run` at its `sample`-th sampled step (negative counts from the end),
    read alone: a grid's full record can be gigabytes."""
    with open_results(path) as handle:
        dataset = handle["sites"][name]
        steps = handle["sites/step"][()]
        index = sample % steps.size
        return SiteMap(name, _text(dataset.attrs.get("units", "")), run, int(steps[index]),
                       dataset[run, index, :, :])


def site_steps(path: str | os.PathLike) -> np.ndarray:
    """The steps at whose end sites/ was sampled (all steps, or every output.site_interval-th)."""
    with open_results(path) as handle:
        return handle["sites/step"][()]


def _main(argv) -> int:
    # A quick look without the C++ tools: python3 commons_results.py FILE
    if len(argv) != 2:
        print("usage: commons_results.py FILE", file=sys.stderr)
        return 2
    try:
        for key, value in attributes(argv[1]).items():
            print(f"{key}: {value}")
        names = variant_names(argv[1])
        if names is not None:
            indices = run_variant_indices(argv[1])
            for index, name in enumerate(names):
                print(f"variant {index} {name}: {int((indices == index).sum())} runs")
        for group in ("series", "summary", "references"):
            for name, variable in _group(argv[1], group).items():
                print(f"{group}/{name} {variable.dimensions} [{variable.units}] {variable.long_name}")
    except (FileNotFoundError, ResultsFormatError) as error:
        print(error, file=sys.stderr)
        return 4
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
