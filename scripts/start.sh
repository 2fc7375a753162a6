#!/usr/bin/env bash
# Command (1) of the README: set up, build and start Winnow.
#   - installs what is needed (scripts/setup.sh), builds the native CLI + desktop studio and the web
#     studio (wasm) into dist/;
#   - shows the CLI working on the bundled sample (assets/samples/support_chats.jsonl);
#   - serves the web studio on 127.0.0.1 and prints its URL (Ctrl-C stops it).
# Environment: PORT (default 8080), WINNOW_NO_SERVE=1 to build and demo without serving.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${JOBS:-$(nproc)}"
export NODE_PATH=/usr/share/nodejs
log() { printf '\033[1m[start]\033[0m %s\n' "$*" >&2; }

bash scripts/setup.sh
log "building native (CLI and desktop studio)"
cmake -S . -B build/app -G Ninja -DCMAKE_BUILD_TYPE=Release -DWINNOW_BUILD_TESTS=OFF >/dev/null
cmake --build build/app -j"$JOBS"
log "building the web studio (wasm) into dist/"
emcmake cmake -S . -B build/wasm-studio -G Ninja -DCMAKE_BUILD_TYPE=Release -DWINNOW_BUILD_TESTS=OFF \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
cmake --build build/wasm-studio --target studio_dist -j"$JOBS"
log "building the threaded web studio (used when the page is cross-origin isolated) into dist/"
emcmake cmake -S . -B build/wasm-studio-mt -G Ninja -DCMAKE_BUILD_TYPE=Release -DWINNOW_BUILD_TESTS=OFF \
  -DWINNOW_WASM_THREADS=ON -DWINNOW_DIST_DIR="$ROOT/dist" -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
cmake --build build/wasm-studio-mt --target studio_dist_mt -j"$JOBS"

WINNOW="$ROOT/build/app/native/winnow"
DEMO="$ROOT/build/demo"
mkdir -p "$DEMO"
log "the CLI is at $WINNOW"
"$WINNOW" --help | sed -n '1,40p'
log "demo: inspect and clean the bundled sample"
"$WINNOW" inspect assets/samples/support_chats.jsonl || true
"$WINNOW" run assets/presets/sft-default.json assets/samples/support_chats.jsonl -o "$DEMO/sample-clean" || true
log "demo outputs in $DEMO/sample-clean (kept.jsonl, rejected.jsonl, report.json, README.md)"

if [ "${WINNOW_NO_SERVE:-0}" = 1 ]; then
  log "WINNOW_NO_SERVE=1: not serving; run /usr/bin/python3 scripts/serve.py dist to serve the studio"
  exit 0
fi
log "serving the web studio (Ctrl-C to stop); the desktop studio is build/app/native/studio/winnow-studio"
exec /usr/bin/python3 scripts/serve.py dist --port "${PORT:-8080}"
