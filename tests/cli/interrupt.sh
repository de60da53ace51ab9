#!/usr/bin/env bash
# SIGINT and SIGTERM say what was kept: a run without checkpoints that nothing was kept, a run
# with one its checkpoint and the resume command (which then finishes the run), a run stopped
# before its first checkpoint, a cohort its journalled patients (which the same command then
# finishes), and the process still dies of the signal (exit 130 / 143 in the shell). The points
# come from the test hooks (MNSIM_TEST_KILL_AT_*, with MNSIM_TEST_KILL_SIGNAL=INT|TERM the
# handler's own path); one real SIGINT from outside checks the handler is installed.
# usage: interrupt.sh MNSIM_BINARY SOURCE_DIR
set -u
. "$(dirname "$0")/lib/common.sh"
quick=(--quiet --set output.images=false --set simulate.follow_up_weeks=4)

stopped() { # stopped NAME CODE PATTERN ENV... -- ARGS...: exit CODE, PATTERN on stderr
    local name=$1 code=$2 pattern=$3 envs=()
    shift 3
    while [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    env "${envs[@]}" timeout 300 "$mnsim" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc -eq "$code" ] && grep -qF -- "$pattern" "$tmp/err"; then
        echo "ok - $name"
    else
        echo "FAIL - $name (exit $rc, stderr: $(tail -c 400 "$tmp/err"))"
        fails=$((fails + 1))
    fi
}

stopped "run without checkpoints: nothing kept" 130 \
    "mnsim run: interrupted: nothing of this run was kept (the results are written at the end); $tmp/a/ is as it was; --checkpoint-every DAYS keeps progress" \
    MNSIM_TEST_KILL_AT_STEP=40 MNSIM_TEST_KILL_SIGNAL=INT -- run "${quick[@]}" --out "$tmp/a"
check "... and wrote no results" test ! -e "$tmp/a/results.json"

stopped "run with a checkpoint: says it and how to resume" 130 \
    "mnsim run: interrupted: kept $tmp/b/checkpoint.mnck, the last checkpoint; \`mnsim resume $tmp/b\` goes on from it" \
    MNSIM_TEST_KILL_AT_CHECKPOINT=2 MNSIM_TEST_KILL_SIGNAL=INT -- \
    run "${quick[@]}" --checkpoint-every 5 --out "$tmp/b"
check "... the checkpoint is there" test -s "$tmp/b/checkpoint.mnck"
"$mnsim" resume "$tmp/b" --quiet >"$tmp/out" 2>&1
check "... and the resume command it names finishes the run" test -s "$tmp/b/results.json"

stopped "SIGTERM before the first checkpoint: nothing kept, exit 143" 143 \
    "mnsim run: interrupted before the first checkpoint: nothing of this run was kept; $tmp/c/ is as it was" \
    MNSIM_TEST_KILL_AT_STEP=3 MNSIM_TEST_KILL_SIGNAL=TERM -- \
    run "${quick[@]}" --checkpoint-every 5 --out "$tmp/c"

stopped "3-D run: the snapshots so far are kept" 130 \
    "$tmp/d/ is as it was, except the 3-D snapshots written so far (patch_day*.vti); --checkpoint" \
    MNSIM_TEST_KILL_AT_STEP=2 MNSIM_TEST_KILL_SIGNAL=INT -- \
    run --quiet --set simulate.model=3d --set simulate.follow_up_weeks=1 --out "$tmp/d"

cp "$src/tests/cli/lib/cohort24.yaml" "$tmp/c24.yaml"
stopped "cohort: the journalled patients are kept" 130 \
    "mnsim cohort: interrupted: the patients finished so far are kept in $tmp/e/cohort-journal.*; the same command goes on from them" \
    MNSIM_TEST_KILL_AT_PATIENT=5 MNSIM_TEST_KILL_SIGNAL=INT -- \
    cohort "$tmp/c24.yaml" --quiet --threads 1 --out "$tmp/e"
check "... a journal is there" bash -c "ls '$tmp/e'/cohort-journal.* >/dev/null 2>&1"
"$mnsim" cohort "$tmp/c24.yaml" --quiet --threads 1 --out "$tmp/e" >"$tmp/out" 2>&1
check "... and the same command finishes the cohort" test -s "$tmp/e/summary.json"

# A real SIGINT from outside (job control on, so the background run does not ignore it): the
# 3-D course runs for many seconds, the signal comes after one.
set -m
"$mnsim" run --quiet --set simulate.model=3d --out "$tmp/f" >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
set +m
check "a real SIGINT: exit 130 (got $rc; $(tail -c 300 "$tmp/err"))" test $rc -eq 130
check "... with the message" grep -qF "mnsim run: interrupted: nothing of this run was kept" "$tmp/err"

[ $fails -eq 0 ] && echo "ok: interrupt" || echo "$fails failures"
exit $((fails > 0))
