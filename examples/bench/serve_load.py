#!/usr/bin/env python3
"""Load test of `./sequent serve` with the real Open Inference Protocol client (tritonclient[http]).

Serves LeNet-5 from a PyTorch file (fixtures/reference/lenet5/torch_model.pt) and from a Keras
file (keras3.keras) in one server, on 127.0.0.1 only, once with --max-batch 1 (no batching) and
once with --max-batch 32, and for 1, 8 and 64 concurrent clients (closed loop: each client sends
its next request when the last is answered) reports throughput, p50/p99 latency, the batch sizes
the server formed (from /metrics) and the wrong answers. Every answer is compared with the
model's own output for that sample, computed beforehand by `./sequent predict` in a separate
JVM; the fixture samples are also compared with the outputs real PyTorch and Keras recorded.

Then the checks the issue asks for, printed as PASS/FAIL lines (exit status 1 if any fails):
32 concurrent tritonclient clients on each file with no failed request and no wrong answer; every
kind of bad request answered with a 4xx and followed by a correct answer; SIGTERM under load
ending the server within 10 s with every answered request correct.

Bounded: each measurement runs for --seconds (default 3) or --max-requests per client level,
whichever ends first; the whole run takes about two minutes on two cores.

    pip install 'tritonclient[http]'
    python3 examples/bench/serve_load.py [--seconds 3]
"""

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import tritonclient.http as triton
from tritonclient.utils import InferenceServerException

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LENET = os.path.join(ROOT, "fixtures", "reference", "lenet5")
TORCH_FILE = os.path.join(LENET, "torch_model.pt")
KERAS_FILE = os.path.join(LENET, "keras3.keras")
MODELS = {
    # name: (input file of the recorded fixture inputs, recorded outputs, sample shape)
    "lenet_torch": ("input_torch.npy", "output_torch.npy", (1, 28, 28)),
    "lenet_keras": ("input_keras.npy", "output_keras3.npy", (28, 28, 1)),
}
SAME = 1e-6        # an answer vs the model's forward of that sample (batched vs alone)
FRAMEWORK = 1e-5   # Sequent vs what PyTorch / Keras recorded
DISTINCT = 64      # distinct random samples per model, so a mixed-up answer cannot pass
REQUEST_LIMIT = 4 * 1024 * 1024


def sequent(*args, **kwargs):
    return subprocess.run([os.path.join(ROOT, "sequent"), *args], check=True, **kwargs)


class Inputs:
    """The samples sent to one model, and the answers expected for each."""

    def __init__(self, name, workdir):
        fixture_in, fixture_out, shape = MODELS[name]
        rng = np.random.default_rng(15 if name == "lenet_torch" else 16)
        recorded_inputs = np.load(os.path.join(LENET, fixture_in)).astype(np.float32)
        random_inputs = rng.random((DISTINCT,) + shape, dtype=np.float32)
        self.x = np.concatenate([recorded_inputs, random_inputs])
        self.recorded = np.load(os.path.join(LENET, fixture_out)).astype(np.float32)
        self.n_recorded = len(recorded_inputs)
        x_file = os.path.join(workdir, name + "_x.npy")
        y_file = os.path.join(workdir, name + "_y.npy")
        np.save(x_file, self.x)
        model = TORCH_FILE if name == "lenet_torch" else KERAS_FILE
        # The model's forward, in a JVM of its own (not the server under test)
        sequent("predict", model, "--input", x_file, "--output", y_file, stdout=subprocess.DEVNULL)
        self.y = np.load(y_file)
        self.framework_diff = float(np.abs(self.y[: self.n_recorded] - self.recorded).max())

    def check(self, i, answer):
        """Largest difference between an answer for sample i and its expected output."""
        return float(np.abs(answer - self.y[i : i + 1]).max())


class Server:
    """`./sequent serve` on 127.0.0.1, a free port, both LeNet-5 files."""

    def __init__(self, max_batch, max_delay_ms, threads):
        env = dict(os.environ, OMP_NUM_THREADS=str(threads))
        self.log = tempfile.NamedTemporaryFile(prefix="sequent-serve-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [os.path.join(ROOT, "sequent"), "serve", TORCH_FILE, "--input-shape", "1,28,28", "--name", "lenet_torch",
             "--model", "lenet_keras=" + KERAS_FILE, "--host", "127.0.0.1", "--port", "0",
             "--max-batch", str(max_batch), "--max-delay-ms", str(max_delay_ms),
             "--max-request-bytes", str(REQUEST_LIMIT)],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        line = self.process.stdout.readline()
        match = re.search(r"at http://(127\.0\.0\.1:\d+)$", line.strip())
        if not match:
            self.process.kill()
            raise SystemExit(f"sequent serve did not start: {line!r}; see {self.log.name}")
        self.url = match.group(1)
        host, port = self.url.split(":")
        self.host, self.port = host, int(port)

    def kill(self):
        """Ends the server if it is still running (after a failure)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def metrics(self):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        conn.request("GET", "/metrics")
        text = conn.getresponse().read().decode()
        conn.close()
        return text

    def sigterm(self):
        """SIGTERM; returns (seconds until the process ended, exit code)."""
        start = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
            return float("inf"), code
        return time.monotonic() - start, code


def batch_histogram(metrics_text, model):
    """{le: cumulative count} of sequent_batch_size, plus count and sum."""
    buckets, count, total = {}, 0.0, 0.0
    for line in metrics_text.splitlines():
        m = re.match(r'sequent_batch_size_bucket\{model="%s",le="([^"]+)"\} (\S+)' % re.escape(model), line)
        if m:
            buckets[m.group(1)] = float(m.group(2))
        m = re.match(r'sequent_batch_size_(count|sum)\{model="%s"\} (\S+)' % re.escape(model), line)
        if m:
            if m.group(1) == "count":
                count = float(m.group(2))
            else:
                total = float(m.group(2))
    return buckets, count, total


def forward_time(metrics_text, model):
    """(count, seconds) of sequent_batch_duration_seconds: the forward passes run so far."""
    values = {}
    for kind in ("count", "sum"):
        m = re.search(r'sequent_batch_duration_seconds_%s\{model="%s"\} (\S+)' % (kind, re.escape(model)), metrics_text)
        values[kind] = float(m.group(1)) if m else 0.0
    return values["count"], values["sum"]


def describe_batches(before, after):
    """Mean batch size and how many batches fell in each power-of-two range, between two scrapes."""
    (b0, c0, s0), (b1, c1, s1) = before, after
    batches = c1 - c0
    if batches <= 0:
        return 0, 0.0, "-"
    ranges, previous, low = [], 0.0, 1
    for le in sorted((k for k in b1 if k != "+Inf"), key=float):
        cumulative = b1[le] - b0.get(le, 0.0)
        in_range = cumulative - previous
        high = int(float(le))
        if in_range > 0:
            ranges.append(f"{low if low == high else f'{low}-{high}'}:{int(in_range)}")
        previous, low = cumulative, high + 1
    return int(batches), (s1 - s0) / batches, " ".join(ranges)


def infer_request(inputs, i):
    x = inputs.x[i : i + 1]
    tensor = triton.InferInput("input", list(x.shape), "FP32")
    tensor.set_data_from_numpy(x)  # binary, as tritonclient sends by default
    return [tensor], [triton.InferRequestedOutput("output")]


def load(server, model, inputs, clients, seconds, max_requests):
    """Closed-loop load; returns latencies (s), worst difference, wrong answers, failures, wall time."""
    latencies, failures, worst, wrong = [], [], [0.0], [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    per_client = max(1, max_requests // clients)

    def client(cid):
        c = triton.InferenceServerClient(server.url, connection_timeout=30, network_timeout=30)
        try:
            for r in range(per_client):
                if time.monotonic() > stop_at:
                    break
                i = (cid * 7 + r) % len(inputs.x)
                tensors, outputs = infer_request(inputs, i)
                start = time.perf_counter()
                try:
                    result = c.infer(model, tensors, outputs=outputs)
                except Exception as e:  # noqa: BLE001 - a failed request is counted, not fatal
                    with lock:
                        failures.append(str(e))
                    continue
                elapsed = time.perf_counter() - start
                diff = inputs.check(i, result.as_numpy("output"))
                with lock:
                    latencies.append(elapsed)
                    worst[0] = max(worst[0], diff)
                    wrong[0] += diff > SAME
        finally:
            c.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    return latencies, worst[0], wrong[0], failures, time.monotonic() - start


def measure(server, model, inputs, clients, args):
    text = server.metrics()
    before, forward_before = batch_histogram(text, model), forward_time(text, model)
    latencies, worst, wrong, failures, wall = load(server, model, inputs, clients, args.seconds, args.max_requests)
    text = server.metrics()
    batches, mean_batch, ranges = describe_batches(before, batch_histogram(text, model))
    forward_after = forward_time(text, model)
    forwards = forward_after[0] - forward_before[0]
    forward_ms = 1000 * (forward_after[1] - forward_before[1]) / forwards if forwards else float("nan")
    busy = (forward_after[1] - forward_before[1]) / wall
    lat = np.array(latencies) * 1000 if latencies else np.array([float("nan")])
    return {
        "clients": clients, "requests": len(latencies), "throughput": len(latencies) / wall,
        "p50": float(np.percentile(lat, 50)), "p99": float(np.percentile(lat, 99)), "batches": batches,
        "mean_batch": mean_batch, "ranges": ranges, "worst": worst, "failed": len(failures),
        "wrong": wrong, "failures": failures[:3], "forward_ms": forward_ms, "busy": busy,
    }


def oversized_post(server, path, size):
    """Announces a body of `size` bytes, sends its first 64 KiB and reads the answer, as a client
    should when the server may refuse before reading everything (it answers, then closes)."""
    import socket
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {server.url}\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {size}\r\n\r\n".encode() + b'{"inputs": [' + b" " * 65536)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, response.read().decode(errors="replace")


def raw_post(server, path, body, headers=None):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    conn.request("POST", path, body=body, headers=headers or {})
    response = conn.getresponse()
    status, text = response.status, response.read().decode(errors="replace")
    conn.close()
    return status, text


def parse_error(what, status, text):
    try:
        message = json.loads(text)["error"]
    except (ValueError, KeyError, TypeError):
        message = "not a JSON error: " + text[:80]
    return what, status, message


def bad_requests(server, inputs):
    """Every kind of bad request -> (what, status, error message, correct answer after it)."""
    one = inputs.x[:1]
    good = {"inputs": [{"name": "input", "shape": list(one.shape), "datatype": "FP32",
                        "data": one.flatten().tolist()}]}
    path = "/v2/models/lenet_torch/infer"
    cases = []

    def client_case(what, call):
        c = triton.InferenceServerClient(server.url)
        try:
            call(c)
            cases.append((what, 200, "accepted?!"))
        except InferenceServerException as e:
            cases.append((what, int(e.status() or 0), e.message()))
        finally:
            c.close()

    def wrong_shape(c):
        x = one.reshape(1, 28, 28)
        t = triton.InferInput("input", list(x.shape), "FP32")
        t.set_data_from_numpy(x)
        c.infer("lenet_torch", [t])

    def wrong_datatype(c):
        x = one.astype(np.float64)
        t = triton.InferInput("input", list(x.shape), "FP64")
        t.set_data_from_numpy(x)
        c.infer("lenet_torch", [t])

    def unknown_model(c):
        c.infer("no_such_model", infer_request(inputs, 0)[0])

    def unknown_input(c):
        t = triton.InferInput("pixels", list(one.shape), "FP32")
        t.set_data_from_numpy(one)
        c.infer("lenet_torch", [t])

    client_case("wrong shape (tritonclient)", wrong_shape)
    client_case("wrong datatype FP64 (tritonclient)", wrong_datatype)
    client_case("unknown model (tritonclient)", unknown_model)
    client_case("unknown input name (tritonclient)", unknown_input)
    for what, body, headers in [
        ("malformed JSON", b'{"inputs": [', None),
        ("data count not matching the shape", json.dumps(
            {"inputs": [dict(good["inputs"][0], data=good["inputs"][0]["data"][:700])]}).encode(), None),
        ("a string among the data", json.dumps(
            {"inputs": [dict(good["inputs"][0], data=["x"] + good["inputs"][0]["data"][1:])]}).encode(), None),
        ("binary size not matching", json.dumps(
            {"inputs": [{"name": "input", "shape": [1, 1, 28, 28], "datatype": "FP32",
                         "parameters": {"binary_data_size": 100}}]}).encode() + b"\0" * 100, "header"),
        ("TF Serving instance of the wrong shape", json.dumps({"instances": [[[1, 2], [3, 4]]]}).encode(), "v1"),
    ]:
        target = "/v1/models/lenet_torch:predict" if headers == "v1" else path
        h = {"Inference-Header-Content-Length": str(len(body) - 100)} if headers == "header" else {}
        status, text = raw_post(server, target, body, h)
        cases.append(parse_error(what, status, text))
    status, text = oversized_post(server, path, REQUEST_LIMIT + 1)
    cases.append(parse_error(f"oversized body ({REQUEST_LIMIT + 1} bytes, limit {REQUEST_LIMIT})", status, text))
    results = []
    c = triton.InferenceServerClient(server.url)
    try:
        for what, status, message in cases:
            tensors, outputs = infer_request(inputs, 3)
            answer = c.infer("lenet_torch", tensors, outputs=outputs).as_numpy("output")
            results.append((what, status, message, inputs.check(3, answer) <= SAME))
    finally:
        c.close()
    return results


def sigterm_under_load(server, inputs, clients=8, seconds_before=1.0):
    """SIGTERM while clients send; every answer must be right, every refusal a 503 or a closed connection."""
    outcomes = {"answered": 0, "wrong": 0, "refused_503": 0, "connection_closed": 0, "other": []}
    lock = threading.Lock()
    stop = threading.Event()

    def client(cid):
        c = triton.InferenceServerClient(server.url, connection_timeout=5, network_timeout=15)
        try:
            for r in range(100_000):
                if stop.is_set():
                    break
                i = (cid + r) % len(inputs.x)
                tensors, outputs = infer_request(inputs, i)
                try:
                    answer = c.infer("lenet_torch", tensors, outputs=outputs).as_numpy("output")
                    with lock:
                        outcomes["answered"] += 1
                        outcomes["wrong"] += inputs.check(i, answer) > SAME
                except InferenceServerException as e:
                    with lock:
                        if e.status() == "503":
                            outcomes["refused_503"] += 1
                        elif e.status() is None:
                            outcomes["connection_closed"] += 1
                        else:
                            outcomes["other"].append(f"{e.status()}: {e.message()}")
                    time.sleep(0.01)
                except Exception:  # noqa: BLE001 - the server has gone: connection refused / reset
                    with lock:
                        outcomes["connection_closed"] += 1
                    time.sleep(0.01)
        finally:
            c.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    time.sleep(seconds_before)
    seconds, code = server.sigterm()
    time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    return seconds, code, outcomes


def run_server(server, max_batch, delay, inputs, levels, args, rows, checks):
    """The measurements on one server; with batching also the checks, ending with SIGTERM."""
    print(f"\nserver: --max-batch {max_batch} --max-delay-ms {delay:g} at {server.url}"
          f" (OMP_NUM_THREADS={args.server_threads})", flush=True)
    for name in MODELS:  # warm-up: JIT and ND4J's first batches
        load(server, name, inputs[name], 8, 1.5, 2000)
    for name in MODELS:
        for clients in levels:
            r = measure(server, name, inputs[name], clients, args)
            r.update(max_batch=max_batch, model=name)
            rows.append(r)
            print(f"  {name:12s} clients {clients:3d}: {r['requests']:6d} requests {r['throughput']:8.1f}/s "
                  f"p50 {r['p50']:7.2f} ms p99 {r['p99']:7.2f} ms; {r['batches']} batches, mean "
                  f"{r['mean_batch']:.1f} ({r['ranges']}), forward {r['forward_ms']:.2f} ms each, busy {r['busy']:.0%}; "
                  f"worst diff {r['worst']:.1e}; wrong {r['wrong']}; "
                  f"failed {r['failed']}"
                  + (f" {r['failures']}" if r["failures"] else ""), flush=True)
    if max_batch == 32:
        for name in MODELS:
            latencies, _, wrong, failed, _ = load(server, name, inputs[name], 32, args.seconds, args.max_requests)
            answered = len(latencies)
            checks.append((answered > 0 and wrong == 0 and not failed,
                           f"32 concurrent tritonclient clients on {name} "
                           f"({'PyTorch .pt' if name == 'lenet_torch' else 'Keras .keras'}): {answered} answers, "
                           f"{wrong} wrong, {len(failed)} failed" + (f" {failed[:2]}" if failed else "")))
        for what, status, message, correct_after in bad_requests(server, inputs["lenet_torch"]):
            checks.append((400 <= status < 500 and correct_after,
                           f"bad request, {what}: {status} {message!r}; next answer "
                           f"{'correct' if correct_after else 'WRONG'}"))
        seconds, code, outcomes = sigterm_under_load(server, inputs["lenet_torch"])
        checks.append((seconds < 10 and outcomes["wrong"] == 0 and not outcomes["other"],
                       f"SIGTERM with 8 clients sending: exited in {seconds:.2f} s (code {code}); "
                       f"{outcomes['answered']} answered ({outcomes['wrong']} wrong), "
                       f"{outcomes['refused_503']} refused with 503 while draining, "
                       f"{outcomes['connection_closed']} found the server gone, other errors: "
                       f"{outcomes['other'][:3] or 'none'}"))
    else:
        seconds, code = server.sigterm()
        print(f"  stopped by SIGTERM in {seconds:.2f} s (exit code {code})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each measurement (default 3)")
    parser.add_argument("--max-requests", type=int, default=20_000, help="cap on requests per measurement")
    parser.add_argument("--clients", default="1,8,64", help="concurrency levels (default 1,8,64)")
    parser.add_argument("--max-delay-ms", type=float, default=0.0, help="--max-delay-ms for the batching run")
    parser.add_argument("--server-threads", type=int, default=1,
                        help="OMP_NUM_THREADS for the server's ND4J kernels (default 1: see docs/serving.md)")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]

    print("sequent serve load test: tritonclient", triton.__name__, "on 127.0.0.1;",
          os.cpu_count(), "CPUs shared by the server and the clients")
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model_name = re.search(r"Model name:\s*(.+)", lscpu)
    flags = re.search(r"Flags:\s*(.+)", lscpu)
    print("cpu:", model_name.group(1).strip() if model_name else "?", "; load average at start:",
          open("/proc/loadavg").read().split()[:3])
    if flags:
        print("cpu flags (vector):", " ".join(f for f in flags.group(1).split()
                                              if re.match(r"(avx|fma|sse4|amx)", f)))

    with tempfile.TemporaryDirectory() as workdir:
        print("computing the expected answers with ./sequent predict ...", flush=True)
        inputs = {name: Inputs(name, workdir) for name in MODELS}
    for name, inp in inputs.items():
        print(f"  {name}: {len(inp.x)} distinct samples; ./sequent predict vs the framework's recorded outputs "
              f"on the {inp.n_recorded} fixture samples: max diff {inp.framework_diff:.2e}")

    checks = []
    rows = []
    for max_batch in (1, 32):
        delay = 0.0 if max_batch == 1 else args.max_delay_ms
        server = Server(max_batch, delay, args.server_threads)
        try:
            run_server(server, max_batch, delay, inputs, levels, args, rows, checks)
        finally:
            server.kill()

    print("\nsummary (requests/s; p50 / p99 latency in ms; mean batch size)")
    print(f"{'model':12s} {'clients':>7s} | {'max-batch 1':^32s} | {'max-batch 32':^32s} | speed-up")
    for name in MODELS:
        for clients in levels:
            one = next(r for r in rows if r["model"] == name and r["clients"] == clients and r["max_batch"] == 1)
            many = next(r for r in rows if r["model"] == name and r["clients"] == clients and r["max_batch"] == 32)
            cell = lambda r: f"{r['throughput']:7.1f}/s {r['p50']:6.2f}/{r['p99']:6.2f} b{r['mean_batch']:4.1f}"
            print(f"{name:12s} {clients:7d} | {cell(one):32s} | {cell(many):32s} | "
                  f"{many['throughput'] / one['throughput']:.2f}x")
    for name in MODELS:
        top = max(levels)
        one = next(r for r in rows if r["model"] == name and r["clients"] == top and r["max_batch"] == 1)
        many = next(r for r in rows if r["model"] == name and r["clients"] == top and r["max_batch"] == 32)
        checks.append((many["throughput"] > one["throughput"],
                       f"batching at {top} clients on {name}: {many['throughput']:.0f}/s with --max-batch 32 vs "
                       f"{one['throughput']:.0f}/s with --max-batch 1 ({many['throughput'] / one['throughput']:.2f}x)"))
    wrong_total = sum(r["wrong"] for r in rows)
    failed_total = sum(r["failed"] for r in rows)
    checks.append((wrong_total == 0 and failed_total == 0,
                   f"measurements: {sum(r['requests'] for r in rows)} answers, every one within {SAME:g} of the "
                   f"model's own output for its sample; {failed_total} failed"))

    print("load average at the end:", open("/proc/loadavg").read().split()[:3])
    print("\nchecks")
    for ok, text in checks:
        print(("PASS " if ok else "FAIL ") + text)
    sys.exit(0 if all(ok for ok, _ in checks) else 1)


if __name__ == "__main__":
    main()
