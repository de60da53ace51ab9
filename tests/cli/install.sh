#!/usr/bin/env bash
# The installed tree is usable: `cmake --install` (and `make install`) into DESTDIR + prefix, then examples/api/*.c
# built against it with `pkg-config --cflags --libs mnsim` (shared: libmnsim.so.0 is the only
# mnsim library needed; --static with libmnsim.a) and with find_package(mnsim) (mnsim::mnsim,
# mnsim::mnsim_static), run with LD_LIBRARY_PATH, their output checked against the installed
# CLI; the installed `mnsim validate` finds the installed studies from another directory.
# usage: install.sh MNSIM_BINARY SOURCE_DIR
set -u
build=$(cd "$(dirname "$1")" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MNSIM_NO_PROGRESS=1
unset MNSIM_STUDIES
fails=0
check() { # check NAME CONDITION...
    local name=$1
    shift
    if "$@"; then echo "ok - $name"; else echo "FAIL - $name"; fails=$((fails + 1)); fi
}

prefix=/opt/mnsim-test
DESTDIR=$tmp/stage cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1
check "cmake --install with DESTDIR and --prefix" test $? -eq 0
root=$tmp/stage$prefix
# The same through the Makefile, as the README says (`make install PREFIX=... DESTDIR=...`):
# -o build takes the build as done (its recipe would first check the Debian packages, and a
# test installs nothing).
make -s -C "$src" -o build install BUILD="$build" PREFIX=/opt/mnsim-make DESTDIR="$tmp/mk" \
    >"$tmp/make-install.log" 2>&1
mk=$?
check "make install PREFIX DESTDIR$([ $mk -eq 0 ] || echo " (exit $mk: $(tail -c 300 "$tmp/make-install.log"))")" \
    test $mk -eq 0
for f in bin/mnsim include/mnsim/mnsim.h share/mnsim/studies lib/python3/dist-packages/mnsim; do
    check "make install put $f under DESTDIR/PREFIX" test -e "$tmp/mk/opt/mnsim-make/$f"
done
check "make install wrote nothing outside DESTDIR/PREFIX" \
    test "$(cd "$tmp/mk" && find . -mindepth 1 -maxdepth 2 | sort | xargs)" = "./opt ./opt/mnsim-make"
lib=$(cd "$root" && ls -d lib* | head -n 1)
for f in bin/mnsim include/mnsim/mnsim.h include/mnsim/export.h "$lib/libmnsim.a" \
    "$lib/libmnsim.so" "$lib/pkgconfig/mnsim.pc" "$lib/cmake/mnsim/mnsimConfig.cmake" \
    "$lib/cmake/mnsim/mnsimConfigVersion.cmake" share/mnsim/studies share/man/man1/mnsim.1 \
    lib/python3/dist-packages/mnsim/__init__.py; do
    check "installed $f" test -e "$root/$f"
done
check "SONAME libmnsim.so.0" bash -c "readelf -d '$root/$lib/libmnsim.so' | grep -q 'SONAME.*libmnsim.so.0\]'"
export LD_LIBRARY_PATH=$root/$lib
export PKG_CONFIG_PATH=$root/$lib/pkgconfig

# The reference: the installed CLI's results.json and measure report.
mkdir -p "$tmp/cwd" && cd "$tmp/cwd" || exit 1
"$root/bin/mnsim" run --out "$tmp/ref" --quiet --set output.images=true >/dev/null 2>&1
check "installed mnsim run" test -s "$tmp/ref/results.json"
final() { python3 -c "import json,sys; print('%.10g' % json.load(open(sys.argv[1]))['observables'][sys.argv[2]]['final'])" "$@"; }
expect_grade=$(final "$tmp/ref/results.json" wrinkle_grade)
expect_collagen=$(final "$tmp/ref/results.json" collagen_total_rel)

run_examples() { # run_examples LABEL DIR: the three examples in DIR against the references
    local label=$1 dir=$2
    "$dir/run_scenario" >"$tmp/$label.run" 2>&1
    check "$label: run_scenario exits 0" test $? -eq 0
    check "$label: run_scenario prints the CLI's wrinkle_grade" \
        grep -q "^wrinkle_grade .* -> $expect_grade " "$tmp/$label.run"
    check "$label: run_scenario prints the CLI's collagen_total_rel" \
        grep -q "^collagen_total_rel .* -> $expect_collagen " "$tmp/$label.run"
    "$dir/timeseries" simulate.follow_up_weeks=2 >"$tmp/$label.ts" 2>&1
    check "$label: timeseries has a header and day rows" \
        bash -c "head -n 1 '$tmp/$label.ts' | grep -q '^day collagen_total_rel' && grep -q '^14 ' '$tmp/$label.ts'"
    "$dir/measure_gsf" "$tmp/ref/after.gsf" >"$tmp/$label.m" 2>&1
    check "$label: measure_gsf prints the CLI's Sa" \
        grep -q "^Sa_um $(grep -o '"Sa_um": [^,]*' "$tmp/ref/measure.json" | cut -d' ' -f2)\$" "$tmp/$label.m"
    "$dir/run_scenario" patient.age_years=230 >"$tmp/$label.err" 2>&1
    check "$label: a bad value gives the field's message" \
        bash -c "test \$? -ne 0 || true; grep -q 'patient.age_years: 230 is out of range' '$tmp/$label.err'"
}
"$root/bin/mnsim" measure --json "$tmp/ref/after.gsf" >"$tmp/ref/measure.json" 2>&1

# pkg-config, shared: nothing but -lmnsim to link, and libmnsim.so.0 the only mnsim library.
libs=$(pkg-config --libs mnsim | xargs)
check "pkg-config --libs is -L... -lmnsim only ($libs)" test "${libs% -lmnsim}" = "-L$(pkg-config --variable=libdir mnsim)"
mkdir -p "$tmp/pc" "$tmp/pcs"
for ex in run_scenario timeseries measure_gsf; do
    # shellcheck disable=SC2046
    cc -std=c17 -Wall -Wextra -Werror "$src/examples/api/$ex.c" $(pkg-config --cflags --libs mnsim) \
        -o "$tmp/pc/$ex" 2>"$tmp/pc/$ex.log"
    check "pkg-config: $ex builds" test $? -eq 0
    check "pkg-config: $ex needs libmnsim.so.0" bash -c "readelf -d '$tmp/pc/$ex' | grep -q 'NEEDED.*libmnsim.so.0'"
    # --static: libmnsim.a and what Requires.private / Libs.private name.
    # shellcheck disable=SC2046
    cc -std=c17 -Wall -Wextra -Werror "$src/examples/api/$ex.c" $(pkg-config --cflags mnsim) \
        $(pkg-config --static --libs mnsim | sed "s|-lmnsim|$root/$lib/libmnsim.a|") \
        -o "$tmp/pcs/$ex" 2>"$tmp/pcs/$ex.log"
    check "pkg-config --static: $ex builds" test $? -eq 0
    check "pkg-config --static: $ex has no libmnsim.so" bash -c "! readelf -d '$tmp/pcs/$ex' | grep -q libmnsim"
done
run_examples pkgconfig "$tmp/pc"
run_examples pkgconfig-static "$tmp/pcs"

# find_package(mnsim): mnsim::mnsim and mnsim::mnsim_static.
for kind in shared static; do
    static=OFF
    [ $kind = static ] && static=ON
    cmake -S "$src/examples/api" -B "$tmp/cm-$kind" -DCMAKE_PREFIX_PATH="$root" \
        -DMNSIM_STATIC=$static -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" >"$tmp/cm-$kind.log" 2>&1 &&
        cmake --build "$tmp/cm-$kind" >>"$tmp/cm-$kind.log" 2>&1
    check "find_package(mnsim) $kind: examples build" test $? -eq 0 || tail -20 "$tmp/cm-$kind.log"
    run_examples "cmake-$kind" "$tmp/cm-$kind"
done
check "mnsim::mnsim links the shared library" bash -c "readelf -d '$tmp/cm-shared/run_scenario' | grep -q 'NEEDED.*libmnsim.so.0'"
check "mnsim::mnsim_static links the static library" bash -c "! readelf -d '$tmp/cm-static/run_scenario' | grep -q libmnsim"

# The installed CLI finds the installed studies, not the source tree's: run from another
# directory, MNSIM_STUDIES unset.
"$root/bin/mnsim" validate --help >"$tmp/vhelp" 2>&1
check "validate's default is the installed studies" grep -q "default: $root/bin/../share/mnsim/studies" "$tmp/vhelp"
"$root/bin/mnsim" validate --json >"$tmp/v.json" 2>"$tmp/v.err"
check "installed mnsim validate passes (exit $?: $(head -c 300 "$tmp/v.err"))" grep -q '"calibrated_misses": 0' "$tmp/v.json"
for f in "$root"/share/mnsim/studies/*.yaml; do
    name=$(basename "$f" .yaml)
    check "validate ran installed study $name" grep -q "\"study\": \"$name\"" "$tmp/v.json"
done
mv "$root/share/mnsim/studies" "$root/share/mnsim/hidden"
"$root/bin/mnsim" validate >"$tmp/v2" 2>&1
check "without installed studies validate fails, naming their folder" grep -q "$root/bin/../share/mnsim/studies" "$tmp/v2"
mv "$root/share/mnsim/hidden" "$root/share/mnsim/studies"

# The installed Python module under the system python3 finds the installed library.
if /usr/bin/python3 -c 'import json' 2>/dev/null; then
    out=$(env -u LD_LIBRARY_PATH PYTHONPATH="$root/lib/python3/dist-packages" /usr/bin/python3 -c \
        'import mnsim; print(mnsim.library_path); print("%.10g" % mnsim.run({})["observables"]["wrinkle_grade"]["final"])' 2>&1)
    check "installed Python module uses the installed library" bash -c "echo '$out' | head -n 1 | grep -q '^$root/$lib/libmnsim.so.0$'"
    check "installed Python module runs" test "$(echo "$out" | tail -n 1)" = "$expect_grade"
fi

[ $fails -eq 0 ] && echo "ok: install" || echo "$fails failures"
exit $((fails > 0))
