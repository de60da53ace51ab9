"""The 3-D run's patch_dayD.vti files read with VTK's own reader (vtkXMLImageDataReader, Debian
python3-vtk9): grid, spacing and origin from the scenario, units metadata, every array with one
finite value a point, and the days written (docs/3d.md §Pictures). Run by CTest (vtk_reader)
through tests/vtk/run.sh, which skips (exit 77) without VTK and fails then under CI=true."""
import glob
import json
import math
import os
import re
import subprocess

import pytest
from vtkmodules.vtkIOXML import vtkXMLImageDataReader

MNSIM = os.environ.get("MNSIM_BINARY")

# A small, fast patch: 0.45 mm at 18 um (25 x 25 voxels a side), two sessions a week apart,
# two weeks of follow-up after the second (last day 21).
PATCH_MM, RESOLUTION_UM = 0.45, 18.0
SETS = {"simulate.model": "3d", "simulate.patch_mm": PATCH_MM,
        "simulate.resolution_um": RESOLUTION_UM, "treatment.sessions": 2,
        "treatment.interval_weeks": 1, "simulate.follow_up_weeks": 2}
LAST_DAY = 21
# The column reaches hypodermis_below_tip_um (400) below the deepest real needle tip, and at
# least that far into the hypodermis (docs/3d.md §Grid). The default pen's 1.5 mm needle buries
# the Hill fraction L^2 / (L^2 + 0.25^2) of its length (penetration_half_mm_pen 0.25 mm).
BELOW_TIP_UM = 400.0
TIP_UM = 1500.0 * 1.5**2 / (1.5**2 + 0.25**2)
# The arrays the writer documents (docs/3d.md §Pictures) and their units (FieldData).
UNITS = {"damage": "volume fraction", "growth_factor": "relative (lumped TGF-beta/PDGF)",
         "mmp": "relative to basal (1)", "fibroblast": "relative to reticular dermis",
         "collagen3": "young total collagen", "collagen1": "young total collagen",
         "elastin": "relative to young skin", "neutrophil": "fraction of saturation (0-1)",
         "macrophage": "fraction of saturation (0-1)"}


def run(out, *extra):
    assert MNSIM, "MNSIM_BINARY not set"
    args = [MNSIM, "run", "--quiet", "--out", str(out)]
    for key, value in SETS.items():
        args += ["--set", f"{key}={value}"]
    subprocess.run(args + list(extra), check=True, env={**os.environ, "MNSIM_NO_PROGRESS": "1"})
    return out


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    return run(tmp_path_factory.mktemp("default"))


@pytest.fixture(scope="module")
def chosen_run(tmp_path_factory):
    return run(tmp_path_factory.mktemp("chosen"), "--vti-days", "3,14")


def vti_days(out):
    days = [int(re.fullmatch(r"patch_day(\d+)\.vti", os.path.basename(f)).group(1))
            for f in glob.glob(os.path.join(out, "patch_day*.vti"))]
    return sorted(days)


def read(out, day):
    path = os.path.join(out, f"patch_day{day}.vti")
    reader = vtkXMLImageDataReader()
    reader.SetFileName(path)
    assert reader.CanReadFile(path)
    reader.Update()
    assert reader.GetErrorCode() == 0
    image = reader.GetOutput()
    assert image.GetNumberOfPoints() > 0
    return image


def field_string(image, name):
    array = image.GetFieldData().GetAbstractArray(name)
    assert array is not None, f"FieldData {name} missing"
    assert array.GetClassName() == "vtkStringArray" and array.GetNumberOfValues() == 1
    return array.GetValue(0)


def field_number(image, name):
    array = image.GetFieldData().GetArray(name)
    assert array is not None, f"FieldData {name} missing"
    assert array.GetNumberOfTuples() == 1
    return array.GetValue(0)


def values(image, name):
    array = image.GetPointData().GetArray(name)
    assert array is not None, f"PointData {name} missing"
    assert array.GetClassName() == "vtkFloatArray" and array.GetNumberOfComponents() == 1
    assert array.GetNumberOfTuples() == image.GetNumberOfPoints()
    return [array.GetValue(i) for i in range(array.GetNumberOfTuples())]


def test_days_written(default_run, chosen_run):
    # Default: right after the first session (day 0, channels carved) and the last day;
    # --vti-days replaces the default day, the last day is always written.
    assert vti_days(default_run) == [0, LAST_DAY]
    assert vti_days(chosen_run) == [3, 14, LAST_DAY]


def test_grid_spacing_origin_units(default_run, chosen_run):
    n = round(PATCH_MM * 1000 / RESOLUTION_UM)
    dx = PATCH_MM * 1000 / n
    obs = json.loads((default_run / "results.json").read_text())["observables"]
    # The slab: stratum corneum and viable epidermis (epidermis_um), dermis, hypodermis.
    skin_um = obs["epidermis_um"]["baseline"] + obs["dermis_um"]["baseline"]
    tissue_um = max(skin_um, TIP_UM) + BELOW_TIP_UM
    for out in (default_run, chosen_run):
        for day in vti_days(out):
            image = read(out, day)
            depth = field_number(image, "depth_um")
            assert depth == pytest.approx(tissue_um, abs=0.5)
            nz = math.ceil(depth / dx - 1e-6)
            assert image.GetDimensions() == (n, n, nz)
            assert image.GetSpacing() == pytest.approx((dx, dx, dx), rel=1e-7)
            # Voxel centres in um, z up with the surface at 0 (the top level within dx/2 of it).
            assert image.GetOrigin() == pytest.approx((dx / 2, dx / 2, -depth + dx / 2),
                                                      abs=1e-4)
            top = image.GetOrigin()[2] + (nz - 1) * dx
            assert -dx / 2 - 1e-4 <= top <= dx / 2 + 1e-4
            assert field_number(image, "day") == day
            assert field_string(image, "length_unit") == "um"
            assert field_string(image, "day_unit") == "day"
            for name, unit in UNITS.items():
                assert field_string(image, f"{name}_unit") == unit


def test_arrays_present_and_finite(default_run, chosen_run):
    for out in (default_run, chosen_run):
        for day in vti_days(out):
            image = read(out, day)
            pd = image.GetPointData()
            names = {pd.GetArrayName(i) for i in range(pd.GetNumberOfArrays())}
            assert names == set(UNITS)
            for name in UNITS:
                v = values(image, name)
                assert all(math.isfinite(x) and x >= 0 for x in v), name
            # The dermis holds collagen everywhere.
            assert max(values(image, "collagen1")) > 0.3


def test_day0_has_channels_later_days_relax(default_run, chosen_run):
    image = read(default_run, 0)
    day0 = values(image, "damage")
    nx, ny, nz = image.GetDimensions()
    plane = nx * ny
    levels = [day0[k * plane:(k + 1) * plane] for k in range(nz)]
    # Carved channels: at the depth they damage most, fully damaged voxels beside untouched
    # tissue between the channels (not a uniform layer).
    densest = max(levels, key=sum)
    assert max(densest) > 0.9 and min(densest) == 0
    assert 0.05 < sum(densest) / plane < 0.95
    peaks = [max(day0)] + [max(values(read(chosen_run, d), "damage")) for d in (3, 14, LAST_DAY)]
    # Damage clears after each session (the second one, on day 7, is behind day 14's).
    assert peaks[1] < 0.5 * peaks[0]
    assert peaks[3] < 0.01
    assert peaks[3] <= peaks[2]
    # The inflammation the channels started is there on day 3, none on day 0.
    assert max(values(read(default_run, 0), "neutrophil")) == 0
    assert max(values(read(chosen_run, 3), "macrophage")) > 0
