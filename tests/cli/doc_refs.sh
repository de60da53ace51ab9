#!/usr/bin/env bash
# Docs and comments cite files that exist in the repository: every repository path they name
# (docs/..., src/..., tests/..., ...), every relative Markdown link, and every literature row
# they cite (`[row_id]` in docs/, "targets.csv row_id" anywhere) is there, and nothing cites
# the design notes that lived outside the repository (MODEL.md, DESIGN.md, "DESIGN §",
# ../shared/). Placeholders (src/NAME, bench/bench_*) are not paths.
# usage: doc_refs.sh MNSIM_BINARY SOURCE_DIR
set -u
cd "$2" || exit 1
python3 - <<'PY'
import csv, os, re, sys

ids = {r["id"] for r in csv.DictReader(open("data/literature/targets.csv", encoding="utf-8"))}
exts = (".md", ".c", ".h", ".py", ".sh", ".yaml", ".txt", ".1", ".mjs", ".js", ".html", ".cmake")
files = []
for d, dirs, names in os.walk("."):
    dirs[:] = sorted(x for x in dirs if not (x.startswith("build") or x in (".git", "node_modules")))
    for n in sorted(names):
        if n.endswith(exts) or n in ("CMakeLists.txt", "Makefile"):
            files.append(os.path.relpath(os.path.join(d, n)))
top = "docs|src|tests|include|examples|data|scripts|bench|fuzz|tools|web|python|cmake"
path_re = re.compile(r"(?<![\w./${}-])((?:%s)/[\w./+-]*[\w/])(\*?)" % top)
outside_re = re.compile(r"MODEL\.md|DESIGN\.md|DESIGN §|\.\./shared/")
placeholder = re.compile(r"(^|/)([A-Z]+|[A-Z]+\.\w+)(/|$)")
bad, checked = [], 0
for f in files:
    if f == "tests/cli/doc_refs.sh":
        continue
    try:
        text = open(f, encoding="utf-8").read()
    except UnicodeDecodeError:
        continue
    for m in outside_re.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        bad.append(f"{f}:{line}: cites '{m.group(0)}', which is not in the repository")
    for m in path_re.finditer(text):
        p, glob = m.group(1), m.group(2)
        if glob or p.endswith(("_", "-")) or placeholder.search(p):
            continue
        checked += 1
        if not os.path.exists(p.rstrip("/")):
            line = text.count("\n", 0, m.start()) + 1
            bad.append(f"{f}:{line}: {p} does not exist")
    if f.endswith(".md"):
        for m in re.finditer(r"\]\(([^)#:\s]+)(#[^)]*)?\)", text):
            checked += 1
            if not os.path.exists(os.path.join(os.path.dirname(f), m.group(1))):
                line = text.count("\n", 0, m.start()) + 1
                bad.append(f"{f}:{line}: link {m.group(1)} does not exist")
    # Row ids have an underscore (barrier_48h_deep); "targets.csv lists ..." is prose.
    for m in re.finditer(r"targets\.csv[ `\]]+\(?([a-z][a-z0-9]*_[a-z0-9_]+)", text):
        checked += 1
        if m.group(1) not in ids:
            bad.append(f"{f}: targets.csv row {m.group(1)} is not in data/literature/targets.csv")
    if f.startswith("docs/"):
        for m in re.finditer(r"\[([a-z][a-z0-9]*_[a-z0-9_]+)\]", text):
            checked += 1
            if m.group(1) not in ids and m.group(1) != "row_id":  # the page's own placeholder
                bad.append(f"{f}: [{m.group(1)}] is not a row of data/literature/targets.csv")
for b in bad:
    print("FAIL -", b)
print(f"{checked} references in {len(files)} files checked, {len(bad)} failures")
# A checker that finds nothing to check is broken, not passing.
sys.exit(1 if bad or checked < 200 else 0)
PY
