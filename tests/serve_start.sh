# Sourced by the serve tests: starts `mnsim serve --port 0` in the background and waits for the
# line with its URL. Sets SERVE_PID, SERVE_PORT, SERVE_URL; serve_stop sends SIGTERM and waits
# for a clean exit (status 0). usage: serve_start MNSIM_BINARY LOG_DIR [ARGS...]
serve_start() {
    local mnsim=$1 dir=$2
    shift 2
    # Emptied here, not by the child's redirection: the loop below could otherwise read an
    # earlier server's URL before the child has truncated the file (seen under load).
    : >"$dir/serve.out"
    : >"$dir/serve.err"
    "$mnsim" serve --port 0 "$@" >>"$dir/serve.out" 2>>"$dir/serve.err" &
    SERVE_PID=$!
    for _ in $(seq 1 100); do
        SERVE_PORT=$(sed -n 's|^mnsim serve: http://[^ ]*:\([0-9][0-9]*\)/ .*|\1|p' "$dir/serve.out")
        [ -n "$SERVE_PORT" ] && break
        kill -0 "$SERVE_PID" 2>/dev/null || { cat "$dir/serve.err" >&2; return 1; }
        sleep 0.1
    done
    [ -n "$SERVE_PORT" ] || return 1
    SERVE_URL="http://127.0.0.1:$SERVE_PORT/"
}

serve_stop() {
    [ -n "${SERVE_PID:-}" ] || return 0
    kill -TERM "$SERVE_PID" 2>/dev/null || return 0
    local status=0
    wait "$SERVE_PID" || status=$?
    SERVE_PID=
    return $status
}
