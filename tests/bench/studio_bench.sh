#!/usr/bin/env bash
# Studio benchmark: the web studio in headless Chromium on a generated 1M-row (~1 GB) chat JSONL
# (time to open, peak wasm memory / JS heap vs file size, frame times while scrolling) and
# sft-default on 100k generated Alpaca rows in the browser (threaded when cross-origin isolated,
# frame-sliced when not) vs `winnow run` natively; then the longest runner slices (slice_bench).
# Uses the shared build trees (build/wasm, build/wasm-mt, build/native; through their locks) unless
# WASM_BUILD / WASM_MT_BUILD / NATIVE_BUILD name others; SKIP_MT=1 leaves out the threaded build.
# ROWS / ALPACA_ROWS change the sizes. Data goes to bench-data/ (git-ignored).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/bench"
ROWS="${ROWS:-1000000}"
ALPACA_ROWS="${ALPACA_ROWS:-100000}"
WASM_BUILD="${WASM_BUILD:-$ROOT/build/wasm}"
WASM_MT_BUILD="${WASM_MT_BUILD:-$ROOT/build/wasm-mt}"
NATIVE_BUILD="${NATIVE_BUILD:-$ROOT/build/native}"
DATA="$ROOT/bench-data"
mkdir -p "$DATA"
export NODE_PATH=/usr/share/nodejs

if [ ! -f "$WASM_BUILD/build.ninja" ]; then
  emcmake cmake -S "$ROOT" -B "$WASM_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
fi
flock /tmp/winnow-wasm.lock cmake --build "$WASM_BUILD" --target studio_dist -j2 >/dev/null
DIST="$(grep -oP '^WINNOW_DIST_DIR:PATH=\K.*' "$WASM_BUILD/CMakeCache.txt")"
if [ -z "${SKIP_MT:-}" ]; then
  if [ ! -f "$WASM_MT_BUILD/build.ninja" ]; then
    emcmake cmake -S "$ROOT" -B "$WASM_MT_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWINNOW_WASM_THREADS=ON \
      -DWINNOW_BUILD_TESTS=OFF -DWINNOW_DIST_DIR="$DIST" -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
  fi
  flock /tmp/winnow-wasm.lock cmake --build "$WASM_MT_BUILD" --target studio_dist_mt -j2 >/dev/null
fi
if [ ! -f "$NATIVE_BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$NATIVE_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
flock /tmp/winnow-native.lock cmake --build "$NATIVE_BUILD" --target winnow slice_bench -j2 >/dev/null

BIG="$DATA/studio_chat_${ROWS}.jsonl"
ALP="$DATA/studio_alpaca_${ALPACA_ROWS}.jsonl"
[ -f "$BIG" ] || /usr/bin/python3 "$HERE/gen_studio_data.py" messages "$ROWS" "$BIG"
[ -f "$ALP" ] || /usr/bin/python3 "$HERE/gen_studio_data.py" alpaca "$ALPACA_ROWS" "$ALP"

echo "web studio ($DIST), headless Chromium with SwiftShader, $(nproc) cores shared; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
node "$HERE/studio_bench.js" --dist "$DIST" --big "$BIG" --alpaca "$ALP"

OUT="$(mktemp -d)"
/usr/bin/time -f "%e %M" -o "$OUT/time" "$NATIVE_BUILD/native/winnow" run "$ROOT/assets/presets/sft-default.json" "$ALP" -o "$OUT/cli" >/dev/null 2>&1 || true
read -r secs rss < "$OUT/time"
echo "sft-default natively (winnow run) on $ALPACA_ROWS Alpaca rows: $secs s, peak RSS $((rss / 1024)) MB"
rm -rf "$OUT"
# How long one runner slice takes (the studio runs 256 rows per slice on the page's main thread).
"$NATIVE_BUILD/tests/bench/slice_bench" "$ROOT/assets/presets/sft-default.json" "$BIG" || true
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
