# Shared by the hardening CLI tests (sourced, not a test itself: CTest runs tests/cli/*.sh).
# Sets mnsim, src, tmp (removed on exit), fails; check NAME CMD..., expect NAME CODE PATTERN ARGS...
mnsim=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MNSIM_NO_PROGRESS=1
fails=0
check() { # check NAME CONDITION...
    local name=$1
    shift
    if "$@"; then echo "ok - $name"; else echo "FAIL - $name"; fails=$((fails + 1)); fi
}
expect() { # expect NAME CODE PATTERN ARGS... : exit code CODE and PATTERN on stderr (300 s at most)
    local name=$1 code=$2 pattern=$3
    shift 3
    timeout 300 "$mnsim" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" -eq "$code" ] && grep -q -- "$pattern" "$tmp/err"; then
        echo "ok - $name"
    else
        echo "FAIL - $name (exit $rc, stderr: $(cat "$tmp/err"))"
        fails=$((fails + 1))
    fi
}
