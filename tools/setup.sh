#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs every Debian 12 package Commons needs to build, run and test. Idempotent: when
# everything is present it installs nothing and says one line. Runs apt-get as root, or
# through sudo when not root.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config ccache xz-utils
  # libraries (DESIGN.md "Dependencies")
  libtbb-dev libhdf5-dev libeigen3-dev libboost-graph-dev libyaml-cpp-dev nlohmann-json3-dev
  libvalijson-dev libcli11-dev librandom123-dev libgtest-dev libgmock-dev libbenchmark-dev
  # Open MPI, for sweeps across the ranks of an MPI job (COMMONS_WITH_MPI, docs/cluster.md)
  libopenmpi-dev openmpi-bin
  # libFuzzer for the scenario loader's fuzz target
  clang libclang-rt-14-dev
  # UDUNITS' command line, which the tests use to check that recorded units parse
  udunits-bin
  # SHA-256 of the files a scenario names (libcrypto, which HDF5 loads anyway)
  libssl-dev
  # Debian's system python3 with the packages the plot script and interop tests use
  python3 python3-numpy python3-h5py python3-xarray python3-h5netcdf python3-netcdf4 python3-matplotlib
  # pandas reads `commons export` tables back in the tests (tests/integration/test_analyze.py)
  python3-pandas
  # pybind11 and the interpreter's headers for the Python module `commons` (docs/python.md)
  pybind11-dev python3-pybind11 python3-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  as_root=(sudo)
fi
echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
