#!/usr/bin/env bash
# The sanitizer stage of .ci/run: a second build with AddressSanitizer + UndefinedBehaviorSanitizer
# (CYBERDRILL_SANITIZE=ON, gcc, -O1). By default it runs the suites of the readers, engine, world,
# models, run, MSEL, batch and replay index, and the caps tests of test_cli, without the viz layer:
# the set that has been run clean. Any ASan/UBSan/LSan report fails its test (UBSan halts on error).
#
# The whole suite with the viz/GL suites (they start their own Xvfb, so Mesa's GL driver and Xlib
# are loaded into the test processes) is SANITIZE_VIZ=ON SANITIZE_TESTS=. ; LeakSanitizer then
# uses scripts/lsan-gl-x.supp (GL/X driver libraries only, each entry justified there). That mode
# has not yet been run to the end clean, so CI does not use it (docs/reliability.md).
#
#   scripts/sanitize.sh            build into ./build-sanitize and run the default suites
#   SANITIZE_BUILD_DIR=dir         build elsewhere
#   SANITIZE_TESTS=regex           ctest -R regex instead of the default suites
#   SANITIZE_VIZ=ON                build the viz layer too (needed for the GL suites)
# Uses ccache when present (CCACHE_DIR as set). Exit status is ctest's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${SANITIZE_BUILD_DIR:-$ROOT/build-sanitize}"
TESTS="${SANITIZE_TESTS:-^test_(io|engine|world|response|run|msel|batch|replay)/|^test_cli/.*(max-events|max-sim-time|deeply nested|100,000-week)}"
VIZ="${SANITIZE_VIZ:-OFF}"
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
say "running ctest -R '$TESTS'"
suites_start=$SECONDS
status=0
ctest --output-on-failure -j"$(nproc)" --timeout 1200 -R "$TESTS" || status=$?
say "suites took $((SECONDS - suites_start)) s (ctest exit $status)"
exit "$status"
