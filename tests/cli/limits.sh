#!/usr/bin/env bash
# Resource bounds: a PNG decompression bomb (a 4 kB file declaring 20000 x 20000 pixels) is
# refused from its header, before anything is decoded or allocated; --threads beyond the CPUs
# is bounded, not an error.
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
exit $((fails > 0))
