"""PyTorch side of the forward-pass benchmark: the same reference models (fixtures/reference/*/
torch_model.pt), the same batches and thread count as ForwardBenchmark.java, same output format."""
import os
import sys
import time

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
import numpy as np  # noqa: E402
import torch  # noqa: E402


def run(name, model, x, budget):
    with torch.inference_mode():
        end = time.perf_counter() + budget / 2
        while time.perf_counter() < end:
            model(x)
        samples = []
        end = time.perf_counter() + budget
        while time.perf_counter() < end and len(samples) < 200_000:
            t0 = time.perf_counter_ns()
            model(x)
            samples.append(time.perf_counter_ns() - t0)
    s = np.sort(np.array(samples))
    n = len(s)
    print(f"{name} {x.shape[0]} {s[n // 2] / 1e3:.1f} {s[n // 10] / 1e3:.1f} {s[n * 9 // 10] / 1e3:.1f}")


if __name__ == "__main__":
    fixtures = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "fixtures", "reference")
    budget = float(sys.argv[2]) / 1000 if len(sys.argv) > 2 else 3.0
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
    lenet = torch.load(os.path.join(fixtures, "lenet5", "torch_model.pt"), weights_only=False).eval()
    mlp = torch.load(os.path.join(fixtures, "mlp", "torch_model.pt"), weights_only=False).eval()
    for batch in (1, 32):
        run("lenet5", lenet, torch.rand(batch, 1, 28, 28), budget)
        run("mlp", mlp, torch.rand(batch, 784), budget)
