#!/usr/bin/env bash
# The man page, generated from the binary's own --help by help2man (never written by hand):
# NAME/SYNOPSIS/DESCRIPTION from `cyberdrill --help`, then one COMMANDS subsection per subcommand
# from `cyberdrill SUB --help`, then the environment and the files of an install.
#   packaging/make-manpage.sh BUILD/cyberdrill OUT.1
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
README.md and the planner, facilitator and analyst guides.
TXT
} > "$inc"
help2man --no-info --no-discard-stderr --section 1 \
  --name "national cyber exercise simulator" --include "$inc" --output "$out" "$exe"
