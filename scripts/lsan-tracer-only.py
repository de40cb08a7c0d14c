#!/usr/bin/env python3
"""Did every failed ctest case fail only because LeakSanitizer's own tracer crashed?

Used by scripts/sanitize.sh after a failing ctest run in a sanitizer build. Reads ctest's
Testing/Temporary/LastTestsFailed.log (the failed cases) and LastTest.log (each case's output),
and exits 0 only when every failed case's output shows LeakSanitizer's tracer crash ("Tracer
caught signal", inside StopTheWorld at the exit of a process) and no report about the program:
no AddressSanitizer error, no UBSan "runtime error:", no leak report, and no doctest failure other
than the one the crash itself causes (a child's exit status). Then, and only then, sanitize.sh
runs those cases once more (ctest --rerun-failed) and says so: the tracer crash is a fault of the
sanitizer's runtime with Mesa's GL driver loaded, not a finding (docs/reliability.md). Exits 1
otherwise, naming each case and why it is a real failure; 2 when the logs are missing.

  lsan-tracer-only.py BUILD_DIR
"""
import re
import sys
from pathlib import Path

TRACER = "Tracer caught signal"
REAL = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer: detected memory leaks",
        "SUMMARY: UndefinedBehaviorSanitizer", "SUMMARY: AddressSanitizer")


def case_outputs(last_test_log: str) -> dict[str, str]:
    """Each case's block of LastTest.log, by name ("N/M Test: name" starts a block)."""
    out: dict[str, str] = {}
    name = None
    lines: list[str] = []
    for line in last_test_log.splitlines():
        m = re.match(r"^\d+/\d+ Test: (.*)$", line)
        if m:
            if name is not None:
                out[name] = out.get(name, "") + "\n".join(lines)
            name, lines = m.group(1), []
        elif name is not None:
            lines.append(line)
    if name is not None:
        out[name] = out.get(name, "") + "\n".join(lines)
    return out


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    tmp = Path(sys.argv[1]) / "Testing" / "Temporary"
    try:
        failed_log = (tmp / "LastTestsFailed.log").read_text(errors="replace")
        outputs = case_outputs((tmp / "LastTest.log").read_text(errors="replace"))
    except OSError as e:
        print(f"lsan-tracer-only: {e}", file=sys.stderr)
        return 2
    failed = [line.split(":", 1)[1] for line in failed_log.splitlines() if ":" in line]
    if not failed:
        print("lsan-tracer-only: no failed case listed", file=sys.stderr)
        return 1
    ok = True
    for name in failed:
        text = outputs.get(name)
        if text is None:
            print(f"lsan-tracer-only: {name}: no output in LastTest.log", file=sys.stderr)
            ok = False
        elif TRACER not in text:
            print(f"lsan-tracer-only: {name}: a real failure (no tracer crash in its output)", file=sys.stderr)
            ok = False
        elif any(r in text for r in REAL):
            print(f"lsan-tracer-only: {name}: a sanitizer report beside the tracer crash", file=sys.stderr)
            ok = False
        else:
            print(f"lsan-tracer-only: {name}: LeakSanitizer's tracer crashed, no report about the program",
                  file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
