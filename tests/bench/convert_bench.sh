#!/usr/bin/env bash
# Benchmark of `winnow convert` alpaca -> messages on a >= 500 MB JSONL built at bench time by
# replicating ../shared/data (never committed), beside jq -c and pandas doing the same conversion,
# in one run. Prints MB/s (of wall time and of CPU time) and peak RSS for each.
# Usage: tests/bench/convert_bench.sh [SIZE_MB]   (default 512; WINNOW_BENCH_NO_BUILD=1 skips the build)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SIZE_MB="${1:-512}"
DATA="$ROOT/../shared/data/llamafactory/alpaca_en_demo.json"
OUT="$ROOT/build/bench-data"
export NODE_PATH=/usr/share/nodejs
if [ ! -f "$DATA" ]; then
  echo "convert_bench: skipped: $DATA not found (the shared data folder is absent)"
  exit 0
fi
mkdir -p "$OUT"
IN="$OUT/alpaca_${SIZE_MB}mb.jsonl"
if [ ! -f "$IN" ]; then
  echo "building $IN by replicating $(basename "$DATA") ..." >&2
  /usr/bin/python3 - "$DATA" "$IN" "$SIZE_MB" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
# Vary each copy a little so the file is not one block repeated verbatim.
target = int(sys.argv[3]) * 1000 * 1000
with open(sys.argv[2], "w", encoding="utf-8") as f:
    n = 0
    copy = 0
    while n < target:
        for r in rows:
            r2 = dict(r)
            r2["id"] = f"{copy}-{n}"
            line = json.dumps(r2, ensure_ascii=False) + "\n"
            f.write(line)
            n += len(line.encode("utf-8"))
        copy += 1
PY
fi
BYTES=$(stat -c %s "$IN")
echo "input: $IN ($((BYTES / 1000000)) MB)" >&2

if [ "${WINNOW_BENCH_NO_BUILD:-0}" != 1 ]; then
echo "building winnow (native and wasm) ..." >&2
cmake -S "$ROOT" -B "$ROOT/build/native" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$ROOT/build/native" --target winnow -j"$(nproc)" >/dev/null
emcmake cmake -S "$ROOT" -B "$ROOT/build/wasm" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
cmake --build "$ROOT/build/wasm" --target winnow_node -j"$(nproc)" >/dev/null
fi

# measure NAME command...: runs once, prints one table row.
printf '%-28s %10s %10s %12s\n' "tool (alpaca -> messages)" "MB/s wall" "MB/s cpu" "peak RSS MB"
measure() {
  local name="$1"
  shift
  local t
  t="$(mktemp)"
  /usr/bin/time -f "%e %U %S %M" -o "$t" "$@" >/dev/null 2>"$t.err" || { echo "$name failed:"; cat "$t.err"; }
  read -r wall user sys rss < "$t"
  awk -v n="$name" -v b="$BYTES" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
    'BEGIN { printf "%-28s %10.1f %10.1f %12.1f\n", n, b/1e6/w, b/1e6/(u+s), r/1024 }'
  rm -f "$t" "$t.err"
}

measure "winnow native" "$ROOT/build/native/native/winnow" convert "$IN" --to messages -o "$OUT/out_native.jsonl" -q
measure "winnow wasm (node)" node "$ROOT/build/wasm/wasm/winnow.js" convert "$IN" --to messages -o "$OUT/out_wasm.jsonl" -q
if cmp -s "$OUT/out_native.jsonl" "$OUT/out_wasm.jsonl"; then
  echo "native and wasm outputs: byte-identical" >&2
else
  echo "native and wasm outputs DIFFER" >&2
fi
JQ_PROG='{messages: ([if (.system // "") != "" then {role: "system", content: .system} else empty end]
  + [{role: "user", content: (if (.input // "") != "" then .instruction + "\n" + .input else .instruction end)},
     {role: "assistant", content: .output}]), id: .id}'
measure "jq -c" jq -c "$JQ_PROG" "$IN"
cat > "$OUT/pandas_convert.py" <<'PY'
import json, sys
import pandas as pd
out = open(sys.argv[2], "w", encoding="utf-8")
for chunk in pd.read_json(sys.argv[1], lines=True, chunksize=100000, dtype=False):
    for ins, inp, outp, rid in zip(chunk["instruction"], chunk["input"], chunk["output"], chunk["id"]):
        user = ins + "\n" + inp if inp else ins
        out.write(json.dumps({"messages": [{"role": "user", "content": user},
                                           {"role": "assistant", "content": outp}], "id": rid},
                             ensure_ascii=False) + "\n")
out.close()
PY
measure "pandas (chunks of 100k)" /usr/bin/python3 "$OUT/pandas_convert.py" "$IN" "$OUT/out_pandas.jsonl"
rm -f "$OUT"/out_*.jsonl
