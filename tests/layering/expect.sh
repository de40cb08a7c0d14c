#!/usr/bin/env bash
# expect.sh CHECKER ROOT EXIT [SUBSTRING...]: runs the layering check on ROOT and fails unless it
# exits EXIT and prints every SUBSTRING.
set -u
checker=$1 root=$2 want=$3; shift 3
out=$(python3 "$checker" "$root" 2>&1); rc=$?
[ "$rc" = "$want" ] || { echo "expected exit $want, got $rc:"; echo "$out"; exit 1; }
for s in "$@"; do
  grep -qF -- "$s" <<<"$out" || { echo "missing in the output: $s"; echo "$out"; exit 1; }
done
echo "ok: exit $rc, ${#} expected line(s) found"
