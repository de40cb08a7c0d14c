#!/usr/bin/env bash
# The flagship exercise's events/s and runs/s beside the engine's PHOLD figure, in one invocation
# (the machine is noisy: compare figures from the same run only).
#   bash bench/run_national.sh [BUILD_DIR]      (default: build)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="${1:-$ROOT/build}"
REPS=${REPS:-3}
echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
for ((i = 1; i <= REPS; i++)); do
  "$B/bench/bench_phold" --lps=1000 --init=10 --events=2000000 --mean=1.0 --lookahead=0.1 --seed=42
  "$B/bench/bench_national" --runs="${RUNS:-50}"
done | tee /tmp/cyberdrill-national.txt
awk '/name=cyberdrill_phold/{for(i=1;i<=NF;i++) if($i ~ /^events_per_s=/){split($i,a,"="); p[++np]=a[2]}}
     /name=national_flagship/{for(i=1;i<=NF;i++){ if($i ~ /^events_per_s=/){split($i,a,"="); e[++ne]=a[2]}
                                                  if($i ~ /^runs_per_s=/){split($i,a,"="); r[++nr]=a[2]} }}
     function med(x, n,   i, j, t) { for(i=1;i<=n;i++) for(j=i+1;j<=n;j++) if (x[j]<x[i]) {t=x[i];x[i]=x[j];x[j]=t}; return x[int((n+1)/2)] }
     END { pm=med(p,np); em=med(e,ne); rm=med(r,nr);
           printf "\nmedian of %d: PHOLD %.0f events/s | flagship %.0f events/s (%.3fx PHOLD), %.1f runs/s\n", np, pm, em, em/pm, rm }' \
  /tmp/cyberdrill-national.txt
