#!/usr/bin/env bash
# Model steps, one command: rows/s and peak memory of
#   - embedding rows with a user model (dedup.semantic),
#   - score.model with a user classifier,
#   - filter.toxicity with the shipped model (C++ featurizer + ONNX Runtime) and the English bad words,
# natively (`winnow run`, ONNX Runtime via dlopen, one intra-op thread; peak RSS from /usr/bin/time)
# and in the web studio (headless Chromium, onnxruntime-web; the page's peak RSS, tests/bench/
# model_bench_web.js). The user model is a random-weight BERT-style encoder the size of
# all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads), exported by torch here (models cannot be
# downloaded); its rows are generated chats. filter.toxicity reads the tweets of
# ../shared/data/toxicity (generated chats when that folder is absent).
# ROWS (2000) sets the embedding / scoring rows, TOX_ROWS (20000) the toxicity rows; SKIP_WEB=1 skips
# the browser. NATIVE_BUILD / WASM_BUILD (default build/bench-model, build/bench-model-wasm) name the
# build folders; the shared build/native and build/wasm are built under their locks.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/bench"
ROWS="${ROWS:-2000}"
TOX_ROWS="${TOX_ROWS:-20000}"
NATIVE_BUILD="$(realpath -m "${NATIVE_BUILD:-$ROOT/build/bench-model}")"
WASM_BUILD="$(realpath -m "${WASM_BUILD:-$ROOT/build/bench-model-wasm}")"
SHARED="${WINNOW_SHARED_DATA:-$ROOT/../shared/data}"
WORK="$ROOT/bench-data/model"
mkdir -p "$WORK"
export NODE_PATH=/usr/share/nodejs

build() {  # DIR TARGET: under the shared lock when DIR is one of the shared build folders
  local lock=/dev/null
  [ "$(realpath -m "$1")" = "$ROOT/build/native" ] && lock=/tmp/winnow-native.lock
  [ "$(realpath -m "$1")" = "$ROOT/build/wasm" ] && lock=/tmp/winnow-wasm.lock
  flock "$lock" cmake --build "$1" --target "$2" -j2 >/dev/null
}

if [ ! -f "$WORK/minilm_like/reference.json" ]; then
  TINY_BERT_SIZE=minilm /usr/bin/python3 "$ROOT/tests/models/export_tiny_bert.py" "$WORK/minilm_like" >/dev/null 2>&1 || {
    echo "torch export failed (python3-torch / python3-onnx missing?): nothing to measure"; exit 0; }
fi
DATA="$WORK/chats_${ROWS}.jsonl"
gen_chats() {  # ROWS FILE
  /usr/bin/python3 - "$1" "$2" <<'PY'
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
}
[ -f "$DATA" ] || gen_chats "$ROWS" "$DATA"
CSV="$SHARED/toxicity/labeled_data.csv"
if [ -f "$CSV" ]; then
  TOX_DATA="$WORK/tweets_${TOX_ROWS}.jsonl"
  TOX_WHAT="tweets of ../shared/data/toxicity"
  [ -f "$TOX_DATA" ] || /usr/bin/python3 - "$CSV" "$TOX_DATA" "$TOX_ROWS" <<'PY'
import csv, json, sys
rows = [r[6] for r in list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))[1:]]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for i in range(int(sys.argv[3])):
        f.write(json.dumps({"text": rows[i % len(rows)]}, ensure_ascii=False) + "\n")
PY
else
  TOX_DATA="$WORK/chats_${TOX_ROWS}.jsonl"
  TOX_WHAT="generated chats (../shared/data absent), each turn scored"
  [ -f "$TOX_DATA" ] || gen_chats "$TOX_ROWS" "$TOX_DATA"
fi

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
cat > "$WORK/toxicity.json" <<'JSON'
{"version": 1, "name": "bench-toxicity", "seed": 1, "steps": [
  {"id": "tox", "type": "filter.toxicity", "params": {"bad_words": {"languages": ["en"]}}}]}
JSON

echo "user model: random-weight BERT encoder, 6 layers, hidden 384 (all-MiniLM-L6-v2 sized), $ROWS chat rows"
echo "filter.toxicity: the shipped model + English bad words, $TOX_ROWS rows: $TOX_WHAT"
echo "$(nproc) cores, shared with other work: read the figures as rough"

if [ ! -f "$NATIVE_BUILD/build.ninja" ]; then
  cmake -S "$ROOT" -B "$NATIVE_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWINNOW_BUILD_TESTS=OFF -DWINNOW_BUILD_STUDIO=OFF >/dev/null
fi
build "$NATIVE_BUILD" winnow
native() {  # LABEL PIPELINE DATA ROWS
  local out secs rss
  out="$(mktemp -d)"
  (cd "$WORK/minilm_like" && /usr/bin/time -f "%e %M" -o "$out/time" "$NATIVE_BUILD/native/winnow" run "$2" "$3" -o "$out/o" >/dev/null 2>"$out/err") || true
  if [ ! -f "$out/o/report.json" ]; then echo "native $1: failed: $(tail -3 "$out/err")"; rm -rf "$out"; return 1; fi
  read -r secs rss < <(tail -n 1 "$out/time")  # after "Command exited with non-zero status 1" (rows dropped)
  /usr/bin/python3 -c "import sys; r, s, m = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]); \
print(f'{\"native \" + sys.argv[1]:<34} {r / max(s, 0.01):>7.{1 if r / max(s, 0.01) < 10 else 0}f} rows/s  {s:6.1f} s  peak RSS {m // 1024} MB')" "$1" "$4" "$secs" "$rss"
  rm -rf "$out"
}
native "embed (dedup.semantic)" "$WORK/embed.json" "$DATA" "$ROWS" || true
native "score.model" "$WORK/score.json" "$DATA" "$ROWS" || true
native "filter.toxicity" "$WORK/toxicity.json" "$TOX_DATA" "$TOX_ROWS" || true

if [ "${SKIP_WEB:-0}" = 1 ] || ! command -v emcmake >/dev/null || [ ! -x /usr/bin/chromium ]; then
  echo "web: skipped (SKIP_WEB=1, or no emcmake / chromium)"
  exit 0
fi
if [ ! -f "$WASM_BUILD/build.ninja" ]; then
  emcmake cmake -S "$ROOT" -B "$WASM_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node \
    -DWINNOW_BUILD_TESTS=OFF -DWINNOW_DIST_DIR="$WASM_BUILD/dist" >/dev/null
fi
build "$WASM_BUILD" studio_dist
DIST="$(sed -n 's/^WINNOW_DIST_DIR:PATH=//p' "$WASM_BUILD/CMakeCache.txt")"
node "$HERE/model_bench_web.js" --dist "$DIST" --models "$WORK/minilm_like" \
  --work "embed (dedup.semantic)=$WORK/embed.json:$DATA:$ROWS" \
  --work "score.model=$WORK/score.json:$DATA:$ROWS" \
  --work "filter.toxicity=$WORK/toxicity.json:$TOX_DATA:$TOX_ROWS"
