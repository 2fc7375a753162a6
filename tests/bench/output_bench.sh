#!/usr/bin/env bash
# Output bench: a large frame-sliced run whose outputs stay in memory, as the studio's RunDriver
# holds them (MemoryOutputs), natively through slice_bench: the longest runner slice, the longest
# write-stage slice and the peak RSS. Two light pipelines over ROWS generated chat rows (default
# 1M, ~1 GB): dedup.exact alone (rows are written as they stream, so writing happens in "read"
# slices) and dedup.exact + split (rows held until split has seen them all, then the write stage
# writes kept.jsonl and the split files). Uses build/native (through its lock) unless NATIVE_BUILD
# names another tree (NO_BUILD=1: use its slice_bench as it is). Data goes to bench-data/
# (git-ignored). Asserts nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/bench"
ROWS="${ROWS:-1000000}"
NATIVE_BUILD="${NATIVE_BUILD:-$ROOT/build/native}"
DATA="$ROOT/bench-data"
mkdir -p "$DATA"
if [ ! -f "$NATIVE_BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$NATIVE_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
[ -n "${NO_BUILD:-}" ] || flock /tmp/winnow-native.lock cmake --build "$NATIVE_BUILD" --target slice_bench -j2 >/dev/null
BIG="$DATA/studio_chat_${ROWS}.jsonl"
[ -f "$BIG" ] || /usr/bin/python3 "$HERE/gen_studio_data.py" messages "$ROWS" "$BIG"
P="$DATA/output_bench_pipelines"
mkdir -p "$P"
cat > "$P/dedup_exact.json" <<'JSON'
{"version": 1, "name": "dedup-exact", "seed": 42, "annotations": "none", "steps": [{"type": "dedup.exact"}]}
JSON
cat > "$P/dedup_exact_split.json" <<'JSON'
{"version": 1, "name": "dedup-exact-split", "seed": 42, "annotations": "none",
 "steps": [{"type": "dedup.exact"}, {"type": "split", "params": {"method": "random", "ratios": {"train": 0.9, "test": 0.1}}}]}
JSON
echo "output bench: $ROWS rows, $(du -m "$BIG" | cut -f1) MB; $(nproc) cores shared; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for p in dedup_exact dedup_exact_split; do
  "$NATIVE_BUILD/tests/bench/slice_bench" "$P/$p.json" "$BIG" || true
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
