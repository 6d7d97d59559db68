#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's second command, and what CI runs: install what is missing, then build and run
# every test: the dev build (unit, integration, Python interop, bundled scenarios against
# their baselines), the unit tests under ASan+UBSan, the parallel tests under TSan, and a
# bounded libFuzzer run on the scenario loader.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
fuzz_seconds=${COMMONS_FUZZ_SECONDS:-60}

bash tools/setup.sh

section() { printf '\n== %s ==\n' "$*"; }

section "dev build and full test suite"
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs"

section "unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"

section "parallel tests under ThreadSanitizer"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs" --target sim_test engine_determinism_test
ctest --preset tsan -j "$jobs"

section "fuzzing the scenario loader for ${fuzz_seconds} s"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs" --target scenario_loader_fuzz
bash tests/fuzz/run_fuzz.sh build/fuzz "$fuzz_seconds"

section "all tests passed"
