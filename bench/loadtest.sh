#!/usr/bin/env bash
# Re-measures docs/loadtest.md: 1, 8, 16, 32 clients of squeezenet1_1 (seeded weights) at 40 Mbit/s each, devices
# 40x slower, against a fresh exported gateway per run (--start-gateway: a free port, a temporary folder, its CPU
# measured from /proc). Writes bench/target/loadtest/clients-<N>.json and .txt.
#   bench/loadtest.sh            # 1 8 16 32
#   bench/loadtest.sh 4 64       # other counts
# Needs runtime/target/gateway.jar (./gateway builds it) and the CLI (./layerlift builds it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/bench/target/loadtest"
mkdir -p "$out"
counts=("$@")
[[ ${#counts[@]} -gt 0 ]] || counts=(1 8 16 32)
for n in "${counts[@]}"; do
  echo "== $n clients" >&2
  # a fresh gateway each time, and a seed per count: no run finds the model already held
  "$root/layerlift" loadtest --start-gateway --clients "$n" --model "$root/testdata/models/squeezenet1_1.onnx" \
    --materialize --seed "$((100 + n))" --bandwidth 40mbit --slowdown 40 --client-prefix "lt$n" \
    --json "$out/clients-$n.json" | tee "$out/clients-$n.txt" || echo "(exit $? for $n clients)" >&2
done
