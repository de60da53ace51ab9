#!/usr/bin/env bash
# mnsim measure from the command line: reports, before/after, JSON, mask and overlay outputs,
# the tone of a colour photo and its spot mask, and exit 2 with a message naming the file for malformed inputs and bad arguments.
set -u
mnsim="$1"
src="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # name, expected exit, expected text in output, command...
    local name="$1" want="$2" text="$3"
    shift 3
    "$@" >"$tmp/out" 2>&1
    local got=$?
    if [ "$got" -ne "$want" ] || ! grep -qF -- "$text" "$tmp/out"; then
        echo "FAIL $name: exit $got (want $want), output:"
        sed 's/^/  /' "$tmp/out" | head -20
        fail=1
    else
        echo "ok   $name"
    fi
}
# A 120 x 120 height map (um) with a valley along x and a gentle tilt; AFTER is half as deep.
gen() {
    awk -v d="$1" 'BEGIN { for (y = 0; y < 120; y++) { line = "";
        for (x = 0; x < 120; x++) { u = (y - 60) / 3.0;
            z = -d * exp(-0.5 * u * u) + 0.02 * x + 0.5 * sin(x * 0.7 + y * 1.3);
            line = line (x ? "," : "") sprintf("%.4f", z) }
        print line } }'
}
gen 30 >"$tmp/before.csv"
gen 15 >"$tmp/after.csv"

check "text report" 0 "Sa" "$mnsim" measure --pixel-um 20 "$tmp/before.csv"
check "states settings" 0 "L-filter: Gaussian ISO 16610-21" "$mnsim" measure --pixel-um 20 "$tmp/before.csv"
check "before/after" 0 "change %" "$mnsim" measure --pixel-um 20 "$tmp/before.csv" "$tmp/after.csv"
check "json" 0 '"Sa_um"' "$mnsim" measure --json --pixel-um 20 "$tmp/before.csv"
check "json settings" 0 '"lambda_c_mm"' "$mnsim" measure --json --pixel-um 20 --form poly2 --filter none "$tmp/before.csv"
check "json gradient default" 0 '"gradient": "gwyddion"' "$mnsim" measure --json --pixel-um 20 "$tmp/before.csv"
check "json gradient cell" 0 '"gradient": "cell"' "$mnsim" measure --json --pixel-um 20 --gradient cell "$tmp/before.csv"
check "text gradient" 0 "Gwyddion's discretisation" "$mnsim" measure --pixel-um 20 "$tmp/before.csv"
check "json before/after" 0 '"change_pct"' "$mnsim" measure --json --pixel-um 20 "$tmp/before.csv" "$tmp/after.csv"
check "mask and overlay" 0 "wrinkle count" "$mnsim" measure --pixel-um 20 --mask-out "$tmp/mask.png" --overlay-out "$tmp/ov.png" "$tmp/before.csv"
for f in mask.png ov.png; do
    if ! head -c 8 "$tmp/$f" | od -An -c | grep -q "P   N   G"; then
        echo "FAIL $f is not a PNG"
        fail=1
    fi
done
if ls "$tmp" | grep -q '\.tmp\.'; then echo "FAIL temporary files left"; fail=1; fi
check "help" 0 "usage: mnsim measure" "$mnsim" measure --help

# Gwyddion .gwy and ISO 25178-71 SDF (the fuzz seeds): pixel size and units from the file.
check "gwy" 0 "16 x 12 pixels of 2 x 2 um" "$mnsim" measure "$src/fuzz/corpus/gwy/gwyddion.gwy"
check "gwy units" 0 "12 x 10 pixels of 20 x 20 um" "$mnsim" measure "$src/fuzz/corpus/gwy/units_mask_meta.gwy"
# --channel N|NAME picks a channel of a multi-channel .gwy; a missing one lists the file's.
check "gwy --channel number" 0 "10 x 10 pixels of 200 x 200 um" "$mnsim" measure --channel 2 "$src/fuzz/corpus/gwy/channel2_graph.gwy"
check "gwy --channel title" 0 "16 x 12 pixels of 2 x 2 um" "$mnsim" measure --channel Height "$src/fuzz/corpus/gwy/gwyddion.gwy"
check "gwy --channel missing" 2 "gwyddion.gwy: no channel 'Phase' (the file has 0 'Height')" "$mnsim" measure --channel Phase "$src/fuzz/corpus/gwy/gwyddion.gwy"
check "gwy --channel untitled" 2 "no channel '0' (the file has 2 (untitled))" "$mnsim" measure --channel 0 "$src/fuzz/corpus/gwy/channel2_graph.gwy"
check "--channel of a CSV" 2 "before.csv: a channel ('1') can be chosen only in a Gwyddion .gwy file" "$mnsim" measure --channel 1 --pixel-um 20 "$tmp/before.csv"
check "sdf binary" 0 "16 x 12 pixels of 2 x 2 um" "$mnsim" measure "$src/fuzz/corpus/sdf/int16.sdf"
check "sdf ascii" 0 '"Sa_um"' "$mnsim" measure --json "$src/fuzz/corpus/sdf/ascii.sdf"

# Tone of a colour photo: the overlay just written (an 8-bit RGB PNG: grey skin, a dark
# valley, red wrinkle pixels) is the photo.
check "tone text" 0 "ITA (mean)" "$mnsim" measure --pixel-um 20 "$tmp/ov.png"
check "tone json" 0 '"spots_area_pct"' "$mnsim" measure --json --pixel-um 20 "$tmp/ov.png"
check "tone before/after" 0 '"tone"' "$mnsim" measure --json --pixel-um 20 "$tmp/ov.png" "$tmp/ov.png"
check "tone settings" 0 "MI above the median + 6" "$mnsim" measure --pixel-um 20 --spot-delta-mi 6 --spot-min-area-um2 400 "$tmp/ov.png"
check "spots mask" 0 "spot count" "$mnsim" measure --pixel-um 20 --spots-mask-out "$tmp/spots.png" "$tmp/ov.png"
if ! head -c 8 "$tmp/spots.png" | od -An -c | grep -q "P   N   G"; then
    echo "FAIL spots.png is not a PNG"
    fail=1
fi
"$mnsim" measure --pixel-um 20 --no-tone "$tmp/ov.png" >"$tmp/out" 2>&1
if grep -q "ITA" "$tmp/out"; then echo "FAIL --no-tone still prints the tone"; fail=1; else echo "ok   no tone"; fi
"$mnsim" measure --pixel-um 20 "$tmp/before.csv" >"$tmp/out" 2>&1
if grep -q "ITA" "$tmp/out"; then echo "FAIL a height map has a tone"; fail=1; else echo "ok   no tone for heights"; fi
check "bad spot delta" 2 "--spot-delta-mi" "$mnsim" measure --pixel-um 20 --spot-delta-mi 0 "$tmp/ov.png"
check "bad spot delta text" 2 "--spot-delta-mi" "$mnsim" measure --pixel-um 20 --spot-delta-mi lots "$tmp/ov.png"
check "bad spot area" 2 "--spot-min-area-um2" "$mnsim" measure --pixel-um 20 --spot-min-area-um2 -1 "$tmp/ov.png"
check "spots of heights" 2 "spots need a photo" "$mnsim" measure --pixel-um 20 --spots-mask-out "$tmp/s.png" "$tmp/before.csv"
check "spots without tone" 2 "--no-tone" "$mnsim" measure --pixel-um 20 --no-tone --spots-mask-out "$tmp/s.png" "$tmp/ov.png"

# Bad inputs: exit 2 and a message naming the file.
printf '1 2 3\n4 5\n' >"$tmp/ragged.csv"
printf '1 2\n3 nan\n' >"$tmp/nan.csv"
printf 'Gwyddion Simple Field 1.0\nXRes = 4\nYRes = 4\n\0\0\0\0\0\0\0\0' >"$tmp/trunc.gsf"
printf 'Gwyddion Simple Field 1.0\nXRes = 50000\nYRes = 4\n\0\0\0' >"$tmp/huge.gsf"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >"$tmp/trunc.png"
printf 'GWYPGwyContainer\0\377\0\0\0/0/data\0o' >"$tmp/trunc.gwy"
printf 'GWYPGwyContainer\0\021\0\0\0/0/data\0d\0\0\0\0\0\0\0\0' >"$tmp/double.gwy"
printf 'aBCR-1.0\nNumPoints = 2\nNumProfiles = 1\nXscale = 1e-6\nYscale = 0\nZscale = 1\nDataType = 9\n*\n1 2\n' >"$tmp/type.sdf"
printf 'aBCR-1.0\nNumPoints = 2\nNumProfiles = 1\nXscale = 1e-6\nYscale = 0\nZscale = 1\n*\n1 nan\n' >"$tmp/nan.sdf"
printf '\377\330\377\340\0\020JFIF' >"$tmp/trunc.jpg"
check "ragged csv" 2 "ragged.csv" "$mnsim" measure --pixel-um 20 "$tmp/ragged.csv"
check "nan csv" 2 "nan.csv" "$mnsim" measure --pixel-um 20 "$tmp/nan.csv"
check "truncated gsf" 2 "trunc.gsf" "$mnsim" measure "$tmp/trunc.gsf"
check "oversized gsf" 2 "huge.gsf" "$mnsim" measure "$tmp/huge.gsf"
check "truncated gwy" 2 "trunc.gwy: truncated" "$mnsim" measure "$tmp/trunc.gwy"
check "gwy channel not an object" 2 "double.gwy: GwyContainer component '/0/data' has type 'd'" "$mnsim" measure "$tmp/double.gwy"
check "sdf data type" 2 "type.sdf: DataType = 9" "$mnsim" measure "$tmp/type.sdf"
check "sdf nan" 2 "nan.sdf: value at row 0, column 1 is not finite" "$mnsim" measure "$tmp/nan.sdf"
check "truncated png" 2 "trunc.png" "$mnsim" measure --pixel-um 20 "$tmp/trunc.png"
check "truncated jpeg" 2 "trunc.jpg" "$mnsim" measure --pixel-um 20 "$tmp/trunc.jpg"
check "no pixel size" 2 "--pixel-um" "$mnsim" measure "$tmp/before.csv"
check "missing file" 2 "nope.csv" "$mnsim" measure --pixel-um 20 "$tmp/nope.csv"
check "bad form" 2 "--form" "$mnsim" measure --form cubic --pixel-um 20 "$tmp/before.csv"
check "bad gradient" 2 "--gradient: 'iso' is not gwyddion or cell" "$mnsim" measure --gradient iso --pixel-um 20 "$tmp/before.csv"
check "unknown option" 2 "--frobnicate" "$mnsim" measure --frobnicate "$tmp/before.csv"
check "no file" 2 "usage" "$mnsim" measure
check "bad lambda" 2 "lambda_s" "$mnsim" measure --pixel-um 20 --lambda-s-um 900 --lambda-c-mm 0.8 "$tmp/before.csv"
exit $fail
