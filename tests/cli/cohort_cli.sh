#!/usr/bin/env bash
# mnsim cohort / sweep / optimize from the command line: outputs, same bytes for 1 and 2 threads
# and under `mpirun -n 2` (skipped only when this build has no MPI; under CI=true that fails), resume after a kill, bad
# input exits 2 with file:line.
set -u
mnsim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME CONDITION...
    local name=$1
    shift
    if "$@"; then echo "ok - $name"; else echo "FAIL - $name"; fails=$((fails + 1)); fi
}
same_outputs() { # same_outputs DIR1 DIR2
    local f
    for f in summary.json patients.csv.gz subgroups.csv fan_chart.svg cohort.html; do
        cmp -s "$1/$f" "$2/$f" || return 1
    done
}
# A small, quick cohort: 2 sessions 2 weeks apart, 2 weeks of follow-up, 24 patients.
cp "$src/tests/cli/lib/cohort24.yaml" "$tmp/c.yaml"
mkdir -p "$tmp/a" "$tmp/b" "$tmp/m" "$tmp/r"
(cd "$tmp/a" && "$mnsim" cohort "$tmp/c.yaml" --out out --threads 2 >"$tmp/a.txt" 2>"$tmp/a.err")
check "cohort exits 0" test $? -eq 0
for f in summary.json patients.csv.gz subgroups.csv fan_chart.svg cohort.html; do
    check "cohort writes $f" test -s "$tmp/a/out/$f"
done
check "patients.csv.gz is gzip" gzip -t "$tmp/a/out/patients.csv.gz"
check "one row per patient" test "$(gzip -dc "$tmp/a/out/patients.csv.gz" | wc -l)" -eq 25
check "summary has bands" grep -q '"p95"' "$tmp/a/out/summary.json"
check "summary by skin type" grep -q '"by_skin_type"' "$tmp/a/out/summary.json"
check "subgroup table printed" grep -q "skin_type" "$tmp/a.txt"
check "html has subgroup tables" grep -q "By Fitzpatrick skin type" "$tmp/a/out/cohort.html"
check "html embeds the fan chart" grep -q "<svg" "$tmp/a/out/cohort.html"
check "no journal left" test -z "$(ls "$tmp/a/out" | grep journal)"

# One thread writes the same bytes (same relative --out, so the embedded scenario matches).
(cd "$tmp/b" && "$mnsim" cohort "$tmp/c.yaml" --out out --threads 1 -q)
check "1 and 2 threads: same files" same_outputs "$tmp/a/out" "$tmp/b/out"

# Under Open MPI: two processes, same files. Skipped only when the build has no MPI.
if "$mnsim" cohort --help | grep -q "MPI yes"; then
    if command -v mpirun >/dev/null; then
        root=()
        [ "$(id -u)" -eq 0 ] && root=(--allow-run-as-root)
        # Open MPI keeps what MPI_Init allocates until exit: LeakSanitizer (make test-sanitize)
        # would report that as our leak, so leak checking is off for the MPI ranks only.
        (cd "$tmp/m" && mpirun "${root[@]}" --oversubscribe -n 2 -x OMP_NUM_THREADS=1 \
            -x ASAN_OPTIONS=detect_leaks=0 "$mnsim" cohort "$tmp/c.yaml" --out out -q \
            >"$tmp/m.txt" 2>&1)
        check "mpirun -n 2 exits 0" test $? -eq 0 || cat "$tmp/m.txt"
        check "mpirun -n 2: same files as serial" same_outputs "$tmp/a/out" "$tmp/m/out"
    else
        echo "FAIL - built with MPI but mpirun is missing"
        fails=$((fails + 1))
    fi
else
    if [ "${CI:-}" = true ]; then
        echo "FAIL - this build has no MPI (CI=true: Open MPI must be installed)"
        fails=$((fails + 1))
    else
        echo "ok - # SKIP mpirun test: this build has no MPI"
    fi
fi

# Resume: stop after 7 patients (as a kill would), run again: same files as uninterrupted.
(cd "$tmp/r" && "$mnsim" cohort "$tmp/c.yaml" --out out -q --stop-after 7 2>"$tmp/r.err")
check "interrupted run exits 1" test $? -eq 1
check "journal kept" test -n "$(ls "$tmp/r/out" | grep journal)"
(cd "$tmp/r" && "$mnsim" cohort "$tmp/c.yaml" --out out --threads 2 >/dev/null 2>"$tmp/r2.err")
check "resumed run exits 0" test $? -eq 0
check "resume says so" grep -q "resuming" "$tmp/r2.err"
check "resumed: same files" same_outputs "$tmp/a/out" "$tmp/r/out"
# A real SIGKILL mid-run, at a chosen point (the test hook, not a timer a fast machine would
# outrun; tests/cli/killresume.sh has more kill points): right after the 13th patient is
# journalled, then a resume.
mkdir -p "$tmp/k"
{ (cd "$tmp/k" && exec env MNSIM_TEST_KILL_AT_PATIENT=13 "$mnsim" cohort "$tmp/c.yaml" --out out \
    -q --threads 2 >/dev/null 2>&1); } 2>/dev/null
check "killed by SIGKILL" test $? -eq 137
check "killed run kept its journal" test -n "$(ls "$tmp/k/out" 2>/dev/null | grep journal)"
(cd "$tmp/k" && "$mnsim" cohort "$tmp/c.yaml" --out out >/dev/null 2>"$tmp/k.err")
check "killed run resumes" grep -q "resuming: 13 of 24 patients already done" "$tmp/k.err"
check "killed then resumed: same files" same_outputs "$tmp/a/out" "$tmp/k/out"

# Bad input: exit 2, file:line:column and the field.
printf 'mnsim: 1\ncohort:\n  skin_type: {VII: 1}\n' >"$tmp/bad.yaml"
"$mnsim" cohort "$tmp/bad.yaml" --out "$tmp/x" >/dev/null 2>"$tmp/bad.err"
check "bad category exits 2" test $? -eq 2
check "bad category message" grep -q "bad.yaml:3:15: cohort.skin_type.VII: unknown category" \
    "$tmp/bad.err"
printf 'mnsim: 1\ncohort:\n  age_years: {min: 60, max: 40}\n' >"$tmp/bad2.yaml"
"$mnsim" cohort "$tmp/bad2.yaml" --out "$tmp/x" >/dev/null 2>"$tmp/bad2.err"
check "min above max exits 2" test $? -eq 2
"$mnsim" cohort --threads zero >/dev/null 2>&1
check "bad --threads exits 2" test $? -eq 2
"$mnsim" sweep --vary nonsense >/dev/null 2>&1
check "bad --vary exits 2" test $? -eq 2
"$mnsim" sweep "$tmp/c.yaml" --vary device.needle_length_mm=1,9 --patients 2 --out "$tmp/x" \
    >/dev/null 2>"$tmp/sv.err"
check "out-of-range sweep value exits 2" test $? -eq 2
check "out-of-range sweep value named" grep -q "device.needle_length_mm" "$tmp/sv.err"

# Sweep: table and heat maps.
"$mnsim" sweep "$tmp/c.yaml" --vary device.needle_length_mm=0.5,1.5 --vary \
    treatment.adjuncts=[],[prp] --patients 3 --out "$tmp/sw" >"$tmp/sw.txt" 2>&1
check "sweep exits 0" test $? -eq 0
check "sweep.csv has a row per protocol" test "$(wc -l <"$tmp/sw/sweep.csv")" -eq 5
for m in improvement responders downtime pih; do
    check "heat map $m" grep -q "<svg" "$tmp/sw/heatmap_$m.svg"
done

# Optimize: a recommendation with benefit and risk, and a runnable scenario.
"$mnsim" optimize "$tmp/c.yaml" --patients 2 --max-sessions 2 --iterations 2 \
    --out "$tmp/op" >"$tmp/op.txt" 2>&1
check "optimize exits 0" test $? -eq 0
check "optimize recommends" grep -Eq "^(recommended|best found)" "$tmp/op.txt"
check "optimize states the benefit" grep -q "Expected benefit over the default" "$tmp/op.txt"
check "optimize states the risk" grep -q "PIH risk" "$tmp/op.txt"
"$mnsim" run "$tmp/op/recommended.yaml" --set output.images=false --out "$tmp/op/run" -q
check "recommended.yaml runs" test $? -eq 0

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all passed"
