#!/usr/bin/env bash
# The HTTP API of `mnsim serve` on a free port (tests/serve_api.py): schema, run, field errors,
# YAML, measure uploads, pictures, path traversal, form posts, limits, concurrent clients and
# hundreds of malformed requests; then SIGTERM stops it cleanly (exit 0).
# usage: serve_api.sh MNSIM_BINARY SOURCE_DIR
set -euo pipefail
mnsim=$1
src=$2
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
tmp=$(mktemp -d)
. "$src/tests/serve_start.sh"
trap 'serve_stop || true; rm -rf "$tmp"' EXIT
"$mnsim" serve --help | grep -q -- "--listen" || fail "serve --help"
"$mnsim" --help | grep -q "serve" || fail "serve missing from mnsim --help"
if "$mnsim" serve --port 70000 2>"$tmp/err"; then fail "port 70000 accepted"; fi
grep -q "port" "$tmp/err" || fail "bad port message"
if "$mnsim" serve --listen nowhere 2>"$tmp/err"; then fail "--listen nowhere accepted"; fi
grep -q "not a numeric" "$tmp/err" || fail "bad address message"

# A small height map and photo to upload: the run's own pictures at 80 µm.
"$mnsim" run --quiet --out "$tmp/run" --set simulate.follow_up_weeks=1 >/dev/null || fail "mnsim run"
serve_start "$mnsim" "$tmp" || fail "mnsim serve did not start"
grep -q "127.0.0.1" "$tmp/serve.out" || fail "not on loopback: $(cat "$tmp/serve.out")"
if grep -q "warning" "$tmp/serve.err"; then fail "warning on loopback"; fi
python3 - "$SERVE_PORT" "$tmp/photo.png" <<'PY' || fail "preview picture"
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
req = urllib.request.Request(base + "/api/run", data=b"{}", headers={"Content-Type": "application/json"})
run = json.load(urllib.request.urlopen(req, timeout=60))
open(sys.argv[2], "wb").write(urllib.request.urlopen(base + run["images"]["after"], timeout=60).read())
PY
python3 "$src/tests/serve_api.py" "$SERVE_PORT" "$tmp/run/after.gsf" "$tmp/photo.png" \
    "$src/fuzz/corpus" || fail "API"
serve_stop || fail "mnsim serve did not exit cleanly on SIGTERM"

# --listen elsewhere warns.
serve_start "$mnsim" "$tmp" --listen 0.0.0.0 || fail "serve --listen 0.0.0.0"
grep -q "warning: listening on 0.0.0.0" "$tmp/serve.err" || fail "no warning for --listen 0.0.0.0"
serve_stop || fail "stop after --listen"
echo "ok: serve_api"
