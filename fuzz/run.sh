#!/usr/bin/env bash
# Builds the libFuzzer harnesses of the measure readers with clang (ASan + UBSan) and runs each
# for FUZZ_SECONDS (default 60) from the seed corpus in fuzz/corpus/<format>; FUZZ_FORMATS
# (default "gsf csv png jpeg gwy sdf") chooses the harnesses. New inputs go to
# build-fuzz/corpus-<format> (not the tracked corpus); crashes to build-fuzz/crash-<format>-*.
# Add a crash reproducer to fuzz/corpus/<format>/ once fixed: CTest replays the corpus.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build-fuzz"
secs="${FUZZ_SECONDS:-60}"
cc="${FUZZ_CC:-}"
if [ -z "$cc" ]; then
    for c in clang clang-14 clang-15 clang-16; do
        if command -v "$c" >/dev/null; then cc=$c; break; fi
    done
fi
[ -n "$cc" ] || { echo "fuzz: clang not found" >&2; exit 1; }
mkdir -p "$out"
srcs=("$root"/src/field/*.c "$root"/src/measure/*.c "$root/src/core/error.c" "$root/src/core/io.c")
version=$(sed -n 's/^project(mnsim VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
flags=(-std=c17 -DMNSIM_VERSION="\"$version\"" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root/include" -I"$root/src" -DMNSIM_HAVE_JPEG=1 $(pkg-config --cflags libpng jansson gsl))
libs=($(pkg-config --libs libpng jansson gsl) -ljpeg -lm)
status=0
for fmt in ${FUZZ_FORMATS:-gsf csv png jpeg gwy sdf}; do
    up=$(echo "$fmt" | tr a-z A-Z)
    bin="$out/fuzz_$fmt"
    echo "fuzz: building $bin" >&2
    "$cc" "${flags[@]}" -DFUZZ_FORMAT=MN_MEASURE_FORMAT_$up "$root/fuzz/fuzz_reader.c" \
        "${srcs[@]}" "${libs[@]}" -o "$bin"
    mkdir -p "$out/corpus-$fmt"
    echo "fuzz: running $fmt for ${secs}s" >&2
    if ! (cd "$out" && "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 \
            -artifact_prefix="$out/crash-$fmt-" "$out/corpus-$fmt" "$root/fuzz/corpus/$fmt"); then
        echo "fuzz: $fmt found a failure; see $out/crash-$fmt-*" >&2
        status=1
    fi
done
exit $status
