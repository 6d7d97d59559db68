#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Plot a Commons results file: stock, harvest, effort and rent against step.

    plot_results.py FILE [-o FIGURE.png]

With several runs each panel shows the mean over completed runs and their min-max band.
Reference points from references/ (named <point>_<variable>: msy, mey, open_access x stock,
effort, harvest, rent) are drawn as labelled horizontal lines. Missing variables leave a panel
or a line out. Exit codes as the commons command: 0 success, 2 usage, 4 I/O (missing file,
not a results file, figure not writable).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import warnings

import matplotlib

matplotlib.use("Agg")  # no display on clusters or in CI; set before pyplot is imported

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import commons_results as cr  # noqa: E402

EXIT_USAGE = 2
EXIT_IO = 4

# (series name, panel title)
PANELS = (("stock", "Stock"), ("harvest", "Harvest"), ("effort", "Effort"), ("rent", "Rent"))
# Where a panel's series is absent (a game has no stock), the first of these that is present
# takes its place: what matters most in a game is how the group invests and whether it trusts.
STAND_INS = {"stock": (("yield_efficiency", "Net yield / maximum"), ("group_investment", "Group investment")),
             "harvest": (("trust", "Mean trust"), ("group_output", "Group output"))}

# (reference prefix, label, line style): distinct colour and dash so they read in greyscale too.
POINTS = (
    ("msy", "MSY", {"color": "#1b7837", "linestyle": (0, (6, 3))}),
    ("mey", "MEY", {"color": "#762a83", "linestyle": (0, (6, 2, 1.5, 2))}),
    ("open_access", "open access (Gordon)", {"color": "#c51b1b", "linestyle": (0, (1.5, 2))}),
)


def _format(value: float, units: str) -> str:
    text = f"{value:.4g}"
    return f"{text} {units}" if units and units != "1" else text


def _reference_lines(references, variable: str, runs: np.ndarray):
    """(label, value, style) for every point that has this variable, over the runs used."""
    lines = []
    for prefix, label, style in POINTS:
        reference = references.get(f"{prefix}_{variable}")
        if reference is None:
            continue
        values = np.asarray(reference.values, dtype=float)[runs]
        values = values[np.isfinite(values)]
        if values.size == 0:
            continue
        value = float(values.mean())
        spread = float(values.max() - values.min())
        # References depend on swept parameters; when runs disagree show their mean and say so.
        suffix = "" if spread <= 1e-12 * max(1.0, abs(value)) else " (mean over runs)"
        lines.append((f"{label} = {_format(value, reference.units)}{suffix}", value, style))
    return lines


def _draw_panel(axis, name: str, title: str, series, references, step: np.ndarray, runs: np.ndarray):
    variable = series.get(name)
    axis.set_title(title, fontsize=11, loc="left", fontweight="bold")
    axis.set_xlabel("step")
    axis.grid(True, color="#e6e6e6", linewidth=0.8)
    axis.set_axisbelow(True)
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)
    if variable is None:
        axis.text(0.5, 0.5, f"'{name}' not recorded in this file", ha="center", va="center",
                  transform=axis.transAxes, color="#777777")
        axis.set_frame_on(False)
        axis.set_xticks([])
        axis.set_yticks([])
        axis.set_xlabel("")
        return
    # Steps are whole numbers; never tick at 2.5.
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    axis.set_ylabel(f"{title.lower()} [{variable.units}]" if variable.units else title.lower())
    values = np.asarray(variable.values, dtype=float)[runs]
    with warnings.catch_warnings():
        # Steps after a run ended early are NaN in every run: all-NaN slices are expected.
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(values, axis=0)
        low = np.nanmin(values, axis=0)
        high = np.nanmax(values, axis=0)
    colour = "#1f4e79"
    if values.shape[0] > 1:
        axis.plot(step, mean, color=colour, linewidth=1.8, label=f"mean of {values.shape[0]} runs", zorder=3)
        axis.fill_between(step, low, high, color=colour, alpha=0.18, linewidth=0, label="min-max", zorder=2)
    else:
        axis.plot(step, mean, color=colour, linewidth=1.8, label=f"run {int(np.flatnonzero(runs)[0])}")
    for label, value, style in _reference_lines(references, name, runs):
        axis.axhline(value, linewidth=1.4, label=label, **style)
    # Below the axes, not inside: inside, a legend hides the very curves it explains.
    axis.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
                handlelength=3.2, columnspacing=1.5)


def plot(path: str, figure_path: str) -> None:
    """Draw the 2x2 figure of `path` and write it to `figure_path` atomically."""
    attributes = cr.attributes(path)
    series = cr.open_series(path)
    references = cr.references(path)
    step = cr.steps(path)
    runs = cr.completed(path)
    total = runs.size
    if not runs.any():
        raise cr.ResultsFormatError(f"{path}: no run was completed; nothing to plot")

    # Not sharex: a panel without data clears its ticks, which would clear them everywhere.
    figure, axes = plt.subplots(2, 2, figsize=(11, 9), dpi=120, layout="constrained")
    for axis, (name, title) in zip(axes.flat, PANELS):
        if name not in series:
            name, title = next(((n, t) for n, t in STAND_INS.get(name, ()) if n in series), (name, title))
        _draw_panel(axis, name, title, series, references, step, runs)
    scenario = attributes.get("scenario_name") or os.path.basename(path)
    done = int(runs.sum())
    runs_text = f"{done} run" + ("s" if done != 1 else "") + (f" of {total} planned" if done != total else "")
    figure.suptitle(f"{scenario}  ({runs_text})", fontsize=13)

    _save_atomically(figure, figure_path)
    plt.close(figure)


def _save_atomically(figure, figure_path: str) -> None:
    # Write beside the target and rename, so a reader never sees half a PNG.
    directory = os.path.dirname(os.path.abspath(figure_path))
    if not os.path.isdir(directory):
        raise OSError(f"{figure_path}: directory {directory} does not exist")
    handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(figure_path) + ".", suffix=".tmp",
                                         dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            figure.savefig(stream, format="png")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp creates 0600
        os.replace(temporary, figure_path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="plot_results.py",
        description="Plot stock, harvest, effort and rent of a Commons results file against step.")
    parser.add_argument("file", help="results file (.h5, or an unfinished .partial)")
    parser.add_argument("-o", "--output", help="PNG to write (default: FILE with .png instead of its suffix)")
    args = parser.parse_args(argv)  # exits with 2 on usage errors
    output = args.output or os.path.splitext(args.file)[0] + ".png"
    try:
        plot(args.file, output)
    except (FileNotFoundError, cr.ResultsFormatError) as error:
        print(f"plot_results.py: {error}", file=sys.stderr)
        return EXIT_IO
    except OSError as error:
        print(f"plot_results.py: cannot write {output}: {error}", file=sys.stderr)
        return EXIT_IO
    return 0


if __name__ == "__main__":
    sys.exit(main())
