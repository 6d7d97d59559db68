#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's second command, and what CI runs: install what is missing, then build and run
# every test: the release build (unit, integration, Python interop, bundled scenarios against
# their baselines, a benchmark smoke run), the unit tests under ASan+UBSan, the parallel tests
# under TSan, and a bounded libFuzzer run on the scenario loader.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
# 30 s of fuzzing keeps CI under its 30 minutes; COMMONS_FUZZ_SECONDS=600 for a longer search.
fuzz_seconds=${COMMONS_FUZZ_SECONDS:-30}

bash tools/setup.sh

# ccache (tools/setup.sh installs it) keys objects by their compile commands, which name this
# checkout's absolute path: relative to it, a fresh clone reuses what an earlier one compiled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
# oneTBB instrumented for ThreadSanitizer depends only on Debian's onetbb version: built once
# per machine and version, outside the checkout (tools/tsan_tbb.sh).
tbb_version=$(dpkg-query -W -f='${source:Version}' libtbb-dev)
tsan_tbb=${COMMONS_TSAN_TBB:-${XDG_CACHE_HOME:-${HOME:-$PWD/build}/.cache}/commons/tsan-tbb-$tbb_version}

started=$SECONDS
# Each section says when it starts, so that a slow CI run shows where its time went.
section() { printf '\n== %s (at %d s) ==\n' "$*" $((SECONDS - started)); }
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
total=0
# Runs one ctest preset, keeping its output to count the tests it ran.
run_ctest() {
  local preset=$1
  ctest --preset "$preset" -j "$jobs" 2>&1 | tee "$logs/$preset.log"
  local ran
  ran=$(grep -oE 'tests passed, 0 tests failed out of [0-9]+' "$logs/$preset.log" | grep -oE '[0-9]+$')
  total=$((total + ran))
}

section "release build, as tools/demo.sh makes it, with the full test suite and a benchmark smoke run"
# The build users run (-O3, which brings warnings of its own) carries every test: unit,
# integration, Python interop and the bundled scenarios against their baselines. The
# benchmark runs a moment to show it works (its figures are not judged).
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
run_ctest release
build/release/tests/bench/fishery_step_bench --benchmark_filter='FleetStep/agents:1000/' --benchmark_min_time=0.01
build/release/tests/bench/behaviour_step_bench --benchmark_filter='/agents:10000/' --benchmark_min_time=0.01
build/release/tests/bench/statistics_bench --benchmark_filter='values:10000/' --benchmark_min_time=0.01

section "unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake --preset asan >/dev/null
# Only what the asan test preset runs (label unit): the command-line program and the
# integration tools are tested in the release build.
cmake --build --preset asan -j "$jobs" --target sim_test models_test governance_test scenario_loader_test \
  commons_output_tests engine_determinism_test
run_ctest asan

section "parallel tests under ThreadSanitizer"
# Against oneTBB built with -fsanitize=thread from Debian's source package (tools/tsan_tbb.sh).
bash tools/tsan_tbb.sh "$tsan_tbb"
cmake --preset tsan -DTBB_DIR="$tsan_tbb/lib/cmake/TBB" >/dev/null
cmake --build --preset tsan -j "$jobs" --target sim_test engine_determinism_test
run_ctest tsan

section "fuzzing the scenario loader for ${fuzz_seconds} s"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs" --target scenario_loader_fuzz
bash tests/fuzz/run_fuzz.sh build/fuzz "$fuzz_seconds"

section "all tests passed"
echo "tests: $total passed, 0 failed"
