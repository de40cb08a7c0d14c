#!/usr/bin/env bash
# The whole benchmark set in one invocation, written as one markdown table (bench/README.md quotes
# it). Builds nothing of the project: it uses the binaries in BUILD_DIR (configure with
# -DCYBERDRILL_BUILD_BENCH=ON and build bench_phold bench_cascade bench_national first). The peers
# are built by ../shared/bench/peers/run_peers.sh, which also prints their full table once.
#
#   bash bench/run_all.sh [BUILD_DIR]        (default: build)
#
# Knobs (environment): REPS [5] alternating engine/peer pairs per measure; SIZES ["100 1000 10000
# 100000 1000000"] PHOLD LP counts (x INIT=10 pending events each: 10^3 .. 10^7); EVENTS_<LPS>
# events per PHOLD run (defaults below); CASCADE_REPS [=REPS]; NATIONAL_RUNS [500]; BATCH_RUNS
# ["1000 100000"] (peak RSS of `cyberdrill batch` on the flagship, -j 1, the last against the
# first); LARGE_ASSETS [1000000], LARGE_REPS [=REPS], LARGE_BASE [none] (`generate`, `validate
# --large`, `analyze --large --top 1` LARGE_REPS times; LARGE_BASE=<build dir> alternates that
# build's validate and analyze for a ratio); SKIP_CASCADE, SKIP_NATIONAL, SKIP_BATCH, SKIP_LARGE, SKIP_PEER_TABLE [0];
# OUT [bench/results.md]; PEERS [../shared/bench/peers]. The batch and large rows need
# BUILD_DIR/cyberdrill.
#
# Ratios are CPU-time ratios (user + sys of the whole process, /usr/bin/time) of the two binaries
# run back to back, engine first then peer, REPS times: ratio = peer CPU / engine CPU, so > 1 means
# the engine is faster. The table gives min / median / max over the pairs. The PHOLD ratio includes
# scheduling the initial events (both sides do the same work). The loop-only ratio (the harnesses'
# own events_per_s, wall time of the event loop) is given beside it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="$(cd "${1:-$ROOT/build}" && pwd)"
PEERS="${PEERS:-$(cd "$ROOT/../shared/bench/peers" 2>/dev/null && pwd || echo /work/shared/bench/peers)}"
REPS=${REPS:-5}
SIZES=${SIZES:-"100 1000 10000 100000 1000000"}
CASCADE_REPS=${CASCADE_REPS:-$REPS}
NATIONAL_RUNS=${NATIONAL_RUNS:-500}
OUT=${OUT:-$ROOT/bench/results.md}
WORK=${WORK:-${TMPDIR:-/tmp}/cyberdrill-bench}
PEER_BUILD="$WORK/peers"
mkdir -p "$WORK"
need=(bench_phold)
[[ "${SKIP_CASCADE:-0}" != 1 ]] && need+=(bench_cascade)
[[ "${SKIP_NATIONAL:-0}" != 1 ]] && need+=(bench_national)
for exe in "${need[@]}"; do
  [[ -x "$B/bench/$exe" ]] || { echo "missing $B/bench/$exe (build it first; this script builds nothing)" >&2; exit 1; }
done

events_for() {  # default events per PHOLD run at LPS=$1
  local v="EVENTS_$1"
  if [[ -n "${!v:-}" ]]; then echo "${!v}"; return; fi
  case $1 in 100) echo 4000000 ;; 1000) echo 4000000 ;; 10000) echo 4000000 ;; 100000) echo 4000000 ;; *) echo 10000000 ;; esac
}

# cpu_of CMD... -> runs CMD under /usr/bin/time; prints "cpu_s rss_kb RESULT-line"
cpu_of() {
  local err="$WORK/time.err" out="$WORK/run.out"
  /usr/bin/time -f "%U %S %M" "$@" >"$out" 2>"$err" || { echo "!! failed: $*" >&2; tail -5 "$err" >&2; return 1; }
  local u s m
  read -r u s m < <(tail -1 "$err")
  echo "$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.3f", u+s}') $m $(grep -m1 '^RESULT' "$out" || echo RESULT)"
}
kv() { tr ' ' '\n' | awk -F= -v k="$1" '$1==k{print $2; exit}'; }
# stats "x1 x2 ..." -> "min median max"
stats() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END{m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f / %.2f / %.2f", a[1], m, a[NR]}'; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
MACHINE="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)

# 1. Peers: built and their full PHOLD table printed once (10^4 pending), by the peers' driver.
echo "== peers (run_peers.sh builds them into $PEER_BUILD)"
if [[ "${SKIP_PEER_TABLE:-0}" != 1 ]]; then
  BUILD_DIR="$PEER_BUILD" ENGINE_PHOLD_CMD="$B/bench/bench_phold" SKIP_GRAPH=1 SKIP_SIMPY="${SKIP_SIMPY:-1}" \
    SKIP_SIMGRID="${SKIP_SIMGRID:-0}" SKIP_NS3="${SKIP_NS3:-0}" REPS=1 bash "$PEERS/run_peers.sh" | tee "$WORK/peers.txt"
else
  BUILD_DIR="$PEER_BUILD" SKIP_PHOLD=1 SKIP_GRAPH=1 SKIP_SIMGRID=1 SKIP_NS3=1 SKIP_SIMPY=1 REPS=1 \
    bash "$PEERS/run_peers.sh" >/dev/null
fi
FLOOR="$PEER_BUILD/phold_floor"
[[ -x "$FLOOR" ]] || { echo "run_peers.sh did not build $FLOOR" >&2; exit 1; }

ROWS=()
# 2. PHOLD at each size: engine vs floor_binary, alternating.
for lps in $SIZES; do
  ev=$(events_for "$lps")
  args=(--lps="$lps" --init=10 --events="$ev" --mean=1.0 --lookahead=0.1 --seed=42)
  cpu_r="" loop_r="" e_rate="" f_rate=""
  echo "== PHOLD LPS=$lps (pending $((lps * 10))), $ev events, $REPS alternating pairs"
  for ((i = 1; i <= REPS; i++)); do
    read -r ec em eline < <(cpu_of "$B/bench/bench_phold" "${args[@]}")
    read -r fc fm fline < <(cpu_of "$FLOOR" "${args[@]}" --queue=binary)
    er=$(kv events_per_s <<<"$eline"); fr=$(kv events_per_s <<<"$fline")
    echo "   pair $i: engine cpu ${ec}s ($er ev/s loop, ${em} KB) | floor cpu ${fc}s ($fr ev/s loop, ${fm} KB)"
    cpu_r+=" $(awk -v a="$fc" -v b="$ec" 'BEGIN{printf "%.4f", a/b}')"
    loop_r+=" $(awk -v a="$er" -v b="$fr" 'BEGIN{printf "%.4f", a/b}')"
    e_rate+=" $er"; f_rate+=" $fr"
  done
  ROWS+=("| PHOLD, $lps LPs x 10 = $((lps * 10)) pending, $ev events | engine / floor_binary | $(stats <<<"$cpu_r") | $(stats <<<"$loop_r") | engine $(stats <<<"$e_rate" | awk -F' / ' '{printf "%.2fM", $2/1e6}') ev/s, floor $(stats <<<"$f_rate" | awk -F' / ' '{printf "%.2fM", $2/1e6}') ev/s (median, loop) |")
done

# 3. Cascade: the world's cascade through the real code path vs Boost.Graph CSR, same graph.
if [[ "${SKIP_CASCADE:-0}" != 1 ]]; then
  G="$WORK/graph.bin"
  echo "== cascade graph (peers' generator, 1M nodes / 4M edges)"
  [[ -x "$PEER_BUILD/cascade_bgl" ]] || g++ -O2 -std=c++17 -o "$PEER_BUILD/cascade_bgl" "$PEERS/cascade_bgl.cpp"
  "$PEER_BUILD/cascade_bgl" --nodes=1000000 --edges=4000000 --graph=none --write-edges="$G" >/dev/null
  kern_r="" e_w="" b_w="" build_r="" e_b="" b_b="" e_m="" b_m="" e_bc="" e_wm="" e_gm="" cpu_r="" c_bc="" c_mib="" c_gm=""
  for ((i = 1; i <= CASCADE_REPS; i++)); do
    read -r ec em _ < <(cpu_of "$B/bench/bench_cascade" --reps=1 "$G")
    ew=$(grep '^RESULT name=cyberdrill_cascade' "$WORK/run.out" | head -1 | kv wall_s)
    eb=$(grep '^RESULT name=cyberdrill_world_build' "$WORK/run.out" | head -1 | kv build_s)
    wl=$(grep '^RESULT name=cyberdrill_world_build' "$WORK/run.out" | head -1)
    e_bc+=" $(kv build_cpu_s <<<"$wl")"; e_wm+=" $(kv world_mib <<<"$wl")"; e_gm+=" $(kv build_peak_mib <<<"$wl")"
    read -r bc bm _ < <(cpu_of "$PEER_BUILD/cascade_bgl" --nodes=1000000 --edges=4000000 --graph=csr --reps=1)
    bw=$(grep '^RESULT name=bgl_csr_cascade' "$WORK/run.out" | head -1 | kv wall_s)
    bb=$(grep '^RESULT name=bgl_csr_build' "$WORK/run.out" | head -1 | kv build_s)
    # The peer's CSR construction alone in CPU time (bench_cascade --csr-build: the peer prints wall time only).
    "$B/bench/bench_cascade" --csr-build "$G" >"$WORK/csr.out"
    cl=$(grep -m1 '^RESULT name=bgl_csr_build_cpu' "$WORK/csr.out")
    cbc=$(kv build_cpu_s <<<"$cl"); c_bc+=" $cbc"; c_mib+=" $(kv csr_mib <<<"$cl")"; c_gm+=" $(kv build_rss_mib <<<"$cl")"
    cpu_r+=" $(awk -v a="$(kv build_cpu_s <<<"$wl")" -v b="$cbc" 'BEGIN{printf "%.4f", a/b}')"
    echo "   pair $i: cyberdrill cascade ${ew}s, world build ${eb}s (cpu $(kv build_cpu_s <<<"$wl")s; process cpu ${ec}s, ${em} KB) | bgl_csr cascade ${bw}s, build ${bb}s (cpu ${cbc}s; process cpu ${bc}s, ${bm} KB)"
    kern_r+=" $(awk -v a="$bw" -v b="$ew" 'BEGIN{printf "%.4f", a/b}')"
    build_r+=" $(awk -v a="$eb" -v b="$bb" 'BEGIN{printf "%.4f", a/b}')"
    e_w+=" $ew"; b_w+=" $bw"; e_b+=" $eb"; b_b+=" $bb"; e_m+=" $em"; b_m+=" $bm"
  done
  ROWS+=("| threshold cascade, 1M nodes / 4M edges | cyberdrill / bgl_csr (kernel time) | $(stats <<<"$kern_r") | — | cascade kernel: cyberdrill $(stats <<<"$e_w" | awk -F' / ' '{print $2}') s, bgl_csr $(stats <<<"$b_w" | awk -F' / ' '{print $2}') s (median) |")
  med() { stats | awk -F' / ' '{print $2}'; }
  ROWS+=("| world build, 1M nodes / 4M edges, CPU time | World build CPU / bgl CSR build CPU (goal <= 3) | $(stats <<<"$cpu_r") | — | build CPU (median): World $(med <<<"$e_bc") s, CSR $(med <<<"$c_bc") s (\`bench_cascade --csr-build\`: the peer's construction in CPU time) |")
  ROWS+=("| world build, 1M nodes / 4M edges, memory | World arrays / CSR arrays (goal <= 3); RSS growth over the build, World / CSR | $(med <<<"$e_wm") / $(med <<<"$c_mib") = $(awk -v a="$(med <<<"$e_wm")" -v b="$(med <<<"$c_mib")" 'BEGIN{printf "%.2f", a/b}'); RSS $(med <<<"$e_gm") / $(med <<<"$c_gm") = $(awk -v a="$(med <<<"$e_gm")" -v b="$(med <<<"$c_gm")" 'BEGIN{printf "%.2f", a/b}') | — | MiB (median); the World's RSS growth includes its impact model (24 B an asset), its arrays do not |")
  ROWS+=("| world build, 1M nodes / 4M edges | World build time / bgl CSR build time (wall) | $(stats <<<"$build_r") | — | build: World $(stats <<<"$e_b" | awk -F' / ' '{print $2}') s, CSR $(stats <<<"$b_b" | awk -F' / ' '{print $2}') s; World build CPU $(stats <<<"$e_bc" | awk -F' / ' '{print $2}') s; World arrays $(stats <<<"$e_wm" | awk -F' / ' '{print $2}') MiB, RSS growth over the build $(stats <<<"$e_gm" | awk -F' / ' '{print $2}') MiB; process peak RSS bench_cascade $(stats <<<"$e_m" | awk -F' / ' '{printf "%.0f", $2/1024}') MiB (Scenario + World), cascade_bgl $(stats <<<"$b_m" | awk -F' / ' '{printf "%.0f", $2/1024}') MiB (median) |")
fi

# 4. The flagship: runs/s and events/s, alternated with the engine's PHOLD (10^4 pending).
if [[ "${SKIP_NATIONAL:-0}" != 1 ]]; then
  echo "== flagship ($NATIONAL_RUNS runs) alternated with PHOLD"
  rate_r="" runs_s=""
  for ((i = 1; i <= REPS; i++)); do
    pl=$("$B/bench/bench_phold" --lps=1000 --init=10 --events=2000000 --mean=1.0 --lookahead=0.1 --seed=42)
    nl=$("$B/bench/bench_national" --runs="$NATIONAL_RUNS")
    pr=$(kv events_per_s <<<"$pl"); nr=$(kv events_per_s <<<"$nl"); rs=$(kv runs_per_s <<<"$nl")
    echo "   pair $i: PHOLD $pr ev/s | flagship $nr ev/s, $rs runs/s"
    rate_r+=" $(awk -v a="$nr" -v b="$pr" 'BEGIN{printf "%.4f", a/b}')"
    runs_s+=" $rs"
  done
  ROWS+=("| flagship (grid-blackout), $NATIONAL_RUNS runs | flagship events/s / PHOLD events/s | — | $(stats <<<"$rate_r") | $(stats <<<"$runs_s" | awk -F' / ' '{printf "%s / %s / %s", $1, $2, $3}') runs/s (min / median / max) |")
fi

# 5. Batch memory: peak RSS of the flagship batch at -j 1, the largest run count against the smallest.
if [[ "${SKIP_BATCH:-0}" != 1 && -x "$B/cyberdrill" ]]; then
  BATCH_RUNS=${BATCH_RUNS:-"1000 100000"}
  SCEN="$ROOT/scenarios/belgium/grid-blackout.json"
  first_rss="" last_rss="" desc=""
  for runs in $BATCH_RUNS; do
    echo "== batch $runs runs (-j 1), load $(cut -d' ' -f1-3 /proc/loadavg)"
    rm -rf "$WORK/batch"
    read -r bc bm _ < <(cpu_of "$B/cyberdrill" -q batch "$SCEN" --runs "$runs" -j 1 -o "$WORK/batch")
    echo "   $runs runs: cpu ${bc}s, peak RSS ${bm} KB"
    [[ -z "$first_rss" ]] && first_rss=$bm
    last_rss=$bm
    desc+="$runs runs: ${bm} KB, cpu ${bc} s; "
  done
  ROWS+=("| batch peak RSS, grid-blackout, -j 1 | last / first run count (goal <= 1.05) | $(awk -v a="$last_rss" -v b="$first_rss" 'BEGIN{printf "%.3f", a/b}') (one run each) | — | ${desc% } |")
fi

# 6. National scale: generate, validate --large and analyze --large --top 1 on LARGE_ASSETS
# assets, LARGE_REPS times each (default REPS). With LARGE_BASE=<dir holding a cyberdrill binary>
# (e.g. main's build), that binary's validate and analyze run right after ours on the same file,
# alternating, and the rows give base CPU / our CPU (> 1: we are faster). The generated files of
# every repetition must be byte-identical (sha256), else the script stops.
if [[ "${SKIP_LARGE:-0}" != 1 && -x "$B/cyberdrill" ]]; then
  NA=${LARGE_ASSETS:-1000000}
  LR=${LARGE_REPS:-$REPS}
  LB=${LARGE_BASE:-}
  [[ -n "$LB" && ! -x "$LB/cyberdrill" ]] && { echo "LARGE_BASE=$LB: no cyberdrill there" >&2; exit 1; }
  GF="$WORK/g$NA.json"
  # timed CMD... -> "cpu_s wall_s rss_kb" of one run under /usr/bin/time
  timed() {
    /usr/bin/time -f "%e %U %S %M" "$@" >"$WORK/run.out" 2>"$WORK/time.err" || { tail -5 "$WORK/time.err" >&2; return 1; }
    local e u s m
    read -r e u s m < <(tail -1 "$WORK/time.err")
    echo "$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}') $e $m"
  }
  declare -A L=()  # L[<step>_<cpu|wall|rss|ratio>] = space-separated values over the repetitions
  add() { L[$1]="${L[$1]:-} $2"; }
  first_sha=""
  for ((r = 1; r <= LR; r++)); do
    echo "== 10^6-asset rows, repetition $r / $LR ($NA assets), load $(cut -d' ' -f1-3 /proc/loadavg)"
    read -r gc gw gm < <(timed "$B/cyberdrill" -q generate --assets "$NA" -o "$GF")
    sha=$(sha256sum "$GF" | cut -d' ' -f1)
    [[ -z "$first_sha" ]] && first_sha=$sha
    [[ "$sha" == "$first_sha" ]] || { echo "!! generate is not deterministic: $sha != $first_sha" >&2; exit 1; }
    read -r vc vw vm < <(timed "$B/cyberdrill" -q validate --large --no-list "$GF")
    read -r ac aw am < <(timed "$B/cyberdrill" -q analyze --large --top 1 "$GF")
    echo "   generate cpu ${gc}s ${gm} KB; validate cpu ${vc}s ${vm} KB; analyze cpu ${ac}s ${am} KB"
    add gen_cpu "$gc"; add gen_wall "$gw"; add gen_rss "$gm"
    add val_cpu "$vc"; add val_wall "$vw"; add val_rss "$vm"
    add an_cpu "$ac"; add an_wall "$aw"; add an_rss "$am"
    add ga_cpu "$(awk -v a="$gc" -v b="$ac" 'BEGIN{printf "%.2f", a+b}')"
    add ga_rss "$((gm > am ? gm : am))"
    if [[ -n "$LB" ]]; then
      read -r bvc _ bvm < <(timed "$LB/cyberdrill" -q validate --large --no-list "$GF")
      read -r bac _ bam < <(timed "$LB/cyberdrill" -q analyze --large --top 1 "$GF")
      echo "   base: validate cpu ${bvc}s ${bvm} KB; analyze cpu ${bac}s ${bam} KB"
      add val_ratio "$(awk -v a="$bvc" -v b="$vc" 'BEGIN{printf "%.3f", a/b}')"; add val_brss "$bvm"
      add an_ratio "$(awk -v a="$bac" -v b="$ac" 'BEGIN{printf "%.3f", a/b}')"; add an_brss "$bam"
    fi
  done
  rm -f "$GF"
  mib() { stats | awk -F' / ' '{printf "%.0f / %.0f / %.0f MiB", $1/1024, $2/1024, $3/1024}'; }
  large_row() {  # label, step, goal text
    local label="—" ratio="—" base=""
    if [[ -n "$LB" && -n "${L[$2_ratio]:-}" ]]; then
      label="base / this CPU ($LB)"
      ratio=$(stats <<<"${L[$2_ratio]}")
      base="; base peak RSS $(mib <<<"${L[$2_brss]}")"
    fi
    ROWS+=("| $1 | $label | $ratio | — | cpu $(stats <<<"${L[$2_cpu]}") s, wall $(stats <<<"${L[$2_wall]}") s, peak RSS $(mib <<<"${L[$2_rss]}")$base (min / median / max, $LR runs)$3 |")
  }
  large_row "generate --assets $NA (sha256 identical over the runs: ${first_sha:0:12})" gen ""
  large_row "validate --large, $NA assets" val "; goal cpu < 5 s"
  large_row "analyze --large --top 1, $NA assets" an ""
  ROWS+=("| generate + analyze --top 1, $NA assets | — | — | — | cpu $(stats <<<"${L[ga_cpu]}") s, peak RSS $(mib <<<"${L[ga_rss]}") (min / median / max of the per-run sum / larger peak, $LR runs); goal < 10 s, < 1 GiB |")
fi

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "Measured $DATE, commit $COMMIT, $MACHINE; $REPS alternating pairs per row (engine first);"
  echo "load average at start $LOAD_START, at end $LOAD_END (2 cores: above 2 the machine was shared)."
  echo
  echo "| measure | ratio | CPU-time ratio min / median / max | loop-time ratio min / median / max | figures |"
  echo "| --- | --- | --- | --- | --- |"
  printf '%s\n' "${ROWS[@]}"
} | tee "$OUT"
echo "(written to $OUT)"
