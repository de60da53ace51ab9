#!/usr/bin/env python3
"""Independent reference for `mnsim measure`: ISO 25178-2 height and hybrid parameters of a
Gwyddion Simple Field (.gsf), computed with numpy only (no mnsim code), for the cross-check in
tests/test_measure_reference.c. Usage: measure_ref.py FILE.gsf [--form none|plane|poly2]
[--lambda-s-um X] [--lambda-c-mm X] [--filter none] [--gradient gwyddion|cell]. Prints one JSON
object (um, percent). Sdq and Sdr by Gwyddion's discretisation (the default) or the 2 x 2 cell
gradient, as docs/measure.md defines them."""
import argparse
import json
import math

import numpy as np

UNITS = {"m": 1.0, "mm": 1e-3, "um": 1e-6, "nm": 1e-9, "pm": 1e-12}


def read_gsf(path):
    data = open(path, "rb").read()
    nul = data.index(b"\0")
    head = data[:nul].decode("utf-8").splitlines()
    assert head[0] == "Gwyddion Simple Field 1.0"
    keys = {}
    for line in head[1:]:
        if "=" in line:
            k, v = line.split("=", 1)
            keys[k.strip()] = v.strip()
    xres, yres = int(keys["XRes"]), int(keys["YRes"])
    xy = UNITS[keys.get("XYUnits", "m")]
    zs = UNITS[keys.get("ZUnits", "m")]
    off = nul + (4 - nul % 4)
    z = np.frombuffer(data[off:], dtype="<f4").astype(np.float64).reshape(yres, xres) * zs
    return z, float(keys.get("XReal", 1)) * xy / xres, float(keys.get("YReal", 1)) * xy / yres


def remove_form(z, form):
    if form == "none":
        return z
    yres, xres = z.shape
    y, x = np.mgrid[0:yres, 0:xres].astype(np.float64)
    cols = [np.ones_like(x), x, y] + ([x * x, x * y, y * y] if form == "poly2" else [])
    a = np.stack([c.ravel() for c in cols], axis=1)
    coef, *_ = np.linalg.lstsq(a, z.ravel(), rcond=None)
    return z - (a @ coef).reshape(z.shape)


def gaussian_1d(z, axis, lam_px):
    """ISO 16610-21 weighting, truncated at +-lambda, mirrored (symmetric) borders."""
    alpha = math.sqrt(math.log(2) / math.pi)
    r = max(1, math.ceil(lam_px))
    k = np.arange(-r, r + 1, dtype=np.float64)
    w = np.exp(-math.pi * (k / (alpha * lam_px)) ** 2)
    w /= w.sum()
    n = z.shape[axis]
    idx = np.arange(-r, n + r) % (2 * n)
    idx = np.where(idx < n, idx, 2 * n - 1 - idx)
    zp = np.take(z, idx, axis=axis)
    out = np.zeros_like(z)
    for j, wj in enumerate(w):
        sl = [slice(None)] * z.ndim
        sl[axis] = slice(j, j + n)
        out += wj * zp[tuple(sl)]
    return out


def gaussian(z, dx, dy, lam_m):
    return gaussian_1d(gaussian_1d(z, 1, lam_m / dx), 0, lam_m / dy)


def slope_cell(d, dx, dy):
    """Mean of the two edge differences of each 2 x 2 cell, means over the cells."""
    gx = 0.5 * (np.diff(d, axis=1)[:-1, :] + np.diff(d, axis=1)[1:, :]) / dx
    gy = 0.5 * (np.diff(d, axis=0)[:, :-1] + np.diff(d, axis=0)[:, 1:]) / dy
    q = gx ** 2 + gy ** 2
    return math.sqrt(float(q.mean())), 100.0 * float(np.mean(np.sqrt(1 + q) - 1))


def slope_gwyddion(d, dx, dy):
    """Sdq from every neighbour difference; Sdr from four triangles per cell through the mean
    of its corners, half-pixel flat-outward border strips and flat corners, over all pixels."""
    hx = np.diff(d, axis=1) / dx  # (yres, xres - 1)
    vy = np.diff(d, axis=0) / dy  # (yres - 1, xres)
    sdq = math.sqrt(2.0 * (float((hx ** 2).sum()) + float((vy ** 2).sum())) / (hx.size + vy.size))
    c = 0.25 * (d[:-1, :-1] + d[:-1, 1:] + d[1:, :-1] + d[1:, 1:])
    tri = []
    for za, zb, along, across in (
        (d[:-1, :-1], d[:-1, 1:], dx, dy),  # top edge of each cell
        (d[1:, :-1], d[1:, 1:], dx, dy),  # bottom edge
        (d[:-1, :-1], d[1:, :-1], dy, dx),  # left edge
        (d[:-1, 1:], d[1:, 1:], dy, dx),  # right edge
    ):
        tri.append(((zb - za) / along) ** 2 + ((za + zb - 2 * c) / across) ** 2)
    area = 0.25 * sum(float(np.sqrt(1 + q).sum()) for q in tri)
    for g in (hx[0], hx[-1], vy[:, 0], vy[:, -1]):
        area += 0.5 * float(np.sqrt(1 + g ** 2).sum())
    area += 1.0  # four flat quarter-pixel corners
    return sdq, 100.0 * (area / d.size - 1.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--form", default="plane")
    ap.add_argument("--filter", default="gaussian")
    ap.add_argument("--lambda-s-um", type=float, default=2.5)
    ap.add_argument("--lambda-c-mm", type=float, default=0.8)
    ap.add_argument("--gradient", default="gwyddion", choices=["gwyddion", "cell"])
    a = ap.parse_args()
    z, dx, dy = read_gsf(a.file)
    z = remove_form(z, a.form)
    if a.filter != "none":
        if a.lambda_s_um > 0:
            z = gaussian(z, dx, dy, a.lambda_s_um * 1e-6)
        if a.lambda_c_mm > 0:
            z = z - gaussian(z, dx, dy, a.lambda_c_mm * 1e-3)
    d = z - z.mean()
    sq = math.sqrt(np.mean(d ** 2))
    sdq, sdr = (slope_cell if a.gradient == "cell" else slope_gwyddion)(d, dx, dy)
    out = {
        "Sa_um": 1e6 * float(np.mean(np.abs(d))),
        "Sq_um": 1e6 * sq,
        "Sp_um": 1e6 * float(d.max()),
        "Sv_um": -1e6 * float(d.min()),
        "Sz_um": 1e6 * float(d.max() - d.min()),
        "Ssk": float(np.mean(d ** 3)) / sq ** 3,
        "Sku": float(np.mean(d ** 4)) / sq ** 4,
        "Sdq": sdq,
        "Sdr_pct": sdr,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
