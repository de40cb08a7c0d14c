#!/usr/bin/env bash
# cmake --install into a temporary DESTDIR; the installed binary, run from an empty folder outside
# any source tree with CYBERDRILL_PATH unset, must find the shipped scenarios and the Belgium
# library, and its man page and bash completion must be where Debian looks for them; the man page
# is gzipped ASCII roff that renders in the C locale, and the installed README's links resolve.
#   install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1"; src="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

DESTDIR="$tmp/root" cmake --install "$build" --prefix /usr >/dev/null
root="$tmp/root/usr"
bin="$root/bin/cyberdrill"
[[ -x "$bin" ]] || fail "no installed binary at $bin"
for f in share/cyberdrill/scenarios/tutorial.json share/cyberdrill/scenarios/belgium/infrastructure.json \
         share/cyberdrill/scenarios/belgium/grid-blackout.json share/cyberdrill/scenarios/schema/scenario.schema.json \
         share/bash-completion/completions/cyberdrill share/doc/cyberdrill/README.md; do
  [[ -f "$root/$f" ]] || fail "not installed: $f"
done
if command -v help2man >/dev/null; then
  page="$root/share/man/man1/cyberdrill.1.gz"
  [[ -f "$page" ]] || fail "no man page at share/man/man1/cyberdrill.1.gz"
  [[ ! -e "$root/share/man/man1/cyberdrill.1" ]] || fail "an uncompressed man page is installed too"
  # gzip -9n (Debian policy 12.1): a valid gzip stream whose header records no file name (FLG bit 3)
  # and no time stamp (MTIME 0), so the package is reproducible.
  gzip -t "$page" || fail "the man page is not a valid gzip file"
  read -r flg m0 m1 m2 m3 < <(od -An -tu1 -j3 -N5 "$page")
  (( (flg & 8) == 0 )) || fail "the gzipped man page records a file name (not gzip -n)"
  (( m0 + m1 + m2 + m3 == 0 )) || fail "the gzipped man page records a time stamp (not gzip -n)"
  zcat "$page" > "$tmp/cyberdrill.1"
  grep -q '^\.SH COMMANDS' "$tmp/cyberdrill.1" || fail "man page has no COMMANDS section"
  grep -q 'cyberdrill run' "$tmp/cyberdrill.1" || fail "man page lacks the run subcommand"
  grep -q 'CYBERDRILL_PATH' "$tmp/cyberdrill.1" || fail "man page lacks CYBERDRILL_PATH"
  # ASCII-only roff (groff escapes such as \(em for --help's em dash) renders in any locale;
  # help2man's default C locale used to turn the em dash into "???" in the page itself.
  if LC_ALL=C grep -n '[^[:print:][:space:]]' "$tmp/cyberdrill.1" >&2; then fail "non-ASCII bytes in the man page"; fi
  if grep -n '??' "$tmp/cyberdrill.1" >&2; then fail "the man page holds '??' (characters lost by help2man)"; fi
  grep -q '\\(em' "$tmp/cyberdrill.1" || fail "the man page lacks --help's em dash as \\(em"
  if command -v man >/dev/null; then
    LC_ALL=C MANWIDTH=100 man -l "$page" > "$tmp/man-c.txt" 2> "$tmp/man-c.err" || fail "LC_ALL=C man -l: $(cat "$tmp/man-c.err")"
    grep -q 'COMMANDS' "$tmp/man-c.txt" || fail "LC_ALL=C man -l rendered no COMMANDS section"
    if grep -n '??' "$tmp/man-c.txt" >&2; then fail "LC_ALL=C man -l renders '??'"; fi
    [[ ! -s "$tmp/man-c.err" ]] || fail "LC_ALL=C man -l warned: $(cat "$tmp/man-c.err")"
  fi
fi

# Every relative link of the installed README and guides resolves to an installed file (the docs
# keep the source tree's layout under share/doc/cyberdrill/: docs/, docs/img/, bench/README.md).
for f in ARCHITECTURE.md bench/README.md docs/planner.md docs/facilitator.md docs/analyst.md docs/reference.md docs/img; do
  [[ -e "$root/share/doc/cyberdrill/$f" ]] || fail "not installed: share/doc/cyberdrill/$f"
done
python3 "$src/tests/install/check_doc_links.py" "$root/share/doc/cyberdrill" || fail "links in the installed docs"

# From an empty folder, no source tree, no CYBERDRILL_PATH.
mkdir "$tmp/elsewhere"; cd "$tmp/elsewhere"
unset CYBERDRILL_PATH
case "$(readlink -f "$bin")" in "$src"/*) fail "the installed binary is inside the source tree";; esac
"$bin" validate tutorial > validate.out || fail "validate tutorial (a scenario id) failed"
grep -q '^ok: 0 errors' validate.out || fail "validate tutorial: $(cat validate.out)"
"$bin" run tutorial -o runs/tutorial > run.out || fail "run tutorial failed"
[[ -s runs/tutorial/events.jsonl ]] || fail "run tutorial wrote no events.jsonl"
"$bin" validate library:belgium/grid-blackout.json > /dev/null || fail "validate library:belgium/grid-blackout.json failed"
"$bin" __complete scenarios > ids.out
grep -qx tutorial ids.out || fail "__complete scenarios lacks tutorial: $(cat ids.out)"
grep -qx belgium/grid-blackout ids.out || fail "__complete scenarios lacks belgium/grid-blackout"
if grep -qx belgium/infrastructure ids.out; then fail "a building block is offered as a scenario id"; fi

# A planner's own exercise outside the tree, reusing the installed library without copying it.
sed -e 's#"include": \["infrastructure.json", "plan-nis2.json"\]#"include": ["library:belgium/infrastructure.json", "library:belgium/plan-nis2.json"]#' \
    -e 's#"\$schema": "../schema/scenario.schema.json"#"$schema": "'"$root"'/share/cyberdrill/scenarios/schema/scenario.schema.json"#' \
    "$root/share/cyberdrill/scenarios/belgium/grid-blackout.json" > my-exercise.json
grep -q '"library:belgium/infrastructure.json"' my-exercise.json || fail "test set-up: include not rewritten"
"$bin" validate my-exercise.json > own.out || fail "own exercise with library includes: $(cat own.out)"

# Bash completion: subcommands, scenario ids and decision ids for --decide.
bash -c '
  source "$1"
  complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _cyberdrill; printf "%s\n" "${COMPREPLY[@]}"; }
  complete_words "$2" va | grep -qx validate || { echo "no subcommand completion" >&2; exit 1; }
  complete_words "$2" run tut | grep -qx tutorial || { echo "no scenario id completion" >&2; exit 1; }
  complete_words "$2" run tutorial --dec | grep -qx -- --decide || { echo "no option completion" >&2; exit 1; }
  complete_words "$2" run tutorial --decide "" | grep -q "^D-01=" || { echo "no decision id completion" >&2; exit 1; }
' _ "$root/share/bash-completion/completions/cyberdrill" "$bin" || fail "bash completion"
echo "install: ok ($(find "$tmp/root" -type f | wc -l) files installed)"
