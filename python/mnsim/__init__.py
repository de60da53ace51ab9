"""mnsim from Python: a thin ctypes layer over the shared C library libmnsim.so.

    import mnsim
    r = mnsim.run({"patient": {"age_years": 60}})      # the content of results.json
    r["observables"]["wrinkle_grade"]["final"]
    df = mnsim.timeseries(r)                            # pandas DataFrame (dict of lists without pandas)
    mnsim.cohort({"cohort": {"size": 50}})              # the cohort's summary.json
    mnsim.measure(z_m, dx_m=20e-6)                      # ISO 25178 texture and wrinkles of a height map

mnsim is a research tool, not a medical device. Errors raise mnsim.Error with the library's
message ("<scenario>:3:22: patient.age_years: 230 is out of range (allowed 18 to 100 years)").

The library is looked for in $MNSIM_LIBRARY, then where `make install` put it beside this module,
then in the source tree's build/ folder (running from a checkout with PYTHONPATH=python), then on
the system's library path.
"""
import csv
import ctypes
import ctypes.util
import json
import os
import tempfile

__all__ = ["Error", "run", "timeseries", "cohort", "measure", "version", "library_path"]


class Error(Exception):
    """A failure reported by libmnsim: `code` is the negative MN_E* status, the message says
    which file, line and field was wrong."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class _MnError(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("message", ctypes.c_char * 1024)]


_here = os.path.dirname(os.path.abspath(__file__))


def _candidates():
    env = os.environ.get("MNSIM_LIBRARY")
    if env:
        yield env
        return
    try:
        from mnsim import _install  # written by `make install`
        yield os.path.normpath(os.path.join(_here, _install.LIBRARY_RELATIVE))
    except ImportError:
        pass
    yield os.path.join(_here, "..", "..", "build", "libmnsim.so.0")
    found = ctypes.util.find_library("mnsim")
    if found:
        yield found
    yield "libmnsim.so.0"


def _load():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path)
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append(f"{path} ({e})")
    raise ImportError("mnsim: libmnsim.so not found (build it with `make build`, or set "
                      "MNSIM_LIBRARY); tried: " + ", ".join(tried))


_lib, library_path = _load()
_c_char_pp = ctypes.POINTER(ctypes.c_char_p)
_err_p = ctypes.POINTER(_MnError)
_out_p = ctypes.POINTER(ctypes.c_void_p)
_lib.mn_version.restype = ctypes.c_char_p
_lib.mn_version.argtypes = []
_lib.mn_free.restype = None
_lib.mn_free.argtypes = [ctypes.c_void_p]
_lib.mn_run_json.restype = ctypes.c_int
_lib.mn_run_json.argtypes = [ctypes.c_char_p, ctypes.c_char_p, _c_char_pp, ctypes.c_int, _out_p,
                             _err_p]
_lib.mn_cohort_run_text.restype = ctypes.c_int
_lib.mn_cohort_run_text.argtypes = [ctypes.c_char_p, ctypes.c_char_p, _c_char_pp, ctypes.c_int,
                                    ctypes.c_char_p, _err_p]
_lib.mn_measure_json.restype = ctypes.c_int
_lib.mn_measure_json.argtypes = [ctypes.POINTER(ctypes.c_double), ctypes.c_size_t,
                                 ctypes.c_size_t, ctypes.c_double, ctypes.c_double,
                                 ctypes.c_char_p, _out_p, _err_p]


def version():
    """The library's version, "MAJOR.MINOR.PATCH"."""
    return _lib.mn_version().decode()


def _check(rc, err):
    if rc != 0:
        raise Error(rc, err.message.decode(errors="replace") or f"mnsim error {rc}")


def _take_string(ptr):
    """The library's malloc'd string as str, freed."""
    try:
        return ctypes.string_at(ptr.value).decode()
    finally:
        _lib.mn_free(ptr)


def _scenario(scenario, sets):
    """(text, name, assignments) for the C entry points.

    scenario: None or {} (the built-in default), a dict (nested like the YAML; keys with dots,
    "patient.age_years": 60, become --set assignments), or the path of a YAML scenario."""
    assignments = []
    if scenario is None:
        text, name = None, "<default>"
    elif isinstance(scenario, dict):
        nested = {k: v for k, v in scenario.items() if "." not in k}
        if nested:
            nested = {"mnsim": 1, **nested}  # the schema version a YAML file starts with
        assignments += [f"{k}={json.dumps(v)}" for k, v in scenario.items() if "." in k]
        text, name = (json.dumps(nested, indent=1) if nested else None), "<dict>"
    elif isinstance(scenario, (str, os.PathLike)):
        name = os.fspath(scenario)
        try:
            with open(name, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise Error(-3, f"{name}: cannot open scenario: {e.strerror}") from None
    else:
        raise TypeError("scenario: a dict, a YAML file path or None")
    if isinstance(sets, dict):
        assignments += [f"{k}={json.dumps(v)}" for k, v in sets.items()]
    elif sets:
        assignments += list(sets)
    array = (ctypes.c_char_p * max(len(assignments), 1))(*[a.encode() for a in assignments])
    return (text.encode() if text is not None else None), name.encode(), array, len(assignments)


def run(scenario=None, sets=None):
    """Simulates a course as `mnsim run` does and returns results.json as a dict.

    sets: --set style overrides, a list of "key.path=value" or a dict {"key.path": value}."""
    text, name, array, n = _scenario(scenario, sets)
    out, err = ctypes.c_void_p(), _MnError()
    _check(_lib.mn_run_json(text, name, array, n, ctypes.byref(out), ctypes.byref(err)), err)
    return json.loads(_take_string(out))


def _frame(columns):
    try:
        import pandas
    except ImportError:
        return columns
    return pandas.DataFrame(columns)


def _columns_of_results(results):
    obs = results["observables"]
    columns = {"day": list(next(iter(obs.values()))["days"])}
    for name, o in obs.items():
        columns[name] = list(o["values"])
    return columns


def _columns_of_csv(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r.get("phase", "course") == "course"]
    names = [k for k in rows[0] if k != "phase"] if rows else ["day"]
    return {k: [float(r[k]) for r in rows] for k in names}


def timeseries(source=None, sets=None):
    """The daily course: a pandas DataFrame (a dict of lists when pandas is missing) with a
    `day` column and one column per observable (the samples after the baseline).

    source: a results dict (from run), a run's output directory, its results.json or
    timeseries.csv, or a scenario as for run (then simulated)."""
    if isinstance(source, dict) and "observables" in source:
        return _frame(_columns_of_results(source))
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if os.path.isdir(path):
            path = os.path.join(path, "results.json")
        if path.endswith(".csv"):
            return _frame(_columns_of_csv(path))
        if path.endswith("results.json"):
            with open(path, encoding="utf-8") as f:
                return _frame(_columns_of_results(json.load(f)))
    return _frame(_columns_of_results(run(source, sets)))


def cohort(scenario=None, size=None, sets=None, out=None):
    """Simulates a virtual cohort as `mnsim cohort --fresh` does and returns its summary.json
    as a dict. size: the number of patients (cohort.size); out: the directory to keep the
    cohort's files in (default: a temporary one, removed)."""
    assignments = [] if sets is None else (dict(sets) if isinstance(sets, dict) else list(sets))
    if size is not None:
        if isinstance(assignments, dict):
            assignments["cohort.size"] = int(size)
        else:
            assignments.append(f"cohort.size={int(size)}")
    text, name, array, n = _scenario(scenario, assignments)

    def go(directory):
        err = _MnError()
        _check(_lib.mn_cohort_run_text(text, name, array, n, directory.encode(),
                                       ctypes.byref(err)), err)
        with open(os.path.join(directory, "summary.json"), encoding="utf-8") as f:
            return json.load(f)

    if out is not None:
        return go(os.fspath(out))
    with tempfile.TemporaryDirectory(prefix="mnsim-cohort-") as tmp:
        return go(os.path.join(tmp, "cohort"))


def measure(z_m, dx_m, dy_m=None, name=None):
    """ISO 25178 texture, profile roughness and wrinkles of a height map, as `mnsim measure
    --json` reports them: z_m a 2-D numpy array or list of rows (heights in metres, row 0 the
    top), dx_m and dy_m (default dx_m) the pixel sizes in metres."""
    try:
        import numpy
    except ImportError:
        numpy = None
    if numpy is not None:
        a = numpy.ascontiguousarray(z_m, dtype=numpy.float64)
        if a.ndim != 2:
            raise ValueError("measure: z_m must be 2-D (rows of heights)")
        yres, xres = a.shape
        buf = a.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    else:
        rows = [list(map(float, r)) for r in z_m]
        yres, xres = len(rows), (len(rows[0]) if rows else 0)
        if any(len(r) != xres for r in rows):
            raise ValueError("measure: every row of z_m must have the same length")
        buf = (ctypes.c_double * (xres * yres))(*[v for r in rows for v in r])
    out, err = ctypes.c_void_p(), _MnError()
    _check(_lib.mn_measure_json(buf, xres, yres, float(dx_m), float(dy_m or dx_m),
                                (name or "<array>").encode(), ctypes.byref(out),
                                ctypes.byref(err)), err)
    return json.loads(_take_string(out))
