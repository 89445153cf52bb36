"""Sequent's ratios to each peer in two bench/run results, side by side (a change's before and
after: each from one run, as the harness intends ratios to be read).

    python3 bench/compare.py BEFORE.json AFTER.json
"""
import json
import sys

from models import MODELS
from report import HEAD, SYSTEMS

before, after = (json.load(open(p)) for p in sys.argv[1:3])
labels = {m["name"]: m["label"] for m in MODELS}


def ratios(result):
    seq = {(r["model"], r["batch"]): r for r in result["results"] if r["system"] == "sequent" and "median_ms" in r}
    out = {}
    for r in result["results"]:
        s = seq.get((r["model"], r["batch"]))
        if s and "median_ms" in r:
            out[(r["model"], r["batch"], r["system"])] = (s["median_ms"], r["median_ms"], s["median_ms"] / r["median_ms"])
    return out


b, a = ratios(before), ratios(after)
peers = [s for s in SYSTEMS if s != "sequent"]
print("| model | batch | Sequent ms before -> after | " + " | ".join(f"/ {HEAD[p]}" for p in peers) + " |")
print("| --- | --- | --- |" + " --- |" * len(peers))
cases = []
for r in after["results"]:
    if (r["model"], r["batch"]) not in cases:
        cases.append((r["model"], r["batch"]))
for m, n in cases:
    sb = b.get((m, n, "sequent"))
    sa = a.get((m, n, "sequent"))
    cells = []
    for p in peers:
        rb, ra = b.get((m, n, p)), a.get((m, n, p))
        cells.append(f"{rb[2]:.2f} -> **{ra[2]:.2f}**" if rb and ra else (f"-> **{ra[2]:.2f}**" if ra else ""))
    seq = f"{sb[0]:.3g} -> {sa[0]:.3g}" if sb and sa else ""
    print(f"| {labels.get(m, m)} | {n} | {seq} | " + " | ".join(cells) + " |")
