#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs a Commons build tree into a fresh prefix, then configures, builds and runs the project
# beside this script against that prefix alone, as a user's project would use Commons
# (docs/cpp-api.md). Fails if the consumer's build names the Commons source or build tree.
#   tests/consumer/run_consumer_test.sh BUILD_DIR
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
started=$SECONDS

work=$(mktemp -d "${TMPDIR:-/tmp}/commons-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

# The consumer is compiled as the libraries were, or it could not link them.
cached() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }

cmake --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log" >&2; exit 1; }

# A copy of the project outside the source tree: only CMAKE_PREFIX_PATH can lead it to Commons.
mkdir "$work/consumer"
cp "$here/CMakeLists.txt" "$here/main.cpp" "$work/consumer/"
cmake -S "$work/consumer" -B "$work/build" -G Ninja \
  -DCMAKE_BUILD_TYPE="$(cached CMAKE_BUILD_TYPE)" \
  -DCMAKE_CXX_COMPILER="$(cached CMAKE_CXX_COMPILER)" \
  -DCMAKE_CXX_FLAGS="$(cached CMAKE_CXX_FLAGS)" \
  -DCMAKE_EXE_LINKER_FLAGS="$(cached CMAKE_EXE_LINKER_FLAGS)" \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >"$work/configure.log" || { cat "$work/configure.log" >&2; exit 1; }
grep -- '-- Commons ' "$work/configure.log"
cmake --build "$work/build" >"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }

found=$(sed -n 's/^Commons_DIR:PATH=//p' "$work/build/CMakeCache.txt")
if [[ $found != "$prefix"/* ]]; then
  echo "run_consumer_test.sh: Commons was found in $found, not in $prefix" >&2
  exit 1
fi
# Every include path and library of the compile and link commands lies in the prefix or the system.
if grep -nF -e "$source_dir" -e "$build" "$work/build/compile_commands.json" "$work/build/build.ninja" >&2; then
  echo "run_consumer_test.sh: the consumer's build uses the Commons tree (above), not only the install" >&2
  exit 1
fi

"$work/build/consumer" "$work/results.h5"

# The installed program finds its bundled scenarios and plot script in the prefix, never in the
# source tree it was built from.
if [[ -x "$prefix/bin/commons" ]]; then
  listed=$("$prefix/bin/commons" scenarios | tail -n 1)
  if [[ $listed != *" scenarios in $prefix/share/commons/scenarios)" ]]; then
    echo "run_consumer_test.sh: the installed commons lists its scenarios from elsewhere: $listed" >&2
    exit 1
  fi
  "$prefix/bin/commons" plot "$work/results.h5" -o "$work/results.png" >"$work/plot.log" 2>&1 ||
    { cat "$work/plot.log" >&2; exit 1; }
  [[ -s "$work/results.png" ]] || { echo "run_consumer_test.sh: the installed commons drew no figure" >&2; exit 1; }
fi
echo "run_consumer_test.sh: installed, built and ran the consumer in $((SECONDS - started)) s"
