#!/usr/bin/env bash
# Studio benchmark: the web studio in headless Chromium on a generated 1M-row (~1 GB) chat JSONL
# (time to open, peak wasm memory / JS heap vs file size, frame times while scrolling) and
# sft-default on 100k generated Alpaca rows in the browser vs `winnow run` natively.
# Builds the page in build/bench-studio-wasm and the CLI in build/bench-studio (or reuses
# WASM_BUILD / NATIVE_BUILD if set). ROWS / ALPACA_ROWS change the sizes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/bench"
ROWS="${ROWS:-1000000}"
ALPACA_ROWS="${ALPACA_ROWS:-100000}"
WASM_BUILD="${WASM_BUILD:-$ROOT/build/bench-studio-wasm}"
NATIVE_BUILD="${NATIVE_BUILD:-$ROOT/build/bench-studio}"
DATA="$ROOT/bench-data"
mkdir -p "$DATA"
export NODE_PATH=/usr/share/nodejs

if [ ! -f "$WASM_BUILD/build.ninja" ]; then
  emcmake cmake -S "$ROOT" -B "$WASM_BUILD" -G Ninja -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node \
    -DWINNOW_BUILD_TESTS=OFF -DWINNOW_DIST_DIR="$WASM_BUILD/dist" >/dev/null
fi
cmake --build "$WASM_BUILD" --target studio_dist -j2 >/dev/null
DIST="$(grep -oP '^WINNOW_DIST_DIR:PATH=\K.*' "$WASM_BUILD/CMakeCache.txt")"
if [ ! -f "$NATIVE_BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$NATIVE_BUILD" -G Ninja -DWINNOW_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$NATIVE_BUILD" --target winnow -j2 >/dev/null

BIG="$DATA/studio_chat_${ROWS}.jsonl"
ALP="$DATA/studio_alpaca_${ALPACA_ROWS}.jsonl"
[ -f "$BIG" ] || /usr/bin/python3 "$HERE/gen_studio_data.py" messages "$ROWS" "$BIG"
[ -f "$ALP" ] || /usr/bin/python3 "$HERE/gen_studio_data.py" alpaca "$ALPACA_ROWS" "$ALP"

echo "web studio ($DIST), headless Chromium with SwiftShader, $(nproc) cores shared"
node "$HERE/studio_bench.js" --dist "$DIST" --big "$BIG" --alpaca "$ALP"

OUT="$(mktemp -d)"
/usr/bin/time -f "%e %M" -o "$OUT/time" "$NATIVE_BUILD/native/winnow" run "$ROOT/assets/presets/sft-default.json" "$ALP" -o "$OUT/cli" >/dev/null 2>&1 || true
read -r secs rss < "$OUT/time"
echo "sft-default natively (winnow run) on $ALPACA_ROWS Alpaca rows: $secs s, peak RSS $((rss / 1024)) MB"
rm -rf "$OUT"
