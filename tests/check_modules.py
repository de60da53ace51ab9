#!/usr/bin/env python3
"""The module rule of docs/architecture.md, checked on the sources and on the built objects.

usage: check_modules.py BUILD/modules.txt SOURCE_DIR

modules.txt (written by CMake) has one line a module:
    name;dep,dep,...;public headers owned;internal headers;object files
The rule:
  1. The declared dependency graph has no cycle.
  2. A file in src/A/ includes "mnsim/X.h" only if X.h is owned by A or by a module A depends
     on (directly or through others), and "B/Y.h" (B != A) only if A depends on B and Y.h is
     one of B's internal headers; every other header in src/B/ is private to B.
  3. Every mn_ symbol an object of module A uses but does not define is defined by A or by a
     module A depends on (read with nm from the objects the build made).
  4. Every public header has an owner, and every header in src/ exists where declared.
Prints every violation and exits 1 if there is any, 0 otherwise.
"""
import os
import re
import subprocess
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def load(path):
    mods = {}
    order = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            name, deps, hdrs, internal, objs = line.split(";", 4)
            split = lambda s: [x for x in s.split(",") if x]
            mods[name] = {
                "deps": split(deps),
                "headers": split(hdrs),
                "internal": split(internal),
                "objects": split(objs),
            }
            order.append(name)
    return mods, order


def find_cycle(mods):
    """A cycle of the declared graph as a list of names, or None."""
    state = {}
    stack = []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for d in mods[m]["deps"]:
            if d not in mods:
                continue
            if state.get(d) == 1:
                return stack[stack.index(d):] + [d]
            if d not in state:
                c = visit(d)
                if c:
                    return c
        stack.pop()
        state[m] = 2
        return None

    for m in mods:
        if m not in state:
            c = visit(m)
            if c:
                return c
    return None


def closure(mods, m):
    seen = set()
    todo = list(mods[m]["deps"])
    while todo:
        d = todo.pop()
        if d in seen or d not in mods:
            continue
        seen.add(d)
        todo.extend(mods[d]["deps"])
    return seen


def nm_symbols(obj):
    out = subprocess.run(["nm", obj], check=True, capture_output=True, text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBRCVWGSi":
            defined.add(parts[2])
    return defined, undefined


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    mods, order = load(argv[1])
    src = argv[2]
    errors = []

    for name, unknown in ((m, d) for m in mods for d in mods[m]["deps"] if d not in mods):
        errors.append(f"module {name}: depends on unknown module {unknown}")
    cycle = find_cycle(mods)
    if cycle:
        errors.append("dependency cycle: " + " -> ".join(cycle))

    owner = {}
    for m in mods:
        for h in mods[m]["headers"]:
            if h in owner:
                errors.append(f"include/mnsim/{h}: owned by both {owner[h]} and {m}")
            owner[h] = m
            if not os.path.isfile(os.path.join(src, "include", "mnsim", h)):
                errors.append(f"module {m}: public header include/mnsim/{h} does not exist")
        for h in mods[m]["internal"]:
            if not os.path.isfile(os.path.join(src, "src", m, h)):
                errors.append(f"module {m}: internal header src/{m}/{h} does not exist")
    for h in sorted(os.listdir(os.path.join(src, "include", "mnsim"))):
        if h.endswith(".h") and h not in owner:
            errors.append(f"include/mnsim/{h}: no module owns it (mn_module HEADERS)")

    # 2. includes
    for m in order:
        allowed = closure(mods, m) | {m}
        mdir = os.path.join(src, "src", m)
        for fn in sorted(os.listdir(mdir)):
            if not fn.endswith((".c", ".h")):
                continue
            path = os.path.join(mdir, fn)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                if "/" not in inc:
                    continue
                top, rest = inc.split("/", 1)
                rel = f"src/{m}/{fn}"
                if top == "mnsim":
                    o = owner.get(rest)
                    if o is None:
                        errors.append(f"{rel}: includes {inc}, which no module owns")
                    elif o not in allowed:
                        errors.append(f"{rel}: includes {inc} of module {o}, "
                                      f"which {m} does not depend on")
                elif top == m:
                    continue
                elif top in mods:
                    if top not in allowed:
                        errors.append(f"{rel}: includes {inc} of module {top}, "
                                      f"which {m} does not depend on")
                    elif rest not in mods[top]["internal"]:
                        errors.append(f"{rel}: includes {inc}, a private header of module {top}")
                # other includes (e.g. cli/...) are outside the library's modules

    # 3. symbols
    defs = {}
    undef = {}
    for m in order:
        d_all, u_all = set(), set()
        for obj in mods[m]["objects"]:
            d, u = nm_symbols(obj)
            d_all |= d
            u_all |= u
        defs[m] = d_all
        undef[m] = u_all
    where = {}
    for m in order:
        for s in defs[m]:
            where.setdefault(s, m)
    for m in order:
        allowed = closure(mods, m) | {m}
        for s in sorted(undef[m]):
            if not s.startswith("mn_"):
                continue
            o = where.get(s)
            if o is None:
                errors.append(f"module {m}: uses {s}, which no module defines")
            elif o not in allowed and s not in defs[m]:
                errors.append(f"module {m}: uses {s} of module {o}, which {m} does not depend on")

    for e in errors:
        print("FAIL -", e)
    print(f"{len(mods)} modules, {sum(len(v['deps']) for v in mods.values())} declared "
          f"dependencies, {len(errors)} violations")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
