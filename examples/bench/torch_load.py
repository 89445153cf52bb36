"""PyTorch side of the load benchmark (load.sh): times torch.load(weights_only=True) on large.pt
(also with mmap=True) and safetensors.torch.load_file on large.safetensors, warm page cache,
summing every tensor once; prints one line per case, ``case median_ms min_ms``, in the same order as LoadBenchmark.java."""
import os
import sys
import time

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
import safetensors.torch  # noqa: E402
import torch  # noqa: E402


def timed(name, load, runs):
    load()  # warm the page cache and the import paths
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        state = load()
        # Read every value, as copying the weights into a model does: a lazily mapped file
        # (mmap=True, safetensors) is only paid for here.
        sum(float(t.sum()) for t in state.values())
        samples.append((time.perf_counter() - t0) * 1e3)
        del state
    samples.sort()
    print(f"{name} {samples[len(samples) // 2]:.1f} {samples[0]:.1f}")


if __name__ == "__main__":
    directory, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "2")))
    pt = os.path.join(directory, "large.pt")
    st = os.path.join(directory, "large.safetensors")
    timed("pt", lambda: torch.load(pt, weights_only=True), runs)
    timed("safetensors", lambda: safetensors.torch.load_file(st), runs)
    timed("pt-mmap", lambda: torch.load(pt, weights_only=True, mmap=True), runs)
