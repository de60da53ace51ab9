# Shared by the browser tests (sourced, not a test itself): fail, missing, and the tools a
# browser test needs. After sourcing: $chromium (Debian's chromium or $CHROMIUM) and $browser
# (tests/browser, where playwright-core lives). The tests install nothing:
# scripts/install-deps.sh --test (run by `make test`) does. A missing tool skips the test
# (exit 77, CTest's SKIP_RETURN_CODE) or, under CI=true, fails it.
# usage: . lib/browser.sh SOURCE_DIR
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
missing() {
    if [ "${CI:-}" = true ]; then fail "$* (CI=true: every test tool must be installed)"; fi
    echo "SKIP: $* (run scripts/install-deps.sh --test)"
    exit 77
}
chromium=${CHROMIUM:-$(command -v chromium || true)}
[ -n "$chromium" ] && [ -x "$chromium" ] || missing "chromium is not installed (or CHROMIUM=$chromium is not executable)"
command -v node >/dev/null || missing "node is not installed (Debian package nodejs)"
browser="$1/tests/browser"
[ -d "$browser/node_modules/playwright-core" ] ||
    missing "playwright-core is not installed in $browser (npm ci there)"
