# bash completion for cyberdrill: subcommands, their options, scenario ids of the installed library
# (and *.json files), and ID=OPTION after --decide (read from the scenario on the command line).
# The words come from the binary itself (`cyberdrill __complete ...`), so they never go stale.
_cyberdrill() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion -n := || return
  else
    cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"
    words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
  fi
  local exe="${words[0]}"
  # The subcommand (and msel's export/import) and the first positional argument after it.
  local sub="" sub2="" scenario="" i w
  for ((i = 1; i < cword; i++)); do
    w="${words[i]}"
    if [[ -z "$sub" && "$w" != -* ]]; then sub="$w"; continue; fi
    if [[ "$sub" == msel && -z "$sub2" && "$w" != -* ]]; then sub2="$w"; continue; fi
    if [[ -n "$sub" && -z "$scenario" && "$w" != -* && "${words[i-1]}" != -* ]]; then scenario="$w"; fi
  done
  if [[ -z "$sub" ]]; then
    COMPREPLY=($(compgen -W "$("$exe" __complete commands 2>/dev/null) --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
    --decide)
      [[ -n "$scenario" ]] && COMPREPLY=($(compgen -W "$("$exe" __complete decisions "$scenario" 2>/dev/null)" -- "$cur"))
      return ;;
    --plan|--into|--journal|--resume|--script|--csv)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -o|--out)
      COMPREPLY=($(compgen -d -- "$cur")); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$("$exe" __complete options $sub $sub2 2>/dev/null)" -- "$cur"))
    return
  fi
  if [[ "$sub" == msel && -z "$sub2" ]]; then
    COMPREPLY=($(compgen -W "export import" -- "$cur")); return
  fi
  case "$sub" in
    validate|run|live|batch|analyze|msel)
      COMPREPLY=($(compgen -W "$("$exe" __complete scenarios 2>/dev/null)" -- "$cur") $(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
      ;;
    *)
      COMPREPLY=($(compgen -f -- "$cur")) ;;
  esac
}
complete -F _cyberdrill cyberdrill
