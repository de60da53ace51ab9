"""The Python module (python/mnsim) over libmnsim.so: run, timeseries, cohort, measure, errors,
and timeseries.csv in pandas. Run by CTest (python_mnsim) with the build's library; a missing
numpy or pandas skips its test, and fails under CI=true."""
import json
import math
import os
import subprocess

import pytest

import mnsim

MNSIM = os.environ.get("MNSIM_BINARY")
SOURCE = os.environ.get("MNSIM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def need(module):
    try:
        return __import__(module)
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: python3-{module} is missing")
        pytest.skip(f"python3-{module} is not installed (scripts/install-deps.sh --test)")


SHORT = {"treatment": {"sessions": 1}, "simulate": {"follow_up_weeks": 2}}


def test_version():
    assert mnsim.version().count(".") == 2


def test_run_default_matches_cli(tmp_path):
    r = mnsim.run({})
    grade = r["observables"]["wrinkle_grade"]
    assert 0 <= grade["final"] <= 5 and grade["unit"] == "Lemperle 0-5"
    assert MNSIM, "MNSIM_BINARY not set"
    subprocess.run([MNSIM, "run", "--out", str(tmp_path / "out"), "--quiet",
                    "--set", "output.images=false"], check=True,
                   env={**os.environ, "MNSIM_NO_PROGRESS": "1"})
    cli = json.loads((tmp_path / "out" / "results.json").read_text())
    assert r["observables"] == cli["observables"]
    assert r["session_days"] == cli["session_days"]


def test_run_dict_and_sets_agree():
    a = mnsim.run({**SHORT, "patient": {"age_years": 60}})
    b = mnsim.run(SHORT, sets=["patient.age_years=60"])
    c = mnsim.run({**SHORT, "patient.age_years": 60})
    assert a["observables"] == b["observables"] == c["observables"]
    assert a["scenario"]["patient"]["age_years"] == 60


def test_run_yaml_path(tmp_path):
    path = os.path.join(SOURCE, "examples", "roller-forehead.yaml")
    r = mnsim.run(path, sets={"simulate.follow_up_weeks": 2})
    assert r["scenario"]["device"]["kind"] == "roller"


def test_errors_carry_file_line_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("mnsim: 1\npatient:\n  age_years: 230\n")
    with pytest.raises(mnsim.Error) as e:
        mnsim.run(str(bad))
    assert str(e.value).startswith(f"{bad}:3:")
    assert "patient.age_years: 230 is out of range" in str(e.value)
    assert e.value.code < 0
    with pytest.raises(mnsim.Error, match="patient.age_years"):
        mnsim.run({"patient": {"age_years": 230}})
    with pytest.raises(mnsim.Error, match="cannot open scenario"):
        mnsim.run(str(tmp_path / "missing.yaml"))


def test_timeseries_columns():
    r = mnsim.run(SHORT)
    ts = mnsim.timeseries(r)
    days = list(ts["day"])
    assert days == r["observables"]["collagen_I_pct"]["days"]
    assert list(ts["wrinkle_depth_um"]) == r["observables"]["wrinkle_depth_um"]["values"]


def test_timeseries_csv_in_pandas(tmp_path):
    pandas = need("pandas")
    assert MNSIM, "MNSIM_BINARY not set"
    out = tmp_path / "out"
    subprocess.run([MNSIM, "run", "--out", str(out), "--quiet", "--set", "output.images=false",
                    "--set", "simulate.follow_up_weeks=2"], check=True,
                   env={**os.environ, "MNSIM_NO_PROGRESS": "1"})
    df = pandas.read_csv(out / "timeseries.csv")
    assert pandas.api.types.is_numeric_dtype(df["day"])
    assert all(pandas.api.types.is_numeric_dtype(df[c]) for c in df.columns if c != "phase")
    assert list(df["phase"].unique()) == ["baseline", "course"]
    results = json.loads((out / "results.json").read_text())
    base = df[df.phase == "baseline"].iloc[0]
    for name, o in results["observables"].items():
        assert math.isclose(base[name], o["baseline"], rel_tol=1e-9, abs_tol=1e-12)
    course = df[df.phase == "course"]
    assert list(course["day"]) == pytest.approx(results["observables"]["erythema"]["days"])
    frame = mnsim.timeseries(out)
    assert isinstance(frame, pandas.DataFrame)
    from_csv = mnsim.timeseries(out / "timeseries.csv")
    assert list(from_csv["day"]) == pytest.approx(list(frame["day"]))


def test_cohort(tmp_path):
    s = mnsim.cohort(size=8, out=tmp_path / "c")
    assert s["patients"] == 8
    assert (tmp_path / "c" / "patients.csv.gz").exists()
    assert "wrinkle_grade" in s["observables"]


def test_measure_numpy_and_list():
    np = need("numpy")
    y, x = np.mgrid[0:120, 0:160]
    z = 2e-6 * np.sin(2 * np.pi * x / 40) + 1e-7 * np.random.default_rng(3).normal(size=x.shape)
    m = mnsim.measure(z, 10e-6)
    assert m["xres"] == 160 and m["yres"] == 120 and m["pixel_x_um"] == pytest.approx(10)
    assert m["Sa_um"] > 0 and m["Sq_um"] >= m["Sa_um"]
    assert mnsim.measure(z.tolist(), 10e-6)["Sa_um"] == m["Sa_um"]


def test_measure_matches_cli_on_gsf(tmp_path):
    np = need("numpy")
    assert MNSIM, "MNSIM_BINARY not set"
    out = tmp_path / "out"
    subprocess.run([MNSIM, "run", "--out", str(out), "--quiet", "--set",
                    "simulate.follow_up_weeks=1"], check=True,
                   env={**os.environ, "MNSIM_NO_PROGRESS": "1"})
    cli = json.loads(subprocess.run([MNSIM, "measure", "--json", str(out / "after.gsf")],
                                    check=True, capture_output=True, text=True).stdout)
    z, dx = read_gsf(np, out / "after.gsf")
    m = mnsim.measure(z, dx)
    for key in ("Sa_um", "Sq_um", "Sz_um", "wrinkle_count"):
        assert m[key] == pytest.approx(cli[key], rel=1e-9), key


def test_measure_errors():
    with pytest.raises(mnsim.Error):
        mnsim.measure([[0.0, 1e-6], [1e-6, 0.0]], -1.0)


def read_gsf(np, path):
    """A Gwyddion Simple Field (docs/measure.md): header, NUL padding, float32 LE."""
    data = path.read_bytes()
    end = data.index(b"\0")
    header = dict(line.split(" = ", 1) for line in data[:end].decode().splitlines()[1:]
                  if " = " in line)
    xres, yres = int(header["XRes"]), int(header["YRes"])
    start = end + (4 - end % 4)
    z = np.frombuffer(data[start:start + 4 * xres * yres], dtype="<f4").reshape(yres, xres)
    return z.astype(np.float64), float(header["XReal"]) / xres
