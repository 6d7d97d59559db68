# SPDX-License-Identifier: Apache-2.0
"""The results of commons._native as one flat xarray.Dataset (docs/python.md#the-dataset).

The native part returns what the results file holds, grouped as the file groups it: root
attributes, coordinates, and each dataset as (group, name, dimensions, values, attributes).
Here each gets its name in the Dataset:

- `run`, `step`, `agent`, `degree`: the dimension coordinates, as in every group of the file;
- runs/ (replicate, seed, completed, variant_name, swept parameters, ...): coordinates along
  `run` under their own names, so that they travel with every selection (groupby("variant_name"));
- the root's `scenario`, and series/, summary/, references/, network/: data variables under
  their own names;
- agents/, sites/ and inputs/: `agents.<name>`, `sites.<name>` and `inputs.<name>` always
  (agents/ and sites/ repeat names of series/, such as effort and harvest); sites/ brings the
  coordinates `y` and `x` (a grid) or `site` and `edge` (a graph), and, when sites are sampled
  less often than every step, `site_step`, the steps they were sampled at; agents/ recorded less
  often than every step brings `agent_step` likewise;
- a group this module does not know (one a later layout adds): `<group>.<name>`;
- a name already taken by a group before it becomes `<group>.<name>`, in the order the native
  part lists them: runs/, the root, series/, summary/, references/, agents/, network/,
  design/, inputs/;
- root attributes: the Dataset's attributes; a group's own attributes (design/ has some) join
  them as `<group>.<attribute>`.
"""

import numpy
import xarray

#: Groups whose variables keep their own names in the Dataset.
BARE = ("", "runs", "series", "summary", "references", "network")
#: Groups whose variables are coordinates along `run` rather than data variables.
COORDINATES = ("runs",)


def variable_name(group, name, taken):
    """The Dataset's name for `group/name`, given the names already taken."""
    first = name if group in BARE else f"{group}.{name}"
    if first not in taken:
        return first
    second = f"{group}.{name}"
    if second in taken:
        raise RuntimeError(f"{group}/{name}: both {first!r} and {second!r} are taken in the Dataset")
    return second


def _values(values, dims):
    # Strings come as str (a scalar) or a list. A list becomes an object array, as xarray reads
    # the file's variable-length strings; a scalar a numpy str, as xarray loads the file's
    # scenario, since a 0-d object array breaks Dataset.where in xarray 2023.01.
    if isinstance(values, str):
        return numpy.array(values)
    if isinstance(values, list):
        array = numpy.empty(len(values), dtype=object)
        array[:] = values
        return array
    return values


def to_dataset(results):
    """The xarray.Dataset of what commons._native.run returned."""
    coords = {}
    for name, values, attrs in results["coordinates"]:
        coords[name] = xarray.Variable((name,), _values(values, (name,)), attrs)
    taken = set(coords)
    data_vars = {}
    for group, name, dims, values, attrs in results["variables"]:
        key = variable_name(group, name, taken)
        taken.add(key)
        variable = xarray.Variable(dims, _values(values, dims), attrs)
        (coords if group in COORDINATES else data_vars)[key] = variable
    # A group's own attributes (a sweep's design/ has some) join the root's under the group's
    # name, as its variables do: design.points.
    attrs = dict(results["attrs"])
    for group, group_attrs in results["group_attrs"].items():
        attrs.update({f"{group}.{key}": value for key, value in group_attrs.items()})
    return xarray.Dataset(data_vars, coords, attrs=attrs)
