#!/usr/bin/env bash
# Throughput (rows/s, MB/s) and peak RSS of filter.quality and filter.language on the shared
# datasets, native and wasm (under Node). Builds filters_bench in build/bench-filters{,-wasm}.
# Skips (exit 0, with a message) when ../shared/data is absent; skips wasm when emcmake is.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${WINNOW_SHARED_DATA:-$ROOT/../shared/data}"
PASSES="${PASSES:-5}"
if [ ! -f "$DATA/llamafactory/alpaca_en_demo.json" ]; then
  echo "filters_bench: shared data not found at $DATA; skipping"
  exit 0
fi
FILES=(
  "$DATA/llamafactory/alpaca_en_demo.json" "$DATA/llamafactory/alpaca_zh_demo.json"
  "$DATA/llamafactory/glaive_toolcall_en_demo.json" "$DATA/llamafactory/dpo_en_demo.json"
  "$DATA/llamafactory/c4_demo.jsonl" "$DATA/fastchat/dummy_conversation.json"
)

echo "== native"
cmake -S "$ROOT" -B "$ROOT/build/bench-filters" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$ROOT/build/bench-filters" --target filters_bench -j2 >/dev/null
/usr/bin/time -f "peak RSS %M KB" "$ROOT/build/bench-filters/tests/bench/filters_bench" --passes "$PASSES" "${FILES[@]}"

echo "== wasm (node)"
if ! command -v emcmake >/dev/null; then
  echo "emcmake not found; skipping the wasm run"
  exit 0
fi
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S "$ROOT" -B "$ROOT/build/bench-filters-wasm" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
cmake --build "$ROOT/build/bench-filters-wasm" --target filters_bench -j2 >/dev/null
/usr/bin/time -f "peak RSS %M KB" node "$ROOT/build/bench-filters-wasm/tests/bench/filters_bench.js" \
  --passes "$PASSES" "${FILES[@]}"
