#!/usr/bin/env bash
# mnsim run from the command line: outputs, determinism, atomic files, exit codes and messages.
set -u
. "$(dirname "$0")/lib/common.sh" # mnsim, src, tmp, fails, check, expect
expect_error() { # expect_error NAME PATTERN ARGS... : exit code 2 and PATTERN on stderr
    local name=$1 pattern=$2
    shift 2
    "$mnsim" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" -eq 2 ] && grep -q -- "$pattern" "$tmp/err"; then
        echo "ok - $name"
    else
        echo "FAIL - $name (exit $rc, stderr: $(cat "$tmp/err"))"
        fails=$((fails + 1))
    fi
}

# The default run writes the documented files and prints the before -> after table.
mkdir -p "$tmp/a" "$tmp/b"
(cd "$tmp/a" && "$mnsim" run --out out >"$tmp/a.txt" 2>"$tmp/a.err")
check "default run exits 0" test $? -eq 0
for f in results.json timeseries.csv timecourse.svg; do
    check "default run writes $f" test -s "$tmp/a/out/$f"
done
check "table on stdout" grep -q "collagen_total_rel" "$tmp/a.txt"
check "disclaimer on stdout" grep -q "not a medical device" "$tmp/a.txt"
# The table for people: one unit column, "extreme" (a peak for rises, a trough for falls) with
# its day, values that are zero printed as 0 (not 3.055e-25), no exponent anywhere.
check "table header: unit column, extreme and its day" \
    grep -qE "^observable +unit +before +extreme +on day +after +change$" "$tmp/a.txt"
check "table: erythema back to 0 after the course" \
    grep -qE "^erythema +delta a\* +0 +[0-9.]+ +[0-9.]+ +0 +\+0$" "$tmp/a.txt"
sed -n '/^observable/,/^$/p' "$tmp/a.txt" >"$tmp/table"
check "table: the header and 17 observables" test "$(grep -cE '^[A-Za-z_]+ ' "$tmp/table")" -eq 18
check "table: no exponents" bash -c "! grep -qE '[0-9]e[-+][0-9]' '$tmp/table'"
check "table: a falling observable's extreme is its trough" \
    awk '$1 == "elastin_pct" { found = 1; ok = $4 < $3 } END { exit !(found && ok) }' "$tmp/table"
check "table: units in one column (Sa_um in um)" grep -qE "^Sa_um +um +[0-9]" "$tmp/a.txt"
# report.html's table the same way.
python3 - "$tmp/a/out/report.html" >"$tmp/report-table" 2>&1 <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
i = t.index('<table id="observables">')
tab = t[i : t.index("</table>", i)]
head = re.findall(r"<th>([^<]*)</th>", tab.split("</tr>")[0])
assert head[:7] == ["observable", "unit", "baseline", "extreme", "on day", "final", "change"], head
rows = re.findall(r"<tr><td>([^<]+)</td><td>[^<]*</td>((?:<td[^>]*>[^<]*</td>)+)</tr>", tab)
assert len(rows) == 17, len(rows)
cells = {name: re.findall(r">([^<]*)</td>", rest) for name, rest in rows}
assert cells["erythema"][3] == "0", cells["erythema"]
assert float(cells["elastin_pct"][1]) < float(cells["elastin_pct"][0]), cells["elastin_pct"]
assert not re.search(r"\de[-+]\d", tab), "an exponent in the table"
print("ok")
PY
check "report.html table: extreme and its day, 0 not 3e-25, no exponents ($(tail -c 300 "$tmp/report-table"))" \
    grep -qx ok "$tmp/report-table"
check "quiet on stderr when not a terminal" test ! -s "$tmp/a.err"
check "Wrote line lists the files" grep -qx "Wrote out/: results.json, timeseries.csv, \
timecourse.svg, before.png, day1.png, after.png, before_after.png, before.gsf, after.gsf, \
report.html" "$tmp/a.txt"
check "no temporary files left" test -z "$(find "$tmp/a/out" -name '*.tmp.*')"
for name in collagen_I_pct collagen_III_pct elastin_pct collagen_total_rel epidermis_um dermis_um \
    dermis_modulus_kpa wrinkle_depth_um Sa_um Sq_um Sz_um erythema edema_rel tewl_rel pih_risk \
    pain_vas wrinkle_grade; do
    check "results.json has $name" grep -q "\"$name\": {" "$tmp/a/out/results.json"
done
check "results.json has mnsim_version" grep -q '"mnsim_version"' "$tmp/a/out/results.json"
check "SVG is well formed" grep -q '</svg>' "$tmp/a/out/timecourse.svg"

# Determinism: the same scenario and seed give identical bytes.
(cd "$tmp/b" && "$mnsim" run --quiet --out out)
for f in results.json timeseries.csv timecourse.svg; do
    check "identical $f on a second run" cmp -s "$tmp/a/out/$f" "$tmp/b/out/$f"
done

# A scenario file, --set overrides, and the resolved scenario in results.json.
cat >"$tmp/s.yaml" <<'YAML'
mnsim: 1
patient: {age_years: 40, site: forehead}
treatment: {sessions: 2, interval_weeks: 6, adjuncts: []}
simulate: {follow_up_weeks: 4}
output: {images: false}
YAML
"$mnsim" run "$tmp/s.yaml" --set patient.age_years=45 --out "$tmp/c" --quiet
check "file run exits 0" test $? -eq 0
check "override reaches results" grep -q '"age_years": 45' "$tmp/c/results.json"
check "images: false writes no SVG" test ! -e "$tmp/c/timecourse.svg"
check "examples run" "$mnsim" run "$src/examples/roller-forehead.yaml" --out "$tmp/d" --quiet

# --name=value is --name value; -q is --quiet.
"$mnsim" run "$tmp/s.yaml" --set=patient.age_years=45 --out="$tmp/e" -q
check "--opt=value run exits 0" test $? -eq 0
check "--opt=value reaches the run" cmp -s "$tmp/c/timeseries.csv" "$tmp/e/timeseries.csv"

# Bad input: exit 2 with file:line:column and the field.
expect_error "missing file" "nope.yaml" run "$tmp/nope.yaml"
printf 'mnsim: 1\npatient: {age_years: 230}\n' >"$tmp/bad1.yaml"
expect_error "out of range names file:line:col" "bad1.yaml:2:22: patient.age_years" run "$tmp/bad1.yaml"
printf 'mnsim: 1\npatient: [\n' >"$tmp/bad2.yaml"
expect_error "broken YAML" "broken YAML" run "$tmp/bad2.yaml"
printf 'mnsim: 1\ndevice: {colour: red}\n' >"$tmp/bad3.yaml"
expect_error "unknown key" "device.colour: unknown key" run "$tmp/bad3.yaml"
expect_error "bad --set" "patient.age_years" run --set patient.age_years=abc
expect_error "unknown --set key" "patient.weight: unknown field" run --set patient.weight=3
expect_error "--set typo names the nearest field" \
    "^mnsim: --set: patient.agee_years: unknown field; did you mean patient.age_years?$" \
    run --set patient.agee_years=60
expect_error "--set without value" "needs a value" run --set
expect_error "--out without value" "^mnsim run: --out needs a value (DIR)$" run --quiet --out
expect_error "unknown option" "unknown option '--frobnicate' (see mnsim run --help)" run --frobnicate
expect_error "unknown option names the nearest" \
    "^mnsim run: unknown option '--qiet'; did you mean '--quiet'?$" run --qiet
expect_error "unknown option with =value names the nearest" "did you mean '--params'?" \
    run --parms=p.yaml
expect_error "bad number names the option" \
    "^mnsim run: --checkpoint-every 'soon': expected a number above 0$" run --checkpoint-every soon
expect_error "flag with a value" "^mnsim run: --quiet takes no value$" run --quiet=yes
expect_error "two scenario files" "more than one FILE" run a.yaml b.yaml
expect_error "unknown command names the nearest" "did you mean 'run'?" rnu
expect_error "unknown command" "unknown command" frobnicate
# --params overrides are recorded: results.json "params" lists the parameters that differ from
# the defaults (value, default, unit; {} for a default run) and report.html names them.
check "default run records no overrides" grep -q '"params": {}' "$tmp/a/out/results.json"
check "default report names no overrides" test -z "$(grep 'id="params"' "$tmp/a/out/report.html")"
printf 'k_pore: 0.05\nwrinkle_grade_scale_um: 64.37\n' >"$tmp/over.yaml"
"$mnsim" run --quiet --params "$tmp/over.yaml" --set simulate.follow_up_weeks=1 \
    --out "$tmp/over" >/dev/null 2>&1
check "run with --params exits 0" test $? -eq 0
check "results.json lists the override" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["params"]
sys.exit(0 if p == {"k_pore": {"value": 0.05, "default": 0.0347, "unit": "1/h"}} else 1)
' "$tmp/over/results.json"
check "report.html names the override" \
    grep -q 'id="params">Model parameters changed from the defaults: <code>k_pore</code> 0.05 1/h (default 0.0347).' \
    "$tmp/over/report.html"
printf 'k_pore: .nan\n' >"$tmp/p.yaml"
expect_error "non-finite parameter" "k_pore" run --params "$tmp/p.yaml"
printf 'k_poor: 1\n' >"$tmp/p2.yaml"
expect_error "unknown parameter" "unknown parameter" run --params "$tmp/p2.yaml"

# An unwritable output directory is a runtime failure (exit 1), not a crash.
touch "$tmp/file"
"$mnsim" run --quiet --out "$tmp/file/sub" 2>"$tmp/err"
check "unwritable output exits 1" test $? -eq 1

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all checks passed"
