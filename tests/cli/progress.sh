#!/usr/bin/env bash
# Progress of `mnsim run` when stderr is not a terminal: --progress=plain prints one line a
# simulated week, auto does so for a 3-D run only, none and MNSIM_NO_PROGRESS=1 print nothing,
# and a wrong style is bad input (exit 2).
set -u
mnsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset MNSIM_NO_PROGRESS
fails=0
passes=0
check() { # check NAME CONDITION...
    local name=$1
    shift
    if "$@"; then echo "ok - $name"; passes=$((passes + 1)); else echo "FAIL - $name"; fails=$((fails + 1)); fi
}
lean=(--quiet --set output.images=false)
small3d=(--set simulate.model=3d --set simulate.patch_mm=0.4 --set treatment.sessions=1
    --set simulate.follow_up_weeks=2 --set output.images=false --quiet)

"$mnsim" run "${lean[@]}" --progress=plain --out "$tmp/a" 2>"$tmp/err"
check "plain: one line a week, 34 weeks" test "$(grep -c '^mnsim run: week [0-9]* of 34 (day [0-9.]*)$' "$tmp/err")" -eq 34
check "plain: week 3 is day 21" grep -qx 'mnsim run: week 3 of 34 (day 21.0)' "$tmp/err"
check "plain: nothing else on stderr" test "$(wc -l <"$tmp/err")" -eq 34

"$mnsim" run "${lean[@]}" --out "$tmp/b" 2>"$tmp/err"
check "auto, column model, not a terminal: silent" test ! -s "$tmp/err"

"$mnsim" run "${small3d[@]}" --out "$tmp/c" 2>"$tmp/err"
check "auto, 3-D run, not a terminal: weekly lines" grep -q '^mnsim run: week 1 of 2 (day 7.0)$' "$tmp/err"

"$mnsim" run "${small3d[@]}" --progress=none --out "$tmp/d" 2>"$tmp/err"
check "none: silent" test ! -s "$tmp/err"

MNSIM_NO_PROGRESS=1 "$mnsim" run "${lean[@]}" --progress=plain --out "$tmp/e" 2>"$tmp/err"
check "MNSIM_NO_PROGRESS=1 silences plain" test ! -s "$tmp/err"

"$mnsim" run "${lean[@]}" --progress=bar --out "$tmp/f" 2>"$tmp/err"
rc=$?
check "unknown style: exit 2 with the choices" test "$rc" -eq 2 -a -n "$(grep "not auto, plain or none" "$tmp/err")"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
