#!/usr/bin/env bash
# The sanitizer stage of .ci/run: a second build with AddressSanitizer + UndefinedBehaviorSanitizer
# (CYBERDRILL_SANITIZE=ON, gcc, -O1 -g1), with the viz layer built, running the whole test suite
# (every ctest case, the GL suites that draw included: test_viz, test_report, test_live,
# test_live_window, test_replay_window). Any ASan/UBSan/LSan report fails its test (UBSan halts on
# error).
#
# The GL suites start their own Xvfb, so Mesa's GL driver and Xlib are loaded into the test
# processes; LeakSanitizer reads scripts/lsan-gl-x.supp (GL/X driver libraries only, each entry
# justified there), and in this build viz::ensure_display() keeps the DRI driver mapped until exit
# so those entries can match (docs/reliability.md).
#
#   scripts/sanitize.sh            build into ./build-sanitize and run the whole suite
#   SANITIZE_BUILD_DIR=dir         build elsewhere
#   SANITIZE_TESTS=regex           ctest -R regex instead (NON_GL: the suites that draw nothing)
#   SANITIZE_VIZ=OFF               build without the viz layer (then SANITIZE_TESTS=NON_GL)
# Uses ccache when present (CCACHE_DIR as set). Exit status is ctest's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${SANITIZE_BUILD_DIR:-$ROOT/build-sanitize}"
# The whole suite is the default since 2026-12-05 (session 2): with LP_NUM_THREADS=0 (below) the
# GL suites ran clean in every pass since (test_viz 8 times, the other GL suites 3 times, the whole
# suite once: 474 of 474 in 562 s at ctest -j2 on the loaded 2-core machine, against 225 s for the
# 313 non-GL cases), and a failure that is only LeakSanitizer's tracer crashing is run once more
# (below). docs/reliability.md has the history.
NON_GL='^test_(io|engine|world|response|run|msel|batch|replay)/|^test_cli/.*(max-events|max-sim-time|deeply nested|100,000-week)'
GL_SUITES='^test_(replay_window|viz|report|live|live_window)/'
TESTS="${SANITIZE_TESTS:-.}"
[[ "$TESTS" == NON_GL ]] && TESTS="$NON_GL"
[[ "$TESTS" == GL ]] && TESTS="$NON_GL|$GL_SUITES"
VIZ="${SANITIZE_VIZ:-ON}"
say() { printf '[sanitize] %s\n' "$*" >&2; }

LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1 -DNDEBUG" \
  "${LAUNCHER[@]}" -DCYBERDRILL_SANITIZE=ON -DCYBERDRILL_BUILD_VIZ="$VIZ" -DCYBERDRILL_BUILD_BENCH=OFF >/dev/null
say "building the binary and every test suite with ASan+UBSan (viz: $VIZ)"
build_start=$SECONDS
cmake --build "$BUILD_DIR" -- -j"$(nproc)" >&2
say "build took $((SECONDS - build_start)) s"
cd "$BUILD_DIR"
# intercept_tls_get_addr=0: up to GCC 13 (Debian 12 has 12.2), the runtime's __tls_get_addr
# interceptor takes a dynamic TLS block whose start is 16 bytes past a 4 KiB boundary for one with
# a pre-2.25 glibc header, and reads the two words before it as the block's address and size;
# since glibc 2.25 there is no such header, so when a malloc'd block lands there by chance,
# LeakSanitizer's tracer scans a garbage range at exit and dies ("Tracer caught signal 11"), the
# same way every time for a given memory layout. That is what failed CI's sanitizer stage twice in
# one GL case (docs/reliability.md). With it off, the 105 GL cases ran clean here with no leak
# report (the blocks are heap blocks glibc reaches from each thread's DTV). The rerun below stays
# as a second line of defence.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:intercept_tls_get_addr=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$ROOT/scripts/lsan-gl-x.supp:print_suppressions=1}"
# Mesa's llvmpipe without worker threads (it rasterises on the drawing thread). Set here, in the
# environment ctest hands to every test process and that they hand to the `cyberdrill` children
# they start, because the variable is read by Mesa in the process that draws (the GL client: the
# Xvfb the tests start only serves the window), when it creates its screen. Why: at the exit of a
# `cyberdrill render` child, LeakSanitizer's tracer crashed once (signal 11 in StopTheWorld) while
# suspending llvmpipe's worker threads (2026-12-05: 1 crash in 1 complete pass without it; clean
# passes since with it, docs/reliability.md). Only the GL suites draw; it changes nothing else.
export LP_NUM_THREADS="${LP_NUM_THREADS:-0}"
say "running ctest -R '$TESTS'"
suites_start=$SECONDS
status=0
ctest --output-on-failure -j"$(nproc)" --timeout 1200 -R "$TESTS" || status=$?
say "suites took $((SECONDS - suites_start)) s (ctest exit $status)"
# One exception, and only one: a case whose output shows LeakSanitizer's own tracer crashing
# ("Tracer caught signal", in StopTheWorld at a process's exit) and no report about the program
# (no ASan error, no UBSan "runtime error:", no leak report) is run once more, and said loudly.
# That crash is the sanitizer runtime's fault with Mesa's GL driver loaded (docs/reliability.md),
# not a finding; scripts/lsan-tracer-only.py decides, case by case, and any other failure stands.
#
# The rerun keeps AddressSanitizer and UBSan on and turns leak detection off for those cases only:
# CI's machine crashed the tracer in the same case twice in a row (2026-12-05, the label-overlap
# case of test_viz, after its 3,602 assertions had passed, at the same address both times), so a
# plain rerun proves nothing there. Every other case keeps its leak check; the rerun still fails on
# any ASan error or UBSan report, and the log says which cases ran without the leak check.
if [[ $status != 0 ]] && python3 "$ROOT/scripts/lsan-tracer-only.py" "$BUILD_DIR"; then
  say "every failed case failed only on LeakSanitizer's tracer crash: running those cases once more"
  say "with AddressSanitizer and UBSan on and leak detection off (detect_leaks=0) for them only:"
  sed 's/^[0-9]*:/[sanitize]   /' Testing/Temporary/LastTestsFailed.log >&2
  status=0
  ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" \
    ctest --output-on-failure --timeout 1200 --rerun-failed || status=$?
  say "the rerun: ctest exit $status"
fi
exit "$status"
