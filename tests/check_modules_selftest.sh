#!/usr/bin/env bash
# The module checker must fail on what it forbids: a cycle, a private header of another module,
# a public header of a module not depended on, and a symbol of a module not depended on.
set -u
checker=$1 # tests/check_modules.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
mkdir -p "$tmp/src/a" "$tmp/src/b" "$tmp/include/mnsim"
touch "$tmp/include/mnsim/a.h" "$tmp/include/mnsim/b.h" "$tmp/src/b/b_impl.h" "$tmp/src/b/b_api.h"
cc=${CC:-cc}
printf 'int mn_b_thing(void) { return 1; }\n' >"$tmp/src/b/b.c"
expect() { # expect NAME STATUS PATTERN
    python3 "$checker" "$tmp/modules.txt" "$tmp" >"$tmp/out" 2>&1
    local rc=$?
    if [ "$rc" -eq "$2" ] && grep -q -- "$3" "$tmp/out"; then
        echo "ok - $1"
    else
        echo "FAIL - $1 (exit $rc): $(cat "$tmp/out")"
        fails=$((fails + 1))
    fi
}
build() { # build A_SOURCE
    printf '%s\n' "$1" >"$tmp/src/a/a.c"
    "$cc" -c "$tmp/src/a/a.c" -o "$tmp/a.o" -I"$tmp/src" -I"$tmp/include" &&
        "$cc" -c "$tmp/src/b/b.c" -o "$tmp/b.o"
}
graph() { # graph A_DEPS B_DEPS
    printf 'b;%s;b.h;b_api.h;%s\na;%s;a.h;;%s\n' "$2" "$tmp/b.o" "$1" "$tmp/a.o" >"$tmp/modules.txt"
}
build '#include "b/b_api.h"
int mn_b_thing(void); int mn_a(void) { return mn_b_thing(); }'
graph b ""
expect "a clean graph passes" 0 "0 violations"
graph b a
expect "a cycle fails" 1 "dependency cycle"
build '#include "b/b_impl.h"
int mn_a(void) { return 0; }'
graph b ""
expect "a private header of another module fails" 1 "private header of module b"
build '#include "mnsim/b.h"
int mn_b_thing(void); int mn_a(void) { return mn_b_thing(); }'
graph "" ""
expect "a public header of a module not depended on fails" 1 "does not depend on"
build 'int mn_b_thing(void); int mn_a(void) { return mn_b_thing(); }'
graph "" ""
expect "a symbol of a module not depended on fails" 1 "uses mn_b_thing of module b"
exit $((fails > 0))
