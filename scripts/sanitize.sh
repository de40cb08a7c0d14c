#!/usr/bin/env bash
# The sanitizer stage of .ci/run: a second build with AddressSanitizer + UndefinedBehaviorSanitizer
# (CYBERDRILL_SANITIZE=ON, gcc, -O1, no viz so no GL driver in the process) running the suites
# that exercise the input readers, the engine and the models: io, engine, world, response, run,
# msel, batch (and cli's caps tests). Any ASan/UBSan/LSan report fails its test (UBSan halts on
# error; LeakSanitizer is on: no GL/X library is loaded, so no suppression file is needed).
#
#   scripts/sanitize.sh            build into ./build-sanitize and run the subset
#   SANITIZE_BUILD_DIR=dir         build elsewhere
#   SANITIZE_TESTS=regex           ctest -R regex instead of the default subset
# Uses ccache when present (CCACHE_DIR as set). Exit status is ctest's.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${SANITIZE_BUILD_DIR:-$ROOT/build-sanitize}"
TESTS="${SANITIZE_TESTS:-^test_(io|engine|world|response|run|msel|batch)/|^test_cli/.*(max-events|max-sim-time|deeply nested|100,000-week)}"
TARGETS=(test_io test_engine test_world test_response test_run test_msel test_batch test_cli cyberdrill)
say() { printf '[sanitize] %s\n' "$*" >&2; }

LAUNCHER=()
command -v ccache >/dev/null && LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1 -DNDEBUG" \
  "${LAUNCHER[@]}" -DCYBERDRILL_SANITIZE=ON -DCYBERDRILL_BUILD_VIZ=OFF -DCYBERDRILL_BUILD_BENCH=OFF >/dev/null
say "building ${TARGETS[*]} with ASan+UBSan"
cmake --build "$BUILD_DIR" --target "${TARGETS[@]}" -- -j"$(nproc)" >&2
cd "$BUILD_DIR"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
say "running ctest -R '$TESTS'"
ctest --output-on-failure -j"$(nproc)" --timeout 1200 -R "$TESTS"
