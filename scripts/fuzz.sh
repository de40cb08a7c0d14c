#!/usr/bin/env bash
# Runs each libFuzzer target (fuzz/) for SECONDS, from seed corpora made here from the shipped
# scenarios and fixtures (nothing vendored). Builds the fuzz targets first (clang, CYBERDRILL_FUZZ=ON).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]    default: 60 s each, every target
#
# Targets: fuzz_scenario fuzz_msel_import fuzz_journal fuzz_run_folder fuzz_duration fuzz_distribution
# Environment:
#   FUZZ_BUILD_DIR   the fuzz build (default ./build-fuzz); corpora in $FUZZ_BUILD_DIR/corpus/
#   CYBERDRILL       a normal cyberdrill binary, used to make the MSEL and run-folder seeds
#                    (default ./build/cyberdrill; built there when missing)
#   FUZZ_NO_BUILD=1  use the fuzz binaries as they are
#   CYBERDRILL_FUZZ_SEED  libFuzzer's random seed (default 1), so CI's runs start alike. libFuzzer is
#                    still not bit-reproducible (two 300,000-execution runs of fuzz_duration with seed 1
#                    ended at 1,009 and 1,010 features): a long local run before a submission is the
#                    check, not a promise that CI repeats it. CYBERDRILL_FUZZ_SEED=0: libFuzzer picks one.
# A crash, leak, UB report, timeout (10 s) or out-of-memory (2 GB) leaves the input in
# $FUZZ_BUILD_DIR/artifacts/ and makes the script exit 1; add it as a regression case to the test
# suite (tests/io/fuzz_regressions.test.cpp). Prints executions and coverage per target.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_EACH="${1:-60}"
shift || true
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(fuzz_scenario fuzz_msel_import fuzz_journal fuzz_run_folder fuzz_duration fuzz_distribution)
FUZZ_BUILD_DIR="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
CYBERDRILL="${CYBERDRILL:-$ROOT/build/cyberdrill}"
say() { printf '[fuzz] %s\n' "$*" >&2; }

LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [[ "${FUZZ_NO_BUILD:-0}" != 1 ]]; then
  cmake -S "$ROOT" -B "$FUZZ_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    "${LAUNCHER[@]}" -DCYBERDRILL_FUZZ=ON -DCYBERDRILL_BUILD_TESTS=OFF -DCYBERDRILL_BUILD_VIZ=OFF \
    -DCYBERDRILL_BUILD_BENCH=OFF >/dev/null
  say "building ${TARGETS[*]}"
  cmake --build "$FUZZ_BUILD_DIR" --target "${TARGETS[@]}" -- -j"$(nproc)" >&2
fi
if [[ ! -x "$CYBERDRILL" ]]; then
  say "building $CYBERDRILL for the seeds"
  cmake -S "$ROOT" -B "$(dirname "$CYBERDRILL")" -G Ninja -DCMAKE_BUILD_TYPE=Release "${LAUNCHER[@]}" >/dev/null
  cmake --build "$(dirname "$CYBERDRILL")" --target cyberdrill -- -j"$(nproc)" >&2
fi

# ---- seed corpora (remade every time, from the tree as it is) -------------------------------
SEEDS="$FUZZ_BUILD_DIR/seeds"
rm -rf "$SEEDS"
mkdir -p "$SEEDS"/{fuzz_scenario,fuzz_msel_import,fuzz_journal,fuzz_run_folder,fuzz_duration,fuzz_distribution}
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
SEP=$'\n%%cyberdrill-fuzz-file%%\n'   # fuzz/fuzz_common.hpp kFileSeparator
n=0
# Scenario reader: every scenario, plan and fixture file under 256 KiB (the big generated ones add
# length, not coverage).
while IFS= read -r -d '' f; do
  [[ $(stat -c %s "$f") -le 262144 ]] && cp "$f" "$SEEDS/fuzz_scenario/$((n++))-$(basename "$f")"
done < <(find "$ROOT/scenarios" "$ROOT/tests/fixtures" -name '*.json' -print0 | sort -z)
# MSEL: exports of every exercise in both audiences and dialects.
for s in "$ROOT/scenarios/tutorial.json" "$ROOT"/scenarios/belgium/*.json; do
  b="$(basename "$s" .json)"
  "$CYBERDRILL" msel export "$s" -o "$SEEDS/fuzz_msel_import/$b.csv" >/dev/null 2>&1 || continue
  "$CYBERDRILL" msel export "$s" -o "$SEEDS/fuzz_msel_import/$b-participant-semicolon.csv" --audience participant \
    --separator ';' --lf --no-bom >/dev/null 2>&1 || true
done
# Journals: decision journals of real runs, and a drill journal with every action kind.
"$CYBERDRILL" run "$ROOT/scenarios/tutorial.json" -o "$TMP/tutorial" >/dev/null 2>&1
"$CYBERDRILL" run "$ROOT/scenarios/belgium/isp-ddos.json" -o "$TMP/isp" --until T+06:00 >/dev/null 2>&1 || true
cp "$TMP/tutorial/decisions.jsonl" "$SEEDS/fuzz_journal/tutorial-decisions.jsonl"
[[ -f "$TMP/isp/decisions.jsonl" ]] && cp "$TMP/isp/decisions.jsonl" "$SEEDS/fuzz_journal/isp-decisions.jsonl"
cat > "$SEEDS/fuzz_journal/drill.jsonl" <<'JOURNAL'
{"cyberdrill_drill": 1, "scenario": "scenarios/tutorial.json", "scenario_hash": "0123456789abcdef", "seed": 7}
{"t": "T+01:30", "us": 5400000000, "event": 12, "action": "inject", "inject": "I-01"}
{"t": "T+02:00", "us": 7200000000, "event": 20, "action": "decide", "decision": "D-01", "option": "escalate", "who": "facilitator"}
{"t": "T+02:05", "us": 7500000000, "action": "note", "text": "The room asks for the grid operator's status"}
{"t": "T+02:10", "us": 7800000
JOURNAL
# Run folders: the six files of real run folders, in fuzz_run_folder.cpp's order.
for d in "$TMP/tutorial" "$TMP/isp"; do
  [[ -f "$d/manifest.json" ]] || continue
  out="$SEEDS/fuzz_run_folder/$(basename "$d").run"
  first=1
  for f in manifest.json scenario.json events.jsonl metrics.json service_levels.csv decisions.jsonl; do
    ((first)) || printf '%s' "$SEP" >>"$out"
    first=0
    cat "$d/$f" >>"$out"
  done
done
# Durations and clock times: every one the scenarios use, and the edge forms.
grep -ohE '"(T[+-])?[0-9][0-9dhmswu :.]*"' "$ROOT"/scenarios/*.json "$ROOT"/scenarios/belgium/*.json |
  tr -d '"' | sort -u | head -300 | while IFS= read -r v; do printf '%s' "$v" >"$SEEDS/fuzz_duration/$((n++))"; done
k=0
for v in 0 90s 15m 4h 2d 1w 1h30m "2d 4h" -4h 90ms 250us "T+03:15" "T+2d 03:15" "T+49:30" "T+00:00:00.250000" "T-01:00" \
         106751d 15250w 9223372036854775807us "T+80954d480950:0" "T+80000d480000:00"; do
  printf '%s' "$v" >"$SEEDS/fuzz_duration/edge-$((k++))"
done
# Distributions: every distribution object (and a few plain durations) of the scenarios and
# fixtures, one JSON value per seed, plus the edge forms.
python3 - "$SEEDS/fuzz_distribution" "$ROOT/scenarios" "$ROOT/tests/fixtures" <<'PY'
import json, os, sys
out, kinds, seen = sys.argv[1], {"lognormal", "triangular", "exponential", "uniform", "empirical"}, set()
def walk(v):
    if isinstance(v, dict):
        if len(v) == 1 and next(iter(v)) in kinds: seen.add(json.dumps(v))
        for x in v.values(): walk(x)
    elif isinstance(v, list):
        for x in v: walk(x)
for root in sys.argv[2:]:
    for d, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".json") or os.path.getsize(os.path.join(d, f)) > 262144: continue
            try: walk(json.load(open(os.path.join(d, f), encoding="utf-8")))
            except Exception: pass
edge = ['"4h"', '"0s"', '{"uniform": ["1h", "1h"]}', '{"triangular": ["0s", "0s", "0s"]}',
        '{"empirical": [["1h", 0], ["2h", 1e-300]]}', '{"lognormal": {"median": "15250w", "p90": "15250w"}}',
        '{"exponential": {"mean": "106751d"}}', '{"uniform": ["9223372036854775807us", "9223372036854775807us"]}']
for i, v in enumerate(sorted(seen) + edge):
    open(os.path.join(out, "%03d.json" % i), "w", encoding="utf-8").write(v)
PY

# ---- run -----------------------------------------------------------------------------------
mkdir -p "$FUZZ_BUILD_DIR/artifacts"
status=0
for t in "${TARGETS[@]}"; do
  corpus="$FUZZ_BUILD_DIR/corpus/$t"
  mkdir -p "$corpus"
  log="$FUZZ_BUILD_DIR/$t.log"
  say "$t: ${SECONDS_EACH} s from $(ls "$SEEDS/$t" | wc -l) seeds (+ $(ls "$corpus" | wc -l) kept inputs)"
  set +e
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
    "$FUZZ_BUILD_DIR/fuzz/$t" -max_total_time="$SECONDS_EACH" -seed="${CYBERDRILL_FUZZ_SEED:-1}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$FUZZ_BUILD_DIR/artifacts/$t-" "$corpus" "$SEEDS/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
  if ((rc != 0)); then
    status=1
    say "$t: FAILED (exit $rc) after $execs executions; input in $FUZZ_BUILD_DIR/artifacts/, log $log:"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -8 >&2
  else
    say "$t: clean, $execs executions, coverage $cov edges"
  fi
done
exit "$status"
