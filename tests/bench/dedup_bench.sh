#!/usr/bin/env bash
# dedup.near: documents/s and memory on 1M generated short documents (one core), and precision /
# recall against exact Jaccard on generated pairs of known similarity; native, then wasm under Node.
# Builds dedup_bench in build/bench-dedup{,-wasm}. DOCS=n changes the document count.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DOCS="${DOCS:-1000000}"

echo "== native"
cmake -S "$ROOT" -B "$ROOT/build/bench-dedup" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWINNOW_BUILD_STUDIO=OFF >/dev/null
cmake --build "$ROOT/build/bench-dedup" --target dedup_bench -j2 >/dev/null
/usr/bin/time -f "peak RSS %M KB" "$ROOT/build/bench-dedup/tests/bench/dedup_bench" --docs "$DOCS"

echo "== wasm (node)"
if ! command -v emcmake >/dev/null; then
  echo "emcmake not found; skipping the wasm run"
  exit 0
fi
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S "$ROOT" -B "$ROOT/build/bench-dedup-wasm" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node -DWINNOW_BUILD_STUDIO=OFF >/dev/null
cmake --build "$ROOT/build/bench-dedup-wasm" --target dedup_bench -j2 >/dev/null
/usr/bin/time -f "peak RSS %M KB" node "$ROOT/build/bench-dedup-wasm/tests/bench/dedup_bench.js" --docs "$DOCS"
