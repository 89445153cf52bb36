"""Merges the forks of one bench/run into bench/results/latest.json, the table of
docs/benchmarks.md (between its bench:table markers) and the chart docs/benchmarks.png, and prints
the table on stdout (the only thing bench/run prints there).

    python3 bench/report.py ROOT WORK_DIR MODE THREADS LOAD_BEFORE
"""
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from models import MODELS

SYSTEMS = ["sequent", "pytorch-eager", "onnxruntime-java", "dl4j-keras-import", "keras-tf"]
HEAD = {"sequent": "Sequent", "pytorch-eager": "PyTorch eager", "onnxruntime-java": "ONNX Runtime Java",
        "dl4j-keras-import": "DL4J KerasModelImport", "keras-tf": "Keras on TF"}


def machine(threads, load_before):
    info = open("/proc/cpuinfo").read()
    model = re.search(r"model name\s*:\s*(.*)", info)
    flags = re.search(r"flags\s*:\s*(.*)", info)
    mem = re.search(r"MemTotal:\s*(\d+)", open("/proc/meminfo").read())
    simd = [f for f in (flags.group(1).split() if flags else [])
            if f.startswith(("avx", "sse", "fma", "amx", "f16c", "vnni"))]
    return dict(cpu=model.group(1) if model else platform.processor(), cores=os.cpu_count(),
                simd_flags=sorted(simd), cpu_flags=flags.group(1).split() if flags else [],
                memory_gib=round(int(mem.group(1)) / 2**20, 1) if mem else None,
                threads=threads, omp_wait_policy=os.environ.get("OMP_WAIT_POLICY"), load_average_before=load_before,
                load_average_after=" ".join(open("/proc/loadavg").read().split()[:3]),
                os=platform.platform())


def main():
    root, work, mode, threads, load_before = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
    runs = {}  # (model, batch, system) -> list of per-fork results
    notes = {}
    versions = json.loads((work / "versions.json").read_text())
    for f in sorted(glob.glob(str(work / "fork-*.json"))):
        data = json.load(open(f))
        if isinstance(data, dict):
            versions[data["results"][0]["system"] if data["results"] else f] = data["version"]
            data = data["results"]
        for r in data:
            key = (r["model"], r["batch"], r["system"])
            if "median_ms" in r:
                runs.setdefault(key, []).append(r)
            else:
                notes[key] = r.get("missing") or r.get("error")
    rows = []
    for (model, batch, system), forks in runs.items():
        rows.append(dict(model=model, batch=batch, system=system,
                         median_ms=statistics.median(r["median_ms"] for r in forks),
                         p90_ms=statistics.median(r["p90_ms"] for r in forks),
                         fork_medians_ms=[r["median_ms"] for r in forks],
                         calls=sum(r["calls"] for r in forks),
                         **({"fork_warmups_ms": [round(r["warmup_ms"], 1) for r in forks],
                             "fork_warmup_calls": [r["warmup_calls"] for r in forks]}
                            if all("warmup_ms" in r for r in forks) else {}),
                         **({"max_abs_diff_vs_sequent": forks[0]["max_abs_diff_vs_sequent"]}
                            if "max_abs_diff_vs_sequent" in forks[0] else {})))
    seq = {(r["model"], r["batch"]): r["median_ms"] for r in rows if r["system"] == "sequent"}
    for r in rows:
        s = seq.get((r["model"], r["batch"]))
        r["ratio_sequent_to_this"] = round(s / r["median_ms"], 3) if s else None
    for (model, batch, system), why in notes.items():
        if (model, batch, system) not in runs:
            rows.append(dict(model=model, batch=batch, system=system, missing=why))
    order = {m["name"]: i for i, m in enumerate(MODELS)}
    rows.sort(key=lambda r: (order.get(r["model"], 99), r["batch"], SYSTEMS.index(r["system"])))
    result = dict(date=time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()), mode=mode, machine=machine(threads, load_before),
                  versions=versions, method=dict(
                      jvm="one JVM per fork; within a fork each case runs its JVM systems in interleaved rounds, "
                          "each warmed up (the first round until steady: fork_warmups_ms), every call timed; medians and p90 per fork, "
                          "then the median over forks",
                      python="one process per framework and fork; warm-up by the same rule, then every call timed"),
                  results=rows)
    out = root / "bench" / "results" / "latest.json"
    out.write_text(json.dumps(result, indent=1))
    table = render(rows, result)
    print(table)
    docs = root / "docs" / "benchmarks.md"
    text = docs.read_text()
    begin, end = "<!-- bench:table -->", "<!-- /bench:table -->"
    if begin in text and end in text:
        text = text[:text.index(begin) + len(begin)] + "\n" + table + "\n" + text[text.index(end):]
        docs.write_text(text)
    chart(rows, root / "docs" / "benchmarks.png", result)


def render(rows, result):
    by = {}
    for r in rows:
        by.setdefault((r["model"], r["batch"]), {})[r["system"]] = r
    labels = {m["name"]: m["label"] for m in MODELS}
    m = result["machine"]
    lines = [f"`bench/run{' --quick' if result['mode'] == 'quick' else ''}`, {result['date']}: {m['cpu']}, "
             f"{m['cores']} cores, {m['threads']} threads per system, OMP_WAIT_POLICY={m['omp_wait_policy']}; load average {m['load_average_before']} "
             f"before, {m['load_average_after']} after. Median ms (p90); in brackets Sequent's time / "
             f"the system's (above 1: the system is faster).", "",
             "| model | batch | " + " | ".join(HEAD[s] for s in SYSTEMS) + " |",
             "| --- | --- |" + " --- |" * len(SYSTEMS)]
    for (model, batch), cells in by.items():
        out = []
        for s in SYSTEMS:
            r = cells.get(s)
            if r is None:
                out.append("")
            elif "missing" in r:
                out.append("n/a")
            elif s == "sequent" or r["ratio_sequent_to_this"] is None:
                out.append(f"{r['median_ms']:.3g} ({r['p90_ms']:.3g})")
            else:
                out.append(f"{r['median_ms']:.3g} ({r['p90_ms']:.3g}) [{r['ratio_sequent_to_this']:.2f}]")
        lines.append(f"| {labels.get(model, model)} | {batch} | " + " | ".join(out) + " |")
    missing = sorted({(r["system"], r["missing"]) for r in rows if "missing" in r})
    if missing:
        lines.append("")
        for s, why in missing:
            lines.append(f"- n/a, {HEAD[s]}: {why}")
    return "\n".join(lines)


def chart(rows, path, result):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    labels = {m["name"]: m["label"] for m in MODELS}
    cases = []
    for r in rows:
        c = (r["model"], r["batch"])
        if c not in cases:
            cases.append(c)
    peers = [s for s in SYSTEMS if s != "sequent"]
    fig, ax = plt.subplots(figsize=(max(8, len(cases) * 0.9), 4.5))
    width = 0.8 / len(peers)
    for i, s in enumerate(peers):
        ys = []
        for c in cases:
            r = next((r for r in rows if (r["model"], r["batch"]) == c and r["system"] == s and "median_ms" in r), None)
            ys.append(r["ratio_sequent_to_this"] if r and r["ratio_sequent_to_this"] else 0)
        ax.bar([j + (i - len(peers) / 2 + 0.5) * width for j in range(len(cases))], ys, width, label=HEAD[s])
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_xticks(range(len(cases)))
    ax.set_xticklabels([f"{labels.get(m, m)}\nb={b}" for m, b in cases], fontsize=7, rotation=30, ha="right")
    ax.set_ylabel("Sequent time / system time (log; above 1: system faster)")
    ax.set_title(f"Forward pass, {result['machine']['threads']} threads, {result['date']}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
