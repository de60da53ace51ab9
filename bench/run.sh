#!/usr/bin/env bash
# Runs every benchmark built in the build directory $1 (default: build) and prints its report.
# Benchmarks are never part of `make test`; docs/benchmarks.md records their figures.
set -euo pipefail
build=${1:-build}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for b in "$build"/bench_*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b"
done
