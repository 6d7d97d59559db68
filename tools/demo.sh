#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's first command: install what is missing, build a Release build, run the bundled
# default scenario (one fishery under five regimes), print its side-by-side summary, and write
# out/fishery_regimes.h5 and out/fishery_regimes.png.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target commons -j "$(nproc)"

mkdir -p out
# --force: re-running the demo replaces the demo's own previous results in out/.
build/release/tools/cli/commons run scenarios/teaching/fishery_regimes.yaml \
  -o out/fishery_regimes.h5 --force
build/release/tools/cli/commons plot out/fishery_regimes.h5 -o out/fishery_regimes.png
echo "demo: results in out/fishery_regimes.h5, figure in out/fishery_regimes.png"
