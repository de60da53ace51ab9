#!/usr/bin/env bash
# Does `make run` and then `make test` work on a fresh Debian 12 machine? Debootstraps a minimal
# bookworm root (variant minbase, from the Debian mirror this machine's apt uses), copies a clean
# `git archive` of HEAD into it and runs both inside a chroot with CI=true (so a test whose tool
# is missing fails instead of skipping). The only packages added before `make run` are make and
# ca-certificates (minbase has neither; a standard Debian install has both; README "Requirements").
#
# usage (as root): scripts/pristine-check.sh [DIR]      (default /var/tmp/mnsim-pristine)
# DIR/base is the debootstrapped root, kept and reused (MNSIM_PRISTINE_FRESH=1 redoes it);
# every check runs in a fresh copy DIR/run. Logs: DIR/run.log, DIR/test.log.
# Prints "make run: PASS|FAIL" and "make test: PASS|FAIL"; exits 0 only when both pass.
set -uo pipefail
dir=${1:-/var/tmp/mnsim-pristine}
src=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "pristine-check: run as root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null ||
    { echo "pristine-check: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }

# The Debian mirror of bookworm in /etc/apt/sources.list or a deb822 .sources file.
mirror_of_host() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'BEGIN { RS = ""; FS = "\n" }
             /Suites:[^\n]*bookworm( |$|\n)/ && !/security/ {
                 for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { split($i, a, " "); print a[2]; exit } }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' "$f"
    done
}
mirror=$(mirror_of_host | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}
echo "pristine-check: mirror $mirror, root $dir"

base=$dir/base
run=$dir/run
mkdir -p "$dir"
if [ "${MNSIM_PRISTINE_FRESH:-0}" = 1 ] || [ ! -e "$base/.mnsim-debootstrap-done" ]; then
    rm -rf "$base"
    echo "pristine-check: debootstrap bookworm (minbase) into $base"
    debootstrap --variant=minbase bookworm "$base" "$mirror" >"$dir/debootstrap.log" 2>&1 ||
        { echo "pristine-check: debootstrap failed (see $dir/debootstrap.log)" >&2; exit 2; }
    touch "$base/.mnsim-debootstrap-done"
fi

cleanup() {
    local m
    for m in dev/shm dev/pts dev sys proc; do
        mountpoint -q "$run/$m" 2>/dev/null && umount -l "$run/$m"
    done
}
trap cleanup EXIT
cleanup
rm -rf "$run"
cp -a "$base" "$run"
# The same Debian suites as this machine (updates and security too), else the mirror alone.
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    rm -f "$run/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/debian.sources "$run/etc/apt/sources.list.d/"
else
    echo "deb $mirror bookworm main" >"$run/etc/apt/sources.list"
fi
cp /etc/resolv.conf "$run/etc/resolv.conf"
# This machine's local CA certificates (e.g. of a TLS-intercepting egress proxy) go along, so npm
# reaches its registry from the root as it does from here; update-ca-certificates adds them once
# ca-certificates is installed below.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$run/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$run/usr/local/share/ca-certificates/"
fi
mkdir -p "$run/src"
git -C "$src" archive HEAD | tar -x -C "$run/src"
echo "pristine-check: $(git -C "$src" rev-parse --short HEAD) copied to $run/src"

mount -t proc proc "$run/proc"
mount -t sysfs sys "$run/sys"
mount --bind /dev "$run/dev"
mount -t devpts devpts "$run/dev/pts" 2>/dev/null || true
mount -t tmpfs tmpfs "$run/dev/shm"

inside() { # inside LOG COMMAND: runs COMMAND in the chroot with a clean environment
    chroot "$run" /usr/bin/env -i HOME=/root TERM=dumb CI=true LANG=C.UTF-8 \
        NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        bash -c "cd /src && $2" >"$1" 2>&1
}
status=0
if inside "$dir/run.log" 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make ca-certificates >/dev/null && update-ca-certificates >/dev/null && make run'; then
    echo "make run: PASS"
else
    echo "make run: FAIL (see $dir/run.log)"
    status=1
fi
if inside "$dir/test.log" 'make test'; then
    echo "make test: PASS"
else
    echo "make test: FAIL (see $dir/test.log)"
    status=1
fi
grep -E "tests passed|tests failed" "$dir/test.log" || true
exit $status
