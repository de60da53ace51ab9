#!/usr/bin/env bash
# mnsim validate / fit / sensitivity from the command line. The first check is the issue's
# acceptance test: every calibrated target of the shipped studies lies within its band.
set -u
. "$(dirname "$0")/lib/common.sh" # mnsim, src, tmp, fails, check, expect
expect_error() { # expect_error NAME CODE PATTERN ARGS...
    local name=$1 code=$2 pattern=$3
    shift 3
    "$mnsim" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" -eq "$code" ] && grep -q -- "$pattern" "$tmp/err"; then
        echo "ok - $name"
    else
        echo "FAIL - $name (exit $rc, stderr: $(head -c 400 "$tmp/err"))"
        fails=$((fails + 1))
    fi
}

# Every calibrated target within its band (exit 0), the table names every study.
"$mnsim" validate "$src/data/studies" --json >"$tmp/v.json" 2>"$tmp/v.err"
rc=$?
check "validate passes every calibrated target (exit $rc: $(cat "$tmp/v.err"))" test "$rc" -eq 0
check "JSON reports no calibrated miss" grep -q '"calibrated_misses": 0' "$tmp/v.json"
for f in "$src"/data/studies/*.yaml; do
    name=$(basename "$f" .yaml)
    check "JSON has study $name" grep -q "\"study\": \"$name\"" "$tmp/v.json"
done
check "held-out rows are reported" grep -q '"role": "holdout"' "$tmp/v.json"

# The table, the Markdown page and its SVG; the same bytes on a second run.
"$mnsim" validate "$src/data/studies" --markdown "$tmp/v.md" --svg "$tmp/v.svg" >"$tmp/t1" 2>&1
check "table has the header" grep -q "published" "$tmp/t1"
check "markdown written" grep -q "Held-out rows" "$tmp/v.md"
check "markdown links the SVG" grep -q "(v.svg)" "$tmp/v.md"
check "SVG well formed" grep -q "</svg>" "$tmp/v.svg"
"$mnsim" validate "$src/data/studies" --markdown "$tmp/v2.md" --svg "$tmp/v2.svg" >"$tmp/t2" 2>&1
check "deterministic table" cmp -s "$tmp/t1" "$tmp/t2"
check "deterministic SVG" cmp -s "$tmp/v.svg" "$tmp/v2.svg"

# A calibrated target that misses: exit 1 and the row marked.
cat >"$tmp/miss.yaml" <<'YAML'
study: miss
citation: none
scenario:
  mnsim: 1
  treatment: {sessions: 1}
  simulate: {follow_up_weeks: 1}
endpoints:
  - {id: impossible, observable: tewl_rel, measure: half_life_days, low: 100, high: 200,
     role: calibrate, evidence: test, source: test}
YAML
"$mnsim" validate "$tmp/miss.yaml" >"$tmp/m.out" 2>"$tmp/m.err"
check "calibrated miss exits 1" test $? -eq 1
check "miss marked in the table" grep -q "MISS" "$tmp/m.out"
sed 's/role: calibrate/role: holdout/' "$tmp/miss.yaml" >"$tmp/hold.yaml"
"$mnsim" validate "$tmp/hold.yaml" >"$tmp/h.out" 2>&1
check "held-out miss is reported, exit 0" test $? -eq 0
check "held-out miss marked" grep -q "miss (held out)" "$tmp/h.out"

# Bad input: exit 2 with file:line:column.
sed 's/  treatment: {sessions: 1}/  patient: {age_years: 300}/' "$tmp/miss.yaml" >"$tmp/bad.yaml"
expect_error "bad scenario in a study names its line" 2 "bad.yaml:5:" validate "$tmp/bad.yaml"
expect_error "missing study file" 2 "cannot open" validate "$tmp/nope.yaml"
# An endpoint day past the simulated course is a mistake in the study file (exit 2), not a miss
# of the model (exit 1): the course of miss.yaml is 1 session + 1 week.
sed 's/measure: half_life_days,/measure: value, day: 60,/' "$tmp/miss.yaml" >"$tmp/late.yaml"
expect_error "endpoint day past the course" 2 \
    "late.yaml:8:65: impossible: day: 60 is after the end of the simulated course of arm base (day 7" \
    validate "$tmp/late.yaml"
expect_error "unknown option" 2 "unknown option" validate --frobnicate
expect_error "unknown endpoint for --only" 2 "no such endpoint" validate "$tmp/miss.yaml" --only zzz

# fit: writes a parameter file that run and validate accept, and moves toward the target.
cat >"$tmp/fit.yaml" <<'YAML'
study: fit
citation: none
scenario:
  mnsim: 1
  treatment: {sessions: 1, adjuncts: []}
  simulate: {follow_up_weeks: 1}
endpoints:
  - {id: half, observable: tewl_rel, measure: half_life_days, low: 0.9, high: 1.0,
     role: calibrate, evidence: test, source: test}
YAML
printf 'k_pore: 0.1\n' >"$tmp/start.yaml"
"$mnsim" fit "$tmp/fit.yaml" --params "$tmp/start.yaml" --param k_pore --iterations 25 \
    --out "$tmp/fitted.yaml" --quiet 2>"$tmp/f.err"
check "fit exits 0 ($(cat "$tmp/f.err"))" test $? -eq 0
check "fit writes the fitted parameter" grep -q "^k_pore: " "$tmp/fitted.yaml"
"$mnsim" validate "$tmp/fit.yaml" --params "$tmp/fitted.yaml" >"$tmp/fv.out" 2>&1
check "fitted parameters pass the target" test $? -eq 0
"$mnsim" run --quiet --set treatment.sessions=1 --set simulate.follow_up_weeks=1 \
    --set output.images=false --params "$tmp/fitted.yaml" --out "$tmp/run" >/dev/null 2>&1
check "run accepts the fitted file" test -s "$tmp/run/results.json"
expect_error "fit without --param" 2 "at least one --param" fit "$tmp/fit.yaml" --out "$tmp/x.yaml"
expect_error "fit of an unknown parameter" 2 "unknown parameter" fit "$tmp/fit.yaml" \
    --param k_nothing --out "$tmp/x.yaml"
expect_error "fit to an unknown target" 2 "no such endpoint" fit "$tmp/fit.yaml" \
    --param k_pore --target zzz --out "$tmp/x.yaml"

# sensitivity: a small Morris design writes the ranked table, CSV and SVG.
"$mnsim" sensitivity --set treatment.sessions=1 --param k_vessel --param synth_collagen1 \
    --trajectories 2 --horizon-days 30 --out "$tmp/sens" --quiet 2>"$tmp/s.err"
check "sensitivity exits 0 ($(cat "$tmp/s.err"))" test $? -eq 0
check "sensitivity CSV has a row per parameter" test "$(wc -l <"$tmp/sens/sensitivity.csv")" -eq 3
check "sensitivity SVG" grep -q "</svg>" "$tmp/sens/sensitivity.svg"
expect_error "odd levels refused" 2 "even" sensitivity --levels 3

echo "$fails failed"
[ "$fails" -eq 0 ]
