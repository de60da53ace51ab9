#!/usr/bin/env bash
# bench/run_loaded.sh BUILD (through bench/run.sh --loaded): the benches beside a busy process.
# A busy loop pinned to CPU 0 stands for another user's job; then, for OpenMP's default wait
# policy and for OMP_WAIT_POLICY=passive, on 1 and 2 threads: the LOD solver's throughput
# (build/bench_lod solver, both grids) and the default `mnsim run` (median wall time of 5).
# The busy loop is ended by its process id when the script ends.
set -euo pipefail
build=$1
mnsim="$(cd "$build" && pwd)/mnsim"
command -v taskset >/dev/null || { echo "taskset (util-linux) is needed"; exit 1; }
taskset -c 0 bash -c 'while :; do :; done' &
busy=$!
trap 'kill "$busy" 2>/dev/null || true' EXIT
echo "competing load: busy loop pid $busy pinned to CPU 0; $(uptime | sed 's/.*load/load/')"
tmp=$(mktemp -d)
trap 'kill "$busy" 2>/dev/null || true; rm -rf "$tmp"' EXIT
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for policy in default passive; do
    for t in 1 2; do
        env=(OMP_NUM_THREADS=$t MNSIM_NO_PROGRESS=1)
        # The CLI itself re-executes with passive when no policy is set; "default" here is the
        # spinning policy it had before (OMP_WAIT_POLICY=active is what libgomp does unset).
        if [ "$policy" = passive ]; then env+=(OMP_WAIT_POLICY=passive); else env+=(MNSIM_NO_REEXEC=1); fi
        lod=$(env "${env[@]}" "$build/bench_lod" solver | awk '/solver [0-9]/ {printf "%s%s", sep, $2; sep = " / "}')
        runs=()
        for i in 1 2 3 4 5; do
            s=$(date +%s.%N)
            env "${env[@]}" "$mnsim" run --quiet --out "$tmp/run" >/dev/null
            e=$(date +%s.%N)
            runs+=("$(echo "$e - $s" | bc -l)")
        done
        run=$(printf '%s\n' "${runs[@]}" | median)
        printf '  %-7s %d thread(s): LOD solver %s voxel-updates/s (default grid / 10 mm patch); mnsim run median %.3f s\n' \
            "$policy" "$t" "$lod" "$run"
    done
done
echo "after: $(uptime | sed 's/.*load/load/')"
