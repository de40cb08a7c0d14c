#!/usr/bin/env bash
# The sanitizer stage of .ci/run: a second build with AddressSanitizer + UndefinedBehaviorSanitizer
# (CYBERDRILL_SANITIZE=ON, gcc, -O1) running the whole test suite, the viz/GL suites included (they
# start their own Xvfb, so Mesa's GL driver and Xlib are loaded into the test processes). Any
# ASan/UBSan/LSan report fails its test (UBSan halts on error). LeakSanitizer is on, with one
# suppression file for the GL/X driver libraries only (scripts/lsan-gl-x.supp, each entry
# justified there): a leak through cyberdrill's or SFML's own code is still reported.
#
#   scripts/sanitize.sh            build into ./build-sanitize and run every suite
#   SANITIZE_BUILD_DIR=dir         build elsewhere
#   SANITIZE_TESTS=regex           ctest -R regex instead of the whole suite
#   SANITIZE_VIZ=OFF               no viz build and no viz/GL suites (the stage as it was before)
# Uses ccache when present (CCACHE_DIR as set). Exit status is ctest's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${SANITIZE_BUILD_DIR:-$ROOT/build-sanitize}"
TESTS="${SANITIZE_TESTS:-.}"
VIZ="${SANITIZE_VIZ:-ON}"
say() { printf '[sanitize] %s\n' "$*" >&2; }

LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1 -DNDEBUG" \
  "${LAUNCHER[@]}" -DCYBERDRILL_SANITIZE=ON -DCYBERDRILL_BUILD_VIZ="$VIZ" -DCYBERDRILL_BUILD_BENCH=OFF >/dev/null
say "building the binary and every test suite with ASan+UBSan (viz: $VIZ)"
cmake --build "$BUILD_DIR" -- -j"$(nproc)" >&2
cd "$BUILD_DIR"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$ROOT/scripts/lsan-gl-x.supp:print_suppressions=1}"
say "running ctest -R '$TESTS'"
ctest --output-on-failure -j"$(nproc)" --timeout 1200 -R "$TESTS"
