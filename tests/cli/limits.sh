#!/usr/bin/env bash
# Resource bounds: a PNG decompression bomb (a 4 kB file declaring 20000 x 20000 pixels) is
# refused from its header, before anything is decoded or allocated; --threads beyond the CPUs
# is bounded, not an error; runs, cohorts and sweeps whose estimated memory or output exceeds the
# limits are refused before anything is allocated unless --allow-large (MNSIM_MEMORY_AVAILABLE and
# MNSIM_OUTPUT_LIMIT stand in for the machine's memory and the 512 MiB limit).
set -u
. "$(dirname "$0")/lib/common.sh"
python3 - "$tmp/bomb.png" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
w = h = 20000
idat = zlib.compress(b'\0' * (w + 1) * 200, 9)
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0))
                              + chunk(b'IDAT', idat) + chunk(b'IEND', b''))
PY
start=$(date +%s%N)
expect "PNG bomb refused from its header" 2 "20000 x 20000 pixels is too large" measure "$tmp/bomb.png"
check "... in well under a second" test $(( ($(date +%s%N) - start) / 1000000 )) -lt 1000
"$mnsim" cohort --set cohort.size=3 --set simulate.follow_up_weeks=2 --threads 4096 --quiet \
    --out "$tmp/c" 2>"$tmp/c.err"
check "--threads 4096 is bounded by the CPUs and runs" test $? -eq 0

# --- Up-front resource estimates (docs/reliability.md, Resource limits).
short=(--set treatment.sessions=1 --set simulate.follow_up_weeks=1 --set output.images=false)
start=$(date +%s%N)
MNSIM_MEMORY_AVAILABLE=100M expect "run: memory beyond 60 % of MNSIM_MEMORY_AVAILABLE refused" 2 \
    "more than 60 % of the 100 MiB available (60 MiB): use a larger output.every_days" \
    run "${short[@]}" --out "$tmp/m" -q
check "... in well under a second, nothing written" \
    test $(( ($(date +%s%N) - start) / 1000000 )) -lt 1000 -a ! -e "$tmp/m"
MNSIM_MEMORY_AVAILABLE=100M expect "run --allow-large: runs anyway, with a warning" 0 "warning: about .* of memory (--allow-large)" \
    run "${short[@]}" --allow-large --out "$tmp/m" -q
check "... and writes its results" test -s "$tmp/m/results.json"
# 7 days sampled hourly: 170 samples, estimated 920 bytes each (results.json and timeseries.csv).
MNSIM_OUTPUT_LIMIT=100K expect "run: output beyond MNSIM_OUTPUT_LIMIT refused" 2 \
    "would write about 152 KiB into $tmp/o, more than the 100 KiB limit" \
    run "${short[@]}" --set output.every_days=0.0417 --out "$tmp/o" -q
MNSIM_OUTPUT_LIMIT=4M "$mnsim" run "${short[@]}" --set output.every_days=0.0417 --out "$tmp/o" -q
check "run: the same under a 4 MiB limit runs" test $? -eq 0
size=$(cat "$tmp/o/results.json" "$tmp/o/timeseries.csv" | wc -c)
check "... and its output (${size} bytes) is within the estimate (169 x 920 bytes)" \
    test "$size" -gt 50000 -a "$size" -lt 155480
# A 50 mm 3-D patch at 2 um (625 M voxel columns): refused from the estimate on any machine.
start=$(date +%s%N)
expect "3-D run larger than the machine refused" 2 \
    "use a smaller simulate.patch_mm, a coarser simulate.resolution_um" \
    run --set simulate.model=3d --set simulate.patch_mm=50 --set simulate.resolution_um=2 \
    --out "$tmp/p" -q
check "... in well under a second" test $(( ($(date +%s%N) - start) / 1000000 )) -lt 1000
MNSIM_MEMORY_AVAILABLE=1G expect "cohort: memory of the records beyond the limit refused" 2 \
    "use a smaller cohort.size or a larger cohort.every_days, or --allow-large" \
    cohort --set cohort.size=1000000 \
    --set cohort.every_days=1 --out "$tmp/c1" --quiet
MNSIM_OUTPUT_LIMIT=1K expect "cohort: output beyond the limit refused" 2 "more than the 1 KiB limit" \
    cohort --set cohort.size=3 \
    --set simulate.follow_up_weeks=2 --out "$tmp/c2" --quiet
MNSIM_OUTPUT_LIMIT=1K expect "cohort --allow-large runs" 0 "warning: about .* of output (--allow-large)" \
    cohort --set cohort.size=3 \
    --set simulate.follow_up_weeks=2 --allow-large --out "$tmp/c2" --quiet
check "... and writes its summary" test -s "$tmp/c2/summary.json"
MNSIM_OUTPUT_LIMIT=1K expect "sweep: output beyond the limit refused" 2 "vary fewer values or use fewer --patients" \
    sweep --vary treatment.sessions=1,2 --patients 2 \
    --set simulate.follow_up_weeks=2 --out "$tmp/s" --quiet
MNSIM_OUTPUT_LIMIT=1K expect "sweep --allow-large runs" 0 "warning: about .* of output (--allow-large)" \
    sweep --vary treatment.sessions=1,2 --vary \
    device.needle_length_mm=1,1.5 --patients 2 --set simulate.follow_up_weeks=2 \
    --allow-large --out "$tmp/s" --quiet
check "... and writes sweep.csv" test -s "$tmp/s/sweep.csv"
MNSIM_MEMORY_AVAILABLE=lots expect "a bad MNSIM_MEMORY_AVAILABLE is bad input" 2 \
    "MNSIM_MEMORY_AVAILABLE=lots: expected a size in bytes > 0" \
    run --out "$tmp/b" -q
exit $((fails > 0))
