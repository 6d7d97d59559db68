#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Plot a Commons results file: stock, harvest, effort and rent against step.

    plot_results.py FILE [-o FIGURE.png|.pdf|.svg]

With several runs each panel shows the mean over completed runs and their min-max band.
Reference points from references/ (named <point>_<variable>: msy, mey, open_access x stock,
effort, harvest, rent) are drawn as labelled horizontal lines. Missing variables leave a panel
or a line out.

A file that holds a comparison (runs/variant) gets one figure that overlays the variants, one
colour each: stock (with the reference lines), rent, Gini of income, compliance, governance
cost per step and effort, each the mean over a variant's completed runs with a light min-max
band. A variant that does not record a series is absent from its panel, except governance
cost, which is 0 for an ungoverned variant; a panel whose series no variant has is left out.
A resource with a grid of sites (sites/ with site_layout grid) adds a row of maps of its own
first per-site variable (tokens, stock): for a single plan the first, middle and last sampled
steps of the first completed run; for a comparison the last sampled step of each variant's first
completed run (up to six variants), on one colour scale.
Exit codes as the commons command: 0 success, 2 usage, 4 I/O (missing file,
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

import matplotlib.lines  # noqa: E402
import matplotlib.patches  # noqa: E402
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


def _stand_in(name: str, title: str, series):
    """(name, title) to draw in a panel meant for `name`: itself when recorded, else its first
    recorded stand-in, else, for the stock, the resource's own first series (resources record
    theirs first: tokens, biomass, water table), else `name` unchanged."""
    if name in series:
        return name, title
    for candidate, candidate_title in STAND_INS.get(name, ()):
        if candidate in series:
            return candidate, candidate_title
    if name == "stock" and series:
        first = next(iter(series))
        return first, first.replace("_", " ").capitalize()
    return name, title


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
    _style_axis(axis, title)
    if variable is None:
        axis.text(0.5, 0.5, f"'{name}' not recorded in this file", ha="center", va="center",
                  transform=axis.transAxes, color="#777777")
        axis.set_frame_on(False)
        axis.set_xticks([])
        axis.set_yticks([])
        axis.set_xlabel("")
        return
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


# Panels of a comparison: (series name, panel title, whether a variant without it has 0).
COMPARISON_PANELS = (
    ("stock", "Stock", False),
    ("rent", "Rent", False),
    ("gini", "Gini of income", False),
    ("compliance", "Compliance", False),
    ("governance_cost", "Governance cost per step", True),
    ("effort", "Effort", False),
)


def _variant_colours(count: int):
    # Qualitative palettes while they last; past 20 variants colours must come from a ramp.
    if count <= 10:
        return [plt.get_cmap("tab10")(i) for i in range(count)]
    if count <= 20:
        return [plt.get_cmap("tab20")(i) for i in range(count)]
    ramp = plt.get_cmap("turbo")
    return [ramp(i / (count - 1)) for i in range(count)]


def _style_axis(axis, title: str) -> None:
    axis.set_title(title, fontsize=11, loc="left", fontweight="bold")
    axis.set_xlabel("step")
    axis.grid(True, color="#e6e6e6", linewidth=0.8)
    axis.set_axisbelow(True)
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))


def _variant_rows(values: np.ndarray, masks, zero_if_absent: bool, steps: int):
    """Per variant: its completed runs' rows [runs, step], or None where it does not record them."""
    rows = []
    for mask in masks:
        if not mask.any():
            rows.append(None)
            continue
        selected = values[mask] if values is not None else None
        if selected is not None and np.isfinite(selected).any():
            rows.append(selected)
        elif zero_if_absent:
            rows.append(np.zeros((int(mask.sum()), steps)))
        else:
            rows.append(None)
    return rows


# At most this many maps in a row; more would be too small to read.
MAX_MAPS = 6


def _map_snapshots(path: str, runs_by_title):
    """[(title, SiteMap)] for (title, run, sample) requests, or [] without a grid of sites."""
    name = cr.site_map_variable(path)
    if name is None:
        return []
    return [(title, cr.site_map(path, name, run, sample)) for title, run, sample in runs_by_title]


def _draw_maps(figure, cell, snapshots) -> None:
    """Maps of `snapshots` side by side in gridspec `cell`, one colour scale for all."""
    row = cell.subgridspec(1, len(snapshots))
    finite = [s.values[np.isfinite(s.values)] for _, s in snapshots]
    values = np.concatenate(finite) if finite else np.array([])
    low = float(values.min()) if values.size else 0.0
    high = float(values.max()) if values.size else 1.0
    if high <= low:
        high = low + 1.0
    axes = []
    image = None
    for position, (title, snapshot) in enumerate(snapshots):
        axis = figure.add_subplot(row[0, position])
        image = axis.imshow(snapshot.values, cmap="Greens", vmin=low, vmax=high, interpolation="nearest",
                            origin="upper")
        axis.set_title(f"{title}\nstep {snapshot.step}", fontsize=9)
        axis.set_xticks([])
        axis.set_yticks([])
        axes.append(axis)
    name, units = snapshots[0][1].name, snapshots[0][1].units
    label = f"{name} per site [{units}]" if units and units != "1" else f"{name} per site"
    figure.colorbar(image, ax=axes, shrink=0.85, label=label)


def plot_comparison(path: str, figure_path: str, names) -> None:
    """Draw the overlay of the variants of `path` and write it to `figure_path` atomically."""
    attributes = cr.attributes(path)
    series = cr.open_series(path)
    references = cr.references(path)
    step = cr.steps(path)
    done = cr.completed(path)
    indices = cr.run_variant_indices(path)
    if not done.any():
        raise cr.ResultsFormatError(f"{path}: no run was completed; nothing to plot")
    masks = [done & (indices == v) for v in range(len(names))]
    colours = _variant_colours(len(names))

    panels = []
    for name, title, zero_if_absent in COMPARISON_PANELS:
        name, title = _stand_in(name, title, series)
        variable = series.get(name)
        values = np.asarray(variable.values, dtype=float) if variable is not None else None
        if values is None or not np.isfinite(values[done]).any():
            continue  # no variant records it (zeros alone would say nothing)
        panels.append((name, title, variable, _variant_rows(values, masks, zero_if_absent, step.size)))
    if not panels:
        wanted = ", ".join(name for name, _, _ in COMPARISON_PANELS)
        raise cr.ResultsFormatError(f"{path}: none of the compared series ({wanted}) is recorded")

    columns = 2 if len(panels) > 1 else 1
    rows = -(-len(panels) // columns)
    legend_columns = min(len(names) + 1, 4)
    legend_rows = -(-(len(names) + 1) // legend_columns)
    firsts = [(name, int(np.flatnonzero(mask)[0]), -1) for name, mask in zip(names, masks) if mask.any()]
    snapshots = _map_snapshots(path, firsts[:MAX_MAPS])
    map_rows = 1 if snapshots else 0
    figure = plt.figure(figsize=(11, 3.7 * rows + 3.4 * map_rows + 0.35 * legend_rows + 0.8), dpi=120,
                        layout="constrained")
    # The variants' legend gets a row of its own below the panels: matplotlib 3.6 (Debian 12)
    # cannot place a figure legend outside the axes under constrained layout.
    grid = figure.add_gridspec(rows + map_rows + 1, columns,
                               height_ratios=[1.0] * rows + [0.95] * map_rows + [0.1 * legend_rows + 0.04])
    if snapshots:
        _draw_maps(figure, grid[rows, :], snapshots)
    for position, (name, title, variable, variant_rows) in enumerate(panels):
        axis = figure.add_subplot(grid[position // columns, position % columns])
        _style_axis(axis, title)
        axis.set_ylabel(f"{title.lower()} [{variable.units}]" if variable.units else title.lower())
        for rows_of_variant, colour in zip(variant_rows, colours):
            if rows_of_variant is None:
                continue
            with warnings.catch_warnings():
                # Steps after a run ended early are NaN in every run: all-NaN slices are expected.
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = np.nanmean(rows_of_variant, axis=0)
                low = np.nanmin(rows_of_variant, axis=0)
                high = np.nanmax(rows_of_variant, axis=0)
            axis.plot(step, mean, color=colour, linewidth=1.8, zorder=3)
            if rows_of_variant.shape[0] > 1:
                axis.fill_between(step, low, high, color=colour, alpha=0.15, linewidth=0, zorder=2)
        if name == "stock":
            lines = _reference_lines(references, "stock", done)
            for label, value, style in lines:
                axis.axhline(value, linewidth=1.4, label=label, **style)
            if lines:
                axis.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
                            handlelength=3.2, columnspacing=1.5)

    legend_axis = figure.add_subplot(grid[rows + map_rows, :])
    legend_axis.axis("off")
    handles = []
    for name, mask, colour in zip(names, masks, colours):
        count = int(mask.sum())
        label = f"{name} ({count} run{'s' if count != 1 else ''})"
        handles.append(matplotlib.lines.Line2D([], [], color=colour, linewidth=2.2, label=label))
    handles.append(matplotlib.patches.Patch(color="#777777", alpha=0.3, linewidth=0, label="min-max over runs"))
    legend_axis.legend(handles=handles, loc="center", ncol=legend_columns, frameon=False, fontsize=9,
                       title="variant: mean over completed runs", title_fontsize=9)

    scenario = attributes.get("scenario_name") or os.path.basename(path)
    completed_runs = int(done.sum())
    runs_text = f"{completed_runs} run" + ("s" if completed_runs != 1 else "")
    if completed_runs != done.size:
        runs_text += f" of {done.size} planned"
    figure.suptitle(f"{scenario}: {len(names)} variants  ({runs_text})", fontsize=13)

    _save_atomically(figure, figure_path)
    plt.close(figure)


def plot(path: str, figure_path: str) -> None:
    """Draw the figure of `path` (the variants overlaid for a comparison, else 2x2) and write it
    to `figure_path` atomically."""
    names = cr.variant_names(path)
    if names is not None:
        plot_comparison(path, figure_path, names)
        return
    attributes = cr.attributes(path)
    series = cr.open_series(path)
    references = cr.references(path)
    step = cr.steps(path)
    runs = cr.completed(path)
    total = runs.size
    if not runs.any():
        raise cr.ResultsFormatError(f"{path}: no run was completed; nothing to plot")

    first_run = int(np.flatnonzero(runs)[0])
    snapshots = []
    if cr.site_map_variable(path) is not None:
        samples = cr.site_steps(path).size
        picks = sorted({0, samples // 2, samples - 1}) if samples > 0 else []
        snapshots = _map_snapshots(path, [(f"run {first_run}", first_run, k) for k in picks])
    # Not sharex: a panel without data clears its ticks, which would clear them everywhere.
    figure = plt.figure(figsize=(11, 9 + (3.6 if snapshots else 0.0)), dpi=120, layout="constrained")
    grid = figure.add_gridspec(3 if snapshots else 2, 2, height_ratios=[1.0, 1.0] + ([0.8] if snapshots else []))
    axes = np.array([[figure.add_subplot(grid[r, c]) for c in range(2)] for r in range(2)])
    if snapshots:
        _draw_maps(figure, grid[2, :], snapshots)
    for axis, (name, title) in zip(axes.flat, PANELS):
        name, title = _stand_in(name, title, series)
        _draw_panel(axis, name, title, series, references, step, runs)
    scenario = attributes.get("scenario_name") or os.path.basename(path)
    done = int(runs.sum())
    runs_text = f"{done} run" + ("s" if done != 1 else "") + (f" of {total} planned" if done != total else "")
    figure.suptitle(f"{scenario}  ({runs_text})", fontsize=13)

    _save_atomically(figure, figure_path)
    plt.close(figure)


# The figure's format follows its name, so that x.pdf holds a PDF.
FORMATS = {".png": "png", ".pdf": "pdf", ".svg": "svg"}


def figure_format(figure_path: str) -> str:
    """The matplotlib format for `figure_path`; ValueError for a suffix it cannot take."""
    suffix = os.path.splitext(figure_path)[1].lower()
    if suffix not in FORMATS:
        raise ValueError(f"{figure_path}: cannot write a figure as '{suffix or '(no suffix)'}'; "
                         f"name it .png, .pdf or .svg")
    return FORMATS[suffix]


def _save_atomically(figure, figure_path: str) -> None:
    # Write beside the target and rename, so a reader never sees half a PNG.
    directory = os.path.dirname(os.path.abspath(figure_path))
    if not os.path.isdir(directory):
        raise OSError(f"{figure_path}: directory {directory} does not exist")
    handle, temporary = tempfile.mkstemp(prefix="." + os.path.basename(figure_path) + ".", suffix=".tmp",
                                         dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            figure.savefig(stream, format=figure_format(figure_path))
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
    parser.add_argument("-o", "--output",
                        help="figure to write, .png, .pdf or .svg (default: FILE with .png instead of its suffix)")
    args = parser.parse_args(argv)  # exits with 2 on usage errors
    output = args.output or os.path.splitext(args.file)[0] + ".png"
    try:
        figure_format(output)
    except ValueError as error:
        print(f"plot_results.py: {error}", file=sys.stderr)
        return EXIT_USAGE
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
