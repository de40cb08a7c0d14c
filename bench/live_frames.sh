#!/usr/bin/env bash
# The live window's frame rate and pause latency under a private Xvfb at 1920x1080x24 (issue 10).
#
#   bench/live_frames.sh [BUILD_DIR]     (env: RUNS=5 SECONDS_RUN=10 MAX_FPS=0 PAUSES=5)
#
# Runs the real window (`cyberdrill live --script`) on the flagship (grid-blackout) and on a
# generated 10^4-asset world (`cyberdrill generate --assets 10000 --seed 1`), RUNS times each. A
# run: x600 (F4), resume (space), SECONDS_RUN seconds of running, then PAUSES pause/resume pairs
# 0.4 s apart, then q. The window writes each frame's display time (--frame-stats); this script
# prints, per world, the frames per second of the long running stretch (min / median / max over
# the runs), the simulated minutes per wall second over it (x600 = 10), the 95th percentile of the
# frame time, and the pause latency: from the pause key being handled to the end of the display
# of the first frame drawn after it (min / median / max over all pauses of all runs).
# MAX_FPS=0 (default) lets the window draw as fast as it can (its capacity); the window's own
# default is 60. It builds nothing; it needs Xvfb (Debian: xvfb) and python3.
set -euo pipefail
BUILD=${1:-build}
RUNS=${RUNS:-5}
SECONDS_RUN=${SECONDS_RUN:-10}
MAX_FPS=${MAX_FPS:-0}
PAUSES=${PAUSES:-5}
HERE=$(cd "$(dirname "$0")/.." && pwd)
EXE=$(cd "$BUILD" && pwd)/cyberdrill
[[ -x $EXE ]] || { echo "no $EXE (build the cyberdrill target first)" >&2; exit 2; }
command -v Xvfb >/dev/null || { echo "Xvfb not found (apt-get install xvfb)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cyberdrill-live-frames.XXXXXX")
XVFB_PID=
cleanup() {
  [[ -n $XVFB_PID ]] && kill "$XVFB_PID" 2>/dev/null && wait "$XVFB_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# A private X server: -displayfd writes the display number once it accepts connections.
exec 3>"$WORK/display"
Xvfb -displayfd 3 -nolisten tcp -screen 0 1920x1080x24 -nocursor -noreset >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 100); do [[ -s $WORK/display ]] && break; sleep 0.1; done
exec 3>&-
[[ -s $WORK/display ]] || { echo "Xvfb did not start:" >&2; cat "$WORK/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(head -1 "$WORK/display")"

"$EXE" -q generate --assets 10000 --seed 1 -o "$WORK/gen10k.json" >/dev/null

{
  echo f4
  echo space
  echo "wait $SECONDS_RUN"
  for _ in $(seq "$PAUSES"); do
    echo space
    echo "wait 0.4"
    echo space
    echo "wait 0.4"
  done
  echo space
  echo q
} >"$WORK/keys.txt"

run_world() {  # name scenario
  local name=$1 scenario=$2
  for r in $(seq "$RUNS"); do
    "$EXE" -q live "$scenario" --script "$WORK/keys.txt" --max-fps "$MAX_FPS" \
      --frame-stats "$WORK/$name.$r.stats" -o "$WORK/$name.$r.run" --journal "$WORK/$name.$r.jsonl" \
      >"$WORK/$name.$r.log" 2>&1 || { echo "$name run $r failed:" >&2; cat "$WORK/$name.$r.log" >&2; exit 1; }
  done
}
run_world flagship "$HERE/scenarios/belgium/grid-blackout.json"
run_world gen10k "$WORK/gen10k.json"

python3 - "$WORK" "$RUNS" <<'EOF'
import statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
def summary(xs):
    xs = sorted(xs)
    return f"{xs[0]:.1f} / {statistics.median(xs):.1f} / {xs[-1]:.1f}"
for name, label in (("flagship", "flagship (grid-blackout, 147 assets)"), ("gen10k", "generated world (10,000 assets)")):
    fps, rate, p95, lat = [], [], [], []
    for r in range(1, runs + 1):
        frames = []
        for line in open(f"{work}/{name}.{r}.stats"):
            f = line.split()
            if f[0] == "frame":
                frames.append((float(f[2]), float(f[3]), float(f[4]), f[5] == "1"))
            elif f[0] == "pause_latency_ms":
                lat.append(float(f[1]))
        # The longest stretch of frames with the clock running (the x600 stretch).
        best, cur = [], []
        for fr in frames:
            if fr[3]:
                cur.append(fr)
            else:
                if len(cur) > len(best): best = cur
                cur = []
        if len(cur) > len(best): best = cur
        span = best[-1][0] - best[0][0]
        fps.append((len(best) - 1) / span)
        rate.append((best[-1][2] - best[0][2]) / 60 / span)
        times = sorted(b[0] - a[0] for a, b in zip(best, best[1:]))
        p95.append(1000 * times[int(0.95 * (len(times) - 1))])
    print(f"{label}: frames/s {summary(fps)} (min / median / max of {runs} runs);"
          f" simulated min per wall s {summary(rate)}; frame time p95 ms {summary(p95)};"
          f" pause latency ms {summary(lat)} ({len(lat)} pauses)")
EOF
