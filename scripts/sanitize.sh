#!/usr/bin/env bash
# The sanitizer stage of .ci/run: a second build with AddressSanitizer + UndefinedBehaviorSanitizer
# (CYBERDRILL_SANITIZE=ON, gcc, -O1 -g1), with the viz layer built. By default it runs the suites
# of the readers, engine, world, models, run, MSEL, batch and replay index, and the caps tests of
# test_cli. SANITIZE_TESTS=GL adds the GL suites that draw: test_viz (figures and `render`),
# test_report (`report` with its PNGs), test_live and test_live_window (the live window),
# test_replay_window (the replay window and video export); see below why they are not in CI's
# default. Any ASan/UBSan/LSan report fails its test (UBSan halts on error).
#
# The GL suites start their own Xvfb, so Mesa's GL driver and Xlib are loaded into the test
# processes; LeakSanitizer reads scripts/lsan-gl-x.supp (GL/X driver libraries only, each entry
# justified there), and in this build viz::ensure_display() keeps the DRI driver mapped until exit
# so those entries can match (docs/reliability.md). The rest of test_cli, test_attack, test_io_cli
# and the docs/install/layering tests are left out to keep CI under its budget; SANITIZE_TESTS=.
# runs everything.
#
#   scripts/sanitize.sh            build into ./build-sanitize and run the default suites
#   SANITIZE_BUILD_DIR=dir         build elsewhere
#   SANITIZE_TESTS=regex           ctest -R regex instead of the default suites (GL: default + GL suites)
#   SANITIZE_VIZ=OFF               build without the viz layer (then leave the GL suites out:
#                                  SANITIZE_TESTS='^test_(io|engine|...)/', as before 2026-12-05)
# Uses ccache when present (CCACHE_DIR as set). Exit status is ctest's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${SANITIZE_BUILD_DIR:-$ROOT/build-sanitize}"
# The GL suites are not in the default set (yet): the first complete ASan+UBSan run with them
# (2026-12-05, 416 cases) passed every case but one, where LeakSanitizer's own tracer crashed
# (signal 11 in StopTheWorld) at the exit of a spawned `cyberdrill render` with Mesa's llvmpipe
# threads alive. Not a report about our code, but CI must not depend on it: SANITIZE_TESTS=GL
# runs the default set plus the GL suites (docs/reliability.md). Since then every test runs with
# LP_NUM_THREADS=0 (below); test_viz has passed 8 times and the other GL suites twice with it, no
# crash, but the 3 full GL passes and the whole-suite timing under ASan are still to be done.
NON_GL='^test_(io|engine|world|response|run|msel|batch|replay)/|^test_cli/.*(max-events|max-sim-time|deeply nested|100,000-week)'
GL_SUITES='^test_(replay_window|viz|report|live|live_window)/'
TESTS="${SANITIZE_TESTS:-$NON_GL}"
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
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}"
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
if [[ $status != 0 ]] && python3 "$ROOT/scripts/lsan-tracer-only.py" "$BUILD_DIR"; then
  say "every failed case failed only on LeakSanitizer's tracer crash: running those cases once more"
  status=0
  ctest --output-on-failure --timeout 1200 --rerun-failed || status=$?
  say "the rerun: ctest exit $status"
fi
exit "$status"
