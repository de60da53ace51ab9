#!/usr/bin/env bash
# Runs every benchmark built in the build directory $1 (default: build) and prints its report.
# Benchmarks are never part of `make test`; docs/benchmarks.md records their figures.
#
# bench/run.sh --loaded [BUILD] (`make bench-loaded`) instead runs, beside a competing load (one
# busy-loop process pinned with taskset to CPU 0, as another user's job would be), the LOD
# solver bench and the default `mnsim run` on 1 and 2 threads, with OpenMP's default (spinning)
# wait policy and with OMP_WAIT_POLICY=passive: "never slower with more threads".
set -euo pipefail
loaded=0
if [ "${1:-}" = "--loaded" ]; then
    loaded=1
    shift
fi
build=${1:-build}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
if [ "$loaded" = 1 ]; then
    exec bash "$(dirname "$0")/run_loaded.sh" "$build"
fi
for b in "$build"/bench_*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b"
done
# MPI scaling of `mnsim cohort` (only when the CLI was built with Open MPI): the same cohort on
# 1 and 2 processes (one thread each); efficiency = t1 / (2 * t2).
mnsim="$(cd "$build" && pwd)/mnsim"
if [ -x "$mnsim" ] && "$mnsim" cohort --help | grep -q "MPI yes" && command -v mpirun >/dev/null; then
    echo "== mpi cohort scaling (mpirun -n 1 vs -n 2, OMP_NUM_THREADS=1, 4000 patients)"
    root=()
    [ "$(id -u)" -eq 0 ] && root=(--allow-run-as-root)
    tmp=$(mktemp -d)
    t=()
    for n in 1 2; do
        s=$(date +%s.%N)
        (cd "$tmp" && mpirun "${root[@]}" --oversubscribe -n "$n" -x OMP_NUM_THREADS=1 \
            "$mnsim" cohort --set cohort.size=4000 --out "out$n" -q --fresh)
        e=$(date +%s.%N)
        t+=("$(echo "$e - $s" | bc -l)")
    done
    awk -v a="${t[0]}" -v b="${t[1]}" 'BEGIN { printf "  -n 1: %.2f s (%.0f patients/s)\n  -n 2: %.2f s (%.0f patients/s)\n  efficiency: %.0f %%\n", a, 4000 / a, b, 4000 / b, 100 * a / (2 * b) }'
    cmp -s "$tmp/out1/patients.csv.gz" "$tmp/out2/patients.csv.gz" && echo "  same patients.csv.gz on 1 and 2 processes"
    rm -rf "$tmp"
fi
