#!/usr/bin/env bash
# Regenerates the checkpoint harness's seeds (fuzz/corpus/checkpoint/): a checkpoint stores the
# scenario and parameter structs as they are laid out in this build, so adding a parameter or
# a scenario field makes the old seeds "a checkpoint of another mnsim version" and
# test_fuzz_corpus fails until this is run.
#   column_day6.mnck                  a one-session, 3-week column run killed right after its 2nd checkpoint
#                                     (every 3 days: day 6), through the CLI's test hook
#   crash-microrelief_cell_um_0.mnck  the same with microrelief_cell_um = 0 (the checkpoint
#                                     fuzzer's finding; the harness repairs the checksum)
# usage: fuzz/make_checkpoint_seeds.sh MNSIM_BINARY
set -euo pipefail
mnsim=$1
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/fuzz/corpus/checkpoint"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
MNSIM_TEST_KILL_AT_CHECKPOINT=2 "$mnsim" run --quiet --out "$tmp/run" --checkpoint-every 3 \
    --set treatment.sessions=1 --set simulate.follow_up_weeks=3 --set output.images=false \
    >/dev/null 2>&1 || true
[ -f "$tmp/run/checkpoint.mnck" ] || { echo "no checkpoint written" >&2; exit 1; }
cp "$tmp/run/checkpoint.mnck" "$out/column_day6.mnck"
python3 - "$out/column_day6.mnck" "$out/crash-microrelief_cell_um_0.mnck" \
    "$("$mnsim" params | awk '$1 == "microrelief_cell_um:" {print $2}')" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
value = struct.pack("<d", float(sys.argv[3]))
at = [i for i in range(len(data) - 7) if data[i:i + 8] == value]
if len(at) != 1:
    sys.exit(f"microrelief_cell_um's value found {len(at)} times, expected once")
open(sys.argv[2], "wb").write(data[:at[0]] + struct.pack("<d", 0.0) + data[at[0] + 8:])
PY
echo "wrote $out/column_day6.mnck and crash-microrelief_cell_um_0.mnck"
