#!/usr/bin/env bash
# The Debian package end to end: cpack -G DEB in the build folder, `apt-get install ./cyberdrill_*.deb`
# (its Depends come from dpkg-shlibdeps plus fonts-dejavu-core and tzdata), then the installed
# /usr/bin/cyberdrill validates and runs the tutorial from an empty folder outside the source tree,
# `man -w cyberdrill` finds the page and `LC_ALL=C man cyberdrill` renders it without "??". When
# lintian is installed it checks the .deb: any error or warning about the man page, the changelog
# or the description fails; other tags are printed (no-copyright-file stays until the project
# has a licence). The package is removed again unless KEEP_PACKAGE=1.
#
#   scripts/package.sh                 build/ must hold a configured tree (scripts/setup.sh)
#   BUILD_DIR=out scripts/package.sh
# Needs root or sudo (apt-get). Progress on stderr; exit 1 on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
say() { printf '[package] %s\n' "$*" >&2; }
SUDO=()
[[ $EUID -ne 0 ]] && SUDO=(sudo)

cmake --build "$BUILD_DIR" --target cyberdrill cyberdrill_manpage -- -j"$(nproc)" >&2
rm -f "$BUILD_DIR"/cyberdrill_*.deb
(cd "$BUILD_DIR" && cpack -G DEB >&2)
deb="$(ls "$BUILD_DIR"/cyberdrill_*.deb)"
say "built $(basename "$deb"): Depends: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -f "$deb" Depends | grep -q fonts-dejavu-core || { say "Depends lacks fonts-dejavu-core"; exit 1; }
dpkg-deb -f "$deb" Depends | grep -q libsfml || { say "Depends lacks the SFML libraries (shlibdeps)"; exit 1; }
if command -v lintian >/dev/null; then
  tags="$(lintian --tag-display-limit 0 "$deb" 2>/dev/null || true)"
  [[ -z "$tags" ]] || printf '%s\n' "$tags" | sed 's/^/[package] lintian: /' >&2
  if grep -E '^[EW]: .*(manpage|man-page|changelog|description)' <<<"$tags" >&2; then
    say "lintian finds the man page, changelog or description at fault"; exit 1
  fi
else
  say "lintian not installed: the .deb is not linted (apt-get install lintian)"
fi

DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
  -o DPkg::Lock::Timeout=600 "$deb" >&2
cleanup() {
  [[ "${KEEP_PACKAGE:-0}" == 1 ]] || DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get remove -y -qq \
    -o DPkg::Lock::Timeout=600 cyberdrill >&2 || true
  rm -rf "$tmp"
}
tmp="$(mktemp -d)"; trap cleanup EXIT
cd "$tmp"
env -u CYBERDRILL_PATH /usr/bin/cyberdrill --version >&2
env -u CYBERDRILL_PATH /usr/bin/cyberdrill validate tutorial --no-list >&2
env -u CYBERDRILL_PATH /usr/bin/cyberdrill run tutorial -o runs/tutorial >&2
[[ -s runs/tutorial/events.jsonl ]] || { say "the installed binary wrote no run folder"; exit 1; }
if command -v man >/dev/null; then
  man -w cyberdrill >&2
  LC_ALL=C MANWIDTH=100 man cyberdrill > man-c.txt 2>&1 || { say "LC_ALL=C man cyberdrill failed"; exit 1; }
  if grep -n '??' man-c.txt >&2; then say "LC_ALL=C man cyberdrill renders '??'"; exit 1; fi
fi
[[ -f /usr/share/man/man1/cyberdrill.1.gz || -f /usr/share/man/man1/cyberdrill.1 ]] || { say "no man page installed"; exit 1; }
[[ -f /usr/share/bash-completion/completions/cyberdrill ]] || { say "no bash completion installed"; exit 1; }
say "ok: $(basename "$deb") installs, and the installed binary runs the tutorial from $tmp"
