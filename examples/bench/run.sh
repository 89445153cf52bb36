#!/usr/bin/env bash
# Forward-pass benchmark: Sequent (warmed-up JVM harness) and real PyTorch, same models, same
# batches, same thread count, in one run. Prints each side's medians and the ratio
# Sequent/PyTorch (below 1 means Sequent is faster).
#   PYTHON=/path/to/python-with-torch examples/bench/run.sh [millis-per-case]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads="${BENCH_THREADS:-2}"
millis="${1:-3000}"
python="${PYTHON:-python3}"
"$root/sequent" --version >/dev/null   # builds on first use
export OMP_NUM_THREADS="$threads" BENCH_THREADS="$threads"
java_out="$(java -XX:+UseSerialGC -cp "$root/examples/target/classes:$(cat "$root/examples/target/sequent.classpath")" \
  dev.sequent.examples.bench.ForwardBenchmark "$root/fixtures" "$millis")"
torch_out="$("$python" "$root/examples/bench/torch_forward.py" "$root/fixtures" "$millis")"
echo "threads=$threads  $(nproc) cores  $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-8s %5s %14s %14s %10s\n' model batch "Sequent(us)" "PyTorch(us)" ratio
paste -d' ' <(echo "$java_out") <(echo "$torch_out") | while read -r m b js _ _ m2 b2 ts _ _; do
  ratio=$(awk -v a="$js" -v b="$ts" 'BEGIN { printf "%.2f", a / b }')
  printf '%-8s %5s %14s %14s %10s\n' "$m" "$b" "$js" "$ts" "$ratio"
done
