#!/usr/bin/env bash
# mnsim run with simulate.model: 3d: pictures and VTK files, checkpoints, and `mnsim resume`
# after a killed run giving the same bytes as the uninterrupted run.
set -u
mnsim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MNSIM_NO_PROGRESS=1
fails=0
passes=0
check() { # check NAME CONDITION...
    local name=$1
    shift
    if "$@"; then echo "ok - $name"; passes=$((passes + 1)); else echo "FAIL - $name"; fails=$((fails + 1)); fi
}
expect_error() { # expect_error NAME PATTERN ARGS... : exit code 2 and PATTERN on stderr
    local name=$1 pattern=$2
    shift 2
    "$mnsim" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" -eq 2 ] && grep -q -- "$pattern" "$tmp/err"; then
        echo "ok - $name"
        passes=$((passes + 1))
    else
        echo "FAIL - $name (exit $rc, stderr: $(cat "$tmp/err"))"
        fails=$((fails + 1))
    fi
}

# A small patch, two sessions a week apart, three weeks of follow-up.
args=(--set simulate.model=3d --set simulate.patch_mm=0.4 --set treatment.sessions=2
    --set treatment.interval_weeks=1 --set simulate.follow_up_weeks=3)

run="$tmp/run"
"$mnsim" run "${args[@]}" --checkpoint-every 5 --vti-days 1,7 --out "$run" \
    >"$tmp/full.txt" 2>&1
check "3d run succeeds" [ $? -eq 0 ]
# The Wrote line names every file the run wrote, the 3-D ones included.
check "3d Wrote line lists every file" grep -qx "Wrote $run/: results.json, timeseries.csv, \
timecourse.svg, before.png, day1.png, after.png, before_after.png, before.gsf, after.gsf, \
report.html, histology_before.png, histology_after.png, puncture_map.png, patch_day1.vti, \
patch_day7.vti, patch_day28.vti, checkpoint.mnck" "$tmp/full.txt"
for f in histology_before.png histology_after.png puncture_map.png patch_day1.vti \
    patch_day7.vti patch_day28.vti checkpoint.mnck results.json; do
    check "3d run writes $f" [ -s "$run/$f" ]
done
check "vti is VTK image data" grep -q 'type="ImageData"' "$run/patch_day1.vti"
check "png signature" [ "$(head -c 8 "$run/histology_after.png" | od -An -tx1 | tr -d ' \n')" = \
    "89504e470d0a1a0a" ]
mv "$run" "$tmp/full"

# Run again into a copy of that directory, with other days and no checkpoints: the files left
# from the first run are not claimed.
cp -r "$tmp/full" "$tmp/again"
"$mnsim" run "${args[@]}" --vti-days=14 --out "$tmp/again" >"$tmp/again.txt" 2>&1
check "rerun Wrote line lists only its own files" grep -qx "Wrote $tmp/again/: results.json, \
timeseries.csv, timecourse.svg, before.png, day1.png, after.png, before_after.png, before.gsf, \
after.gsf, report.html, histology_before.png, histology_after.png, puncture_map.png, \
patch_day14.vti, patch_day28.vti" "$tmp/again.txt"

# The same run killed right after its first checkpoint (day 5; the test hook, not a timer:
# tests/cli/killresume.sh), resumed: same results, byte for byte.
{ MNSIM_TEST_KILL_AT_CHECKPOINT=1 "$mnsim" run "${args[@]}" --checkpoint-every 5 --out "$run" \
    --quiet >/dev/null 2>&1; } 2>/dev/null
check "killed by SIGKILL" [ $? -eq 137 ]
check "checkpoint written before the kill" [ -s "$run/checkpoint.mnck" ]
"$mnsim" resume "$run" --quiet >"$tmp/resume.txt" 2>&1
check "resume succeeds" [ $? -eq 0 ]
for f in results.json timeseries.csv histology_after.png; do
    check "resumed $f equals the uninterrupted run's" cmp -s "$run/$f" "$tmp/full/$f"
done
# Without --vti-days: the snapshot right after the first session (written before the
# checkpoint, so by the killed part) and the last day's.
check "default run writes patch_day0.vti and patch_day28.vti" \
    bash -c "ls '$run' | grep '\.vti\$' | tr '\n' ' ' | grep -qx 'patch_day0.vti patch_day28.vti '"

# Resuming from a checkpoint taken mid-way (day 5 of a fresh copy) gives the same bytes too.
mkdir -p "$tmp/mid"
"$mnsim" run "${args[@]}" --set simulate.follow_up_weeks=3 --checkpoint-every 5 \
    --out "$tmp/mid" --quiet >/dev/null 2>&1
check "mid-run checkpoint resumes to the same results" bash -c \
    "cp '$tmp/mid/results.json' '$tmp/mid.json' && '$mnsim' resume '$tmp/mid' --quiet >/dev/null 2>&1 && cmp -s '$tmp/mid/results.json' '$tmp/mid.json'"

# Bad input.
mkdir -p "$tmp/empty"
expect_error "resume without checkpoint" "no checkpoint" resume "$tmp/empty"
echo "garbage" >"$tmp/empty/checkpoint.mnck"
expect_error "resume of a non-checkpoint" "not an mnsim checkpoint" resume "$tmp/empty"
expect_error "resume needs a directory" "usage" resume
expect_error "checkpoint interval must be positive" \
    "^mnsim run: --checkpoint-every '0': expected a number above 0$" run --checkpoint-every 0
expect_error "checkpoint interval needs a number" "'x': expected a number above 0" \
    run --checkpoint-every x
expect_error "vti days must increase" "^mnsim run: --vti-days '7,1': values must increase$" \
    run --vti-days 7,1
expect_error "vti days are numbers" "expected numbers of 0 or more separated by commas" \
    run --vti-days=1,seven
expect_error "resume refuses a checkpoint interval" "the checkpoint interval is the run's own" \
    resume "$tmp/full" --checkpoint-every 5
expect_error "patch too small for the grid" "patch_mm" run --set simulate.model=3d \
    --set simulate.patch_mm=0.2 --set simulate.resolution_um=100 --out "$tmp/x"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
