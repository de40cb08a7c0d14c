#!/bin/bash
# The README's worked study: "does mandatory reporting shorten the time to escalate, and by how
# much?" Runs the flagship exercise with mandatory reporting off and on (common random numbers:
# run i of both variants uses the same seed), then prints the Markdown table the README shows and
# copies the CDF plot to docs/worked-study/.
#   scripts/worked-study.sh [BUILD_DIR] [RUNS]      (defaults: build, 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
RUNS=${2:-1000}
OUT=${OUT:-/tmp/cyberdrill-worked-study}
"$BUILD/cyberdrill" -q batch scenarios/belgium/grid-blackout.json --runs "$RUNS" \
  --vary policy.mandatory_reporting=0,1 -j 2 --plots -o "$OUT" > /dev/null
mkdir -p docs/worked-study
cp "$OUT/plots/cdf-time_to_escalate_h.png" docs/worked-study/cdf-time_to_escalate_h.png
python3 - "$OUT" <<'PY'
import csv, sys
out = sys.argv[1]
summ = {(r["variant"], r["metric"]): r for r in csv.DictReader(open(f"{out}/summary.csv"))}
cens = {(r["variant"], r["metric"]): r for r in csv.DictReader(open(f"{out}/censoring.csv"))}
m = "time_to_escalate_h"
def f(x, d=2):
    return "-" if x in ("", None) else f"{float(x):.{d}f}"
print("| mandatory reporting | runs | escalated | never (censored at %s h) | Kaplan-Meier median (h) | restricted mean (h) | mean of escalated runs (h) [95 %% CI] |" % f(cens[("v0", m)]["censor_h"], 0))
print("| --- | --- | --- | --- | --- | --- | --- |")
for v, label in (("v0", "off"), ("v1", "on")):
    c, s = cens[(v, m)], summ[(v, m)]
    print(f"| {label} | {c['runs']} | {c['reached']} | {c['censored']} | {f(c['km_median_h'])} | {f(c['restricted_mean_h'])} | {f(s['mean'])} [{f(s['ci95_low'])}, {f(s['ci95_high'])}] |")
s = summ[("v1", m)]
print()
print(f"Paired difference on = off, over the {s['diff_n']} seeds where both escalated: "
      f"{f(s['diff_mean'])} h [95 % CI {f(s['diff_ci95_low'])}, {f(s['diff_ci95_high'])}].")
PY
