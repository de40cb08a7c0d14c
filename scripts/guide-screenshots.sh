#!/usr/bin/env bash
# Regenerates the pictures of the guides (docs/img/*.png) with the project's own `render`, never
# by hand: the tutorial's cascade map at its peak, the grid blackout's known-vs-true view and its
# sector service levels. Headless machines get a private Xvfb from `render` itself.
#   scripts/guide-screenshots.sh              uses build/cyberdrill
#   CYBERDRILL=/usr/bin/cyberdrill scripts/guide-screenshots.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CYBERDRILL="${CYBERDRILL:-$ROOT/build/cyberdrill}"
OUT="$ROOT/docs/img"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
export CYBERDRILL_PATH="$ROOT/scenarios"
mkdir -p "$OUT"
"$CYBERDRILL" run tutorial -o "$tmp/tutorial" >/dev/null
"$CYBERDRILL" run belgium/grid-blackout -o "$tmp/grid" >/dev/null
"$CYBERDRILL" render "$tmp/tutorial" --at peak --view map --size 1280x720 -o "$OUT/tutorial-map.png"
"$CYBERDRILL" render "$tmp/grid" --at peak --view known-vs-true --size 1280x720 -o "$OUT/grid-known-vs-true.png"
"$CYBERDRILL" render "$tmp/grid" --view levels --size 1280x720 -o "$OUT/grid-levels.png"
ls -l "$OUT" >&2
