#!/usr/bin/env python3
"""Draws the module graph of build/modules.txt as an SVG (docs/architecture.svg).

usage: module_graph.py BUILD/modules.txt OUT.svg

Modules are placed in the rows of ROWS (the chain, core at the bottom; a module not listed
goes one row above the highest module it uses);
each arrow points from a module to a module it uses, drawn only for the direct dependencies
that are not implied by another one (the transitive reduction), so the picture stays readable.
"""
import sys
from xml.sax.saxutils import escape

# Colours by link of the chain, as docs/architecture.md groups them.
GROUPS = [
    ({"core", "numerics", "params", "field"}, "#e8e8e8", "foundations"),
    ({"scenario", "patient", "device"}, "#dbeafe", "inputs"),
    ({"tissue", "kinetics", "model", "column", "patch3d"}, "#dcfce7", "biology and models"),
    ({"mechanics", "surface", "outcome", "results"}, "#fef9c3", "observables"),
    ({"sim"}, "#fde68a", "time stepper"),
    ({"render", "report", "measure"}, "#fce7f3", "pictures, pages, measurement"),
    ({"study", "cohort"}, "#ede9fe", "studies and cohorts"),
]


ROWS = [["core"], ["numerics", "params", "field"], ["scenario"], ["patient", "device"],
        ["tissue", "mechanics"], ["kinetics", "surface"], ["model", "outcome"],
        ["column", "patch3d", "results"], ["sim", "measure"], ["render"],
        ["report", "study", "cohort"]]


def load(path):
    mods = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                name, deps = line.split(";")[:2]
                mods[name] = [d for d in deps.split(",") if d]
    return mods


def reach(mods, m, memo):
    if m not in memo:
        s = set()
        for d in mods[m]:
            s.add(d)
            s |= reach(mods, d, memo)
        memo[m] = s
    return memo[m]


def main(argv):
    mods = load(argv[1])
    memo = {}
    level = {}

    fixed = {n: r for r, names in enumerate(ROWS) for n in names}

    def lev(m):
        if m not in level:
            level[m] = fixed.get(m, 1 + max((lev(d) for d in mods[m]), default=-1))
        return level[m]

    for m in mods:
        lev(m)
    # Transitive reduction: drop m -> d when another dependency of m already reaches d.
    edges = []
    for m, ds in mods.items():
        for d in ds:
            if not any(d in reach(mods, o, memo) for o in ds if o != d):
                edges.append((m, d))
    layers = {}
    for m, l in level.items():
        layers.setdefault(l, []).append(m)
    order = {n: i for names in ROWS for i, n in enumerate(names)}
    for l in layers:
        layers[l].sort(key=lambda n: (order.get(n, 99), n))
    top = max(layers)
    W, bw, bh, gap, vgap = 1000, 104, 30, 40, 58
    H = (top + 1) * vgap + 90
    pos = {}
    for l, names in layers.items():
        row_w = len(names) * bw + (len(names) - 1) * gap
        x0 = (W - row_w) / 2
        y = H - 60 - l * vgap
        for i, n in enumerate(names):
            pos[n] = (x0 + i * (bw + gap), y)
    colour = {}
    for names, c, _ in GROUPS:
        for n in names:
            colour[n] = c
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="13">',
           '<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker>'
           '</defs>',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           '<text x="12" y="22" font-size="15" font-weight="bold">mnsim modules: each arrow '
           'points to a module it may use (direct dependencies, transitive ones omitted)</text>']
    for m, d in sorted(edges):
        x1, y1 = pos[m]
        x2, y2 = pos[d]
        out.append(f'<line x1="{x1 + bw / 2:.1f}" y1="{y1 + bh:.1f}" x2="{x2 + bw / 2:.1f}" '
                   f'y2="{y2:.1f}" stroke="#888" stroke-width="1.1" marker-end="url(#a)"/>')
    for n, (x, y) in sorted(pos.items()):
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw}" height="{bh}" rx="6" '
                   f'fill="{colour.get(n, "#ffffff")}" stroke="#333"/>')
        out.append(f'<text x="{x + bw / 2:.1f}" y="{y + 20:.1f}" text-anchor="middle">'
                   f'{escape(n)}</text>')
    lx = 12
    for _, c, label in GROUPS:
        out.append(f'<rect x="{lx}" y="{H - 24}" width="14" height="14" fill="{c}" '
                   f'stroke="#333"/>')
        out.append(f'<text x="{lx + 19}" y="{H - 12}" font-size="12">{escape(label)}</text>')
        lx += 24 + 6.6 * len(label) + 10
    out.append("</svg>")
    with open(argv[2], "w") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
