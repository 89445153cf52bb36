"""Per-node kernel times of ONNX Runtime on one benchmark row's ONNX export (after bench/run has
written bench/work): the layer-by-layer figure to set beside Sequent's, same thread count.

    python3 bench/ort_layers.py MODEL BATCH SIZE [THREADS]    e.g. resnet18_224 1 224

Runs 30 calls with ORT's profiler on and prints the median of the last 20 per node, in ms."""
import collections
import json
import os
import sys
import tempfile

import numpy as np
import onnxruntime as ort

model, batch, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
root = os.path.dirname(os.path.abspath(__file__))
options = ort.SessionOptions()
options.intra_op_num_threads = threads
options.inter_op_num_threads = 1
options.enable_profiling = True
options.profile_file_prefix = os.path.join(tempfile.mkdtemp(), model)
session = ort.InferenceSession(os.path.join(root, "work", model, "model.onnx"), options,
                               providers=["CPUExecutionProvider"])
x = np.random.rand(batch, 3, size, size).astype(np.float32)
name = session.get_inputs()[0].name
for _ in range(30):
    session.run(None, {name: x})
with open(session.end_profiling()) as f:
    events = json.load(f)
times = collections.defaultdict(list)
for e in events:
    if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
        times[(e["name"][: -len("_kernel_time")], e["args"].get("op_name"))].append(e["dur"])
total = 0.0
for (node, op), durations in times.items():
    last = sorted(durations[10:])
    ms = last[len(last) // 2] / 1000
    total += ms
    print(f"{ms:8.3f} ms  {op:18s} {node}")
print(f"sum of medians {total:.2f} ms")
