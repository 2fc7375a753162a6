#!/usr/bin/env bash
# dedup.near: documents/s and memory on 1M generated short documents (one core), the dedup.near
# step itself on the same documents as rows (Process, Finish, Report timed apart), and precision /
# recall against exact Jaccard on generated pairs of known similarity; native, then wasm under Node.
# Builds dedup_bench in build/bench-dedup{,-wasm}. DOCS=n changes the document count.
# NATIVE_BUILD / WASM_BUILD name existing build folders to use instead (only the dedup_bench target
# is built there; NATIVE_LOCK / WASM_LOCK: a file to flock around that build, for shared trees).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DOCS="${DOCS:-1000000}"
locked() {  # LOCKFILE command...: runs the command under flock when LOCKFILE is set
  local lock="$1"; shift
  if [ -n "$lock" ]; then flock "$lock" "$@"; else "$@"; fi
}

echo "== native"
NB="${NATIVE_BUILD:-$ROOT/build/bench-dedup}"
if [ -z "${NATIVE_BUILD:-}" ]; then
  cmake -S "$ROOT" -B "$NB" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWINNOW_BUILD_STUDIO=OFF >/dev/null
fi
locked "${NATIVE_LOCK:-}" cmake --build "$NB" --target dedup_bench -j2 >/dev/null
/usr/bin/time -f "peak RSS %M KB" "$NB/tests/bench/dedup_bench" --docs "$DOCS"

echo "== wasm (node)"
if ! command -v emcmake >/dev/null; then
  echo "emcmake not found; skipping the wasm run"
  exit 0
fi
export NODE_PATH=/usr/share/nodejs
WB="${WASM_BUILD:-$ROOT/build/bench-dedup-wasm}"
if [ -z "${WASM_BUILD:-}" ]; then
  emcmake cmake -S "$ROOT" -B "$WB" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node -DWINNOW_BUILD_STUDIO=OFF >/dev/null
fi
locked "${WASM_LOCK:-}" cmake --build "$WB" --target dedup_bench -j2 >/dev/null
/usr/bin/time -f "peak RSS %M KB" node "$WB/tests/bench/dedup_bench.js" --docs "$DOCS"
