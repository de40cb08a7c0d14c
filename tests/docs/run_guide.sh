#!/usr/bin/env bash
# Runs every command of one guide (docs/*.md) in a fresh empty folder, in order, as a reader would:
# the ```sh blocks, concatenated into one bash script with `set -euo pipefail`. `cyberdrill` is the
# build's binary (first on PATH) and the shipped scenarios are the library (CYBERDRILL_PATH), as an
# installed package has them. Blocks tagged ```sh install are exercised by scripts/package.sh (the
# CI packaging stage) and skipped here; ```sh mpi blocks run only when CYBERDRILL_TEST_MPI=1.
#   run_guide.sh GUIDE.md BUILD_DIR SOURCE_DIR
set -euo pipefail
guide="$(realpath "$1")"; build="$(realpath "$2")"; src="$(realpath "$3")"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
script="$tmp/guide.sh"
awk -v mpi="${CYBERDRILL_TEST_MPI:-0}" '
  /^```sh( |$)/ {
    tag = $2; inblock = 1; n++
    run = (tag == "" || (tag == "mpi" && mpi == 1))
    if (run) printf "echo \"--- block %d (line %d)\" >&2\n", n, NR
    else printf "echo \"--- block %d (line %d): skipped (%s)\" >&2\n", n, NR, tag
    next
  }
  /^```/ { inblock = 0; next }
  inblock && run { print }
' "$guide" > "$tmp/body.sh"
blocks=$(grep -c '^--- block\|^echo "--- block' "$tmp/body.sh" || true)
[[ "$blocks" -gt 0 ]] || { echo "FAIL: no \`\`\`sh blocks in $guide" >&2; exit 1; }
{ echo 'set -euo pipefail'; cat "$tmp/body.sh"; } > "$script"
mkdir "$tmp/work"
cd "$tmp/work"
export PATH="$build:$PATH" CYBERDRILL_PATH="$src/scenarios"
bash "$script" > "$tmp/out" 2>&1 || { cat "$tmp/out" >&2; echo "FAIL: $guide (see the last block above)" >&2; exit 1; }
echo "ok: $guide, $blocks block(s)"
