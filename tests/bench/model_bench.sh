#!/usr/bin/env bash
# Model steps: rows/s and peak memory for embedding rows with a user model (dedup.semantic) and for
# score.model, natively (`winnow run`, ONNX Runtime via dlopen, one intra-op thread) and in the web
# studio (headless Chromium, onnxruntime-web). The model is a random-weight BERT-style encoder the size
# of all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads), exported by torch here (models cannot be
# downloaded); rows are generated chats. Builds the CLI in build/bench-model and the page in
# build/bench-model-wasm. ROWS changes the row count; SKIP_WEB=1 skips the browser.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/bench"
ROWS="${ROWS:-2000}"
NATIVE_BUILD="${NATIVE_BUILD:-$ROOT/build/bench-model}"
WASM_BUILD="${WASM_BUILD:-$ROOT/build/bench-model-wasm}"
WORK="$ROOT/bench-data/model"
mkdir -p "$WORK"
export NODE_PATH=/usr/share/nodejs

if [ ! -f "$WORK/minilm_like/reference.json" ]; then
  TINY_BERT_SIZE=minilm /usr/bin/python3 "$ROOT/tests/models/export_tiny_bert.py" "$WORK/minilm_like" >/dev/null 2>&1 || {
    echo "torch export failed (python3-torch / python3-onnx missing?): nothing to measure"; exit 0; }
fi
DATA="$WORK/chats_${ROWS}.jsonl"
[ -f "$DATA" ] || /usr/bin/python3 - "$ROWS" "$DATA" <<'PY'
import json, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(7)
words = ("the a good bad movie film book story people love hate like very not quick brown fox jumps over lazy "
         "dog cat runs sleeps eats fast slow happy sad data set model text great terrible yes no").split()
with open(path, "w") as f:
    for i in range(n):
        u = " ".join(rnd.choice(words) for _ in range(rnd.randint(8, 40)))
        a = " ".join(rnd.choice(words) for _ in range(rnd.randint(8, 60)))
        f.write(json.dumps({"messages": [{"role": "user", "content": u}, {"role": "assistant", "content": a}]}) + "\n")
PY
cat > "$WORK/embed.json" <<'JSON'
{"version": 1, "name": "bench-embed", "seed": 1, "steps": [
  {"id": "sem", "type": "dedup.semantic", "params": {"model": "tiny_bert.onnx", "tokenizer": "vocab.txt",
   "view": "example", "threshold": 0.95, "batch_size": 32}}]}
JSON
cat > "$WORK/score.json" <<'JSON'
{"version": 1, "name": "bench-score", "seed": 1, "steps": [
  {"id": "cls", "type": "score.model", "params": {"model": "classifier.onnx", "tokenizer": "vocab.txt",
   "field": "example", "batch_size": 32}}]}
JSON

if [ ! -f "$NATIVE_BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$NATIVE_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWINNOW_BUILD_TESTS=OFF -DWINNOW_BUILD_STUDIO=OFF >/dev/null
fi
cmake --build "$NATIVE_BUILD" --target winnow -j2 >/dev/null
echo "model: random-weight BERT encoder, 6 layers, hidden 384 (all-MiniLM-L6-v2 sized); $ROWS chat rows; $(nproc) cores shared"
for p in embed score; do
  OUT="$(mktemp -d)"
  (cd "$WORK/minilm_like" && /usr/bin/time -f "%e %M" -o "$OUT/time" "$NATIVE_BUILD/native/winnow" run "$WORK/$p.json" "$DATA" -o "$OUT/o" >/dev/null 2>"$OUT/err") || true
  if grep -q "model_runtime_missing\|ONNX Runtime" "$OUT/err"; then cat "$OUT/err"; rm -rf "$OUT"; break; fi
  read -r secs rss < "$OUT/time"
  echo "native $p ($([ $p = embed ] && echo dedup.semantic || echo score.model)): $ROWS rows in $secs s = $(/usr/bin/python3 -c "print(round($ROWS/max($secs,0.01)))") rows/s, peak RSS $((rss / 1024)) MB"
  rm -rf "$OUT"
done

if [ "${SKIP_WEB:-0}" = 1 ] || ! command -v emcmake >/dev/null || [ ! -x /usr/bin/chromium ]; then
  echo "web: skipped (SKIP_WEB=1, or no emcmake / chromium)"
  exit 0
fi
if [ ! -f "$WASM_BUILD/build.ninja" ]; then
  emcmake cmake -S "$ROOT" -B "$WASM_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node \
    -DWINNOW_BUILD_TESTS=OFF -DWINNOW_DIST_DIR="$WASM_BUILD/dist" >/dev/null
fi
cmake --build "$WASM_BUILD" --target studio_dist -j2 >/dev/null
node "$HERE/model_bench_web.js" --dist "$WASM_BUILD/dist" --models "$WORK/minilm_like" --data "$DATA" --rows "$ROWS" \
  --embed "$WORK/embed.json" --score "$WORK/score.json"
