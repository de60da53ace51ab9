#!/usr/bin/env bash
# The reported time series always ends at the end of follow-up, whatever output.every_days:
# a step longer than the course (or not dividing it) still samples the last day.
set -u
. "$(dirname "$0")/lib/common.sh"

final_day() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['observables']['collagen_total_rel']['days'][-1])" "$1"; }
"$mnsim" run --set output.every_days=365 --set output.images=false --out "$tmp/y" >"$tmp/y.txt"
check "every_days=365 runs" test $? -eq 0
# The table's before and after of collagen differ (after was the day-0 sample before the fix).
check "after != before with every_days=365" awk '$1 == "collagen_total_rel" { exit !($3 != $5) }' \
    "$tmp/y.txt"
check "last sample is day 238 (end of follow-up)" test "$(final_day "$tmp/y/results.json")" = 238.0
"$mnsim" run --set output.every_days=5 --set output.images=false --out "$tmp/f" --quiet
check "every_days=5: last sample is day 238" test "$(final_day "$tmp/f/results.json")" = 238.0
check "every_days=5: 49 samples (0, 5, ..., 235, 238)" test "$(python3 -c "import json; print(len(json.load(open('$tmp/f/results.json'))['observables']['Sa_um']['days']))")" = 49
# Checkpoints and resume on such a grid give the uninterrupted bytes.
mkdir -p "$tmp/c"
(cd "$tmp/c" && "$mnsim" run --set output.every_days=100 --set output.images=false --out o \
    --checkpoint-every 150 --quiet && "$mnsim" resume o --quiet)
mkdir -p "$tmp/u"
(cd "$tmp/u" && "$mnsim" run --set output.every_days=100 --set output.images=false --out o --quiet)
check "resume on a grid with the end added is byte-identical" cmp -s "$tmp/c/o/results.json" \
    "$tmp/u/o/results.json"
exit $((fails > 0))
