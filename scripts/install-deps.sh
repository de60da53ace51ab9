#!/usr/bin/env bash
# Installs the Debian packages mnsim needs to build and test, only those missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
set -euo pipefail
required=(build-essential cmake pkg-config libyaml-dev libjansson-dev libpng-dev libjpeg-dev
          libgsl-dev libcmocka-dev zlib1g-dev)
optional=(libopenmpi-dev openmpi-bin valgrind python3-numpy chromium nodejs npm)
want=("${required[@]}")
if [ "${1:-}" = "--all" ]; then want+=("${optional[@]}"); fi
missing=()
for p in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "mnsim: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "mnsim: missing Debian packages. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
