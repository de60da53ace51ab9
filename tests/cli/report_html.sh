#!/usr/bin/env bash
# `mnsim run` writes the four pictures, the two height maps and report.html; the report opens in
# headless Chromium with no console errors and no network access, its images decode and its
# before/after slider drags (tests/browser/report.test.mjs, playwright-core driving Debian's
# chromium). Skips (exit 77) when chromium, node or playwright-core is missing; fails instead
# under CI=true (tests/cli/lib/browser.sh).
# usage: report_html.sh MNSIM_BINARY SOURCE_DIR
set -euo pipefail
mnsim=$1
src=$2
. "$src/tests/cli/lib/browser.sh" "$src"

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
