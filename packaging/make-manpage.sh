#!/usr/bin/env bash
# The man page, generated from the binary's own --help by help2man (never written by hand):
# NAME/SYNOPSIS/DESCRIPTION from `cyberdrill --help`, then one COMMANDS subsection per subcommand
# from `cyberdrill SUB --help`, then the environment and the files of an install.
#   packaging/make-manpage.sh BUILD/cyberdrill OUT.1      writes OUT.1 and OUT.1.gz
# help2man decodes the help text in its --locale (default C, where the UTF-8 em dash and middle dot
# of --help became "???"), so it runs in C.UTF-8; the page is then made ASCII-only with groff
# escapes (\(em, \(pc, \[uXXXX]) so that it renders in any locale (`LC_ALL=C man -l` shows "--"),
# and compressed with gzip -9n (Debian policy 12.1: no name or time stamp, reproducible).
set -euo pipefail
exe="$1"; out="$2"
inc="$(mktemp)"; trap 'rm -f "$inc"' EXIT
{
  echo "[COMMANDS]"
  for sub in $("$exe" __complete commands); do
    if [[ "$sub" == msel ]]; then subs=("msel export" "msel import"); else subs=("$sub"); fi
    for s in "${subs[@]}"; do
      echo ".SS cyberdrill $s"
      echo ".nf"
      # roff: a leading dot or quote would be read as a request; backslashes are escaped.
      $exe $s --help | sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
      echo ".fi"
    done
  done
  cat <<'TXT'
[ENVIRONMENT]
.TP
.B CYBERDRILL_PATH
Colon-separated folders searched, before the installed library, for scenario ids
(\fBcyberdrill run tutorial -o runs/t\fR) and for includes written as
\fB"library:belgium/infrastructure.json"\fR.
[FILES]
.TP
.I share/cyberdrill/scenarios/
The shipped scenarios: tutorial.json, the Belgium library (belgium/) and the JSON Schema (schema/).
.TP
.I share/doc/cyberdrill/
README.md, with the planner, facilitator and analyst guides and the reference in docs/.
TXT
} > "$inc"
help2man --no-info --no-discard-stderr --section 1 --locale=C.UTF-8 \
  --name "national cyber exercise simulator" --include "$inc" --output "$out" "$exe"
perl -CSD -i -pe 's/\x{2014}/\\(em/g; s/\x{2013}/\\(en/g; s/\x{00B7}/\\(pc/g;
                   s/([^\x00-\x7F])/sprintf("\\[u%04X]", ord($1))/ge' "$out"
if LC_ALL=C grep -q '[^[:print:][:space:]]' "$out"; then
  echo "make-manpage.sh: $out still holds non-ASCII bytes" >&2; exit 1
fi
gzip -9n -c "$out" > "$out.gz"
