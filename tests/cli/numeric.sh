#!/usr/bin/env bash
# Non-finite values are never dropped silently: a parameter set producing NaN/Inf stops a run
# or a cohort with a message naming the observable, the day (or the patient); parameters
# outside their literature range are refused from --params unless allowed, then recorded.
set -u
. "$(dirname "$0")/lib/common.sh"

# Out of range: refused (exit 2) naming the parameter and the flag.
echo "synth_collagen1: 1e308" >"$tmp/nan.yaml"
echo "erythema_per_vessel: 1e308" >"$tmp/red.yaml"
echo "wrinkle_grade_scale_um: 70" >"$tmp/ok.yaml"
echo "wrinkle_grade_scale_um: 250" >"$tmp/far.yaml"
expect "run refuses out-of-range --params" 2 "synth_collagen1 = 1e+308 is outside its literature range.*--allow-out-of-range-params" \
    run --params "$tmp/nan.yaml" --out "$tmp/r1" --quiet
expect "cohort refuses out-of-range --params" 2 "outside its literature range" \
    cohort --params "$tmp/nan.yaml" --set cohort.size=4 --out "$tmp/c1" --quiet
expect "validate refuses out-of-range --params" 2 "outside its literature range" \
    validate --params "$tmp/nan.yaml" --only ablon2018
# A NaN observable (jansson dropped it from results.json before) stops the run, named.
expect "NaN observable stops the run" 1 "observable collagen_total_rel is NaN on day 1: the parameter set" \
    run --params "$tmp/nan.yaml" --allow-out-of-range-params --out "$tmp/r2" --quiet
check "no results.json after a NaN" test ! -e "$tmp/r2/results.json"
# Colours overflowing to NaN (a crash on (int)NaN before) fail the pictures, named.
expect "overflowing colours fail the render" 1 "mn_render_skin: .* colour values are not finite" \
    run --params "$tmp/red.yaml" --allow-out-of-range-params --out "$tmp/r3" --quiet
# A cohort patient producing NaN stops the cohort, naming the patient.
expect "NaN patient stops the cohort" 1 "patient 0: observable collagen_total_rel is NaN" \
    cohort --params "$tmp/nan.yaml" --allow-out-of-range-params --set cohort.size=4 \
    --out "$tmp/c2" --quiet
# In range: accepted, and results.json has no new key; allowed out of range: listed.
"$mnsim" run --params "$tmp/ok.yaml" --set simulate.follow_up_weeks=2 --out "$tmp/r4" --quiet
check "in-range --params runs" test $? -eq 0
check "no params_out_of_range key when all in range" \
    bash -c "! grep -q params_out_of_range '$tmp/r4/results.json'"
"$mnsim" run --params "$tmp/far.yaml" --allow-out-of-range-params \
    --set simulate.follow_up_weeks=2 --out "$tmp/r5" --quiet
check "allowed out-of-range run exits 0" test $? -eq 0
check "results.json lists the parameter" python3 -c "
import json,sys
r=json.load(open('$tmp/r5/results.json'))
sys.exit(r.get('params_out_of_range') != ['wrinkle_grade_scale_um'])"
check "report.html shows it" grep -q 'id="params-out-of-range".*wrinkle_grade_scale_um' \
    "$tmp/r5/report.html"
exit $((fails > 0))
