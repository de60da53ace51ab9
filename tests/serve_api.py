#!/usr/bin/env python3
"""API test of `mnsim serve` (run by tests/cli/serve_api.sh against a server on a free port).

usage: serve_api.py PORT GSF_FILE PNG_FILE CORPUS_DIR (fuzz/corpus: .gwy and .sdf uploads)
Schema, run, a bad value's 400 with its field, YAML in and out, measure uploads, pictures,
path traversal, form posts, size limit, 8 concurrent clients, then hundreds of malformed and
random-byte requests after which the server still answers correctly.
"""
import json
import random
import socket
import sys
import threading
import urllib.error
import urllib.request

port = int(sys.argv[1])
gsf, png, corpus = sys.argv[2], sys.argv[3], sys.argv[4]
base = f"http://127.0.0.1:{port}"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def request(method, path, body=None, ctype=None, timeout=60):
    req = urllib.request.Request(base + path, data=body, method=method)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def post_json(path, obj):
    s, t, b = request("POST", path, json.dumps(obj).encode(), "application/json")
    return s, json.loads(b) if t.startswith("application/json") else b


# Schema: every field with unit, default and range.
s, t, b = request("GET", "/api/schema")
schema = json.loads(b)
check(s == 200 and t.startswith("application/json"), f"schema: {s} {t}")
paths = {f["path"]: f for f in schema["fields"]}
check(len(paths) >= 45, f"schema has {len(paths)} fields")
age = paths.get("patient.age_years", {})
check(age.get("unit") == "years" and age.get("min") == 18 and age.get("max") == 100
      and age.get("default") == 52, f"patient.age_years in the schema: {age}")
check("not a medical" in schema.get("note", ""), "schema lacks the disclaimer")

# A run: the results.json object, preview pictures.
s, run = post_json("/api/run", {"mnsim": 1})
check(s == 200, f"run: {s} {run if s != 200 else ''}")
res = run["results"]
check(len(res["observables"]) == 17 and res["session_days"] == [0, 28, 56],
      "run: results.json content")
check(res["scenario"]["device"]["needle_length_mm"] == 1.5, "run: default scenario")
for name, url in run["images"].items():
    s, t, b = request("GET", url)
    check(s == 200 and t == "image/png" and b[:8] == b"\x89PNG\r\n\x1a\n", f"picture {name}: {s} {t}")
s2, run2 = post_json("/api/run", {"device": {"needle_length_mm": 0.5}, "treatment": {"sessions": 1}})
check(s2 == 200 and run2["results"]["session_days"] == [0]
      and run2["results"]["observables"]["wrinkle_depth_um"]["final"]
      != res["observables"]["wrinkle_depth_um"]["final"], "run with changes")

# Bad values: 400, the CLI's message, the field.
s, e = post_json("/api/run", {"patient": {"age_years": 230}})
check(s == 400 and e == {"error": "patient.age_years: 230 is out of range (allowed 18 to 100 years)",
                         "field": "patient.age_years"}, f"bad age: {s} {e}")
s, e = post_json("/api/run", {"device": {"kind": "laser"}})
check(s == 400 and e.get("field") == "device.kind" and "pen|roller|stamp" in e.get("error", ""),
      f"bad kind: {s} {e}")
s, e = post_json("/api/run", {"device": {"colour": 1}})
check(s == 400 and e.get("field") == "device.colour" and "unknown key" in e.get("error", ""),
      f"unknown key: {s} {e}")
s, e = post_json("/api/run", {"output": {"every_days": 0.05}, "simulate": {"follow_up_weeks": 520}})
check(s == 400 and e.get("field") == "output.every_days", f"too many samples: {s} {e}")
s, t, b = request("POST", "/api/run", b"{not json", "application/json")
check(s == 400 and b"not valid JSON" in b, f"broken JSON: {s} {b[:100]}")

# Form posts and other content types are refused (no CSRF); GET on a POST endpoint too.
for ctype, body in [("application/x-www-form-urlencoded", b"patient.age_years=60"),
                    ("multipart/form-data; boundary=x", b"--x--"), ("text/plain", b"{}"), (None, b"{}")]:
    s, t, b = request("POST", "/api/run", body, ctype)
    check(s == 415, f"POST /api/run as {ctype}: {s}")
s, t, b = request("GET", "/api/run")
check(s == 405, f"GET /api/run: {s}")

# YAML out and in.
s, y = post_json("/api/yaml", {"patient": {"age_years": 61}})
check(s == 200 and "age_years: 61" in y.get("yaml", ""), f"yaml: {s}")
s, sc = post_json("/api/from-yaml", {"yaml": y["yaml"]})
check(s == 200 and sc["scenario"]["patient"]["age_years"] == 61, f"from-yaml: {s}")
s, e = post_json("/api/from-yaml", {"yaml": "mnsim: 1\npatient:\n  age_years: 230\n"})
check(s == 400 and e.get("field") == "patient.age_years"
      and e["error"].endswith("patient.age_years: 230 is out of range (allowed 18 to 100 years)"),
      f"from-yaml bad: {s} {e}")

# Measure: a height map, a photo, garbage.
with open(gsf, "rb") as f:
    s, t, b = request("POST", "/api/measure", f.read(), "application/octet-stream")
m = json.loads(b) if s == 200 else {}
check(s == 200 and m.get("Sa_um", 0) > 0 and "wrinkle_count" in m, f"measure gsf: {s} {b[:200]}")
with open(png, "rb") as f:
    data = f.read()
s, t, b = request("POST", "/api/measure?pixel_um=80", data, "image/png")
check(s == 200 and "wrinkle_count" in json.loads(b), f"measure photo: {s} {b[:200]}")
s, t, b = request("POST", "/api/measure", data, "image/png")
check(s == 400 and json.loads(b).get("field") == "pixel_um", f"photo without pixel size: {s} {b[:200]}")
# Gwyddion .gwy (first channel, or one by number or title) and ISO 25178-71 SDF uploads: the
# pixel size is the file's; a channel the file lacks is a 400 naming the field "channel".
with open(corpus + "/gwy/channel2_graph.gwy", "rb") as f:
    gwy = f.read()
for q in ("", "?channel=2"):
    s, t, b = request("POST", "/api/measure" + q, gwy, "application/octet-stream")
    m = json.loads(b) if s == 200 else {}
    check(s == 200 and m.get("xres") == 10 and m.get("pixel_x_um") == 200 and m.get("Sa_um", 0) > 0,
          f"measure gwy{q}: {s} {b[:200]}")
with open(corpus + "/gwy/gwyddion.gwy", "rb") as f:
    s, t, b = request("POST", "/api/measure?channel=Height", f.read(), "application/octet-stream")
check(s == 200 and json.loads(b).get("xres") == 16, f"measure gwy channel by title: {s} {b[:200]}")
s, t, b = request("POST", "/api/measure?channel=0", gwy, "application/octet-stream")
e = json.loads(b) if s == 400 else {}
check(s == 400 and e.get("field") == "channel" and "no channel '0'" in e.get("error", ""),
      f"measure gwy missing channel: {s} {b[:200]}")
for name in ("int16.sdf", "ascii.sdf"):
    with open(corpus + "/sdf/" + name, "rb") as f:
        s, t, b = request("POST", "/api/measure", f.read(), "application/octet-stream")
    m = json.loads(b) if s == 200 else {}
    check(s == 200 and m.get("kind") == "height" and "Sa_um" in m, f"measure {name}: {s} {b[:200]}")
with open(corpus + "/sdf/int16.sdf", "rb") as f:
    s, t, b = request("POST", "/api/measure?channel=1", f.read(), "application/octet-stream")
check(s == 400 and json.loads(b).get("field") == "channel", f"channel of an SDF: {s} {b[:200]}")
s, t, b = request("POST", "/api/measure", b"\x00garbage" * 10, "application/octet-stream")
check(s == 400, f"measure garbage: {s}")
s, t, b = request("POST", "/api/measure", b"a=1", "application/x-www-form-urlencoded")
check(s == 415, f"measure form post: {s}")

# Static files: only the embedded assets.
s, t, b = request("GET", "/")
check(s == 200 and t.startswith("text/html") and b"app.js" in b, f"page: {s} {t}")
for path in ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/app.js/../../../etc/passwd",
             "//etc/passwd", "/api/image/../../etc/passwd", "/api/image/r1/..%2f..%2fetc.png",
             "/etc/passwd"]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
        c.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := c.recv(65536):
            reply += chunk
    status = reply.split(b" ", 2)[1] if reply.count(b" ") >= 2 else b"?"
    check(status in (b"404", b"400") and b"root:" not in reply, f"GET {path}: {status}")

# DNS rebinding: a foreign Host is refused on loopback.
with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
    c.sendall(b"GET /api/schema HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    reply = c.recv(65536)
check(reply.startswith(b"HTTP/1.1 403"), f"foreign Host: {reply[:40]}")

# Size limit: refused from the Content-Length before the body is read, and (chunked, no
# length) once the body passes the limit.
with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
    c.sendall(b"POST /api/run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1048576\r\n\r\n" + b" " * 1000)
    reply = c.recv(65536)
check(reply.startswith(b"HTTP/1.1 413"), f"1 MiB JSON body: {reply[:40]}")
with socket.create_connection(("127.0.0.1", port), timeout=30) as c:
    c.sendall(b"POST /api/run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    chunk = b" " * 65536
    try:
        for _ in range(8):
            c.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        c.sendall(b"0\r\n\r\n")
    except OSError:
        pass
    reply = c.recv(65536)
check(reply.startswith(b"HTTP/1.1 413"), f"512 KiB chunked JSON body: {reply[:40]}")

# 8 clients at once, each with its own scenario: each gets its own answer.
answers = {}


def client(i):
    st, body = post_json("/api/run", {"patient": {"age_years": 30 + 5 * i}})
    answers[i] = (st, body["results"]["scenario"]["patient"]["age_years"] if st == 200 else body)


threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
for th in threads:
    th.start()
for th in threads:
    th.join()
check(all(answers.get(i) == (200, 30 + 5 * i) for i in range(8)), f"concurrent clients: {answers}")

# Hundreds of malformed requests and random bytes; the server survives them.
rng = random.Random(1)
junk = [b"GET / HTTP/1.1\r\n\r\n", b"\r\n\r\n", b"POST /api/run HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n",
        b"POST /api/run HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n",
        b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\n\r\n", b"BREW /pot HTCPCP/1.0\r\n\r\n",
        b"POST /api/run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n\xff\xfe\x00{[",
        b"GET /api/image/r1/before.png?full=1&full=2 HTTP/1.1\r\nHost: [::1]\r\n\r\n"]
for i in range(300):
    data = junk[i % len(junk)] if i % 3 == 0 else bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 2000)))
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
            c.sendall(data)
            c.shutdown(socket.SHUT_WR)
            # A fragment that could still become a request is left to the idle timeout; do
            # not wait for it here.
            c.settimeout(0.5)
            while c.recv(65536):
                pass
    except OSError:
        pass
s, t, b = request("GET", "/api/schema")
check(s == 200 and json.loads(b)["fields"], f"schema after the junk: {s}")
s, again = post_json("/api/run", {"mnsim": 1})
check(s == 200 and again["results"]["observables"] == res["observables"], "run after the junk")

if failures:
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    sys.exit(1)
print("serve API: schema, run, field errors, YAML, measure, pictures, traversal, forms, limits, "
      "8 concurrent clients, 300 malformed requests")
