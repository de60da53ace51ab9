#!/usr/bin/env bash
# The generated references in docs/ match what the code prints (they cannot drift).
set -u
mnsim=$1
src=$2
if ! diff -u "$src/docs/scenario.md" <("$mnsim" schema); then
    echo "FAIL - docs/scenario.md is stale: run 'build/mnsim schema > docs/scenario.md'"
    exit 1
fi
echo "ok - docs/scenario.md matches mnsim schema"
"$mnsim" params >/tmp/mnsim-params.$$ || exit 1
if ! "$mnsim" run --quiet --params /tmp/mnsim-params.$$ --out /tmp/mnsim-params-out.$$ \
    --set output.images=false --set simulate.follow_up_weeks=1; then
    echo "FAIL - mnsim params output does not read back"
    rm -rf /tmp/mnsim-params.$$ /tmp/mnsim-params-out.$$
    exit 1
fi
rm -rf /tmp/mnsim-params.$$ /tmp/mnsim-params-out.$$
echo "ok - mnsim params reads back with --params"
