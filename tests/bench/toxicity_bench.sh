#!/usr/bin/env bash
# Throughput (rows/s) and peak RSS of filter.toxicity through the `winnow` CLI: the shipped model
# (C++ featurizer + native ONNX Runtime) with the English bad-word list, and the bad-word lists alone
# (all languages), natively; the bad-word path also in the wasm CLI under Node (the wasm CLI has no
# model runtime: model steps run in the studio page). Input: the toxicity tweets of ../shared/data
# repeated to ROWS rows of {"text": ...} JSONL. Builds `winnow` in build/bench-toxicity{,-wasm}
# (NATIVE_BUILD / WASM_BUILD name other build folders; SKIP_WASM=1 skips the wasm run).
# Skips (exit 0, with a message) when ../shared/data is absent.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${WINNOW_SHARED_DATA:-$ROOT/../shared/data}"
ROWS="${ROWS:-100000}"
CSV="$DATA/toxicity/labeled_data.csv"
if [ ! -f "$CSV" ]; then
  echo "toxicity_bench: $CSV not found; skipping"
  exit 0
fi
WORK="$ROOT/build/bench-toxicity-data"
mkdir -p "$WORK"
IN="$WORK/tweets_${ROWS}.jsonl"
if [ ! -f "$IN" ]; then
  /usr/bin/python3 - "$CSV" "$IN" "$ROWS" <<'PY'
import csv, json, sys
rows = [r[6] for r in list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))[1:]]
n = int(sys.argv[3])
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for i in range(n):
        f.write(json.dumps({"text": rows[i % len(rows)]}, ensure_ascii=False) + "\n")
PY
fi
MB=$(du -m "$IN" | cut -f1)
echo "input: $ROWS rows ($MB MB) of tweets, $IN"

run() {  # label, command...
  local label="$1"; shift
  local out="$WORK/out"
  rm -rf "$out"
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$WORK/rss" "$@" -o "$out" >/dev/null 2>"$WORK/stderr" || { echo "$label: failed"; cat "$WORK/stderr"; return 0; }
  t1=$(date +%s.%N)
  local kept dropped
  kept=$(wc -l < "$out/kept.jsonl")
  dropped=$(wc -l < "$out/rejected.jsonl")
  awk -v l="$label" -v n="$ROWS" -v a="$t0" -v b="$t1" -v rss="$(tail -1 "$WORK/rss")" -v k="$kept" -v d="$dropped" \
    'BEGIN { printf "%-44s %9.0f rows/s  %7.2f s  peak RSS %6.1f MB  kept %d dropped %d\n", l, n/(b-a), b-a, rss/1024, k, d }'
}

echo "== native"
NB="${NATIVE_BUILD:-$ROOT/build/bench-toxicity}"
cmake -S "$ROOT" -B "$NB" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$NB" --target winnow -j2 >/dev/null
W="$NB/native/winnow"
run "filter.toxicity (model + en bad words)" "$W" filter --no-quality --toxicity "$IN"
run "filter.toxicity (bad words only, all langs)" "$W" filter --no-quality \
  --toxicity-params '{"model": "none", "bad_words": {"languages": ["all"], "max_hits": 0}}' "$IN"

echo "== wasm (node)"
if [ "${SKIP_WASM:-0}" = 1 ] || ! command -v emcmake >/dev/null; then
  echo "wasm run skipped (SKIP_WASM=1 or no emcmake)"
  exit 0
fi
export NODE_PATH=/usr/share/nodejs
WB="${WASM_BUILD:-$ROOT/build/bench-toxicity-wasm}"
emcmake cmake -S "$ROOT" -B "$WB" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
cmake --build "$WB" --target winnow -j2 >/dev/null
WJS="$WB/wasm/winnow.js"
run "wasm CLI: bad words only, all langs" node "$WJS" filter --no-quality \
  --toxicity-params '{"model": "none", "bad_words": {"languages": ["all"], "max_hits": 0}}' "$IN"
echo "(the model path in the browser is not measured here: the wasm CLI has no ONNX Runtime)"
