#!/usr/bin/env python3
"""Every relative link of the installed documentation resolves to an installed file.

    check_doc_links.py DOCDIR      e.g. DESTDIR/usr/share/doc/cyberdrill

Reads every *.md under DOCDIR (README.md, ARCHITECTURE.md, bench/README.md, docs/...): inline links
and images `[text](target)`, `![alt](target "title")` and reference definitions `[id]: target`,
outside fenced code blocks. A target with a scheme (http:, https:, mailto:) or only an anchor is
skipped; any other must name a file or folder inside DOCDIR once its #anchor is removed. Exit 1
with one line per unresolved link, or when fewer than MIN_LINKS links were found at all (the
checker would otherwise pass on a README it failed to read).
"""
import os
import re
import sys

MIN_LINKS = 10
INLINE = re.compile(r'!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')
REFDEF = re.compile(r'^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)', re.M)
FENCE = re.compile(r'^```.*?^```', re.M | re.S)
SCHEME = re.compile(r'^[a-z][a-z0-9+.-]*:', re.I)


def main(doc):
    doc = os.path.abspath(doc)
    bad, checked = [], 0
    for d, _, files in os.walk(doc):
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            path = os.path.join(d, name)
            with open(path, encoding="utf-8") as f:
                text = FENCE.sub("", f.read())
            targets = [m.group(1) for m in INLINE.finditer(text)] + [m.group(1) for m in REFDEF.finditer(text)]
            for target in targets:
                target = target.split("#", 1)[0]
                if not target or SCHEME.match(target):
                    continue
                checked += 1
                resolved = os.path.normpath(os.path.join(d, target))
                inside = resolved == doc or resolved.startswith(doc + os.sep)
                if not inside or not os.path.exists(resolved):
                    bad.append("%s: %s" % (os.path.relpath(path, doc), target))
    for b in bad:
        print("unresolved link in the installed docs: " + b, file=sys.stderr)
    if checked < MIN_LINKS:
        print("only %d relative links found under %s (expected at least %d)" % (checked, doc, MIN_LINKS),
              file=sys.stderr)
        return 1
    print("docs: %d relative links, %d unresolved" % (checked, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
