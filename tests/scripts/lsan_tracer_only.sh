#!/usr/bin/env bash
# lsan_tracer_only.sh SCRIPT: runs scripts/lsan-tracer-only.py on synthetic ctest logs (the format
# of Testing/Temporary/LastTest.log and LastTestsFailed.log) and checks its verdict for each kind of
# failure: a tracer crash alone (0), a tracer crash beside an ASan or UBSan report (1), an ordinary
# failure (1), a failed case missing from the log (1), no logs at all (2).
set -u
script=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
block() {  # block N NAME OUTPUT...: one case's block of LastTest.log
  local n=$1 name=$2; shift 2
  printf '%s/9 Testing: %s\n%s/9 Test: %s\nCommand: "x"\nOutput:\n----------------------------------------------------------\n' "$n" "$name" "$n" "$name"
  printf '%s\n' "$@"
  printf '<end of output>\nTest time =   0.01 sec\n----------------------------------------------------------\nTest Failed.\n\n'
}
check() {  # check WANT LABEL: run the script on $tmp/b and compare its exit status
  local want=$1 label=$2 rc
  python3 "$script" "$tmp/b" 2>"$tmp/err"; rc=$?
  if [ "$rc" != "$want" ]; then echo "FAIL $label: exit $rc, want $want"; cat "$tmp/err"; fail=1; else echo "ok $label: exit $rc"; fi
}
setup() { rm -rf "$tmp/b"; mkdir -p "$tmp/b/Testing/Temporary"; }
T="$tmp/b/Testing/Temporary"
passed_block() { block 1 "test_a/passes" "[doctest] Status: SUCCESS!"; }
crash=("Tracer caught signal 11: addr=0x0 pc=0x0 sp=0x0" "==123==LeakSanitizer has encountered a fatal error." "ERROR: CHECK_EQ( rc, 0 ) is NOT correct!")

setup; { passed_block; block 2 "test_viz/render writes the PNG" "${crash[@]}"; } >"$T/LastTest.log"
echo "2:test_viz/render writes the PNG" >"$T/LastTestsFailed.log"
check 0 "tracer crash alone"

setup; { block 2 "test_viz/render writes the PNG" "${crash[@]}" "==9==ERROR: AddressSanitizer: heap-use-after-free"; } >"$T/LastTest.log"
echo "2:test_viz/render writes the PNG" >"$T/LastTestsFailed.log"
check 1 "tracer crash beside an ASan report"

setup; { block 2 "test_viz/render writes the PNG" "${crash[@]}" "viz/map.cpp:10:5: runtime error: signed integer overflow"; } >"$T/LastTest.log"
echo "2:test_viz/render writes the PNG" >"$T/LastTestsFailed.log"
check 1 "tracer crash beside a UBSan report"

setup; { block 2 "test_viz/render writes the PNG" "${crash[@]}"; block 3 "test_io/reads" "ERROR: CHECK( ok ) is NOT correct!"; } >"$T/LastTest.log"
printf '2:test_viz/render writes the PNG\n3:test_io/reads\n' >"$T/LastTestsFailed.log"
check 1 "a tracer crash and an ordinary failure"

setup; passed_block >"$T/LastTest.log"
echo "5:test_viz/not in the log" >"$T/LastTestsFailed.log"
check 1 "a failed case missing from the log"

setup; rm -rf "$T"
check 2 "no logs"
exit $fail
