#!/usr/bin/env bash
# The README's tour runs as written: every command of its numbered steps (the ```sh blocks and
# the inline `build/mnsim ...` commands), from a directory laid out like the source tree
# (build/ linked in, examples/ copied), exits 0; `make run` is run as the Makefile's recipe
# (make itself would install packages first); every `mnsim-out/...` file the tour names is
# there afterwards; and nothing is written outside mnsim-out/, which .gitignore ignores.
# `build/mnsim serve` (a server that does not exit) is left to cli_serve_api.
# usage: readme.sh MNSIM_BINARY SOURCE_DIR
set -u
. "$(dirname "$0")/lib/common.sh"
root=$tmp/root
mkdir -p "$root"
ln -s "$(cd "$(dirname "$mnsim")" && pwd)" "$root/build"
# A copy: mnsim opens scenario files without following symbolic links.
cp -r "$src/examples" "$root/examples"

# The tour: from "## A 5-minute tour" to the next "## " heading.
python3 - "$src/README.md" "$src/Makefile" >"$tmp/commands" 2>"$tmp/extract.err" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
tour = text.split("## A 5-minute tour", 1)[1].split("\n## ", 1)[0]
recipe = re.search(r"^run: .*\n\t(.+)$", open(sys.argv[2]).read(), re.M).group(1)
recipe = recipe.replace("./$(BUILD)/", "build/")
cmds = []
for block in re.findall(r"```sh\n(.*?)```", tour, re.S):
    for line in block.splitlines():
        line = line.split("#")[0].strip()
        if line:
            cmds.append(recipe if line == "make run" else line)
prose = re.sub(r"```sh\n.*?```", "", tour, flags=re.S)
for span in re.findall(r"`([^`]+)`", prose):
    span = " ".join(span.split())
    if span.startswith("build/mnsim ") and span != "build/mnsim serve":
        cmds.append(span)
assert cmds[0] == recipe and len(cmds) >= 10, cmds
for c in cmds:
    print(c)
PY
check "the tour's commands extracted ($(head -c 300 "$tmp/extract.err"))" test -s "$tmp/commands"
while IFS= read -r cmd; do
    # shellcheck disable=SC2086 # the README's words, as a shell would split them
    (cd "$root" && MNSIM_NO_PROGRESS=1 timeout 300 $cmd) >"$tmp/step.out" 2>&1 </dev/null
    rc=$?
    why=""
    [ $rc -eq 0 ] || why=" (exit $rc: $(tail -c 300 "$tmp/step.out"))"
    check "README: $cmd$why" test $rc -eq 0
    case $cmd in *measure*) cp "$tmp/step.out" "$tmp/measure.out" ;; esac
done <"$tmp/commands"
check "README step 6 measured both maps" grep -q "mnsim-out/before.gsf" "$tmp/measure.out"

# The files the tour names under mnsim-out/ exist.
grep -o 'mnsim-out/[A-Za-z0-9_.-]*\.[a-z]*' "$src/README.md" | sort -u >"$tmp/named"
check "the tour names files under mnsim-out/" test -s "$tmp/named"
while IFS= read -r f; do
    check "README names $f, and the tour wrote it" test -s "$root/$f"
done <"$tmp/named"

# Outputs stay in mnsim-out/ (besides build/ and examples/), and .gitignore ignores it at any depth.
extra=$(cd "$root" && ls -A | grep -vx -e build -e examples -e mnsim-out)
check "nothing written outside mnsim-out/ (${extra:-none})" test -z "$extra"
check ".gitignore ignores mnsim-out/" grep -qx "mnsim-out/" "$src/.gitignore"

[ $fails -eq 0 ] && echo "ok: readme" || echo "$fails failures"
exit $((fails > 0))
