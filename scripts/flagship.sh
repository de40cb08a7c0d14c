#!/usr/bin/env bash
# The flagship exercise end to end, from a fresh clone: set-up (packages, configure, build), then
# the grid control-system attack that cascades into telecom and payments, run against the NIS2
# plan, writing its run folder (and the after-action report) under runs/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
OUT="${OUT:-$ROOT/runs/flagship}"
BUILD_DIR="$BUILD_DIR" "$ROOT/scripts/setup.sh"
cd "$ROOT"
SCENARIO=scenarios/belgium/grid-blackout.json
"$BUILD_DIR/cyberdrill" validate "$SCENARIO"
"$BUILD_DIR/cyberdrill" run "$SCENARIO" -o "$OUT"
"$BUILD_DIR/cyberdrill" report "$OUT" -o "$OUT/aar"
echo "after-action output: $OUT (run folder) and $OUT/aar/report.html (report with figures)" >&2
