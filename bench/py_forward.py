"""The Python side of bench/run: PyTorch eager under no_grad, or Keras 3 on TensorFlow, on the
same rows as the JVM side (bench/work/models.json), with the same intra-op thread count. One
framework per process (torch and TensorFlow are kept apart). Each case warms up, then times single
calls; writes median and p90 per case to OUT (JSON), progress to stderr, nothing to stdout.

    python3 bench/py_forward.py torch|keras MODELS_JSON OUT WARMUP_MS MEASURE_MS THREADS BATCHES [ONLY]
"""
import json
import os
import sys
import time

import numpy as np


# Warm-up calls a case makes whatever WARMUP_MS says, up to WARMUP_CAP_S: ForwardBench's
# WARMUP_MIN_CALLS and WARMUP_CAP_MILLIS, so every system warms up by the same rule.
WARMUP_MIN_CALLS = 20
WARMUP_CAP_S = 5.0
# Then ForwardBench's steady-state rule: windows of at least 100 ms and 10 calls until two in a row
# fail to beat the best window's median by 5 %, within the same cap.
STEADY_WINDOW_S = 0.1
STEADY_WINDOW_CALLS = 10
STEADY_WINDOWS = 2
STEADY_GAIN = 0.05


def timed(call, warmup_ms, measure_ms):
    """The timed calls (sorted ns) and the warm-up before them (seconds, calls)."""
    start = time.perf_counter()
    end = start + warmup_ms / 1e3
    cap = start + max(warmup_ms / 1e3, WARMUP_CAP_S)
    calls = 0
    while True:
        call()
        calls += 1
        now = time.perf_counter()
        if now >= end and (calls >= WARMUP_MIN_CALLS or now >= cap):
            break
    best, flat = float("inf"), 0
    while flat < STEADY_WINDOWS and time.perf_counter() < cap:
        window = []
        window_end = time.perf_counter() + STEADY_WINDOW_S
        while time.perf_counter() < window_end or len(window) < STEADY_WINDOW_CALLS:
            t0 = time.perf_counter_ns()
            call()
            window.append(time.perf_counter_ns() - t0)
        calls += len(window)
        window.sort()
        median = window[len(window) // 2]
        flat = 0 if median < best * (1 - STEADY_GAIN) else flat + 1
        best = min(best, median)
    warmup_s = time.perf_counter() - start
    samples = []
    end = time.perf_counter() + measure_ms / 1e3
    while time.perf_counter() < end or len(samples) < 5:
        t0 = time.perf_counter_ns()
        call()
        samples.append(time.perf_counter_ns() - t0)
    samples.sort()
    return samples, warmup_s, calls


def main():
    framework, models_json, out, warmup, measure, threads, batches = sys.argv[1:8]
    only = sys.argv[8].split(",") if len(sys.argv) > 8 and sys.argv[8] else []
    warmup, measure, threads = int(warmup), int(measure), int(threads)
    batches = [int(b) for b in batches.split(",")]
    rows = json.load(open(models_json))
    results = []
    if framework == "torch":
        import torch
        torch.set_num_threads(threads)
        torch.set_num_interop_threads(1)
        system = "pytorch-eager"
        version = torch.__version__
    else:
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
        import keras
        system = "keras-tf"
        version = f"keras {keras.__version__}, tensorflow {tf.__version__}"
    for row in rows:
        if only and row["name"] not in only:
            continue
        if framework == "torch":
            # prepare.py pickled the models it builds from its own classes as __main__'s: they must be
            # found here under that name
            import prepare
            sys.modules["__main__"].__dict__.update(
                {k: v for k, v in vars(prepare).items() if isinstance(v, type)})
            model = torch.load(row["torch_model"], weights_only=False).eval()
        elif row.get("keras3"):
            model = keras.saving.load_model(row["keras3"], compile=False)
            # a traced call, as a TensorFlow service runs it: eager model(x) adds Python dispatch per layer
            fn = tf.function(lambda t: model(t, training=False), reduce_retracing=True)
        else:
            for b in batches:
                results.append(dict(model=row["name"], batch=b, system=system, missing=row.get("keras_missing")))
            continue
        for b in batches:
            rng = np.random.default_rng(42 + b)
            if framework == "torch":
                x = torch.from_numpy(rng.random((b, *row["input"]), dtype=np.float32))

                def call():
                    with torch.no_grad():
                        return model(x)
            else:
                x = tf.constant(rng.random((b, *row["keras_input"]), dtype=np.float32))

                def call():
                    return fn(x).numpy()
            s, warmup_s, warmup_calls = timed(call, warmup, measure)
            r = dict(model=row["name"], batch=b, system=system, median_ms=s[len(s) // 2] / 1e6,
                     p90_ms=s[min(len(s) - 1, len(s) * 9 // 10)] / 1e6, calls=len(s),
                     warmup_ms=warmup_s * 1e3, warmup_calls=warmup_calls)
            print(f"{row['name']:12s} b={b:<3d} {system:18s} median {r['median_ms']:.4f} ms  "
                  f"p90 {r['p90_ms']:.4f} ms  ({len(s)} calls)", file=sys.stderr)
            results.append(r)
    json.dump(dict(version=version, results=results), open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
