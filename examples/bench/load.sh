#!/usr/bin/env bash
# Load benchmark: a large (default 256 MiB) state_dict written by real PyTorch as .pt and by the
# real safetensors library as .safetensors, read by Sequent (WeightFiles.read, to float32 arrays)
# and by torch.load(weights_only=True) / safetensors.torch.load_file, in one run, same threads.
# Prints medians and the ratio Sequent/peer (below 1 means Sequent is faster).
#   PYTHON=/path/to/python-with-torch examples/bench/load.sh [size-mb] [runs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads="${BENCH_THREADS:-2}"
size="${1:-256}"
runs="${2:-7}"
python="${PYTHON:-python3}"
dir="$(mktemp -d -t sequent-load.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
"$root/sequent" --version >/dev/null   # builds on first use
export OMP_NUM_THREADS="$threads" BENCH_THREADS="$threads"
made="$("$python" "$root/examples/bench/make_large_state_dict.py" "$dir" "$size")"
# BENCH_JAVA_OPTS adds JVM flags, e.g. "-Xms4g -XX:+AlwaysPreTouch" (a heap sized and touched at start)
java_out="$(java -XX:+UseSerialGC -Xmx4g ${BENCH_JAVA_OPTS:-} -cp "$root/examples/target/classes:$(cat "$root/examples/target/sequent.classpath")" \
  dev.sequent.examples.bench.LoadBenchmark "$dir" "$runs")"
torch_out="$("$python" "$root/examples/bench/torch_load.py" "$dir" "$runs")"
echo "load: $made; threads=$threads  $(nproc) cores  java ${BENCH_JAVA_OPTS:-(default heap)}  $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-12s %14s %-22s %14s %8s\n' file "Sequent(ms)" peer "peer(ms)" ratio
pt_peer="$(awk '$1 == "pt" { print $2 }' <<<"$torch_out")"
ptmmap_peer="$(awk '$1 == "pt-mmap" { print $2 }' <<<"$torch_out")"
st_peer="$(awk '$1 == "safetensors" { print $2 }' <<<"$torch_out")"
pt_seq="$(awk '$1 == "pt" { print $2 }' <<<"$java_out")"
st_seq="$(awk '$1 == "safetensors" { print $2 }' <<<"$java_out")"
row() { printf '%-12s %14s %-22s %14s %8s\n' "$1" "$2" "$3" "$4" "$(awk -v a="$2" -v b="$4" 'BEGIN { printf "%.2f", a / b }')"; }
row large.pt "$pt_seq" "torch.load" "$pt_peer"
row large.pt "$pt_seq" "torch.load(mmap=True)" "$ptmmap_peer"
row .safetensors "$st_seq" "safetensors.load_file" "$st_peer"
