#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the scenario loader fuzzer for about SECONDS on a fresh corpus seeded with every bundled
# scenario and the loader's test fixtures. Exits non-zero when the fuzzer finds a crash, a
# sanitizer report, an unexpected exception or a hang; the input is left in
# BUILD_DIR/fuzz-artifacts/.
#   cmake --preset fuzz && cmake --build --preset fuzz --target scenario_loader_fuzz
#   tests/fuzz/run_fuzz.sh build/fuzz 60
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 BUILD_DIR [SECONDS]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fuzzer="$build/tests/fuzz/scenario_loader_fuzz"
if [[ ! -x $fuzzer ]]; then
  echo "$fuzzer not found; build it with: cmake --build --preset fuzz --target scenario_loader_fuzz" >&2
  exit 2
fi

corpus="$build/fuzz-corpus/scenario_loader"
artifacts="$build/fuzz-artifacts"
rm -rf "$corpus"
mkdir -p "$corpus" "$artifacts"
# Seeds keep their folder in the name: two folders may both hold a "fishery.yaml".
seeds=0
while IFS= read -r -d '' file; do
  relative=${file#"$root"/}
  cp "$file" "$corpus/${relative//\//_}"
  seeds=$((seeds + 1))
done < <(find "$root/scenarios" "$root/tests/unit/scenario" -name '*.yaml' -print0)
echo "run_fuzz.sh: $seeds seed inputs, $seconds s" >&2

# -timeout: one input taking longer than 10 s counts as a hang. The fuzzer's running log goes
# to a file; its final statistics, or the tail of the log on a finding, are shown.
log="$build/fuzz-scenario_loader.log"
status=0
"$fuzzer" "$corpus" \
  -dict="$here/scenario.dict" \
  -max_len=4096 \
  -max_total_time="$seconds" \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts/" \
  -print_final_stats=1 >"$log" 2>&1 || status=$?
if [[ $status -ne 0 ]]; then
  tail -n 60 "$log" >&2
  echo "run_fuzz.sh: the fuzzer found a problem (exit $status); inputs in $artifacts" >&2
  exit "$status"
fi
grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" >&2 || true
echo "run_fuzz.sh: no findings in $seconds s" >&2
