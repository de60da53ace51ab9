#!/usr/bin/env bash
# The page of `mnsim serve` in headless Chromium (tests/browser/serve.test.mjs, playwright-core
# driving Debian's chromium): controls, runs, pictures, slider, A/B, range, URL state, a bad
# value's message, no console errors; the screenshot is left as serve_screenshot.png in the
# build directory (docs/serve.png is one). Needs chromium, node and tests/browser/node_modules
# (scripts/install-deps.sh --test installs them; the test never installs anything): without
# them it skips (exit 77), and under CI=true it fails (tests/cli/lib/browser.sh).
# usage: serve_browser.sh MNSIM_BINARY SOURCE_DIR
set -euo pipefail
mnsim=$1
src=$2
. "$src/tests/cli/lib/browser.sh" "$src"

tmp=$(mktemp -d)
. "$src/tests/serve_start.sh"
trap 'serve_stop || true; rm -rf "$tmp"' EXIT
serve_start "$mnsim" "$tmp" || fail "mnsim serve did not start"
CHROMIUM=$chromium node "$browser/serve.test.mjs" "$SERVE_URL" "$tmp/shot.png" || fail "the page in chromium"
[ -s "$tmp/shot.png" ] || fail "no screenshot"
cp "$tmp/shot.png" serve_screenshot.png 2>/dev/null || true
serve_stop || fail "mnsim serve did not exit cleanly on SIGTERM"
echo "ok: serve_browser (screenshot: $(pwd)/serve_screenshot.png)"
