"""The issue's other measurements, beside PyTorch doing the same, each in fresh processes:

  first:  process start to first prediction: `./sequent predict MODEL --input x.npy --output y.npy`
          (JVM start, ND4J's native load, reading the model, one forward pass, writing the .npy)
          against a Python process that imports torch, loads the same model, runs it and writes
          the .npy (torch.load of the pickled module, and torch.export.load of the same .pt2)
  load:   weight-load time inside a running process, first and warm: Sequent's Network.load
          (bench LoadTime) against torch.load / torch.export.load
  serve:  peak resident set (VmHWM) while serving: `./sequent serve` (the serve module's HTTP
          server) against a minimal Python HTTP server with torch answering the same KServe v2
          JSON request, after the same requests (batch 1 and 8)
  processor: the annotation processor's time per model over 200 generated models (processor_time.py)

Writes bench/results/extras.json (and processor.json). Same thread settings as bench/run.

    bench/extras [first|load|serve|processor|all]

BENCH_EXTRAS_ROWS (default lenet5,resnet18_224,mobilenetv2) and BENCH_EXTRAS_REPEATS (default 3)
shorten a run; BENCH_EXTRAS_LOAD_SECONDS (default 10): how long each side repeats a load.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
ROWS = os.environ.get("BENCH_EXTRAS_ROWS", "lenet5,resnet18_224,mobilenetv2").split(",")
REPEATS = int(os.environ.get("BENCH_EXTRAS_REPEATS", "3"))
LOAD_SECONDS = float(os.environ.get("BENCH_EXTRAS_LOAD_SECONDS", "10"))


def rows():
    return {r["name"]: r for r in json.loads((WORK / "models.json").read_text())}


def sample_input(row, batch):
    import numpy as np
    rng = np.random.default_rng(0)
    path = WORK / row["name"] / f"x{batch}.npy"
    np.save(path, rng.random((batch, *row["input"]), dtype=np.float32))
    return path


def wall(cmd, **kw):
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    return time.monotonic() - t0


def first_prediction():
    out = {}
    for name in ROWS:
        row = rows()[name]
        x = sample_input(row, 1)
        y = WORK / name / "y_first.npy"
        sequent_file = row["sequent_file"]
        args = ["--input", str(x), "--output", str(y)]
        if sequent_file.endswith(".pt") and row.get("fixture"):
            pass  # a pickled nn.Sequential: predict reads the input shape from the .npy
        subprocess.run([str(ROOT / "sequent"), "predict", sequent_file] + args, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # builds on first use: not timed
        seq = [wall([str(ROOT / "sequent"), "predict", sequent_file] + args) for _ in range(REPEATS)]
        entry = {"sequent_file": Path(sequent_file).name, "sequent_s": statistics.median(seq), "sequent_all_s": seq}
        torch_pickled = [wall([sys.executable, __file__, "_torch_first", "pickled", row["torch_model"], str(x),
                               str(WORK / name / "y_torch.npy")]) for _ in range(REPEATS)]
        entry["torch_pickled_s"] = statistics.median(torch_pickled)
        if sequent_file.endswith(".pt2"):
            torch_export = [wall([sys.executable, __file__, "_torch_first", "export", sequent_file, str(x),
                                  str(WORK / name / "y_torch.npy")]) for _ in range(REPEATS)]
            entry["torch_export_s"] = statistics.median(torch_export)
        out[name] = entry
        print(f"first prediction {name}: sequent {entry['sequent_s']:.2f} s, torch (pickled) "
              f"{entry['torch_pickled_s']:.2f} s" + (f", torch (.pt2) {entry['torch_export_s']:.2f} s"
                                                     if "torch_export_s" in entry else ""), file=sys.stderr)
    return out


def torch_first(kind, model_path, x_path, y_path):
    import numpy as np
    import torch
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
    model = torch.load(model_path, weights_only=False) if kind == "pickled" else torch.export.load(model_path).module()
    if kind == "pickled":
        model.eval()
    with torch.no_grad():
        y = model(torch.from_numpy(np.load(x_path)))
    np.save(y_path, y.numpy())


def load_times():
    cp = f"{ROOT}/bench/target/classes:{(ROOT / 'bench/target/bench.classpath').read_text().strip()}"
    r = subprocess.run(["java", "-XX:+UseParallelGC", "-cp", cp, "dev.sequent.bench.LoadTime", str(WORK / "models.json"),
                        ",".join(ROWS), str(LOAD_SECONDS)], check=True, capture_output=True, text=True)
    out = {}
    for line in r.stdout.splitlines():
        o = json.loads(line)
        if o["model"].endswith("_keras"):
            out[o["model"][:-len("_keras")]]["sequent_keras"] = o
        else:
            out[o["model"]] = {"sequent": o}
    for name in ROWS:
        row = rows()[name]
        kinds = ["pickled"] + (["export"] if row["sequent_file"].endswith(".pt2") else [])
        for kind in kinds:
            path = row["torch_model"] if kind == "pickled" else row["sequent_file"]
            r = subprocess.run([sys.executable, __file__, "_torch_load", kind, path, str(LOAD_SECONDS)],
                               check=True, capture_output=True, text=True)
            out[name]["torch_" + kind] = json.loads(r.stdout)
        if row.get("keras3"):
            r = subprocess.run([sys.executable, __file__, "_keras_load", row["keras3"], str(LOAD_SECONDS)],
                               check=True, capture_output=True, text=True)
            out[name]["keras_load_model"] = json.loads(r.stdout.strip().splitlines()[-1])
        print(f"load {name}: {out[name]}", file=sys.stderr)
    return out


def torch_load(kind, path, seconds):
    """As LoadTime: the import (once), the first and second load, the median of the second half
    of the loads repeated for `seconds` (at least 4, at most 400)."""
    t0 = time.monotonic()
    import torch
    import_ms = (time.monotonic() - t0) * 1e3

    def once():
        return torch.load(path, weights_only=False) if kind == "pickled" else torch.export.load(path)

    times = []
    start = time.monotonic()
    while len(times) < 4 or (len(times) < 400 and time.monotonic() - start < float(seconds)):
        t = time.monotonic()
        once()
        times.append((time.monotonic() - t) * 1e3)
    print(json.dumps({"file": Path(path).name, "import_ms": import_ms, "first_ms": times[0], "second_ms": times[1],
                      "warm_median_ms": statistics.median(times[len(times) // 2:]), "loads": len(times),
                      "rss_mb": rss_mb(os.getpid(), "VmRSS")}))


def keras_load(path, seconds):
    """keras.models.load_model of the row's .keras, timed as torch_load."""
    t0 = time.monotonic()
    import keras
    import_ms = (time.monotonic() - t0) * 1e3
    times = []
    start = time.monotonic()
    while len(times) < 4 or (len(times) < 400 and time.monotonic() - start < float(seconds)):
        t = time.monotonic()
        keras.models.load_model(path)
        times.append((time.monotonic() - t) * 1e3)
    print(json.dumps({"file": Path(path).name, "import_ms": import_ms, "first_ms": times[0], "second_ms": times[1],
                      "warm_median_ms": statistics.median(times[len(times) // 2:]), "loads": len(times),
                      "rss_mb": rss_mb(os.getpid(), "VmRSS")}))


def rss_mb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(re.sub(r"[^0-9]", "", line)) / 1024.0
    return None


def infer(port, name, x):
    body = json.dumps({"inputs": [{"name": "input", "shape": list(x.shape), "datatype": "FP32",
                                   "data": x.reshape(-1).tolist()}]}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v2/models/{name}/infer", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.loads(r.read())


def serve_rss():
    import numpy as np
    out = {}
    for name in ROWS:
        row = rows()[name]
        shape = ",".join(str(d) for d in row["input"])
        rng = np.random.default_rng(0)
        batches = [rng.random((b, *row["input"]), dtype=np.float32) for b in (1, 8)]
        entry = {}
        servers = {
            "sequent": [str(ROOT / "sequent"), "serve", row["sequent_file"], "--input-shape", shape, "--name", name,
                        "--port", "0"],
            "torch": [sys.executable, __file__, "_torch_serve", row["torch_model"], name],
        }
        for system, cmd in servers.items():
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            try:
                t0 = time.monotonic()
                line = p.stdout.readline()
                ready_s = time.monotonic() - t0
                port = int(re.search(r"https?://[^:/\s]+:(\d+)", line).group(1))
                pid = p.pid
                after_load = rss_mb(pid, "VmRSS")
                hwm_load = rss_mb(pid, "VmHWM")
                phases = {}
                # batch 1 first, then batch 8: the peak after each, so the second's growth is the
                # larger batch's own (the peak of the process, load included, is VmHWM)
                for b, x in zip((1, 8), batches):
                    for _ in range(10):
                        infer(port, name, x)
                    phases[f"batch{b}"] = {"rss_mb": rss_mb(pid, "VmRSS"), "peak_rss_mb": rss_mb(pid, "VmHWM")}
                entry[system] = {"ready_s": ready_s, "rss_after_load_mb": after_load, "peak_rss_after_load_mb": hwm_load,
                                 "after_batch1": phases["batch1"], "after_batch8": phases["batch8"],
                                 "peak_rss_mb": rss_mb(pid, "VmHWM"), "requests": 20}
            finally:
                p.terminate()
                p.wait(timeout=30)
        out[name] = entry
        print(f"serve {name}: {entry}", file=sys.stderr)
    return out


def torch_forward_memory(model_path, shape, batch, forwards):
    """PyTorch's side of bench ForwardMemory: the resident set after a warm-up pass, the peak over
    `forwards` passes at `batch` (VmHWM reset through /proc/self/clear_refs) and the resident set after.
    `bench/extras _torch_forward_memory MODEL 3,224,224 8 10` beside
    `java ... dev.sequent.bench.ForwardMemory bench/work/models.json ROW 8 10`."""
    import gc
    import torch
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
    model = torch.load(model_path, weights_only=False).eval()
    x = torch.rand(int(batch), *[int(d) for d in shape.split(",")])
    with torch.no_grad():
        model(x)
        gc.collect()
        before = rss_mb(os.getpid(), "VmRSS")
        Path("/proc/self/clear_refs").write_text("5")
        for _ in range(int(forwards)):
            model(x)
    print(json.dumps({"rss_before_mb": before, "peak_mb": rss_mb(os.getpid(), "VmHWM"),
                      "rss_after_mb": rss_mb(os.getpid(), "VmRSS")}))


def torch_serve(model_path, name):
    """The comparable Python process: torch eager under no_grad behind http.server, KServe v2 JSON."""
    from http.server import BaseHTTPRequestHandler, HTTPServer
    import numpy as np
    import torch
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
    model = torch.load(model_path, weights_only=False).eval()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            t = req["inputs"][0]
            x = torch.from_numpy(np.asarray(t["data"], dtype=np.float32).reshape(t["shape"]))
            with torch.no_grad():
                y = model(x).numpy()
            body = json.dumps({"model_name": name, "outputs": [{"name": "output", "shape": list(y.shape),
                                                                "datatype": "FP32",
                                                                "data": y.reshape(-1).tolist()}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    print(f"serving {name} at http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


def main(what):
    env_note = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")}
    results_path = ROOT / "bench" / "results" / "extras.json"
    part = {"environment": env_note, "load_average_before": open("/proc/loadavg").read().split()[:3]}
    if what in ("first", "all"):
        part["first_prediction"] = first_prediction()
    if what in ("load", "all"):
        part["weight_load"] = load_times()
    if what in ("serve", "all"):
        part["serve_rss"] = serve_rss()
    part["load_average_after"] = open("/proc/loadavg").read().split()[:3]
    # read just before writing: another part may have finished meanwhile
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    for key in ("first_prediction", "weight_load", "serve_rss"):
        if key in part:
            results[key] = part[key]
            results[key + "_conditions"] = {k: part[k] for k in ("environment", "load_average_before",
                                                                 "load_average_after")}
    results_path.write_text(json.dumps(results, indent=1) + "\n")
    if what in ("processor", "all"):
        subprocess.run([sys.executable, str(ROOT / "bench" / "processor_time.py"), str(ROOT)], check=True)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "all"
    if cmd == "_torch_first":
        torch_first(*sys.argv[2:])
    elif cmd == "_torch_load":
        torch_load(*sys.argv[2:])
    elif cmd == "_keras_load":
        keras_load(*sys.argv[2:])
    elif cmd == "_torch_forward_memory":
        torch_forward_memory(*sys.argv[2:])
    elif cmd == "_torch_serve":
        torch_serve(*sys.argv[2:])
    else:
        main(cmd)
