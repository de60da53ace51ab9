#!/usr/bin/env bash
# Installs the Debian packages mnsim needs to build and test, only those missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
# `--all` adds the optional tools (MPI, valgrind, numpy cross-check, Chromium + Node.js for the
# report's browser test): those are installed one by one and a failure is a warning, because a
# machine may already carry them from elsewhere (e.g. Node.js and npm not from Debian, which
# conflict with Debian's npm package); the tests that need them say so and skip.
set -euo pipefail
required=(build-essential cmake pkg-config libyaml-dev libjansson-dev libpng-dev libjpeg-dev
          libgsl-dev libcmocka-dev zlib1g-dev libmicrohttpd-dev python3)
optional=(libopenmpi-dev openmpi-bin valgrind python3-numpy chromium nodejs npm clang)

# A package counts as present when dpkg has it or, for tools, when its command is on the PATH.
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

# The browser tests' playwright-core (tests/browser/package-lock.json), from the npm registry,
# with --all: the tests never install anything themselves.
browser_modules() {
    local dir
    dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
    [ -d "$dir/node_modules/playwright-core" ] && return 0
    command -v npm >/dev/null || { echo "mnsim: warning: npm missing; browser tests cannot run" >&2; return 0; }
    echo "mnsim: installing playwright-core into tests/browser/node_modules (npm ci)" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) ||
        echo "mnsim: warning: npm ci in tests/browser failed; browser tests cannot run" >&2
}

mapfile -t need < <(missing_of "${required[@]}")
extra=()
if [ "${1:-}" = "--all" ]; then mapfile -t extra < <(missing_of "${optional[@]}"); fi
if [ ${#need[@]} -eq 0 ] && [ ${#extra[@]} -eq 0 ]; then
    [ "${1:-}" = "--all" ] && browser_modules
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "mnsim: missing Debian packages. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${need[*]} ${extra[*]}" >&2
    [ ${#need[@]} -eq 0 ] && exit 0
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ ${#need[@]} -gt 0 ]; then
    echo "mnsim: installing ${need[*]}" >&2
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
for p in "${extra[@]}"; do
    echo "mnsim: installing optional $p" >&2
    if ! apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1; then
        echo "mnsim: warning: could not install optional package $p; tests that need it skip" >&2
    fi
done
[ "${1:-}" = "--all" ] && browser_modules
exit 0
