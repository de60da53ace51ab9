#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang; ASan + UBSan, undefined behaviour fatal) and runs each
# for FUZZ_SECONDS (default 60; `make fuzz-long`: 3600) from its seed corpus fuzz/corpus/<target>.
#   FUZZ_TARGETS   the harnesses (default: all): the readers of scenario, set (--set lines),
#                  params, study, checkpoint, journal (cohort journal), pngcrc (PNG with its
#                  CRCs repaired) and the measure formats gsf csv png jpeg gwy sdf.
#   FUZZ_PARALLEL  how many run at once (default 1).
# One source, fuzz/fuzz_inputs.c, built once per target with -DFUZZ_TARGET=mn_fuzz_<target>
# (fuzz/fuzz_targets.c: the same entry points tests/test_fuzz_corpus.c replays), linked with the
# library built by CMake with the same instrumentation (build-fuzz/lib).
# New inputs go to build-fuzz/corpus-<target> (not the tracked corpus); crashes, hangs (-timeout)
# out-of-memory inputs and leaks to build-fuzz/<target>-{crash,timeout,oom,leak}-*; libFuzzer's output to
# build-fuzz/log-<target>.txt. Every run appends a row to build-fuzz/stats.tsv: target, seconds
# (wall time), executions, crashes, hangs, new corpus size (files in corpus-<target>), start (UTC).
# Add a reproducer to fuzz/corpus/<target>/ (named crash-*) once fixed: CTest replays the corpus.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build-fuzz"
secs="${FUZZ_SECONDS:-60}"
parallel="${FUZZ_PARALLEL:-1}"
targets="${FUZZ_TARGETS:-scenario set params study checkpoint journal pngcrc gsf csv png jpeg gwy sdf}"
cc="${FUZZ_CC:-}"
if [ -z "$cc" ]; then
    for c in clang clang-16 clang-15 clang-14; do
        if command -v "$c" >/dev/null; then cc=$c; break; fi
    done
fi
[ -n "$cc" ] || { echo "fuzz: clang not found" >&2; exit 1; }
case "$secs$parallel" in *[!0-9]*) echo "fuzz: FUZZ_SECONDS and FUZZ_PARALLEL are whole numbers" >&2; exit 2;; esac
mkdir -p "$out"

# The library, instrumented for coverage (fuzzer-no-link) and the sanitizers; no OpenMP or MPI
# (one thread per input: libFuzzer's coverage and the sanitizers stay deterministic).
san="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
echo "fuzz: building the instrumented library in $out/lib" >&2
CC="$cc" cmake -S "$root" -B "$out/lib" -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS="$san" \
    -DMNSIM_OPENMP=OFF -DMNSIM_MPI=OFF >"$out/lib-configure.log"
cmake --build "$out/lib" -j "${FUZZ_JOBS:-2}" --target mnsim_lib >"$out/lib-build.log" ||
    { tail -30 "$out/lib-build.log" >&2; exit 1; }
libs=("$out/lib/libmnsim.a" $(pkg-config --libs yaml-0.1 jansson libpng gsl libmicrohttpd zlib) -ljpeg -lm -lpthread)
flags=(-std=c17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root/include" -I"$root/src" -I"$root/fuzz")

for t in $targets; do
    [ -d "$root/fuzz/corpus/$t" ] || { echo "fuzz: unknown target $t (no fuzz/corpus/$t)" >&2; exit 2; }
    case $t in
        gsf|csv|png|jpeg|gwy|sdf) fn="fuzz_measure_$t" ;;
        *) fn="mn_fuzz_$t" ;;
    esac
    echo "fuzz: building $out/fuzz_$t" >&2
    # The measure formats' entry points are static in fuzz_targets.c: a one-line wrapper.
    if [ "${fn#fuzz_measure_}" != "$fn" ]; then
        up=$(echo "$t" | tr a-z A-Z)
        printf '#include "fuzz_targets.h"\n#include "mnsim/measure.h"\nint %s(const uint8_t *d, size_t n, mn_error *e);\nint %s(const uint8_t *d, size_t n, mn_error *e) { return mn_fuzz_measure(MN_MEASURE_FORMAT_%s, d, n, e); }\n' \
            "$fn" "$fn" "$up" >"$out/wrap_$t.c"
        extra=("$out/wrap_$t.c")
    else
        extra=()
    fi
    "$cc" "${flags[@]}" -DFUZZ_TARGET="$fn" "$root/fuzz/fuzz_inputs.c" "$root/fuzz/fuzz_targets.c" \
        "${extra[@]}" "${libs[@]}" -o "$out/fuzz_$t"
done

# One harness: its run, then its row of stats.tsv.
run_one() {
    local t=$1 log="$out/log-$1.txt" start end execs crashes hangs corpus status=0
    mkdir -p "$out/corpus-$t" "$out/tmp-$t"
    local before_c before_h
    before_c=$(find "$out" -maxdepth 1 \( -name "$t-crash-*" -o -name "$t-oom-*" -o -name "$t-leak-*" \) | wc -l)
    before_h=$(find "$out" -maxdepth 1 -name "$t-timeout-*" | wc -l)
    echo "fuzz: running $t for ${secs}s (log $log)" >&2
    start=$(date +%s)
    (cd "$out/tmp-$t" && TMPDIR="$out/tmp-$t" "$out/fuzz_$t" -max_total_time="$secs" \
        -rss_limit_mb=2048 -timeout=20 -max_len=32768 -print_final_stats=1 \
        -artifact_prefix="$out/$t-" \
        "$out/corpus-$t" "$root/fuzz/corpus/$t") >"$log" 2>&1 || status=$?
    end=$(date +%s)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -1)
    crashes=$(( $(find "$out" -maxdepth 1 \( -name "$t-crash-*" -o -name "$t-oom-*" -o -name "$t-leak-*" \) | wc -l) - before_c ))
    hangs=$(( $(find "$out" -maxdepth 1 -name "$t-timeout-*" | wc -l) - before_h ))
    corpus=$(find "$out/corpus-$t" -type f | wc -l)
    [ -s "$out/stats.tsv" ] ||
        printf 'target\tseconds\texecutions\tcrashes\thangs\tnew_corpus\tstarted_utc\n' >"$out/stats.tsv"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" $((end - start)) "${execs:-0}" "$crashes" "$hangs" \
        "$corpus" "$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)" >>"$out/stats.tsv"
    if [ $status -ne 0 ]; then
        echo "fuzz: $t found a failure (exit $status); see $log and $out/$t-*" >&2
        return 1
    fi
}

status=0
running=0
for t in $targets; do
    if [ "$running" -ge "$parallel" ]; then
        wait -n || status=1
        running=$((running - 1))
    fi
    run_one "$t" &
    running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
    wait -n || status=1
    running=$((running - 1))
done
column -t -s $'\t' "$out/stats.tsv" >&2 || true
exit $status
