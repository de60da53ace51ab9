#!/usr/bin/env bash
# Installs what mnsim needs, only what is missing. As root it runs apt-get; otherwise it prints
# the exact command to run.
#
#   scripts/install-deps.sh          what `make build` and `make run` need
#   scripts/install-deps.sh --test   everything the tests use (`make test`): the build packages,
#                                    clang, Open MPI, valgrind, numpy, pandas, pytest, libgwyddion
#                                    (the reference for test_measure_gwyddion; its headers need
#                                    GLib's), VTK's Python module (python3-vtk9, the .vti reader
#                                    test), Chromium, Node.js and npm, and the browser test's npm
#                                    packages
#                                    (tests/browser, `npm ci` from the npm registry)
#   scripts/install-deps.sh --bench  the build packages and what `make bench` adds: SUNDIALS
#                                    (libsundials-dev: CVODE, the column model's peer)
#   (--all is the same as --test plus --bench)
#
# The tests themselves never install anything and never reach the network: a test whose tool is
# missing skips with a note, and under CI=true fails. A tool counts as present when dpkg has its
# package or, for commands, when the command is on the PATH (a machine may carry Node.js and npm
# from elsewhere, which conflict with Debian's npm package).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=(build-essential cmake pkg-config libyaml-dev libjansson-dev libpng-dev libjpeg-dev
       libgsl-dev libcmocka-dev zlib1g-dev libmicrohttpd-dev python3)
test=(clang libopenmpi-dev openmpi-bin valgrind python3-numpy python3-pandas python3-pytest
      libgwyddion20-dev libglib2.0-dev python3-vtk9 chromium nodejs npm)
bench=(libsundials-dev)

mode=build
case ${1:-} in
    --test) mode=test ;;
    --bench) mode=bench ;;
    --all) mode=all ;;
    "") ;;
    *) echo "usage: install-deps.sh [--test | --bench | --all]" >&2; exit 2 ;;
esac

present() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" && return 0
    case $1 in
        nodejs) command -v node ;;
        npm) command -v npm ;;
        chromium) command -v chromium ;;
        openmpi-bin) command -v mpirun ;;
        valgrind) command -v valgrind ;;
        clang) command -v clang ;;
        *) false ;;
    esac >/dev/null 2>&1
}
missing_of() {
    local p
    for p in "$@"; do present "$p" || echo "$p"; done
}

wanted=("${build[@]}")
case $mode in test) wanted+=("${test[@]}") ;; bench) wanted+=("${bench[@]}") ;;
    all) wanted+=("${test[@]}" "${bench[@]}") ;; esac
mapfile -t need < <(missing_of "${wanted[@]}")

if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "mnsim: missing Debian packages. Run:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
        mapfile -t need_build < <(missing_of "${build[@]}")
        # Without the build packages nothing works; without a test tool its tests skip.
        [ ${#need_build[@]} -gt 0 ] && exit 1
    else
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        echo "mnsim: installing ${need[*]}" >&2
        apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    fi
fi

# The browser test's packages (playwright-core, pinned by tests/browser/package-lock.json).
if { [ $mode = test ] || [ $mode = all ]; } && [ ! -d "$src/tests/browser/node_modules/playwright-core" ]; then
    if command -v npm >/dev/null; then
        echo "mnsim: npm ci in tests/browser (playwright-core)" >&2
        (cd "$src/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
    else
        echo "mnsim: npm is missing: cannot install tests/browser's packages" >&2
    fi
fi
exit 0
