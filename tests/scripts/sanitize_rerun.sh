#!/usr/bin/env bash
# scripts/sanitize.sh's rerun of cases that failed only on LeakSanitizer's tracer crash, end to
# end on a small ctest project: the block is taken from sanitize.sh itself. A case that crashes the
# tracer whenever leak detection is on must pass on the rerun (leak detection off for it, ASan and
# UBSan options otherwise kept); a case that fails for any other reason must still fail.
#   sanitize_rerun.sh ROOT
set -uo pipefail
ROOT="$1"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
block="$(sed -n '/^if \[\[ \$status != 0 \]\] && python3/,/^fi$/p' "$ROOT/scripts/sanitize.sh")"
[ -n "$block" ] || { echo "FAIL: no rerun block found in scripts/sanitize.sh"; exit 1; }
say() { printf '[sanitize] %s\n' "$*" >&2; }
fail=0
run_project() {  # $1: label, $2: the case's script body, $3: wanted final status (0 or not 0)
  local dir="$tmp/$1"; mkdir -p "$dir"
  printf '#!/bin/sh\n%s\n' "$2" >"$dir/case.sh"; chmod +x "$dir/case.sh"
  cat >"$dir/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.22)
project(t NONE)
enable_testing()
add_test(NAME "test_viz/the case" COMMAND \${CMAKE_SOURCE_DIR}/case.sh)
add_test(NAME "test_io/passes" COMMAND true)
CM
  cmake -S "$dir" -B "$dir/b" >/dev/null 2>&1 || { echo "FAIL $1: cmake"; fail=1; return; }
  ( cd "$dir/b" && BUILD_DIR="$PWD" && export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" &&
    status=0 && { ctest -j2 >/dev/null 2>&1 || status=$?; } && eval "$block" && exit "$status" ) >"$dir/out" 2>&1
  local rc=$?
  if { [ "$3" = 0 ] && [ $rc = 0 ]; } || { [ "$3" != 0 ] && [ $rc != 0 ]; }; then echo "ok $1: exit $rc"
  else echo "FAIL $1: exit $rc"; cat "$dir/out"; fail=1; fi
}
tracer='echo "[doctest] Status: SUCCESS!"
case "$ASAN_OPTIONS" in *detect_leaks=0) case "$ASAN_OPTIONS" in *abort_on_error=1*) exit 0;; esac;; esac
echo "Tracer caught signal 11: addr=0x1ea8 pc=0x0 sp=0x0"; echo "==1==LeakSanitizer has encountered a fatal error."; exit 134'
run_project "a tracer crash that recurs whenever leak detection is on" "$tracer" 0
run_project "an ordinary failure" 'echo "ERROR: CHECK( ok ) is NOT correct!"; exit 1' 1
asan='echo "Tracer caught signal 11: addr=0x1ea8 pc=0x0 sp=0x0"; echo "==1==ERROR: AddressSanitizer: heap-use-after-free"; exit 134'
run_project "a tracer crash beside an ASan report" "$asan" 1
exit $fail
