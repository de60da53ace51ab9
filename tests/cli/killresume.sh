#!/usr/bin/env bash
# kill -9 at chosen points, then resume: the same bytes as the uninterrupted run. The kills come
# from the CLI's test hooks (docs/reliability.md §Killed runs resume to the same bytes), not from
# a timer: MNSIM_TEST_KILL_AT_STEP=N (right after the N-th time step, before a checkpoint due
# at its end), MNSIM_TEST_KILL_AT_CHECKPOINT=K (right after the K-th checkpoint is committed)
# and MNSIM_TEST_KILL_AT_PATIENT=N (cohort: right after the N-th patient is journalled).
# For `mnsim run` (column model), the 3-D run and `mnsim cohort`.
set -u
source "$(dirname "$0")/lib/common.sh"
mnsim=$(cd "$(dirname "$mnsim")" && pwd)/$(basename "$mnsim") # the runs cd into their directory
kills=0

# Every run works in its own directory $tmp/NAME with the same relative --out (out), so the
# output.dir recorded in results.json, the checkpoint and the cohort's files is the same.
# killed NAME VAR=VALUE... -- ARGS... : runs `mnsim ARGS` in $tmp/NAME (created) with the
# variables set; its stderr goes to $tmp/NAME.err; checks it died of SIGKILL (exit 137).
killed() {
    local name=$1
    shift
    local vars=()
    while [ "$1" != -- ]; do
        vars+=("$1")
        shift
    done
    shift
    mkdir -p "$tmp/$name"
    # (The shell's own "Killed" line goes to /dev/null.)
    { (cd "$tmp/$name" && exec env "${vars[@]}" timeout 300 "$mnsim" "$@" >/dev/null \
        2>"$tmp/$name.err"); } 2>/dev/null
    local rc=$?
    # The checkpoint the kill left (a resume goes on writing them).
    [ -e "$tmp/$name/out/checkpoint.mnck" ] && cp "$tmp/$name/out/checkpoint.mnck" "$tmp/$name.mnck"
    kills=$((kills + 1))
    check "$name: killed by SIGKILL (exit $rc)" test "$rc" -eq 137
}
# again NAME ARGS... : `mnsim ARGS` in $tmp/NAME, stderr to $tmp/NAME.err2; returns its exit code.
again() {
    local name=$1
    shift
    (cd "$tmp/$name" && timeout 300 "$mnsim" "$@" >/dev/null 2>"$tmp/$name.err2")
}
# same_as REF NAME: every file of $tmp/NAME/out is byte-identical to $tmp/REF/out's (the same
# names, the same bytes), and no temporary (*.tmp.*) is left.
same_as() {
    check "$2: same files, byte for byte, as the uninterrupted run" \
        diff -rq "$tmp/$1/out" "$tmp/$2/out"
    check "$2: no temporary left" test -z "$(find "$tmp/$2/out" -name '*.tmp.*')"
}
# The step at which the kill of NAME happened (from its "SIGKILL after ... step S" line).
step_of() { sed -n 's/.*SIGKILL after .*step \([0-9]*\) .*/\1/p' "$tmp/$1.err"; }

# --- mnsim run, column model: two sessions a week apart, two weeks of follow-up (day 21),
# a checkpoint every 3 days (days 3, 6, ..., 21), the pictures on.
run=(run --set treatment.sessions=2 --set treatment.interval_weeks=1
    --set simulate.follow_up_weeks=2 --checkpoint-every 3 --out out -q)
mkdir -p "$tmp/ref"
again ref "${run[@]}"
check "run: the uninterrupted run succeeds" test $? -eq 0

# Right after checkpoint 1 (day 3) and 2 (day 6) are committed: where they fall in steps.
killed ck1 MNSIM_TEST_KILL_AT_CHECKPOINT=1 -- "${run[@]}"
killed ck2 MNSIM_TEST_KILL_AT_CHECKPOINT=2 -- "${run[@]}"
s1=$(step_of ck1)
s2=$(step_of ck2)
check "run: checkpoints 1 and 2 at steps $s1 and $s2" test -n "$s1" -a -n "$s2" -a "${s2:-0}" -gt "$((${s1:-0} + 2))"
check "ck1: killed on day 3" grep -q "checkpoint 1, at step $s1 (day 3)" "$tmp/ck1.err"
for k in ck1 ck2; do
    again $k resume out
    check "$k: resume succeeds" test $? -eq 0
    same_as ref $k
done

# Before any checkpoint: early (step 10), and at the step that lands on the first checkpoint's
# day, before it is written. No checkpoint: `mnsim resume` says so (exit 2); running the same
# command again gives the uninterrupted run's files.
for pt in 10 "$s1"; do
    name=step$pt
    killed $name MNSIM_TEST_KILL_AT_STEP="$pt" -- "${run[@]}"
    check "$name: no checkpoint yet" test ! -e "$tmp/$name/out/checkpoint.mnck"
    [ "$pt" = "$s1" ] && check "$name: killed on day 3, before its checkpoint" \
        grep -q "step $s1 (day 3)" "$tmp/$name.err"
    again $name resume out
    check "$name: resume exits 2" test $? -eq 2
    check "$name: resume says there is no checkpoint" \
        grep -q "checkpoint.mnck: no checkpoint (run with --checkpoint-every)" "$tmp/$name.err2"
    again $name "${run[@]}"
    check "$name: the run again succeeds" test $? -eq 0
    same_as ref $name
done

# One step after checkpoint 1, half-way between checkpoints 1 and 2, and at the step that lands
# on checkpoint 2's day before it is written: the checkpoint on disk is checkpoint 1, byte for
# byte, and the resume redoes the rest.
for pt in $((s1 + 1)) $(((s1 + s2) / 2)) "$s2"; do
    name=step$pt
    killed $name MNSIM_TEST_KILL_AT_STEP="$pt" -- "${run[@]}"
    check "$name: the checkpoint left is checkpoint 1" \
        cmp -s "$tmp/$name.mnck" "$tmp/ck1.mnck"
    [ "$pt" = "$s2" ] && check "$name: killed on day 6, before its checkpoint" \
        grep -q "step $s2 (day 6)" "$tmp/$name.err"
    again $name resume out
    check "$name: resume succeeds" test $? -eq 0
    same_as ref $name
done

# After the last checkpoint (day 21, the end of the course) is written, before the outputs.
killed cklast MNSIM_TEST_KILL_AT_CHECKPOINT=7 -- "${run[@]}"
check "cklast: killed on day 21" grep -q "checkpoint 7, at step [0-9]* (day 21)" "$tmp/cklast.err"
check "cklast: no results yet" test ! -e "$tmp/cklast/out/results.json"
again cklast resume out
check "cklast: resume succeeds" test $? -eq 0
same_as ref cklast

# A resume killed too (at its own 5th step; then right after its first checkpoint), resumed
# again.
killed chain MNSIM_TEST_KILL_AT_STEP=$(((s1 + s2) / 2)) -- "${run[@]}"
killed chain MNSIM_TEST_KILL_AT_STEP=5 -- resume out
check "chain: still checkpoint 1 after the resume's 5th step" \
    cmp -s "$tmp/chain.mnck" "$tmp/ck1.mnck"
killed chain MNSIM_TEST_KILL_AT_CHECKPOINT=1 -- resume out
check "chain: killed right after the resume's first checkpoint (day 6)" \
    grep -q "checkpoint 1, at step [0-9]* (day 6)" "$tmp/chain.err"
check "chain: that checkpoint is the uninterrupted run's second" \
    cmp -s "$tmp/chain.mnck" "$tmp/ck2.mnck"
again chain resume out
check "chain: the third resume succeeds" test $? -eq 0
same_as ref chain

# A hook value that is not a count is refused.
MNSIM_TEST_KILL_AT_STEP=soon "$mnsim" run --out "$tmp/bad" -q 2>"$tmp/bad.err"
check "a bad hook value exits 2" test $? -eq 2
check "a bad hook value is named" grep -q "MNSIM_TEST_KILL_AT_STEP 'soon'" "$tmp/bad.err"

# --- The 3-D run: a 0.4 mm patch, two sessions a week apart, one week of follow-up (day 14),
# a checkpoint every 4 days (days 4, 8, 12).
run3=(run --set simulate.model=3d --set simulate.patch_mm=0.4 --set treatment.sessions=2
    --set treatment.interval_weeks=1 --set simulate.follow_up_weeks=1 --checkpoint-every 4
    --out out -q)
mkdir -p "$tmp/ref3"
again ref3 "${run3[@]}"
check "3d: the uninterrupted run succeeds" test $? -eq 0
killed 3dck1 MNSIM_TEST_KILL_AT_CHECKPOINT=1 -- "${run3[@]}"
killed 3dck2 MNSIM_TEST_KILL_AT_CHECKPOINT=2 -- "${run3[@]}"
t1=$(step_of 3dck1)
t2=$(step_of 3dck2)
check "3d: checkpoints 1 and 2 at steps $t1 and $t2" test -n "$t1" -a -n "$t2" -a "${t2:-0}" -gt "$((${t1:-0} + 2))"
for name in 3dck1 3dck2; do
    again $name resume out
    check "$name: resume succeeds" test $? -eq 0
    same_as ref3 $name
done
killed 3dstep5 MNSIM_TEST_KILL_AT_STEP=5 -- "${run3[@]}"
check "3dstep5: no checkpoint yet" test ! -e "$tmp/3dstep5/out/checkpoint.mnck"
again 3dstep5 resume out
check "3dstep5: resume exits 2" test $? -eq 2
again 3dstep5 "${run3[@]}"
check "3dstep5: the run again succeeds" test $? -eq 0
same_as ref3 3dstep5
for pt in $((t1 + 1)) $(((t1 + t2) / 2)) "$t2"; do
    name=3dstep$pt
    killed $name MNSIM_TEST_KILL_AT_STEP="$pt" -- "${run3[@]}"
    check "$name: the checkpoint left is checkpoint 1" \
        cmp -s "$tmp/$name.mnck" "$tmp/3dck1.mnck"
    [ "$pt" = "$t2" ] && check "$name: killed on day 8, before its checkpoint" \
        grep -q "step $t2 (day 8)" "$tmp/$name.err"
    again $name resume out
    check "$name: resume succeeds" test $? -eq 0
    same_as ref3 $name
done

# --- mnsim cohort: 24 patients on 2 threads; run again with the same arguments, it resumes.
cp "$src/tests/cli/lib/cohort24.yaml" "$tmp/c.yaml"
co=(cohort "$tmp/c.yaml" --out out -q --threads 2)
co_again=(cohort "$tmp/c.yaml" --out out --threads 2) # not quiet: it says it resumes
mkdir -p "$tmp/cref"
again cref "${co[@]}"
check "cohort: the uninterrupted run succeeds" test $? -eq 0
journal() { wc -c <"$tmp/$1/out/cohort-journal.0.bin"; }
# Kill right after the 1st, 7th, 23rd and 24th (the last: before any output is written)
# patient is journalled: the journal holds exactly that many records (a 24-byte header, then
# records of the same size).
rec=
for n in 1 7 23 24; do
    name=cohort$n
    killed $name MNSIM_TEST_KILL_AT_PATIENT=$n -- "${co[@]}"
    bytes=$(journal $name)
    [ -n "$rec" ] || rec=$((bytes - 24))
    check "$name: the journal holds $n records" test "$bytes" -eq $((24 + n * rec))
    check "$name: no output yet" test ! -e "$tmp/$name/out/summary.json"
    again $name "${co_again[@]}"
    check "$name: the run again succeeds" test $? -eq 0
    check "$name: it resumes" grep -q "resuming: $n of 24 patients already done" \
        "$tmp/$name.err2"
    same_as cref $name
    check "$name: no journal left" test ! -e "$tmp/$name/out/cohort-journal.0.bin"
done
# A torn last record (a kill while it was written): half a record appended is cut off.
killed cohorttorn MNSIM_TEST_KILL_AT_PATIENT=7 -- "${co[@]}"
head -c $((rec / 2)) /dev/zero >>"$tmp/cohorttorn/out/cohort-journal.0.bin"
again cohorttorn "${co_again[@]}"
check "cohorttorn: the run again succeeds" test $? -eq 0
check "cohorttorn: it resumes from the 7 whole records" \
    grep -q "resuming: 7 of 24 patients already done" "$tmp/cohorttorn.err2"
same_as cref cohorttorn
# Killed, then killed again while resuming, then resumed.
killed cohortchain MNSIM_TEST_KILL_AT_PATIENT=5 -- "${co[@]}"
killed cohortchain MNSIM_TEST_KILL_AT_PATIENT=5 -- "${co[@]}"
check "cohortchain: 10 records after two kills" test "$(journal cohortchain)" -eq $((24 + 10 * rec))
again cohortchain "${co[@]}"
check "cohortchain: the run again succeeds" test $? -eq 0
same_as cref cohortchain

echo "$kills kills"
[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "all passed"
