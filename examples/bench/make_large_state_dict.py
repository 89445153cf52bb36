"""Writes a large state_dict with real PyTorch and the real safetensors library, for the load
benchmark (load.sh): ``large.pt`` (torch.save's zip format) and ``large.safetensors`` holding the
same float32 tensors, ``SIZE_MB`` in all (default 256). Not committed: made fresh by each run.

    python make_large_state_dict.py OUT_DIR [SIZE_MB]
"""
import os
import sys

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
import safetensors.torch  # noqa: E402
import torch  # noqa: E402


def main(out, size_mb):
    torch.manual_seed(0)
    # Transformer-block-like shapes: a few big matrices plus small vectors, as real checkpoints are.
    state = {}
    total = 0
    block = 0
    while total < size_mb * 2**20:
        for name, shape in (("attn.in_proj.weight", (3072, 1024)), ("attn.in_proj.bias", (3072,)),
                            ("attn.out_proj.weight", (1024, 1024)), ("attn.out_proj.bias", (1024,)),
                            ("mlp.fc1.weight", (4096, 1024)), ("mlp.fc1.bias", (4096,)),
                            ("mlp.fc2.weight", (1024, 4096)), ("mlp.fc2.bias", (1024,)),
                            ("norm.weight", (1024,)), ("norm.bias", (1024,))):
            t = torch.randn(*shape)
            state[f"blocks.{block}.{name}"] = t
            total += t.numel() * 4
        block += 1
    torch.save(state, os.path.join(out, "large.pt"))
    safetensors.torch.save_file(state, os.path.join(out, "large.safetensors"))
    print(f"{len(state)} tensors, {total / 2**20:.0f} MiB, torch {torch.__version__}, "
          f"safetensors {safetensors.__version__}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 256)
