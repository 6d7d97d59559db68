#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's first command: install what is missing, build a Release build, run the bundled
# default scenario, print its summary, and write out/open_access_fishery.h5 and .png.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target commons -j "$(nproc)"

mkdir -p out
# --force: re-running the demo replaces the demo's own previous results in out/.
build/release/tools/cli/commons run scenarios/teaching/open_access_fishery.yaml \
  -o out/open_access_fishery.h5 --force
build/release/tools/cli/commons plot out/open_access_fishery.h5 -o out/open_access_fishery.png
echo "demo: results in out/open_access_fishery.h5, figure in out/open_access_fishery.png"
