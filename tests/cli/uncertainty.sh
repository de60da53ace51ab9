#!/usr/bin/env bash
# mnsim calibrate, run --uncertainty and validate --draws/--cross from the command line
# (docs/uncertainty.md): a small calibration writes a posterior that run and validate read;
# the bands land in results.json (adding only), the table, timecourse.svg and report.html;
# bad requests exit 2 naming what is wrong.
set -u
. "$(dirname "$0")/lib/common.sh" # mnsim, src, tmp, fails, check, expect

cat >"$tmp/small.yaml" <<'YAML'
study: small
citation: test
scenario:
  mnsim: 1
  treatment: {sessions: 1, adjuncts: []}
  simulate: {follow_up_weeks: 1}
endpoints:
  - {id: half_life, observable: tewl_rel, measure: half_life_days, low: 0.8, high: 0.9,
     role: calibrate, evidence: t, source: t}
  - {id: tewl_d2, observable: tewl_rel, measure: change, day: 2, direction: up,
     role: holdout, evidence: t, source: t}
YAML

"$mnsim" calibrate "$tmp/small.yaml" --param k_pore --param synth_collagen1 --steps 2000 \
    --draws 100 --verify-runs 8 --sir-runs 8 --out "$tmp/post.json" >"$tmp/cal.out" 2>"$tmp/cal.err"
rc=$?
check "calibrate exits 0 (exit $rc: $(tail -3 "$tmp/cal.err"))" test "$rc" -eq 0
check "calibrate prints R-hat" grep -q "R-hat" "$tmp/cal.out"
check "calibrate prints the surrogate error" grep -q "surrogate error" "$tmp/cal.out"
check "posterior file has draws" grep -q '"draws"' "$tmp/post.json"
check "posterior file has diagnostics" grep -q '"rhat"' "$tmp/post.json"
"$mnsim" calibrate "$tmp/small.yaml" --param k_pore --param synth_collagen1 --steps 2000 \
    --draws 100 --verify-runs 8 --sir-runs 8 --threads 1 --quiet --out "$tmp/post2.json" 2>/dev/null
check "calibrate is deterministic for a seed, any thread count" cmp -s "$tmp/post.json" "$tmp/post2.json"

# run --uncertainty: bands everywhere, the central course unchanged.
"$mnsim" run --set simulate.follow_up_weeks=4 --out "$tmp/plain" -q
"$mnsim" run --set simulate.follow_up_weeks=4 --uncertainty 6 --posterior "$tmp/post.json" \
    --out "$tmp/band" >"$tmp/run.out" 2>"$tmp/run.err"
rc=$?
check "run --uncertainty exits 0 (exit $rc: $(cat "$tmp/run.err"))" test "$rc" -eq 0
check "table shows the likely range" grep -q "likely range" "$tmp/run.out"
python3 - "$tmp/plain/results.json" "$tmp/band/results.json" <<'PY' >"$tmp/py.out" 2>&1
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
for name, o in b["observables"].items():
    band = o["band"]
    assert band["level"] == 0.9 and band["draws"] == 6, name
    assert len(band["lo"]) == len(o["days"]) == len(band["hi"]), name
    assert all(l <= h for l, h in zip(band["lo"], band["hi"])), name
    assert band["final_lo"] <= band["final_hi"], name
    p = a["observables"][name]
    assert p["values"] == o["values"] and p["days"] == o["days"], name  # only added
    assert "band" not in p, name
print("ok")
PY
check "results.json: a band aligned with days for every observable, values unchanged ($(tail -1 "$tmp/py.out"))" grep -qx ok "$tmp/py.out"
check "timecourse.svg shades the band" grep -q 'class="band"' "$tmp/band/timecourse.svg"
check "report.html shows the likely range" grep -q 'id="band-note"' "$tmp/band/report.html"
check "report.html shows the likely range of after" grep -q 'id="likely-range"' "$tmp/band/report.html"
python3 - "$tmp/plain/before_after.png" "$tmp/band/before_after.png" "$tmp/band/likely_range.png" \
    <<'PY' >"$tmp/png.out" 2>&1
import struct, sys
size = lambda f: struct.unpack(">II", open(f, "rb").read(24)[16:24])
plain, band, row = (size(f) for f in sys.argv[1:])
assert band[0] == plain[0] and band[1] > 1.8 * row[1] - 40, (plain, band, row)
assert row == plain, (row, plain)  # the row alone is laid out as the plain picture
print("ok")
PY
check "before_after.png gains the likely-range row ($(tail -1 "$tmp/png.out"))" grep -qx ok "$tmp/png.out"
check "a run without bands writes no likely_range.png" test ! -e "$tmp/plain/likely_range.png"
check "a run without bands has none" bash -c "! grep -q 'class=\"band\"' '$tmp/plain/timecourse.svg'"
cat >"$tmp/sc.yaml" <<'YAML'
mnsim: 1
simulate: {follow_up_weeks: 2, uncertainty: 4}
output: {images: false}
YAML
"$mnsim" run "$tmp/sc.yaml" --posterior "$tmp/post.json" --out "$tmp/sc" -q
check "simulate.uncertainty in the scenario draws bands" grep -q '"band"' "$tmp/sc/results.json"

expect "one draw is refused" 2 "1 draw gives no band" run --uncertainty 1 --out "$tmp/x"
expect "a missing posterior names its path" 2 "$tmp/none.json" run --uncertainty 4 \
    --posterior "$tmp/none.json" --out "$tmp/x"
echo '{"mnsim_posterior": 1, "params": [{"name": "k_pore"}], "draws": [[7]]}' >"$tmp/bad.json"
expect "an out-of-range draw names the field" 2 "draws\[0\]\[0\]: k_pore" run --uncertainty 4 \
    --posterior "$tmp/bad.json" --out "$tmp/x"
expect "bands need the column model (refused before the run)" 2 "column model only" run --uncertainty 4 \
    --posterior "$tmp/post.json" --set simulate.model=3d --out "$tmp/x"
expect "calibrate: unknown parameter" 2 "no_such" calibrate "$tmp/small.yaml" --param no_such \
    --out "$tmp/x.json"
expect "calibrate: burn must be below steps" 2 "--burn" calibrate "$tmp/small.yaml" \
    --param k_pore --steps 10 --burn 10 --out "$tmp/x.json"
expect "calibrate: --out is required" 2 "out" calibrate "$tmp/small.yaml" --param k_pore

# validate --draws / --cross: intervals and coverage, in the table, the JSON and the page.
"$mnsim" validate "$tmp/small.yaml" --draws 6 --posterior "$tmp/post.json" --cross \
    >"$tmp/v.out" 2>"$tmp/v.err"
rc=$?
check "validate --draws exits 0 (exit $rc: $(tail -2 "$tmp/v.err"))" test "$rc" -eq 0
check "validate reports coverage" grep -q "predictive intervals (6 posterior draws)" "$tmp/v.out"
check "validate reports leave-one-study-out" grep -q "leave-one-study-out" "$tmp/v.out"
"$mnsim" validate "$tmp/small.yaml" --draws 6 --posterior "$tmp/post.json" --json \
    >"$tmp/v.json" 2>/dev/null
check "validate JSON has the interval" grep -q '"predictive"' "$tmp/v.json"
"$mnsim" validate "$tmp/small.yaml" --draws 6 --posterior "$tmp/post.json" --cross \
    --markdown "$tmp/v.md" >/dev/null 2>&1
check "validation page states the coverage" grep -q "Held-out rows covered" "$tmp/v.md"
expect "validate: --cross needs --draws" 2 "needs --draws" validate "$tmp/small.yaml" --cross

# cohort --posterior: the sampled parameters come from the posterior, the same patients for any
# thread count, and summary.json says where the parameter uncertainty came from.
cat >"$tmp/coh.yaml" <<'YAML'
mnsim: 1
cohort: {size: 8, parameter_spread: 0.5}
simulate: {follow_up_weeks: 4}
YAML
"$mnsim" cohort "$tmp/coh.yaml" --posterior "$tmp/post.json" --out "$tmp/c1" -q --threads 1
"$mnsim" cohort "$tmp/coh.yaml" --posterior "$tmp/post.json" --out "$tmp/c2" -q --threads 2
"$mnsim" cohort "$tmp/coh.yaml" --out "$tmp/c0" -q
check "cohort --posterior: same patients for any thread count" \
    cmp -s <(zcat "$tmp/c1/patients.csv.gz") <(zcat "$tmp/c2/patients.csv.gz")
check "cohort --posterior: other patients than the independent ranges" \
    bash -c "! cmp -s <(zcat '$tmp/c0/patients.csv.gz') <(zcat '$tmp/c1/patients.csv.gz')"
check "cohort summary names the posterior's parameters" grep -q '"k_pore"' "$tmp/c1/summary.json"
expect "cohort: a missing posterior" 2 "$tmp/none.json" cohort "$tmp/coh.yaml" \
    --posterior "$tmp/none.json" --out "$tmp/c3" -q

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
