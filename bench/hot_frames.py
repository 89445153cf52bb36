"""Reads `jfr print --json --events EVENT` on stdin; prints the top frames by share of samples,
and for each sample the innermost dev.sequent frame (which op the time belongs to)."""
import collections
import json
import sys

event = sys.argv[1]
data = json.load(sys.stdin)
events = data["recording"]["events"]
top = collections.Counter()
ours = collections.Counter()
for e in events:
    frames = e["values"]["stackTrace"]["frames"] if e["values"].get("stackTrace") else []
    if not frames:
        continue
    name = lambda f: f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
    top[name(frames[0])] += 1
    # lambdas' class names carry a per-run suffix: keep the op class
    seq = next((name(f) for f in frames if name(f).startswith("dev.sequent.runtime.exec")), "(none)")
    ours[seq.split("$$Lambda")[0]] += 1
n = sum(top.values()) or 1
print(f"## {event}: {n} samples")
print("top frame:")
for k, v in top.most_common(12):
    print(f"  {100 * v / n:5.1f}%  {k}")
print("innermost Sequent op frame:")
for k, v in ours.most_common(10):
    print(f"  {100 * v / n:5.1f}%  {k}")
