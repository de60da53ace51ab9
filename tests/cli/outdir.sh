#!/usr/bin/env bash
# Output-directory safety: one run at a time per --out (a lock on the directory), an
# unwritable --out found before simulating, a failed checkpoint write warned about while the
# run goes on, and the temporaries of a killed run removed when the next run takes the lock.
set -u
. "$(dirname "$0")/lib/common.sh"
quick=(--set output.images=false --set simulate.follow_up_weeks=2 --quiet)

# A directory held by another process (flock(1) takes the same lock mnsim does): every
# command that writes into --out fails at once, exit 1, naming it.
mkdir -p "$tmp/held"
flock "$tmp/held" sleep 30 &
holder=$!
sleep 0.5
start=$(date +%s%N)
expect "run refuses a directory in use" 1 "$tmp/held is in use by another mnsim run" \
    run "${quick[@]}" --out "$tmp/held"
check "... at once (< 2 s)" test $(( ($(date +%s%N) - start) / 1000000 )) -lt 2000
check "... and writes nothing there" test -z "$(ls -A "$tmp/held")"
expect "cohort refuses a directory in use" 1 "is in use by another mnsim run" \
    cohort --set cohort.size=2 "${quick[@]}" --out "$tmp/held"
expect "sweep refuses a directory in use" 1 "is in use by another mnsim run" \
    sweep --patients 2 "${quick[@]}" --out "$tmp/held"
expect "optimize refuses a directory in use" 1 "is in use by another mnsim run" \
    optimize --patients 2 "${quick[@]}" --out "$tmp/held"
"$mnsim" run "${quick[@]}" --checkpoint-every 5 --out "$tmp/ck" >/dev/null 2>&1
flock "$tmp/ck" sleep 30 &
holder2=$!
sleep 0.5
expect "resume refuses a directory in use" 1 "is in use by another mnsim run" resume "$tmp/ck" --quiet
kill "$holder" "$holder2" 2>/dev/null
wait "$holder" "$holder2" 2>/dev/null
# Two real runs into one directory: the second fails while the first holds it.
"$mnsim" run --set simulate.model=3d --set simulate.follow_up_weeks=4 --quiet --out "$tmp/two" \
    >/dev/null 2>&1 &
first=$!
for _ in $(seq 100); do [ -e "$tmp/two" ] && break; sleep 0.05; done
sleep 0.3
expect "a second mnsim run into the same --out fails" 1 "is in use by another mnsim run" \
    run "${quick[@]}" --out "$tmp/two"
wait "$first"
check "the first run completes" test $? -eq 0

# Unwritable --out: found before simulating (exit 1, fast).
start=$(date +%s%N)
expect "an --out where no file can be created fails before simulating" 1 \
    "cannot write into the output directory\|cannot lock\|cannot open the output directory" \
    run --set simulate.model=3d --quiet --out /proc/self
check "... at once (< 2 s)" test $(( ($(date +%s%N) - start) / 1000000 )) -lt 2000
if [ "$(id -u)" != 0 ]; then
    mkdir -p "$tmp/ro" && chmod 555 "$tmp/ro"
    expect "a read-only --out fails before simulating" 1 "cannot write into the output directory" \
        run "${quick[@]}" --out "$tmp/ro"
    chmod 755 "$tmp/ro"
else
    echo "ok - # skip read-only directory test as root (root writes anywhere)"
fi

# A checkpoint that cannot be written warns and the run goes on (here: the name is taken by a
# directory, so the rename fails).
mkdir -p "$tmp/cw/checkpoint.mnck"
"$mnsim" run "${quick[@]}" --checkpoint-every 3 --out "$tmp/cw" 2>"$tmp/cw.err"
check "failed checkpoint write: the run still succeeds" test $? -eq 0
check "... with a warning" grep -q "warning: .*checkpoint.mnck.*the last good checkpoint is kept" \
    "$tmp/cw.err"
check "... and its outputs" test -s "$tmp/cw/results.json"

# Stale temporaries of a kill -9 (NAME.tmp.XXXXXX, 6 hex digits) go when a run takes the lock;
# other files stay.
mkdir -p "$tmp/st"
touch "$tmp/st/results.json.tmp.a1b2c3" "$tmp/st/after.png.tmp.000fff" "$tmp/st/notes.tmp.zzzzzz" \
    "$tmp/st/mine.tmp.1234567" "$tmp/st/keep.txt"
"$mnsim" run "${quick[@]}" --out "$tmp/st"
check "stale temporaries removed" test ! -e "$tmp/st/results.json.tmp.a1b2c3" -a \
    ! -e "$tmp/st/after.png.tmp.000fff"
check "other files kept" test -e "$tmp/st/notes.tmp.zzzzzz" -a -e "$tmp/st/mine.tmp.1234567" -a \
    -e "$tmp/st/keep.txt"
check "no probe file left" test -z "$(find "$tmp" -name '.mnsim-write-test.*')"
exit $((fails > 0))
