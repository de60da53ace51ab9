#!/usr/bin/env bash
# mnsim run's Sa/Sq/Sz and mnsim measure's are comparable: results.json "surface_metrics" states
# the grid, spacing, form removal and filter of the run's numbers, and computing them again from
# before.gsf / after.gsf with those settings gives results.json's baseline / final; mnsim measure
# says which surface it measured ("heights:"), and with --form none --filter none it measures the
# primary surface on every pixel, within the evaluation grid's documented error
# (docs/surface.md: Sa, Sq within 5 %, Sz within 10 %).
# usage: surface_metrics.sh MNSIM_BINARY SOURCE_DIR
set -u
. "$(dirname "$0")/lib/common.sh"

timeout 300 "$mnsim" run --quiet --out "$tmp/run" >"$tmp/run.log" 2>&1
check "mnsim run exits 0 ($(tail -n 3 "$tmp/run.log"))" test -s "$tmp/run/results.json"

# The settings results.json states, read back; then the same numbers from the .gsf files.
python3 - "$tmp/run" >"$tmp/recompute" 2>&1 <<'EOF'
import array, json, sys
d = sys.argv[1]
r = json.load(open(d + "/results.json"))
m = r["surface_metrics"]
assert m["form_removal"] == "none" and m["filter"] == "none", m
assert m["observables"] == ["Sa_um", "Sq_um", "Sz_um"], m
assert m["files"] == {"before.gsf": "baseline", "after.gsf": "final"}, m
stride, n, ne = m["grid_stride"], m["map_xres"], m["grid_xres"]
assert abs(m["grid_pixel_um"] - stride * m["map_pixel_um"]) < 1e-9, m
assert ne == (n + stride - 1) // stride and m["grid_yres"] == ne, m

def read_gsf(path):
    b = open(path, "rb").read()
    head = b[: b.index(b"\0")].decode()
    h = dict(l.split(" = ", 1) for l in head.splitlines()[1:] if " = " in l)
    xres, yres = int(h["XRes"]), int(h["YRes"])
    off = (len(head) // 4 + 1) * 4  # the header is NUL-padded to a multiple of 4 bytes
    a = array.array("f")
    a.frombytes(b[off : off + 4 * xres * yres])
    assert h["ZUnits"] == "m" and abs(float(h["XReal"]) / xres * 1e6 - m["map_pixel_um"]) < 1e-6
    return xres, yres, a

for f, which in m["files"].items():
    xres, yres, z = read_gsf(d + "/" + f)
    assert xres == n and yres == m["map_yres"], (xres, yres)
    g = [z[j * xres + i] * 1e6 for j in range(0, yres, stride) for i in range(0, xres, stride)]
    assert len(g) == ne * ne
    mean = sum(g) / len(g)
    got = {"Sa_um": sum(abs(v - mean) for v in g) / len(g),
           "Sq_um": (sum((v - mean) ** 2 for v in g) / len(g)) ** 0.5,
           "Sz_um": max(g) - min(g)}
    for k, v in got.items():
        want = r["observables"][k][which]
        # The .gsf holds float32 metres: 1e-5 relative is far above its rounding.
        ok = abs(v - want) <= 1e-5 * abs(want)
        print("%s %s %s: results.json %.7g, from the file %.7g" % ("ok" if ok else "FAIL", f, k, want, v))
EOF
check "surface_metrics read back ($(grep -v '^ok' "$tmp/recompute" | head -c 400))" \
    bash -c "! grep -qv '^ok' '$tmp/recompute' && test \$(grep -c '^ok' '$tmp/recompute') -eq 6"

# mnsim measure with the stated settings: the primary surface on every pixel.
"$mnsim" measure --json --no-wrinkles --form none --filter none "$tmp/run/after.gsf" >"$tmp/m.json" 2>&1
python3 - "$tmp/run/results.json" "$tmp/m.json" >"$tmp/cmp" 2>&1 <<'EOF'
import json, sys
r, m = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert m["settings"]["heights"] == "primary", m["settings"]
for k, tol in (("Sa_um", 0.05), ("Sq_um", 0.05), ("Sz_um", 0.10)):
    want, got = r["observables"][k]["final"], m[k]
    print("%s %s: results.json %.5g, measure %.5g" % ("ok" if abs(got - want) <= tol * want else "FAIL", k, want, got))
EOF
check "measure --form none --filter none agrees with results.json ($(grep -v '^ok' "$tmp/cmp" | head -c 400))" \
    bash -c "! grep -qv '^ok' '$tmp/cmp' && test \$(grep -c '^ok' '$tmp/cmp') -eq 3"

# Both say which surface: measure's text and JSON with the defaults and with the run's settings.
"$mnsim" measure --no-wrinkles "$tmp/run/after.gsf" >"$tmp/m.txt" 2>&1
check "measure's default report names its surface and the run's" \
    grep -q "heights: Sa..Sz of the scale-limited surface (form plane, L-filter 0.8 mm)" "$tmp/m.txt"
check "measure's default report says how to compare with mnsim run" \
    grep -q "compare with --form none --filter none" "$tmp/m.txt"
"$mnsim" measure --no-wrinkles --form none --filter none "$tmp/run/after.gsf" >"$tmp/m0.txt" 2>&1
check "measure --form none --filter none says primary surface" \
    grep -q "heights: Sa..Sz of the primary surface (no form removal, no filter)" "$tmp/m0.txt"
"$mnsim" measure --json --no-wrinkles "$tmp/run/after.gsf" >"$tmp/md.json" 2>&1
check "measure --json's default settings say scale-limited" \
    grep -q '"heights": "scale-limited"' "$tmp/md.json"

# The run's own table says it too.
timeout 300 "$mnsim" run --out "$tmp/run2" >"$tmp/run2.txt" 2>&1
check "mnsim run's table says which surface Sa, Sq, Sz describe" grep -qx \
    "Sa, Sq, Sz: the primary surface (no form removal, no filter), every 80 um of the map; mnsim measure --form none --filter none gives them from before.gsf, after.gsf" \
    "$tmp/run2.txt"

# Without pictures no .gsf is written, and results.json names none.
timeout 300 "$mnsim" run --quiet --set output.images=false --out "$tmp/noimg" >/dev/null 2>&1
check "without images: surface_metrics without files" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))["surface_metrics"]
sys.exit(0 if "files" not in m and m["filter"] == "none" else 1)' "$tmp/noimg/results.json"

[ $fails -eq 0 ] && echo "ok: surface_metrics" || echo "$fails failures"
exit $((fails > 0))
