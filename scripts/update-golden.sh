#!/usr/bin/env bash
# Rewrites tests/golden/*.fingerprint from the current build: the explicit, deliberate way to accept
# a change in the shipped exercises' traces. Review `git diff tests/golden` before committing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="${BUILD_DIR:-$ROOT/build}"
cmake --build "$B" --target test_run >/dev/null
CYBERDRILL_UPDATE_GOLDEN=1 "$B/tests/run/test_run" -tc='golden*'
git -C "$ROOT" --no-pager diff --stat -- tests/golden
