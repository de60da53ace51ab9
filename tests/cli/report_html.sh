#!/usr/bin/env bash
# `mnsim run` writes the four pictures, the two height maps and report.html; the report opens in
# headless Chromium with no console errors and no network access, its images decode and its
# before/after slider drags (tests/browser/report.test.mjs, playwright-core driving Debian's
# chromium). Skips only when chromium is missing and cannot be installed.
# usage: report_html.sh MNSIM_BINARY SOURCE_DIR
set -euo pipefail
mnsim=$1
src=$2
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

chromium=${CHROMIUM:-$(command -v chromium || true)}
if [ -z "$chromium" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "report_html: installing chromium (Debian package)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
        >/dev/null 2>&1 || true
    chromium=$(command -v chromium || true)
fi
if [ -z "$chromium" ]; then
    echo "SKIP: chromium is not installed and cannot be installed here" \
        "(run: sudo apt-get install chromium nodejs npm, or scripts/install-deps.sh --all)"
    exit 0
fi
command -v node >/dev/null || fail "node is needed to drive chromium (Debian package nodejs)"
browser="$src/tests/browser"
if [ ! -d "$browser/node_modules/playwright-core" ]; then
    command -v npm >/dev/null || fail "npm is needed to install playwright-core (Debian package npm)"
    (cd "$browser" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in $browser"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$mnsim" run --out "$tmp/out" --quiet || fail "mnsim run"
for f in before.png day1.png after.png before_after.png before.gsf after.gsf report.html; do
    [ -s "$tmp/out/$f" ] || fail "$f not written"
done
grep -q "not a medical" "$tmp/out/report.html" || fail "report.html lacks the research-simulation note"
if grep -Eq '(src|href)="https?:' "$tmp/out/report.html"; then
    fail "report.html refers to a network resource"
fi
CHROMIUM=$chromium node "$browser/report.test.mjs" "$tmp/out/report.html" "$tmp/shot.png" ||
    fail "report.html in chromium"
[ -s "$tmp/shot.png" ] || fail "no screenshot"
cp "$tmp/shot.png" report_html_screenshot.png 2>/dev/null || true
echo "ok: report_html (screenshot: $(pwd)/report_html_screenshot.png)"
